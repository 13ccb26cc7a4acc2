"""`georange geocode` and `georange sites` through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from cli_run import run
from pyproj import Geod

from geo.gazetteer import geocode
from geo.resources import data_path

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
GOLDEN = FIXTURES / "cli_geocode_issue_example.txt"
ISSUE_TEXTS = ["Shinpo", "Kim Chaek city", "17 km northeast of Wonsan"]
GEOD = Geod(ellps="WGS84")


def test_issue_example_prints_the_table() -> None:
    code, out, err = run("geocode", *ISSUE_TEXTS)
    assert code == 0 and err == ""
    if os.environ.get("GEORANGE_REGEN_GOLDEN") == "1":
        GOLDEN.write_text(out, encoding="utf-8")
    assert out == GOLDEN.read_text(encoding="utf-8")
    header = out.splitlines()[0].split()
    assert header == ["text", "name", "lat", "lon", "precision_km", "match", "source"]


def test_csv_output_round_trips() -> None:
    code, out, _ = run("geocode", "--format", "csv", *ISSUE_TEXTS)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["text"] for r in rows] == ISSUE_TEXTS
    assert [r["match"] for r in rows] == ["alias", "alias", "offset"]
    wonsan = geocode("Wonsan")
    lon, lat, _ = GEOD.fwd(wonsan.lon, wonsan.lat, 45.0, 17_000.0)
    offset = rows[2]
    assert GEOD.inv(float(offset["lon"]), float(offset["lat"]), lon, lat)[2] < 500.0


def test_json_output() -> None:
    code, out, _ = run("geocode", "--format", "json", "the Sunan area", "39.03N 125.75E")
    assert code == 0
    records = json.loads(out)
    assert [r["match"] for r in records] == ["normalized", "coordinates"]
    assert records[0]["name"] == "Pyongyang International Airport"
    assert records[1]["lat"] == 39.03 and records[1]["lon"] == 125.75
    assert set(records[0]) == {"text", "name", "lat", "lon", "precision_km", "match", "source"}


def test_unknown_text_exits_non_zero_with_suggestions_and_no_output() -> None:
    code, out, err = run("geocode", "Brigadoon")  # Atlantis is a town (ZA) worldwide
    assert code == 1
    assert out == ""
    assert "Brigadoon" in err and "closest known names" in err
    # one bad text among good ones: still nothing on stdout
    code, out, err = run("geocode", "Shinpo", "Kimchek")
    assert code == 1 and out == ""
    assert "'Kimchaek'" in err


def test_output_file_is_written_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "sites.csv"
    code, out, _ = run("geocode", "--format", "csv", "-o", str(target), "Shinpo")
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("text,name,lat,lon")
    failed = tmp_path / "failed.csv"
    code, _, _ = run("geocode", "-o", str(failed), "Shinpo", "Brigadoon")
    assert code == 1 and not failed.exists()
    assert list(tmp_path.iterdir()) == [target]


def test_user_sites_and_region_options(tmp_path: Path) -> None:
    code, out, _ = run("geocode", "--sites", str(FIXTURES / "user_sites.csv"), "Pad 7", "Shinpo")
    assert code == 0
    assert "Test Pad Seven" in out and "Sinpo (user)" in out
    code, _, err = run("geocode", "--region", "nowhere", "Uiju")
    assert code == 1 and "region 'nowhere'" in err
    code, out, _ = run("geocode", "--region", "-10,35,30,60", "--format", "csv", "Paris")
    assert code == 0 and ",fallback," in out


def test_bad_sites_file_is_reported_with_its_lines() -> None:
    code, out, err = run("geocode", "--sites", str(FIXTURES / "bad_sites.csv"), "Shinpo")
    assert code == 1 and out == ""
    assert "bad_sites.csv:3" in err and "bad_sites.csv:6" in err


def test_online_flag_reaches_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    import geo.gazetteer as gaz

    original = gaz.Gazetteer.geocode

    def spy(self: gaz.Gazetteer, text: str, **kwargs: object) -> gaz.Site:
        seen.append(kwargs.get("online"))
        return original(self, text, region=kwargs.get("region"))  # type: ignore[arg-type]

    monkeypatch.setattr(gaz.Gazetteer, "geocode", spy)
    assert run("geocode", "--online", "Shinpo")[0] == 0
    assert run("geocode", "Shinpo")[0] == 0
    assert seen == [True, False]


def test_sites_lists_the_gazetteer() -> None:
    code, out, _ = run("sites", "--format", "csv")
    assert code == 0
    listed = list(csv.DictReader(io.StringIO(out)))
    bundled = []
    for name in ("sites.csv", "world_sites.csv"):  # both curated tables are listed
        with data_path(name).open(encoding="utf-8") as fh:
            bundled += list(csv.DictReader(fh))
    assert [r["id"] for r in listed] == [r["id"] for r in bundled]
    for ours, theirs in zip(listed, bundled, strict=True):
        assert ours["aliases"] == theirs["aliases"] and ours["sources"] == theirs["sources"]
        assert float(ours["lat"]) == float(theirs["lat"])
    code, table, _ = run("sites")
    assert code == 0 and table.splitlines()[0].split()[:3] == ["id", "name", "aliases"]
    assert len(table.splitlines()) == len(bundled) + 1
    code, js, _ = run("sites", "--format", "json", "--sites", str(FIXTURES / "user_sites.csv"))
    records = json.loads(js)
    assert any(r["id"] == "test-pad-7" and r["aliases"] == ["Pad 7", "Pad Seven"] for r in records)
