"""Exports checked with the validators other tools use, not with our own reading of the specs.

- KML: ``xmllint`` (Debian libxml2-utils) against the OGC KML 2.2 schema that PyPI's pykml
  ships with local copies of the Atom and xAL schemas it imports (``--nonet``: offline);
  ``ogr2ogr -f "ESRI Shapefile"`` (Debian gdal-bin) with both of GDAL's KML readers; the
  typed fields as GDAL's LIBKML reads them, and ``ogrinfo -al`` without a warning.
- GeoPackage: GDAL's ``validate_gpkg.py`` (PyPI gdal-utils) under Debian's python3-gdal.
- GeoJSON: RFC 7946 by ``@placemarkio/check-geojson`` (npm), and the fields as GDAL's GeoJSON
  reader types them (it guesses dates from strings).

``make validators`` installs the PyPI and npm files into ``tests/validators`` (never
committed).  Without a validator the tests SKIP, saying how to enable it; with
``GEORANGE_REQUIRE_VALIDATORS=1`` (as ``.ci/run`` sets) they FAIL instead.  The cases are
the export golden cases: poles, +/-180, annulus, sectors, the catalog.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest

import geo
from geo.export import export_footprints, missile_class, site_footprints

pytestmark = pytest.mark.validators

ROOT = Path(__file__).resolve().parents[2]
VALIDATORS = ROOT / "tests" / "validators"
KML_XSD = VALIDATORS / "pypi" / "pykml" / "schemas" / "ogckml22.xsd"
VALIDATE_GPKG = VALIDATORS / "pypi" / "osgeo_utils" / "samples" / "validate_gpkg.py"
CHECK_GEOJSON = VALIDATORS / "check-geojson.cjs"
CHECK_GEOJSON_PACKAGE = VALIDATORS / "node_modules" / "@placemarkio" / "check-geojson"
OGR_DUMP = VALIDATORS / "ogr_dump.py"
SYSTEM_PYTHON = "/usr/bin/python3"
KML = "{http://www.opengis.net/kml/2.2}"

MAKE_VALIDATORS = "make validators"
APT = "apt-get install libxml2-utils gdal-bin python3-gdal"


def require(what: str, missing: list[str]) -> None:
    """Skip (or fail, where GEORANGE_REQUIRE_VALIDATORS=1) when something is missing."""
    if not missing:
        return
    message = f"{what} needs " + " and ".join(missing)
    if os.environ.get("GEORANGE_REQUIRE_VALIDATORS") == "1":
        pytest.fail(message + " (required here: GEORANGE_REQUIRE_VALIDATORS=1)")
    pytest.skip(message)


@functools.cache
def system_gdal_python() -> bool:
    """Whether Debian's python3 has GDAL's bindings (python3-gdal)."""
    if not Path(SYSTEM_PYTHON).is_file():
        return False
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "from osgeo import gdal, ogr"], capture_output=True, check=False
    )
    return probe.returncode == 0


def need_tool(name: str, package: str) -> list[str]:
    return [] if shutil.which(name) else [f"{name} (apt-get install {package})"]


def need_gdal_python() -> list[str]:
    if system_gdal_python():
        return []
    return [f"GDAL's Python bindings for {SYSTEM_PYTHON} (apt-get install python3-gdal)"]


def run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=300, **kwargs)


def ogr_dump(path: Path, driver: str | None = None) -> dict[str, Any]:
    """What Debian's GDAL reads from a file: layers, field types, values (ogr_dump.py)."""
    args = [SYSTEM_PYTHON, str(OGR_DUMP), *(["--driver", driver] if driver else []), str(path)]
    done = run(args)
    assert done.returncode == 0, done.stderr
    out: dict[str, Any] = json.loads(done.stdout)
    return out


# --- the cases -------------------------------------------------------------------------------


def _cases() -> dict[str, tuple[gpd.GeoDataFrame, pd.DataFrame | None]]:
    cat = geo.load_catalog()
    pyongyang = "39.0339, 125.7543"
    fiji = "-17.7134, 178.065"
    return {
        "seed-catalog": (geo.claim_footprints(cat), cat),
        "north-pole-pyongyang-13000": (site_footprints(pyongyang, 13000), None),
        "south-pole-mcmurdo-1500": (site_footprints("-77.8463, 166.6682", 1500), None),
        "site-at-north-pole-2000": (site_footprints((90.0, 0.0), 2000), None),
        "antimeridian-fiji-1000": (site_footprints(fiji, 1000), None),
        "world-minus-cap-pyongyang-19000": (site_footprints(pyongyang, 19000), None),
        "whole-globe-19990": (site_footprints(pyongyang, 19990), None),
        "annulus-pyongyang-5000-1000": (
            site_footprints(pyongyang, 5000, min_range_km=1000),
            None,
        ),
        "sector-fiji-3000-45-135": (site_footprints(fiji, 3000, bearing=(45, 135)), None),
        "annular-sector-pyongyang-3000-500-300-60": (
            site_footprints(pyongyang, 3000, min_range_km=500, bearing=(300, 60)),
            None,
        ),
        "three-ranges-pyongyang": (site_footprints("Pyongyang", [13000, 5000, 1000]), None),
    }


CASE_NAMES = list(_cases())


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every case written in the three formats: {case: {"frame", "kml", "gpkg", "geojson"}}."""
    out: dict[str, dict[str, Any]] = {}
    for name, (fp, claims) in _cases().items():
        folder = tmp_path_factory.mktemp(name)
        out[name] = {"frame": fp, "claims": claims}
        for fmt in ("kml", "gpkg", "geojson"):
            out[name][fmt] = export_footprints(folder / f"{name}.{fmt}", fp, claims=claims)
    return out


# --- KML ---------------------------------------------------------------------------------------


def check_kml_schema(paths: list[Path]) -> None:
    require(
        "the KML schema check",
        need_tool("xmllint", "libxml2-utils")
        + ([] if KML_XSD.is_file() else [f"the OGC KML 2.2 schema of pykml ({MAKE_VALIDATORS})"]),
    )
    done = run(["xmllint", "--noout", "--nonet", "--schema", str(KML_XSD), *map(str, paths)])
    assert done.returncode == 0, done.stderr[:3000]
    assert done.stderr.count(" validates") == len(paths), done.stderr[:3000]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_kml_is_valid_ogc_kml_2_2(exported: dict[str, dict[str, Any]], name: str) -> None:
    check_kml_schema([exported[name]["kml"]])


def test_kml_schema_check_rejects_an_invalid_document(tmp_path: Path) -> None:
    """The check is live: a Schema before the styles (the order of 0.1.0) fails it."""
    text = (
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Schema name="s" id="s"/>'
        '<Style id="a"/></Document></kml>'
    )
    bad = tmp_path / "bad.kml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(AssertionError, match=r"Style.*not expected"):
        check_kml_schema([bad])


def check_shapefile(kml: Path, out: Path, *, driver: str) -> dict[str, Any]:
    """ogr2ogr the KML to Shapefiles with one of GDAL's KML drivers; what GDAL reads back."""
    require(
        "the KML to Shapefile conversion",
        need_tool("ogr2ogr", "gdal-bin") + need_gdal_python(),
    )
    env = dict(os.environ, GDAL_SKIP="LIBKML" if driver == "KML" else "")
    done = run(["ogr2ogr", "-f", "ESRI Shapefile", str(out), str(kml)], env=env)
    assert done.returncode == 0, done.stderr[:3000]
    assert "ERROR" not in done.stderr, done.stderr[:3000]
    return ogr_dump(out)


@pytest.mark.parametrize("driver", ["LIBKML", "KML"])
@pytest.mark.parametrize("name", CASE_NAMES)
def test_kml_converts_to_shapefile(
    exported: dict[str, dict[str, Any]], name: str, driver: str, tmp_path: Path
) -> None:
    """One geometry type per placemark and per folder: every footprint reaches a polygon
    Shapefile, every outline a line Shapefile, every site a point Shapefile."""
    case = exported[name]
    back = check_shapefile(case["kml"], tmp_path / "shp", driver=driver)
    kinds: dict[str, int] = {}
    for layer in back["layers"]:
        found = [f["geometry"].replace("MULTI", "") for f in layer["features"] if f["geometry"]]
        assert len(set(found)) <= 1, (layer["name"], set(found))  # one Shapefile type
        for kind in found:
            kinds[kind] = kinds.get(kind, 0) + 1
    fp = case["frame"]
    with_geometry = sum(1 for g in fp.geometry if g is not None and not g.is_empty)
    assert kinds.get("POLYGON", 0) == with_geometry
    assert kinds.get("POINT", 0) == len(fp[["lat", "lon"]].dropna().drop_duplicates())
    whole_globe = fp["range_km"] >= 19969.0
    assert kinds.get("LINESTRING", 0) == int((~whole_globe).sum())


def kml_written(path: Path) -> list[tuple[str, dict[str, str | None]]]:
    """(placemark id, {field: text}) of every placemark with data, as the file holds them."""
    root = ET.parse(path).getroot()
    out = []
    for pm in root.iter(KML + "Placemark"):
        data = pm.find(f"{KML}ExtendedData/{KML}SchemaData")
        if data is not None:
            values = {el.get("name", ""): el.text for el in data.iter(KML + "SimpleData")}
            out.append((pm.get("id", ""), values))
    return out


def kml_types(path: Path) -> dict[str, str]:
    root = ET.parse(path).getroot()
    return {f.get("name", ""): f.get("type", "") for f in root.iter(KML + "SimpleField")}


def same_value(got: Any, written: Any, field_type: str) -> bool:
    """Whether GDAL's reading of a field (ogr_dump) is the value the file holds."""
    if written is None or written == "":
        return got in (None, "")
    try:
        if field_type.startswith("Integer"):
            return bool(got == int(written))  # a bool written as JSON true, or KML "1"/"0"
        if field_type == "Real":
            return bool(got == float(written))
    except ValueError:  # e.g. int("true")
        return False
    return bool(got == str(written))


@pytest.mark.parametrize("name", CASE_NAMES)
def test_kml_fields_read_back_as_written(exported: dict[str, dict[str, Any]], name: str) -> None:
    """GDAL's LIBKML (its default KML reader) types each field by the Schema: every value it
    reads is the text written (the bool 'true' was read as 0), and ogrinfo warns of nothing."""
    require("the KML field check", need_tool("ogrinfo", "gdal-bin") + need_gdal_python())
    path = exported[name]["kml"]
    types = kml_types(path)
    written = kml_written(path)
    back = ogr_dump(path, "LIBKML")
    read = [
        (layer, f)
        for layer in back["layers"]
        for f in layer["features"]
        if f["values"].get("claim_id") is not None
    ]
    assert len(read) == len(written) > 0
    for (layer, feature), (pm_id, values) in zip(read, written, strict=True):
        for field, text in values.items():
            kind = layer["fields"][field]
            assert kind == {"bool": "Integer", "int": "Integer", "double": "Real"}.get(
                types[field], "String"
            )
            assert same_value(feature["values"][field], text, kind), (pm_id, field, text)
    info = run(["ogrinfo", "-al", "-q", str(path)])
    assert info.returncode == 0 and "Warning" not in info.stderr, info.stderr[:2000]


# --- GeoPackage --------------------------------------------------------------------------------


def check_gpkg(path: Path) -> None:
    require(
        "the GeoPackage check",
        need_gdal_python()
        + (
            []
            if VALIDATE_GPKG.is_file()
            else [f"validate_gpkg.py of gdal-utils ({MAKE_VALIDATORS})"]
        ),
    )
    done = run([SYSTEM_PYTHON, str(VALIDATE_GPKG), "--extra", str(path)])
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert "Req " not in done.stdout + done.stderr


@pytest.mark.parametrize("name", CASE_NAMES)
def test_geopackage_passes_validate_gpkg(exported: dict[str, dict[str, Any]], name: str) -> None:
    check_gpkg(exported[name]["gpkg"])


@pytest.mark.parametrize("name", CASE_NAMES)
def test_geopackage_fields_read_back_as_written(
    exported: dict[str, dict[str, Any]], name: str
) -> None:
    require("the GeoPackage field check", need_gdal_python())
    case = exported[name]
    back = ogr_dump(case["gpkg"])
    (layer,) = [la for la in back["layers"] if la["name"] == "footprints"]
    fp = case["frame"]
    assert len(layer["features"]) == len(fp)
    for feature, rec in zip(layer["features"], fp.to_dict("records"), strict=True):
        rec.setdefault("missile_class", missile_class(rec.get("missile")))
        for field, kind in layer["fields"].items():
            want = rec[field]
            want = None if want is None or (isinstance(want, float) and want != want) else want
            assert same_value(feature["values"][field], want, kind), (field, want)


# --- GeoJSON -----------------------------------------------------------------------------------


def check_geojson(paths: list[Path]) -> None:
    require(
        "the RFC 7946 check",
        need_tool("node", "nodejs")
        + (
            []
            if (CHECK_GEOJSON_PACKAGE / "package.json").is_file()
            else [f"@placemarkio/check-geojson from npm ({MAKE_VALIDATORS})"]
        ),
    )
    done = run(["node", str(CHECK_GEOJSON), *map(str, paths)], cwd=VALIDATORS)
    assert done.returncode == 0, (done.stdout + done.stderr)[:3000]
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["issues"] for r in reports] == [[]] * len(paths)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_geojson_passes_check_geojson(exported: dict[str, dict[str, Any]], name: str) -> None:
    check_geojson([exported[name]["geojson"]])


def test_geojson_check_rejects_an_invalid_document(tmp_path: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        '{"type":"Feature","geometry":{"type":"Point","coordinates":[1]},"properties":{}}'
    )
    with pytest.raises(AssertionError, match="position"):
        check_geojson([bad])


@pytest.mark.parametrize("name", CASE_NAMES)
def test_geojson_fields_read_back_as_written(
    exported: dict[str, dict[str, Any]], name: str
) -> None:
    """GDAL guesses field types from GeoJSON values: what it reads must be what was written,
    dates included (a year-unknown '--02-02' was read as 2000-02-02)."""
    require("the GeoJSON field check", need_gdal_python())
    path = exported[name]["geojson"]
    doc = json.loads(path.read_text(encoding="utf-8"))
    (layer,) = ogr_dump(path)["layers"]
    assert len(layer["features"]) == len(doc["features"])
    for feature, written in zip(layer["features"], doc["features"], strict=True):
        for field, value in written["properties"].items():
            kind = layer["fields"][field]
            assert same_value(feature["values"][field], value, kind), (field, value, kind)


# --- the CNS database --------------------------------------------------------------------------


def test_cns_catalog_exports_validate(
    cns_catalog: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    """The 245 claims of the CNS database: every validator on every format."""
    cat, fp = cns_catalog
    paths = {
        fmt: export_footprints(tmp_path / f"cns.{fmt}", fp, claims=cat)
        for fmt in ("kml", "gpkg", "geojson")
    }
    check_kml_schema([paths["kml"]])
    check_shapefile(paths["kml"], tmp_path / "shp", driver="LIBKML")
    check_gpkg(paths["gpkg"])
    check_geojson([paths["geojson"]])
