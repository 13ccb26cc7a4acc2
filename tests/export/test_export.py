"""Exports: GeoJSON (RFC 7946), KML (Google Earth), GeoPackage.

Every file is read back with an independent reader (pyogrio for GeoJSON and
GeoPackage, fastkml for KML) and compared with the engine's footprint (area of
the symmetric difference, computed on an equal-area projection) and with the
input attributes, exactly.  What Google Earth would draw is rebuilt from the
KML by interpolating its edges as great circles and as rhumb lines, and checked
against Geod.inv.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from checks import GEOD
from click.testing import CliRunner
from fastkml import KML, Placemark, Schema
from fastkml.utils import find_all
from hypothesis import example, given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

import geo
from geo.cli import cli
from geo.errors import ExportError, GeorangeError
from geo.export import (
    coordinate_digits,
    export_catalog,
    export_footprints,
    export_format,
    geojson_text,
    kml_text,
    missile_class,
    site_footprints,
    write_geopackage,
)

R_AUTHALIC = 6371007.180918475

# The named cases of the issue: (site text, lat, lon, range_km).
CASES = {
    "pyongyang-13000": ("39.0339, 125.7543", 39.0339, 125.7543, 13000.0),
    "fiji-1000": ("-17.7134, 178.065", -17.7134, 178.065, 1000.0),
    "pyongyang-19000": ("39.0339, 125.7543", 39.0339, 125.7543, 19000.0),
}


# --- helpers -------------------------------------------------------------------------------


def equal_area_m2(geom: BaseGeometry) -> float:
    """Area on the authalic sphere: Lambert cylindrical equal-area (x = R lon, y = R sin lat)."""
    if geom.is_empty:
        return 0.0
    # densify first: a long straight lon/lat edge is a curve on the projection
    projected = shapely.transform(
        shapely.segmentize(geom, 0.01),
        lambda c: np.column_stack(
            (R_AUTHALIC * np.radians(c[:, 0]), R_AUTHALIC * np.sin(np.radians(c[:, 1])))
        ),
    )
    return float(projected.area)


def true_boundary_m(geom: BaseGeometry) -> float:
    """Length of the boundary without the antimeridian cut and pole closure edges (Geod)."""
    total = 0.0
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        c = np.asarray(ring.coords)
        a, b = c[:-1], c[1:]
        cut = (a[:, 0] == b[:, 0]) & (np.abs(a[:, 0]) == 180.0)
        pole = (a[:, 1] == b[:, 1]) & (np.abs(a[:, 1]) == 90.0)
        keep = ~(cut | pole)
        if keep.any():
            _, _, d = GEOD.inv(a[keep, 0], a[keep, 1], b[keep, 0], b[keep, 1])
            total += float(np.sum(d))
    return total


def symdiff_m2(a: BaseGeometry, b: BaseGeometry) -> float:
    return equal_area_m2(shapely.symmetric_difference(a, b))


def plain(value: Any) -> Any:
    """Comparable Python value: None for every kind of missing."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if value is pd.NA:
        return None
    return str(value)


def records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    return [{c: plain(v) for c, v in rec.items()} for rec in frame[columns].to_dict("records")]


def attribute_columns(frame: gpd.GeoDataFrame) -> list[str]:
    return [c for c in frame.columns if c != frame.geometry.name]


def case_frame(name: str) -> gpd.GeoDataFrame:
    text, _, _, range_km = CASES[name]
    return site_footprints(text, range_km)


def all_frames() -> dict[str, gpd.GeoDataFrame]:
    frames = {"seed-catalog": geo.claim_footprints()}
    frames.update({name: case_frame(name) for name in CASES})
    return frames


FRAME_NAMES = ["seed-catalog", *CASES]


@pytest.fixture(scope="module")
def frames() -> dict[str, gpd.GeoDataFrame]:
    return all_frames()


def engine(row: pd.Series) -> Polygon | MultiPolygon:
    """The engine's footprint for a row, computed afresh (not taken from the frame)."""
    return geo.footprint(row["lat"], row["lon"], row["range_km"])


# --- coordinates and classes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("tol", "digits"),
    [(100.0, 6), (50.0, 6), (10.0, 7), (1.0, 8), (0.15, 8), (0.1, 9), (1000.0, 5)],
)
def test_coordinate_digits_step_is_at_most_one_hundredth_of_the_tolerance(
    tol: float, digits: int
) -> None:
    assert coordinate_digits(tol) == digits
    assert 111_320 * 10.0**-digits <= tol / 100
    assert 111_320 * 10.0 ** -(digits - 1) > tol / 100  # and no more digits than that


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_coordinate_digits_rejects_bad_tolerances(bad: float) -> None:
    with pytest.raises(ExportError, match="tolerance_m"):
        coordinate_digits(bad)


@pytest.mark.parametrize(
    ("missile", "cls"),
    [
        ("Hwasong-15", "ICBM"),
        ("kn-22", "ICBM"),  # an alias, any case
        ("Hwasong-9", "SRBM/MRBM"),
        ("underwater-to-surface strategic cruise missile", "cruise"),
        ("submarine-launched cruise missile", "cruise"),
        ("intermediate-range hypersonic ballistic missile", "IRBM"),
        ("intercontinental ballistic missile", "ICBM"),
        ("short-range ballistic missile", "SRBM"),
        ("satellite launch vehicle", "SLV"),
        ("unidentified projectile", "unclassified"),
        ("", "unclassified"),
        (None, "unclassified"),
        (float("nan"), "unclassified"),
    ],
)
def test_missile_class(missile: Any, cls: str) -> None:
    assert missile_class(missile) == cls


def test_export_format_from_suffix_and_errors() -> None:
    assert export_format("a.GeoJSON") == "geojson"
    assert export_format("a.kml") == "kml"
    assert export_format("a.gpkg") == "gpkg"
    with pytest.raises(ExportError, match=r"'a\.shp'.*--format"):
        export_format("a.shp")
    with pytest.raises(ExportError, match=r"'svg'.*geojson, kml, gpkg"):
        export_format("a.kml", "svg")


def test_non_footprints_are_refused_with_the_fix() -> None:
    with pytest.raises(ExportError, match="GeoDataFrame"):
        geojson_text(pd.DataFrame({"a": [1]}))  # type: ignore[arg-type]
    no_tol = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0).buffer(1)], crs="EPSG:4326")
    with pytest.raises(ExportError, match="tolerance_m"):
        kml_text(no_tol)
    points = geo.load_catalog()
    points = points.loc[points["located"]].assign(tolerance_m=100.0)
    with pytest.raises(ExportError, match="Point, not a footprint"):
        geojson_text(points)
    assert issubclass(ExportError, GeorangeError)


# --- GeoJSON ---------------------------------------------------------------------------------


def check_geojson(doc: dict[str, Any], digits: list[int]) -> None:
    """RFC 7946: structure, ranges, winding, antimeridian cut, rounding, validity."""
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc  # RFC 7946 section 4: no crs member
    assert len(doc["features"]) == len(digits)
    for feature, d in zip(doc["features"], digits, strict=True):
        assert feature["type"] == "Feature"
        assert isinstance(feature["id"], str)
        geom = feature["geometry"]
        assert geom["type"] in ("Polygon", "MultiPolygon")
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for poly in polys:
            for k, ring in enumerate(poly):
                c = np.asarray(ring, dtype=float)
                assert c.shape[1] == 2 and len(c) >= 4
                assert (c[0] == c[-1]).all(), "rings are closed"
                assert (np.abs(c[:, 0]) <= 180).all() and (np.abs(c[:, 1]) <= 90).all()
                # no edge crosses the antimeridian (it would span more than 180 degrees),
                # except the closure along a pole (latitude +/-90), a point on the globe
                polar = (c[:-1, 1] == c[1:, 1]) & (np.abs(c[:-1, 1]) == 90)
                assert (np.abs(np.diff(c[:, 0]))[~polar] <= 180).all()
                x, y = c[:, 0] - c[0, 0], c[:, 1] - c[0, 1]  # shoelace near the ring: exact
                signed = 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))
                assert (signed > 0) if k == 0 else (signed < 0), "CCW exterior, CW holes"
                assert (np.round(c, d) == c).all(), f"coordinates rounded to {d} digits"
                assert not (np.diff(c, axis=0) == 0).all(axis=1).any(), "no repeated vertex"
        g = shape(geom)
        assert g.is_valid, shapely.is_valid_reason(g)  # no self-intersection, no overlap


@pytest.mark.parametrize("name", FRAME_NAMES)
def test_geojson_is_valid_rfc7946(frames: dict[str, gpd.GeoDataFrame], name: str) -> None:
    fp = frames[name]
    doc = json.loads(geojson_text(fp))
    check_geojson(doc, [coordinate_digits(t) for t in fp["tolerance_m"]])


@pytest.mark.parametrize("name", FRAME_NAMES)
def test_geojson_round_trip(frames: dict[str, gpd.GeoDataFrame], name: str, tmp_path: Path) -> None:
    fp = frames[name]
    out = export_footprints(tmp_path / "fp.geojson", fp)
    # GDAL turns date-like strings ('2024-01-28') into dates unless told not to
    back = pyogrio.read_dataframe(out, DATE_AS_STRING="YES")
    columns = attribute_columns(fp)
    assert back["id"].tolist() == fp["claim_id"].tolist()
    assert records(back, columns) == geojson_records(fp, columns)
    assert back["missile_class"].tolist() == [missile_class(m) for m in fp["missile"]]
    for (_, row), got in zip(fp.iterrows(), back.geometry, strict=True):
        want = engine(row)
        tol = float(row["tolerance_m"])
        # rounding moves a vertex by at most 0.71 % of the tolerance
        assert symdiff_m2(got, want) <= true_boundary_m(want) * tol / 100
        assert got.geom_type == want.geom_type
        assert abs(equal_area_m2(got) - equal_area_m2(want)) <= true_boundary_m(want) * tol / 100


def geojson_records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """The frame's records as the GeoJSON export writes them: a date without its year
    (--MM-DD, --MM) with ISO 8601-2's unspecified year, XXXX-MM-DD, XXXX-MM."""
    out = records(frame, columns)
    for rec in out:
        date = rec.get("date")
        if isinstance(date, str) and date.startswith("--"):
            rec["date"] = "XXXX" + date[1:]
    return out


@pytest.mark.parametrize(
    ("dates", "kind"),
    [
        (["--02-02", "2024-01-28"], "text"),
        (["--02-02"], "text"),
        (["--02", "2017-11"], "text"),
        (["2024-01-28", "2025-01-25"], "date"),
    ],
)
def test_geojson_dates_read_back_as_written(dates: list[str], kind: str, tmp_path: Path) -> None:
    """Read with GDAL's defaults (no DATE_AS_STRING): no date changes its meaning.  A date
    without its year was read as one of the year 2000 (--02-02 as 2000-02-02)."""
    fp = site_footprints("Pyongyang", [1000.0] * len(dates)).assign(date=dates)
    out = export_footprints(tmp_path / "dates.geojson", fp)
    back = pyogrio.read_dataframe(out)
    written = [f["properties"]["date"] for f in json.loads(out.read_text())["features"]]
    assert written == [("XXXX" + d[1:]) if d.startswith("--") else d for d in dates]
    if kind == "text":
        assert back["date"].tolist() == written
    else:
        assert [t.date().isoformat() for t in back["date"]] == written


def test_geojson_properties_are_the_claims_provenance() -> None:
    doc = json.loads(geojson_text(geo.claim_footprints()))
    props = doc["features"][1]["properties"]
    assert props["claim_id"] == "r4-assumed-range"
    assert props["range_km"] == 1500.0 and props["range_kind"] == "assumption"
    assert props["claimant"] == "georange (assumption)"
    assert props["site_name"] == "Sinpo" and props["precision_km"] == 3.0
    assert props["tolerance_m"] == 100.0 and props["located"] is True
    assert props["missile_class"] == "cruise"
    assert doc["features"][0]["properties"]["date"] == "XXXX-02-02"  # year unknown


@given(
    lat=st.floats(-90, 90),
    lon=st.floats(-180, 180),
    range_km=st.floats(1.0, 20_000.0),
    annulus=st.booleans(),
    sector=st.none() | st.tuples(st.floats(0, 360), st.floats(1, 359)),
)
# found by hypothesis: an engine spike (annular sector), a polar sector wider than 180
# degrees, and sub-micrometre slivers near the South Pole
@example(lat=0.0, lon=0.0, range_km=1.0, annulus=True, sector=(0.0, 1.0))
@example(lat=90.0, lon=0.0, range_km=1.0, annulus=False, sector=(0.0, 181.0))
@example(lat=-72.0, lon=0.0, range_km=16335.0, annulus=True, sector=(0.0, 179.99999999999997))
def test_geojson_valid_and_close_for_any_footprint(
    lat: float,
    lon: float,
    range_km: float,
    annulus: bool,
    sector: tuple[float, float] | None,
) -> None:
    # bearings are accepted within [-360, 360] (issue 13): the end wraps to stay inside
    bearing = (
        None
        if sector is None
        else (sector[0], sector[0] + sector[1] - 360.0 * (sector[0] + sector[1] > 360.0))
    )
    fp = site_footprints(
        (lat, lon),
        range_km,
        min_range_km=range_km / 3 if annulus else 0.0,
        bearing=bearing,
    )
    tol = float(fp["tolerance_m"].iloc[0])
    doc = json.loads(geojson_text(fp))
    check_geojson(doc, [coordinate_digits(tol)])
    got = shape(doc["features"][0]["geometry"])
    want = fp.geometry.iloc[0]
    assert symdiff_m2(got, want) <= max(true_boundary_m(want), 1.0) * tol / 100


# --- KML -------------------------------------------------------------------------------------


def kml_placemarks(text: str) -> tuple[dict[str, str], list[Placemark]]:
    doc = KML.from_string(text.encode("utf-8"))
    (schema,) = list(find_all(doc, of_type=Schema))
    types = {f.name: f.type_.value for f in schema.fields}
    return types, list(find_all(doc, of_type=Placemark))


def kml_attributes(pm: Placemark, types: dict[str, str]) -> dict[str, Any]:
    (data,) = pm.extended_data.elements
    assert data.schema_url == "#footprint"
    out: dict[str, Any] = {}
    for item in data.data:
        kind = types[item.name]
        if item.value is None:
            out[item.name] = None
        elif kind == "double":
            out[item.name] = float(item.value)
        elif kind == "bool":
            # written as digits: GDAL's LIBKML reads "true" as 0
            out[item.name] = {"1": True, "0": False}[item.value]
        else:
            out[item.name] = item.value
    return out


def kml_geoms(pm: Placemark | None) -> list[BaseGeometry]:
    if pm is None or pm.geometry is None:
        return []
    g = shape(pm.geometry)
    return list(getattr(g, "geoms", [g]))


def kml_parts(text: str) -> list[tuple[Placemark, list[Polygon], list[np.ndarray]]]:
    """Each footprint of a document: its placemark, the polygons of its fill and the lines
    of its outline (the placemark 'outline-ID' beside the fill's 'claim-ID')."""
    _, pms = kml_placemarks(text)
    by_id = {pm.id: pm for pm in pms}
    out = []
    for pm in pms:
        if pm.id.startswith("claim-") and pm.extended_data is not None:
            fill = kml_geoms(pm)
            outline = kml_geoms(by_id.get("outline-" + pm.id.removeprefix("claim-")))
            assert {g.geom_type for g in fill} <= {"Polygon"}
            assert {g.geom_type for g in outline} <= {"LineString"}
            out.append((pm, fill, [np.asarray(g.coords) for g in outline]))
    return out


def kml_parts_etree(text: str) -> tuple[list[Polygon], list[np.ndarray]]:
    """Polygons and lines of a document's (single) footprint, read with ElementTree
    (fastkml takes seconds on the largest footprints; the named cases use it)."""
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.fromstring(text)

    def coords(el: ET.Element) -> np.ndarray:
        text = el.findtext("k:coordinates", namespaces=ns) or ""
        return np.array([[float(v) for v in p.split(",")] for p in text.split()])

    polys = [
        Polygon(
            coords(p.find("k:outerBoundaryIs/k:LinearRing", ns)),  # type: ignore[arg-type]
            [coords(r) for r in p.findall("k:innerBoundaryIs/k:LinearRing", ns)],
        )
        for p in root.iter("{http://www.opengis.net/kml/2.2}Polygon")
    ]
    lines = [coords(el) for el in root.iter("{http://www.opengis.net/kml/2.2}LineString")]
    return polys, lines


def footprint_placemarks(text: str) -> tuple[dict[str, str], list[Placemark]]:
    """The footprints' (fill) placemarks, without the outlines'."""
    types, pms = kml_placemarks(text)
    return types, [pm for pm in pms if pm.id.startswith("claim-") and pm.extended_data]


@pytest.mark.parametrize("name", FRAME_NAMES)
def test_kml_round_trip(frames: dict[str, gpd.GeoDataFrame], name: str, tmp_path: Path) -> None:
    fp = frames[name]
    out = export_footprints(tmp_path / "fp.kml", fp)
    types, pms = footprint_placemarks(out.read_text(encoding="utf-8"))
    assert len(pms) == len(fp)
    columns = attribute_columns(fp)
    for pm, (_, row) in zip(pms, fp.iterrows(), strict=True):
        attrs = kml_attributes(pm, types)
        # an empty string is written as an empty element, which KML readers give as missing
        want = {c: (None if plain(row[c]) == "" else plain(row[c])) for c in columns}
        assert {c: attrs.get(c) for c in columns} == want
        assert attrs["missile_class"] == missile_class(row["missile"])
        polys = kml_geoms(pm)
        got = shapely.union_all(polys)
        want_geom = engine(row)
        tol = float(row["tolerance_m"])
        # read as OGC KML 2.2 does (straight lon/lat edges): the engine's polygon, rounded
        assert symdiff_m2(got, want_geom) <= true_boundary_m(want_geom) * tol / 100


def _unit(c: np.ndarray) -> np.ndarray:
    lam, phi = np.radians(c[:, 0]), np.radians(c[:, 1])
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))


def great_circle_path(c: np.ndarray, steps: int) -> np.ndarray:
    """Points along the great circles between consecutive vertices (lon near the chord's)."""
    a, b = c[:-1], c[1:]
    va, vb = _unit(a), _unit(b)
    omega = np.arccos(np.clip(np.sum(va * vb, axis=1), -1.0, 1.0))[:, None, None]
    t = np.linspace(0, 1, steps + 1)[1:][None, :, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        pts = (np.sin((1 - t) * omega) * va[:, None] + np.sin(t * omega) * vb[:, None]) / np.sin(
            omega
        )
    pts = np.where(omega < 1e-15, vb[:, None], pts)  # coincident ends
    lon = np.degrees(np.arctan2(pts[..., 1], pts[..., 0]))
    lat = np.degrees(np.arcsin(np.clip(pts[..., 2], -1, 1)))
    ref = a[:, :1] + t[..., 0] * (b[:, :1] - a[:, :1])
    lon = lon + 360.0 * np.round((ref - lon) / 360.0)
    polar = np.abs(lat) > 90 - 1e-9  # at a pole the longitude is arbitrary: keep the chord's
    lon = np.where(polar, ref, lon)
    pole_edge = (a[:, 1] == b[:, 1]) & (np.abs(a[:, 1]) == 90)  # a point on the globe
    lon = np.where(pole_edge[:, None], ref, lon)
    lat = np.where(pole_edge[:, None], a[:, 1:2], lat)
    lon[:, -1], lat[:, -1] = b[:, 0], b[:, 1]
    return np.concatenate((c[:1, :2], np.column_stack((lon.ravel(), lat.ravel()))))


def _mercator(y: np.ndarray) -> np.ndarray:
    return np.asarray(np.arctanh(np.sin(np.radians(np.clip(y, -89.999999, 89.999999)))))


def rhumb_path(c: np.ndarray, steps: int) -> np.ndarray:
    """Points along the rhumb lines (straight in Mercator) between consecutive vertices."""
    a, b = c[:-1], c[1:]
    t = np.linspace(0, 1, steps + 1)[1:][None, :]
    lon = a[:, :1] + t * (b[:, :1] - a[:, :1])
    ya, yb = _mercator(a[:, 1])[:, None], _mercator(b[:, 1])[:, None]
    lat = np.degrees(np.arcsin(np.tanh(ya + t * (yb - ya))))
    lon[:, -1], lat[:, -1] = b[:, 0], b[:, 1]
    return np.concatenate((c[:1, :2], np.column_stack((lon.ravel(), lat.ravel()))))


def drawn(
    polys: list[Polygon], path: Callable[[np.ndarray, int], np.ndarray], steps: int = 8
) -> BaseGeometry:
    pieces = []
    for p in polys:
        shell = path(np.asarray(p.exterior.coords), steps)
        holes = [path(np.asarray(r.coords), steps) for r in p.interiors]
        piece = Polygon(shell, holes)
        pieces.append(piece if piece.is_valid else shapely.make_valid(piece))
    return shapely.union_all(pieces)


@pytest.mark.parametrize("name", FRAME_NAMES)
@pytest.mark.parametrize("rule", ["great-circle", "rhumb"])
def test_kml_as_google_earth_draws_it(
    frames: dict[str, gpd.GeoDataFrame], name: str, rule: str
) -> None:
    """Whichever edge rule a viewer uses, the drawn footprint is within 1.1 x tolerance."""
    fp = frames[name]
    path = great_circle_path if rule == "great-circle" else rhumb_path
    parts = kml_parts(kml_text(fp))
    for (_, polys, lines), (_, row) in zip(parts, fp.iterrows(), strict=True):
        tol = float(row["tolerance_m"])
        want = engine(row)
        for p in polys:
            x0, y0, x1, y1 = p.bounds
            assert x0 >= -180 and x1 <= 180 and y0 >= -90 and y1 <= 90
            assert x1 - x0 <= 90, "no piece spans all meridians"
            assert p.exterior.is_ccw, "KML wants counter-clockwise outer boundaries"
        got = drawn(polys, path)
        assert symdiff_m2(got, want) <= true_boundary_m(want) * 1.1 * tol
        # the outline, drawn as great circles (paths), lies on the true boundary: Geod.inv
        pts = np.concatenate([great_circle_path(c, 8) for c in lines])
        _, _, d = GEOD.inv(
            np.full(len(pts), row["lon"]), np.full(len(pts), row["lat"]), pts[:, 0], pts[:, 1]
        )
        assert np.max(np.abs(np.asarray(d) - row["range_km"] * 1000.0)) <= 1.1 * tol
        assert sum(len(c) for c in lines) > 0


# KML is checked on fewer random footprints than the profile's default: each example
# rebuilds what Google Earth draws under two edge rules (about 0.5 s for a large one).
@settings(max_examples=min(60, settings().max_examples))
@given(
    lat=st.floats(-90, 90),
    lon=st.floats(-180, 180),
    range_km=st.floats(1.0, 19_900.0),
    annulus=st.booleans(),
)
def test_kml_for_any_footprint(lat: float, lon: float, range_km: float, annulus: bool) -> None:
    """Round trip exact to the rounding; drawn by either rule within 1.1 x tolerance."""
    fp = site_footprints((lat, lon), range_km, min_range_km=range_km / 3 if annulus else 0.0)
    row = fp.iloc[0]
    tol = float(row["tolerance_m"])
    want = fp.geometry.iloc[0]
    bound = max(true_boundary_m(want), 1.0)
    polys, lines = kml_parts_etree(kml_text(fp))
    assert all(p.bounds[2] - p.bounds[0] <= 90 for p in polys)
    assert symdiff_m2(shapely.union_all(polys), want) <= bound * tol / 100
    for path in (great_circle_path, rhumb_path):
        assert symdiff_m2(drawn(polys, path, 4), want) <= bound * 1.1 * tol
    if lines:
        pts = np.concatenate([great_circle_path(c, 4) for c in lines])
        _, _, d = GEOD.inv(np.full(len(pts), lon), np.full(len(pts), lat), pts[:, 0], pts[:, 1])
        d = np.asarray(d)
        err = np.abs(d - range_km * 1000.0)
        if annulus:
            err = np.minimum(err, np.abs(d - range_km * 1000.0 / 3))
        assert err.max() <= 1.1 * tol


GOLDEN = sorted((Path(__file__).parents[1] / "data" / "footprint").glob("*.json"))


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_every_golden_footprint_case_exports(path: Path) -> None:
    """The engine's named cases (poles, +/-180, whole globe, bands): GeoJSON valid and close,
    KML drawn within 1.1 x tolerance by either edge rule, GeoPackage geometry exact."""
    case = json.loads(path.read_text())
    fp = site_footprints(
        (case["lat"], case["lon"]), case["range_km"], min_range_km=case["min_range_km"]
    )
    want = geo.footprint(
        case["lat"], case["lon"], case["range_km"], min_range_km=case["min_range_km"]
    )
    tol = float(fp["tolerance_m"].iloc[0])
    bound = max(true_boundary_m(want), 1.0)
    doc = json.loads(geojson_text(fp))
    check_geojson(doc, [coordinate_digits(tol)])
    assert symdiff_m2(shape(doc["features"][0]["geometry"]), want) <= bound * tol / 100
    polys, lines = kml_parts_etree(kml_text(fp))
    assert all(p.bounds[2] - p.bounds[0] <= 90 for p in polys)
    assert symdiff_m2(shapely.union_all(polys), want) <= bound * tol / 100
    for rule in (great_circle_path, rhumb_path):
        assert symdiff_m2(drawn(polys, rule, 4), want) <= bound * 1.1 * tol
    if case["range_km"] >= 19969.0:
        assert lines == []  # the whole globe has no edge to draw


def test_kml_pole_and_dateline_geometry() -> None:
    """The 13,000 km footprint: one outline ring, pieces of at most 45 degrees touching the
    pole only at vertices; Fiji: two pieces meeting at the dateline, outlines stopping there."""
    ((_, polys, lines),) = kml_parts(kml_text(case_frame("pyongyang-13000")))
    assert len(polys) == 8 and all(p.bounds[2] - p.bounds[0] <= 45 for p in polys)
    assert all(p.bounds[3] == 90 for p in polys)
    # the outline skips the +/-180 cut and the pole closure: it is the circle, in two chains
    assert all(np.abs(c[:, 1]).max() < 90 for c in lines)
    ((_, polys, lines),) = kml_parts(kml_text(case_frame("fiji-1000")))
    assert len(polys) == 2
    assert sorted((p.bounds[0], p.bounds[2]) for p in polys)[0][0] == -180
    assert sorted((p.bounds[0], p.bounds[2]) for p in polys)[1][1] == 180
    ends = np.concatenate([c[[0, -1]] for c in lines])
    assert len(lines) == 2 and set(np.abs(ends[:, 0])) == {180.0}
    # 19,000 km: the world minus a cap; the only outline is the cap's ring
    ((_, polys, lines),) = kml_parts(kml_text(case_frame("pyongyang-19000")))
    assert len(lines) == 1 and (lines[0][0] == lines[0][-1]).all()


def test_kml_folders_styles_names_and_sites() -> None:
    cat = geo.load_catalog()
    text = kml_text(geo.claim_footprints(cat), claims=cat, title="seed")
    doc = KML.from_string(text.encode())
    (document,) = doc.features
    assert document.name == "seed"
    folders = [f.name for f in document.features]
    assert folders == ["Kimchaek", "Sinpo", "Claims without a site (9)"]
    # a site's folder: its point, a folder of fills, a folder of outlines (one geometry
    # type per folder; until 0.1.0 the fill and its outline were one placemark beside the point)
    kim = {p.name: p for p in document.features[0].features}
    assert sorted(kim) == ["Kimchaek", "Kimchaek footprints", "Kimchaek outlines"]
    assert shape(kim["Kimchaek"].geometry).equals(Point(129.2006, 40.6672))
    (fill,), (outline,) = kim["Kimchaek footprints"].features, kim["Kimchaek outlines"].features
    assert (fill.name, outline.name) == (
        "Kimchaek 150 km (flown)",
        "Kimchaek 150 km (flown) outline",
    )
    assert fill.style_url.url == outline.style_url.url == "#class-cruise"
    assert "year-uncertain" in fill.description and "South Korean military" in fill.description
    assert outline.description is None
    types, _ = kml_placemarks(text)
    assert kml_attributes(fill, types) == kml_attributes(outline, types)
    assert kim["Kimchaek outlines"].style_url.url == "#outlines"
    unlocated = document.features[2].features
    assert [p.geometry for p in unlocated] == [None] * 9
    styles = {s.id: s for s in document.styles}
    cruise = styles["class-cruise"]
    line, poly = cruise.styles
    assert line.color[:2] == "ff" and poly.color[:2] == "59" and poly.outline is False
    # Google Earth lists a folder of outlines as one item (fastkml does not read ListStyle)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    item = ET.fromstring(text).findtext(
        "k:Document/k:Style[@id='outlines']//k:listItemType", "", ns
    )
    assert item == "checkHideChildren"


def test_kml_one_geometry_type_per_placemark_and_folder() -> None:
    """GDAL reads each folder as a layer and Shapefile holds one geometry type per layer:
    points, polygons and lines never share a placemark or a folder; and the Document's
    styles come before its Schema (OGC KML 2.2; 0.1.0 wrote the Schema first)."""
    cat = geo.load_catalog()
    fp = pd.concat([geo.claim_footprints(cat), site_footprints("Pyongyang", [13000, 19990])])
    root = ET.fromstring(kml_text(fp, claims=cat))
    ns = "{http://www.opengis.net/kml/2.2}"
    kinds = {ns + k for k in ("Point", "Polygon", "LineString")}
    for folder in root.iter(ns + "Folder"):
        types = set()
        for pm in folder.findall(ns + "Placemark"):
            found = {el.tag for el in pm.iter() if el.tag in kinds}
            assert len(found) <= 1, pm.get("id")
            types |= found
        assert len(types) <= 1, folder.findtext(ns + "name")
    (document,) = root
    tags = [el.tag.removeprefix(ns) for el in document]
    assert tags.index("Schema") > max(i for i, t in enumerate(tags) if t == "Style")
    assert tags.index("Schema") < tags.index("Folder")


def test_kml_time_stamps_only_where_the_year_is_known() -> None:
    cat = geo.load_catalog()
    _, pms = footprint_placemarks(kml_text(geo.claim_footprints(cat)))
    # r2-0202-range has a year-uncertain date (--02-02): no time stamp; r4 is a day
    assert pms[0].times is None
    assert str(pms[1].times.timestamp) == "2024-01-28"
    fp = site_footprints("Pyongyang", 1000)
    for date, precision, when in [
        ("2017-11", "month", "2017-11"),
        ("2017", "year", "2017"),
        ("", "unknown", None),
    ]:
        one = fp.assign(date=date, date_precision=precision)
        (pm,) = footprint_placemarks(kml_text(one))[1]
        assert (pm.times is None) if when is None else str(pm.times.timestamp) == when


def test_kml_colours_differ_by_class() -> None:
    fp = geo.catalog.class_footprints((40.0368, 128.1839))
    text = kml_text(fp)
    doc = KML.from_string(text.encode())
    (document,) = doc.features
    colours = {s.id: s.styles[1].color for s in document.styles if s.id.startswith("class-")}
    assert len(colours) == fp["class"].nunique() >= 5
    assert len(set(colours.values())) == len(colours)


HOSTILE = "<img src=x onerror=alert(1)> & </script><script>alert(2)</script>"


def hostile_catalog(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    frame = pd.DataFrame(
        [
            {
                "claim_id": "evil-1",
                "event_id": "evil",
                "date": "2024-01-28",
                "date_precision": "day",
                "site": "39.0339, 125.7543",
                "missile": "cruise missile",
                "range_km": "800",
                "range_kind": "claimed",
                "claimant": "a claimant with <b>tags</b>",
                "source": HOSTILE,
                "note": "quotes \" and ' and ]]>",
                "site_name": HOSTILE,
            }
        ]
    )
    frame.to_csv(path, index=False)
    return path


def test_kml_escapes_every_text(tmp_path: Path) -> None:
    """Names are plain text; descriptions are HTML to Google Earth, so their values are
    HTML-escaped: the hostile text must come back as text, with no live tag."""
    cat = geo.load_catalog(hostile_catalog(tmp_path))
    text = kml_text(geo.claim_footprints(cat))
    assert "<img" not in text and "<script" not in text and "<b>" not in text
    _, pms = kml_placemarks(text)
    by_kind = {pm.id.split("-")[0]: pm for pm in pms}
    assert len(by_kind) == len(pms) == 3
    site, claim, outline = by_kind["point"], by_kind["claim"], by_kind["outline"]
    assert site.name == HOSTILE and claim.name.startswith(HOSTILE)
    assert outline.name.startswith(HOSTILE) and outline.description is None
    for pm in (site, claim):
        assert "<img" not in pm.description and "<script" not in pm.description
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;/script&gt;" in claim.description
    types, _ = kml_placemarks(text)
    assert kml_attributes(claim, types)["source"] == HOSTILE
    doc = json.loads(geojson_text(geo.claim_footprints(cat)))
    assert doc["features"][0]["properties"]["site_name"] == HOSTILE


# --- GeoPackage ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FRAME_NAMES)
def test_geopackage_round_trip(
    frames: dict[str, gpd.GeoDataFrame], name: str, tmp_path: Path
) -> None:
    fp = frames[name]
    out = write_geopackage(tmp_path / "fp.gpkg", fp)
    layers = dict(pyogrio.list_layers(out))
    assert layers == {"footprints": "MultiPolygon", "sites": "Point", "targets": "Point"}
    back = pyogrio.read_dataframe(out, layer="footprints")
    columns = attribute_columns(fp)
    assert records(back, columns) == records(fp, columns)
    for (_, row), got, stored in zip(fp.iterrows(), back.geometry, fp.geometry, strict=True):
        assert got.geom_type == "MultiPolygon"
        # binary doubles: exactly the frame's geometry, which is the engine's footprint
        assert shapely.equals_exact(got, MultiPolygon(list(shapely.get_parts(stored))), 0.0)
        want = engine(row)
        assert symdiff_m2(got, want) <= true_boundary_m(want) * row["tolerance_m"] / 1e6


def test_geopackage_last_change_has_milliseconds(tmp_path: Path) -> None:
    """GeoPackage 1.2+ Req 15: gpkg_contents.last_change is YYYY-MM-DDTHH:MM:SS.SSSZ
    (GDAL's validate_gpkg.py rejected the 2000-01-01T00:00:00Z of 0.1.0)."""
    import sqlite3

    out = export_catalog(tmp_path / "seed.gpkg")
    with contextlib.closing(sqlite3.connect(out)) as db:
        stamps = db.execute("SELECT table_name, last_change FROM gpkg_contents").fetchall()
    assert [name for name, _ in stamps] == ["footprints", "sites", "targets", "claims"]
    for _, stamp in stamps:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", stamp), stamp


def test_geopackage_layers_for_the_catalog(tmp_path: Path) -> None:
    out = export_catalog(tmp_path / "seed.gpkg")
    assert [n for n, _ in pyogrio.list_layers(out)] == ["footprints", "sites", "targets", "claims"]
    cat = geo.load_catalog()
    claims = pyogrio.read_dataframe(out, layer="claims")
    columns = [c for c in cat.columns if c != "geometry"]
    assert records(claims, columns) == records(cat, columns)
    for located, lat, lon, g in zip(
        cat["located"], cat["lat"], cat["lon"], claims.geometry, strict=True
    ):
        assert (g is None) if not located else g.equals(Point(lon, lat))
    sites = pyogrio.read_dataframe(out, layer="sites")
    assert sites[["site_id", "site_name", "claims"]].values.tolist() == [
        ["kimchaek", "Kimchaek", 1],
        ["sinpo", "Sinpo", 2],  # two claims at Sinpo, one without a range
    ]
    targets = pyogrio.read_dataframe(out, layer="targets")
    want = geo.load_targets()
    assert records(targets, list(want.columns)) == records(want, list(want.columns))
    assert all(
        g.equals(Point(lo, la))
        for g, la, lo in zip(targets.geometry, want["lat"], want["lon"], strict=True)
    )


# --- reproducibility -------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".geojson", ".kml", ".gpkg"])
def test_exports_are_reproducible(suffix: str, tmp_path: Path) -> None:
    """Twice from scratch (catalog loaded and footprints computed anew): identical bytes.
    GeoPackage's per-layer timestamp is pinned, so its bytes match too (on this GDAL)."""
    a = export_catalog(tmp_path / f"a{suffix}")
    b = export_catalog(tmp_path / f"b{suffix}")
    assert a.read_bytes() == b.read_bytes()
    c = export_footprints(tmp_path / f"c{suffix}", site_footprints("Pyongyang", [13000, 19000]))
    d = export_footprints(tmp_path / f"d{suffix}", site_footprints("Pyongyang", [13000, 19000]))
    assert c.read_bytes() == d.read_bytes()
    if suffix == ".gpkg":
        for layer in ("footprints", "sites", "targets", "claims"):
            pd.testing.assert_frame_equal(
                pyogrio.read_dataframe(a, layer=layer), pyogrio.read_dataframe(b, layer=layer)
            )


# --- command line ----------------------------------------------------------------------------


def run(args: list[str]) -> Any:
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["geojson", "kml", "gpkg"])
def test_cli_export_catalog(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"seed.{fmt}"
    result = run(["export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == export_catalog(tmp_path / f"api.{fmt}").read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_export_site_and_ranges(tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    result = run(
        [
            "export",
            "--site",
            "Pyongyang",
            "--range-km",
            "13000",
            "--range-km",
            "5000",
            "--min-range-km",
            "100",
            "--bearing",
            "30:120",
            "--label",
            "Hwasong-15",
            "--format",
            "geojson",
            "-o",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    props = [f["properties"] for f in doc["features"]]
    assert [p["range_km"] for p in props] == [13000.0, 5000.0]
    assert {p["missile_class"] for p in props} == {"ICBM"}
    assert {(p["min_range_km"], p["bearing_start_deg"], p["bearing_end_deg"]) for p in props} == {
        (100.0, 30.0, 120.0)
    }
    want = geo.footprint(
        props[1]["lat"], props[1]["lon"], 5000, min_range_km=100, bearing=(30, 120)
    )
    got = shape(doc["features"][1]["geometry"])
    assert symdiff_m2(got, want) <= true_boundary_m(want) * 100 / 100
    stdout = run(
        ["export", "--site", "Pyongyang", "--range-km", "5000", "--format", "kml", "-o", "-"]
    )
    assert stdout.exit_code == 0 and stdout.output.startswith("<?xml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--site", "Pyongyang", "-o", "x.kml"], "needs at least one --range-km"),
        (["--range-km", "10", "-o", "x.kml"], "need --site"),
        (["--format", "gpkg", "-o", "-"], "cannot go to stdout"),
        (["-o", "-"], "needs --format"),
        (
            ["--site", "Pyongyang", "--range-km", "10", "--bearing", "north", "-o", "x.kml"],
            "START:END",
        ),
    ],
)
def test_cli_usage_errors(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", *args])
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize("suffix", [".geojson", ".kml", ".gpkg"])
def test_unwritable_paths_raise_export_errors(suffix: str, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(ExportError, match="a-file"):
        export_footprints(blocker / f"x{suffix}", geo.claim_footprints())


def test_cli_errors_leave_no_file(tmp_path: Path) -> None:
    out = tmp_path / "x.kml"
    result = CliRunner().invoke(
        cli, ["export", "--site", "Atlantis Base", "--range-km", "10", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "'Atlantis Base'" in result.output
    bad = CliRunner().invoke(
        cli, ["export", "--site", "Pyongyang", "--range-km", "-5", "-o", str(out)]
    )
    assert bad.exit_code == 1 and "range_km" in bad.output
    suffix = CliRunner().invoke(cli, ["export", "-o", str(tmp_path / "x.shp")])
    assert suffix.exit_code == 1 and "--format" in suffix.output
    assert list(tmp_path.iterdir()) == []


def test_cns_import_exports(
    cns_catalog: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    """The CNS database (245 claims and 11 derived ones) in all three formats: counts,
    attributes, validity; the derived claims keep their kind and claimant."""
    cat, fp = cns_catalog
    assert len(cat) == 245 + 11 and len(fp) > 100
    derived = fp[fp["range_kind"] == "standard-trajectory"]
    assert len(derived) == 11 and set(derived["claimant"]) == {"georange"}
    doc = json.loads(export_catalog(tmp_path / "cns.geojson", cat).read_text(encoding="utf-8"))
    check_geojson(doc, [coordinate_digits(t) for t in fp["tolerance_m"]])
    back = pyogrio.read_dataframe(tmp_path / "cns.geojson", DATE_AS_STRING="YES")
    columns = attribute_columns(fp)
    assert records(back, columns) == geojson_records(fp, columns)
    kml = export_catalog(tmp_path / "cns.kml", cat).read_text(encoding="utf-8")
    root = ET.fromstring(kml)
    kml_ns = "{http://www.opengis.net/kml/2.2}"
    placemarks = list(root.iter(kml_ns + "Placemark"))
    sites = {(r["site_name"], r["lat"], r["lon"]) for r in fp.to_dict("records")}
    unlocated = int((~cat["located"]).sum())
    assert len(placemarks) == 2 * len(fp) + len(sites) + unlocated  # fill and outline
    gpkg = export_catalog(tmp_path / "cns.gpkg", cat)
    assert len(pyogrio.read_dataframe(gpkg, layer="claims")) == 245 + 11
    assert len(pyogrio.read_dataframe(gpkg, layer="footprints")) == len(fp)
