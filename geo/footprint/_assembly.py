"""Assembly: many specs to their footprints in one vectorized pass; the public calls."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LinearRing, LineString, MultiPolygon, Polygon, box

from geo.errors import InvalidBearingError, InvalidCoordinateError, InvalidRangeError
from geo.footprint._cut import (
    _WORLD,
    _finish,
    _ring_contains,
    _ring_geometry,
    _signed_area,
    _split,
)
from geo.footprint._poles import _repair_poles, _unwrap_rings
from geo.footprint._rings import _compute_rings
from geo.footprint._spec import (
    FloatArray,
    _check_tolerance,
    _is_full_within,
    _prepare,
    _ring_specs,
    _sector_azimuths,
    _Spec,
)
from geo.wgs84 import ANTIPODAL_KM, GEOD, M_PER_DEG_MIN


@dataclass
class _Built:
    analysis: list[Polygon | MultiPolygon]
    tolerance_m: list[float]
    outlines: list[list[LineString]]


def _build(specs: Sequence[_Spec], *, outlines: bool = False) -> _Built:
    """Compute footprints for many specs with one vectorized ring computation.

    Ordinary disks (no pole, no antimeridian) become polygons in one
    vectorized shapely call; the rest are assembled ring by ring.
    """
    cols, plan = _ring_specs(specs)
    n_rings = cols["lat"].size
    geoms = np.empty(n_rings, dtype=object)
    lines: list[LineString] = []
    if n_rings:
        rings = _compute_rings(
            cols["lat"],
            cols["lon"],
            cols["range_m"],
            cols["tol_m"],
            cols["az_hi"],
            cols["span"],
            cols["knots"],
        )
        x, winding = _unwrap_rings(rings)
        starts, lat, ring_of, nxt = rings.starts, rings.lat, rings.ring_of, rings.nxt
        repaired = _repair_poles(rings, cols)
        for i, (_, _, w) in repaired.items():
            winding[i] = w
        # signed area of each ring (shoelace, closing edge included)
        x_next = x[nxt] + np.where(nxt < np.arange(x.size), 360.0 * winding[ring_of], 0.0)
        area2 = np.add.reduceat(x * lat[nxt] - x_next * lat, starts[:-1])
        # A tiny ring far from (0, 0) cancels to rounding noise (each term is off by up to
        # 2 ulp of 540 * 90, under 2e-11): those are summed about their first vertex.  Only
        # the sign of a ring that winds round no pole counts here.
        tiny = np.flatnonzero((np.abs(area2) <= 1e-10 * np.diff(starts)) & (winding == 0))
        for i in tiny.tolist():
            a, b = starts[i], starts[i + 1]
            area2[i] = _signed_area(x[a:b], lat[a:b])
        simple = (winding == 0) & (area2 > 0)
        simple[list(repaired)] = False
        # rings that pass close to a pole are checked for validity one by one (_finish)
        pole_gap_m = (90.0 - np.maximum.reduceat(np.abs(lat), starts[:-1])) * M_PER_DEG_MIN
        simple &= pole_gap_m > 1000.0 + 10.0 * cols["tol_m"]
        simple &= (np.minimum.reduceat(x, starts[:-1]) >= -180.0) & (
            np.maximum.reduceat(x, starts[:-1]) <= 180.0
        )
        sel = simple[ring_of]
        if sel.any():
            dense = np.cumsum(simple) - 1  # renumber the simple rings 0..m-1
            shells = shapely.linearrings(
                np.column_stack((x[sel], lat[sel])), indices=dense[ring_of[sel]]
            )
            geoms[simple] = shapely.polygons(shells)

        def ring_xy(i: int) -> tuple[FloatArray, FloatArray, int]:
            if i in repaired:
                return repaired[i]
            a, b = starts[i], starts[i + 1]
            return x[a:b], lat[a:b], int(winding[i])

        for k in np.flatnonzero(~simple).tolist():
            geoms[k] = _finish(_ring_geometry(*ring_xy(k), _ring_contains(cols, k)))
        if outlines:
            for j in range(n_rings):
                xj, yj, wj = ring_xy(j)
                xr = np.append(xj, xj[0] + 360.0 * wj)
                if wj == 0:  # keep the line on the site's side of the map
                    xr = xr + 360.0 * round((cols["lon"][j] - 0.5 * (xr.min() + xr.max())) / 360.0)
                lines.append(LineString(np.column_stack((xr, np.append(yj, yj[0])))))

    built = _Built([], [], [])
    for spec, (outer, inner, tol) in zip(specs, plan, strict=True):
        if abs(spec.lat) == 90.0 and spec.bearing is not None and outer is None and inner is None:
            polar, line = _polar_sector(spec, tol)
            if polar is not None:
                built.analysis.append(polar)
                built.tolerance_m.append(tol)
                built.outlines.append([line] if outlines else [])
                continue
        geom = _WORLD if outer is None else geoms[outer]
        if inner is not None:
            geom = _minus(geom, geoms[inner])
        built.analysis.append(geom)
        built.tolerance_m.append(tol)
        built.outlines.append(
            [lines[i] for i in (outer, inner) if i is not None] if outlines else []
        )
    return built


def _minus(outer: Polygon | MultiPolygon, hole: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
    """The outer region minus the inner disk.  A hole that lies wholly inside one part is
    added as a ring: an overlay of a millimetre hole in a continent-sized part snaps the
    part away (GEOS), which a ring cannot."""
    if isinstance(hole, Polygon) and not hole.interiors:
        parts = list(shapely.get_parts(outer))
        for k, part in enumerate(parts):
            if shapely.contains_properly(part, hole):
                rings = [*part.interiors, LinearRing(hole.exterior.coords[::-1])]
                parts[k] = Polygon(part.exterior, rings)
                return _finish(parts[0] if len(parts) == 1 else MultiPolygon(parts))
    return _finish(shapely.difference(outer, hole))


def _polar_sector(spec: _Spec, tol: float) -> tuple[Polygon | MultiPolygon | None, LineString]:
    """A sector from a pole: a lon/lat rectangle, exactly.

    From a pole every geodesic is a meridian and every geodesic circle a
    parallel, both straight in lon/lat, so no densification is needed.  From
    the North Pole azimuth ``a`` leaves along longitude ``lon + 180 - a``; from
    the South Pole along ``lon + a`` (pyproj's convention, checked in the tests).
    """
    az_hi, span = _sector_azimuths(spec.bearing)
    if span >= 360.0 or _is_full_within(span, tol, spec.range_km * 1000.0):
        return None, LineString()
    north = spec.lat > 0
    pole = 90.0 if north else -90.0
    r_out = max(min(spec.range_km, ANTIPODAL_KM) * 1000.0, 0.5 * tol)  # see _ring_specs
    lat_out = (
        float(GEOD.fwd(spec.lon, spec.lat, 0.0, r_out)[1])
        if r_out < ANTIPODAL_KM * 1000.0
        else -pole
    )
    lat_in = pole
    if spec.min_range_km * 1000.0 > 0.5 * _check_tolerance(spec.tolerance_m, spec.min_range_km):
        lat_in = float(GEOD.fwd(spec.lon, spec.lat, 0.0, spec.min_range_km * 1000.0)[1])
    west = spec.lon + 180.0 - az_hi if north else spec.lon + az_hi - span
    west = west - 360.0 * np.floor((west + 180.0) / 360.0)
    lo, hi = sorted((lat_out, lat_in))
    rect = box(west, lo, west + span, hi)
    geom = _finish(rect if west + span <= 180.0 else _split(rect))
    line = LineString(
        [
            (west, lat_in),
            (west, lat_out),
            (west + span, lat_out),
            (west + span, lat_in),
            (west, lat_in),
        ]
    )
    return geom, line


def footprint(
    lat: float,
    lon: float,
    range_km: float,
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    tolerance_m: float | None = None,
) -> Polygon | MultiPolygon:
    """Return the geodesic footprint of a range from a site, on WGS84.

    Parameters
    ----------
    lat, lon
        The site, in decimal degrees (longitudes outside +/-180 are wrapped).
    range_km
        The (maximum) range: every point at most this geodesic distance away is inside.
    min_range_km
        A minimum range; > 0 gives an annulus.
    bearing
        ``(start_deg, end_deg)`` clockwise from north: a sector (range fan) from
        ``start`` clockwise to ``end``, whose straight sides are geodesics.
    tolerance_m
        The largest distance allowed between the drawn boundary (straight lon/lat
        edges, anywhere along them) and the true geodesic boundary.  Default
        ``min(100 m, range/1000)``; at least 1 mm.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        In lon/lat (EPSG:4326), counter-clockwise exteriors and clockwise holes
        (RFC 7946), longitudes within [-180, 180], cut at the antimeridian, closed
        along a pole the footprint contains.  From ``WHOLE_GLOBE_KM`` on, the
        whole globe.  Shapes finer than the tolerance, each within it of the truth:
        a sector whose missing wedge is nowhere wider than the tolerance is the full
        disk (e.g. ``bearing=(1, 0.999999)``); a sector narrower than half the
        tolerance at its range is drawn that wide; a range below half the tolerance
        is drawn at half the tolerance; a hole (minimum range) of at most half its
        tolerance is left out.  A sector's range is capped at ``WHOLE_GLOBE_KM``
        (past the cut locus a point's bearing is not that of one geodesic), except
        from a pole, whose meridians reach the other pole.  Never empty.

    Raises
    ------
    InvalidRangeError, InvalidCoordinateError, InvalidBearingError
        For a range <= 0 or not finite, min >= max, a latitude outside
        [-90, 90], a longitude or bearing that is not finite, a tolerance below 1 mm.
    RefinementError
        If the boundary cannot be brought within the tolerance under the caps on
        refinement (60 rounds, 5,000,000 vertices).

    Examples
    --------
    >>> import geo
    >>> sinpo = geo.footprint(40.0347, 128.1856, 1500)
    >>> sinpo.geom_type, sinpo.exterior.is_ccw
    ('Polygon', True)
    >>> icbm = geo.footprint(39.0339, 125.7543, 13000)  # Pyongyang: contains the North Pole
    >>> icbm.bounds[0], icbm.bounds[2], icbm.bounds[3]
    (-180.0, 180.0, 90.0)
    """
    spec = _prepare(lat, lon, range_km, min_range_km, bearing, tolerance_m)
    return _build([spec]).analysis[0]


def footprints(
    data: Any,
    *,
    lat: str = "lat",
    lon: str = "lon",
    range_km: str = "range_km",
    min_range_km: str | float | None = None,
    bearing: tuple[str, str] | None = None,
    tolerance_m: float | None = None,
) -> Any:
    """Compute footprints for many sites and ranges at once.

    The boundary rings of all rows are computed in one vectorized pass (one
    ``Geod.fwd`` call per refinement round for every row together), not by a
    loop over :func:`footprint`.

    Parameters
    ----------
    data
        A DataFrame (or a mapping of equal-length arrays) with one row per footprint.
    lat, lon, range_km
        Column names of the site coordinates and the range.
    min_range_km
        A column name, or one minimum range for every row (annuli).
    bearing
        A pair of column names ``(start_col, end_col)`` for sectors.
    tolerance_m
        Boundary tolerance for every row; default ``min(100 m, range/1000)`` per row.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per input row, the input columns kept, plus ``geometry`` (EPSG:4326)
        and ``tolerance_m``.

    Examples
    --------
    >>> import pandas as pd, geo
    >>> sites = pd.DataFrame({"name": ["Sinpo", "Kimchaek"], "lat": [40.0347, 40.6672],
    ...                       "lon": [128.1856, 129.2006], "range_km": [1500, 150]})
    >>> gdf = geo.footprints(sites)
    >>> list(gdf.columns), gdf.crs.to_epsg()
    (['name', 'lat', 'lon', 'range_km', 'geometry', 'tolerance_m'], 4326)
    """
    import geopandas as gpd
    import pandas as pd

    frame = (
        data.copy()
        if isinstance(data, pd.DataFrame)
        else pd.DataFrame(dict(data) if isinstance(data, Mapping) else data)
    )
    for col in (lat, lon, range_km):
        if col not in frame.columns:
            raise KeyError(f"column {col!r} not found; columns are {list(frame.columns)}")
    mins: Sequence[Any]
    if isinstance(min_range_km, str):
        mins = frame[min_range_km].tolist()
    else:
        mins = [min_range_km or 0.0] * len(frame)
    bearings: list[tuple[float, float] | None] = [None] * len(frame)
    if bearing is not None:
        bearings = list(zip(frame[bearing[0]].tolist(), frame[bearing[1]].tolist(), strict=True))
    specs = []
    for row, (la, lo, r, m, b) in enumerate(
        zip(
            frame[lat].tolist(),
            frame[lon].tolist(),
            frame[range_km].tolist(),
            mins,
            bearings,
            strict=True,
        )
    ):
        try:
            specs.append(
                _prepare(
                    la,
                    lo,
                    r,
                    0.0 if m is None or (isinstance(m, float) and math.isnan(m)) else m,
                    b,
                    tolerance_m,
                )
            )
        except (InvalidRangeError, InvalidCoordinateError, InvalidBearingError) as exc:
            raise type(exc)(f"row {row} ({frame.index[row]!r}): {exc}") from None
    built = _build(specs)
    out = gpd.GeoDataFrame(frame, geometry=built.analysis, crs="EPSG:4326")
    out["tolerance_m"] = built.tolerance_m
    return out
