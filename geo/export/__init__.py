"""Footprints as files for other tools: GeoJSON (RFC 7946), KML for Google Earth, GeoPackage.

Every export carries the provenance of each footprint (the claim's columns:
range, kind of number, claimant, date, source, site and its precision, the
tolerance used) and is reproducible: the same input gives the same bytes
(GeoJSON, KML) or the same data (GeoPackage; see :func:`write_geopackage`).
Order follows the input; ids come from ``claim_id``.

Geometry is the engine's analysis geometry (:func:`geo.footprint`): lon/lat on
WGS84, counter-clockwise exteriors, cut at +/-180, closed along a pole the
footprint contains.  Coordinates written as text are rounded to
:func:`coordinate_digits` of the footprint's tolerance (a rounding step of at
most 1/100 of it).  The KML adds what Google Earth needs; see :func:`kml_text`.

What other tools read back is what was written, checked with their own
validators (``tests/export/test_validators.py``): KML valid against the OGC
KML 2.2 schema and convertible by GDAL to Shapefile (one geometry type per
placemark and per folder), GeoPackage passing GDAL's ``validate_gpkg.py``,
GeoJSON passing an RFC 7946 checker.  Field values keep their type: KML's
typed booleans are written ``1``/``0`` (GDAL reads ``true`` as 0), and
GeoJSON, which has no field types, writes a date without its year as
``XXXX-02-02`` (see :func:`geojson_text`).
"""

from __future__ import annotations

from geo.export._attributes import missile_class
from geo.export._catalog import EXPORT_FORMATS, export_catalog, export_footprints, export_format
from geo.export._coordinates import coordinate_digits
from geo.export._geojson import geojson_text
from geo.export._gpkg import write_geopackage
from geo.export._kml import kml_text
from geo.export._sites import site_footprints

__all__ = [
    "EXPORT_FORMATS",
    "coordinate_digits",
    "export_catalog",
    "export_footprints",
    "export_format",
    "geojson_text",
    "kml_text",
    "missile_class",
    "site_footprints",
    "write_geopackage",
]
