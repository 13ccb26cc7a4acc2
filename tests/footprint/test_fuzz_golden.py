"""Named cases the fuzz (and issue 13) found, judged by the independent oracle; and the
engine's choices for the edge cases it found, each stated in a docstring and tested here."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from checks import Case, area_fraction
from footprint.fuzzcases import footprint_of
from footprint.oracle import judge
from shapely.geometry import Polygon

import geo
from geo.footprint import GEOD, _rings, default_tolerance_m

FUZZ = Path(__file__).parent.parent / "data" / "footprint" / "fuzz"


def fuzz_cases() -> list[str]:
    return sorted(p.stem for p in FUZZ.glob("*.json"))


def test_there_are_fuzz_cases() -> None:
    assert len(fuzz_cases()) >= 17


def _case_params() -> list[object]:
    """The cases; one whose file says ``open`` is a known failure (strict: it must fail)."""
    params: list[object] = []
    for name in fuzz_cases():
        why = json.loads((FUZZ / f"{name}.json").read_text()).get("open")
        marks = [pytest.mark.xfail(reason=why, strict=True)] if why else []
        params.append(pytest.param(name, marks=marks))
    return params


@pytest.mark.parametrize("name", _case_params())
def test_fuzz_case(name: str) -> None:
    spec = json.loads((FUZZ / f"{name}.json").read_text())
    bearing = tuple(spec["bearing"]) if spec["bearing"] else None
    case = Case(
        spec["lat"], spec["lon"], spec["range_km"], spec["min_range_km"], bearing,
        spec["tolerance_m"],
    )  # fmt: skip
    geom = footprint_of(case)
    want = spec["expect"]
    if "geom_type" in want:
        assert geom.geom_type == want["geom_type"]
        assert len(shapely.get_parts(geom)) == want["parts"]
    for seed in range(3):  # denser probes than the fuzz's, three draws
        verdict = judge(case, geom, n_arc=512, n_side=128, seed=seed)
        assert verdict.ok, verdict
    for key, lat in (("north_pole", 90.0), ("south_pole", -90.0)):
        if key in want:
            assert bool(shapely.intersects_xy(geom, 0.0, lat)) is want[key], key
    if "site_inside" in want:
        assert bool(shapely.intersects_xy(geom, case.lon, case.lat)) is want["site_inside"]
    if "area_fraction" in want:
        assert area_fraction(geom) == pytest.approx(want["area_fraction"], abs=1e-9)


def test_a_sector_within_the_tolerance_of_the_full_circle_is_the_disk() -> None:
    # the wedge left out is 1e-6 deg: at most 0.11 m wide anywhere, within 100 m
    def off_circle_m(geom: Polygon) -> float:
        x, y = np.asarray(geom.exterior.coords).T
        d = GEOD.inv(np.full(x.size, 20.0), np.full(x.size, 10.0), x, y)[2]
        return float(np.abs(np.asarray(d) - 3.0e6).max())

    near_full = geo.footprint(10.0, 20.0, 3000, bearing=(1, 0.999999))
    assert isinstance(near_full, Polygon) and off_circle_m(near_full) < 1e-3  # no sides
    # 1e-3 deg leaves out a wedge up to 52 m wide at 3,000 km: within 100 m, a disk too
    assert off_circle_m(geo.footprint(10.0, 20.0, 3000, bearing=(1, 0.999))) < 1e-3  # type: ignore[arg-type]
    # 1e-2 deg: up to 520 m wide, a sector (its sides reach the site)
    assert off_circle_m(geo.footprint(10.0, 20.0, 3000, bearing=(1, 0.99))) > 2.9e6  # type: ignore[arg-type]


def test_a_range_below_the_tolerance_is_drawn_at_half_the_tolerance() -> None:
    geom = geo.footprint(40.0, 120.0, 0.00001, tolerance_m=10.0)  # 1 cm, drawn at 5 m
    assert isinstance(geom, Polygon) and geom.is_valid and not geom.is_empty
    x, y = np.asarray(geom.exterior.coords).T
    d = GEOD.inv(np.full(x.size, 120.0), np.full(x.size, 40.0), x, y)[2]
    assert np.allclose(d, 5.0, atol=1e-6)


def test_a_hole_within_half_its_tolerance_is_left_out() -> None:
    disk = geo.footprint(40.0, 120.0, 500, tolerance_m=2.0)
    assert geo.footprint(40.0, 120.0, 500, min_range_km=0.0009, tolerance_m=2.0).equals(disk)
    holed = geo.footprint(40.0, 120.0, 500, min_range_km=0.0011, tolerance_m=2.0)
    assert isinstance(holed, Polygon) and len(holed.interiors) == 1


@pytest.mark.parametrize(
    ("lat", "lon", "rng", "rmin", "bearing"),
    [
        (39.0, 125.7, 1500.0, 800.0, (30.0, 80.0)),
        (16.85, -180.0, 12157.0, 7353.0, (353.498, 353.499)),  # the 1 cm golden case's shape
        (68.5, -180.0, 19471.9, 6693.5, (-171.7222, -171.7212)),  # near the antipode
        (-60.0, 170.0, 5000.0, 4000.0, (100.0, 260.0)),  # through the south pole's side
    ],
)
def test_where_a_hole_meets_a_sector_side_the_corner_is_an_exact_vertex(
    lat: float, lon: float, rng: float, rmin: float, bearing: tuple[float, float]
) -> None:
    # Were the corner where the drawn side and the drawn hole cross, it would be off by the
    # side's error one way and the hole's the other (the fuzz found 1.047 tolerances)
    geom = geo.footprint(lat, lon, rng, min_range_km=rmin, bearing=bearing)
    xy = shapely.get_coordinates(geom)
    for az in bearing:
        c_lon, c_lat, _ = GEOD.fwd(lon, lat, az, rmin * 1000.0)
        c_lon = (c_lon + 180.0) % 360.0 - 180.0
        gap = np.hypot(((xy[:, 0] - c_lon + 180.0) % 360.0) - 180.0, xy[:, 1] - c_lat).min()
        assert gap < 1e-9, (az, gap)  # degrees: a nanometre-scale rounding at most


def test_tolerance_below_a_millimetre_is_an_error_that_states_the_bound() -> None:
    with pytest.raises(geo.InvalidRangeError, match=r"tolerance_m 0\.0005 .*≥ 0\.001"):
        geo.footprint(40.0, 120.0, 10, tolerance_m=0.0005)
    assert default_tolerance_m(1e-7) == 0.001


@pytest.mark.parametrize("cap", ["_MAX_VERTICES", "_MAX_ROUNDS"])
def test_refinement_past_its_cap_is_a_clear_error(
    cap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_rings, cap, 0 if cap == "_MAX_ROUNDS" else 100)
    with pytest.raises(geo.RefinementError, match=r"could not be brought within tolerance_m 1"):
        geo.footprint(40.0, 120.0, 8000, tolerance_m=1.0)
    assert issubclass(geo.RefinementError, geo.GeorangeError)
