"""Footprints as RFC 7946 GeoJSON."""

from __future__ import annotations

import json
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
    (NaN as ``null``) plus ``missile_class``.  Geometry is the analysis
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
    GDAL (and so QGIS, pyogrio, geopandas) guesses field types when it reads
    GeoJSON and turns a year-uncertain date such as ``--02-02`` into
    2000-02-02; read with the open option ``DATE_AS_STRING=YES``
    (``pyogrio.read_dataframe(path, DATE_AS_STRING="YES")``) or use the
    GeoPackage export, whose fields are typed.

    Examples
    --------
    >>> import geo, json
    >>> doc = json.loads(geojson_text(geo.claim_footprints()))
    >>> [f["id"] for f in doc["features"]]
    ['r2-0202-range', 'r4-assumed-range']
    >>> doc["features"][1]["properties"]["range_kind"], doc["features"][1]["geometry"]["type"]
    ('assumption', 'Polygon')
    """
    fp = _check_footprints(footprints)
    columns = _attribute_columns(fp)
    classes = _with_class(fp)
    lines = []
    for i, (rec, geom, cls) in enumerate(
        zip(fp[columns].to_dict("records"), fp.geometry, classes, strict=True)
    ):
        props = {c: _plain(rec[c]) for c in columns}
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
