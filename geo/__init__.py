"""georange: where a reported missile can reach, as true geodesic footprints on WGS84.

The public API is this facade; see ``__all__``.
"""

from __future__ import annotations

import typing

__version__ = "0.1.0"

from geo.basemap import BasemapLayers, basemap_layers
from geo.catalog import (
    CnsImport,
    claim_footprints,
    class_footprints,
    import_cns,
    load_catalog,
    load_missiles,
    load_targets,
)
from geo.errors import (
    AmbiguousSiteError,
    AssetError,
    BasemapError,
    CatalogError,
    ExportError,
    ExtractionError,
    GeorangeError,
    InputFileError,
    InvalidBearingError,
    InvalidCoordinateError,
    InvalidRangeError,
    OutputPathError,
    RefinementError,
    SiteMismatchError,
    UnknownSiteError,
)
from geo.export import (
    export_catalog,
    export_footprints,
    geojson_text,
    kml_text,
    site_footprints,
    write_geopackage,
)
from geo.extract import Claim, extract_claims
from geo.footprint import DisplayFootprint, footprint, footprint_display, footprints
from geo.gazetteer import Gazetteer, Site, as_site, geocode
from geo.lofted import (
    StandardRange,
    standard_range_by_azimuth,
    standard_trajectory_footprint,
    standard_trajectory_range,
)
from geo.maps import (
    build_maps,
    catalog_map,
    lofted_map,
    range_map,
    render_html,
    report_map,
    site_reach_map,
)
from geo.reach import (
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
    "AmbiguousSiteError",
    "AssetError",
    "BasemapError",
    "BasemapLayers",
    "CatalogError",
    "Claim",
    "CnsImport",
    "DisplayFootprint",
    "ExportError",
    "ExtractionError",
    "Gazetteer",
    "GeorangeError",
    "InputFileError",
    "InvalidBearingError",
    "InvalidCoordinateError",
    "InvalidRangeError",
    "OutputPathError",
    "RangeNeeded",
    "ReachSummary",
    "RefinementError",
    "Site",
    "SiteMismatchError",
    "StandardRange",
    "UnknownSiteError",
    "__version__",
    "as_site",
    "basemap_layers",
    "build_maps",
    "catalog_map",
    "cities_in_range",
    "claim_footprints",
    "class_footprints",
    "export_catalog",
    "export_footprints",
    "extract_claims",
    "footprint",
    "footprint_display",
    "footprints",
    "geocode",
    "geojson_text",
    "import_cns",
    "kml_text",
    "load_catalog",
    "load_cities",
    "load_missiles",
    "load_targets",
    "lofted_map",
    "population_by_country",
    "range_figure",
    "range_map",
    "range_needed",
    "reach",
    "reach_parquet",
    "reach_summary",
    "reach_union",
    "render_html",
    "report_map",
    "save_figure",
    "site_footprints",
    "site_reach_map",
    "standard_range_by_azimuth",
    "standard_trajectory_footprint",
    "standard_trajectory_range",
    "within_any_range",
    "within_range",
    "write_geopackage",
]

if typing.TYPE_CHECKING:
    from geo.figure import range_figure, save_figure

#: Names loaded on first use: the print figures import matplotlib (~0.25 s), which no map,
#: export or reach needs, so ``import geo`` and every ``georange`` command start without it.
_ON_FIRST_USE = {"range_figure": "geo.figure", "save_figure": "geo.figure"}


def __getattr__(name: str) -> object:
    import importlib

    if name == "figure":  # the package itself, as ``geo.figure.event_figures``
        return importlib.import_module("geo.figure")
    if name not in _ON_FIRST_USE:
        raise AttributeError(f"module 'geo' has no attribute {name!r}")
    value = getattr(importlib.import_module(_ON_FIRST_USE[name]), name)
    globals()[name] = value
    return value
