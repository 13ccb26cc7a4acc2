"""`georange lofted`, `georange map --apogee-km ...` and the derived band on the map."""

from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pandas as pd
import pytest
import shapely
from cli_run import run

import geo
from geo.footprint import GEOD
from geo.maps._popups import _by_azimuth

PYONGYANG = (39.0339, 125.7543)


def test_lofted_text_shows_the_levels_the_burn_and_every_warning() -> None:
    code, out, err = run(
        "lofted", "--apogee-km", "4475", "--distance-km", "950", "--flight-time-s", "3180"
    )
    assert code == 0, err
    expected = geo.standard_trajectory_range(4475, 950, 3180)
    assert "derived by georange" in out and "not a reported range" in out
    for value in (expected.low_km, expected.central_km, expected.high_km):
        assert f"{value:,.0f} km" in out
    assert f"burn time             {expected.burn_time_s:,.0f} s" in out
    assert "near-orbital          no" in out
    for warning in expected.warnings:
        assert f"  - {warning}" in out


def test_lofted_near_orbital_says_at_least_and_has_no_central() -> None:
    code, out, _ = run(
        "lofted", "--apogee-km", "6248.5", "--distance-km", "1090", "--flight-time-s", "4052"
    )
    assert code == 0
    assert re.search(r"low \(minimum energy\)  ≥ 17,766 km", out)
    assert re.search(r"central\s+—", out) and re.search(r"high\s+—", out)
    assert "near-orbital energy for the test's — probably light — payload" in out
    assert "inconsistent inputs" in out


def test_lofted_json_keys_are_the_attributes() -> None:
    code, out, _ = run(
        "lofted",
        "--apogee-km",
        "4475",
        "--distance-km",
        "950",
        "--flight-time-s",
        "3180",
        "--site",
        "39.0339, 125.7543",
        "--azimuth-deg",
        "90",
        "--format",
        "json",
    )
    assert code == 0
    record = json.loads(out)
    fields = [f.name for f in dataclasses.fields(geo.StandardRange)]
    assert list(record) == fields
    expected = geo.standard_trajectory_range(4475, 950, 3180, site=PYONGYANG, azimuth_deg=90)
    assert record["central_km"] == pytest.approx(expected.central_km, rel=1e-12)
    assert record["warnings"] == list(expected.warnings)
    assert record["inputs"]["azimuth_deg"] == 90.0
    assert "39.0339, 125.7543" in record["inputs"]["site"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--apogee-km", "-5", "--distance-km", "950"], "apogee_km=-5.0 is outside"),
        (["--apogee-km", "nan", "--distance-km", "950"], "apogee_km=nan"),
        (["--apogee-km", "4475", "--distance-km", "30000"], "distance_km=30000.0"),
        (["--apogee-km", "4475", "--distance-km", "950", "--flight-time-s", "0"], "flight_time_s"),
        (
            [
                "--apogee-km",
                "4475",
                "--distance-km",
                "950",
                "--site",
                "Nowhereville",
                "--azimuth-deg",
                "0",
            ],
            "unknown site 'Nowhereville'",
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_1(args: list[str], message: str) -> None:
    code, out, err = run("lofted", *args)
    assert code == 1 and out == ""
    assert err.startswith("georange: error: ") and message in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_site_without_azimuth_is_a_usage_error() -> None:
    code, _, err = run("lofted", "--apogee-km", "4475", "--distance-km", "950", "--site", "Sinpo")
    assert code == 2 and "--site and --azimuth-deg together" in err


def test_map_draws_the_band_labelled_as_derived(tmp_path) -> None:
    out = tmp_path / "band.html"
    args = ["map", "--site", "Pyongyang", "--apogee-km", "2111.5", "--distance-km", "787"]
    code, _, err = run(*args, "--flight-time-s", "1800", "--no-targets", "-o", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert html.count("georange.footprint(") == 3
    label = (
        "standard-trajectory estimate derived by georange from the lofted test: "
        "apogee 2,111.5 km, distance 787 km, time 1,800 s"
    )
    for level in ("low", "central", "high"):
        assert f"{label}; {level}" in html
        assert f"{level} (derived)" in html
    assert "standard-trajectory estimate (derived by georange, not reported)" in html
    # deterministic
    again = tmp_path / "again.html"
    run(*args, "--flight-time-s", "1800", "--no-targets", "-o", str(again))
    assert again.read_text(encoding="utf-8") == html


def test_map_of_a_near_orbital_test_shows_its_lower_bound_only(tmp_path) -> None:
    out = tmp_path / "hs17.html"
    code, _, err = run(
        "map",
        "--site",
        "Pyongyang",
        "--apogee-km",
        "6248.5",
        "--distance-km",
        "1090",
        "--no-targets",
        "-o",
        str(out),
    )
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert html.count("georange.footprint(") == 1 and "low (a lower bound: near-orbital)" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--site", "Pyongyang", "--apogee-km", "4475"], "together"),
        (["--apogee-km", "4475", "--distance-km", "950"], "need --site"),
        (["--site", "Sinpo", "--flight-time-s", "3000", "--range-km", "100"], "--flight-time-s"),
        (
            ["--site", "Sinpo", "--apogee-km", "4475", "--distance-km", "950", "--range-km", "1"],
            "leave out --range-km",
        ),
    ],
)
def test_map_lofted_usage_errors(args: list[str], message: str, tmp_path) -> None:
    code, _, err = run("map", *args, "-o", str(tmp_path / "x.html"))
    assert code == 2 and message in err


def test_map_bad_lofted_input_exits_1_without_traceback(tmp_path) -> None:
    code, _, err = run(
        "map",
        "--site",
        "Sinpo",
        "--apogee-km",
        "40",
        "--distance-km",
        "950",
        "-o",
        str(tmp_path / "x.html"),
    )
    assert code == 1 and err.startswith("georange: error: apogee_km=40.0 is outside")
    assert not (tmp_path / "x.html").exists()


def test_targets_are_judged_by_the_range_at_their_bearing() -> None:
    grid = geo.lofted.standard_range_grid(PYONGYANG, 2111.5, 787, 1800)
    east, west = (float(v) for v in grid(np.array([90.0, 270.0])))
    middle = 0.5 * (east + west) * 1000.0
    lons, lats, _ = GEOD.fwd([PYONGYANG[1]] * 2, [PYONGYANG[0]] * 2, [90.0, 270.0], [middle] * 2)
    targets = pd.DataFrame({"name": ["east", "west"], "lat": lats, "lon": lons})
    table = geo.reach(PYONGYANG, grid.max_km, targets=targets)
    judged = _by_azimuth(table, grid).set_index("name")
    assert bool(judged.loc["east", "in_range"]) and not bool(judged.loc["west", "in_range"])
    assert judged.loc["east", "margin_km"] == pytest.approx(east - middle / 1000.0, abs=0.01)
    # the drawn footprint agrees
    geom = geo.standard_trajectory_footprint(PYONGYANG, 2111.5, 787, 1800)
    assert list(shapely.contains_xy(geom, lons, lats)) == [True, False]
