"""Footprints whose range varies with azimuth: the boundary az -> Geod.fwd(site, az, r(az)).

The ring is sampled adaptively in azimuth: an edge between two exact vertices is split at
its mean azimuth while a point of it at a quarter, half or three quarters of its length lies
farther from the true boundary than the tolerance.  That distance is bounded above with
Geod.inv: a point P at distance d and azimuth a from the site is |d - r(a)| from the boundary
point Geod.fwd(site, a, r(a)) on the same geodesic radial.  The ring then goes through the
engine's own stages: unwrapping, the pole repair and the +/-180 cut.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from shapely.geometry import LineString, MultiPolygon, Polygon

from geo.errors import InvalidRangeError
from geo.footprint._cut import _WORLD, _finish, _ring_geometry
from geo.footprint._display import DisplayFootprint, _display_fill
from geo.footprint._poles import _repair_poles, _unwrap_rings
from geo.footprint._rings import _HUG, _MAX_DLON, _initial_count, _Rings
from geo.footprint._spec import (
    FloatArray,
    _check_site,
    _check_tolerance,
    default_tolerance_m,
)
from geo.wgs84 import GEOD, WHOLE_GLOBE_KM
from geo.wgs84 import M_PER_DEG_MIN as _M_PER_DEG  # a lower bound, as in _rings

logger = logging.getLogger(__name__)

#: A range function: azimuths (degrees clockwise from north) to ranges (km).
RangeAt = Callable[[FloatArray], FloatArray]

#: Where along each edge (as a share of its length) the error is checked.
_CHECK_AT = (0.25, 0.5, 0.75)
#: Edges are split when their error exceeds this share of the tolerance.
_SAFETY = 0.9
#: No edge narrower in azimuth than this (degrees) is split again: refinement always ends.
_FLOOR_DEG = 1e-7
_MAX_ROUNDS = 45


@dataclass(frozen=True)
class _Ring:
    """The sampled ring: vertices in decreasing azimuth (counter-clockwise), and its inputs."""

    lat: float
    lon: float
    lon_v: FloatArray
    lat_v: FloatArray
    range_at: RangeAt
    tolerance_m: float
    rounds: int


def _ranges_m(range_at: RangeAt, az: FloatArray) -> FloatArray:
    """The range function at azimuths, checked, in metres and capped at WHOLE_GLOBE_KM."""
    r = np.asarray(range_at(np.mod(az, 360.0)), dtype=float)
    if r.shape != az.shape or not np.all(np.isfinite(r)) or np.any(r <= 0.0):
        bad = r[~(np.isfinite(r) & (r > 0.0))] if r.shape == az.shape else r
        raise InvalidRangeError(
            f"the range function gave {bad[:3].tolist()!r} (shape {r.shape}) for "
            f"{az.size} azimuths: it must return one finite range > 0 km per azimuth"
        )
    capped: FloatArray = np.minimum(r, WHOLE_GLOBE_KM) * 1000.0
    return capped


def _fwd(lat: float, lon: float, az: FloatArray, dist_m: FloatArray) -> tuple[FloatArray, ...]:
    n = az.size
    x, y, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, dist_m, return_back_azimuth=False)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def _chord(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray, t: float
) -> tuple[FloatArray, FloatArray]:
    """Points a share t along straight lon/lat edges (the short way; a pole vertex takes its
    neighbour's longitude, as the pole repair draws it)."""
    lon1 = np.where(np.abs(lat1) == 90.0, lon2, lon1)
    lon2 = np.where(np.abs(lat2) == 90.0, lon1, lon2)
    dlon = (lon2 - lon1 + 180.0) % 360.0 - 180.0
    return lon1 + t * dlon, lat1 + t * (lat2 - lat1)


def edge_errors_m(
    lat: float,
    lon: float,
    range_at: RangeAt,
    lon1: FloatArray,
    lat1: FloatArray,
    lon2: FloatArray,
    lat2: FloatArray,
) -> FloatArray:
    """Upper bound (m) on the distance from the true boundary of the edges' check points."""
    worst = np.zeros(lon1.size)
    for t in _CHECK_AT:
        px, py = _chord(lon1, lat1, lon2, lat2, t)
        az, _, d = GEOD.inv(np.full(px.size, lon), np.full(px.size, lat), px, py)
        az, d = np.asarray(az, dtype=float), np.asarray(d, dtype=float)
        worst = np.maximum(worst, np.abs(d - _ranges_m(range_at, az)))
    return worst


def _pieces(err: FloatArray, turn: FloatArray, tol_m: float) -> npt.NDArray[np.intp]:
    """Into how many pieces to cut each bad edge: the error falls like the square of the edge
    length, so k pieces bring an error e to about e / k^2 (at most 16 pieces a round)."""
    k = np.ceil(np.sqrt(err / (0.5 * _SAFETY * tol_m)))
    k = np.maximum(k, np.ceil(turn / _MAX_DLON))
    pieces: npt.NDArray[np.intp] = np.clip(k, 2, 16).astype(np.intp)
    return pieces


def _sample(
    lat: float,
    lon: float,
    range_at: RangeAt,
    max_km: float,
    tol_m: float,
    knots_deg: FloatArray,
) -> _Ring:
    """Vertices of the boundary, refined until every edge's check points are within tol_m."""
    n0 = int(_initial_count(np.array([max_km * 1000.0]), np.array([tol_m]), np.array([360.0]))[0])
    n0 = max(n0, 72)
    # position along the ring: azimuth -360 u, decreasing; the knots are vertices too
    u = np.unique(np.concatenate((np.arange(n0) / n0, np.mod(-knots_deg, 360.0) / 360.0)))
    u = u[u < 1.0]
    n0 = u.size
    az = -360.0 * u
    lon_v, lat_v = _fwd(lat, lon, az, _ranges_m(range_at, az))
    all_u, all_lon, all_lat = [u], [lon_v], [lat_v]
    # edges still to check: positions u1 -> u2 along the ring and the (lon, lat) of both ends
    nxt = np.append(np.arange(1, n0), 0)
    e_u1, e_u2 = u, np.append(u[1:], 1.0)
    e = (lon_v, lat_v, lon_v[nxt], lat_v[nxt])
    rounds = 0
    while rounds < _MAX_ROUNDS:
        rounds += 1
        err = edge_errors_m(lat, lon, range_at, *e)
        near1 = (90.0 - np.abs(e[1])) * _M_PER_DEG <= _HUG * tol_m
        near2 = (90.0 - np.abs(e[3])) * _M_PER_DEG <= _HUG * tol_m
        turn = np.abs((e[2] - e[0] + 180.0) % 360.0 - 180.0)
        turn = np.where(near1 & near2, 0.0, turn)
        bad = np.flatnonzero(
            ((err > _SAFETY * tol_m) | (turn > _MAX_DLON)) & ((e_u2 - e_u1) * 360.0 > _FLOOR_DEG)
        )
        if bad.size == 0:
            break
        k = _pieces(err[bad], turn[bad], tol_m)
        # k - 1 new vertices inside each bad edge, evenly in u
        edge = np.repeat(bad, k - 1)
        j = np.arange(edge.size) - np.repeat(np.cumsum(k - 1) - (k - 1), k - 1) + 1
        new_u = e_u1[edge] + (e_u2[edge] - e_u1[edge]) * j / np.repeat(k, k - 1)
        n_lon, n_lat = _fwd(lat, lon, -360.0 * new_u, _ranges_m(range_at, -360.0 * new_u))
        all_u.append(new_u)
        all_lon.append(n_lon)
        all_lat.append(n_lat)
        # the k pieces of each bad edge: ends = [start, new vertices..., end]
        starts = np.cumsum(k) - k  # first piece of each bad edge among the new edges
        first = np.zeros(int(k.sum()), dtype=bool)
        first[starts] = True
        last = np.zeros_like(first)
        last[starts + k - 1] = True
        lo_u = np.empty(first.size)
        hi_u = np.empty(first.size)
        lo_lon, lo_lat = np.empty(first.size), np.empty(first.size)
        hi_lon, hi_lat = np.empty(first.size), np.empty(first.size)
        lo_u[first], lo_lon[first], lo_lat[first] = e_u1[bad], e[0][bad], e[1][bad]
        lo_u[~first], lo_lon[~first], lo_lat[~first] = new_u, n_lon, n_lat
        hi_u[last], hi_lon[last], hi_lat[last] = e_u2[bad], e[2][bad], e[3][bad]
        hi_u[~last], hi_lon[~last], hi_lat[~last] = new_u, n_lon, n_lat
        e_u1, e_u2 = lo_u, hi_u
        e = (lo_lon, lo_lat, hi_lon, hi_lat)
    else:
        logger.warning("boundary refinement stopped after %d rounds", _MAX_ROUNDS)
    order = np.argsort(np.concatenate(all_u), kind="stable")
    return _Ring(
        lat,
        lon,
        np.concatenate(all_lon)[order],
        np.concatenate(all_lat)[order],
        range_at,
        tol_m,
        rounds,
    )


def _expected_winding(lat: float, lon: float, range_at: RangeAt) -> int:
    """+1 / -1 / 0 as the footprint holds the North Pole, the South Pole, neither or both."""
    inside = []
    for pole in (90.0, -90.0):
        az, _, dist = GEOD.inv(lon, lat, 0.0, pole)
        inside.append(dist == 0.0 or dist < float(_ranges_m(range_at, np.array([az]))[0]))
    north, south = inside
    return 1 if north and not south else -1 if south and not north else 0


def _contains(lat: float, lon: float, range_at: RangeAt) -> Callable[..., npt.NDArray[np.bool_]]:
    def contains(px: FloatArray, py: FloatArray) -> npt.NDArray[np.bool_]:
        n = px.size
        az, _, d = GEOD.inv(np.full(n, lon), np.full(n, lat), px, py)
        az, d = np.asarray(az, dtype=float), np.asarray(d, dtype=float)
        inside: npt.NDArray[np.bool_] = d <= _ranges_m(range_at, az)
        return inside

    return contains


def _assemble(ring: _Ring) -> tuple[Polygon | MultiPolygon, LineString]:
    """The engine's stages on one sampled ring: unwrap, repair poles, cut at +/-180."""
    rings = _Rings(lon=ring.lon_v, lat=ring.lat_v, starts=np.array([0, ring.lon_v.size]))
    x, winding = _unwrap_rings(rings)
    y, w = ring.lat_v, int(winding[0])
    cols = {
        "lat": np.array([ring.lat]),
        "lon": np.array([ring.lon]),
        "range_m": np.array([float(ring.range_at(np.array([0.0]))[0]) * 1000.0]),
        "tol_m": np.array([ring.tolerance_m]),
        "az_hi": np.array([0.0]),
        "span": np.array([360.0]),
    }
    want = _expected_winding(ring.lat, ring.lon, ring.range_at)
    repaired = _repair_poles(rings, cols, expected=lambda _i: want)
    if 0 in repaired:
        x, y, w = repaired[0]
    geom = _finish(_ring_geometry(x, y, w, _contains(ring.lat, ring.lon, ring.range_at)))
    xr = np.append(x, x[0] + 360.0 * w)
    if w == 0:  # keep the line on the site's side of the map
        xr = xr + 360.0 * round((ring.lon - 0.5 * (xr.min() + xr.max())) / 360.0)
    return geom, LineString(np.column_stack((xr, np.append(y, y[0]))))


def _bounds_km(range_at: RangeAt, bounds_km: tuple[float, float] | None) -> tuple[float, float]:
    if bounds_km is not None:
        lo, hi = (float(b) for b in bounds_km)
        if not (math.isfinite(lo) and math.isfinite(hi) and 0.0 < lo <= hi):
            raise InvalidRangeError(
                f"bounds_km={bounds_km!r}: give (smallest, largest) range over all "
                "azimuths, finite, 0 < smallest <= largest"
            )
        return lo, hi
    r = _ranges_m(range_at, np.arange(0.0, 360.0, 0.25)) / 1000.0
    return float(r.min()), float(r.max())


def _prepare(
    lat: float,
    lon: float,
    range_at: RangeAt,
    bounds_km: tuple[float, float] | None,
    tolerance_m: float | None,
) -> tuple[float, float, float, float, float]:
    if not callable(range_at):
        raise InvalidRangeError(
            f"range_km_at={range_at!r} is not callable: give a function from azimuths "
            "(degrees, an array) to ranges (km, an array of the same shape)"
        )
    lat_f, lon_f = _check_site(lat, lon)
    lo, hi = _bounds_km(range_at, bounds_km)
    tol = _check_tolerance(tolerance_m, lo) if tolerance_m is not None else None
    return lat_f, lon_f, lo, hi, default_tolerance_m(lo) if tol is None else tol


def footprint_by_azimuth(
    lat: float,
    lon: float,
    range_km_at: RangeAt,
    *,
    bounds_km: tuple[float, float] | None = None,
    knots_deg: Any = None,
    tolerance_m: float | None = None,
) -> Polygon | MultiPolygon:
    """Return the footprint whose range depends on the azimuth from the site, on WGS84.

    Every point P with ``Geod.inv(site, P)`` distance at most ``range_km_at(azimuth)`` is
    inside: the boundary is the curve ``az -> Geod.fwd(site, az, range_km_at(az))``, each
    straight lon/lat edge within ``tolerance_m`` of it (checked with Geod.inv at a quarter,
    half and three quarters of every edge).  Ranges are capped at ``WHOLE_GLOBE_KM`` per
    azimuth; from ``WHOLE_GLOBE_KM`` in every direction the footprint is the whole globe.

    Parameters
    ----------
    lat, lon
        The site, in decimal degrees.
    range_km_at
        Function from an array of azimuths (degrees clockwise from north, in [0, 360)) to
        an array of ranges (km, > 0) of the same shape; continuous and periodic.
    bounds_km
        ``(smallest, largest)`` range over all azimuths when known (else sampled every
        0.25 degree): decides the whole globe, the default tolerance and the first vertices.
    knots_deg
        Azimuths where the range function bends (e.g. the nodes of an interpolation table):
        they become vertices, so that between two vertices the curve is smooth and the
        three check points per edge see its largest error.
    tolerance_m
        How far (metres) any point of the drawn edges may lie from the true curve: at
        least 1 mm, by default a thousandth of the smallest range, at most 100 m.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        As :func:`geo.footprint` returns it (RFC 7946): counter-clockwise exteriors, cut
        at +/-180, closed along a pole it holds.

    Raises
    ------
    InvalidRangeError, InvalidCoordinateError
        A range function that is not callable or gives ranges <= 0 or not finite; a bad
        site or tolerance.

    Examples
    --------
    >>> import numpy as np
    >>> egg = footprint_by_azimuth(40.0, 128.0, lambda az: 1000 + 500 * np.sin(np.radians(az)))
    >>> egg.geom_type, egg.exterior.is_ccw, egg.bounds[2] - 128 > 128 - egg.bounds[0]
    ('Polygon', True, True)
    """
    return footprint_by_azimuth_display(
        lat, lon, range_km_at, bounds_km=bounds_km, knots_deg=knots_deg, tolerance_m=tolerance_m
    ).analysis


def footprint_by_azimuth_display(
    lat: float,
    lon: float,
    range_km_at: RangeAt,
    *,
    bounds_km: tuple[float, float] | None = None,
    knots_deg: Any = None,
    tolerance_m: float | None = None,
) -> DisplayFootprint:
    """Return :func:`footprint_by_azimuth` in both its analysis and its display form.

    Parameters are those of :func:`footprint_by_azimuth`.  ``range_km`` of the result is the
    largest range over all azimuths, ``min_range_km`` 0 and ``bearing`` None.

    Examples
    --------
    >>> import numpy as np
    >>> d = footprint_by_azimuth_display(-17.7, 178.1, lambda az: np.full(az.shape, 900.0))
    >>> d.analysis.geom_type, d.fill.geom_type, len(d.outlines)
    ('MultiPolygon', 'Polygon', 1)
    """
    lat_f, lon_f, lo, hi, tol = _prepare(lat, lon, range_km_at, bounds_km, tolerance_m)
    if lo >= WHOLE_GLOBE_KM:
        return DisplayFootprint(lat_f, lon_f, hi, 0.0, None, tol, _WORLD, _WORLD, ())
    knots = np.zeros(0) if knots_deg is None else np.asarray(knots_deg, dtype=float).ravel()
    if not np.all(np.isfinite(knots)):
        raise InvalidRangeError(f"knots_deg={knots_deg!r}: give finite azimuths in degrees")
    ring = _sample(lat_f, lon_f, range_km_at, min(hi, WHOLE_GLOBE_KM), tol, knots)
    geom, line = _assemble(ring)
    logger.debug(
        "footprint by azimuth: %d vertices, %d rounds, tolerance %g m",
        ring.lon_v.size,
        ring.rounds,
        tol,
    )
    return DisplayFootprint(
        lat=lat_f,
        lon=lon_f,
        range_km=hi,
        min_range_km=0.0,
        bearing=None,
        tolerance_m=tol,
        analysis=geom,
        fill=_display_fill(geom, lon_f),
        outlines=(line,),
    )
