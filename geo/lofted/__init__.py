"""Lofted tests: the range of the same missile on a standard trajectory, on a rotating Earth.

See ``docs/lofted.md`` for the method, its assumptions and its errors against published
estimates.  ``_kepler`` holds the closed forms, ``_estimate`` the method, ``_rotation`` the
rotating Earth, ``_footprint`` the footprint whose range varies with azimuth, ``_claim``
the estimate as a derived claim.
"""

from __future__ import annotations

from geo.lofted._claim import (
    DERIVED_CLAIMANT,
    DERIVED_KIND,
    LOFTED_MIN_APOGEE_KM,
    is_lofted,
    standard_trajectory_claim,
)
from geo.lofted._estimate import (
    StandardRange,
    standard_range_by_azimuth,
    standard_range_grid,
    standard_trajectory_range,
)
from geo.lofted._footprint import (
    standard_trajectory_band,
    standard_trajectory_display,
    standard_trajectory_footprint,
)
from geo.lofted._rotation import RangeGrid

__all__ = [
    "DERIVED_CLAIMANT",
    "DERIVED_KIND",
    "LOFTED_MIN_APOGEE_KM",
    "RangeGrid",
    "StandardRange",
    "is_lofted",
    "standard_range_by_azimuth",
    "standard_range_grid",
    "standard_trajectory_band",
    "standard_trajectory_claim",
    "standard_trajectory_display",
    "standard_trajectory_footprint",
    "standard_trajectory_range",
]
