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
from collections.abc import Mapping, Sequence
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
# Edges are split when their estimated error exceeds this share of the
# tolerance; the estimate (see _arc_error) is good to about 2 % of the error.
_SAFETY = 0.8
_MAX_ROUNDS = 60
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
    """Densified boundary rings, flattened: vertex k belongs to ring ``ring[k]``."""

    ring: npt.NDArray[np.intp]
    lon: FloatArray
    lat: FloatArray
    starts: npt.NDArray[np.intp]  # first vertex of each ring, plus the total at the end


def _unit(lon: FloatArray, lat: FloatArray) -> FloatArray:
    lam, phi = np.radians(lon), np.radians(lat)
    c = np.cos(phi)
    return np.stack((c * np.cos(lam), c * np.sin(lam), np.sin(phi)), axis=-1)


def _angle(a: FloatArray, b: FloatArray) -> FloatArray:
    """Central angle between unit vectors (rows), stable for small and large angles."""
    cross = np.linalg.norm(np.cross(a, b), axis=-1)
    return np.arctan2(cross, np.einsum("ij,ij->i", a, b))


def _chord_midpoints(lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Midpoints of straight lon/lat edges, taking the short way in longitude."""
    dlon = (lon2 - lon1 + 180.0) % 360.0 - 180.0
    return lon1 + 0.5 * dlon, 0.5 * (lat1 + lat2)


def _initial_count(range_m: FloatArray, tol_m: FloatArray, span_deg: FloatArray) -> npt.NDArray[np.intp]:
    """Vertices per arc so that most edges already meet the tolerance.

    A chord of a circle of radius rho subtending d-theta sags by rho*d-theta^2/8;
    the geodesic circle of range r has rho ~ R*sin(r/R); plate carree bends the
    straight edges some more, which the factor 1.6 allows for.
    """
    rho = _MEAN_RADIUS_M * np.abs(np.sin(np.minimum(range_m / _MEAN_RADIUS_M, np.pi / 2)))
    rho = np.maximum(rho, range_m * 0.0 + 1e-3)
    step = np.sqrt(8.0 * tol_m * _SAFETY / (1.6 * rho))
    n = np.ceil(np.radians(span_deg) / np.minimum(step, np.radians(15.0)))
    return np.maximum(n, 8).astype(np.intp)


def _compute_rings(
    lat: FloatArray,
    lon: FloatArray,
    range_m: FloatArray,
    tol_m: FloatArray,
    az_hi: FloatArray,
    span_deg: FloatArray,
) -> _Rings:
    """Boundary rings for disks (span 360) and sectors (span < 360), densified.

    Each ring is stored open (its closing edge joins the last vertex to the
    first).  Disk rings run from ``az_hi`` down through 360 degrees; sector rings
    run site -> out along ``az_hi`` -> arc down to ``az_hi - span`` -> back along
    that azimuth to the site.  Every vertex is a point ``Geod.fwd(site, az, dist)``
    and is recorded by its (az, dist) so edges can be split exactly.
    """
    n_rings = lat.size
    full = span_deg >= 360.0
    n_arc = _initial_count(range_m, tol_m, span_deg)
    n_arc = np.where(full, n_arc, n_arc + 1)  # sectors include both arc ends
    # Sides: start with vertices every ~1000 km; refinement adds what is needed.
    n_side = np.where(full, 0, np.ceil(range_m / 1.0e6).astype(np.intp) + 1)
    # per ring: [site] + side_out (n_side-1 interior pts) + arc + side_in (n_side-1)
    counts = np.where(full, n_arc, 1 + 2 * (n_side - 1) + n_arc)
    starts = np.zeros(n_rings + 1, dtype=np.intp)
    np.cumsum(counts, out=starts[1:])
    total = int(starts[-1])
    ring = np.repeat(np.arange(n_rings), counts)
    local = np.arange(total) - starts[ring]

    az = np.empty(total)
    dist = np.empty(total)
    # disks
    fr = full[ring]
    if fr.any():
        k = local[fr]
        az[fr] = az_hi[ring[fr]] - 360.0 * k / n_arc[ring[fr]]
        dist[fr] = range_m[ring[fr]]
    sr = ~fr
    if sr.any():
        r_idx = ring[sr]
        k = local[sr]
        ns = n_side[r_idx]
        na = n_arc[r_idx]
        a_hi = az_hi[r_idx]
        a_lo = a_hi - span_deg[r_idx]
        rr = range_m[r_idx]
        a = np.empty(k.size)
        d = np.empty(k.size)
        site = k == 0
        a[site], d[site] = a_hi[site], 0.0
        out = (k >= 1) & (k < ns)
        a[out], d[out] = a_hi[out], rr[out] * k[out] / ns[out]
        arc = (k >= ns) & (k < ns + na)
        j = k[arc] - ns[arc]
        a[arc] = a_hi[arc] - span_deg[r_idx][arc] * j / (na[arc] - 1)
        d[arc] = rr[arc]
        back = k >= ns + na
        j = k[back] - (ns[back] + na[back]) + 1  # 1 .. ns-1
        a[back], d[back] = a_lo[back], rr[back] * (1.0 - j / ns[back])
        az[sr], dist[sr] = a, d

    lon_v, lat_v = _fwd(lon[ring], lat[ring], az, dist)
    site_vec = _unit(lon, lat)

    for _ in range(_MAX_ROUNDS):
        nxt = np.arange(1, total + 1)
        last = starts[1:] - 1
        nxt[last] = starts[:-1]
        e_ring = ring
        a1, a2 = az, az[nxt]
        d1, d2 = dist, dist[nxt]
        mlon, mlat = _chord_midpoints(lon_v, lat_v, lon_v[nxt], lat_v[nxt])
        is_arc = (d1 == d2) & (d1 > 0)
        err = np.zeros(total)
        if is_arc.any():
            idx = np.flatnonzero(is_arc)
            err[idx] = _arc_error(
                site_vec[e_ring[idx]],
                _unit(lon_v[idx], lat_v[idx]),
                _unit(lon_v[nxt[idx]], lat_v[nxt[idx]]),
                _unit(mlon[idx], mlat[idx]),
                range_m[e_ring[idx]],
            )
        side = ~is_arc
        if side.any():
            idx = np.flatnonzero(side)
            err[idx] = _side_error(
                _unit(lon_v[idx], lat_v[idx]),
                _unit(lon_v[nxt[idx]], lat_v[nxt[idx]]),
                _unit(mlon[idx], mlat[idx]),
            )
        bad = np.flatnonzero(err > _SAFETY * tol_m[e_ring])
        if bad.size == 0:
            break
        # new vertex parameters: arcs split the azimuth, sides split the distance
        b_arc = is_arc[bad]
        new_az = np.where(b_arc, 0.5 * (a1[bad] + _az_next(a1[bad], a2[bad])), np.where(d1[bad] > 0, a1[bad], a2[bad]))
        new_d = np.where(b_arc, d1[bad], 0.5 * (d1[bad] + d2[bad]))
        new_ring = e_ring[bad]
        nlon, nlat = _fwd(lon[new_ring], lat[new_ring], new_az, new_d)
        pos = bad + 1
        az = np.insert(az, pos, new_az)
        dist = np.insert(dist, pos, new_d)
        lon_v = np.insert(lon_v, pos, nlon)
        lat_v = np.insert(lat_v, pos, nlat)
        ring = np.insert(ring, pos, new_ring)
        added = np.bincount(new_ring, minlength=n_rings)
        starts[1:] += np.cumsum(added)
        total = int(starts[-1])
    return _Rings(ring=ring, lon=lon_v, lat=lat_v, starts=starts)


def _az_next(a1: FloatArray, a2: FloatArray) -> FloatArray:
    """The azimuth a2 expressed just below a1 (rings run with decreasing azimuth)."""
    return np.where(a2 > a1, a2 - 360.0, a2)


def _fwd(lon: FloatArray, lat: FloatArray, az: FloatArray, dist: FloatArray) -> tuple[FloatArray, FloatArray]:
    out_lon, out_lat, _ = GEOD.fwd(lon, lat, az, dist)
    return np.asarray(out_lon, dtype=float), np.asarray(out_lat, dtype=float)


def _arc_error(site: FloatArray, v1: FloatArray, v2: FloatArray, mid: FloatArray, range_m: FloatArray) -> FloatArray:
    """Radial distance (m) between an edge's lon/lat midpoint and the geodesic circle.

    The vertices lie on the circle exactly (Geod.fwd).  The spherical distance
    from the site, scaled so that the vertices sit at the range, measures the
    midpoint's offset; the sphere-to-ellipsoid scale varies by well under 1 %
    along an edge, so the estimate is good to about 2 % of the error.  The
    tests check the result against Geod.inv.
    """
    s1, s2, sm = _angle(site, v1), _angle(site, v2), _angle(site, mid)
    ref = 0.5 * (s1 + s2)
    return np.abs(sm - ref) * (range_m / np.maximum(ref, 1e-300))


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
    out[ok] = np.abs(np.arcsin(np.clip(np.einsum("ij,ij->i", mid[ok], normal[ok]) / norm[ok], -1, 1)))
    # The midpoint must also lie between the ends, not on the far side of the sphere.
    along = _angle(v1, mid) + _angle(mid, v2) - _angle(v1, v2)
    return np.maximum(out, np.abs(along)) * _MEAN_RADIUS_M


# --- assembly -----------------------------------------------------------------------


def _unwrap(lon: FloatArray) -> tuple[FloatArray, int]:
    """Continuous longitudes of a closed ring, and its winding (-1, 0, +1) around the poles."""
    d = np.diff(lon, append=lon[:1])
    d = (d + 180.0) % 360.0 - 180.0
    steps = np.concatenate(([lon[0]], d[:-1]))
    unwrapped = np.cumsum(steps)
    winding = int(round(float(d.sum()) / 360.0))
    return unwrapped, winding


def _quantize(x: FloatArray) -> FloatArray:
    return np.round(x / _QUANTUM) * _QUANTUM


def _signed_area(x: FloatArray, y: FloatArray) -> float:
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _split(poly: BaseGeometry, *, merge: bool) -> BaseGeometry:
    """Cut a polygon in continuous longitudes into pieces within [-180, 180]."""
    pieces = []
    for window, shift in _WINDOWS:
        part = shapely.intersection(poly, window)
        if not part.is_empty:
            pieces.append(shapely.transform(part, lambda c, s=shift: c + (s, 0.0)))
    if len(pieces) == 1:
        return pieces[0]
    if merge:
        return shapely.union_all(pieces)
    return MultiPolygon([p for piece in pieces for p in getattr(piece, "geoms", [piece])])


def _ring_geometry(lon_u: FloatArray, lat: FloatArray, winding: int) -> tuple[BaseGeometry, BaseGeometry]:
    """(analysis geometry, display fill in continuous longitudes) of one ring."""
    x = _quantize(lon_u)
    if winding == 0:
        ring = np.column_stack((x, lat))
        if _signed_area(x, lat) > 0:
            display: BaseGeometry = Polygon(ring)
            if x.min() >= -180.0 and x.max() <= 180.0:
                return display, display
            return _split(display, merge=False), display
        # Clockwise: the footprint holds both poles; it is the world minus the cap
        # around the antipode, which this ring bounds.
        cap = Polygon(ring[::-1])
        cap_parts = _split(cap, merge=False)
        centre = 0.5 * (float(x.min()) + float(x.max()))
        world = box(centre - 180.0, -90.0, centre + 180.0, 90.0)
        return shapely.difference(_WORLD, cap_parts), shapely.difference(world, cap)
    pole = 90.0 if winding > 0 else -90.0
    start = int(np.argmax(lat) if winding > 0 else np.argmin(lat))
    x = np.concatenate((x[start:], x[:start] + 360.0 * winding))
    y = np.concatenate((lat[start:], lat[:start]))
    x_end = x[0] + 360.0 * winding
    xs = np.concatenate((x, [x_end, x_end, x[0]]))
    ys = np.concatenate((y, [y[0], pole, pole]))
    display = Polygon(np.column_stack((xs, ys)))
    return _split(display, merge=True), display


def _finish(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """Orient (CCW exteriors, CW holes), drop slivers of zero area, return (Multi)Polygon."""
    polys = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon) and g.area > 0]
    if not polys:
        return Polygon()
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


def _build(specs: Sequence[_Spec]) -> list[tuple[Polygon | MultiPolygon, BaseGeometry, list[LineString], float]]:
    """Compute footprints for many specs with one vectorized ring computation."""
    ring_lat: list[float] = []
    ring_lon: list[float] = []
    ring_r: list[float] = []
    ring_tol: list[float] = []
    ring_az: list[float] = []
    ring_span: list[float] = []
    plan: list[tuple[int | None, int | None, float]] = []  # (outer ring, inner ring, tolerance)
    for s in specs:
        outer = inner = None
        az_hi, span = _sector_azimuths(s.bearing)
        tol_out = _check_tolerance(s.tolerance_m, s.range_km)
        if s.range_km < WHOLE_GLOBE_KM:
            outer = len(ring_lat)
            ring_lat.append(s.lat), ring_lon.append(s.lon), ring_r.append(s.range_km * 1000)
            ring_tol.append(tol_out), ring_az.append(az_hi), ring_span.append(span)
        elif span < 360.0:
            # A sector past the cut locus: every direction in the interval reaches
            # everything it can; draw it just short of the antipode.
            outer = len(ring_lat)
            ring_lat.append(s.lat), ring_lon.append(s.lon), ring_r.append(WHOLE_GLOBE_KM * 1000)
            ring_tol.append(tol_out), ring_az.append(az_hi), ring_span.append(span)
        tol_in = tol_out
        if s.min_range_km > 0:
            tol_in = _check_tolerance(s.tolerance_m, s.min_range_km)
            inner = len(ring_lat)
            r_in = min(s.min_range_km, WHOLE_GLOBE_KM)
            ring_lat.append(s.lat), ring_lon.append(s.lon), ring_r.append(r_in * 1000)
            ring_tol.append(tol_in), ring_az.append(az_hi), ring_span.append(span)
        plan.append((outer, inner, max(tol_out, tol_in) if inner is not None else tol_out))

    rings = None
    if ring_lat:
        rings = _compute_rings(
            np.asarray(ring_lat), np.asarray(ring_lon), np.asarray(ring_r),
            np.asarray(ring_tol), np.asarray(ring_az), np.asarray(ring_span),
        )

    def ring_parts(i: int) -> tuple[BaseGeometry, BaseGeometry, LineString, float]:
        assert rings is not None
        a, b = rings.starts[i], rings.starts[i + 1]
        lon_u, winding = _unwrap(rings.lon[a:b])
        lat = rings.lat[a:b]
        analysis, display = _ring_geometry(lon_u, lat, winding)
        centre = ring_lon[i]
        shift = 360.0 * round((centre - float(display.centroid.x)) / 360.0) if winding == 0 else 0.0
        line = LineString(np.column_stack((np.append(lon_u, lon_u[0] + 360.0 * winding) + shift, np.append(lat, lat[0]))))
        return analysis, display, line, shift

    results = []
    for spec, (outer, inner, tol) in zip(specs, plan, strict=True):
        outlines: list[LineString] = []
        if outer is None:
            analysis: BaseGeometry = _WORLD
        else:
            analysis, _, line, _ = ring_parts(outer)
            outlines.append(line)
        if inner is not None:
            inner_geom, _, line, _ = ring_parts(inner)
            analysis = shapely.difference(analysis, inner_geom)
            outlines.append(line)
        final = _finish(analysis)
        results.append((final, _display_fill(final, spec.lon), outlines, tol))
    return results


def _display_fill(analysis: Polygon | MultiPolygon, site_lon: float) -> BaseGeometry:
    """The analysis geometry re-joined across +/-180 around the site's longitude."""
    bounds = analysis.bounds
    if not analysis.is_empty and bounds[0] > -180.0 and bounds[2] < 180.0 and abs(site_lon) <= 180:
        # does not touch the antimeridian: already continuous
        return analysis
    window = box(site_lon - 180.0, -90.0, site_lon + 180.0, 90.0)
    copies = [shapely.transform(analysis, lambda c, s=s: c + (s, 0.0)) for s in (-360.0, 0.0, 360.0)]
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
    return _build([spec])[0][0]


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
    analysis, fill, outlines, tol = _build([spec])[0]
    assert isinstance(fill, Polygon | MultiPolygon)
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

    frame = data.copy() if isinstance(data, pd.DataFrame) else pd.DataFrame(dict(data) if isinstance(data, Mapping) else data)
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
        zip(frame[lat].tolist(), frame[lon].tolist(), frame[range_km].tolist(), mins, bearings, strict=True)
    ):
        try:
            specs.append(_prepare(la, lo, r, 0.0 if m is None or (isinstance(m, float) and math.isnan(m)) else m, b, tolerance_m))
        except (InvalidRangeError, InvalidCoordinateError, InvalidBearingError) as exc:
            raise type(exc)(f"row {row} ({frame.index[row]!r}): {exc}") from None
    built = _build(specs) if specs else []
    out = gpd.GeoDataFrame(frame, geometry=[b[0] for b in built], crs="EPSG:4326")
    out["tolerance_m"] = [b[3] for b in built]
    return out
