"""An independent judge of footprints: only pyproj.Geod and shapely, nothing of ``geo``.

The judged tolerance is ``Case.tolerance_m``, or ``min(100 m, range/1000)`` without it.

The true footprint of a case is the set of points P with ``rmin <= d(site, P) <= r`` and,
for a sector, the initial azimuth of the geodesic site -> P within the bearing interval
(the site itself counts as inside).  Distances and azimuths are ``Geod.inv``'s.  The
engine's documented conventions are encoded here once:

- a sector whose missing wedge is nowhere wider than the tolerance (its angle times
  ``min(range, 1.01 a)``) is the full disk; a full disk from ``WHOLE_GLOBE_KM`` on is the
  whole globe;
- a sector's range, and any minimum range, is capped at ``WHOLE_GLOBE_KM`` (past the cut
  locus a point's bearing is not that of one geodesic), except from a pole, whose
  meridians are shortest up to the other pole.

:func:`judge` returns the failures of a returned geometry in two checks:

1. every edge of the polygon (straight in lon/lat, as shapely reads it) is sampled at its
   vertices and at 8 interior points; each sample must lie within the tolerance of the true
   boundary (arcs, inner arcs, radial sides and corners);
2. probes just inside and just outside the true boundary, by 1.5 times the tolerance, along
   every arc and radial side and around every corner, plus random points over the globe,
   must be classified as ``Geod.inv`` classifies them (a probe closer than the tolerance to
   the true boundary is not judged).

The distance to a radial side is found by Newton steps along the side geodesic
(``Geod.fwd`` to the foot, ``Geod.inv`` from it), an upper bound that converges to the truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from checks import (  # the request (site, ranges, bearing, tolerance): plain data
    Case,
    boundary_edges,
)
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

GEOD = Geod(ellps="WGS84")
A_M = GEOD.a
ANTIPODAL_M = float(GEOD.inv(0.0, 0.0, 180.0, 0.0)[2])
WHOLE_GLOBE_M = ANTIPODAL_M - 35_000.0
INTERIOR = np.arange(1, 9) / 9.0  # 8 interior points of every edge
PROBE_OFFSET = 1.5  # probes lie this many tolerances from the true boundary


@dataclass
class Verdict:
    """What the judge found: the worst sample error and the misclassified probes."""

    samples: int = 0
    worst_sample_m: float = 0.0
    bad_samples: int = 0
    probes: int = 0
    bad_probes: int = 0
    worst_probe_m: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.bad_samples == 0 and self.bad_probes == 0 and not self.notes


class _Truth:
    """The true region of a case and distances to its boundary, by Geod.inv."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.tol = case.judged_tolerance_m()
        self.span = 360.0
        self.start = 0.0
        if case.bearing is not None:
            start, end = case.bearing
            span = (end - start) % 360.0
            if span == 0.0 and end != start:
                span = 360.0
            # the wedge left out is at most its angle times min(range, 1.01 a) wide
            wedge = np.radians(360.0 - span) * min(case.range_km * 1000.0, 1.01 * A_M)
            if wedge > self.tol:
                self.start, self.span = start % 360.0, span
        self.sector = self.span < 360.0
        r = case.range_km * 1000.0
        rmin = case.min_range_km * 1000.0
        self.globe = not self.sector and r >= WHOLE_GLOBE_M
        # from a pole every geodesic is a meridian, shortest up to the other pole: no cap
        capped = self.sector and abs(case.lat) != 90.0
        self.r = min(r, WHOLE_GLOBE_M) if capped else r
        self.rmin = min(rmin, WHOLE_GLOBE_M)

    def _in_sector(self, az: np.ndarray) -> np.ndarray:
        if not self.sector:
            return np.ones(az.shape, dtype=bool)
        rel = (np.asarray(az) - self.start) % 360.0
        return rel <= self.span

    def _inv(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = lon.size
        c = self.case
        az, _, d = GEOD.inv(np.full(n, c.lon), np.full(n, c.lat), lon, lat)
        return np.asarray(az), np.asarray(d)

    def inside(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        az, d = self._inv(lon, lat)
        inside = np.ones(lon.size, dtype=bool) if self.globe else d <= self.r
        if self.rmin > 0:
            inside &= d >= self.rmin
        inside &= self._in_sector(az) | (d == 0.0)
        return inside

    def corners(self) -> list[tuple[float, float]]:
        """(azimuth, distance) of the corners of a sector (the site counts once)."""
        if not self.sector:
            return []
        ends = (self.start, self.start + self.span)
        out = [(a, self.r) for a in ends]
        out += [(a, self.rmin) for a in ends] if self.rmin > 0 else [(0.0, 0.0)]
        return out

    def distance(self, lon: np.ndarray, lat: np.ndarray, *, exact: bool = True) -> np.ndarray:
        """Distance (m) to the true boundary: exact sides when ``exact`` (else only where the
        arcs and corners leave it above the tolerance, an upper bound elsewhere)."""
        az, d = self._inv(lon, lat)
        insec = self._in_sector(az)
        best = np.full(lon.size, np.inf)
        if not self.globe:
            best = np.where(insec, np.abs(d - self.r), best)
        if self.rmin > 0:
            best = np.minimum(best, np.where(insec, np.abs(d - self.rmin), np.inf))
        c = self.case
        for a, s in self.corners():
            c_lon, c_lat, _ = GEOD.fwd(c.lon, c.lat, a, s)
            _, _, dc = GEOD.inv(np.full(lon.size, c_lon), np.full(lon.size, c_lat), lon, lat)
            best = np.minimum(best, np.asarray(dc))
        if self.sector:
            need = np.flatnonzero(best > self.tol) if not exact else np.arange(lon.size)
            for a in (self.start, self.start + self.span):
                if need.size:
                    ds = self._side_distance(a, lon[need], lat[need], az[need], d[need])
                    best[need] = np.minimum(best[need], ds)
        return best

    def _side_distance(
        self, a: float, lon: np.ndarray, lat: np.ndarray, az: np.ndarray, d: np.ndarray
    ) -> np.ndarray:
        """Distance to the side geodesic at azimuth ``a`` from rmin to r (Newton steps)."""
        c = self.case
        n = lon.size
        lo, hi = self.rmin, self.r
        s = np.clip(d * np.cos(np.radians(az - a)), lo, hi)
        site_lon, site_lat, az_a = np.full(n, c.lon), np.full(n, c.lat), np.full(n, a)
        for _ in range(4):
            f_lon, f_lat, back = GEOD.fwd(site_lon, site_lat, az_a, s)
            az_fp, _, d_fp = GEOD.inv(f_lon, f_lat, lon, lat)
            ahead = np.asarray(back) + 180.0  # the side's direction at the foot
            s = np.clip(
                s + np.asarray(d_fp) * np.cos(np.radians(np.asarray(az_fp) - ahead)), lo, hi
            )
        f_lon, f_lat, _ = GEOD.fwd(site_lon, site_lat, az_a, s)
        return np.asarray(GEOD.inv(f_lon, f_lat, lon, lat)[2])

    # --- probes ---------------------------------------------------------------------

    def probes(self, n_arc: int, n_side: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """Points 1.5 tolerances either side of every arc and side, and around every corner."""
        c, off = self.case, PROBE_OFFSET * self.tol
        lons: list[np.ndarray] = []
        lats: list[np.ndarray] = []

        def fwd(lon0: np.ndarray, lat0: np.ndarray, az: np.ndarray, dist: np.ndarray) -> None:
            lo_, la_, _ = GEOD.fwd(lon0, lat0, az, dist)
            lons.append(np.asarray(lo_))
            lats.append(np.asarray(la_))

        rng = np.random.default_rng(seed)
        t = np.concatenate((np.linspace(0.0, 1.0, n_arc), rng.uniform(0.0, 1.0, n_arc)))
        az = self.start + self.span * t
        for radius in ([] if self.globe else [self.r]) + ([self.rmin] if self.rmin > 0 else []):
            for dist in (radius - off, radius + off):
                if dist > 0:
                    fwd(
                        np.full(az.size, c.lon), np.full(az.size, c.lat), az, np.full(az.size, dist)
                    )
        for a, s in self.corners():
            k = 16
            f_lon, f_lat, _ = GEOD.fwd(c.lon, c.lat, a, s)
            ring = np.arange(k) * 360.0 / k + rng.uniform(0.0, 360.0 / k)
            for mult in (1.1 * np.sqrt(2.0), 3.0):
                fwd(np.full(k, f_lon), np.full(k, f_lat), ring, np.full(k, mult * off))
        if self.sector:
            tt = np.concatenate(
                (np.linspace(0.0, 1.0, n_side + 2)[1:-1], rng.uniform(0, 1, n_side))
            )
            s = self.rmin + (self.r - self.rmin) * tt
            for a in (self.start, self.start + self.span):
                f_lon, f_lat, back = GEOD.fwd(
                    np.full(s.size, c.lon), np.full(s.size, c.lat), np.full(s.size, a), s
                )
                ahead = np.asarray(back) + 180.0
                for turn in (90.0, -90.0):
                    fwd(np.asarray(f_lon), np.asarray(f_lat), ahead + turn, np.full(s.size, off))
        # random points over the globe: pole membership and topology
        u = rng.uniform(-1.0, 1.0, 200)
        lats.append(np.degrees(np.arcsin(u)))
        lons.append(rng.uniform(-180.0, 180.0, 200))
        return np.concatenate(lons), np.concatenate(lats)


def edge_samples(geom: BaseGeometry) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and 8 interior points of every edge, without cut and pole edges (a vertex
    on the cut or at a pole is judged as the end of a real edge)."""
    a, b = boundary_edges(geom)
    pts = a[:, None, :] + INTERIOR[None, :, None] * (b - a)[:, None, :]
    pts = np.concatenate((a[:, None, :], pts), axis=1).reshape(-1, 2)
    return pts[:, 0], pts[:, 1]


def judge(
    case: Case, geom: BaseGeometry, *, n_arc: int = 64, n_side: int = 24, seed: int = 0
) -> Verdict:
    """Judge a returned footprint against the truth of its case."""
    truth = _Truth(case)
    v = Verdict()
    if geom.is_empty:
        v.notes.append("empty geometry")
        return v
    if not geom.is_valid:
        v.notes.append(f"invalid geometry: {shapely.is_valid_reason(geom)}")
        return v
    slack = 1e-9 * truth.tol + 1e-6
    lon, lat = edge_samples(geom)
    if truth.globe and truth.rmin == 0:
        if abs(geom.area - 360.0 * 180.0) > 1e-9:
            v.notes.append(f"whole globe expected, area {geom.area} square degrees")
    elif lon.size == 0 and not (truth.globe and truth.rmin <= truth.tol):
        v.notes.append("no boundary edges")
    if lon.size:
        err = truth.distance(lon, lat, exact=False)
        v.samples = lon.size
        v.worst_sample_m = float(err.max())
        v.bad_samples = int(np.count_nonzero(err > truth.tol + slack))
    p_lon, p_lat = truth.probes(n_arc, n_side, seed)
    want = truth.inside(p_lon, p_lat)
    got = shapely.contains_xy(geom, p_lon, p_lat) | shapely.intersects_xy(
        geom.boundary, p_lon, p_lat
    )
    wrong = np.flatnonzero(got != want)
    v.probes = p_lon.size
    if wrong.size:
        margin = truth.distance(p_lon[wrong], p_lat[wrong])
        judged = margin > truth.tol + slack
        v.bad_probes = int(np.count_nonzero(judged))
        v.worst_probe_m = float(margin[judged].max(initial=0.0))
    return v
