"""The footprint engine, checked against pyproj's Geod.inv (never against itself)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from checks import Case, area_fraction, max_boundary_error, misclassified, random_points
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon

import geo
from geo.footprint import ANTIPODAL_KM, GEOD, WHOLE_GLOBE_KM, default_tolerance_m

GOLDEN = Path(__file__).parent.parent / "data" / "footprint"


def tolerance(case: Case) -> float:
    """The footprint's stated tolerance: each boundary ring gets min(100 m, its range/1000),
    so the largest is the outer ring's."""
    return default_tolerance_m(case.range_km)


def build(case: Case) -> Polygon | MultiPolygon:
    return geo.footprint(case.lat, case.lon, case.range_km, **case.kwargs())  # type: ignore[arg-type]


def assert_rfc7946(geom: Polygon | MultiPolygon) -> None:
    assert geom.is_valid, shapely.is_valid_reason(geom)
    assert isinstance(geom, Polygon | MultiPolygon)
    x0, y0, x1, y1 = geom.bounds
    assert x0 >= -180.0 and x1 <= 180.0 and y0 >= -90.0 and y1 <= 90.0
    for part in shapely.get_parts(geom):
        assert part.exterior.is_ccw
        assert all(not hole.is_ccw for hole in part.interiors)


def assert_correct(
    case: Case, geom: Polygon | MultiPolygon, n_points: int = 20_000, seed: int = 0
) -> None:
    """Boundary within tolerance at vertices and midpoints; sampled verdicts agree with Geod.inv."""
    tol = tolerance(case)
    assert_rfc7946(geom)
    if case.range_km < WHOLE_GLOBE_KM:
        err_vertex, err_mid = max_boundary_error(case, geom)
        # vertices come from Geod.fwd (exact) except where an annular sector's inner arc
        # meets its sides (GEOS intersects two edges) and where a boundary passes a pole
        # closer than the tolerance (drawn off or over the pole): all within the tolerance
        assert err_vertex <= tol, err_vertex
        assert err_mid <= tol, (err_mid, tol)
    lon, lat = random_points(n_points, seed)
    # add points hugging the boundary: on the true circle +/- a small fraction of the tolerance
    # (tests/checks.truth classifies them with Geod.inv)
    bad = misclassified(case, geom, lon, lat)
    if case.range_km < WHOLE_GLOBE_KM:
        assert np.all(bad <= tol), (bad.max(), tol)


# --- named cases: golden files --------------------------------------------------------


def golden_cases() -> list[str]:
    return sorted(p.stem for p in GOLDEN.glob("*.json"))


@pytest.mark.parametrize("name", golden_cases())
def test_golden_case(name: str) -> None:
    spec = json.loads((GOLDEN / f"{name}.json").read_text())
    case = Case(
        spec["lat"],
        spec["lon"],
        spec["range_km"],
        spec.get("min_range_km", 0.0),
        tuple(spec["bearing"]) if spec.get("bearing") else None,
    )
    geom = build(case)
    want = spec["expect"]
    assert geom.geom_type == want["geom_type"]
    assert len(shapely.get_parts(geom)) == want["parts"]
    assert area_fraction(geom) == pytest.approx(
        want["area_fraction"], abs=want.get("area_abs", 5e-4)
    )
    for pole, inside in (("north_pole", 90.0), ("south_pole", -90.0)):
        if pole in want:
            covered = bool(shapely.intersects_xy(geom, 0.0, inside))
            assert covered is want[pole], pole
    if "site_inside" in want:
        assert bool(shapely.intersects_xy(geom, case.lon, case.lat)) is want["site_inside"]
    assert_correct(case, geom, n_points=50_000)
    if want.get("exact_vertices", True):  # no pole grazed: every vertex is a Geod.fwd point
        assert max_boundary_error(case, geom)[0] < 1e-3


def test_golden_files_exist() -> None:
    # DESIGN.md's regression cases must all be present
    assert {
        "pyongyang-5000",
        "pyongyang-13000",
        "pyongyang-19000",
        "thule-2000",
        "mcmurdo-1500",
        "equator-10001.97",
        "site-north-pole",
        "site-south-pole",
        "site-lon-180",
        "site-lon-minus-180",
        "whole-globe-19969",
        "fiji-1000",
    } <= set(golden_cases())


def test_pyongyang_13000_area_and_shape() -> None:
    geom = geo.footprint(39.0339, 125.7543, 13000)
    assert geom.geom_type == "Polygon"  # one part, through the North Pole
    assert area_fraction(geom) == pytest.approx(0.7266, abs=5e-4)
    assert geom.bounds[0] == -180.0 and geom.bounds[2] == 180.0 and geom.bounds[3] == 90.0


def test_pyongyang_5000_is_cut_at_the_dateline() -> None:
    geom = geo.footprint(39.0339, 125.7543, 5000)
    assert isinstance(geom, MultiPolygon) and len(geom.geoms) == 2
    east, west = sorted(geom.geoms, key=lambda g: -g.bounds[0])
    assert west.bounds[0] == -180.0 and east.bounds[2] == 180.0


def test_longitudes_outside_180_are_normalized() -> None:
    a = geo.footprint(10.0, 190.0, 1000)
    b = geo.footprint(10.0, -170.0, 1000)
    assert a.equals(b)


def test_tolerance_is_honoured() -> None:
    case = Case(60.0, 30.0, 3000.0)
    for tol in (1000.0, 10.0):
        geom = geo.footprint(case.lat, case.lon, case.range_km, tolerance_m=tol)
        _, err_mid = max_boundary_error(case, geom)
        assert err_mid <= tol
    coarse = geo.footprint(case.lat, case.lon, case.range_km, tolerance_m=1000.0)
    fine = geo.footprint(case.lat, case.lon, case.range_km, tolerance_m=10.0)
    assert shapely.get_num_coordinates(fine) > 5 * shapely.get_num_coordinates(coarse)


def test_points_within_a_metre_of_the_range() -> None:
    # points just inside / just outside the true circle (Geod.fwd at r -/+ 0.5 tolerance
    # and farther) get the verdict Geod.inv gives, except within the tolerance band
    case = Case(71.0, 179.0, 2500.0)
    geom = build(case)
    tol = tolerance(case)
    az = np.linspace(0, 360, 3600, endpoint=False)
    for offset in (-3 * tol, -1.5 * tol, 1.5 * tol, 3 * tol):
        lon, lat, _ = GEOD.fwd(
            np.full(az.size, case.lon),
            np.full(az.size, case.lat),
            az,
            np.full(az.size, case.range_km * 1000 + offset),
        )
        inside = shapely.contains_xy(geom, np.asarray(lon), np.asarray(lat))
        assert inside.all() if offset < 0 else not inside.any()


# --- annuli and sectors -----------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        Case(39.0339, 125.7543, 13000, min_range_km=5000),
        Case(80.0, 0.0, 5000, min_range_km=2000),
        Case(-17.7, 178.0, 1500, min_range_km=500),
        Case(39.0339, 125.7543, 19500, min_range_km=10000),
        Case(0.0, 0.0, 19990, min_range_km=15000),
    ],
    ids=["icbm-band", "polar-band", "fiji-band", "both-poles-band", "globe-minus-disk"],
)
def test_annulus(case: Case) -> None:
    geom = build(case)
    assert_correct(case, geom)
    assert not shapely.intersects_xy(geom, case.lon, case.lat)


@pytest.mark.parametrize(
    "case",
    [
        Case(40.0347, 128.1856, 1500, bearing=(45.0, 135.0)),
        Case(76.53, -68.70, 3000, bearing=(300.0, 60.0)),
        Case(39.0339, 125.7543, 13000, bearing=(10.0, 100.0)),
        Case(-17.7, 178.0, 2000, bearing=(60.0, 120.0)),
        Case(90.0, 0.0, 500, bearing=(0.0, 90.0)),
        Case(39.0339, 125.7543, 8000, min_range_km=3000, bearing=(0.0, 200.0)),
    ],
    ids=[
        "sinpo-east",
        "thule-north-over-pole",
        "icbm-fan",
        "fiji-east",
        "from-north-pole",
        "fan-band",
    ],
)
def test_sector(case: Case) -> None:
    geom = build(case)
    assert_correct(case, geom)
    start, end = case.bearing or (0.0, 0.0)
    mid = start + ((end - start) % 360.0) / 2
    lon, lat, _ = GEOD.fwd(
        case.lon, case.lat, mid, 0.5 * (case.range_km + case.min_range_km) * 1000
    )
    assert shapely.intersects_xy(geom, lon, lat)  # the apex direction is inside


def test_full_circle_bearing_is_a_disk() -> None:
    a = geo.footprint(10.0, 20.0, 800, bearing=(0, 360))
    b = geo.footprint(10.0, 20.0, 800)
    assert a.symmetric_difference(b).area < 1e-9


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "needle"),
    [
        ({"range_km": 0}, geo.InvalidRangeError, "range_km 0"),
        ({"range_km": -5}, geo.InvalidRangeError, "-5"),
        ({"range_km": math.nan}, geo.InvalidRangeError, "nan"),
        ({"range_km": math.inf}, geo.InvalidRangeError, "inf"),
        ({"range_km": "far"}, geo.InvalidRangeError, "'far'"),
        ({"min_range_km": 2000}, geo.InvalidRangeError, "min_range_km 2000"),
        ({"min_range_km": -1}, geo.InvalidRangeError, "min_range_km -1"),
        ({"lat": 91}, geo.InvalidCoordinateError, "latitude 91"),
        ({"lat": math.nan}, geo.InvalidCoordinateError, "latitude nan"),
        ({"lon": math.inf}, geo.InvalidCoordinateError, "longitude inf"),
        ({"bearing": (0, math.nan)}, geo.InvalidBearingError, "bearing"),
        ({"bearing": (10, 10)}, geo.InvalidBearingError, "zero width"),
        ({"tolerance_m": 0}, geo.InvalidRangeError, "tolerance_m 0"),
    ],
)
def test_bad_input(kwargs: dict[str, object], error: type[Exception], needle: str) -> None:
    args: dict[str, object] = {"lat": 39.0, "lon": 125.0, "range_km": 1500}
    args.update(kwargs)
    with pytest.raises(error) as info:
        geo.footprint(args.pop("lat"), args.pop("lon"), args.pop("range_km"), **args)  # type: ignore[arg-type]
    assert needle in str(info.value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, geo.GeorangeError)


# --- batch --------------------------------------------------------------------------------


def test_batch_matches_single_calls_and_keeps_columns() -> None:
    frame = pd.DataFrame(
        {
            "name": ["Sinpo", "Kimchaek", "Thule", "Fiji", "Pyongyang"],
            "lat": [40.0347, 40.6672, 76.53, -17.7134, 39.0339],
            "lon": [128.1856, 129.2006, -68.70, 178.065, 125.7543],
            "range_km": [1500, 150, 2000, 1000, 13000],
            "min_km": [0.0, 0.0, 500.0, 0.0, 5000.0],
        },
        index=[10, 11, 12, 13, 14],
    )
    gdf = geo.footprints(frame, min_range_km="min_km")
    assert list(gdf.index) == [10, 11, 12, 13, 14]
    assert list(gdf.columns) == [
        "name",
        "lat",
        "lon",
        "range_km",
        "min_km",
        "geometry",
        "tolerance_m",
    ]
    assert gdf.crs.to_epsg() == 4326
    for row in frame.itertuples():
        single = geo.footprint(row.lat, row.lon, row.range_km, min_range_km=row.min_km)
        assert gdf.geometry[row.Index].equals(single)


def test_batch_bad_row_is_named() -> None:
    frame = pd.DataFrame({"lat": [10.0, 95.0], "lon": [0.0, 0.0], "range_km": [100, 100]})
    with pytest.raises(geo.InvalidCoordinateError, match="row 1"):
        geo.footprints(frame)


def test_batch_sectors() -> None:
    frame = pd.DataFrame(
        {
            "lat": [40.0, 76.5],
            "lon": [128.0, -68.7],
            "range_km": [1500, 3000],
            "b0": [45, 300],
            "b1": [135, 60],
        }
    )
    gdf = geo.footprints(frame, bearing=("b0", "b1"))
    for row, geom in zip(frame.itertuples(), gdf.geometry, strict=True):
        assert_correct(
            Case(row.lat, row.lon, row.range_km, bearing=(row.b0, row.b1)), geom, n_points=5000
        )


# --- display form -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        Case(-17.7134, 178.065, 1000),
        Case(39.0339, 125.7543, 13000),
        Case(39.0339, 125.7543, 19000),
        Case(40.0, 128.0, 1500),
        Case(39.0, 125.75, 13000, min_range_km=5000),
    ],
    ids=["fiji", "icbm", "both-poles", "plain", "band"],
)
def test_display_form(case: Case) -> None:
    d = geo.footprint_display(case.lat, case.lon, case.range_km, min_range_km=case.min_range_km)
    assert d.analysis.equals(build(case))
    x0, _, x1, _ = d.fill.bounds
    assert case.lon - 180.0 - 1e-9 <= x0 and x1 <= case.lon + 180.0 + 1e-9
    assert d.fill.is_valid
    # same area as the analysis geometry (the display is the same set, re-joined)
    assert area_fraction(d.fill) == pytest.approx(area_fraction(d.analysis), abs=1e-6)
    assert len(d.outlines) == (2 if case.min_range_km else 1)
    for line, r in zip(d.outlines, (case.range_km, case.min_range_km), strict=False):
        xy = np.asarray(line.coords)
        assert np.all(np.abs(np.diff(xy[:, 0])) < 90)  # continuous: no jump of 360 at the dateline
        _, _, dist = GEOD.inv(
            np.full(len(xy), case.lon), np.full(len(xy), case.lat), xy[:, 0], xy[:, 1]
        )
        assert np.allclose(dist, r * 1000, atol=1e-3)


def test_fiji_display_is_one_piece() -> None:
    d = geo.footprint_display(-17.7134, 178.065, 1000)
    assert d.fill.geom_type == "Polygon" and d.fill.bounds[2] > 180.0


# --- properties -------------------------------------------------------------------------

lats = st.one_of(st.sampled_from([90.0, -90.0, 0.0, 89.9999, -89.9999]), st.floats(-90, 90))
lons = st.one_of(st.sampled_from([180.0, -180.0, 0.0, 179.9999]), st.floats(-540, 540))
ranges = st.one_of(
    st.floats(0.001, 20_100),
    st.floats(0.001, 10),
    st.sampled_from([ANTIPODAL_KM / 2, WHOLE_GLOBE_KM - 0.001, WHOLE_GLOBE_KM, 20_100.0]),
)


@given(lat=lats, lon=lons, range_km=ranges)
def test_property_disk(lat: float, lon: float, range_km: float) -> None:
    geom = geo.footprint(lat, lon, range_km)
    case = Case(lat, (lon + 180) % 360 - 180, range_km)
    assert_correct(case, geom, n_points=400, seed=int(abs(lat * 1000)) % 1000)
    assert shapely.intersects_xy(geom, case.lon, lat)  # the site is inside its own footprint


@given(lat=lats, lon=lons, range_km=st.floats(0.01, 20_100), share=st.floats(0.01, 0.99))
def test_property_annulus(lat: float, lon: float, range_km: float, share: float) -> None:
    case = Case(lat, (lon + 180) % 360 - 180, range_km, min_range_km=range_km * share)
    assert_correct(case, build(case), n_points=400)


@given(
    lat=lats,
    lon=lons,
    range_km=st.floats(0.01, 19_900),
    start=st.floats(-360, 360),
    width=st.floats(1, 359),
)
def test_property_sector(
    lat: float, lon: float, range_km: float, start: float, width: float
) -> None:
    # bearings are accepted within [-360, 360] (issue 13): the end wraps to stay inside
    end = start + width - 360.0 * (start + width > 360.0)
    case = Case(lat, (lon + 180) % 360 - 180, range_km, bearing=(start, end))
    assert_correct(case, build(case), n_points=400)
