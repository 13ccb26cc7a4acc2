"""The CNS importer: both published formats, every quirk, the CLI, and the real files."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import math
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from geo.catalog import EVENT_COLUMNS, import_cns, load_catalog
from geo.catalog._cns import CnsImport, _parse_cns_date, _parse_cns_distance
from geo.catalog._schema import _degrees
from geo.cli import cli
from geo.errors import CatalogError

HERE = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "cns_fixtures", HERE / "data/catalog/cns_fixtures.py"
)
assert _spec is not None and _spec.loader is not None
fx = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("cns_fixtures", fx)
_spec.loader.exec_module(fx)

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@pytest.fixture(params=["csv", "xlsx"])
def cns_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "csv":
        return fx.write_csv(tmp_path / "cns_fixture.csv")
    return fx.write_xlsx(tmp_path / "cns_fixture.xlsx")


def test_csv_fixture_has_the_published_quirks(tmp_path: Path) -> None:
    raw = fx.csv_bytes()
    assert b"\r\n" in raw
    assert b"\xa0" in raw and b"\xb0" in raw  # cp1252 no-break space and degree sign
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert "9-Apr-84" in text and "Sep-84" in text and '"1,380 km"' in text


def flown(events: pd.DataFrame) -> pd.DataFrame:
    """The claims of the rows themselves, without the derived standard-trajectory claims."""
    return events[events["range_kind"] == "flown"].reset_index(drop=True)


def test_each_row_becomes_the_expected_claim(cns_file: Path) -> None:
    result = import_cns(cns_file)
    ev = flown(result.events)
    assert list(ev.columns) == [*EVENT_COLUMNS, "site_name"]
    assert len(ev) == len(fx.ROWS)
    for (_, got), row in zip(ev.iterrows(), fx.ROWS, strict=True):
        assert got["claim_id"] == f"cns-{row.f1}"
        assert got["date"] == row.expect_date
        assert got["date_precision"] == row.expect_precision
        assert got["event_id"] == f"cns-{row.expect_date}"
        assert got["site"] == row.expect_site
        if row.expect_range_km is None:
            assert math.isnan(got["range_km"])
        else:
            assert got["range_km"] == row.expect_range_km
        assert got["range_kind"] == "flown"
        assert got["claimant"] == "CNS"
        assert cns_file.name in got["source"]
        assert got["missile"] == row.missile
        expected_name = "" if row.facility == "Unknown" else row.facility
        assert got["site_name"] == expected_name


def test_counts_account_for_every_row(cns_file: Path) -> None:
    result = import_cns(cns_file)
    assert result.total == fx.EXPECT_TOTAL
    assert result.located == fx.EXPECT_LOCATED
    assert result.rangeless == fx.EXPECT_RANGELESS
    assert result.unlocated == fx.EXPECT_UNLOCATED
    assert result.located + result.rangeless + result.unlocated == result.total
    with_range = sum(1 for r in fx.ROWS if not r.expect_site and r.expect_range_km is not None)
    assert result.unlocated_with_range == with_range


def test_unreadable_cells_are_kept_noted_and_listed(cns_file: Path) -> None:
    result = import_cns(cns_file)
    summary = result.summary()
    for text in fx.EXPECT_UNREADABLE_DISTANCES:
        row = next(r for r in fx.ROWS if r.distance == text)
        claim = result.events.set_index("claim_id").loc[f"cns-{row.f1}"]
        assert math.isnan(claim["range_km"])
        assert repr(text) in claim["note"]
        assert repr(text) in summary
    one_coordinate = next(r for r in fx.ROWS if (r.lat == "Unknown") != (r.lon == "Unknown"))
    claim = result.events.set_index("claim_id").loc[f"cns-{one_coordinate.f1}"]
    assert claim["site"] == ""
    assert "only one of the facility coordinates" in claim["note"]
    zero = next(r for r in fx.ROWS if r.distance == "0 km")
    assert "'0 km'" in result.events.set_index("claim_id").loc[f"cns-{zero.f1}"]["note"]


def test_no_row_is_placed_without_source_coordinates(cns_file: Path) -> None:
    ev = flown(import_cns(cns_file).events)
    for (_, got), row in zip(ev.iterrows(), fx.ROWS, strict=True):
        has_both = row.lat != "Unknown" and row.lon != "Unknown"
        assert (got["site"] != "") == has_both
        if has_both:
            lat_text, lon_text = got["site"].split(", ")
            assert float(lat_text) == float(row.lat) and float(lon_text) == float(row.lon)


def test_blank_rows_are_counted_not_claimed(tmp_path: Path) -> None:
    result = import_cns(fx.write_csv(tmp_path / "c.csv", blank_row=True))
    assert result.blank_rows == 1 and result.total == len(fx.ROWS)
    assert "1 blank row(s) skipped" in result.summary()


def test_xlsx_formula_coordinates_come_from_the_facilities_table(tmp_path: Path) -> None:
    ev = import_cns(fx.write_xlsx(tmp_path / "c.xlsx")).events.set_index("claim_id")
    for row in fx.ROWS:
        if row.xlsx_formula:
            assert "Facilities table" in ev.loc[f"cns-{row.f1}", "note"]
            lat, lon = fx.FACILITIES[row.facility]
            assert ev.loc[f"cns-{row.f1}", "site"] == f"{lat}, {lon}"


def test_xlsx_and_csv_agree(tmp_path: Path) -> None:
    a = import_cns(fx.write_csv(tmp_path / "c.csv")).events
    b = import_cns(fx.write_xlsx(tmp_path / "c.xlsx")).events
    cols = ["claim_id", "event_id", "date", "date_precision", "site", "missile", "range_km"]
    pd.testing.assert_frame_equal(a[cols], b[cols])


def test_missing_cns_columns_are_all_listed(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"F1,Date,Facility Name,Apogee\r\n1,9-Apr-84,Tonghae,Unknown\r\n")
    with pytest.raises(CatalogError) as err:
        import_cns(path)
    columns = {p.column for p in err.value.problems}
    assert columns == {
        "Missile Name",
        "Facility Latitude",
        "Facility Longitude",
        "Distance Travelled",
    }
    assert all(p.line == 1 and p.path == str(path) for p in err.value.problems)


def test_a_file_that_is_not_cns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(CatalogError, match="does not look like the CNS"):
        import_cns(path)
    bogus = tmp_path / "bogus.xlsx"
    bogus.write_bytes(b"not a zip file")
    with pytest.raises(CatalogError, match="XLSX"):
        import_cns(bogus)


def test_unknown_sheet_names_the_sheets(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="Missile Tests"):
        import_cns(fx.write_xlsx(tmp_path / "c.xlsx"), sheet="Nope")


def test_undecodable_csv_asks_for_an_encoding(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(fx.csv_bytes() + b"\x81\r\n")  # 0x81 is undefined in cp1252
    with pytest.raises(CatalogError, match="--encoding"):
        import_cns(path)
    result = import_cns(path, encoding="latin-1")
    assert result.total == len(fx.ROWS) + 1  # the odd last row is kept, unlocated and undated
    last = flown(result.events).iloc[-1]
    assert last["site"] == "" and last["date_precision"] == "unknown"


# --- parsing rules (properties) -------------------------------------------------------------


@given(
    st.integers(min_value=1, max_value=99_999_999),
    st.booleans(),
    st.sampled_from(["km", "KM", "Km"]),
)
def test_distance_text_reads_back(n: int, separators: bool, unit: str) -> None:
    text = (f"{n:,}" if separators else str(n)) + " " + unit
    assert _parse_cns_distance(text) == (float(n), None)


@given(st.sampled_from(["", "Unknown", "unknown", "N/A", "n/a", None, "-", "  "]))
def test_missing_distance_words(value: str | None) -> None:
    km, why = _parse_cns_distance(value)
    assert km is None and why is not None and "not given" in why


@given(st.text(alphabet="abcxyz ,.-/", min_size=1, max_size=12))
def test_garbage_distance_is_never_a_number(text: str) -> None:
    km, why = _parse_cns_distance(text + " lm")
    assert km is None and why is not None


@given(st.dates(min_value=dt.date(1969, 1, 1), max_value=dt.date(2068, 12, 31)))
def test_cns_dates_read_back(day: dt.date) -> None:
    yy = f"{day.year % 100:02d}"
    mon = MONTHS[day.month - 1]
    assert _parse_cns_date(f"{day.day}-{mon}-{yy}") == (day.isoformat(), "day")
    assert _parse_cns_date(f"{mon}-{yy}") == (day.isoformat()[:7], "month")
    assert _parse_cns_date(f"{day.month}/{day.day}/{day.year}") == (day.isoformat(), "day")
    stamp = dt.datetime(day.year, day.month, day.day)
    assert _parse_cns_date(stamp, "d-mmm-yy") == (day.isoformat(), "day")
    assert _parse_cns_date(stamp, "mmm-yy") == (day.isoformat()[:7], "month")
    assert _parse_cns_date(stamp, "dd\\-mmm\\-yy") == (day.isoformat(), "day")
    assert _parse_cns_date(stamp, "yyyy") == (day.isoformat()[:4], "year")
    assert _parse_cns_date(stamp, "General") == (day.isoformat(), "day")
    assert _parse_cns_date(stamp.date(), '"on "d mmm yyyy') == (day.isoformat(), "day")


@pytest.mark.parametrize("text", ["31-Feb-99", "Foo-84", "9-Apr", "yesterday", "13/40/2020"])
def test_bad_cns_dates_are_refused(text: str) -> None:
    assert _parse_cns_date(text) is None


@given(st.floats(min_value=-180, max_value=180, allow_nan=False))
def test_degrees_text_is_exact_and_plain(x: float) -> None:
    text = _degrees(x)
    assert float(text) == x
    assert "e" not in text.lower()


# --- the command ------------------------------------------------------------------------------


def test_cli_writes_events_and_summary(cns_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"  # the folder must exist: -o never creates one (issue 13)
    res = CliRunner().invoke(cli, ["import-cns", str(cns_file), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert f"{len(fx.ROWS)} CNS rows" in res.stderr
    assert f"{fx.EXPECT_UNLOCATED} unlocated" in res.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len([r for r in rows if r["range_kind"] == "flown"]) == len(fx.ROWS)
    assert len(rows) == len(fx.ROWS) + import_cns(cns_file).derived
    assert list(rows[0]) == [*EVENT_COLUMNS, "site_name"]
    assert rows[3]["range_km"] == "1380"


def test_cli_to_stdout_keeps_the_summary_on_stderr(tmp_path: Path) -> None:
    path = fx.write_csv(tmp_path / "c.csv")
    res = CliRunner().invoke(cli, ["import-cns", str(path)])
    assert res.exit_code == 0
    assert res.stdout.startswith(",".join(EVENT_COLUMNS))
    assert "CNS rows" not in res.stdout and "CNS rows" in res.stderr


def test_cli_error_leaves_no_output(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("F1,Date,Facility Name\n1,9-Apr-84,X\n")
    out = tmp_path / "events.csv"
    res = CliRunner().invoke(cli, ["import-cns", str(bad), "-o", str(out)])
    assert res.exit_code == 1
    assert "georange: error:" in res.stderr and "Distance Travelled" in res.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_imported_catalog_loads_at_exactly_the_facility_coordinates(
    cns_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "events.csv"
    res = CliRunner().invoke(cli, ["import-cns", str(cns_file), "-o", str(out)])
    assert res.exit_code == 0, res.output
    cat = load_catalog(out)
    cat = cat[cat["range_kind"] == "flown"]
    assert len(cat) == len(fx.ROWS)
    for (_, got), row in zip(cat.iterrows(), fx.ROWS, strict=True):
        if row.expect_site:
            assert got["located"]
            assert got["lat"] == float(row.lat) and got["lon"] == float(row.lon)
            assert got["site_match"] == "coordinates"
            assert got["site_name"] == row.facility
            assert got.geometry.x == float(row.lon) and got.geometry.y == float(row.lat)
        else:
            assert not got["located"]
            assert math.isnan(got["lat"]) and got.geometry is None


# --- the real database (skipped when ../shared/data is absent) -----------------------------------


def _independent_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Count the categories straight from the raw cells, without the importer's code."""
    km = re.compile(r"^\s*[\d,]+(\.\d+)?\s*km\s*$", re.IGNORECASE)

    def coord(v: object) -> bool:
        try:
            return v is not None and math.isfinite(float(str(v)))
        except ValueError:
            return False

    def dist(v: object) -> bool:
        if isinstance(v, int | float) and not isinstance(v, bool):
            return v > 0
        s = "" if v is None else str(v)
        return bool(km.match(s)) and float(s.lower().replace("km", "").replace(",", "")) > 0

    counts = {"located": 0, "rangeless": 0, "unlocated": 0}
    for _, r in frame.iterrows():
        if coord(r["Facility Latitude"]) and coord(r["Facility Longitude"]):
            counts["located" if dist(r["Distance Travelled"]) else "rangeless"] += 1
        else:
            counts["unlocated"] += 1
    return counts


def _check_real(result: CnsImport, raw: pd.DataFrame) -> None:
    """The import's counts and sites against the source rows, counted and read independently."""
    assert result.located + result.unlocated + result.rangeless == result.total
    counts = _independent_counts(raw)
    assert (result.located, result.rangeless, result.unlocated) == (
        counts["located"],
        counts["rangeless"],
        counts["unlocated"],
    )
    rows = flown(result.events)
    for (_, got), (_, src) in zip(rows.iterrows(), raw.iterrows(), strict=True):
        lat, lon = src["Facility Latitude"], src["Facility Longitude"]
        try:
            expected = (float(str(lat)), float(str(lon)))
        except ValueError:
            assert got["site"] == "", f"claim {got['claim_id']} placed without coordinates"
            continue
        lat_text, lon_text = got["site"].split(", ")
        assert (float(lat_text), float(lon_text)) == expected


def test_real_csv_2023_04(shared_data: Path) -> None:
    path = shared_data / "cns_nk_missile_test_database_2023-04.csv"
    result = import_cns(path)
    raw = pd.read_csv(path, encoding="cp1252", dtype=str, keep_default_na=False)
    assert result.total == len(raw) == 245
    _check_real(result, raw)
    assert result.events["claim_id"].is_unique
    assert (result.events["date_precision"] != "unknown").all()
    assert set(result.events.loc[result.events["date_precision"] == "month", "date"]) >= {"1984-09"}


def test_real_xlsx_2021_03(shared_data: Path) -> None:
    import openpyxl

    path = shared_data / "cns_nk_missile_test_database_2021-03.xlsx"
    result = import_cns(path)
    sheet = openpyxl.load_workbook(path, data_only=True)["Missile Tests"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    raw = pd.DataFrame(rows[1:], columns=rows[0])
    raw = raw[raw.notna().any(axis=1)].reset_index(drop=True)
    assert result.total == len(raw) == 156
    _check_real(result, raw)
    months = result.events.loc[result.events["date_precision"] == "month", "date"]
    assert "1984-09" in set(months)


def test_real_csv_catalog_loads(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    path = shared_data / "cns_nk_missile_test_database_2023-04.csv"
    res = CliRunner().invoke(cli, ["import-cns", str(path), "-o", str(out)])
    assert res.exit_code == 0, res.output
    cat = load_catalog(out)
    assert len(cat) == 245 + 11  # and a derived claim per lofted test
    assert int(cat["located"].sum()) == int((cat["site"] != "").sum())


def test_imported_catalog_gives_one_footprint_per_located_claim_with_a_distance(
    tmp_path: Path,
) -> None:
    from pyproj import Geod

    from geo.catalog import claim_footprints, write_events

    out = tmp_path / "events.csv"
    write_events(import_cns(fx.write_csv(tmp_path / "c.csv")).events, out)
    fp = claim_footprints(load_catalog(out))
    wanted = [f"cns-{r.f1}" for r in fx.ROWS if r.expect_site and r.expect_range_km is not None]
    wanted += ["cns-11-std"]  # the lofted row's derived claim, at the same site
    assert fp["claim_id"].tolist() == wanted
    assert {"claimant", "source", "note", "site_name", "range_kind"} <= set(fp.columns)
    geod = Geod(ellps="WGS84")
    for _, row in fp[fp["range_kind"] == "flown"].iterrows():
        lon, lat = row.geometry.exterior.coords.xy
        _, _, dist = geod.inv([row["lon"]] * len(lon), [row["lat"]] * len(lat), lon, lat)
        assert max(abs(d - row["range_km"] * 1000) for d in dist) < 1.0
