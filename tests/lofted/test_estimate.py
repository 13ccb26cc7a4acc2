"""geo.standard_trajectory_range: API, bounds, flags, monotonicity, display."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import geo
from geo.errors import InvalidBearingError, InvalidCoordinateError, InvalidRangeError
from geo.lofted import _kepler

HS15 = (4475.0, 950.0, 3180.0)


def test_hwasong15_2017() -> None:
    r = geo.standard_trajectory_range(*HS15)
    assert r.low_km < r.central_km < r.high_km  # type: ignore[operator]
    assert r.energy_km == r.low_km  # no site: the same non-rotating minimum-energy range
    assert not r.near_orbital
    assert 200 <= r.burn_time_s <= 300
    assert r.circular_speed_ratio == pytest.approx(0.91, abs=0.01)
    assert "vacuum Kepler" in r.method
    assert r.inputs == {
        "apogee_km": 4475.0,
        "distance_km": 950.0,
        "flight_time_s": 3180.0,
        "site": None,
        "azimuth_deg": None,
    }


def test_low_is_the_minimum_energy_range_of_the_lofted_ellipse() -> None:
    # independent: the energy of the symmetric ellipse through the surface, the apogee and the
    # range, then Bate-Mueller-White, written out here
    r0 = _kepler.R_MEAN_M
    ra = r0 + 4475e3
    half = 950e3 / r0 / 2
    e = (ra - r0) / (ra - r0 * math.cos(half))
    a = ra / (1 + e)
    q = 2 - r0 / a
    psi = 2 * math.asin(q / (2 - q))
    assert geo.standard_trajectory_range(4475, 950).low_km == pytest.approx(psi * r0 / 1e3)


def test_caveats_always_present() -> None:
    r = geo.standard_trajectory_range(*HS15)
    text = " ".join(r.warnings)
    assert "payload unknown" in text
    assert "drag" in text and "reentry" in text
    assert "as reported" in text


def test_no_flight_time_uses_class_defaults() -> None:
    two = geo.standard_trajectory_range(4475, 950)
    assert two.burn_time_s == 275.0
    assert any("class default" in w for w in two.warnings)
    one = geo.standard_trajectory_range(2111.5, 787)  # IRBM-class energy
    assert one.burn_time_s == 175.0


def test_coast_longer_than_flight_time_is_flagged() -> None:
    # KCNA's 2022-03-24 figures: 6,248.5 km, 1,090 km, 4,052 s; the coast alone takes longer
    r = geo.standard_trajectory_range(6248.5, 1090, 4052)
    assert any("inconsistent inputs" in w and "coast" in w for w in r.warnings)
    assert r.burn_time_s == 275.0


@pytest.mark.parametrize(("flight_time_s", "used"), [(3060.0, 100.0), (3500.0, 400.0)])
def test_implausible_burn_time_is_flagged_and_clamped(flight_time_s: float, used: float) -> None:
    r = geo.standard_trajectory_range(4475, 950, flight_time_s)
    assert r.burn_time_s == used
    assert any("outside 100-400 s" in w for w in r.warnings)


def test_near_orbital() -> None:
    r = geo.standard_trajectory_range(6040.9, 999.2, 4135)  # Hwasong-17, 2022-11-18
    assert r.near_orbital
    assert r.central_km is None and r.high_km is None
    assert r.warnings[0] == (
        f"≥ {r.low_km:,.0f} km; near-orbital energy for the test's — probably light — payload"
    )
    assert r.circular_speed_ratio >= 0.95


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"apogee_km": 0.0, "distance_km": 950}, ["apogee_km=0.0", "50"]),
        ({"apogee_km": -5.0, "distance_km": 950}, ["apogee_km=-5.0"]),
        ({"apogee_km": math.nan, "distance_km": 950}, ["apogee_km=nan"]),
        ({"apogee_km": math.inf, "distance_km": 950}, ["apogee_km=inf"]),
        ({"apogee_km": 40_001.0, "distance_km": 950}, ["apogee_km=40001.0", "40,000"]),
        ({"apogee_km": 4475, "distance_km": 0.0}, ["distance_km=0.0"]),
        ({"apogee_km": 4475, "distance_km": 20_016.0}, ["distance_km=20016.0", "20,015"]),
        ({"apogee_km": 4475, "distance_km": 950, "flight_time_s": -1.0}, ["flight_time_s=-1.0"]),
        ({"apogee_km": 4475, "distance_km": 950, "flight_time_s": 1e6}, ["14,400"]),
        ({"apogee_km": "high", "distance_km": 950}, ["apogee_km='high'", "not a number"]),
    ],
)
def test_bad_inputs_raise_with_value_and_bound(kwargs: dict[str, float], words: list[str]) -> None:
    with pytest.raises(InvalidRangeError) as info:
        geo.standard_trajectory_range(**kwargs)  # type: ignore[arg-type]
    for word in words:
        assert word in str(info.value)


def test_site_and_azimuth_go_together() -> None:
    with pytest.raises(InvalidBearingError, match="give both"):
        geo.standard_trajectory_range(*HS15, site=(39.0, 125.7))
    with pytest.raises(InvalidBearingError, match="finite"):
        geo.standard_trajectory_range(*HS15, site=(39.0, 125.7), azimuth_deg=math.nan)
    with pytest.raises(InvalidCoordinateError):
        geo.standard_trajectory_range(*HS15, site=(91.0, 125.7), azimuth_deg=90)
    with pytest.raises(InvalidCoordinateError):
        geo.standard_trajectory_range(*HS15, site=3.0, azimuth_deg=90)


def test_site_as_pair_site_or_name() -> None:
    site = geo.geocode("Pyongyang")
    by_name = geo.standard_trajectory_range(*HS15, site="Pyongyang", azimuth_deg=45)
    by_site = geo.standard_trajectory_range(*HS15, site=site, azimuth_deg=45)
    by_pair = geo.standard_trajectory_range(*HS15, site=(site.lat, site.lon), azimuth_deg=45)
    assert by_name.central_km == by_site.central_km == by_pair.central_km
    assert by_name.energy_km == geo.standard_trajectory_range(*HS15).energy_km
    assert "rotating Earth" in by_name.method


# lofted flights (the method's domain): the apogee is above that of the minimum-energy
# trajectory to the distance (~800 km at 3,000 km); below it a flatter flight needs more energy
apogees = st.floats(1000.0, 6000.0)
distances = st.floats(100.0, 3000.0)


def test_a_depressed_flight_is_flagged() -> None:
    r = geo.standard_trajectory_range(100, 1500)
    assert any("not lofted" in w for w in r.warnings)
    assert not any("not lofted" in w for w in geo.standard_trajectory_range(*HS15).warnings)


def _assert_not_farther(r1: geo.StandardRange, r2: geo.StandardRange) -> None:
    """Every level of *r1* is at most that of *r2* (only ``low`` when *r2* is near-orbital)."""
    assert r1.low_km <= r2.low_km
    if not r2.near_orbital:
        assert r1.central_km <= r2.central_km  # type: ignore[operator]
        assert r1.high_km <= r2.high_km  # type: ignore[operator]


@given(apogees, apogees, distances)
def test_monotone_in_apogee(a1: float, a2: float, d: float) -> None:
    lo_a, hi_a = sorted((a1, a2))
    assume(hi_a - lo_a > 1.0)
    _assert_not_farther(*(geo.standard_trajectory_range(a, d) for a in (lo_a, hi_a)))


@given(apogees, distances, distances)
def test_monotone_in_distance(a: float, d1: float, d2: float) -> None:
    lo_d, hi_d = sorted((d1, d2))
    assume(hi_d - lo_d > 1.0)
    _assert_not_farther(*(geo.standard_trajectory_range(a, d) for d in (lo_d, hi_d)))


def test_repr_html_escapes() -> None:
    class Evil:
        lat, lon = 39.0, 125.7

        def __str__(self) -> str:
            return "<script>alert(1)</script>"

    r = geo.standard_trajectory_range(*HS15, site=Evil(), azimuth_deg=60)
    html = r._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Standard-trajectory range (derived)" in html
    assert f"{r.central_km:,.0f} km" in html
    assert "payload unknown" in html
    near = geo.standard_trajectory_range(6040.9, 999.2, 4135)._repr_html_()
    assert "near-orbital" in near and "—" in near
