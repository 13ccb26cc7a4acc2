"""The rotating-Earth range by azimuth: poles, east against west, the non-rotating limit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import geo
from geo.errors import InvalidBearingError, InvalidRangeError
from geo.lofted import _kepler, _rotation

HS15 = (4475.0, 950.0, 3180.0)


def q_for(range_km: float) -> float:
    return float(_kepler.min_energy_q(range_km * 1e3 / _kepler.R_MEAN_M))


@given(
    st.sampled_from([90.0, -90.0]),
    st.lists(st.floats(-360.0, 360.0), min_size=2, max_size=8),
    st.floats(2000.0, 15000.0),
)
def test_from_a_pole_the_range_does_not_depend_on_azimuth(
    lat: float, bearings: list[float], range_km: float
) -> None:
    out = _rotation.rotating_range_km(lat, bearings, q_for(range_km), extra_time_s=100.0)
    # the pole does not move: the non-rotating range in every direction
    assert np.allclose(out, range_km, rtol=1e-7)


def test_without_rotation_it_is_the_closed_form(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_rotation, "OMEGA_RAD_S", 0.0)
    out = _rotation.rotating_range_km(39.0, np.arange(0, 360, 15.0), q_for(8000.0))
    assert np.allclose(out, 8000.0, rtol=1e-8)


lats = st.one_of(st.floats(20.0, 60.0), st.floats(-60.0, -20.0))


@given(lats, st.floats(5000.0, 12000.0))
def test_eastward_beats_westward(lat: float, range_km: float) -> None:
    east, west = _rotation.rotating_range_km(lat, [90.0, 270.0], q_for(range_km))
    assert east > range_km > west


def test_issue_anchor_39n_10000_km() -> None:
    # from 39 N, 10,000 km on a non-rotating Earth: east roughly +20 %, west roughly -11 %
    east, west = _rotation.rotating_range_km(39.0, [90.0, 270.0], q_for(10000.0)) / 10000.0 - 1
    assert 0.15 < east < 0.22
    assert -0.14 < west < -0.08


def test_by_azimuth_matches_the_single_estimate_and_is_smooth() -> None:
    bearings = np.arange(0.0, 360.0, 0.5)
    out = geo.standard_range_by_azimuth((39.0, 125.7), *HS15, azimuth_deg=bearings)
    assert out.shape == (720,)
    single = geo.standard_trajectory_range(*HS15, site=(39.0, 125.7), azimuth_deg=300.0)
    assert out[600] == pytest.approx(single.central_km, rel=1e-9)
    capped = out >= np.pi * _kepler.R_MEAN_M / 1e3 - 1e-6  # the whole globe along those bearings
    assert capped.any() and not capped.all()  # HS-15 central eastwards from Pyongyang: orbital
    # away from the orbital directions (where the range climbs steeply to the whole globe)
    calm = out < 18_000.0
    both = calm[:-1] & calm[1:]
    jumps = np.abs(np.diff(out))[both] / out[1:][both]
    assert jumps.max() < 0.02
    low = geo.standard_range_by_azimuth((39.0, 125.7), *HS15, azimuth_deg=bearings, level="low")
    assert np.all(low <= out)


def test_by_azimuth_errors() -> None:
    with pytest.raises(InvalidRangeError, match="level='middle'"):
        geo.standard_range_by_azimuth((39.0, 125.7), *HS15, azimuth_deg=[0.0], level="middle")
    with pytest.raises(InvalidRangeError, match="near-orbital"):
        geo.standard_range_by_azimuth((39.0, 125.7), 6040.9, 999.2, 4135, azimuth_deg=[0.0])
    with pytest.raises(InvalidBearingError):
        geo.standard_range_by_azimuth((39.0, 125.7), *HS15, azimuth_deg=[np.inf])
    low = geo.standard_range_by_azimuth(
        (39.0, 125.7), 6040.9, 999.2, 4135, azimuth_deg=[0.0], level="low"
    )
    assert low.shape == (1,)
