"""Boundary rings: exact vertices from Geod.fwd, densified adaptively to the tolerance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from geo.errors import RefinementError
from geo.footprint._spec import FloatArray
from geo.wgs84 import A_M, GEOD, F
from geo.wgs84 import M_PER_DEG_MAX as _M_PER_DEG_MAX
from geo.wgs84 import M_PER_DEG_MIN as _M_PER_DEG  # a lower bound: distances to a pole err short
from geo.wgs84 import MEAN_RADIUS_M as _MEAN_RADIUS_M

_E2 = F * (2.0 - F)  # first eccentricity squared
_ONE_E2 = 1.0 - _E2
_A_DEG = float(np.radians(A_M))  # the equatorial radius per degree: N within 0.34 %
_COS_POLAR = float(np.cos(np.radians(89.999)))  # within 111 m of a pole
# The largest |t (1 - t) (2 t - 1)| on [0, 1]: sqrt(3) / 18
_CUBIC_MAX = 3.0**0.5 / 18.0

_MAX_DLON = 5.0  # degrees of longitude one edge may turn away from the poles
# An edge whose ends are both this share of the tolerance from a pole is drawn over it.
_HUG = 1e-3
# Edges are split when their estimated error exceeds this share of the
# tolerance; the estimate (see _compute_rings) is good to about 2 % of the error.
_SAFETY = 0.9
# Refinement always ends: an edge whose ends lie within a quarter of the tolerance of each
# other is never split (all of it lies within the tolerance of an exact vertex), which
# bounds the rounds by log2(longest edge / (tol / 4)) < 40 for tolerances from 1 mm; the
# caps on rounds and vertices turn anything else into a RefinementError.
_FLOOR = 0.25
_MAX_ROUNDS = 60
_MAX_VERTICES = 5_000_000
# Edges are checked at these fractions of their length: the lon/lat image of a geodesic
# (a sector side crossing the equator, say) can bend in an S, straight at its midpoint.
_CHECK_AT = (0.5, 0.25, 0.75)  # the midpoint first: most edges that fail, fail there
# Plate carree bends edges beyond the chord sag of the circle; the initial
# vertex count allows for this factor, refinement covers the rest.  Measured
# with bench/footprint.py: 1.6 suits ranges up to 3,000 km (one pass mostly
# suffices); larger circles need many vertices only where they pass high
# latitudes, so they start coarse (0.4) and are refined where needed.
_SAG_FACTOR = 1.6
_SAG_FACTOR_LARGE = 0.4
_LARGE_M = 3.0e6


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


class _Chord:
    """Straight lon/lat edges, taking the short way in longitude: points at fraction ``t``.

    A vertex at a pole has no longitude of its own; it is drawn on the meridian
    of its neighbour (see _repair_poles), so it takes that longitude here too.
    """

    def __init__(
        self,
        lon1: FloatArray,
        lat1: FloatArray,
        lon2: FloatArray,
        lat2: FloatArray,
        poles: bool = True,
    ) -> None:
        if poles:  # False when no vertex is at a pole
            lon1 = np.where(np.abs(lat1) == 90.0, lon2, lon1)
            lon2 = np.where(np.abs(lat2) == 90.0, lon1, lon2)
        self.lon, self.lat = lon1, lat1
        self.dlon = (lon2 - lon1 + 180.0) % 360.0 - 180.0
        self.dlat = lat2 - lat1

    def at(
        self, t: float | FloatArray, rows: npt.NDArray[np.intp] | None = None
    ) -> tuple[FloatArray, FloatArray]:
        """The points at fraction ``t`` of every edge, or of the edges ``rows`` (``t`` of
        shape (m, 1) gives m rows of points)."""
        if rows is None:
            return self.lon + t * self.dlon, self.lat + t * self.dlat
        return self.lon[rows] + t * self.dlon[rows], self.lat[rows] + t * self.dlat[rows]


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
        self.all_full = bool(self.full.all())  # disks only: a shorter way
        self.period = np.where(self.full, 1.0, 3.0)

    def at(self, ring: npt.NDArray[np.intp], u: FloatArray) -> tuple[FloatArray, FloatArray]:
        if self.all_full:
            return self.az_hi[ring] - 360.0 * u, self.range_m[ring]
        r, a_hi, span = self.range_m[ring], self.az_hi[ring], self.span[ring]
        full = self.full[ring]
        az = np.where(full, a_hi - 360.0 * u, a_hi - span * np.clip(u - 1.0, 0.0, 1.0))
        d = np.where(full | ((u >= 1.0) & (u <= 2.0)), r, r * np.where(u < 1.0, u, 3.0 - u))
        return az, d

    def is_arc(
        self, ring: npt.NDArray[np.intp], u1: FloatArray, u2: FloatArray
    ) -> npt.NDArray[np.bool_]:
        if self.all_full:
            return np.ones(ring.size, dtype=bool)
        return self.full[ring] | ((u1 >= 1.0) & (u2 <= 2.0))


class _SiteAngles:
    """Central angles (radians, unit sphere) from each ring's site, its trigonometry kept."""

    def __init__(self, lat: FloatArray, lon: FloatArray) -> None:
        self.phi, self.lam = np.radians(lat), np.radians(lon)
        self.cos = np.cos(self.phi)

    def __call__(self, ring: npt.NDArray[np.intp], lon: FloatArray, lat: FloatArray) -> FloatArray:
        return _sph_angle(self.phi[ring], self.cos[ring], self.lam[ring], lon, lat)


class _Edges(NamedTuple):
    """Edges still to check: the ring, positions ``u1 -> u2`` along it, and both ends
    (lon, lat, central angle ``s`` from the site and ``g``, the gradient of the distance
    from the site, see _fwd)."""

    ring: npt.NDArray[np.intp]
    u1: FloatArray
    u2: FloatArray
    lon1: FloatArray
    lat1: FloatArray
    s1: FloatArray
    lon2: FloatArray
    lat2: FloatArray
    s2: FloatArray
    gx1: FloatArray
    gy1: FloatArray
    gx2: FloatArray
    gy2: FloatArray


def _compute_rings(
    lat: FloatArray,
    lon: FloatArray,
    range_m: FloatArray,
    tol_m: FloatArray,
    az_hi: FloatArray,
    span_deg: FloatArray,
    knots: FloatArray | None = None,
) -> _Rings:
    """Boundary rings for disks (span 360) and sectors (span < 360), densified.

    Every vertex is ``Geod.fwd(site, az, dist)``, exact.  An edge whose
    lon/lat midpoint lies farther than the tolerance from the true boundary is
    split at the boundary point halfway between its ends; only the two new
    edges are checked again.  All rings advance together, one ``Geod.fwd``
    call per round.  ``knots`` (n_rings, k), NaN for none: positions ``u`` along
    each ring (see _RingParams) that are vertices from the start, such as the
    corners where a hole meets a sector's sides.
    """
    params = _RingParams(range_m, az_hi, span_deg)
    ring, u, u2, nxt = _initial_vertices(params, tol_m, knots)
    az, dist = params.at(ring, u)
    v_lon, v_lat, v_gx, v_gy = _fwd(lon[ring], lat[ring], az, dist)
    poles = bool((np.abs(v_lat) == 90.0).any())  # any vertex at a pole (see _Chord)
    angle = _SiteAngles(lat, lon)
    v_s = angle(ring, v_lon, v_lat)
    edges = _Edges(
        ring, u, u2, v_lon, v_lat, v_s, v_lon[nxt], v_lat[nxt], v_s[nxt],
        v_gx, v_gy, v_gx[nxt], v_gy[nxt],
    )  # fmt: skip

    out_ring, out_u, out_lon, out_lat = [ring], [u], [v_lon], [v_lat]
    site = (lon, lat)
    n_vertices = ring.size
    for _ in range(_MAX_ROUNDS):
        bad = _needs_split(edges, params, angle, tol_m, site, poles)
        if bad.size == 0:
            break
        n_vertices += bad.size
        if n_vertices > _MAX_VERTICES:
            raise _refinement_error(edges.ring[bad], site, tol_m, "vertices")
        b_ring = edges.ring[bad]
        b_u = 0.5 * (edges.u1[bad] + edges.u2[bad])
        b_az, b_d = params.at(b_ring, b_u)
        b_lon, b_lat, b_gx, b_gy = _fwd(lon[b_ring], lat[b_ring], b_az, b_d)
        poles = poles or bool((np.abs(b_lat) == 90.0).any())
        b_s = angle(b_ring, b_lon, b_lat)
        out_ring.append(b_ring)
        out_u.append(b_u)
        out_lon.append(b_lon)
        out_lat.append(b_lat)
        edges = _split_edges(edges, bad, b_u, b_lon, b_lat, b_s, b_gx, b_gy)
    else:
        bad = _needs_split(edges, params, angle, tol_m, site, poles)
        if bad.size:
            raise _refinement_error(edges.ring[bad], site, tol_m, "rounds")
    return _gather(out_ring, out_u, out_lon, out_lat, lat.size)


def _refinement_error(
    rings: npt.NDArray[np.intp], site: tuple[FloatArray, FloatArray], tol_m: FloatArray, cap: str
) -> RefinementError:
    i = int(rings[0])
    limit = f"{_MAX_VERTICES:,} vertices" if cap == "vertices" else f"{_MAX_ROUNDS} rounds"
    return RefinementError(
        f"the boundary of the footprint from ({site[1][i]:.6f}, {site[0][i]:.6f}) could not be "
        f"brought within tolerance_m {tol_m[i]:g} within the cap of {limit}; "
        "give a larger tolerance_m"
    )


def _initial_vertices(
    params: _RingParams, tol_m: FloatArray, knots: FloatArray | None = None
) -> tuple[npt.NDArray[np.intp], FloatArray, FloatArray, npt.NDArray[np.intp]]:
    """The first vertices of every ring: (ring, u, u of the next vertex, index of the next).

    The last vertex of a ring is followed by its first, at ``u`` = the ring's period.
    """
    full, range_m, span_deg = params.full, params.range_m, params.span
    n_rings = range_m.size
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
    if knots is not None and np.isfinite(knots).any():
        k_ring, k_col = np.nonzero(np.isfinite(knots))
        ring = np.concatenate((ring, k_ring))
        u = np.concatenate((u, knots[k_ring, k_col]))
        order = np.lexsort((u, ring))
        ring, u = ring[order], u[order]
        keep = np.ones(ring.size, dtype=bool)  # a knot that is a vertex already
        keep[1:] = (ring[1:] != ring[:-1]) | (u[1:] != u[:-1])
        ring, u = ring[keep], u[keep]
        counts = np.bincount(ring, minlength=n_rings)
        first[1:] = np.cumsum(counts[:-1])
    # initial edges: each vertex to the next, the last of a ring to its first
    nxt = np.arange(1, ring.size + 1)
    last = first + counts - 1
    nxt[last] = first
    u2 = u[nxt]
    u2[last] = params.period
    return ring, u, u2, nxt


def _needs_split(
    edges: _Edges,
    params: _RingParams,
    angle: _SiteAngles,
    tol_m: FloatArray,
    site: tuple[FloatArray, FloatArray],
    poles: bool = True,
) -> npt.NDArray[np.intp]:
    """The edges (indices) that stray too far from the true boundary, or turn too far
    round a pole.

    The error of an edge is its largest along its whole length.  Arc edges: the radial
    offset of a point from the circle, at the midpoint and, where the model of the error
    along the edge (_model_bound) leaves doubt, at a quarter and three quarters; the
    spherical angle, scaled so that the (exact) vertices sit at the range, is good to
    about 2 % of the error (the sphere-to-ellipsoid scale varies by well under 1 % along
    an edge).  Sides, at a quarter, half and three quarters of their length:
    the point's distance from the side's geodesic, from Geod.inv at the site
    (distance times the sine of the azimuth off the side: an upper bound, exact to first
    order, and well conditioned for edges of any length).  The tests check against Geod.inv.
    """
    e_ring, lon1, lat1, lon2, lat2 = edges.ring, edges.lon1, edges.lat1, edges.lon2, edges.lat2
    tol = tol_m[e_ring]
    # Near a pole, an edge may be within the tolerance and still cut across
    # another part of the boundary in lon/lat (two sides passing the pole a
    # metre apart): edges also turn at most _MAX_DLON degrees of longitude,
    # unless both ends hug the pole (then _repair_poles routes them over it).
    chord = _Chord(lon1, lat1, lon2, lat2, poles)  # every check point lies on it
    dlon = chord.dlon
    split: npt.NDArray[np.bool_] = np.abs(dlon) > _MAX_DLON
    if split.any():
        turn = np.flatnonzero(split)
        hug = _HUG * tol[turn]
        near1 = (90.0 - np.abs(lat1[turn])) * _M_PER_DEG <= hug
        near2 = (90.0 - np.abs(lat2[turn])) * _M_PER_DEG <= hug
        split[turn[near1 & near2]] = False
    arc = params.is_arc(e_ring, edges.u1, edges.u2)
    thr = _SAFETY * tol
    # the midpoint of every edge first: most edges that fail, fail there
    mlon, mlat = chord.at(0.5)
    ref = 0.5 * (edges.s1 + edges.s2)
    scale = params.range_m[e_ring] / np.maximum(ref, 1e-300)
    mid_m = (angle(e_ring, mlon, mlat) - ref) * scale  # signed, metres
    split |= arc & (np.abs(mid_m) > thr)
    side = np.flatnonzero(~(arc | split)) if not arc.all() else np.zeros(0, dtype=np.intp)
    for t in _CHECK_AT if side.size else ():  # sides: few edges, every check point
        plon, plat = chord.at(t, side)
        split[side] |= _side_error(edges, params, side, plon, plat, site) > thr[side]
        side = side[~split[side]]
    # the quarter points of the arc edges that passed, where the model leaves doubt
    doubt = arc & ~split & ~(_model_bound(edges, chord, mid_m) <= thr)
    if doubt.any():
        k = np.flatnonzero(doubt)
        tq = np.array([[0.25], [0.75]])
        qlon, qlat = chord.at(tq, k)
        s1, s2 = edges.s1[k], edges.s2[k]
        err = np.abs(angle(e_ring[k], qlon, qlat) - ((1.0 - tq) * s1 + tq * s2)) * scale[k]
        split[k[(err > thr[k]).any(axis=0)]] = True
    # the floor: ends within a quarter tolerance are never split.  Their distance is at
    # most that of a path along the first end's parallel and the second's meridian.
    cand = np.flatnonzero(split)
    length = _M_PER_DEG_MAX * (
        np.abs(lat2[cand] - lat1[cand]) + np.abs(dlon[cand]) * np.cos(np.radians(lat1[cand]))
    )
    bad: npt.NDArray[np.intp] = cand[length > _FLOOR * tol[cand]]
    return bad


def _model_bound(edges: _Edges, chord: _Chord, mid_m: FloatArray) -> FloatArray:
    """An estimate of the largest error (m) along every edge, from exact data.

    Along an edge's chord, ``f(t)`` = distance from the site minus its straight run between
    the (exact) ends vanishes at both ends; its slopes there are the chord's step dotted
    with the distance's gradient (see _fwd), and ``f(1/2)`` is the midpoint's error
    ``mid_m``.  These fix ``f = a t(1-t) + b t(1-t)(2t-1) + c t^2(1-t)^2``: a parabola, its
    asymmetric (S-shaped) part and its flattening, whose largest value is at most
    ``|a|/4 + |b| sqrt(3)/18 + |c|/16`` with ``c/16 = f(1/2) - a/4``; and
    ``|a|/4 + |f(1/2) - a/4| = max(|f(1/2)|, |a/2 - f(1/2)|)``.  Where that is within the
    threshold the quarter points need not be checked: those three terms are what they
    would reveal.  NaN for edges with an end within 0.001 degrees of a pole (_fwd).
    """
    dlon, dlat = chord.dlon, chord.dlat
    slope1 = edges.gx1 * dlon + edges.gy1 * dlat  # in units of -N per degree (see _fwd)
    slope2 = edges.gx2 * dlon + edges.gy2 * dlat
    half_a = (-0.25 * _A_DEG) * (slope1 - slope2)  # a / 2, metres
    bound: FloatArray = np.maximum(np.abs(mid_m), np.abs(half_a - mid_m)) + (
        0.5 * _CUBIC_MAX * _A_DEG
    ) * np.abs(slope1 + slope2)
    return bound


def _side_error(
    edges: _Edges,
    params: _RingParams,
    side: npt.NDArray[np.intp],
    plon: FloatArray,
    plat: FloatArray,
    site: tuple[FloatArray, FloatArray],
) -> FloatArray:
    """Distance (m, an upper bound) of points on side edges from the side's geodesic."""
    ring = edges.ring[side]
    # out along az_hi for u < 1, back along az_hi - span for u >= 2
    side_az = params.az_hi[ring] - np.where(edges.u1[side] >= 2.0, params.span[ring], 0.0)
    az, _, dist = GEOD.inv(site[0][ring], site[1][ring], plon, plat)
    off = np.radians(np.asarray(az) - side_az)
    d = np.asarray(dist)
    # a point behind the site (off the side's end) is as far as from the site
    cross: FloatArray = np.where(np.cos(off) >= 0.0, d * np.abs(np.sin(off)), d)
    return cross


def _split_edges(
    edges: _Edges,
    bad: npt.NDArray[np.intp],
    b_u: FloatArray,
    b_lon: FloatArray,
    b_lat: FloatArray,
    b_s: FloatArray,
    b_gx: FloatArray,
    b_gy: FloatArray,
) -> _Edges:
    """The two halves of each bad edge, split at its new vertex: the edges of the next round."""
    e = edges
    b_ring = e.ring[bad]
    cat = np.concatenate
    return _Edges(
        cat((b_ring, b_ring)),
        cat((e.u1[bad], b_u)),
        cat((b_u, e.u2[bad])),
        cat((e.lon1[bad], b_lon)),
        cat((e.lat1[bad], b_lat)),
        cat((e.s1[bad], b_s)),
        cat((b_lon, e.lon2[bad])),
        cat((b_lat, e.lat2[bad])),
        cat((b_s, e.s2[bad])),
        cat((e.gx1[bad], b_gx)),
        cat((e.gy1[bad], b_gy)),
        cat((b_gx, e.gx2[bad])),
        cat((b_gy, e.gy2[bad])),
    )


def _gather(
    out_ring: list[npt.NDArray[np.intp]],
    out_u: list[FloatArray],
    out_lon: list[FloatArray],
    out_lat: list[FloatArray],
    n_rings: int,
) -> _Rings:
    """All vertices made, sorted into boundary order ring after ring."""
    all_ring = np.concatenate(out_ring)
    order = np.lexsort((np.concatenate(out_u), all_ring))
    starts = np.zeros(n_rings + 1, dtype=np.intp)
    np.cumsum(np.bincount(all_ring, minlength=n_rings), out=starts[1:])
    return _Rings(
        lon=np.concatenate(out_lon)[order], lat=np.concatenate(out_lat)[order], starts=starts
    )


def _fwd(
    lon: FloatArray, lat: FloatArray, az: FloatArray, dist: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The points ``Geod.fwd`` reaches, and at each the direction in which the distance from
    the site grows (the geodesic's azimuth there), per degree of lon and of lat, in units of
    -N (the prime vertical radius of curvature per degree): a degree is ``N cos(lat)`` east
    and ``N (1 - e^2) / (1 - e^2 sin^2(lat))`` north.  Dropping ``N`` (which varies by
    0.3 % over the globe) keeps the direction exact; NaN within 0.001 degrees of a pole,
    where the direction turns too fast to model (see _model_bound)."""
    out_lon, out_lat, back = GEOD.fwd(lon, lat, az, dist)
    out_lat = np.asarray(out_lat, dtype=float)
    back = np.radians(back)  # the azimuth there is back + 180: both signs flip, see -N
    cos_phi = np.cos(np.radians(out_lat))
    gx = cos_phi * np.sin(back)
    gy = _ONE_E2 / (_ONE_E2 + _E2 * cos_phi * cos_phi) * np.cos(back)
    gx[cos_phi < _COS_POLAR] = np.nan
    return np.asarray(out_lon, dtype=float), out_lat, gx, gy
