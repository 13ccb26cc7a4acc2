"""Reach over a point table, and the range needed to reach one target."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo.gazetteer import RegionLike, as_site
from geo.reach._kernel import FloatArray, _classify, _sector_mask
from geo.reach._origin import _Origin, _origin
from geo.reach._tables import _load_points, _point_coords
from geo.resources import data_path
from geo.wgs84 import GEOD

_GEODESIC_CHUNK = 500_000  # points per Geod.inv call on large tables


def _geodesics(o: _Origin, lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(distance_m, bearing_deg in [0, 360), NaN at the site itself) by ``Geod.inv``."""
    n = lat.shape[0]
    if n == 0:
        return np.empty(0), np.empty(0)
    d = np.empty(n, dtype=np.float64)
    az = np.empty(n, dtype=np.float64)
    # Large tables go in chunks, with a progress bar in a terminal or notebook
    # (tqdm.auto with disable=None: silent when output is not interactive). Imported
    # here: importing tqdm.auto probes for a notebook front end.
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
    region: RegionLike = None,
    country: str | None = None,
) -> Any:
    """Return what lies within range of a site: one row per target, with exact distances.

    Parameters
    ----------
    site
        A :class:`geo.Site` (or any object with ``lat`` and ``lon``), a ``(lat, lon)``
        pair in decimal degrees, or a place name: see :func:`geo.as_site`.
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
    sites, region, country
        How a site name is looked up: see :func:`geo.as_site`.

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
    o = _origin(site, range_km, min_range_km, bearing, sites=sites, region=region, country=country)
    if _is_dask(targets):
        meta = _reach_frame(targets._meta, o, lat, lon, inside_only)
        return targets.map_partitions(_reach_frame, o, lat, lon, inside_only, meta=meta)
    frame, _, _ = _load_points(targets, lat, lon)
    source = str(targets) if isinstance(targets, str | os.PathLike) else None
    if targets is None:
        source = str(data_path("targets.csv"))
    return _reach_frame(frame, o, lat, lon, inside_only, source)


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
    target: Any, targets: Any, *, sites: Any, region: RegionLike, country: str | None
) -> tuple[float, float, str]:
    if isinstance(target, str):
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
                    return float(la[i]), float(lo[i]), str(name)
    place = as_site(target, sites=sites, region=region, country=country)
    return place.lat, place.lon, place.name


def range_needed(
    site: Any,
    target: Any,
    *,
    targets: Any = None,
    sites: str | os.PathLike[str] | None = None,
    region: RegionLike = None,
    country: str | None = None,
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
    sites, region, country
        How a site name is looked up: see :func:`geo.as_site`.

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
    origin = as_site(site, sites=sites, region=region, country=country)
    site_name = origin.name
    lat1, lon1, target_name = _target_point(
        target, targets, sites=sites, region=region, country=country
    )
    az, back, d = GEOD.inv(origin.lon, origin.lat, lon1, lat1)
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
