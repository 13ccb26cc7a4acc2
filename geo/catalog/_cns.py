"""The CNS North Korea Missile Test Database (NTI's XLSX or CSV) read into claims."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from geo.catalog._derived import derived_claim
from geo.catalog._schema import EVENT_COLUMNS, _degrees
from geo.errors import CatalogError, CatalogProblem
from geo.tables import numbered_records
from geo.text import MONTHS

if TYPE_CHECKING:
    import os

log = logging.getLogger(__name__)

_CNS_REQUIRED = {
    "date": "Date",
    "missile name": "Missile Name",
    "facility name": "Facility Name",
    "facility latitude": "Facility Latitude",
    "facility longitude": "Facility Longitude",
    "distance travelled": "Distance Travelled",
}
_MISSING_WORDS = {"", "unknown", "n/a", "na", "none", "-", "--", "?", "not available"}
_KM_RE = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*km", re.IGNORECASE)


def _norm_header(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def _year(text: str) -> int:
    """A four-digit year, or a two-digit one read as strptime's %y does (69-99 → 19xx)."""
    y = int(text)
    if len(text) == 2:
        y += 1900 if y >= 69 else 2000
    return y


def _parse_cns_date(value: Any, number_format: str | None = None) -> tuple[str, str] | None:
    """Return (ISO date, precision) for a CNS date cell, or None if unreadable.

    Text: ``9-Apr-84`` (day), ``Sep-84`` (month), ``11/2/2022`` (US month/day/year),
    ``1984-04-09``, ``1984``.  XLSX date cells: the cell's number format decides
    the precision (``mmm-yy`` has no day → month).
    """
    if isinstance(value, dt.datetime | dt.date):
        fmt = re.sub(r'\\.|"[^"]*"|\[[^]]*\]', "", (number_format or "").lower())
        if "d" not in fmt and "m" in fmt:
            return f"{value.year:04d}-{value.month:02d}", "month"
        if "d" not in fmt and "y" in fmt:
            return f"{value.year:04d}", "year"
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}", "day"
    text = str(value).strip()
    try:
        if m := re.fullmatch(r"(\d{1,2})[- ]([A-Za-z]{3})[a-z]*[- ](\d{2}|\d{4})", text):
            day = dt.date(_year(m[3]), MONTHS[m[2].lower()], int(m[1]))
            return day.isoformat(), "day"
        if m := re.fullmatch(r"([A-Za-z]{3})[a-z]*[- ](\d{2}|\d{4})", text):
            return f"{_year(m[2]):04d}-{MONTHS[m[1].lower()]:02d}", "month"
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})", text):
            return dt.date(_year(m[3]), int(m[1]), int(m[2])).isoformat(), "day"
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text).isoformat(), "day"
        if re.fullmatch(r"\d{4}", text):
            return text, "year"
    except (ValueError, KeyError):
        return None
    return None


def _parse_cns_distance(value: Any) -> tuple[float | None, str | None]:
    """Return (km, None) for a readable positive distance, else (None, why)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        x = float(value)
        if math.isfinite(x) and x > 0:
            return x, None
        return None, f"distance {value!r} is not a positive number"
    text = " ".join(str(value if value is not None else "").split())
    if text.casefold() in _MISSING_WORDS:
        return None, f"distance not given ({text!r})" if text else "distance not given (empty)"
    m = _KM_RE.fullmatch(text)
    if m is None:
        return None, f"distance {text!r} not read as one number of km"
    x = float(m[1].replace(",", "") + (m[2] or ""))
    if x <= 0:
        return None, f"distance {text!r} (no flight distance recorded)"
    return x, None


def _parse_cns_coordinate(value: Any, *, limit: float) -> tuple[float | None, str | None]:
    """Return (degrees, None), (None, None) for a missing value, or (None, why) if unreadable."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        x = float(value)
    else:
        text = str(value if value is not None else "").strip()
        if text.casefold() in _MISSING_WORDS:
            return None, None
        try:
            x = float(text)
        except ValueError:
            return None, f"{text!r} is not a number of decimal degrees"
    if not (math.isfinite(x) and -limit <= x <= limit):
        return None, f"{value!r} is outside [-{limit:g}, {limit:g}]"
    return x, None


@dataclass(frozen=True)
class _CnsRow:
    """One data row of a CNS sheet: values keyed by normalised header, plus metadata."""

    line: int
    values: Mapping[str, Any]
    date_format: str | None = None
    coordinate_formula: bool = False


@dataclass(frozen=True)
class CnsImport:
    """The result of :func:`import_cns`.

    Attributes
    ----------
    events
        One claim per CNS row (= one missile launched): the :data:`EVENT_COLUMNS`
        plus ``site_name`` (the facility's name), ready for :func:`write_events`.
    path
        The file read.
    total
        Data rows read (blank rows are skipped and counted in ``blank_rows``).
    located
        Rows with facility coordinates and a usable distance (drawable).
    unlocated
        Rows without usable facility coordinates (with or without a distance);
        ``site`` is empty, nothing is placed at a default point.
    rangeless
        Rows with facility coordinates but no usable distance.
    unlocated_with_range
        Of the unlocated rows, those that do have a distance.
    blank_rows
        Rows with no value at all, skipped.
    derived
        Derived claims added after the rows' claims: one standard-trajectory estimate
        (``range_kind`` ``standard-trajectory``, claimant ``georange``) per lofted row
        (apogee >= 1,000 km and a distance).
    issues
        One line per cell that was present but not readable (e.g. a distance
        ``'330 lm'``), with its row: these rows were kept as unlocated or
        range-less, as counted above.
    """

    events: pd.DataFrame
    path: str
    total: int
    located: int
    unlocated: int
    rangeless: int
    unlocated_with_range: int
    blank_rows: int
    issues: tuple[str, ...]
    derived: int = 0

    def summary(self) -> str:
        """A few lines for stderr that account for every row.

        Examples
        --------
        >>> import pandas as pd
        >>> r = CnsImport(pd.DataFrame(), "x.csv", 3, 1, 1, 1, 0, 0, ("line 4: distance 'x'",), 1)
        >>> print(r.summary())
        x.csv: 3 CNS rows -> 4 claims, none dropped:
          1 located with a distance
          1 located without a usable distance
          1 unlocated (no usable facility coordinates; 0 of them with a distance)
          + 1 derived standard-trajectory estimate(s) (claimant georange) of lofted rows
            (apogee >= 1,000 km and a distance)
          unreadable cell kept as missing: line 4: distance 'x'
        """
        lines = [
            f"{self.path}: {self.total} CNS rows -> {self.total + self.derived} claims, "
            "none dropped:",
            f"  {self.located} located with a distance",
            f"  {self.rangeless} located without a usable distance",
            f"  {self.unlocated} unlocated (no usable facility coordinates; "
            f"{self.unlocated_with_range} of them with a distance)",
        ]
        if self.derived:
            lines.append(
                f"  + {self.derived} derived standard-trajectory estimate(s) (claimant "
                "georange) of lofted rows\n    (apogee >= 1,000 km and a distance)"
            )
        if self.blank_rows:
            lines.append(f"  {self.blank_rows} blank row(s) skipped")
        lines += [f"  unreadable cell kept as missing: {i}" for i in self.issues]
        return "\n".join(lines)


def _cns_header_index(rows: Sequence[Sequence[Any]]) -> int | None:
    for i, row in enumerate(rows[:20]):
        names = {_norm_header(v) for v in row}
        if "date" in names and "facility name" in names:
            return i
    return None


def _cns_columns(header: Sequence[Any], path: str, line: int) -> dict[str, int]:
    index: dict[str, int] = {}
    for j, name in enumerate(header):
        key = _norm_header(name)
        if key and key not in index:
            index[key] = j
    problems = [
        CatalogProblem(
            path, line, label, "", "the CNS column " + repr(label) + " in the header row"
        )
        for key, label in _CNS_REQUIRED.items()
        if key not in index
    ]
    if problems:
        raise CatalogError(
            problems,
            summary=f"{path} lacks columns of the CNS North Korea Missile Test Database",
        )
    return index


def _read_cns_csv(path: Path, *, encoding: str | None) -> list[_CnsRow]:
    # Not geo.tables.read_table: the CNS export is a foreign format that the strict reader
    # would refuse by design (cp1252 bytes, title lines above a header found by its names,
    # ragged rows, merged cells); this reader tolerates all of that and checks the cells.
    raw = path.read_bytes()
    if encoding is None:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError as exc:
                line = raw[: exc.start].count(b"\n") + 1
                raise CatalogError(
                    [
                        CatalogProblem(
                            str(path),
                            line,
                            "*",
                            raw[exc.start : exc.end].hex(),
                            "UTF-8 or cp1252 text; give the file's encoding (--encoding)",
                        )
                    ],
                    summary=f"cannot decode {path}",
                ) from None
    else:
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise CatalogError(
                [
                    CatalogProblem(
                        str(path), 0, "*", encoding, f"an encoding that reads the file ({exc})"
                    )
                ],
                summary=f"cannot decode {path} as {encoding}",
            ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        lines = list(numbered_records(reader))
    except csv.Error as exc:
        raise CatalogError(
            [CatalogProblem(str(path), reader.line_num, "*", "", f"valid CSV ({exc})")],
            summary=f"{path} is not valid CSV",
        ) from None
    h = _cns_header_index([f for _, f in lines])
    if h is None:
        raise CatalogError(
            [
                CatalogProblem(
                    str(path),
                    1,
                    "*",
                    "",
                    "a header row with the CNS columns 'Date' and 'Facility Name'",
                )
            ],
            summary=f"{path} does not look like the CNS North Korea Missile Test Database",
        )
    index = _cns_columns(lines[h][1], str(path), lines[h][0])
    out: list[_CnsRow] = []
    for line, fields in lines[h + 1 :]:
        values = {key: (fields[j] if j < len(fields) else "") for key, j in index.items()}
        out.append(_CnsRow(line, values))
    return out


def _read_cns_xlsx(path: Path, *, sheet: str | None) -> list[_CnsRow]:
    # imported here: only an .xlsx import needs it, and every georange command loads this module
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise CatalogError(
            [CatalogProblem(str(path), 0, "*", path.name, f"an XLSX workbook ({exc})")],
            summary=f"cannot read {path} as an XLSX workbook",
        ) from None
    if sheet is not None:
        if sheet not in book.sheetnames:
            raise CatalogError(
                [
                    CatalogProblem(
                        str(path), 0, "sheet", sheet, "one of " + ", ".join(book.sheetnames)
                    )
                ],
                summary=f"{path} has no sheet {sheet!r}",
            )
        candidates = [sheet]
    else:
        candidates = sorted(book.sheetnames, key=lambda n: n != "Missile Tests")
    for name in candidates:
        ws = book[name]
        head = [list(r) for r in ws.iter_rows(min_row=1, max_row=20, values_only=True)]
        h = _cns_header_index(head)
        if h is not None:
            break
    else:
        raise CatalogError(
            [
                CatalogProblem(
                    str(path), 1, "*", "", "a sheet with the CNS columns 'Date' and 'Facility Name'"
                )
            ],
            summary=f"{path} does not look like the CNS North Korea Missile Test Database",
        )
    index = _cns_columns(head[h], f"{path}[{name}]", h + 1)
    facilities = _xlsx_facilities(book)
    fws = formulas[name]
    out: list[_CnsRow] = []
    for cells, fcells in zip(
        ws.iter_rows(min_row=h + 2), fws.iter_rows(min_row=h + 2), strict=False
    ):
        values = {key: (cells[j].value if j < len(cells) else None) for key, j in index.items()}
        date_cell = cells[index["date"]]
        formula = False
        for key in ("facility latitude", "facility longitude"):
            j = index[key]
            if (
                values[key] is None
                and isinstance(fcells[j].value, str)
                and fcells[j].value.startswith("=")
            ):
                formula = True
        if formula:
            fac = facilities.get(_norm_header(values["facility name"]))
            if fac is not None:
                values["facility latitude"], values["facility longitude"] = fac
        out.append(_CnsRow(date_cell.row, values, date_cell.number_format, formula))
    return out


def _xlsx_facilities(book: Any) -> dict[str, tuple[Any, Any]]:
    """Facility name → (latitude, longitude) from a sheet with those headers (NTI's Facilities)."""
    for ws in book.worksheets:
        rows = [list(r) for r in ws.iter_rows(min_row=1, max_row=10, values_only=True)]
        for i, row in enumerate(rows):
            names = [_norm_header(v) for v in row]
            if "facility" in names and "latitude" in names and "longitude" in names:
                jf, jl, jo = (
                    names.index("facility"),
                    names.index("latitude"),
                    names.index("longitude"),
                )
                table: dict[str, tuple[Any, Any]] = {}
                for r in ws.iter_rows(min_row=i + 2, values_only=True):
                    if jf < len(r) and r[jf]:
                        table.setdefault(_norm_header(r[jf]), (r[jl], r[jo]))
                return table
    return {}


def _row_number(value: Any) -> int | None:
    """The CNS row number (column F1) as an int, or None when missing or not a whole number."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return int(x) if x.is_integer() and x > 0 else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def import_cns(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    id_prefix: str = "cns",
) -> CnsImport:
    """Read the CNS North Korea Missile Test Database into claims.

    Reads the file as NTI publishes it: an XLSX workbook (sheet ``Missile
    Tests``, or the first with a CNS header row; cached formula values, and
    for latitude/longitude formulas without a cached value the workbook's
    ``Facilities`` table) or a CSV file (UTF-8, else cp1252; CRLF or LF).

    Each row is one missile launched and becomes one claim: ``range_kind`` ``flown``,
    ``claimant`` ``CNS``, ``source`` the database and file, ``claim_id``
    ``<id_prefix>-<F1>`` (the CNS row number; the data row number when F1 is missing or
    repeated), ``event_id`` ``<id_prefix>-<date>``. After them, each lofted row (apogee
    >= 1,000 km and a distance) adds a derived claim ``<claim_id>-std``: ``range_kind``
    ``standard-trajectory``, claimant ``georange``, the standard-trajectory estimate of
    :func:`geo.standard_trajectory_range` (central; the lower bound when near-orbital)
    with its inputs and method in ``note``. Dates like ``9-Apr-84`` have day precision,
    ``Sep-84`` month precision (two-digit years: 69-99 → 1969-1999, 00-68 → 2000-2068).
    Distances like ``1,380 km`` become ``range_km``; ``Unknown``, ``N/A``, empty, ``0
    km`` or text that is not one number of km (``between 110 and 670 km``, ``330 lm``)
    leave the claim range-less, with the text in ``note``. A facility with usable
    latitude and longitude becomes the site: ``site`` holds the coordinates as text
    (``"40.0368, 128.1839"``, read back exactly by the gazetteer, no name look-up) and
    ``site_name`` the facility's name. Without usable coordinates (``Unknown``, empty,
    unreadable, only one of the two) the claim is unlocated: ``site`` is empty. No row
    is dropped and none is placed at a default point.

    Parameters
    ----------
    path
        The ``.xlsx``/``.xlsm`` workbook or the ``.csv`` file.
    sheet
        The worksheet to read (XLSX only).
    encoding
        The CSV file's encoding, when neither UTF-8 nor cp1252.
    id_prefix
        Prefix of claim and event ids (use distinct prefixes to merge imports).

    Returns
    -------
    CnsImport
        The claims and the counts that account for every row.

    Raises
    ------
    geo.errors.CatalogError
        When the file cannot be read or lacks the CNS columns (all missing
        columns are listed).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = ("F1,Date,Missile Name,Facility Name,Facility Latitude,Facility Longitude,"
    ...         "Distance Travelled\\r\\n1,9-Apr-84,Scud-B,Tonghae,40.85,129.67,Unknown\\r\\n"
    ...         "2,Sep-84,Scud-B,Unknown,Unknown,Unknown,\\"1,380 km\\"\\r\\n")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = pathlib.Path(tmp) / "cns.csv"
    ...     _ = f.write_bytes(text.encode("cp1252"))
    ...     result = import_cns(f)
    >>> result.events[["claim_id", "date", "site", "range_km"]].values.tolist()
    [['cns-1', '1984-04-09', '40.85, 129.67', nan], ['cns-2', '1984-09', '', 1380.0]]
    >>> result.located, result.rangeless, result.unlocated
    (0, 1, 1)
    """
    from tqdm.auto import tqdm  # progress stays an optional, lazy import

    p = Path(path)
    if not p.is_file():
        raise CatalogError(
            [CatalogProblem(str(p), 0, "*", str(p), "an existing CNS CSV or XLSX file")],
            summary=f"no such file: {p}",
        )
    is_xlsx = p.suffix.lower() in (".xlsx", ".xlsm")
    rows = _read_cns_xlsx(p, sheet=sheet) if is_xlsx else _read_cns_csv(p, encoding=encoding)
    data = [r for r in rows if any(_text(v) for v in r.values.values())]
    blank = len(rows) - len(data)

    f1: list[int | None] = []
    for r in data:
        f1.append(_row_number(r.values.get("f1")))
    use_f1 = all(v is not None for v in f1) and len(set(f1)) == len(f1)
    if not use_f1 and data:
        log.info("%s: F1 missing or repeated; claim ids use the data row number", p)

    source = f"CNS North Korea Missile Test Database ({p.name})"
    records: list[dict[str, Any]] = []
    derived: list[dict[str, Any]] = []
    issues: list[str] = []
    tally = _Tally()
    for n, r in enumerate(tqdm(data, desc=f"CNS {p.name}", unit="row", disable=None), 1):
        where = f"line {r.line}" if not is_xlsx else f"row {r.line}"
        if f1[n - 1] is not None:
            where += f" (F1 {f1[n - 1]})"
        ident = f1[n - 1] if use_f1 else n
        record = _cns_record(
            r, f1=f1[n - 1], ident=ident, where=where, id_prefix=id_prefix, source=source
        )
        records.append(record.values)
        issues += record.issues
        apogee, _ = _parse_cns_distance(r.values.get("apogee", ""))
        extra, issue = derived_claim(
            record.values, apogee_km=apogee, distance_km=record.km, where=where
        )
        derived += [extra] if extra is not None else []
        issues += [issue] if issue is not None else []
        tally.count(located=bool(record.values["site"]), has_range=record.km is not None)
    for issue in issues:
        log.info("%s: %s kept as missing", p.name, issue)
    events = pd.DataFrame.from_records(records + derived, columns=[*EVENT_COLUMNS, "site_name"])
    events["range_km"] = events["range_km"].astype(float)
    return CnsImport(
        events=events,
        path=str(p),
        total=len(data),
        located=tally.located,
        unlocated=tally.unlocated,
        rangeless=tally.rangeless,
        unlocated_with_range=tally.unlocated_with_range,
        blank_rows=blank,
        issues=tuple(issues),
        derived=len(derived),
    )


@dataclass
class _Tally:
    """The counts of :class:`CnsImport` that account for every row."""

    located: int = 0
    unlocated: int = 0
    rangeless: int = 0
    unlocated_with_range: int = 0

    def count(self, *, located: bool, has_range: bool) -> None:
        if located and has_range:
            self.located += 1
        elif located:
            self.rangeless += 1
        else:
            self.unlocated += 1
            if has_range:
                self.unlocated_with_range += 1


@dataclass(frozen=True)
class _Record:
    """One CNS row as a claim, with its distance and the unreadable cells found in it."""

    values: dict[str, Any]
    km: float | None
    issues: list[str]


def _cns_record(
    r: _CnsRow, *, f1: int | None, ident: int | None, where: str, id_prefix: str, source: str
) -> _Record:
    """The claim of one CNS row; *where* names the row in issues."""
    v = r.values
    notes: list[str] = []
    issues: list[str] = []
    if f1 is not None:
        notes.append(f"CNS F1 {f1}")

    parsed = _parse_cns_date(v["date"], r.date_format) if _text(v["date"]) else None
    if parsed is None:
        date, precision = "", "unknown"
        if _text(v["date"]):
            issues.append(f"{where}: date {_text(v['date'])!r}")
            notes.append(f"date {_text(v['date'])!r} not readable")
    else:
        date, precision = parsed

    km, why = _parse_cns_distance(v["distance travelled"])
    if why is not None:
        notes.append(why)
        if "not read" in why:
            issues.append(f"{where}: {why}")

    site = _cns_site(r, where=where, notes=notes, issues=issues)
    facility = _text(v["facility name"])
    notes += _cns_details(v, facility)
    values = {
        "claim_id": f"{id_prefix}-{ident}",
        "event_id": f"{id_prefix}-{date}" if date else f"{id_prefix}-undated-{ident}",
        "date": date,
        "date_precision": precision,
        "site": site,
        "missile": _text(v["missile name"]),
        "range_km": km if km is not None else math.nan,
        "range_kind": "flown",
        "claimant": "CNS",
        "source": source,
        "note": "; ".join(notes),
        "site_name": facility if facility.casefold() not in _MISSING_WORDS else "",
    }
    return _Record(values, km, issues)


def _cns_site(r: _CnsRow, *, where: str, notes: list[str], issues: list[str]) -> str:
    """The site text of a CNS row (its facility's coordinates) or "" when unlocated; the
    reasons go to *notes* and *issues*."""
    v = r.values
    lat, why_lat = _parse_cns_coordinate(v["facility latitude"], limit=90.0)
    lon, why_lon = _parse_cns_coordinate(v["facility longitude"], limit=180.0)
    for label, why_c in (("latitude", why_lat), ("longitude", why_lon)):
        if why_c:
            issues.append(f"{where}: facility {label} {why_c}")
            notes.append(f"facility {label} {why_c}")
    if lat is not None and lon is not None:
        if r.coordinate_formula:
            notes.append("coordinates from the workbook's Facilities table")
        return f"{_degrees(lat)}, {_degrees(lon)}"
    if (lat is None) != (lon is None):
        notes.append("only one of the facility coordinates given: unlocated")
        issues.append(f"{where}: only one facility coordinate")
    elif r.coordinate_formula:
        notes.append("coordinate formula without a cached value and no Facilities entry")
        issues.append(f"{where}: coordinate formula not resolved")
    else:
        notes.append("no facility coordinates in the source: unlocated")
    return ""


def _cns_details(v: Mapping[str, Any], facility: str) -> list[str]:
    """Notes from the CNS columns that have no column of their own in a claim."""
    notes: list[str] = []
    for key, label in (
        ("missile type", "type"),
        ("apogee", "apogee"),
        ("landing location", "landing"),
        ("test outcome", "outcome"),
        ("confirmation status", "status"),
    ):
        text = _text(v.get(key))
        if text:
            notes.append(f"{label} {text}")
    if facility:
        loc = _text(v.get("facility location"))
        notes.append(f"facility {facility}" + (f" ({loc})" if loc and loc != "Unknown" else ""))
    cited = _text(v.get("source(s)"))
    if cited:
        notes.append(f"CNS sources: {cited}")
    return notes
