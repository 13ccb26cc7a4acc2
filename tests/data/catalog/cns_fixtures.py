"""Small CNS-format fixtures, written by hand in the two formats NTI publishes.

The rows below imitate the CNS North Korea Missile Test Database's layout and
quirks (not its text): ``9-Apr-84`` and ``Sep-84`` dates, distances such as
``1,380 km``, ``Unknown``, ``N/A``, empty, ``0 km``, a typo'd unit and a span;
facilities with coordinates or ``Unknown``; a multi-line quoted cell and
cp1252-only characters (a no-break space and a degree sign).

``write_csv`` writes cp1252 with CRLF record ends (LF inside quoted cells, as
in NTI's export); ``write_xlsx`` writes a workbook with openpyxl: a summary
sheet first, the ``Missile Tests`` sheet with a blank first row, real date
cells whose number format carries the precision, latitude/longitude
``VLOOKUP`` formulas without cached values (the importer falls back to the
``Facilities`` table), and one numeric distance.

Run ``python tests/data/catalog/cns_fixtures.py OUTDIR`` to write both files
for a look; the tests call the functions into a temporary folder.  Each row
carries what the importer must make of it (``expect``), so a test can compare
row by row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from dataclasses import dataclass
from pathlib import Path

HEADER = [
    "F1",
    "Date",
    "Date Entered/Updated",
    "Launch Time (UTC)",
    "Missile Name",
    "Missile Type",
    "Launch Agency/Authority",
    "Facility Name",
    "Facility Location",
    "Other Name",
    "Facility Latitude",
    "Facility Longitude",
    "Landing Location",
    "Apogee",
    "Distance Travelled",
    "Confirmation Status",
    "Test Outcome",
    "Additional Information",
    "Source(s)",
]

NBSP = "\u00a0"


@dataclass(frozen=True)
class Row:
    f1: int
    date_text: str  # as the CSV writes it
    date: dt.date  # the same date as an XLSX cell holds it
    date_format: str  # the XLSX number format
    missile: str
    missile_type: str
    facility: str
    location: str
    lat: str  # as the CSV writes it
    lon: str
    distance: str
    apogee: str
    info: str
    # what the importer must produce
    expect_date: str
    expect_precision: str
    expect_site: str
    expect_range_km: float | None
    xlsx_formula: bool = False  # write lat/lon as VLOOKUP formulas in the workbook
    xlsx_distance_number: bool = False  # write the distance as a number in the workbook


ROWS: list[Row] = [
    Row(1, "9-Apr-84", dt.date(1984, 4, 9), "d-mmm-yy", "Scud-B", "SRBM",
        "Tonghae Satellite Launching Ground", "Hwadae County, North Hamgyong Province",
        "40.8499966", "129.666664", "Unknown", "Unknown", "first row of the fixture",
        "1984-04-09", "day", "40.8499966, 129.666664", None, xlsx_formula=True),
    Row(2, "Sep-84", dt.date(1984, 9, 1), "mmm-yy", "Scud-B", "SRBM",
        "Tonghae Satellite Launching Ground", "Hwadae County, North Hamgyong Province",
        "40.8499966", "129.666664", "", "", "only the month is known",
        "1984-09", "month", "40.8499966, 129.666664", None, xlsx_formula=True),
    Row(3, "29-May-93", dt.date(1993, 5, 29), "d-mmm-yy", "Nodong", "MRBM",
        "Unknown", "Unknown", "Unknown", "Unknown", "500 km", "Unknown",
        "facility not known, distance known",
        "1993-05-29", "day", "", 500.0),
    Row(4, "5-Jul-06", dt.date(2006, 7, 5), "dd\\-mmm\\-yy", "Taepodong-2", "ICBM",
        "Kittaeryong Missile Base", f"Chiha-ri{NBSP}, Kangwon Province", "38.99083", "127.6236",
        "1,380 km", "N/A", "two lines of notes:\nposition near 39°49'23\"N per imagery",
        "2006-07-05", "day", "38.99083, 127.6236", 1380.0),
    Row(5, "5-Apr-09", dt.date(2009, 4, 5), "d-mmm-yy", "Unha-2", "SLV",
        "Sohae Satellite Launching Station", "Cholsan County", "39.6596", "124.7057",
        "N/A", "N/A", "space launch",
        "2009-04-05", "day", "39.6596, 124.7057", None),
    Row(6, "14-Aug-14", dt.date(2014, 8, 14), "d-mmm-yy", "KN-02", "SRBM",
        "Wonsan Kalma International Airport", "Kangwon Province", "39.1677", "127.4817",
        "330 lm", "50 km", "the unit is mistyped in the source",
        "2014-08-14", "day", "39.1677, 127.4817", None),
    Row(7, "25-Aug-16", dt.date(2016, 8, 25), "d-mmm-yy", "Scud-B MaRV", "SRBM",
        "Hodo Peninsula", "Kangwon Province", "39.40167", "127.5369",
        "between 110 and 670 km", "between 25 and 90 km", "a span, not one number",
        "2016-08-25", "day", "39.40167, 127.5369", None),
    Row(8, "15-Apr-17", dt.date(2017, 4, 15), "d-mmm-yy", "KN-17", "MRBM",
        "Sinpo Shipyard", "South Hamgyong province", "40.0368", "128.1839",
        "0 km", "0 km", "failed at launch",
        "2017-04-15", "day", "40.0368, 128.1839", None),
    Row(9, "2-Mar-20", dt.date(2020, 3, 2), "d-mmm-yy", "KN-25", "SRBM",
        "Sangum-ri", "Anbyon County", "Unknown", "127.616", "240 km", "35 km",
        "only one coordinate given",
        "2020-03-02", "day", "", 240.0),
    Row(10, "24-Mar-21", dt.date(2021, 3, 24), "d-mmm-yy", "Unnamed SRBM", "SRBM",
        "Yonpo Airport", "Hamhung", "39.78938", "127.53993", "450 km", "60 km", "",
        "2021-03-24", "day", "39.78938, 127.53993", 450.0, xlsx_distance_number=True),
    Row(11, "12-Apr-23", dt.date(2023, 4, 12), "d-mmm-yy", "Hwasong-18", "ICBM",
        "Pyongyang International Airport", "Pyongyang, North Korea", "39.200159", "125.673256",
        "1000 km", "6000 km", "lofted",
        "2023-04-12", "day", "39.200159, 125.673256", 1000.0),
]  # fmt: skip

FACILITIES = {
    "Tonghae Satellite Launching Ground": (40.8499966, 129.666664),
    "Kittaeryong Missile Base": (38.99083, 127.6236),
    "Unknown": ("Unknown", "Unknown"),
}

# What the importer must count for these rows.
EXPECT_TOTAL = len(ROWS)
EXPECT_LOCATED = sum(1 for r in ROWS if r.expect_site and r.expect_range_km is not None)
EXPECT_RANGELESS = sum(1 for r in ROWS if r.expect_site and r.expect_range_km is None)
EXPECT_UNLOCATED = sum(1 for r in ROWS if not r.expect_site)
EXPECT_UNREADABLE_DISTANCES = ("330 lm", "between 110 and 670 km")


def _csv_record(r: Row) -> list[str]:
    return [
        str(r.f1), r.date_text, "23-Dec-16", "", r.missile, r.missile_type, "",
        r.facility, r.location, "", r.lat, r.lon, "Sea of Japan or East Sea",
        r.apogee, r.distance, "Confirmed", "Success", r.info,
        "https://example.invalid/report-" + str(r.f1),
    ]  # fmt: skip


def csv_bytes(*, blank_row: bool = True) -> bytes:
    """The CSV fixture: cp1252, CRLF between records, LF inside quoted cells."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADER)
    for i, r in enumerate(ROWS):
        writer.writerow(_csv_record(r))
        if blank_row and i == 4:
            writer.writerow([""] * len(HEADER))  # an empty record, as spreadsheets export
    return buf.getvalue().encode("cp1252")


def write_csv(path: Path, *, blank_row: bool = True) -> Path:
    path.write_bytes(csv_bytes(blank_row=blank_row))
    return path


def write_xlsx(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "Data Summary"
    summary.append(["Confirmation Status", "(All)"])
    tests = book.create_sheet("Missile Tests")
    tests.append([None] * len(HEADER))  # NTI's sheet starts with an empty row
    tests.append(HEADER)
    col = {h: i + 1 for i, h in enumerate(HEADER)}
    for r in ROWS:
        tests.append(_csv_record(r))
        row = tests.max_row
        date_cell = tests.cell(row=row, column=col["Date"])
        date_cell.value = dt.datetime(r.date.year, r.date.month, r.date.day)
        date_cell.number_format = r.date_format
        tests.cell(row=row, column=col["F1"]).value = r.f1
        for name, text in (("Facility Latitude", r.lat), ("Facility Longitude", r.lon)):
            cell = tests.cell(row=row, column=col[name])
            if r.xlsx_formula:
                k = 5 if name == "Facility Latitude" else 6
                cell.value = f"=VLOOKUP(H{row},Facilities!$A$3:$G$10,{k},FALSE)"
            else:
                try:
                    cell.value = float(text)
                except ValueError:
                    cell.value = text
        if r.xlsx_distance_number:
            tests.cell(row=row, column=col["Distance Travelled"]).value = r.expect_range_km
        for name in ("Apogee", "Distance Travelled", "Landing Location"):
            cell = tests.cell(row=row, column=col[name])
            if cell.value == "":
                cell.value = None
    facilities = book.create_sheet("Facilities")
    facilities.append([None])
    facilities.append(["Facility", "Date of First Test", "Date of Most Recent Test",
                       "Number of Tests", "Latitude", "Longitude", "Location"])  # fmt: skip
    for name, (lat, lon) in FACILITIES.items():
        facilities.append([name, None, None, None, lat, lon, "somewhere"])
    book.save(path)
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    print(write_csv(out / "cns_fixture.csv"))
    print(write_xlsx(out / "cns_fixture.xlsx"))
