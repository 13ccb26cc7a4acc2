"""Golden cases: published standard-range estimates of lofted North Korean tests.

The rows (tests/lofted/data/published.csv) carry the reported flight data and the published
figure with its source. The rule, the same for every row (no per-case tuning): for a test that
is not near-orbital the published figure lies within [low_km, high_km]; for a near-orbital one
the result says so and its lower bound is at least 95 % of the published figure. The errors of
the central value are tabulated in docs/lofted.md.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import geo

_TEXT = (Path(__file__).parent / "data" / "published.csv").read_text(encoding="utf-8")
ROWS = list(csv.DictReader(line for line in _TEXT.splitlines() if not line.startswith("#")))


def test_the_table_has_the_2017_and_the_near_orbital_tests() -> None:
    years = {row["date"][:4] for row in ROWS}
    assert {"2017", "2022", "2023"} <= years
    assert all(row["source"].startswith("http") for row in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[row["case"] for row in ROWS])
def test_published_estimate_within_the_band(row: dict[str, str]) -> None:
    result = geo.standard_trajectory_range(
        float(row["apogee_km"]), float(row["distance_km"]), float(row["flight_time_s"])
    )
    published = float(row["published_km"])
    if result.near_orbital:
        assert row["date"] >= "2022"
        assert result.central_km is None and result.high_km is None
        assert result.low_km >= 0.95 * published
        assert result.warnings[0].startswith(f"≥ {result.low_km:,.0f} km; near-orbital")
    else:
        assert row["date"] < "2022"
        assert result.high_km is not None and result.central_km is not None
        assert result.low_km <= published <= result.high_km


@pytest.mark.parametrize(
    "case", ["hs14-2017-07-04-ucs", "hs14-2017-07-28-ucs", "hs15-2017-11-29-ucs"]
)
def test_central_within_minus_4_plus_15_percent_of_ucs(case: str) -> None:
    row = next(r for r in ROWS if r["case"] == case)
    result = geo.standard_trajectory_range(
        float(row["apogee_km"]), float(row["distance_km"]), float(row["flight_time_s"])
    )
    assert result.central_km is not None
    assert -0.04 <= result.central_km / float(row["published_km"]) - 1 <= 0.15


def test_japan_simple_calculation_is_the_low_end() -> None:
    # Japan MOD's 10,000 km for the 2017-11-29 test is the minimum-energy figure
    row = next(r for r in ROWS if r["case"] == "hs15-2017-11-29-jmod")
    result = geo.standard_trajectory_range(4475, 950, 3180)
    assert result.low_km == pytest.approx(float(row["published_km"]), rel=0.02)
