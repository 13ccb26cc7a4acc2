"""Independent checks of footprints against pyproj's Geod.inv (never against the engine itself)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

GEOD = Geod(ellps="WGS84")
GLOBE_M2 = 4 * np.pi * 6371007.180918475**2  # authalic sphere area = WGS84 ellipsoid area


@dataclass
class Case:
    lat: float
    lon: float
    range_km: float
    min_range_km: float = 0.0
    bearing: tuple[float, float] | None = None
    #: the tolerance to judge by (tests/footprint/oracle.py); None: min(100 m, range/1000)
    tolerance_m: float | None = None

    def judged_tolerance_m(self) -> float:
        return self.tolerance_m if self.tolerance_m is not None else min(100.0, self.range_km)

    def kwargs(self) -> dict[str, object]:
        return {"min_range_km": self.min_range_km, "bearing": self.bearing}


def truth(case: Case, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(inside, distance in metres to the nearest true boundary) for points, by Geod.inv."""
    n = lon.size
    az, _, d = GEOD.inv(np.full(n, case.lon), np.full(n, case.lat), lon, lat)
    d = np.asarray(d)
    az = np.asarray(az)
    r = case.range_km * 1000.0
    inside = d <= r
    margin = np.abs(d - r)
    if case.min_range_km > 0:
        rm = case.min_range_km * 1000.0
        inside &= d >= rm
        margin = np.minimum(margin, np.abs(d - rm))
    if case.bearing is not None:
        start, end = case.bearing
        span = (end - start) % 360.0 or 360.0
        rel = (az - start) % 360.0
        in_sector = rel <= span
        inside &= in_sector | (d == 0)
        # distance to the two straight sides (geodesics from the site): to the side's point
        # nearest the sample (along-track distance from spherical trigonometry, which only
        # picks the point; the distance itself is Geod.inv's, an upper bound on the truth)
        for side_az in (start, end):
            rel_side = np.radians(az - side_az)
            ang = d / 6371008.8
            along = 6371008.8 * np.arctan2(np.sin(ang) * np.cos(rel_side), np.cos(ang))
            for s_dist in (np.clip(along, 0.0, r), np.minimum(d, r)):
                s_lon, s_lat, _ = GEOD.fwd(
                    np.full(n, case.lon), np.full(n, case.lat), np.full(n, side_az), s_dist
                )
                _, _, ds = GEOD.inv(lon, lat, s_lon, s_lat)
                margin = np.minimum(margin, np.asarray(ds))
    return inside, margin


def assert_rfc7946(geom: BaseGeometry) -> None:
    """Valid, within [-180, 180] x [-90, 90], exteriors counter-clockwise, holes clockwise."""
    assert geom.is_valid, shapely.is_valid_reason(geom)
    x0, y0, x1, y1 = geom.bounds
    assert x0 >= -180.0 and x1 <= 180.0 and y0 >= -90.0 and y1 <= 90.0
    for part in shapely.get_parts(geom):
        assert part.exterior.is_ccw
        assert all(not hole.is_ccw for hole in part.interiors)


def boundary_edges(geom: BaseGeometry) -> tuple[np.ndarray, np.ndarray]:
    """Start and end points (n, 2) of the boundary's straight lon/lat edges, without the
    edges along the cut at +/-180 and along a pole (not part of the true boundary)."""
    starts, ends = [np.empty((0, 2))], [np.empty((0, 2))]
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        c = np.asarray(ring.coords)
        a, b = c[:-1], c[1:]
        on_cut = (np.abs(a[:, 0]) == 180.0) & (a[:, 0] == b[:, 0])
        on_pole = (np.abs(a[:, 1]) == 90.0) & (a[:, 1] == b[:, 1])
        keep = ~(on_cut | on_pole)
        starts.append(a[keep])
        ends.append(b[keep])
    return np.concatenate(starts), np.concatenate(ends)


def boundary_segments(geom: BaseGeometry) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and straight-edge midpoints of the boundary, without cut and pole edges."""
    a, b = boundary_edges(geom)
    real = ~((np.abs(a[:, 0]) == 180.0) | (np.abs(a[:, 1]) == 90.0))
    return a[real], 0.5 * (a + b)


def max_boundary_error(case: Case, geom: BaseGeometry) -> tuple[float, float]:
    """(max error at vertices, max error at edge midpoints) in metres, by Geod.inv."""
    pts, mids = boundary_segments(geom)
    _, ev = truth(case, pts[:, 0], pts[:, 1])
    _, em = truth(case, mids[:, 0], mids[:, 1])
    return float(ev.max(initial=0.0)), float(em.max(initial=0.0))


def random_points(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    lon = rng.uniform(-180, 180, n)
    return lon, lat


def misclassified(case: Case, geom: BaseGeometry, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Margins (m) of the sampled points whose verdict differs from Geod.inv's."""
    inside, margin = truth(case, lon, lat)
    got = shapely.contains_xy(geom, lon, lat) | shapely.intersects_xy(geom.boundary, lon, lat)
    return margin[got != inside]


def area_fraction(geom: BaseGeometry) -> float:
    """Share of the ellipsoid's area (GeographicLib gives pole-enclosing rings modulo the globe)."""
    total = 0.0
    for part in shapely.get_parts(geom):
        if part.area >= 360.0 * 180.0 - 1e-9:  # the whole lon/lat plane: the globe
            total += GLOBE_M2
            continue
        a, _ = GEOD.geometry_area_perimeter(part)
        total += a % GLOBE_M2 if a < 0 else a
    return total / GLOBE_M2
