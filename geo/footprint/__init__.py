"""Geodesic footprints on the WGS84 ellipsoid: disks, annuli and sectors."""

from __future__ import annotations

from geo.footprint._assembly import (
    ANTIPODAL_KM,
    WHOLE_GLOBE_KM,
    DisplayFootprint,
    default_tolerance_m,
    footprint,
    footprint_display,
    footprints,
)
from geo.footprint._assembly import (
    GEOD as GEOD,  # the ellipsoid, for tests and users who check against it
)

__all__ = [
    "ANTIPODAL_KM",
    "WHOLE_GLOBE_KM",
    "DisplayFootprint",
    "default_tolerance_m",
    "footprint",
    "footprint_display",
    "footprints",
]
