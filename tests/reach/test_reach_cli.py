"""`georange reach`: table, CSV and JSON output, cities, errors without partial output."""

from __future__ import annotations

import io
import json
from pathlib import Path

import cli_run
import numpy as np
import pandas as pd
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
SINPO = (40.0347, 128.1856)


def run(*args: str) -> tuple[int, str, str]:
    return cli_run.run("reach", *args)


def km(lat: float, lon: float) -> float:
    return float(GEOD.inv(SINPO[1], SINPO[0], lon, lat)[2]) / 1000.0


def test_issue_example_tokyo_and_seoul_in_guam_out_with_distances() -> None:
    code, out, err = run("--site", "Shinpo", "--range-km", "1500")
    assert code == 0, err
    lines = out.splitlines()

    def row(name: str) -> str:
        (found,) = [line for line in lines if line.startswith(name + " ")]
        return found

    assert "Sinpo (40.0347, 128.1856), range 1,500 km" in out
    assert row("Seoul").rstrip().endswith("yes") and f"{km(37.5665, 126.978):,.1f}" in row("Seoul")
    assert row("Tokyo").rstrip().endswith("yes") and f"{km(35.6762, 139.6503):,.1f}" in row("Tokyo")
    guam = row("Andersen Air Force Base (Guam)")
    assert guam.rstrip().endswith("no") and f"{km(13.584, 144.93):,.1f}" in guam
    assert "8 of 20 targets in range" in out
    # nearest first
    assert lines[2].startswith("Seoul ")


def test_csv_output_is_the_reach_table_sorted_by_distance() -> None:
    code, out, _ = run("--site", "Sinpo", "--range-km", "1500", "--format", "csv")
    assert code == 0
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert table["distance_km"].is_monotonic_increasing
    d = np.array([km(a, b) for a, b in zip(table.lat, table.lon, strict=True)])
    np.testing.assert_allclose(table["distance_km"], d, rtol=0, atol=1e-6)
    assert table.set_index("id").loc["tokyo", "in_range"]
    assert not table.set_index("id").loc["andersen-afb", "in_range"]


def test_json_output_with_cities() -> None:
    code, out, _ = run(
        "--site", "40.0347, 128.1856", "--range-km", "1500", "--format", "json", "--cities"
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["summary"]["targets_in_range"] == sum(t["in_range"] for t in doc["targets"])
    assert doc["summary"]["cities_in_range"] == len(doc["cities"])
    assert doc["summary"]["population"] == sum(c["population"] for c in doc["cities"])
    assert {"Tokyo", "Seoul", "Shanghai"} <= {c["name"] for c in doc["cities"]}
    assert all(c["distance_km"] <= 1500 for c in doc["cities"])


def test_table_with_cities_and_limit() -> None:
    code, out, _ = run("--site", "Sinpo", "--range-km", "1500", "--cities", "--limit", "3")
    assert code == 0
    assert "cities in range, population" in out
    assert "by country: China" in out and "source: GeoNames cities15000" in out
    assert (
        "Shanghai" in out and "Tokyo" not in out.split("cities in range")[1].split("by country")[0]
    )


def test_csv_with_cities_lists_the_cities(tmp_path: Path) -> None:
    path = tmp_path / "cities.csv"  # the folder must exist: -o never creates one (issue 13)
    code, out, _ = run(
        "--site", "Sinpo", "--range-km", "300", "--cities", "--format", "csv", "-o", str(path)
    )
    assert code == 0 and out == ""
    cities = pd.read_csv(path)
    assert "population" in cities.columns and (cities.distance_km <= 300).all()


def test_annulus_and_own_targets_file(tmp_path: Path) -> None:
    targets = tmp_path / "t.csv"
    targets.write_text(
        "name,lat,lon\nNear,40.1,128.2\nMid,37.5665,126.978\nFar,13.584,144.93\n", encoding="utf-8"
    )
    code, out, _ = run(
        "--site",
        "Sinpo",
        "--range-km",
        "1500",
        "--min-range-km",
        "100",
        "--targets",
        str(targets),
        "--format",
        "csv",
    )
    assert code == 0
    table = pd.read_csv(io.StringIO(out)).set_index("name")
    assert table["in_range"].to_dict() == {"Near": False, "Mid": True, "Far": False}


def test_errors_exit_non_zero_and_write_nothing(tmp_path: Path) -> None:
    out_path = tmp_path / "r.csv"
    code, out, err = run("--site", "Sinpo", "--range-km", "-3", "-o", str(out_path))
    assert code == 1 and "range_km -3.0" in err and out == ""
    assert not out_path.exists() and list(tmp_path.iterdir()) == []
    code, _, err = run("--site", "Xqzzyplk Base", "--range-km", "100")
    assert code == 1 and "'Xqzzyplk Base'" in err and "Traceback" not in err
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon\nX,100,0\n", encoding="utf-8")
    code, _, err = run(
        "--site", "Sinpo", "--range-km", "100", "--targets", str(bad), "-o", str(out_path)
    )
    assert code == 1 and f"{bad}:2: column 'lat': '100'" in err
    assert not out_path.exists()


def test_usage_errors_exit_2() -> None:
    code, _, err = run("--site", "Sinpo", "--range-km", "far")
    assert code == 2 and "far" in err
    code, _, _ = run("--range-km", "100")
    assert code == 2


def test_table_marks_verdicts_within_the_site_precision() -> None:
    code, out, _ = run("--site", "Sinpo", "--range-km", "1520")
    assert code == 0
    (kadena,) = [line for line in out.splitlines() if line.startswith("Kadena")]
    assert kadena.endswith("yes*")
    assert "* within the site's precision (±3 km) of the range" in out
    assert sum(line.endswith("*") for line in out.splitlines()) == 1


def test_sector_option() -> None:
    code, out, _ = run(
        "--site", "Sinpo", "--range-km", "1500", "--bearing", "180:230", "--format", "csv"
    )
    assert code == 0
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert set(table.loc[table.in_range, "id"]) == {"seoul", "osan-ab", "camp-humphreys"}
    code, out, _ = run("--site", "Sinpo", "--range-km", "1500", "--bearing", "180:230")
    assert "bearings 180 to 230 deg" in out.splitlines()[0]
    code, _, err = run("--site", "Sinpo", "--range-km", "1500", "--bearing", "30:30")
    assert code == 1 and "zero width" in err
    code, _, err = run("--site", "Sinpo", "--range-km", "1500", "--bearing", "180", "230")
    assert code == 2 and "START:END" in err  # one spelling on every command
