"""Geodesic footprints on the WGS84 ellipsoid: disks, annuli and sectors.

A footprint is the set of points whose geodesic distance from a site is at
most the range (and at least the minimum range, and whose initial azimuth
lies in the bearing interval for a sector).  Its boundary is computed, never
approximated by a projected circle:

1. Vertices come from :meth:`pyproj.Geod.fwd` (exact to nanometres), for
   *decreasing* azimuths, so that the ring is counter-clockwise with the
   footprint on its left (RFC 7946).
2. The boundary is densified adaptively: each straight lon/lat edge is
   checked at its midpoint and split where its distance from the true
   boundary exceeds the tolerance, until every edge is within it.
3. The longitudes are unwrapped.  Their total change tells the case: +360
   encloses the North Pole, -360 the South Pole, 0 with a counter-clockwise
   ring is an ordinary disk, 0 with a clockwise ring contains both poles (the
   world minus a cap around the antipode).
4. Rings that enclose a pole are closed along it; the result is cut at
   +/-180 into an RFC 7946 Polygon or MultiPolygon.

Two geometries come out of one computation: the *analysis geometry*
(:func:`footprint`, EPSG:4326, cut at the antimeridian) for analysis and
export, and the *display form* (:func:`footprint_display`), whose longitudes
are continuous around the site so that a web map can draw it at -360, 0 and
+360 without seams.  See DESIGN.md ("Footprint geometry") for measurements.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.errors import InvalidBearingError, InvalidCoordinateError, InvalidRangeError

__all__ = [
    "ANTIPODAL_KM",
    "WHOLE_GLOBE_KM",
    "DisplayFootprint",
    "default_tolerance_m",
    "footprint",
    "footprint_display",
    "footprints",
]

FloatArray = npt.NDArray[np.float64]

#: The WGS84 ellipsoid all geometry is computed on.
GEOD = Geod(ellps="WGS84")

#: Geodesic distance from any point to its antipode: half a meridian (km).
ANTIPODAL_KM = GEOD.inv(0.0, 0.0, 180.0, 0.0)[2] / 1000.0

#: From this range on, a footprint is the whole globe.  Past the cut locus
#: (within about 35 km of the antipode on WGS84) the direct problem no longer
#: traces the boundary of the set of points within range.
WHOLE_GLOBE_KM = ANTIPODAL_KM - 35.0

_MEAN_RADIUS_M = 6_371_008.8
_M_PER_DEG = 111_000.0  # metres per degree of latitude, a slight underestimate
_MAX_DLON = 5.0  # degrees of longitude one edge may turn away from the poles
# An edge turning this much longitude passes over a pole; which way round is ambiguous.
_HALF_TURN = 180.0 - 1e-7
# An edge whose ends are both this share of the tolerance from a pole is drawn over it.
_HUG = 1e-3
# Edges are split when their estimated error exceeds this share of the
# tolerance; the estimate (see _compute_rings) is good to about 2 % of the error.
_SAFETY = 0.9
_MAX_ROUNDS = 60
# Plate carree bends edges beyond the chord sag of the circle; the initial
# vertex count allows for this factor, refinement covers the rest.  Measured
# with bench/footprint.py: 1.6 suits ranges up to 3,000 km (one pass mostly
# suffices); larger circles need many vertices only where they pass high
# latitudes, so they start coarse (0.4) and are refined where needed.
_SAG_FACTOR = 1.6
_SAG_FACTOR_LARGE = 0.4
_LARGE_M = 3.0e6
# Longitudes are quantized to multiples of 2**-36 degree (1.6 micrometres) so
# that shifting a piece by 360 degrees is exact and cut pieces meet exactly.
_QUANTUM = 2.0**-36
_WORLD = box(-180.0, -90.0, 180.0, 90.0)
_WINDOWS = (
    (box(-540.0, -90.0, -180.0, 90.0), 360.0),
    (_WORLD, 0.0),
    (box(180.0, -90.0, 540.0, 90.0), -360.0),
)


def default_tolerance_m(range_km: float) -> float:
    """Return the default boundary tolerance for a range: ``min(100 m, range / 1000)``.

    Examples
    --------
    >>> default_tolerance_m(1500)
    100.0
    >>> default_tolerance_m(50)
    50.0
    """
    return min(100.0, float(range_km))


# --- validation ------------------------------------------------------------------


def _check_site(lat: float, lon: float) -> tuple[float, float]:
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        raise InvalidCoordinateError(
            f"site coordinates ({lat!r}, {lon!r}) are not numbers; give latitude and "
            "longitude in decimal degrees, e.g. (39.03, 125.75)"
        ) from None
    if not math.isfinite(lat_f) or not -90.0 <= lat_f <= 90.0:
        raise InvalidCoordinateError(
            f"latitude {lat!r} is outside [-90, 90]; give decimal degrees north (negative south)"
        )
    if not math.isfinite(lon_f):
        raise InvalidCoordinateError(
            f"longitude {lon!r} is not a finite number; give decimal degrees east "
            "(negative west; values outside +/-180 are wrapped)"
        )
    return lat_f, _wrap_lon(lon_f)


def _wrap_lon(lon: float) -> float:
    wrapped = (lon + 180.0) % 360.0 - 180.0
    return 180.0 if wrapped == -180.0 and lon > 0 else wrapped


def _check_range(range_km: float, *, what: str = "range_km") -> float:
    try:
        value = float(range_km)
    except (TypeError, ValueError):
        raise InvalidRangeError(
            f"{what} {range_km!r} is not a number; give a distance in kilometres, e.g. 1500"
        ) from None
    if not math.isfinite(value) or value <= 0.0:
        raise InvalidRangeError(
            f"{what} {range_km!r} is not allowed; a range must be a finite number of "
            "kilometres greater than 0"
        )
    return value


def _check_tolerance(tolerance_m: float | None, range_km: float) -> float:
    if tolerance_m is None:
        return default_tolerance_m(range_km)
    try:
        value = float(tolerance_m)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value) or value <= 0.0:
        raise InvalidRangeError(
            f"tolerance_m {tolerance_m!r} is not allowed; give a finite number of metres "
            "greater than 0 (default: min(100 m, range/1000))"
        )
    return value


def _check_bearing(bearing: Sequence[float] | None) -> tuple[float, float] | None:
    if bearing is None:
        return None
    try:
        start, end = (float(b) for b in bearing)
    except (TypeError, ValueError):
        raise InvalidBearingError(
            f"bearing {bearing!r} is not a pair of numbers; give (start_deg, end_deg), "
            "clockwise from north, e.g. (45, 135)"
        ) from None
    if not (math.isfinite(start) and math.isfinite(end)):
        raise InvalidBearingError(
            f"bearing {bearing!r} is not finite; give (start_deg, end_deg) in degrees, "
            "clockwise from north"
        )
    return start, end


# --- ring computation (vectorized across rings) -----------------------------------------


@dataclass
class _Rings:
    """Densified boundary rings, vertices in boundary order, ring after ring.

    Ring ``i`` is ``lon[starts[i]:starts[i + 1]]``; each ring is stored open
    (its closing edge joins the last vertex to the first).
    """

    lon: FloatArray
    lat: FloatArray
    starts: npt.NDArray[np.intp]

    def __post_init__(self) -> None:
        # derived once, shared by unwrapping, pole repair and assembly
        n_rings = self.starts.size - 1
        #: ring index of every vertex
        self.ring_of = np.repeat(np.arange(n_rings), np.diff(self.starts))
        #: index of the next vertex along the ring (the last wraps to the first)
        self.nxt = np.arange(1, self.lon.size + 1)
        self.nxt[self.starts[1:] - 1] = self.starts[:-1]
        #: each edge's change of longitude, taking the short way round
        self.dlon = (self.lon[self.nxt] - self.lon + 180.0) % 360.0 - 180.0


def _unit(lon: FloatArray, lat: FloatArray) -> FloatArray:
    lam, phi = np.radians(lon), np.radians(lat)
    c = np.cos(phi)
    return np.stack((c * np.cos(lam), c * np.sin(lam), np.sin(phi)), axis=-1)


def _angle(a: FloatArray, b: FloatArray) -> FloatArray:
    """Central angle between unit vectors (rows), stable for small and large angles."""
    cross = np.linalg.norm(np.cross(a, b), axis=-1)
    angle: FloatArray = np.arctan2(cross, np.einsum("ij,ij->i", a, b))
    return angle


def _sph_angle(
    phi_s: FloatArray, cos_s: FloatArray, lam_s: FloatArray, lon: FloatArray, lat: FloatArray
) -> FloatArray:
    """Central angle (radians) from sites to points on the unit sphere (haversine)."""
    phi = np.radians(lat)
    h = (
        np.sin(0.5 * (phi - phi_s)) ** 2
        + cos_s * np.cos(phi) * np.sin(0.5 * (np.radians(lon) - lam_s)) ** 2
    )
    angle: FloatArray = 2.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return angle


def _chord_midpoints(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Midpoints of straight lon/lat edges, taking the short way in longitude.

    A vertex at a pole has no longitude of its own; it is drawn on the meridian
    of its neighbour (see _repair_poles), so it takes that longitude here too.
    """
    lon1 = np.where(np.abs(lat1) == 90.0, lon2, lon1)
    lon2 = np.where(np.abs(lat2) == 90.0, lon1, lon2)
    dlon = (lon2 - lon1 + 180.0) % 360.0 - 180.0
    return lon1 + 0.5 * dlon, 0.5 * (lat1 + lat2)


def _initial_count(
    range_m: FloatArray, tol_m: FloatArray, span_deg: FloatArray
) -> npt.NDArray[np.intp]:
    """Vertices per arc so that most edges already meet the tolerance.

    A chord of a circle of radius rho subtending d-theta sags by rho*d-theta^2/8;
    the geodesic circle of range r has rho ~ R*sin(r/R).  Plate carree bends
    some edges more (near the poles); adaptive refinement adds vertices there.
    """
    rho = _MEAN_RADIUS_M * np.abs(np.sin(np.minimum(range_m / _MEAN_RADIUS_M, np.pi / 2)))
    factor = np.where(range_m <= _LARGE_M, _SAG_FACTOR, _SAG_FACTOR_LARGE)
    step = np.sqrt(8.0 * tol_m * _SAFETY / (factor * np.maximum(rho, 1e-3)))
    n = np.ceil(np.radians(span_deg) / np.minimum(step, np.radians(15.0)))
    count: npt.NDArray[np.intp] = np.maximum(n, 8).astype(np.intp)
    return count


class _RingParams:
    """Maps a position ``u`` along each ring to the (azimuth, distance) of its vertex.

    Disks: ``u`` in [0, 1) runs the azimuth from ``az_hi`` down through 360 degrees.
    Sectors: [0, 1) out from the site along ``az_hi``, [1, 2] the arc from
    ``az_hi`` down to ``az_hi - span``, (2, 3) back along that azimuth; 3 is the
    site again.  Splitting an edge at the mean ``u`` of its ends gives the
    vertex halfway along the true boundary between them.
    """

    def __init__(self, range_m: FloatArray, az_hi: FloatArray, span_deg: FloatArray) -> None:
        self.range_m, self.az_hi, self.span = range_m, az_hi, span_deg
        self.full = span_deg >= 360.0
        self.period = np.where(self.full, 1.0, 3.0)

    def at(self, ring: npt.NDArray[np.intp], u: FloatArray) -> tuple[FloatArray, FloatArray]:
        r, a_hi, span = self.range_m[ring], self.az_hi[ring], self.span[ring]
        full = self.full[ring]
        az = np.where(full, a_hi - 360.0 * u, a_hi - span * np.clip(u - 1.0, 0.0, 1.0))
        d = np.where(full | ((u >= 1.0) & (u <= 2.0)), r, r * np.where(u < 1.0, u, 3.0 - u))
        return az, d

    def is_arc(
        self, ring: npt.NDArray[np.intp], u1: FloatArray, u2: FloatArray
    ) -> npt.NDArray[np.bool_]:
        return self.full[ring] | ((u1 >= 1.0) & (u2 <= 2.0))


def _compute_rings(
    lat: FloatArray,
    lon: FloatArray,
    range_m: FloatArray,
    tol_m: FloatArray,
    az_hi: FloatArray,
    span_deg: FloatArray,
) -> _Rings:
    """Boundary rings for disks (span 360) and sectors (span < 360), densified.

    Every vertex is ``Geod.fwd(site, az, dist)``, exact.  An edge whose
    lon/lat midpoint lies farther than the tolerance from the true boundary is
    split at the boundary point halfway between its ends; only the two new
    edges are checked again.  All rings advance together, one ``Geod.fwd``
    call per round.
    """
    n_rings = lat.size
    params = _RingParams(range_m, az_hi, span_deg)
    full = params.full
    n_arc = _initial_count(range_m, tol_m, span_deg)
    n_side = np.where(full, 0, np.ceil(range_m / 1.0e6).astype(np.intp) + 1)
    # sectors: the site, n_side - 1 points out, n_arc + 1 on the arc, n_side - 1 back
    counts = np.where(full, n_arc, 2 * n_side + n_arc)
    ring = np.repeat(np.arange(n_rings), counts)
    first = np.zeros(n_rings, dtype=np.intp)
    np.cumsum(counts[:-1], out=first[1:])
    k = (np.arange(ring.size) - first[ring]).astype(float)
    ns, na = n_side[ring].astype(float), n_arc[ring].astype(float)
    u = np.where(
        full[ring],
        k / np.maximum(na, 1.0),
        np.where(
            k < ns,
            k / np.maximum(ns, 1.0),
            np.where(
                k <= ns + na,
                1.0 + (k - ns) / np.maximum(na, 1.0),
                2.0 + (k - ns - na) / np.maximum(ns, 1.0),
            ),
        ),
    )
    az, dist = params.at(ring, u)
    v_lon, v_lat = _fwd(lon[ring], lat[ring], az, dist)

    phi_s, lam_s = np.radians(lat), np.radians(lon)
    cos_s = np.cos(phi_s)
    v_s = _sph_angle(phi_s[ring], cos_s[ring], lam_s[ring], v_lon, v_lat)

    # initial edges: each vertex to the next, the last of a ring to its first
    nxt = np.arange(1, ring.size + 1)
    last = first + counts - 1
    nxt[last] = first
    u2 = u[nxt]
    u2[last] = params.period
    edges = (ring, u, u2, v_lon, v_lat, v_s, v_lon[nxt], v_lat[nxt], v_s[nxt])

    out_ring, out_u, out_lon, out_lat = [ring], [u], [v_lon], [v_lat]
    for _ in range(_MAX_ROUNDS):
        e_ring, e_u1, e_u2, lon1, lat1, s1, lon2, lat2, s2 = edges
        if e_ring.size == 0:
            break
        mlon, mlat = _chord_midpoints(lon1, lat1, lon2, lat2)
        arc = params.is_arc(e_ring, e_u1, e_u2)
        err = np.empty(e_ring.size)
        sm = _sph_angle(phi_s[e_ring], cos_s[e_ring], lam_s[e_ring], mlon, mlat)
        ref = 0.5 * (s1 + s2)
        # Arc edges: radial offset of the midpoint from the circle.  The
        # spherical angle, scaled so the (exact) vertices sit at the range, is
        # good to about 2 % of the error: the sphere-to-ellipsoid scale varies
        # by well under 1 % along an edge.  The tests check against Geod.inv.
        err[arc] = np.abs(sm[arc] - ref[arc]) * (
            range_m[e_ring[arc]] / np.maximum(ref[arc], 1e-300)
        )
        side = ~arc
        if side.any():
            err[side] = _side_error(
                _unit(lon1[side], lat1[side]),
                _unit(lon2[side], lat2[side]),
                _unit(mlon[side], mlat[side]),
            )
        # Near a pole, an edge may be within the tolerance and still cut across
        # another part of the boundary in lon/lat (two sides passing the pole a
        # metre apart): edges also turn at most _MAX_DLON degrees of longitude,
        # unless both ends hug the pole (then _repair_poles routes them over it).
        near1 = (90.0 - np.abs(lat1)) * _M_PER_DEG <= _HUG * tol_m[e_ring]
        near2 = (90.0 - np.abs(lat2)) * _M_PER_DEG <= _HUG * tol_m[e_ring]
        turn = np.abs((lon2 - lon1 + 180.0) % 360.0 - 180.0)
        bad = np.flatnonzero(
            (err > _SAFETY * tol_m[e_ring]) | ((turn > _MAX_DLON) & ~(near1 & near2))
        )
        if bad.size == 0:
            break
        b_ring = e_ring[bad]
        b_u = 0.5 * (e_u1[bad] + e_u2[bad])
        b_az, b_d = params.at(b_ring, b_u)
        b_lon, b_lat = _fwd(lon[b_ring], lat[b_ring], b_az, b_d)
        b_s = _sph_angle(phi_s[b_ring], cos_s[b_ring], lam_s[b_ring], b_lon, b_lat)
        out_ring.append(b_ring)
        out_u.append(b_u)
        out_lon.append(b_lon)
        out_lat.append(b_lat)
        cat = np.concatenate
        edges = (
            cat((b_ring, b_ring)),
            cat((e_u1[bad], b_u)),
            cat((b_u, e_u2[bad])),
            cat((lon1[bad], b_lon)),
            cat((lat1[bad], b_lat)),
            cat((s1[bad], b_s)),
            cat((b_lon, lon2[bad])),
            cat((b_lat, lat2[bad])),
            cat((b_s, s2[bad])),
        )
    all_ring = np.concatenate(out_ring)
    order = np.lexsort((np.concatenate(out_u), all_ring))
    starts = np.zeros(n_rings + 1, dtype=np.intp)
    np.cumsum(np.bincount(all_ring, minlength=n_rings), out=starts[1:])
    return _Rings(
        lon=np.concatenate(out_lon)[order], lat=np.concatenate(out_lat)[order], starts=starts
    )


def _fwd(
    lon: FloatArray, lat: FloatArray, az: FloatArray, dist: FloatArray
) -> tuple[FloatArray, FloatArray]:
    out_lon, out_lat, _ = GEOD.fwd(lon, lat, az, dist, return_back_azimuth=False)
    return np.asarray(out_lon, dtype=float), np.asarray(out_lat, dtype=float)


def _side_error(v1: FloatArray, v2: FloatArray, mid: FloatArray) -> FloatArray:
    """Distance (m) of an edge's lon/lat midpoint from the great circle through its ends.

    Over one edge the geodesic and the great circle through its ends differ by
    far less than any tolerance in use; near a pole the lon/lat midpoint
    strays from both, which is what this measures.
    """
    normal = np.cross(v1, v2)
    norm = np.linalg.norm(normal, axis=-1)
    ok = norm > 1e-15
    out = np.zeros(v1.shape[0])
    out[ok] = np.abs(
        np.arcsin(np.clip(np.einsum("ij,ij->i", mid[ok], normal[ok]) / norm[ok], -1, 1))
    )
    # The midpoint must also lie between the ends, not on the far side of the sphere.
    along = _angle(v1, mid) + _angle(mid, v2) - _angle(v1, v2)
    return np.maximum(out, np.abs(along)) * _MEAN_RADIUS_M


# --- assembly -----------------------------------------------------------------------


def _unwrap_rings(rings: _Rings) -> tuple[FloatArray, npt.NDArray[np.intp]]:
    """Continuous longitudes of every ring and each ring's winding around the poles."""
    lon, starts = rings.lon, rings.starts
    # Each edge takes the short way in longitude; count the +/-360 jumps that
    # takes (integers, so the sums are exact and independent of other rings).
    raw = lon[rings.nxt] - lon
    jumps = np.rint((rings.dlon - raw) / 360.0).astype(np.intp)
    winding = np.add.reduceat(jumps, starts[:-1])
    before = np.concatenate(([0], np.cumsum(jumps)[:-1]))
    k = before - before[starts[:-1]][rings.ring_of]
    x = lon + 360.0 * k
    return _quantize(x), winding


def _repair_poles(
    rings: _Rings, cols: dict[str, FloatArray]
) -> dict[int, tuple[FloatArray, FloatArray, int]]:
    """Rings that touch or graze a pole, drawn through the pole and made unambiguous.

    A boundary can pass through a pole, or closer to it than the tolerance (a
    sector side due north from a site, say).  Straight lon/lat edges are then
    wrong in topology though right in distance: an edge across the pole would
    cut the map at a latitude just below it.  So a vertex at the pole is drawn
    on the meridians of its neighbours, joined along the pole; an edge whose
    ends both lie within a thousandth of the tolerance of a pole and that turns 90 degrees
    of longitude or more is drawn up to the pole, along it and down (every
    point of that detour stays within the tolerance of the true boundary).  An
    edge that turns exactly 180 degrees could go either way round; the way is
    chosen so that the ring winds round a pole exactly when the footprint holds
    that pole, decided with Geod.inv independently of the ring.  Returns
    {ring: (continuous lon, lat, winding)} for the rings that needed it.
    """
    lon, lat, starts = rings.lon, rings.lat, rings.starts
    ring_of, nxt, dlon = rings.ring_of, rings.nxt, rings.dlon
    if np.abs(lat).max() < 89.0 and np.abs(dlon).max() < _HALF_TURN:
        return {}  # the common case: no ring comes near a pole
    near = (90.0 - np.abs(lat)) * _M_PER_DEG <= _HUG * cols["tol_m"][ring_of]
    graze = near & near[nxt] & (np.sign(lat) == np.sign(lat[nxt])) & (np.abs(dlon) >= 90.0)
    odd = (np.abs(lat) == 90.0) | graze | (np.abs(dlon) >= _HALF_TURN)
    out: dict[int, tuple[FloatArray, FloatArray, int]] = {}
    for i in np.unique(ring_of[odd]).tolist():
        a, b = starts[i], starts[i + 1]
        x, y, g = lon[a:b], lat[a:b], graze[a:b] | (np.abs(dlon[a:b]) >= _HALF_TURN)
        keep = np.abs(y) != 90.0
        if not keep.any():
            continue
        # drop vertices at a pole; the edge that replaces them goes round the pole
        idx = np.flatnonzero(keep)
        gap = np.ones(idx.size, dtype=bool)  # edge from kept vertex j to the next kept one
        gap[:] = False
        for j, k in enumerate(idx):
            k_next = idx[(j + 1) % idx.size]
            gap[j] = bool(g[k]) or (k_next != (k + 1) % x.size)
        xs: list[float] = []
        ys: list[float] = []
        steps: list[float] = []
        ambiguous: list[int] = []
        for j, k in enumerate(idx):
            k_next = idx[(j + 1) % idx.size]
            d = float((x[k_next] - x[k] + 180.0) % 360.0 - 180.0)
            xs.append(float(x[k]))
            ys.append(float(y[k]))
            if gap[j]:
                pole = 90.0 if y[k] > 0 else -90.0
                xs += [float(x[k]), float(x[k_next])]
                ys += [pole, pole]
                steps += [0.0, d, 0.0]
                if abs(d) >= _HALF_TURN:
                    ambiguous.append(len(steps) - 2)
            else:
                steps.append(d)
                if abs(d) >= _HALF_TURN:
                    ambiguous.append(len(steps) - 1)
        d_arr = np.asarray(steps)
        winding = int(np.rint(d_arr.sum() / 360.0))
        want = _expected_winding(cols, i)
        if winding != want and ambiguous:
            d_arr[ambiguous[0]] += 360.0 * (want - winding)
            winding = want
        xu = xs[0] + np.concatenate(([0.0], np.cumsum(d_arr[:-1])))
        out[i] = (_quantize(xu), np.asarray(ys), winding)
    return out


def _ring_contains(cols: dict[str, FloatArray], i: int) -> _Contains:
    """The exact membership test of ring i's region (disk or sector), by Geod.inv."""
    lat, lon, r = cols["lat"][i], cols["lon"][i], cols["range_m"][i]
    az_hi, span = cols["az_hi"][i], cols["span"][i]

    def contains(px: FloatArray, py: FloatArray) -> npt.NDArray[np.bool_]:
        n = px.size
        az, _, dist = GEOD.inv(np.full(n, lon), np.full(n, lat), px, py)
        dist, az = np.asarray(dist), np.asarray(az)
        within: npt.NDArray[np.bool_] = dist <= r
        if span < 360.0:
            within &= ((az_hi - az) % 360.0 <= span) | (dist == 0.0)
        return within

    return contains


def _expected_winding(cols: dict[str, FloatArray], i: int) -> int:
    """+1 / -1 / 0 as ring i's region holds the North Pole, the South Pole, neither or both
    (strictly: a pole on the boundary counts as outside)."""
    lat, lon, r = cols["lat"][i], cols["lon"][i], cols["range_m"][i]
    az_hi, span = cols["az_hi"][i], cols["span"][i]
    inside = []
    for pole in (90.0, -90.0):
        az, _, dist = GEOD.inv(lon, lat, 0.0, pole)
        within = dist < r
        if span < 360.0 and within and dist > 0:
            rel = (az_hi - az) % 360.0
            within = 0.0 < rel < span
        inside.append(within)
    north, south = inside
    return 1 if north and not south else -1 if south and not north else 0


def _quantize(x: FloatArray) -> FloatArray:
    return np.round(x / _QUANTUM) * _QUANTUM


def _signed_area(x: FloatArray, y: FloatArray) -> float:
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _split(poly: BaseGeometry) -> BaseGeometry:
    """Cut a polygon in continuous longitudes into its pieces within [-180, 180]."""
    x_min, _, x_max, _ = poly.bounds
    pieces = []
    for window, shift in _WINDOWS:
        w_min, _, w_max, _ = window.bounds
        if x_max <= w_min or x_min >= w_max:
            continue
        part = shapely.intersection(poly, window)
        if part.area > 0:
            pieces.append(shapely.transform(part, lambda c, s=shift: c + np.array([s, 0.0])))
    if len(pieces) == 1:
        return pieces[0]
    polys = [p for p in shapely.get_parts(pieces) if isinstance(p, Polygon) and p.area > 0]
    return MultiPolygon(polys)


def _crossings(x: FloatArray, y: FloatArray, c: float) -> tuple[npt.NDArray[np.intp], FloatArray]:
    """Edges (i, i+1) of the open path x, y that cross the meridian x = c, and the
    latitude of each crossing."""
    west = x < c  # a vertex exactly on the meridian counts as east of it
    idx = np.flatnonzero(west[:-1] != west[1:])
    t = (c - x[idx]) / (x[idx + 1] - x[idx])
    return idx, y[idx] + t * (y[idx + 1] - y[idx])


def _cut_disk(x: FloatArray, y: FloatArray) -> BaseGeometry | None:
    """Cut a ring that does not wind around a pole and crosses +/-180 exactly twice
    into its two pieces directly; None where that does not apply."""
    c = 180.0 if x.max() > 180.0 else -180.0
    xs, ys = np.append(x, x[0]), np.append(y, y[0])
    found = _crossings(xs, ys, c)
    if found[0].size != 2:
        return None
    (i, j), (yi, yj) = found
    piece_a = np.column_stack(
        (
            np.concatenate(([c], xs[i + 1 : j + 1], [c])),
            np.concatenate(([yi], ys[i + 1 : j + 1], [yj])),
        )
    )
    piece_b = np.column_stack(
        (
            np.concatenate(([c], xs[j + 1 : -1], xs[: i + 1], [c])),
            np.concatenate(([yj], ys[j + 1 : -1], ys[: i + 1], [yi])),
        )
    )
    parts = []
    for ring in (piece_a, piece_b):
        if abs(float(ring[1:-1, 0].mean())) > 180.0:
            ring = ring - (360.0 * np.sign(c), 0.0)
        parts.append(Polygon(ring))
    cut = MultiPolygon(parts)
    return cut if cut.is_valid else None  # e.g. a side running along the cut meridian


def _cut_polar(x: FloatArray, y: FloatArray, winding: int) -> BaseGeometry | None:
    """Cut a ring winding once around a pole where it crosses the cut meridian (once)
    and close it along the pole directly; None where that does not apply."""
    xs = np.append(x, x[0] + 360.0 * winding)
    ys = np.append(y, y[0])
    lo, hi = min(xs[0], xs[-1]), max(xs[0], xs[-1])
    c = 180.0 + 360.0 * np.floor((hi - 180.0) / 360.0)  # the odd multiple of 180 in (lo, hi]
    if c <= lo or c == hi:
        return None
    found = _crossings(xs, ys, c)
    if found[0].size != 1:
        return None
    i, yc = int(found[0][0]), float(found[1][0])
    # from the crossing round the pole back to it: x runs over exactly 360 degrees
    xr = np.concatenate(([c], xs[i + 1 : -1], xs[: i + 1] + 360.0 * winding, [c + 360.0 * winding]))
    yr = np.concatenate(([yc], ys[i + 1 : -1], ys[: i + 1], [yc]))
    xr = xr - (c + 180.0 if winding > 0 else c - 180.0)  # exact: c is an odd multiple of 180
    if xr.min() < -180.0 or xr.max() > 180.0:  # the ring strays over another cut meridian
        return None
    pole = 90.0 if winding > 0 else -90.0
    end = 180.0 * winding
    ring = np.column_stack((np.concatenate((xr, [end, -end])), np.concatenate((yr, [pole, pole]))))
    cut = Polygon(ring)
    return cut if cut.is_valid else None


def _ring_geometry(
    x: FloatArray, lat: FloatArray, winding: int, contains: _Contains
) -> BaseGeometry:
    """Analysis geometry of one ring given in continuous (quantized) longitudes.

    The common shapes are cut directly; anything else (a ring that wraps more
    than once round the map, or touches itself near a pole) goes through
    :func:`_arrangement`, which decides each face with Geod.inv.
    """
    ring = np.column_stack((x, lat))
    inside = x.min() >= -180.0 and x.max() <= 180.0
    candidate: BaseGeometry | None = None
    if winding == 0 and _signed_area(x, lat) > 0:
        candidate = Polygon(ring) if inside else _cut_disk(x, lat)
    elif winding == 0:
        # Clockwise: the footprint holds both poles; it is the world minus the cap
        # around the antipode, which this ring bounds.
        if inside:
            candidate = Polygon(_WORLD.exterior.coords, [ring])
        else:
            cap = _cut_disk(x[::-1], lat[::-1])
            candidate = None if cap is None else shapely.difference(_WORLD, cap)
    else:
        candidate = _cut_polar(x, lat, winding)
    if candidate is not None and candidate.is_valid:
        return candidate
    return _arrangement(x, lat, winding, contains)


_Contains = Callable[[FloatArray, FloatArray], npt.NDArray[np.bool_]]


def _arrangement(x: FloatArray, y: FloatArray, winding: int, contains: _Contains) -> BaseGeometry:
    """The footprint bounded by a ring of any shape, from the faces its lines cut the map into.

    The ring (continuous longitudes, possibly spanning several turns) is cut
    into the [-180, 180] window, noded with the map's frame, and polygonized;
    each face is kept when an interior point of it lies in the footprint by
    Geod.inv.  Faces are bounded by the drawn ring, so each lies wholly on one
    side of it; only slivers narrower than the tolerance can be decided either
    way, which the tolerance allows.
    """
    xs = np.append(x, x[0] + 360.0 * winding)
    ys = np.append(y, y[0])
    line = LineString(np.column_stack((xs, ys)))
    k_lo = int(np.floor((xs.min() + 180.0) / 360.0))
    k_hi = int(np.floor((xs.max() + 180.0) / 360.0))
    pieces = [_WORLD.boundary]
    for k in range(k_lo, k_hi + 1):
        shift = 360.0 * k
        part = shapely.intersection(line, box(shift - 180.0, -90.0, shift + 180.0, 90.0))
        if not part.is_empty:
            pieces.append(shapely.transform(part, lambda c, s=shift: c - np.array([s, 0.0])))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(pieces))))
    faces = np.asarray([f for f in faces if f.area > 0], dtype=object)
    if faces.size == 0:
        return Polygon()
    points = shapely.point_on_surface(faces)
    keep = contains(shapely.get_x(points), shapely.get_y(points))
    return shapely.union_all(faces[keep]) if keep.any() else Polygon()


def _finish(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """Orient (CCW exteriors, CW holes), drop slivers of zero area, return (Multi)Polygon."""
    polys = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon) and g.area > 0]
    if not polys:
        return Polygon()
    if len(polys) > 1:  # slivers left by cutting and subtracting (relative area < 1e-9)
        largest = max(p.area for p in polys)
        polys = [p for p in polys if p.area > 1e-9 * largest]
    out: Polygon | MultiPolygon = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    oriented = shapely.orient_polygons(out, exterior_cw=False)
    assert isinstance(oriented, Polygon | MultiPolygon)
    return oriented


@dataclass(frozen=True)
class DisplayFootprint:
    """A footprint in the two forms a map needs.

    Attributes
    ----------
    analysis
        The footprint as :func:`footprint` returns it (cut at +/-180, for analysis and export).
    fill
        The same area with longitudes continuous around the site (within
        ``[lon - 180, lon + 180]``), to be drawn at longitude offsets -360, 0 and +360.
    outlines
        The true boundary rings as lines with continuous longitudes (no pole
        closure, no cut); a disk has one, an annulus two.
    tolerance_m
        The largest distance between the drawn boundary and the true one.
    """

    lat: float
    lon: float
    range_km: float
    min_range_km: float
    bearing: tuple[float, float] | None
    tolerance_m: float
    analysis: Polygon | MultiPolygon
    fill: Polygon | MultiPolygon
    outlines: tuple[LineString, ...]


@dataclass
class _Spec:
    lat: float
    lon: float
    range_km: float
    min_range_km: float
    bearing: tuple[float, float] | None
    tolerance_m: float | None


def _prepare(
    lat: float,
    lon: float,
    range_km: float,
    min_range_km: float,
    bearing: Sequence[float] | None,
    tolerance_m: float | None,
) -> _Spec:
    lat_f, lon_f = _check_site(lat, lon)
    r = _check_range(range_km)
    m = 0.0
    if min_range_km is not None and min_range_km != 0:
        m = _check_range(min_range_km, what="min_range_km")
        if m >= r:
            raise InvalidRangeError(
                f"min_range_km {min_range_km!r} is not less than range_km {range_km!r}; "
                "the minimum range must be smaller than the maximum range"
            )
    if tolerance_m is not None:
        _check_tolerance(tolerance_m, r)
    return _Spec(lat_f, lon_f, r, m, _check_bearing(bearing), tolerance_m)


def _sector_azimuths(bearing: tuple[float, float] | None) -> tuple[float, float]:
    """(az_hi, span) for a bearing interval clockwise from start to end."""
    if bearing is None:
        return 0.0, 360.0
    start, end = bearing
    span = (end - start) % 360.0
    if span == 0.0 and end != start:
        span = 360.0  # e.g. (0, 360): the whole circle
    if span == 0.0:
        raise InvalidBearingError(
            f"bearing {bearing!r} has zero width; give (start_deg, end_deg) with end clockwise "
            "of start, e.g. (45, 135), or leave bearing out for the full circle"
        )
    return start + span, span


def _ring_specs(
    specs: Sequence[_Spec],
) -> tuple[dict[str, FloatArray], list[tuple[int | None, int | None, float]]]:
    """The boundary rings the specs need: (ring arrays, per spec (outer, inner, tolerance))."""
    cols: dict[str, list[float]] = {
        k: [] for k in ("lat", "lon", "range_m", "tol_m", "az_hi", "span")
    }
    plan: list[tuple[int | None, int | None, float]] = []

    def add(s: _Spec, range_km: float, tol: float, az_hi: float, span: float) -> int:
        range_m = range_km * 1000.0
        for key, value in zip(cols, (s.lat, s.lon, range_m, tol, az_hi, span), strict=True):
            cols[key].append(value)
        return len(cols["lat"]) - 1

    for s in specs:
        outer = inner = None
        az_hi, span = _sector_azimuths(s.bearing)
        tol = _check_tolerance(s.tolerance_m, s.range_km)
        if abs(s.lat) == 90.0 and span < 360.0:
            plan.append((None, None, tol))  # a sector from a pole: see _polar_sector
            continue
        if s.range_km < WHOLE_GLOBE_KM:
            outer = add(s, s.range_km, tol, az_hi, span)
        elif span < 360.0:
            # A sector past the cut locus: drawn to just short of the antipode.
            outer = add(s, WHOLE_GLOBE_KM, tol, az_hi, span)
        if s.min_range_km > 0:
            tol_in = _check_tolerance(s.tolerance_m, s.min_range_km)
            # a sector minus the whole inner disk: the sector's sides are cut cleanly,
            # not subtracted from coinciding inner sides (which leaves zero-width spikes)
            inner = add(s, min(s.min_range_km, WHOLE_GLOBE_KM), tol_in, 0.0, 360.0)
            tol = max(tol, tol_in)
        plan.append((outer, inner, tol))
    arrays = {k: np.asarray(v, dtype=float) for k, v in cols.items()}
    # A circle through a pole (or within a hair of it) has no well-defined
    # winding in lon/lat: draw it a quarter tolerance off the pole, and densify
    # to half the tolerance, so that the drawing stays within the tolerance.
    r, tol_m = arrays["range_m"], arrays["tol_m"]
    for pole in (90.0, -90.0):
        # meridian distance to the pole, roughly (within 1 %), decides who needs Geod.inv
        rough = np.abs(pole - arrays["lat"]) * 111_132.0
        maybe = np.flatnonzero(np.abs(rough - r) < 0.02 * rough + tol_m)
        if maybe.size == 0:
            continue
        d_pole = np.full(r.size, np.inf)
        d_pole[maybe] = GEOD.inv(
            arrays["lon"][maybe],
            arrays["lat"][maybe],
            np.zeros(maybe.size),
            np.full(maybe.size, pole),
        )[2]
        close = np.abs(d_pole - r) < 0.25 * tol_m
        r[close] = np.asarray(d_pole)[close] - 0.25 * tol_m[close]
        tol_m[close] *= 0.5
    return arrays, plan


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
            cols["lat"], cols["lon"], cols["range_m"], cols["tol_m"], cols["az_hi"], cols["span"]
        )
        x, winding = _unwrap_rings(rings)
        starts, lat, ring_of, nxt = rings.starts, rings.lat, rings.ring_of, rings.nxt
        repaired = _repair_poles(rings, cols)
        for i, (_, _, w) in repaired.items():
            winding[i] = w
        # signed area of each ring (shoelace, closing edge included)
        x_next = x[nxt] + np.where(nxt < np.arange(x.size), 360.0 * winding[ring_of], 0.0)
        area2 = np.add.reduceat(x * lat[nxt] - x_next * lat, starts[:-1])
        simple = (winding == 0) & (area2 > 0)
        simple[list(repaired)] = False
        # rings that pass close to a pole are checked for validity one by one (_finish)
        pole_gap_m = (90.0 - np.maximum.reduceat(np.abs(lat), starts[:-1])) * _M_PER_DEG
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
            polar, line = _polar_sector(spec)
            if polar is not None:
                built.analysis.append(polar)
                built.tolerance_m.append(tol)
                built.outlines.append([line] if outlines else [])
                continue
        geom = _WORLD if outer is None else geoms[outer]
        if inner is not None:
            geom = _finish(shapely.difference(geom, geoms[inner]))
        built.analysis.append(geom)
        built.tolerance_m.append(tol)
        built.outlines.append(
            [lines[i] for i in (outer, inner) if i is not None] if outlines else []
        )
    return built


def _polar_sector(spec: _Spec) -> tuple[Polygon | MultiPolygon | None, LineString]:
    """A sector from a pole: a lon/lat rectangle, exactly.

    From a pole every geodesic is a meridian and every geodesic circle a
    parallel, both straight in lon/lat, so no densification is needed.  From
    the North Pole azimuth ``a`` leaves along longitude ``lon + 180 - a``; from
    the South Pole along ``lon + a`` (pyproj's convention, checked in the tests).
    """
    az_hi, span = _sector_azimuths(spec.bearing)
    if span >= 360.0:
        return None, LineString()
    north = spec.lat > 0
    pole = 90.0 if north else -90.0
    r_out = min(spec.range_km, ANTIPODAL_KM) * 1000.0
    lat_out = (
        float(GEOD.fwd(spec.lon, spec.lat, 0.0, r_out)[1])
        if r_out < ANTIPODAL_KM * 1000.0
        else -pole
    )
    lat_in = pole
    if spec.min_range_km > 0:
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


def _display_fill(analysis: Polygon | MultiPolygon, site_lon: float) -> Polygon | MultiPolygon:
    """The analysis geometry re-joined across +/-180 around the site's longitude."""
    bounds = analysis.bounds
    if not analysis.is_empty and bounds[0] > -180.0 and bounds[2] < 180.0 and abs(site_lon) <= 180:
        # does not touch the antimeridian: already continuous
        return analysis
    window = box(site_lon - 180.0, -90.0, site_lon + 180.0, 90.0)
    copies = [
        shapely.transform(analysis, lambda c, s=s: c + np.array([s, 0.0]))
        for s in (-360.0, 0.0, 360.0)
    ]
    joined = shapely.intersection(shapely.union_all(copies), window)
    return _finish(joined)


# --- public API -----------------------------------------------------------------------


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
        edges) and the true geodesic boundary.  Default ``min(100 m, range/1000)``.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        In lon/lat (EPSG:4326), counter-clockwise exteriors and clockwise holes
        (RFC 7946), longitudes within [-180, 180], cut at the antimeridian, closed
        along a pole the footprint contains.  From ``WHOLE_GLOBE_KM`` on, the
        whole globe.

    Raises
    ------
    InvalidRangeError, InvalidCoordinateError, InvalidBearingError
        For a range <= 0 or not finite, min >= max, a latitude outside
        [-90, 90], a longitude or bearing that is not finite.

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


def footprint_display(
    lat: float,
    lon: float,
    range_km: float,
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    tolerance_m: float | None = None,
) -> DisplayFootprint:
    """Return a footprint in both its analysis form and its display form for web maps.

    Leaflet draws straight segments in Web Mercator and never wraps longitudes,
    so a footprint cut at +/-180 shows as two slivers at opposite map edges.
    The display form keeps longitudes continuous around the site; a renderer
    draws it at offsets -360, 0 and +360 and fills it without a stroke, drawing
    ``outlines`` as lines, so neither the cut nor the pole closure shows.

    Parameters are those of :func:`footprint`.

    Examples
    --------
    >>> import geo
    >>> d = geo.footprint_display(-17.7134, 178.065, 1000)  # Fiji: crosses the dateline
    >>> d.analysis.geom_type, d.fill.geom_type, len(d.outlines)
    ('MultiPolygon', 'Polygon', 1)
    >>> d.fill.bounds[2] > 180
    True
    """
    spec = _prepare(lat, lon, range_km, min_range_km, bearing, tolerance_m)
    built = _build([spec], outlines=True)
    analysis, tol = built.analysis[0], built.tolerance_m[0]
    fill = _display_fill(analysis, spec.lon)
    outlines = built.outlines[0]
    return DisplayFootprint(
        lat=spec.lat,
        lon=spec.lon,
        range_km=spec.range_km,
        min_range_km=spec.min_range_km,
        bearing=spec.bearing,
        tolerance_m=tol,
        analysis=analysis,
        fill=fill,
        outlines=tuple(outlines),
    )


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
