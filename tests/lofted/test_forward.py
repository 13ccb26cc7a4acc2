"""Forward check: fly a two-stage rocket lofted and standard; the inverse brackets the latter.

tests/lofted/sim.py is an independent point-mass RK4 flight (no drag, spherical non-rotating
Earth). The reported quantities of its lofted flight (apogee, ground range, flight time) go
into geo.standard_trajectory_range; the range of its standard flight must lie in
[low_km, high_km].
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import geo

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sim


@pytest.mark.parametrize("payload_kg", [1400.0, 2000.0])
def test_inverse_of_the_lofted_flight_brackets_the_standard_flight(payload_kg: float) -> None:
    lofted = sim.lofted(payload_kg=payload_kg)
    assert lofted.apogee_km > 3000 and lofted.range_km < 1000  # really lofted
    _, standard = sim.standard(payload_kg=payload_kg)
    result = geo.standard_trajectory_range(lofted.apogee_km, lofted.range_km, lofted.flight_time_s)
    assert result.high_km is not None and result.central_km is not None
    assert result.low_km <= standard.range_km <= result.high_km
    # the burn geometry recovers the burn time and the burnout altitude
    assert result.burn_time_s == pytest.approx(lofted.burn_time_s, rel=0.05)
    assert result.burnout_altitude_km == pytest.approx(lofted.burnout_altitude_km, rel=0.15)
    # and the standard ascent saves gravity loss as the model assumes (0.8 of the lofted loss
    # or better)
    assert standard.gravity_loss_m_s < 0.8 * lofted.gravity_loss_m_s
