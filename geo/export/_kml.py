"""Footprints as KML for Google Earth: pieces it fills unambiguously, outlines, placemarks."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.errors import ExportError
from geo.export._attributes import (
    _attribute_columns,
    _check_footprints,
    _feature_id,
    _plain,
    _site_key,
    _site_label,
    _with_class,
    missile_class,
)
from geo.export._coordinates import FloatArray, _num, _round_ring, _rounded, coordinate_digits

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
#    way, without the cut and pole-closure edges.  Fills and outlines are separate placemarks
#    in separate folders (one geometry type per placemark and per folder, which GDAL reads as
#    one layer each, so that ogr2ogr can convert the file to Shapefiles).
#
# Whatever the rule, what is drawn is within 1.1 x the tolerance of the true geodesic boundary.
# Google Earth itself cannot run here: tests/export/test_export.py rebuilds what each of the
# three rules draws from the KML and checks it against the engine and Geod.inv.  One thing
# those tests cannot show: how Google Earth fills a piece with two vertices at a pole (a point
# on the globe, where Mercator northing is infinite); the pieces are built so that this is
# their only contact with the pole.

_MEAN_RADIUS_M = 6_371_008.8
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


def _kml_multi(parent: ET.Element, count: int) -> ET.Element:
    """Where the parts go: the placemark itself for one part, else a MultiGeometry."""
    return parent if count == 1 else _sub(parent, "MultiGeometry")


def _kml_fill(parent: ET.Element, geom: Polygon | MultiPolygon, digits: int, eps: float) -> None:
    """The footprint as Polygons (see the comment above: pieces, densified edges)."""
    pieces = _kml_pieces(geom)
    multi = _kml_multi(parent, len(pieces))
    for piece in pieces:
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


def _kml_outline(parent: ET.Element, chains: list[FloatArray], digits: int, eps: float) -> None:
    """The footprint's true boundary as LineStrings."""
    multi = _kml_multi(parent, len(chains))
    for chain in chains:
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
        # xsd:boolean allows true/false/1/0; GDAL's LIBKML reads a bool field as an
        # integer and "true" as 0, so the digits
        return "1" if v else "0"
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


def kml_text(
    footprints: gpd.GeoDataFrame,
    *,
    claims: pd.DataFrame | None = None,
    title: str = "georange footprints",
) -> str:
    """Footprints as KML for Google Earth: a folder per site, styled by missile class.

    Each site gets a folder with its point (name, coordinates, precision,
    source), a folder of its footprints and a folder of their outlines.  Each
    footprint is a placemark named after the site and range, filled
    translucent in the colour of its missile class (see :func:`missile_class`),
    whose description (HTML-escaped) gives range, kind of number, claimant,
    date, source and tolerance, whose ``TimeStamp`` is the claim's date where
    its year is known (for the time slider), and whose ``ExtendedData`` holds
    every column typed by a ``Schema`` (booleans as ``1``/``0``).  Its outline
    (opaque) is a placemark of its own with the same data, time stamp and
    style, listed as one item in Google Earth.  The geometry is built so that
    Google Earth shows footprints that cross the dateline or contain a pole
    correctly (see the comment above this function in the source).

    The document is valid against the OGC KML 2.2 schema, and each placemark
    and each folder holds one type of geometry (points, polygons or lines),
    so GDAL reads each folder as a layer and ``ogr2ogr`` converts the file to
    Shapefiles.

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
    (6, 6, True)
    """
    fp = _check_footprints(footprints)
    columns = _attribute_columns(fp)
    classes = _with_class(fp)
    ET.register_namespace("", _KML_NS)
    root = ET.Element("kml", {"xmlns": _KML_NS})
    doc = _sub(root, "Document", id="georange")
    _sub(doc, "name", title)
    _sub(doc, "open", "1")
    _kml_styles_and_schema(doc, fp, columns, classes)

    records = fp[columns].to_dict("records")
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, rec in enumerate(records):
        groups.setdefault(_site_key(rec), []).append(i)
    used: set[str] = set()
    for key, members in groups.items():
        first = records[members[0]]
        label = _site_label(first)
        name = str(key[1] or label)
        folder = _sub(doc, "Folder", id=_xml_id("site-", name, used))
        _sub(folder, "name", label)
        _site_placemark(folder, first, key, label, len(members), used)
        drawn = [_Drawn(i, records[i], classes[i], fp.geometry.iloc[i]) for i in members]
        _footprint_folders(folder, drawn, label, name, columns, used)
    if claims is not None and "located" in claims.columns:
        _unlocated_folder(doc, claims, used)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _kml_styles_and_schema(
    doc: ET.Element, fp: gpd.GeoDataFrame, columns: list[str], classes: list[str]
) -> None:
    """A style per missile class, the site and outline-folder styles, then the typed schema
    of the placemarks' data (OGC KML 2.2 orders a Document's styles before its schemas)."""
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
    outlines = _sub(doc, "Style", id="outlines")  # the folder shows as one item
    _sub(_sub(outlines, "ListStyle"), "listItemType", "checkHideChildren")
    schema = _sub(doc, "Schema", name="footprint", id="footprint")
    for col in columns:
        _sub(schema, "SimpleField", name=col, type=_kml_type(fp[col]))
    if "missile_class" not in columns:
        _sub(schema, "SimpleField", name="missile_class", type="string")


def _site_placemark(
    folder: ET.Element,
    first: dict[str, Any],
    key: tuple[Any, ...],
    label: str,
    count: int,
    used: set[str],
) -> None:
    """The site's point in its folder (none when the site has no coordinates)."""
    lat, lon = _plain(first.get("lat")), _plain(first.get("lon"))
    if lat is None or lon is None:
        return
    pm = _sub(folder, "Placemark", id=_xml_id("point-", str(key[1] or label), used))
    _sub(pm, "name", label)
    rows: list[tuple[str, Any]] = [
        ("coordinates", f"{lat:.6f}, {lon:.6f}"),
        ("precision", _km(first.get("precision_km"))),
        ("source", _plain(first.get("site_source"))),
        ("site id", _plain(first.get("site_id"))),
        ("footprints", str(count)),
    ]
    _sub(pm, "description", _description(rows))
    _sub(pm, "styleUrl", "#site")
    point = _sub(pm, "Point")
    _sub(point, "coordinates", f"{_num(round(lon, 9))!r},{_num(round(lat, 9))!r}")


class _Drawn:
    """One footprint of a site as the KML draws it: rounded geometry and outline chains."""

    def __init__(self, i: int, rec: dict[str, Any], cls: str, geom: BaseGeometry | None) -> None:
        self.i, self.rec, self.cls = i, rec, cls
        tol_m = float(rec["tolerance_m"])
        self.eps_m = _KML_EPS_SHARE * tol_m
        self.shape: Polygon | MultiPolygon | None = None
        self.digits = coordinate_digits(tol_m)
        self.chains: list[FloatArray] = []
        if geom is not None and not geom.is_empty:
            self.shape, self.digits = _rounded(geom, self.digits)
            self.chains = _outline_chains(self.shape)


def _footprint_folders(
    folder: ET.Element,
    drawn: list[_Drawn],
    label: str,
    name: str,
    columns: list[str],
    used: set[str],
) -> None:
    """A site's footprints in one folder (polygons), their outlines in another (lines)."""
    fills = _sub(folder, "Folder", id=_xml_id("footprints-", name, used))
    _sub(fills, "name", f"{label} footprints")
    for d in drawn:
        pm = _claim_placemark(fills, d, label, columns, used, outline=False)
        if d.shape is not None:
            _kml_fill(pm, d.shape, d.digits, d.eps_m)
    if not any(d.chains for d in drawn):
        return  # the whole globe has no edge
    outlines = _sub(folder, "Folder", id=_xml_id("outlines-", name, used))
    _sub(outlines, "name", f"{label} outlines")
    _sub(outlines, "styleUrl", "#outlines")
    for d in drawn:
        if d.chains:
            pm = _claim_placemark(outlines, d, label, columns, used, outline=True)
            _kml_outline(pm, d.chains, d.digits, d.eps_m)


def _claim_placemark(
    folder: ET.Element,
    d: _Drawn,
    label: str,
    columns: list[str],
    used: set[str],
    *,
    outline: bool,
) -> ET.Element:
    """A footprint's placemark without its geometry: name, description (of the fill),
    time stamp, style, data."""
    rec = d.rec
    prefix = "outline-" if outline else "claim-"
    pm = _sub(folder, "Placemark", id=_xml_id(prefix, _feature_id(rec, d.i), used))
    rng = _plain(rec.get("range_km"))
    name = f"{label} {_km(rng)}" if rng is not None else label
    if _plain(rec.get("range_kind")):
        name += f" ({rec['range_kind']})"
    _sub(pm, "name", name + (" outline" if outline else ""))
    if not outline:
        _sub(pm, "description", _description(_claim_rows(rec, d.cls)))
    when = _kml_when(rec)
    if when is not None:
        _sub(_sub(pm, "TimeStamp"), "when", when)
    _sub(pm, "styleUrl", "#" + _xml_id("class-", d.cls, set()))
    ext = _sub(pm, "ExtendedData")
    sd = _sub(ext, "SchemaData", schemaUrl="#footprint")
    values = {c: rec[c] for c in columns}
    values.setdefault("missile_class", d.cls)
    for col, value in values.items():
        text = _kml_value(value)
        if text is not None:
            _sub(sd, "SimpleData", text, name=col)
    return pm


def _unlocated_folder(doc: ET.Element, claims: pd.DataFrame, used: set[str]) -> None:
    """A folder listing the claims without a site (placemarks without geometry)."""
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
