"""Bad input, tried as a new user would: every row is a clear error, and leaves nothing behind.

Each row is (command line, a fragment the message must contain, exit status).  Status 1 is
a georange error (one ``georange: error:`` message, no traceback); status 2 is a usage error
that click reports itself (a missing file, a folder where a file is wanted, a bad number).
Every row runs in a fresh folder holding the fixture files below; the folder's listing (and
the fixture files' bytes) must be the same after the run: no file and no folder created.

A read-only folder cannot be made for root (``chmod`` does not stop root, and a read-only
bind mount needs privileges), so the "not writable" rows mock :func:`os.access`; the
writability probe (a temporary file created and removed) is exercised for real by ``/proc``,
where no file can be created even by root.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from pyproj import Geod

import geo
from geo.cli import cli
from geo.errors import InputFileError, OutputPathError
from geo.files import check_output_path, reading

GEOD = Geod(ellps="WGS84")

ROOT = Path(__file__).resolve().parent.parent

#: A binary file: a PNG signature and every byte value.
BINARY = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
EVENTS_1E9 = (
    "claim_id,event_id,date,date_precision,site,missile,range_km,range_kind,claimant,source,note\n"
    "c1,e1,2025-01-25,day,Sinpo,a missile,1e9,flown,a claimant,a source,\n"
)
REPORT = "North Korea fired a missile from Sunan on Sunday; it flew 1,000 km, the JCS said.\n"

MAP = ["map", "--site", "Pyongyang", "--range-km", "1000", "--no-targets"]
EXPORT = ["export", "--site", "Pyongyang", "--range-km", "1000"]
REACH = ["reach", "--site", "Pyongyang", "--range-km", "1000"]
BUILD = ["build", "--no-targets"]

PROC = pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")

ROWS: list[Any] = [
    # --- output paths (-o) ---------------------------------------------------------------
    pytest.param([*MAP, "-o", "/proc/a.html"], "no file can be created", 1, marks=PROC),
    pytest.param([*MAP, "-o", "afile.html/x.html"], "is a file, not a folder", 1),
    pytest.param([*MAP, "-o", ""], "path is empty", 1),
    pytest.param([*MAP, "-o", "missing/dir/a.html"], "'missing/dir' does not exist", 1),
    pytest.param([*MAP, "-o", "adir"], "is a directory", 2),
    pytest.param([*MAP, "-o", "ro/a.html"], "is not writable", 1, id="map-readonly"),
    pytest.param([*EXPORT, "-o", "/proc/a.geojson"], "no file can be created", 1, marks=PROC),
    pytest.param([*EXPORT, "-o", ""], "path is empty", 1),
    pytest.param([*EXPORT, "-o", "afile.html/x.gpkg"], "is a file, not a folder", 1),
    pytest.param([*EXPORT, "-o", "missing/x.kml"], "does not exist", 1),
    pytest.param([*EXPORT, "-o", "ro/x.kml"], "is not writable", 1, id="export-readonly"),
    pytest.param([*BUILD, "-o", ""], "path is empty", 1),
    pytest.param([*BUILD, "-o", "afile.html"], "is a file", 2),
    pytest.param([*BUILD, "-o", "missing/deeper"], "folder 'missing' does not exist", 1),
    pytest.param([*BUILD, "-o", "/proc/x"], "no file can be created", 1, marks=PROC),
    pytest.param([*BUILD, "-o", "ro"], "is not writable", 1, id="build-readonly"),
    pytest.param([*REACH, "-o", "/proc/a.txt"], "no file can be created", 1, marks=PROC),
    pytest.param([*REACH, "-o", ""], "path is empty", 1),
    pytest.param([*REACH, "-o", "missing/r.txt"], "does not exist", 1),
    pytest.param(["extract", "report.txt", "-o", "missing/c.csv"], "does not exist", 1),
    pytest.param(["extract", "report.txt", "-o", "adir"], "it is a folder", 1),
    pytest.param(["geocode", "Pyongyang", "-o", ""], "path is empty", 1),
    pytest.param(["geocode", "Pyongyang", "-o", "afile.html/g.csv"], "not a folder", 1),
    pytest.param(["sites", "-o", "adir"], "it is a folder", 1),
    pytest.param(["sites", "-o", "ro/s.csv"], "is not writable", 1, id="sites-readonly"),
    pytest.param(["import-cns", "bin.csv", "-o", "missing/e.csv"], "does not exist", 1),
    pytest.param(["import-cns", "bin.csv", "-o", ""], "path is empty", 1),
    # --- input files ---------------------------------------------------------------------
    pytest.param(["sites", "--sites", "bin.csv"], "is not utf-8 text (byte 0x89 at line 1)", 1),
    pytest.param(["sites", "--sites", "empty.csv"], "is empty", 1),
    pytest.param(["sites", "--sites", "adir"], "is a directory", 2),
    pytest.param(["sites", "--sites", "nothere.csv"], "does not exist", 2),
    pytest.param(["geocode", "Sunan", "--sites", "bin.csv"], "is not utf-8 text", 1),
    pytest.param([*REACH, "--targets", "bin.geojson"], "targets file 'bin.geojson'", 1),
    pytest.param([*REACH, "--targets", "bin.csv"], "is not utf-8 text", 1),
    pytest.param([*REACH, "--targets", "empty.csv"], "'empty.csv' is empty", 1),
    pytest.param([*REACH, "--targets", "adir"], "it is a folder, not a file", 1),
    pytest.param([*REACH, "--targets", "bin.xlsx"], "cannot be read", 1),
    pytest.param([*REACH, "--sites", "bin.csv"], "sites file", 1),
    pytest.param([*MAP[:-1], "--targets", "bin.csv", "-o", "m.html"], "not UTF-8 text", 1),
    pytest.param([*MAP, "--sites", "bin.csv", "-o", "m.html"], "is not utf-8 text", 1),
    pytest.param(["map", "--report", "bin.txt", "-o", "m.html"], "is not utf-8", 1),
    pytest.param(["map", "--report", "adir", "-o", "m.html"], "is a directory", 2),
    pytest.param(["build", "bin.csv", "-o", "out"], "not UTF-8 text", 1),
    pytest.param(["build", "empty.csv", "-o", "out"], "is empty", 1),
    pytest.param(["build", "--missiles", "bin.csv", "-o", "out"], "not UTF-8 text", 1),
    pytest.param(["build", "--missiles", "empty.csv", "-o", "out"], "is empty", 1),
    pytest.param(["build", "--targets", "bin.csv", "-o", "out"], "not UTF-8 text", 1),
    pytest.param(["build", "--sites", "bin.csv", "-o", "out"], "is not utf-8 text", 1),
    pytest.param(["export", "bin.csv", "-o", "out.geojson"], "not UTF-8 text", 1),
    pytest.param([*EXPORT, "--targets", "bin.csv", "-o", "o.gpkg"], "not UTF-8 text", 1),
    pytest.param([*EXPORT, "--sites", "bin.csv", "-o", "o.kml"], "is not utf-8 text", 1),
    pytest.param(["extract", "bin.txt"], "bin.txt:1: byte 0x89 is not utf-8", 1),
    pytest.param(["extract", "adir"], "is a directory", 2),
    pytest.param(["extract", "nothere.txt"], "cannot read report", 1),
    pytest.param(["extract", "report.txt", "--encoding", "bogus"], "unknown encoding", 1),
    pytest.param(["extract", "-"], "<stdin>:1: byte 0x89 is not utf-8", 1, id="extract-stdin"),
    pytest.param(["extract", "report.txt", "--sites", "bin.csv"], "is not utf-8 text", 1),
    pytest.param(["import-cns", "bin.csv"], "UTF-8 or cp1252 text", 1),
    pytest.param(["import-cns", "bin.xlsx"], "an XLSX workbook", 1),
    pytest.param(["import-cns", "empty.csv"], "does not look like the CNS", 1),
    pytest.param(["import-cns", "bin.csv", "--encoding", "bogus"], "unknown encoding", 1),
    pytest.param(["import-cns", "adir"], "is a directory", 2),
    pytest.param(["check-catalog", "bin.csv"], "not UTF-8 text", 1),
    pytest.param(["check-catalog", "empty.csv"], "is empty", 1),
    pytest.param(["check-catalog", "--sites", "bin.csv"], "is not utf-8 text", 1),
    pytest.param(["assets", "--from-npm", "afile.html"], "is a file", 2),
    pytest.param(["assets", "--assets-dir", "afile.html"], "is a file", 2),
    # --- values ----------------------------------------------------------------------------
    pytest.param(
        ["map", "--site", "Pyongyang", "--range-km", "1e9", "-o", "m.html"],
        "≤ 20,203.97 km (the antipodal distance 20,003.93 km plus 1 %)",
        1,
    ),
    pytest.param(["check-catalog", "far.csv"], "far.csv:2: column 'range_km': '1e9'", 1),
    pytest.param(["build", "far.csv", "-o", "out"], "≤ 20,203.97 (the antipodal", 1),
    pytest.param([*MAP[:3], "--range-km", "nan", "-o", "m.html"], "finite number", 1),
    pytest.param(["reach", "--site", "Sunan", "--range-km", "inf"], "finite number", 1),
    pytest.param(["export", "--site", "Sunan", "--range-km", "-1", "-o", "x.kml"], "> 0", 1),
    pytest.param(["export", "--site", "Sunan", "--range-km", "0", "-o", "x.kml"], "> 0", 1),
    pytest.param([*MAP, "--bearing", "400:10", "-o", "m.html"], "within [-360, 360]", 1),
    pytest.param([*REACH, "--bearing", "10:-400"], "within [-360, 360]", 1),
    pytest.param([*REACH, "--bearing", "10:10"], "zero width", 1),
    pytest.param([*REACH, "--bearing", "north"], "is not START:END", 2),
    pytest.param([*REACH, "--min-range-km", "-5"], "≥ 0 (0: no minimum)", 1),
    pytest.param([*MAP, "--min-range-km", "2000", "-o", "m.html"], "not less than", 1),
    pytest.param([*EXPORT, "--tolerance-m", "0", "-o", "x.kml"], "x>0", 2),
    pytest.param([*MAP, "--tolerance-m", "nan", "-o", "m.html"], "≥ 0.001", 1),
]


def _fixtures(root: Path) -> None:
    for name in ("bin.csv", "bin.txt", "bin.geojson", "bin.xlsx"):
        (root / name).write_bytes(BINARY)
    (root / "empty.csv").write_bytes(b"")
    (root / "report.txt").write_text(REPORT, encoding="utf-8")
    (root / "far.csv").write_text(EVENTS_1E9, encoding="utf-8")
    (root / "afile.html").write_text("an existing file\n", encoding="utf-8")
    (root / "adir").mkdir()
    (root / "ro").mkdir()


def _listing(root: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


@pytest.mark.parametrize(("args", "fragment", "status"), ROWS)
def test_bad_input_is_a_clear_error_and_leaves_nothing(
    args: list[str], fragment: str, status: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fixtures(tmp_path)
    monkeypatch.chdir(tmp_path)
    real_access = os.access
    read_only = (tmp_path / "ro").resolve()

    def access(path: Any, mode: int, **kwargs: Any) -> bool:
        if mode & os.W_OK and Path(path).resolve() == read_only:
            return False  # as for a folder without write permission (see the module docstring)
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    before = _listing(tmp_path)
    result = CliRunner().invoke(cli, args, input=BINARY)
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == status, result.output
    assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.output
    if status == 1:
        assert result.stderr.startswith("georange: error: "), result.stderr
    assert result.stdout == ""
    assert _listing(tmp_path) == before


def test_the_table_covers_every_command_and_file_option() -> None:
    used = [a for row in ROWS for a in row.values[0]]
    commands = {row.values[0][0] for row in ROWS}
    assert {
        "geocode",
        "sites",
        "reach",
        "map",
        "build",
        "export",
        "extract",
        "import-cns",
        "check-catalog",
        "assets",
    } <= commands
    assert {
        "--sites",
        "--targets",
        "--missiles",
        "--report",
        "-o",
        "--from-npm",
        "--assets-dir",
        "--encoding",
    } <= set(used)
    assert len(ROWS) >= 40


def test_no_traceback_reaches_stderr_of_the_real_command(tmp_path: Path) -> None:
    (tmp_path / "bin.csv").write_bytes(BINARY)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "from geo.cli import main; main()"
    for args in (
        ["sites", "--sites", "bin.csv"],
        ["map", "--site", "Pyongyang", "--range-km", "1000", "-o", "missing/a.html"],
    ):
        res = subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert res.returncode == 1, res.stderr
        assert res.stderr.startswith("georange: error: ") and res.stderr.count("\n") == 1
        assert "Traceback" not in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin.csv"]


def test_build_makes_the_folder_asked_for_but_not_its_parents(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", "--no-targets", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file()


# --- the library API ----------------------------------------------------------------------


def test_a_range_past_the_antipode_is_an_error_in_the_library() -> None:
    antipodal_km = GEOD.inv(0.0, 0.0, 180.0, 0.0)[2] / 1000.0  # the oracle, not the engine
    limit_km = antipodal_km * 1.01
    with pytest.raises(geo.InvalidRangeError, match=r"≤ 20,203\.97 km"):
        geo.footprint(39, 125, 1e9)
    with pytest.raises(geo.InvalidRangeError, match=r"≤ 20,203\.97 km"):
        geo.footprint(39, 125, limit_km + 0.01)
    assert geo.footprint(39, 125, limit_km - 0.01).area == pytest.approx(360 * 180)
    with pytest.raises(geo.InvalidRangeError):
        geo.reach((39, 125), 1e9)


@pytest.mark.parametrize("bearing", [(400, 10), (10, -400), (-360.5, 0), (0, float("nan"))])
def test_a_bearing_outside_minus_360_to_360_is_an_error(bearing: tuple[float, float]) -> None:
    with pytest.raises(geo.InvalidBearingError):
        geo.footprint(39, 125, 1000, bearing=bearing)


@pytest.mark.parametrize(
    ("given", "shown"),
    [((-30, 30), (330, 30)), ((360, -270), (0, 90)), ((0, 360), (0, 360)), ((-360, 0), (0, 360))],
)
def test_bearings_within_are_shown_in_0_to_360(
    given: tuple[float, float], shown: tuple[float, float]
) -> None:
    assert geo.footprint_display(39, 125, 1000, bearing=given).bearing == shown
    assert geo.reach_summary("Sunan", 1000, bearing=given).bearing == shown
    fp = geo.site_footprints("Sunan", [1000], bearing=given)
    assert (fp["bearing_start_deg"][0], fp["bearing_end_deg"][0]) == shown
    # the same sector as given: the footprint is unchanged by the normalisation
    a = geo.footprint(39, 125, 1000, bearing=given)
    b = geo.footprint(39, 125, 1000, bearing=shown)
    assert a.symmetric_difference(b).area < 1e-9


def test_reach_text_and_map_popup_show_normalised_bearings() -> None:
    summary = geo.reach_summary("Sunan", 1000, bearing=(-30, 30))
    assert "bearings 330 to 30 deg" in summary._repr_html_()
    result = CliRunner().invoke(
        cli, ["reach", "--site", "Sunan", "--range-km", "1000", "--bearing", "-30:30"]
    )
    assert result.exit_code == 0 and "bearings 330 to 30 deg" in result.stdout.splitlines()[0]
    html = geo.render_html(geo.range_map("Sunan", 1000, bearing=(-30, 30), targets=False))
    assert "330° to 30° clockwise" in html and "-30°" not in html


def test_minimum_range_and_tolerance_messages_state_the_bound_enforced() -> None:
    with pytest.raises(geo.InvalidRangeError, match="≥ 0 "):
        geo.footprint(39, 125, 1000, min_range_km=-5)
    assert geo.footprint(39, 125, 1000, min_range_km=0).equals(geo.footprint(39, 125, 1000))
    with pytest.raises(geo.InvalidRangeError, match="not less than"):
        geo.footprint(39, 125, 1000, min_range_km=1000)
    with pytest.raises(geo.InvalidRangeError, match=r"≥ 0\.001"):
        geo.footprint(39, 125, 1000, tolerance_m=0)


# --- the funnel itself --------------------------------------------------------------------


def test_reading_translates_reader_errors_and_passes_programming_errors(tmp_path: Path) -> None:
    import openpyxl
    import pyogrio

    bad = tmp_path / "book.xlsx"
    bad.write_bytes(BINARY)
    with pytest.raises(InputFileError, match=r"book\.xlsx' cannot be read"):  # noqa: SIM117
        with reading(bad, what="workbook", expected="an XLSX workbook"):
            openpyxl.load_workbook(bad)
    with pytest.raises(InputFileError, match="cannot be read"):  # noqa: SIM117
        with reading(bad, what="layer", expected="a GeoPackage"):
            pyogrio.read_dataframe(bad)
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(InputFileError, match="is empty"):  # noqa: SIM117
        with reading(tmp_path / "e.csv", what="table", expected="a CSV file") as p:
            pd.read_csv(p)
    with pytest.raises(ZeroDivisionError):  # noqa: SIM117
        with reading(bad, what="file", expected="a file"):
            _ = 1 / 0
    assert issubclass(InputFileError, geo.CatalogError)


def test_check_output_path_refuses_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    assert check_output_path("-") is None
    assert check_output_path(tmp_path / "a.html") == tmp_path / "a.html"
    assert check_output_path(tmp_path / "new", folder=True) == tmp_path / "new"
    for path, kwargs, fragment in [
        ("-", {"stdout_ok": False}, "cannot be standard output"),
        ("", {}, "path is empty"),
        ("  ", {"folder": True}, "path is empty"),
        (tmp_path, {}, "it is a folder"),
        (tmp_path / "f", {"folder": True}, "it is a file, not a folder"),
        (tmp_path / "f" / "a.html", {}, "is a file, not a folder"),
        (tmp_path / "f" / "d" / "a.html", {}, "is a file, not a folder"),
        (tmp_path / "no" / "a.html", {}, "does not exist; create it first"),
        (tmp_path / "no" / "d", {"folder": True}, "does not exist"),
    ]:
        with pytest.raises(OutputPathError, match=fragment):
            check_output_path(path, **kwargs)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]
