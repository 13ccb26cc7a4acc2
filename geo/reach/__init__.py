"""What lies within range: targets, cities and people, with exact geodesic verdicts."""

from __future__ import annotations

from geo.reach._points import (
    R_MAX_M,
    R_MIN_M,
    RangeNeeded,
    ReachSummary,
    cities_in_range,
    load_cities,
    population_by_country,
    range_needed,
    reach,
    reach_parquet,
    reach_summary,
    reach_union,
    within_any_range,
    within_range,
)

__all__ = [
    "R_MAX_M",
    "R_MIN_M",
    "RangeNeeded",
    "ReachSummary",
    "cities_in_range",
    "load_cities",
    "population_by_country",
    "range_needed",
    "reach",
    "reach_parquet",
    "reach_summary",
    "reach_union",
    "within_any_range",
    "within_range",
]
