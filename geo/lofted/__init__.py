"""Lofted tests: the range of the same missile on a standard trajectory, on a rotating Earth.

See ``docs/lofted.md`` for the method, its assumptions and its errors against published
estimates.
"""

from __future__ import annotations

from geo.lofted._estimate import StandardRange, standard_range_by_azimuth, standard_trajectory_range

__all__ = ["StandardRange", "standard_range_by_azimuth", "standard_trajectory_range"]
