"""Footprints as RFC 7946 GeoJSON."""

from __future__ import annotations

import json
import re
from typing import Any

import geopandas as gpd
import numpy as np
from shapely.geometry import MultiPolygon, Polygon

from geo.export._attributes import (
    _attribute_columns,
    _check_footprints,
    _feature_id,
    _plain,
    _with_class,
)
from geo.export._coordinates import _num, _rounded, coordinate_digits

_NO_YEAR = re.compile(r"--(\d\d(?:-\d\d)?)")


def _geojson_date(value: Any) -> Any:
    """A date without its year (the catalog's ISO 8601 ``--MM-DD`` or ``--MM``) in the
    ISO 8601-2 (EDTF) form ``XXXX-MM-DD`` / ``XXXX-MM``, which no reader takes for a
    date of year 2000; every other value as it is."""
    if isinstance(value, str) and (m := _NO_YEAR.fullmatch(value)):
        return "XXXX-" + m.group(1)
    return value


def _geojson_geometry(geom: Polygon | MultiPolygon) -> dict[str, Any]:
    def ring(coords: Any) -> list[list[float]]:
        return [[_num(x), _num(y)] for x, y in np.asarray(coords)[:, :2]]

    def poly(p: Polygon) -> list[list[list[float]]]:
        return [ring(p.exterior.coords), *(ring(r.coords) for r in p.interiors)]

    if isinstance(geom, Polygon):
        return {"type": "Polygon", "coordinates": poly(geom)}
    return {"type": "MultiPolygon", "coordinates": [poly(p) for p in geom.geoms]}


def geojson_text(footprints: gpd.GeoDataFrame, *, digits: int | None = None) -> str:
    """Footprints as an RFC 7946 GeoJSON FeatureCollection.

    Each feature's ``id`` is its ``claim_id``; its properties are every column
    (NaN as ``null``) plus ``missile_class``; a ``date`` whose year is unknown
    (``--02-02``) is written ``XXXX-02-02`` (see Notes).  Geometry is the analysis
    geometry: WGS84 lon/lat, counter-clockwise exteriors and clockwise holes,
    cut at +/-180 (RFC 7946 section 3.1.9), coordinates rounded to
    ``coordinate_digits(tolerance_m)`` of each footprint (or *digits*).

    Parameters
    ----------
    footprints
        A GeoDataFrame with a ``tolerance_m`` column, e.g. from
        :func:`geo.claim_footprints`.
    digits
        Decimal places for every footprint instead of the tolerance's.

    Returns
    -------
    str
        The document, one feature per line, ending in a newline.

    Notes
    -----
    GeoJSON has no field types: GDAL (and so QGIS, pyogrio, geopandas) guesses
    them when it reads a file, and reads ISO 8601's date without a year,
    ``--02-02``, as 2000-02-02.  So the GeoJSON export writes such a date in
    ISO 8601-2's form for an unspecified year (EDTF level 2, Library of
    Congress, 2019): ``XXXX-02-02``, and a month alone (``--02``) as
    ``XXXX-02``.  GDAL then reads the field as text, every date as written;
    ``date_precision`` still says ``year-uncertain``.  Full dates
    (``2024-01-28``) read as dates of that day where every date of a file is
    one, months (``2024-01``) and years as text.  KML and GeoPackage declare
    their field types and keep the catalog's ``--02-02``.

    Examples
    --------
    >>> import geo, json
    >>> doc = json.loads(geojson_text(geo.claim_footprints()))
    >>> [f["id"] for f in doc["features"]]
    ['r2-0202-range', 'r4-assumed-range']
    >>> doc["features"][1]["properties"]["range_kind"], doc["features"][1]["geometry"]["type"]
    ('assumption', 'Polygon')
    >>> doc["features"][0]["properties"]["date"]  # the catalog's --02-02: year unknown
    'XXXX-02-02'
    """
    fp = _check_footprints(footprints)
    columns = _attribute_columns(fp)
    classes = _with_class(fp)
    lines = []
    for i, (rec, geom, cls) in enumerate(
        zip(fp[columns].to_dict("records"), fp.geometry, classes, strict=True)
    ):
        props = {c: _plain(rec[c]) for c in columns}
        if "date" in props:
            props["date"] = _geojson_date(props["date"])
        props.setdefault("missile_class", cls)
        feature: dict[str, Any] = {"type": "Feature", "id": _feature_id(rec, i)}
        if geom is None or geom.is_empty:
            feature["geometry"] = None
        else:
            d = digits if digits is not None else coordinate_digits(rec["tolerance_m"])
            feature["geometry"] = _geojson_geometry(_rounded(geom, d)[0])
        feature["properties"] = props
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    body = ",\n".join(lines)
    return '{"type":"FeatureCollection","features":[\n' + body + ("\n" if lines else "") + "]}\n"
