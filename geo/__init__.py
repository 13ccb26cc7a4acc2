"""georange: where a reported missile can reach, as true geodesic footprints on WGS84.

The public API is this facade; see ``__all__``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from geo.errors import (
    AmbiguousSiteError,
    CatalogError,
    GeorangeError,
    InvalidBearingError,
    InvalidCoordinateError,
    InvalidRangeError,
    UnknownSiteError,
)

__all__ = [
    "AmbiguousSiteError",
    "CatalogError",
    "GeorangeError",
    "InvalidBearingError",
    "InvalidCoordinateError",
    "InvalidRangeError",
    "UnknownSiteError",
    "__version__",
]
