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
"""

from __future__ import annotations

import html
import json
import logging
import math
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.errors import ExportError

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

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]

EXPORT_FORMATS: tuple[str, ...] = ("geojson", "kml", "gpkg")
"""The formats :func:`export_footprints` writes."""

_SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".kml": "kml", ".gpkg": "gpkg"}
_M_PER_DEG = 111_320.0  # metres per degree of latitude (and of longitude at the equator), at most
_MEAN_RADIUS_M = 6_371_008.8
_MAX_DIGITS = 12
_GPKG_DATE = "2000-01-01T00:00:00Z"  # fixed gpkg_contents.last_change, for reproducible files


# --- coordinates ------------------------------------------------------------------------------


def coordinate_digits(tolerance_m: float) -> int:
    """Decimal places of degrees that a footprint drawn to *tolerance_m* needs.

    The smallest number of digits whose rounding step (at most 111.32 km per
    degree times the step) is no more than 1/100 of the tolerance, so
    rounding moves no vertex by more than 1 % of what the tolerance allows.

    Examples
    --------
    >>> coordinate_digits(100.0)  # 1e-6 degree is at most 0.11 m
    6
    >>> coordinate_digits(1.0), coordinate_digits(1000.0)
    (8, 5)
    """
    tol = float(tolerance_m)
    if not math.isfinite(tol) or tol <= 0:
        raise ExportError(
            f"tolerance_m {tolerance_m!r} is not a positive number of metres; "
            "footprints carry it in their 'tolerance_m' column"
        )
    return max(0, min(_MAX_DIGITS, math.ceil(math.log10(_M_PER_DEG * 100.0 / tol) - 1e-12)))


_MAX_EDGE_LON_DEG = 90.0


def _round_ring(coords: FloatArray, digits: int) -> FloatArray:
    """Round to *digits*, drop repeated vertices, and split edges that span more than
    90 degrees of longitude (other than the closure along a pole): readers that take the
    shorter way round (or guess an antimeridian crossing from a jump of more than 180
    degrees) then draw the same edge as RFC 7946's straight lon/lat line."""
    out = np.round(np.asarray(coords, dtype=float)[:, :2], digits) + 0.0  # + 0.0: no "-0.0"
    keep = np.ones(len(out), dtype=bool)
    keep[1:] = np.any(out[1:] != out[:-1], axis=1)
    out = out[keep]
    if len(out) < 2:
        return out
    a, b = out[:-1], out[1:]
    polar = (a[:, 1] == b[:, 1]) & (np.abs(a[:, 1]) == 90.0)
    pieces = np.where(polar, 1, np.ceil(np.abs(b[:, 0] - a[:, 0]) / _MAX_EDGE_LON_DEG))
    if (pieces <= 1).all():
        return out
    rows = [out[:1]]
    for i in range(len(a)):
        n = int(max(pieces[i], 1))
        t = np.arange(1, n + 1)[:, None] / n
        extra = np.round(a[i] + t * (b[i] - a[i]), digits) + 0.0
        extra[-1] = b[i]
        rows.append(extra)
    return np.concatenate(rows)


def _round_polygons(geom: BaseGeometry, digits: int) -> Polygon | MultiPolygon | None:
    """Round every vertex; None if that makes the geometry invalid."""
    # Parts and holes smaller than 10 x 10 cells of the grid (1.2 m2 at 6 digits) are
    # dropped: their shape, even their orientation, is below what the digits express.
    smallest = 100.0 * 10.0 ** (-2 * digits)
    polys = []
    for part in shapely.get_parts(geom):
        if not isinstance(part, Polygon):
            continue
        shell = _round_ring(np.asarray(part.exterior.coords), digits)
        if len(shell) < 4 or Polygon(shell).area < smallest:
            continue
        holes = [_round_ring(np.asarray(r.coords), digits) for r in part.interiors]
        holes = [h for h in holes if len(h) >= 4 and Polygon(h).area >= smallest]
        polys.append(Polygon(shell, holes))
    if not polys:
        return None
    out = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    if not out.is_valid:
        return None
    oriented = shapely.orient_polygons(out, exterior_cw=False)
    assert isinstance(oriented, Polygon | MultiPolygon)
    return oriented


def _rounded(geom: BaseGeometry, digits: int) -> tuple[Polygon | MultiPolygon, int]:
    """The geometry rounded to *digits* (more where fewer would break validity).

    GEOS snap-rounds to the grid first (``shapely.set_precision``), which keeps the
    result valid where plain rounding would not, e.g. where an annular sector has a
    zero-width spike that rounding turns into a self-intersection."""
    for d in range(digits, _MAX_DIGITS + 1):
        out = _round_polygons(shapely.set_precision(geom, 10.0**-d), d)
        if out is not None:
            if d > digits:
                log.debug("rounding to %d digits broke validity; used %d", digits, d)
            return out, d
    raise ExportError(f"cannot write a valid geometry for {geom.wkt[:80]}...: it is invalid itself")


def _num(x: float) -> float:
    return float(x) + 0.0


# --- attributes -------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON/XML-ready Python value (None for missing)."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return None if math.isnan(v) else v
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


_CLASS_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("SLV", ("space launch", "satellite", "slv")),
    ("ICBM", ("intercontinental", "icbm")),
    ("IRBM", ("intermediate-range", "intermediate range", "irbm")),
    ("MRBM", ("medium-range", "medium range", "mrbm")),
    ("SLBM", ("submarine-launched ballistic", "slbm")),
    ("SRBM", ("short-range ballistic", "short range ballistic", "srbm")),
    ("HGV", ("hypersonic glide", "hgv")),
    ("cruise", ("cruise",)),
)


def missile_class(missile: Any, missiles: pd.DataFrame | None = None) -> str:
    """The class a catalog's missile text belongs to, for colouring: never a guess.

    An exact (case-insensitive) match of a name or alias in the missiles table
    gives its class; otherwise a class named in the text ("intermediate-range",
    "cruise", "ICBM", ...); otherwise ``"unclassified"``.

    Parameters
    ----------
    missile
        The missile as the catalog reports it.
    missiles
        A frame from :func:`geo.load_missiles` (the bundled table when omitted).

    Examples
    --------
    >>> missile_class("KN-22"), missile_class("unidentified cruise missile")
    ('ICBM', 'cruise')
    >>> missile_class("intermediate-range hypersonic ballistic missile"), missile_class("")
    ('IRBM', 'unclassified')
    """
    text = "" if _plain(missile) is None else str(missile).strip()
    if not text:
        return "unclassified"
    if missiles is None:
        from geo.catalog import load_missiles

        missiles = load_missiles()
    key = text.casefold()
    for rec in missiles.to_dict("records"):
        names = [str(rec["name"]), *(str(a) for a in rec["aliases"])]
        if any(n.casefold() == key for n in names):
            return str(rec["class"])
    for cls, words in _CLASS_WORDS:
        if any(w in key for w in words):
            return cls
    return "unclassified"


def _with_class(frame: pd.DataFrame) -> list[str]:
    if "missile_class" in frame.columns:
        return [str(c) for c in frame["missile_class"]]
    if "class" in frame.columns:
        return [str(c) for c in frame["class"]]
    if "missile" not in frame.columns:
        return ["unclassified"] * len(frame)
    from geo.catalog import load_missiles

    table = load_missiles()
    return [missile_class(m, table) for m in frame["missile"]]


def _check_footprints(footprints: Any) -> gpd.GeoDataFrame:
    if not isinstance(footprints, gpd.GeoDataFrame):
        raise ExportError(
            f"footprints must be a GeoDataFrame (from geo.claim_footprints, geo.footprints or "
            f"geo.export.site_footprints), not {type(footprints).__name__}"
        )
    if "tolerance_m" not in footprints.columns:
        raise ExportError(
            "the footprints lack a 'tolerance_m' column; make them with geo.footprints or "
            "geo.claim_footprints, which record the tolerance of each footprint"
        )
    bad = [
        i
        for i, g in enumerate(footprints.geometry)
        if g is not None and not g.is_empty and g.geom_type not in ("Polygon", "MultiPolygon")
    ]
    if bad:
        raise ExportError(
            f"row {bad[0]}: geometry is a {footprints.geometry.iloc[bad[0]].geom_type}, not a "
            "footprint polygon; pass footprints, not sites"
        )
    return footprints


def _attribute_columns(frame: pd.DataFrame) -> list[str]:
    geometry_name = getattr(frame, "_geometry_column_name", "geometry")
    return [str(c) for c in frame.columns if c != geometry_name]


def _feature_id(row: dict[str, Any], index: int) -> str:
    cid = row.get("claim_id")
    return str(cid) if cid not in (None, "") else f"footprint-{index}"


# --- GeoJSON ----------------------------------------------------------------------------------


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


# --- KML --------------------------------------------------------------------------------------
#
# How Google Earth draws KML geometry (the facts this design rests on):
#
# * OGC KML 2.2 (OGC 07-147r2, kml:Polygon) says a polygon's boundary points are joined by
#   straight lines in the plate carree (lon, lat) plane and the interior is filled linearly
#   there: exactly the engine's analysis geometry.
# * Google's KML reference says instead that a clampToGround Polygon follows great circles
#   (and a lone LinearRing lines of constant latitude); experiments published by Google Earth
#   users (gearthblog.com, 2014; confirmed by Google in a boundlessgeo.com thread, 2010) found
#   that Google Earth draws the sides of *filled* polygons as rhumb lines and the segments of
#   paths (LineStrings) as great circles.
# * Google Earth joins points whose longitudes are on either side of +/-180 the long way round
#   the globe (a filled polygon "is not allowed to cross all lines of longitude"), and cannot
#   fill a polygon that has a pole in its interior (gearthblog.com, 2015).
#
# So the KML geometry does not depend on which of the three edge rules a viewer uses:
#
# 1. Every polygon piece lies within [-180, 180]: the analysis geometry is already cut at the
#    antimeridian, so no edge crosses it.
# 2. A part that touches a pole, or spans more than 90 degrees of longitude, is cut along the
#    meridians at multiples of 45 degrees; no piece then crosses all meridians, and a pole is
#    only ever a vertex of a piece (the closure along latitude +/-90 is a point on the globe),
#    never inside it.
# 3. Every edge is split until the great-circle arc and the rhumb line between its ends stay
#    within tolerance/10 of the straight lon/lat edge's midpoint (on the sphere);
#    no edge is longer than 10 degrees, so none joins antipodal points.  The inserted points lie
#    on the straight edges, so under the OGC rule the geometry is unchanged.
# 4. The pieces are filled without an outline (their cut edges are not the footprint's edge);
#    the true boundary is drawn as tessellated, clampToGround LineStrings, densified the same
#    way, without the cut and pole-closure edges.
#
# Whatever the rule, what is drawn is within 1.1 x the tolerance of the true geodesic boundary.
# Google Earth itself cannot run here: tests/test_export.py rebuilds what each of the three
# rules draws from the KML and checks it against the engine and Geod.inv.  One thing those
# tests cannot show: how Google Earth fills a piece with two vertices at a pole (a point on
# the globe, where Mercator northing is infinite); the pieces are built so that this is
# their only contact with the pole.

_KML_NS = "http://www.opengis.net/kml/2.2"
_KML_BAND_DEG = 45.0
_KML_MAX_SPAN_DEG = 90.0
_KML_MAX_EDGE_DEG = 10.0
_KML_EPS_SHARE = 0.1
_MAX_ROUNDS = 60

# (line colour, fill colour) in KML's aabbggrr; fill at ~35 % opacity.
_PALETTE = {
    "SRBM": "1f77b4",
    "MRBM": "2ca02c",
    "IRBM": "ff7f0e",
    "ICBM": "d62728",
    "SLBM": "9467bd",
    "HGV": "8c564b",
    "SLV": "e377c2",
    "cruise": "17becf",
    "unclassified": "7f7f7f",
}
_FILL_ALPHA = "59"


def _kml_colour(rgb: str, alpha: str) -> str:
    return alpha + rgb[4:6] + rgb[2:4] + rgb[0:2]


def _class_rgb(cls: str) -> str:
    """The class's colour; a compound class ("SRBM/MRBM") mixes its parts' colours."""
    if cls in _PALETTE:
        return _PALETTE[cls]
    parts = [_PALETTE[p] for p in cls.split("/") if p in _PALETTE] or [_PALETTE["unclassified"]]
    mixed = [sum(int(p[i : i + 2], 16) for p in parts) // len(parts) for i in (0, 2, 4)]
    return "".join(f"{v:02x}" for v in mixed)


def _mercator_y(lat: FloatArray) -> FloatArray:
    """Mercator northing on the unit sphere (latitudes clipped 0.1 m short of the poles)."""
    return np.asarray(np.arctanh(np.sin(np.radians(np.clip(lat, -89.999999, 89.999999)))))


def _unit_vectors(lon: FloatArray, lat: FloatArray) -> FloatArray:
    lam, phi = np.radians(lon), np.radians(lat)
    return np.stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)), axis=-1)


def _edge_deviation_m(a: FloatArray, b: FloatArray) -> FloatArray:
    """How far the great-circle arc and the rhumb line between a and b stray from the
    straight lon/lat edge, at the edge's midpoint (metres, on the sphere; inf: must split).

    Great circle: the midpoint's distance from the arc's plane.  Rhumb line: the
    midpoint's distance from the straight line in the Mercator plane, times the local
    scale (Mercator is conformal).  A meridian edge is the same line under every rule.
    """
    x1, y1, x2, y2 = a[:, 0], a[:, 1], b[:, 0], b[:, 1]
    mx, my = 0.5 * (x1 + x2), 0.5 * (y1 + y2)
    normal = np.cross(_unit_vectors(x1, y1), _unit_vectors(x2, y2))
    size = np.linalg.norm(normal, axis=1)
    sine = np.einsum("ij,ij->i", normal, _unit_vectors(mx, my)) / np.where(size > 0, size, 1.0)
    great = np.where(size > 1e-15, _MEAN_RADIUS_M * np.abs(np.arcsin(np.clip(sine, -1, 1))), 0.0)
    ya, yb, ym = _mercator_y(y1), _mercator_y(y2), _mercator_y(my)
    dx, dy = np.radians(x2 - x1), yb - ya
    length = np.hypot(dx, dy)
    off = np.abs(np.radians(mx - x1) * dy - (ym - ya) * dx) / np.where(length > 0, length, 1.0)
    rhumb = _MEAN_RADIUS_M * off * np.cos(np.radians(my))
    dev = np.maximum(great, rhumb)
    long_edge = np.maximum(np.abs(x2 - x1), np.abs(y2 - y1)) > _KML_MAX_EDGE_DEG
    dev = np.where(long_edge, np.inf, dev)
    at_pole = (y1 == y2) & (np.abs(y1) == 90.0)  # a point on the globe: nothing to draw
    return np.asarray(np.where(at_pole, 0.0, dev))


def _densify_path(coords: FloatArray, eps_m: float) -> FloatArray:
    """Insert lon/lat midpoints until every edge passes :func:`_edge_deviation_m`."""
    pts = np.asarray(coords, dtype=float)[:, :2]
    for _ in range(_MAX_ROUNDS):
        if len(pts) < 2:
            return pts
        dev = _edge_deviation_m(pts[:-1], pts[1:])
        split = np.flatnonzero(dev > eps_m)
        if split.size == 0:
            return pts
        mids = 0.5 * (pts[split] + pts[split + 1])
        pts = np.insert(pts, split + 1, mids, axis=0)
    raise ExportError("could not densify a KML edge within 60 rounds; please report this")


def _kml_pieces(geom: Polygon | MultiPolygon) -> list[Polygon]:
    """The footprint as polygon pieces Google Earth fills unambiguously (see above)."""
    out: list[Polygon] = []
    for part in shapely.get_parts(geom):
        x0, y0, x1, y1 = part.bounds
        if x1 - x0 <= _KML_MAX_SPAN_DEG and y0 > -90.0 and y1 < 90.0:
            out.append(part)
            continue
        for k in range(int(-180 // _KML_BAND_DEG), int(180 // _KML_BAND_DEG)):
            west = k * _KML_BAND_DEG
            if west >= x1 or west + _KML_BAND_DEG <= x0:
                continue
            cut = shapely.intersection(part, box(west, -90.0, west + _KML_BAND_DEG, 90.0))
            out.extend(p for p in shapely.get_parts(cut) if isinstance(p, Polygon) and p.area > 0.0)
    oriented = [shapely.orient_polygons(p, exterior_cw=False) for p in out]
    return [p for p in oriented if isinstance(p, Polygon)]


def _outline_chains(geom: Polygon | MultiPolygon) -> list[FloatArray]:
    """The true boundary as open lines: ring edges without the antimeridian cuts and the
    pole closures (an edge on +/-180 is a cut where the geometry's boundary also runs along
    the same stretch of the opposite meridian)."""
    boundary = geom.boundary
    chains: list[FloatArray] = []
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        c = np.asarray(ring.coords)[:, :2]
        a, b = c[:-1], c[1:]
        hidden = (a[:, 1] == b[:, 1]) & (np.abs(a[:, 1]) == 90.0)
        on_cut = (a[:, 0] == b[:, 0]) & (np.abs(a[:, 0]) == 180.0)
        for i in np.flatnonzero(on_cut & ~hidden):
            mirror = Point(-a[i, 0], 0.5 * (a[i, 1] + b[i, 1]))
            hidden[i] = bool(boundary.intersects(mirror))
        if not hidden.any():
            chains.append(c)
            continue
        start = int(np.flatnonzero(hidden)[0]) + 1  # rotate: begin just after a hidden edge
        order = np.r_[start : len(a), 0:start]
        current: list[FloatArray] = [a[order[0]]]
        for i in order:
            if hidden[i]:
                if len(current) >= 2:
                    chains.append(np.array(current))
                current = [b[i]]
            else:
                current.append(b[i])
        if len(current) >= 2:
            chains.append(np.array(current))
    return chains


def _coords_text(coords: FloatArray, digits: int) -> str:
    rounded = _round_ring(coords, digits)
    return " ".join(f"{_num(x)!r},{_num(y)!r}" for x, y in rounded)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrib)
    if text is not None:
        el.text = text
    return el


def _kml_geometry(parent: ET.Element, geom: Polygon | MultiPolygon, tol_m: float) -> None:
    eps = _KML_EPS_SHARE * tol_m
    geom, digits = _rounded(geom, coordinate_digits(tol_m))
    multi = _sub(parent, "MultiGeometry")
    for piece in _kml_pieces(geom):
        poly = _sub(multi, "Polygon")
        _sub(poly, "tessellate", "1")
        _sub(poly, "altitudeMode", "clampToGround")
        rings = [
            ("outerBoundaryIs", piece.exterior),
            *(("innerBoundaryIs", r) for r in piece.interiors),
        ]
        for tag, ring in rings:
            dense = _densify_path(np.asarray(ring.coords), eps)
            lr = _sub(_sub(poly, tag), "LinearRing")
            _sub(lr, "coordinates", _coords_text(dense, digits))
    for chain in _outline_chains(geom):
        line = _sub(multi, "LineString")
        _sub(line, "tessellate", "1")
        _sub(line, "altitudeMode", "clampToGround")
        _sub(line, "coordinates", _coords_text(_densify_path(chain, eps), digits))


def _kml_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):
        return "double"
    return "string"


def _kml_value(value: Any) -> str | None:
    v = _plain(value)
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _date_text(rec: dict[str, Any]) -> str:
    date = _plain(rec.get("date"))
    precision = _plain(rec.get("date_precision"))
    if not date:
        return "unknown"
    return f"{date} ({precision})" if precision else str(date)


def _km(value: Any) -> str:
    v = _plain(value)
    return f"{v:,.6g} km" if isinstance(v, float | int) and not isinstance(v, bool) else "—"


def _description(rows: Sequence[tuple[str, Any]]) -> str:
    """A small HTML table.  Google Earth renders a description as HTML, so every value is
    HTML-escaped here (and XML-escaped again when written): '<script>' shows as text."""
    cells = "".join(
        f'<tr><th align="left">{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>'
        for k, v in rows
        if v not in (None, "")
    )
    return f"<table>{cells}</table>"


def _claim_rows(rec: dict[str, Any], cls: str) -> list[tuple[str, Any]]:
    lat, lon = _plain(rec.get("lat")), _plain(rec.get("lon"))
    where = _plain(rec.get("site_name")) or _plain(rec.get("site"))
    if lat is not None and lon is not None:
        where = f"{where} ({lat:.4f}, {lon:.4f})"
        if _plain(rec.get("precision_km")) is not None:
            where += f", precision {_km(rec.get('precision_km'))}"
    return [
        ("range", _km(rec.get("range_km")) if _plain(rec.get("range_km")) is not None else None),
        ("minimum range", _km(rec["min_range_km"]) if _plain(rec.get("min_range_km")) else None),
        ("kind of number", _plain(rec.get("range_kind"))),
        ("claimant", _plain(rec.get("claimant"))),
        ("date", _date_text(rec)),
        ("source", _plain(rec.get("source"))),
        ("missile", _plain(rec.get("missile"))),
        ("missile class", cls),
        ("site", where),
        ("site as reported", _plain(rec.get("site"))),
        ("site source", _plain(rec.get("site_source"))),
        ("note", _plain(rec.get("note"))),
        ("claim", _plain(rec.get("claim_id"))),
        (
            "tolerance",
            f"{_plain(rec['tolerance_m']):g} m" if _plain(rec.get("tolerance_m")) else None,
        ),
    ]


def _kml_when(rec: dict[str, Any]) -> str | None:
    """The claim's date as a KML ``when`` (xsd date, gYearMonth or gYear), for Google
    Earth's time slider; None when the year is unknown."""
    date, precision = _plain(rec.get("date")), _plain(rec.get("date_precision"))
    if not date or precision not in ("day", "month", "year"):
        return None
    return str(date)


def _xml_id(prefix: str, text: str, used: set[str]) -> str:
    base = prefix + re.sub(r"[^A-Za-z0-9_.-]", "_", text)
    out, n = base, 1
    while out in used:
        n += 1
        out = f"{base}-{n}"
    used.add(out)
    return out


def _site_key(rec: dict[str, Any]) -> tuple[Any, ...]:
    sid = _plain(rec.get("site_id"))
    if sid:
        return ("id", sid)
    return ("point", _plain(rec.get("site_name")), _plain(rec.get("lat")), _plain(rec.get("lon")))


def _site_label(rec: dict[str, Any]) -> str:
    return str(_plain(rec.get("site_name")) or _plain(rec.get("site")) or "site")


def kml_text(
    footprints: gpd.GeoDataFrame,
    *,
    claims: pd.DataFrame | None = None,
    title: str = "georange footprints",
) -> str:
    """Footprints as KML for Google Earth: a folder per site, styled by missile class.

    Each site gets a folder with its point (name, coordinates, precision,
    source) and one placemark per footprint, named after the site and range,
    whose description (HTML-escaped) gives range, kind of number, claimant,
    date, source and tolerance, whose ``TimeStamp`` is the claim's date where
    its year is known (for the time slider), and whose ``ExtendedData`` holds
    every column typed by a ``Schema``.  Fills are translucent and coloured by missile class
    (see :func:`missile_class`), outlines opaque.  The geometry is built so
    that Google Earth shows footprints that cross the dateline or contain a
    pole correctly (see the comment above this function in the source).

    Parameters
    ----------
    footprints
        A GeoDataFrame with a ``tolerance_m`` column, e.g. from
        :func:`geo.claim_footprints`.
    claims
        The catalog (from :func:`geo.load_catalog`): its claims without a site
        are listed in a folder of their own (placemarks without geometry).
    title
        The document's name.

    Returns
    -------
    str
        The KML document (UTF-8 XML), ending in a newline.

    Examples
    --------
    >>> import geo
    >>> text = kml_text(geo.claim_footprints())
    >>> text.count("<Folder"), text.count("<Placemark"), "<name>Sinpo</name>" in text
    (2, 4, True)
    """
    fp = _check_footprints(footprints)
    columns = _attribute_columns(fp)
    classes = _with_class(fp)
    ET.register_namespace("", _KML_NS)
    root = ET.Element("kml", {"xmlns": _KML_NS})
    doc = _sub(root, "Document", id="georange")
    _sub(doc, "name", title)
    _sub(doc, "open", "1")
    schema = _sub(doc, "Schema", name="footprint", id="footprint")
    for col in columns:
        _sub(schema, "SimpleField", name=col, type=_kml_type(fp[col]))
    if "missile_class" not in columns:
        _sub(schema, "SimpleField", name="missile_class", type="string")
    for cls in sorted(set(classes)):
        style = _sub(doc, "Style", id=_xml_id("class-", cls, set()))
        rgb = _class_rgb(cls)
        ls = _sub(style, "LineStyle")
        _sub(ls, "color", _kml_colour(rgb, "ff"))
        _sub(ls, "width", "2")
        ps = _sub(style, "PolyStyle")
        _sub(ps, "color", _kml_colour(rgb, _FILL_ALPHA))
        _sub(ps, "fill", "1")
        _sub(ps, "outline", "0")
    site_style = _sub(doc, "Style", id="site")
    icon = _sub(site_style, "IconStyle")
    _sub(icon, "color", "ff00ffff")
    _sub(icon, "scale", "1")

    records = fp[columns].to_dict("records")
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, rec in enumerate(records):
        groups.setdefault(_site_key(rec), []).append(i)
    used: set[str] = set()
    for key, members in groups.items():
        first = records[members[0]]
        label = _site_label(first)
        folder = _sub(doc, "Folder", id=_xml_id("site-", str(key[1] or label), used))
        _sub(folder, "name", label)
        lat, lon = _plain(first.get("lat")), _plain(first.get("lon"))
        if lat is not None and lon is not None:
            pm = _sub(folder, "Placemark", id=_xml_id("point-", str(key[1] or label), used))
            _sub(pm, "name", label)
            rows: list[tuple[str, Any]] = [
                ("coordinates", f"{lat:.6f}, {lon:.6f}"),
                ("precision", _km(first.get("precision_km"))),
                ("source", _plain(first.get("site_source"))),
                ("site id", _plain(first.get("site_id"))),
                ("footprints", str(len(members))),
            ]
            _sub(pm, "description", _description(rows))
            _sub(pm, "styleUrl", "#site")
            point = _sub(pm, "Point")
            _sub(point, "coordinates", f"{_num(round(lon, 9))!r},{_num(round(lat, 9))!r}")
        for i in members:
            rec, cls, geom = records[i], classes[i], fp.geometry.iloc[i]
            pm = _sub(folder, "Placemark", id=_xml_id("claim-", _feature_id(rec, i), used))
            rng = _plain(rec.get("range_km"))
            name = f"{label} {_km(rng)}" if rng is not None else label
            if _plain(rec.get("range_kind")):
                name += f" ({rec['range_kind']})"
            _sub(pm, "name", name)
            _sub(pm, "description", _description(_claim_rows(rec, cls)))
            when = _kml_when(rec)
            if when is not None:
                _sub(_sub(pm, "TimeStamp"), "when", when)
            _sub(pm, "styleUrl", "#" + _xml_id("class-", cls, set()))
            ext = _sub(pm, "ExtendedData")
            sd = _sub(ext, "SchemaData", schemaUrl="#footprint")
            values = {c: rec[c] for c in columns}
            values.setdefault("missile_class", cls)
            for col, value in values.items():
                text = _kml_value(value)
                if text is not None:
                    _sub(sd, "SimpleData", text, name=col)
            if geom is not None and not geom.is_empty:
                _kml_geometry(pm, geom, float(rec["tolerance_m"]))
    if claims is not None and "located" in claims.columns:
        lost = claims.loc[~claims["located"].astype(bool)]
        if len(lost):
            folder = _sub(doc, "Folder", id="unlocated")
            _sub(folder, "name", f"Claims without a site ({len(lost)})")
            for j, rec in enumerate(pd.DataFrame(lost).to_dict("records")):
                pm = _sub(folder, "Placemark", id=_xml_id("claim-", _feature_id(rec, j), used))
                _sub(pm, "name", f"{rec.get('claim_id')}: {rec.get('missile') or 'missile'}")
                _sub(
                    pm,
                    "description",
                    _description(_claim_rows(rec, missile_class(rec.get("missile")))),
                )
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --- GeoPackage -------------------------------------------------------------------------------


def _sites_layer(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for rec in frame.to_dict("records"):
        if "located" in rec and not bool(rec["located"]):
            continue
        if _plain(rec.get("lat")) is None or _plain(rec.get("lon")) is None:
            continue
        key = _site_key(rec)
        if key not in rows:
            rows[key] = {
                "site_id": _plain(rec.get("site_id")),
                "site_name": _site_label(rec),
                "lat": float(rec["lat"]),
                "lon": float(rec["lon"]),
                "precision_km": _plain(rec.get("precision_km")),
                "site_source": _plain(rec.get("site_source")),
                "claims": 0,
            }
        rows[key]["claims"] += 1
    table = pd.DataFrame(
        list(rows.values()),
        columns=["site_id", "site_name", "lat", "lon", "precision_km", "site_source", "claims"],
    )
    table["precision_km"] = table["precision_km"].astype(float)
    points = [Point(lo, la) for la, lo in zip(table["lat"], table["lon"], strict=True)]
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(points, crs="EPSG:4326"))


def _multi(geom: BaseGeometry | None) -> MultiPolygon | None:
    if geom is None or geom.is_empty:
        return None
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])


def write_geopackage(
    path: str | os.PathLike[str],
    footprints: gpd.GeoDataFrame,
    *,
    claims: pd.DataFrame | None = None,
    targets: pd.DataFrame | str | os.PathLike[str] | None = None,
) -> Path:
    """Write footprints, their sites, the targets and the claims to a GeoPackage.

    Layers: ``footprints`` (MultiPolygon, every column, full precision),
    ``sites`` (Point, one per distinct site, with the number of claims),
    ``targets`` (Point) and, when *claims* is given, ``claims`` (every claim;
    a Point at the site, or no geometry where the claim has no site).  The
    file is replaced if it exists.

    GeoPackage records a modification time per layer (``gpkg_contents.
    last_change``); it is pinned to 2000-01-01 (GDAL's ``OGR_CURRENT_DATE``) so
    that the same input gives the same data.  Compare files by their data;
    byte equality is not promised by SQLite.

    Parameters
    ----------
    path
        The ``.gpkg`` file to write.
    footprints
        A GeoDataFrame with a ``tolerance_m`` column, e.g. from
        :func:`geo.claim_footprints`.
    claims
        The catalog from :func:`geo.load_catalog`; the sites layer then lists
        every located site, with or without a footprint.
    targets
        A targets frame or file (see :func:`geo.load_targets`); the bundled
        targets when omitted.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import geo, pyogrio, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_geopackage(pathlib.Path(tmp) / "fp.gpkg", geo.claim_footprints(),
    ...                            claims=geo.load_catalog())
    ...     [name for name, _ in pyogrio.list_layers(out)]
    ['footprints', 'sites', 'targets', 'claims']
    """
    import pyogrio

    from geo.catalog import load_targets

    fp = _check_footprints(footprints)
    target = Path(path)
    columns = _attribute_columns(fp)
    layer_fp = gpd.GeoDataFrame(
        pd.DataFrame(fp[columns]).assign(missile_class=_with_class(fp))
        if "missile_class" not in columns
        else pd.DataFrame(fp[columns]),
        geometry=gpd.GeoSeries([_multi(g) for g in fp.geometry], crs="EPSG:4326"),
    )
    sites = _sites_layer(claims if claims is not None else pd.DataFrame(fp[columns]))
    tgt = targets if isinstance(targets, pd.DataFrame) else load_targets(targets)
    tgt_layer = gpd.GeoDataFrame(
        pd.DataFrame(tgt).drop(columns=["geometry"], errors="ignore"),
        geometry=gpd.GeoSeries(
            [Point(lo, la) for la, lo in zip(tgt["lat"], tgt["lon"], strict=True)], crs="EPSG:4326"
        ),
    )
    layers: list[tuple[str, gpd.GeoDataFrame, str]] = [
        ("footprints", layer_fp, "MultiPolygon"),
        ("sites", sites, "Point"),
        ("targets", tgt_layer, "Point"),
    ]
    if claims is not None:
        geometry_name = getattr(claims, "_geometry_column_name", None)
        plain = pd.DataFrame(claims).drop(columns=[geometry_name] if geometry_name else [])
        points = [
            Point(lo, la) if bool(ok) else None
            for la, lo, ok in zip(plain["lat"], plain["lon"], plain["located"], strict=True)
        ]
        layers.append(
            (
                "claims",
                gpd.GeoDataFrame(plain, geometry=gpd.GeoSeries(points, crs="EPSG:4326")),
                "Point",
            )
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".gpkg", dir=target.parent
        )
    except OSError as exc:
        raise ExportError(
            f"cannot write the GeoPackage {target}: {exc.strerror or exc}; check the path"
        ) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # GDAL creates the file itself
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _GPKG_DATE})
    try:
        for name, frame, geometry_type in layers:
            pyogrio.write_dataframe(
                frame,
                tmp,
                layer=name,
                driver="GPKG",
                geometry_type=geometry_type,
                append=tmp.exists(),
            )
        os.replace(tmp, target)
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError | pyogrio.errors.DataSourceError):
            raise ExportError(f"cannot write the GeoPackage {target}: {exc}") from exc
        raise
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
    return target


# --- one site, given on the command line ------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.+-]+", "_", text.casefold()).strip("_") or "site"


def site_footprints(
    site: Any,
    range_km: float | Sequence[float],
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    label: str | None = None,
    range_kind: str = "assumption",
    sites: str | os.PathLike[str] | None = None,
    tolerance_m: float | None = None,
) -> gpd.GeoDataFrame:
    """Footprints of one site at one or more ranges, shaped like :func:`geo.claim_footprints`.

    For exports of a site and range typed by a user (``georange export --site
    ... --range-km ...``): each range becomes a claim with ``claimant``
    "georange user" and ``source`` "command line", so files carry the same
    columns as catalog exports.

    Parameters
    ----------
    site
        A name, alias, offset or coordinates as text (see :func:`geo.geocode`),
        a :class:`geo.gazetteer.Site`, or a ``(lat, lon)`` pair (used exactly).
    range_km
        One range or several, in kilometres.
    min_range_km
        A minimum range (annulus), the same for every range.
    bearing
        ``(start_deg, end_deg)`` clockwise from north: a sector.
    label
        What the range belongs to (becomes ``missile``).
    range_kind
        What the number is, one of ``geo.catalog.RANGE_KINDS``.
    sites
        A user sites file for the look-up.
    tolerance_m
        Passed to the footprint engine.

    Examples
    --------
    >>> fp = site_footprints("39.0339, 125.7543", [13000, 19000])
    >>> fp["claim_id"].tolist(), fp["range_kind"].tolist()
    (['39.0339_125.7543-13000km', '39.0339_125.7543-19000km'], ['assumption', 'assumption'])
    """
    from geo.catalog import RANGE_KINDS
    from geo.footprint import footprints
    from geo.gazetteer import geocode

    if range_kind not in RANGE_KINDS:
        raise ExportError(f"range_kind {range_kind!r} is not one of {', '.join(RANGE_KINDS)}")
    if isinstance(site, str):
        place = geocode(site, sites=sites)
    elif hasattr(site, "lat") and hasattr(site, "lon"):
        place = site
    elif isinstance(site, Sequence) and len(site) == 2:
        from geo.gazetteer import Site

        lat, lon = (float(v) for v in site)
        name = f"{lat!r}, {lon!r}"
        place = Site(
            None, name, lat, lon, 0.0, "coordinates", "coordinates as given", "coordinates", name
        )
    else:
        raise ExportError(
            f"site {site!r} is not a place name, a geo.gazetteer.Site or a (lat, lon) pair"
        )
    ranges = [range_km] if isinstance(range_km, int | float) else list(range_km)
    # the site's id, else its exact coordinates (names of coordinate sites are rounded)
    key = place.id or f"{float(place.lat)!r}_{float(place.lon)!r}"
    rows = []
    for r in ranges:
        rows.append(
            {
                "claim_id": f"{_slug(key)}-{float(r):g}km",
                "event_id": _slug(key),
                "date": "",
                "date_precision": "unknown",
                "site": getattr(place, "query", "") or place.name,
                "missile": label or "",
                "range_km": float(r),
                "range_kind": range_kind,
                "claimant": "georange user",
                "source": "command line",
                "note": "",
                "site_name": place.name,
                "site_id": place.id,
                "lat": float(place.lat),
                "lon": float(place.lon),
                "precision_km": float(place.precision_km),
                "site_match": getattr(place, "match", None),
                "site_source": getattr(place, "source", None),
                "located": True,
                "min_range_km": float(min_range_km or 0.0),
                "bearing_start_deg": float(bearing[0]) if bearing is not None else math.nan,
                "bearing_end_deg": float(bearing[1]) if bearing is not None else math.nan,
            }
        )
    frame = pd.DataFrame(rows)
    return footprints(
        frame,
        min_range_km="min_range_km",
        bearing=("bearing_start_deg", "bearing_end_deg") if bearing is not None else None,
        tolerance_m=tolerance_m,
    )


# --- one entry point --------------------------------------------------------------------------


def export_format(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The export format: *fmt* if given (checked), else the one the file suffix names.

    Examples
    --------
    >>> export_format("reach.kml"), export_format("out.json"), export_format("x.dat", "gpkg")
    ('kml', 'geojson', 'gpkg')
    """
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            raise ExportError(
                f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}"
            )
        return fmt
    name = Path(path)
    found = _SUFFIXES.get(name.suffix.lower())
    if found is None:
        raise ExportError(
            f"cannot tell the format from the file name {str(name)!r}; give --format "
            f"({', '.join(EXPORT_FORMATS)}) or end the name in .geojson, .kml or .gpkg"
        )
    return found


def export_footprints(
    path: str | os.PathLike[str],
    footprints: gpd.GeoDataFrame,
    *,
    fmt: str | None = None,
    claims: pd.DataFrame | None = None,
    targets: pd.DataFrame | str | os.PathLike[str] | None = None,
    title: str = "georange footprints",
) -> Path:
    """Write footprints as GeoJSON, KML or GeoPackage (by *fmt*, else by the file suffix).

    Parameters
    ----------
    path
        The file to write (replaced if it exists).
    footprints
        A GeoDataFrame with a ``tolerance_m`` column.
    fmt
        ``"geojson"``, ``"kml"`` or ``"gpkg"``; by default from the suffix
        (``.geojson``/``.json``, ``.kml``, ``.gpkg``).
    claims, targets
        For KML (claims without a site) and GeoPackage (``claims`` and
        ``targets`` layers); see :func:`kml_text` and :func:`write_geopackage`.
    title
        KML document name.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import geo, json, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = export_footprints(pathlib.Path(tmp) / "fiji.geojson",
    ...                             site_footprints("-17.7134, 178.065", 1000))
    ...     json.loads(out.read_text())["features"][0]["geometry"]["type"]
    'MultiPolygon'
    """
    target = Path(path)
    kind = export_format(target, fmt)
    if kind == "gpkg":
        return write_geopackage(target, footprints, claims=claims, targets=targets)
    text = (
        geojson_text(footprints)
        if kind == "geojson"
        else kml_text(footprints, claims=claims, title=title)
    )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}; check the path") from exc
    log.info("wrote %d footprints to %s (%s)", len(footprints), target, kind)
    return target


def export_catalog(
    path: str | os.PathLike[str],
    catalog: pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    fmt: str | None = None,
    sites: str | os.PathLike[str] | None = None,
    targets: pd.DataFrame | str | os.PathLike[str] | None = None,
    tolerance_m: float | None = None,
) -> Path:
    """Write the footprints of a catalog's claims (the bundled one by default) to a file.

    Parameters
    ----------
    path
        The file to write.
    catalog
        A frame from :func:`geo.load_catalog` or an events file; the bundled
        catalog when omitted.
    fmt
        ``"geojson"``, ``"kml"`` or ``"gpkg"`` (default: from the suffix).
    sites
        A user sites file for geocoding the catalog.
    targets
        Targets for the GeoPackage's ``targets`` layer (bundled by default).
    tolerance_m
        Passed to the footprint engine.

    Examples
    --------
    >>> import pyogrio, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = export_catalog(pathlib.Path(tmp) / "seed.gpkg")
    ...     len(pyogrio.read_dataframe(out, layer="claims"))
    12
    """
    from geo.catalog import claim_footprints, load_catalog

    cat = catalog if isinstance(catalog, pd.DataFrame) else load_catalog(catalog, sites=sites)
    fp = claim_footprints(cat, tolerance_m=tolerance_m)
    return export_footprints(path, fp, fmt=fmt, claims=cat, targets=targets)
