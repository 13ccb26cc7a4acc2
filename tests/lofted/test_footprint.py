"""Footprints of a standard-trajectory range that varies with azimuth, checked with Geod.inv.

The true boundary is az -> Geod.fwd(site, az, r(az)) with r the range function of
``geo.standard_range_by_azimuth`` (interpolated from a 1-degree launch-azimuth grid) capped at
WHOLE_GLOBE_KM. A point at distance d and azimuth a from the site is at most |d - r(a)| from
that curve (the curve's point on the same radial), which is what the checks measure.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import shapely
from checks import assert_rfc7946, random_points
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Point, Polygon

import geo
from geo.errors import InvalidCoordinateError, InvalidRangeError
from geo.footprint import GEOD, WHOLE_GLOBE_KM, footprint_by_azimuth

PYONGYANG = (39.0339, 125.7543)
FIJI = (-17.7, 178.1)
HS15 = (4475.0, 950.0, 3180.0)  # 2017-11-29
HS12 = (2111.5, 787.0, 1800.0)  # 2017-05-14
HS17 = (6248.5, 1090.0, 4052.0)  # 2022-03-24, near-orbital
Range = Callable[[np.ndarray], np.ndarray]


def lofted_range(site: tuple[float, float], test: tuple[float, ...], level: str) -> Range:
    def r(az: np.ndarray) -> np.ndarray:
        out = geo.standard_range_by_azimuth(site, *test, azimuth_deg=az, level=level)
        return np.minimum(out, WHOLE_GLOBE_KM)

    return r


def radial_error_m(site: tuple[float, float], r: Range, lon: np.ndarray, lat: np.ndarray):
    """Signed d - r(az) in metres for points (negative inside)."""
    n = lon.size
    az, _, d = GEOD.inv(np.full(n, site[1]), np.full(n, site[0]), lon, lat)
    return np.asarray(d) - r(np.mod(np.asarray(az), 360.0)) * 1000.0


def edge_points(geom: Polygon | MultiPolygon, ts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points at shares ts along every boundary edge, leaving out edges on the +/-180 cut
    and along a pole (the closure, not the boundary)."""
    xs, ys = [], []
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        c = np.asarray(ring.coords)
        a, b = c[:-1], c[1:]
        on_cut = (np.abs(a[:, 0]) == 180.0) & (a[:, 0] == b[:, 0])
        on_pole = (np.abs(a[:, 1]) == 90.0) | (np.abs(b[:, 1]) == 90.0)
        keep = ~(on_cut | on_pole)
        a, b = a[keep], b[keep]
        for t in ts:
            p = a + t * (b - a)
            xs.append(p[:, 0])
            ys.append(p[:, 1])
    return np.concatenate(xs), np.concatenate(ys)


def assert_within_tolerance(
    site: tuple[float, float], r: Range, geom: Polygon | MultiPolygon, tol_m: float
) -> None:
    """Every boundary edge, at 11 points along it, within tol_m of the true curve; sampled
    points classified as Geod.inv does, except within tol_m of the boundary."""
    lon, lat = edge_points(geom, np.linspace(0.0, 1.0, 11))
    err = np.abs(radial_error_m(site, r, lon, lat))
    assert err.max() <= tol_m, (err.max(), tol_m)
    px, py = random_points(20_000, 1)
    signed = radial_error_m(site, r, px, py)
    inside = shapely.contains_xy(geom, px, py)
    wrong = inside != (signed <= 0.0)
    assert np.all(np.abs(signed[wrong]) <= tol_m), np.abs(signed[wrong]).max()


CASES = {
    # name: (site, test, level)
    "hs15-central-pyongyang-over-the-pole": (PYONGYANG, HS15, "central"),
    "hs15-low-pyongyang": (PYONGYANG, HS15, "low"),
    "hs12-central-pyongyang-dateline": (PYONGYANG, HS12, "central"),
    "hs17-low-pyongyang-near-orbital": (PYONGYANG, HS17, "low"),
    "hs12-high-aleutians-over-the-pole": ((52.0, 179.5), HS12, "high"),
    "hs12-high-fiji-dateline": (FIJI, HS12, "high"),
    "hs15-central-southern": ((-40.0, -70.0), HS15, "central"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_boundary_within_tolerance_along_whole_edges(name: str) -> None:
    site, test, level = CASES[name]
    geom = geo.standard_trajectory_footprint(site, *test, level=level)
    assert_rfc7946(geom)
    r = lofted_range(site, test, level)
    tol = min(100.0, float(r(np.arange(0.0, 360.0, 1.0)).min()))
    assert_within_tolerance(site, r, geom, tol)
    assert shapely.contains_xy(geom, site[1], site[0])


def test_hs15_central_from_pyongyang_reaches_past_the_north_pole() -> None:
    geom = geo.standard_trajectory_footprint(PYONGYANG, *HS15)
    assert geom.bounds[3] == 90.0
    assert geom.contains(Point(-100.0, 89.99)) and geom.contains(Point(60.0, 89.99))
    # beyond the pole: due north from Pyongyang, over the pole and 2,000 km down the far side
    _, _, to_pole = GEOD.inv(PYONGYANG[1], PYONGYANG[0], 0.0, 90.0)
    lon, lat, _ = GEOD.fwd(PYONGYANG[1], PYONGYANG[0], 0.0, to_pole + 2_000e3)
    assert lat < 80.0 and abs(lon - (PYONGYANG[1] - 180.0)) < 1e-6
    assert geom.contains(Point(lon, lat))


def test_dateline_case_is_cut_into_parts_that_meet() -> None:
    site = FIJI
    geom = geo.standard_trajectory_footprint(site, *HS12, level="high")
    assert isinstance(geom, MultiPolygon)
    east = max(p.bounds[2] for p in geom.geoms)
    west = min(p.bounds[0] for p in geom.geoms)
    assert east == 180.0 and west == -180.0
    display = geo.lofted.standard_trajectory_display(site, *HS12, level="high")
    assert display.fill.geom_type == "Polygon" and display.fill.bounds[2] > 180.0
    assert display.fill.area == pytest.approx(geom.area, rel=1e-9)


@pytest.mark.parametrize("lat", [90.0, -90.0])
def test_from_a_pole_it_is_the_engine_footprint_at_that_range(lat: float) -> None:
    site = (lat, 30.0)
    ranges = geo.standard_range_by_azimuth(site, *HS12, azimuth_deg=np.arange(0.0, 360.0, 7.0))
    assert np.ptp(ranges) < 1e-6 * ranges[0]
    ours = geo.standard_trajectory_footprint(site, *HS12)
    engine = geo.footprint(lat, 30.0, float(ranges[0]))
    assert_rfc7946(ours)
    assert ours.symmetric_difference(engine).area < 1e-6 * engine.area
    px, py = random_points(20_000, 2)
    differ = shapely.contains_xy(ours, px, py) != shapely.contains_xy(engine, px, py)
    _, _, d = GEOD.inv(
        np.full(differ.sum(), 30.0), np.full(differ.sum(), lat), px[differ], py[differ]
    )
    assert np.all(np.abs(np.asarray(d) - ranges[0] * 1000.0) <= 100.0)


def test_it_reaches_farther_east_than_west() -> None:
    r = lofted_range(PYONGYANG, HS12, "central")
    east_km, west_km = (float(v) for v in r(np.array([90.0, 270.0])))
    assert east_km > west_km + 300.0
    geom = geo.standard_trajectory_footprint(PYONGYANG, *HS12)
    between = 0.5 * (east_km + west_km) * 1000.0
    (e_lon, w_lon), (e_lat, w_lat), _ = GEOD.fwd(
        [PYONGYANG[1]] * 2, [PYONGYANG[0]] * 2, [90.0, 270.0], [between, between]
    )
    assert geom.contains(Point(e_lon, e_lat))
    assert not geom.contains(Point(w_lon, w_lat))


def test_whole_globe_when_every_bearing_reaches_the_antipode() -> None:
    geom = footprint_by_azimuth(10.0, 20.0, lambda az: np.full(az.shape, 20_015.0))
    assert geom.equals(shapely.box(-180.0, -90.0, 180.0, 90.0))


def test_capped_bearings_leave_a_hole_around_the_antipode_only() -> None:
    r = lofted_range(PYONGYANG, HS15, "central")
    capped = r(np.arange(0.0, 360.0, 1.0)) >= WHOLE_GLOBE_KM
    assert capped.any() and not capped.all()
    geom = geo.standard_trajectory_footprint(PYONGYANG, *HS15)
    antipode = Point(PYONGYANG[1] - 180.0, -PYONGYANG[0])
    assert not geom.contains(antipode)


@given(
    st.floats(-89.0, 89.0),
    st.floats(-180.0, 180.0),
    st.floats(200.0, 15_000.0),
    st.floats(0.0, 0.4),
    st.floats(0.0, 360.0),
)
def test_any_smooth_range_function_gives_a_valid_footprint_within_tolerance(
    lat: float, lon: float, mean_km: float, wobble: float, phase: float
) -> None:
    def r(az: np.ndarray) -> np.ndarray:
        # capped at WHOLE_GLOBE_KM per bearing, as documented
        return np.minimum(mean_km * (1.0 + wobble * np.sin(np.radians(az - phase))), WHOLE_GLOBE_KM)

    geom = footprint_by_azimuth(lat, lon, r)
    assert_rfc7946(geom)
    tol = min(100.0, mean_km * (1.0 - wobble))
    lon_e, lat_e = edge_points(geom, np.linspace(0.0, 1.0, 7))
    err = np.abs(radial_error_m((lat, lon), r, lon_e, lat_e))
    assert err.max() <= tol, (err.max(), tol)
    assert shapely.intersects_xy(geom, lon, lat)  # on the cut at lon +/-180: on the boundary


def test_bad_inputs_raise_clear_errors() -> None:
    with pytest.raises(InvalidRangeError, match="near-orbital"):
        geo.standard_trajectory_footprint(PYONGYANG, *HS17, level="central")
    with pytest.raises(InvalidRangeError, match="level='middle'"):
        geo.standard_trajectory_footprint(PYONGYANG, *HS15, level="middle")
    with pytest.raises(InvalidRangeError, match="apogee_km"):
        geo.standard_trajectory_footprint(PYONGYANG, -5.0, 950.0)
    with pytest.raises(InvalidCoordinateError, match="latitude"):
        geo.standard_trajectory_footprint((95.0, 0.0), *HS15)
    with pytest.raises(InvalidRangeError, match="finite range > 0"):
        footprint_by_azimuth(0.0, 0.0, lambda az: -np.ones(az.shape))
    with pytest.raises(InvalidRangeError, match="not callable"):
        footprint_by_azimuth(0.0, 0.0, 1500.0)  # type: ignore[arg-type]
