"""Reported launches, range claims, missile classes and targets; the CNS importer.

A range on a map is only as good as the claim behind it, so the catalog keeps
every reported number as a *claim* with its provenance: who made it
(``claimant``), what kind of number it is (``range_kind``), when (``date`` and
``date_precision``), from which report (``source``).

Files (bundled copies in ``data/``; users pass their own paths):

``events.csv``
    One row per range claim, columns :data:`EVENT_COLUMNS` plus the optional
    :data:`OPTIONAL_EVENT_COLUMNS`:

    - ``claim_id`` (unique) and ``event_id`` (shared by the claims about one launch);
    - ``date`` and ``date_precision``: ``day`` → ``YYYY-MM-DD``, ``month`` →
      ``YYYY-MM``, ``year`` → ``YYYY``, ``year-uncertain`` → ``--MM-DD`` or
      ``--MM`` (month and day, or month, known but not the year: ISO 8601's
      forms without a year), ``unknown`` → empty;
    - ``site`` as reported (empty when the report names none: the claim is kept,
      flagged ``located=False``, never placed at a default point).  Anything
      :func:`geo.geocode` accepts works, including coordinates as text
      (``"40.0368, 128.1839"``);
    - ``missile``; ``range_km`` (a positive number or empty); ``range_kind``, one
      of :data:`RANGE_KINDS` (required when ``range_km`` is given);
    - ``claimant``, ``source`` (outlet or report, never article text), ``note``;
    - optional ``site_name``: the name to show for the site.  The CNS importer
      writes the facility's coordinates into ``site`` (so they are used exactly,
      with no look-up) and the facility's name here.

    Any further columns are kept as they are.

``missiles.csv``
    ``name, aliases, class, range_min_km, range_max_km, source, note``; aliases
    ``|``-separated; ``class`` is one of :data:`MISSILE_CLASSES` or several
    joined with ``/`` (``SRBM/MRBM``).  ``range_min_km`` and ``range_max_km``
    bound the published estimates of the *maximum* range (not a minimum
    flight range).

``targets.csv``
    ``id, name, lat, lon, kind, country``; ``kind`` one of :data:`TARGET_KINDS`,
    ``country`` an ISO 3166 alpha-2 code.

Every loader checks every cell and raises one :class:`geo.errors.CatalogError`
listing all problems (file, line, column, value, what is expected); nothing is
returned half-loaded.

The CNS North Korea Missile Test Database (as NTI publishes it: XLSX, or CSV in
cp1252 with CRLF) is read by :func:`import_cns`; see its documentation for the
rules.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from geo.errors import CatalogError, CatalogProblem, GeorangeError
from geo.resources import data_path

if TYPE_CHECKING:
    import os

    from geo.gazetteer import Site

__all__ = [
    "DATE_PRECISIONS",
    "EVENT_COLUMNS",
    "MISSILE_CLASSES",
    "MISSILE_COLUMNS",
    "OPTIONAL_EVENT_COLUMNS",
    "RANGE_KINDS",
    "TARGET_COLUMNS",
    "TARGET_KINDS",
    "CnsImport",
    "claim_footprints",
    "class_footprints",
    "import_cns",
    "load_catalog",
    "load_missiles",
    "load_targets",
    "write_events",
]

log = logging.getLogger(__name__)

EVENT_COLUMNS: tuple[str, ...] = (
    "claim_id",
    "event_id",
    "date",
    "date_precision",
    "site",
    "missile",
    "range_km",
    "range_kind",
    "claimant",
    "source",
    "note",
)
"""Required columns of an events file, in the order files are written."""

OPTIONAL_EVENT_COLUMNS: tuple[str, ...] = ("site_name",)
"""Optional columns of an events file with a meaning to georange."""

DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year", "year-uncertain", "unknown")
"""Allowed values of ``date_precision``."""

RANGE_KINDS: tuple[str, ...] = ("flown", "claimed", "class-estimate", "assumption")
"""Allowed values of ``range_kind``: a flown distance, a claimed maximum, a class
estimate, or an assumption made to draw a launch that came without a range."""

MISSILE_COLUMNS: tuple[str, ...] = (
    "name",
    "aliases",
    "class",
    "range_min_km",
    "range_max_km",
    "source",
    "note",
)
"""Columns of a missiles file."""

MISSILE_CLASSES: tuple[str, ...] = ("SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "HGV", "SLV", "cruise")
"""Allowed missile classes (several may be joined with ``/``)."""

TARGET_COLUMNS: tuple[str, ...] = ("id", "name", "lat", "lon", "kind", "country")
"""Columns of a targets file."""

TARGET_KINDS: tuple[str, ...] = (
    "capital",
    "city",
    "town",
    "us base",
    "military base",
    "naval base",
    "air base",
    "port",
    "facility",
)
"""Allowed values of a target's ``kind``."""

#: Columns :func:`load_catalog` adds to a claim for its geocoded site.
SITE_COLUMNS = ("site_name", "site_id", "lat", "lon", "precision_km", "site_match", "site_source")


def site_columns(site: Site | None, *, name: str | None = None) -> dict[str, Any]:
    """The site columns of a claim (and ``located``): the geocoded site's, or NaN/None when
    the claim is unlocated.  *name* overrides the site's name (a facility name as reported)."""
    if site is None:
        cols: dict[str, Any] = dict.fromkeys(SITE_COLUMNS)
        cols.update(site_name=name, lat=math.nan, lon=math.nan, precision_km=math.nan)
        return {**cols, "located": False}
    return {
        "site_name": name or site.name,
        "site_id": site.id,
        "lat": float(site.lat),
        "lon": float(site.lon),
        "precision_km": float(site.precision_km),
        "site_match": site.match,
        "site_source": site.source,
        "located": True,
    }


# --- reading checked CSV files ----------------------------------------------------------------


@dataclass
class _Table:
    """Rows of one CSV file with the line each row starts on."""

    path: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def _decode_utf8(raw: bytes, path: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.end]
        raise CatalogError(
            [
                CatalogProblem(
                    path,
                    line,
                    "*",
                    bad.decode("latin-1"),
                    "UTF-8 text; save the file as UTF-8 (CSV UTF-8 in spreadsheet programs)",
                )
            ],
            summary=f"{path} is not UTF-8 text",
        ) from None


def _read_table(path: str | os.PathLike[str], *, required: Sequence[str]) -> _Table:
    """Read a UTF-8 CSV file strictly; raise one CatalogError for structural problems."""
    p = Path(path)
    name = str(p)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise CatalogError(
            [CatalogProblem(name, 0, "*", name, f"a readable file ({exc.strerror or exc})")],
            summary=f"cannot read {name}",
        ) from None
    text = _decode_utf8(raw, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[CatalogProblem] = []
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise CatalogError(
            [
                CatalogProblem(
                    name, 1, "*", "", "a header line naming the columns " + ", ".join(required)
                )
            ],
            summary=f"{name} is empty",
        ) from None
    except csv.Error as exc:
        raise CatalogError(
            [CatalogProblem(name, 1, "*", "", f"a valid CSV header line ({exc})")],
            summary=f"{name} is not valid CSV",
        ) from None
    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.append(CatalogProblem(name, 1, col, col, "each column name once"))
        seen.add(col)
    for col in required:
        if col not in seen:
            problems.append(
                CatalogProblem(
                    name, 1, col, "", "a column named " + repr(col) + " in the header line"
                )
            )
    rows: list[tuple[int, dict[str, str]]] = []
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(CatalogProblem(name, start, "*", "", f"valid CSV ({exc})"))
            break
        if not fields or all(not f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            problems.append(
                CatalogProblem(
                    name,
                    start,
                    "*",
                    ",".join(fields),
                    f"{len(header)} comma-separated fields like the header (found {len(fields)}); "
                    "quote values that contain commas",
                )
            )
            continue
        rows.append((start, {h: f.strip() for h, f in zip(header, fields, strict=True)}))
    if problems:
        raise CatalogError(problems, summary=f"{len(problems)} problem(s) in {name}")
    return _Table(name, header, rows)


def _positive_number(value: str) -> float | None:
    """Parse a positive finite number, or return None."""
    try:
        x = float(value)
    except ValueError:
        return None
    if not math.isfinite(x) or x <= 0:
        return None
    return x


_NUMBER_HINT = "a positive number of kilometres without units or thousands separators, e.g. 1500"

_DATE_RULES: dict[str, tuple[re.Pattern[str], str]] = {
    "day": (re.compile(r"\d{4}-\d{2}-\d{2}"), "a date YYYY-MM-DD"),
    "month": (re.compile(r"\d{4}-\d{2}"), "a month YYYY-MM"),
    "year": (re.compile(r"\d{4}"), "a year YYYY"),
    "year-uncertain": (
        re.compile(r"--\d{2}(-\d{2})?"),
        "a month and day --MM-DD, or a month --MM (year unknown)",
    ),
    "unknown": (re.compile(r""), "an empty date"),
}


def _date_ok(value: str, precision: str) -> bool:
    pattern, _ = _DATE_RULES[precision]
    if not pattern.fullmatch(value):
        return False
    try:
        if precision == "day":
            dt.date.fromisoformat(value)
        elif precision == "month":
            dt.date.fromisoformat(value + "-01")
        elif precision == "year-uncertain":
            # 2000 is a leap year, so --02-29 is valid
            dt.date.fromisoformat("2000" + value[1:] + ("-01" if len(value) == 4 else ""))
    except ValueError:
        return False
    return True


# --- events ---------------------------------------------------------------------------------


def _check_event_cells(table: _Table) -> list[CatalogProblem]:
    problems: list[CatalogProblem] = []
    first_line: dict[str, int] = {}
    for line, row in table.rows:

        def bad(column: str, expected: str, *, line: int = line, row: dict[str, str] = row) -> None:
            problems.append(CatalogProblem(table.path, line, column, row[column], expected))

        cid = row["claim_id"]
        if not cid:
            bad("claim_id", "a non-empty claim id, unique in the file")
        elif cid in first_line:
            bad("claim_id", f"a claim id not already used (it is used on line {first_line[cid]})")
        else:
            first_line[cid] = line
        if not row["event_id"]:
            bad("event_id", "a non-empty event id (claims about one launch share it)")
        precision = row["date_precision"]
        if precision not in DATE_PRECISIONS:
            bad("date_precision", "one of " + ", ".join(DATE_PRECISIONS))
        elif not _date_ok(row["date"], precision):
            bad(
                "date",
                f"{_DATE_RULES[precision][1]}, as date_precision is {precision!r} "
                "(or change date_precision)",
            )
        rng = row["range_km"]
        if rng and _positive_number(rng) is None:
            bad("range_km", _NUMBER_HINT + ", or empty when no range was reported")
        kind = row["range_kind"]
        if kind and kind not in RANGE_KINDS:
            bad("range_kind", "one of " + ", ".join(RANGE_KINDS))
        elif not kind and rng:
            bad("range_kind", "what the range is, one of " + ", ".join(RANGE_KINDS))
        for col in ("claimant", "source"):
            if not row[col]:
                bad(col, f"a non-empty {col} (who made the claim / which report carries it)")
    return problems


def _geocode_sites(
    table: _Table, *, sites: str | os.PathLike[str] | None
) -> tuple[dict[str, Site], list[CatalogProblem]]:
    texts = sorted({row["site"] for _, row in table.rows if row["site"]})
    if not texts:
        return {}, []
    from geo.gazetteer import Gazetteer

    gazetteer = Gazetteer.load(sites)
    found: dict[str, Site] = {}
    failed: dict[str, str] = {}
    for text in texts:
        try:
            found[text] = gazetteer.geocode(text)
        except GeorangeError as exc:
            failed[text] = str(exc)
    problems = [
        CatalogProblem(table.path, line, "site", row["site"], failed[row["site"]])
        for line, row in table.rows
        if row["site"] in failed
    ]
    return found, problems


def load_catalog(
    path: str | os.PathLike[str] | None = None,
    *,
    sites: str | os.PathLike[str] | None = None,
) -> gpd.GeoDataFrame:
    """Load, check and geocode a catalog of range claims.

    Parameters
    ----------
    path
        An events CSV file (UTF-8; see the module documentation for its
        columns); the bundled ``data/events.csv`` when omitted.
    sites
        A user sites CSV merged over the bundled gazetteer (see
        :func:`geo.geocode`).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per claim, in file order, CRS EPSG:4326: the file's columns
        (``range_km`` as float, NaN when empty) plus ``site_name``, ``site_id``,
        ``lat``, ``lon``, ``precision_km``, ``site_match``, ``site_source``,
        ``located`` (bool) and ``geometry`` (the site as a Point, or None).
        Claims without a site are kept with ``located=False`` and NaN
        coordinates; they are never placed at a default point.

    Raises
    ------
    geo.errors.CatalogError
        Listing every bad cell at once (bad dates, negative or non-numeric
        ranges, unknown kinds, sites the gazetteer cannot resolve, duplicate
        claim ids, missing columns).

    Examples
    --------
    >>> cat = load_catalog()
    >>> len(cat), int(cat["located"].sum())
    (12, 3)
    >>> row = cat.set_index("claim_id").loc["r2-0202-range"]
    >>> row["site"], row["site_id"], float(row["range_km"]), row["range_kind"]
    ('Kim Chaek', 'kimchaek', 150.0, 'flown')
    """
    p = Path(path) if path is not None else data_path("events.csv")
    table = _read_table(p, required=EVENT_COLUMNS)
    problems = _check_event_cells(table)
    found, site_problems = _geocode_sites(table, sites=sites)
    problems += site_problems
    if problems:
        problems.sort(
            key=lambda q: (q.line, table.header.index(q.column) if q.column in table.header else -1)
        )
        raise CatalogError(problems, summary=f"{len(problems)} problem(s) in {table.path}")

    extra = [c for c in table.header if c not in EVENT_COLUMNS and c not in OPTIONAL_EVENT_COLUMNS]
    if extra:
        log.debug("%s: keeping extra columns %s", table.path, extra)
    records: list[dict[str, Any]] = []
    geometry: list[Point | None] = []
    for _, row in table.rows:
        rec: dict[str, Any] = {c: row[c] for c in EVENT_COLUMNS}
        rec["range_km"] = float(row["range_km"]) if row["range_km"] else math.nan
        rec.update({c: row[c] for c in extra})
        site = found.get(row["site"]) if row["site"] else None
        given_name = row.get("site_name", "")
        rec.update(site_columns(site, name=given_name or None))
        geometry.append(None if site is None else Point(site.lon, site.lat))
        records.append(rec)
    columns = [*EVENT_COLUMNS, *extra, *SITE_COLUMNS, "located"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame["located"] = frame["located"].astype(bool)
    for col in ("range_km", "lat", "lon", "precision_km"):
        frame[col] = frame[col].astype(float)
    log.info(
        "%s: %d claims, %d located, %d with a range",
        table.path,
        len(frame),
        int(frame["located"].sum()),
        int(frame["range_km"].notna().sum()),
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"))


def write_events(events: pd.DataFrame, path: str | os.PathLike[str] | TextIO) -> None:
    """Write claims to an events CSV file (UTF-8, LF line ends) that :func:`load_catalog` reads.

    The columns :data:`EVENT_COLUMNS` come first, then ``site_name`` when
    present, then any other column of *events* that is not one of the columns
    :func:`load_catalog` adds (coordinates, ``located``, geometry).  Numbers are
    written as the shortest text that reads back exactly (``1380``, ``2111.5``).

    Parameters
    ----------
    events
        A frame with at least the :data:`EVENT_COLUMNS` (``range_km`` may be
        numeric, NaN for none).
    path
        The file to write, or an open text file (e.g. ``sys.stdout``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> cat = load_catalog()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = pathlib.Path(tmp) / "events.csv"
    ...     write_events(cat, out)
    ...     again = load_catalog(out)
    >>> again["claim_id"].tolist() == cat["claim_id"].tolist()
    True
    """
    missing = [c for c in EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise ValueError(f"write_events: the frame lacks the columns {missing}; see EVENT_COLUMNS")
    added = {*SITE_COLUMNS, "located", "geometry"}
    geometry_name = getattr(events, "_geometry_column_name", None)
    if geometry_name:
        added.add(geometry_name)
    columns = list(EVENT_COLUMNS)
    if "site_name" in events.columns and events["site_name"].notna().any():
        columns.append("site_name")
    columns += [c for c in events.columns if c not in columns and c not in added]
    if hasattr(path, "write"):
        _write_rows(path, events, columns)
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        _write_rows(fh, events, columns)


def _write_rows(fh: Any, events: pd.DataFrame, columns: list[str]) -> None:
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(columns)
    for rec in events[columns].itertuples(index=False, name=None):
        writer.writerow([_cell_text(col, v) for col, v in zip(columns, rec, strict=True)])


def _cell_text(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return _degrees(value)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, np.floating):
        return _cell_text(column, float(value))
    return str(value)


# --- missiles and targets -------------------------------------------------------------------


def load_missiles(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Load and check a missiles file (published range estimates per missile).

    Parameters
    ----------
    path
        A missiles CSV (columns :data:`MISSILE_COLUMNS`); the bundled
        ``data/missiles.csv`` when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per missile: ``name``, ``aliases`` (a tuple of strings),
        ``class``, ``range_min_km`` and ``range_max_km`` (floats), ``source``,
        ``note``.

    Raises
    ------
    geo.errors.CatalogError
        Listing every bad cell (unknown class, non-positive or non-numeric
        ranges, min above max, duplicate names or aliases, empty source).

    Examples
    --------
    >>> missiles = load_missiles()
    >>> row = missiles.set_index("name").loc["Hwasong-15"]
    >>> row["class"], float(row["range_max_km"]), row["aliases"]
    ('ICBM', 13000.0, ('KN-22',))
    """
    p = Path(path) if path is not None else data_path("missiles.csv")
    table = _read_table(p, required=MISSILE_COLUMNS)
    problems: list[CatalogProblem] = []
    names: dict[str, int] = {}
    records: list[dict[str, Any]] = []
    for line, row in table.rows:

        def bad(column: str, expected: str, *, line: int = line, row: dict[str, str] = row) -> None:
            problems.append(CatalogProblem(table.path, line, column, row[column], expected))

        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
        if not row["name"]:
            bad("name", "a non-empty missile name")
        for col, text in [("name", row["name"]), *(("aliases", a) for a in aliases)]:
            if not text:
                continue
            key = text.casefold()
            if key in names:
                problems.append(
                    CatalogProblem(
                        table.path,
                        line,
                        col,
                        text,
                        f"a name or alias not already used (it is used on line {names[key]})",
                    )
                )
            else:
                names[key] = line
        parts = row["class"].split("/")
        if not row["class"] or any(part not in MISSILE_CLASSES for part in parts):
            bad("class", "one of " + ", ".join(MISSILE_CLASSES) + " (several joined with '/')")
        lo = _positive_number(row["range_min_km"])
        hi = _positive_number(row["range_max_km"])
        if lo is None:
            bad("range_min_km", _NUMBER_HINT)
        if hi is None:
            bad("range_max_km", _NUMBER_HINT)
        if lo is not None and hi is not None and lo > hi:
            bad("range_max_km", f"a number not below range_min_km ({row['range_min_km']})")
        if not row["source"]:
            bad("source", "a non-empty source of the range estimate")
        records.append(
            {
                "name": row["name"],
                "aliases": aliases,
                "class": row["class"],
                "range_min_km": lo,
                "range_max_km": hi,
                "source": row["source"],
                "note": row["note"],
            }
        )
    if problems:
        raise CatalogError(problems, summary=f"{len(problems)} problem(s) in {table.path}")
    frame = pd.DataFrame.from_records(records, columns=list(MISSILE_COLUMNS))
    for col in ("range_min_km", "range_max_km"):
        frame[col] = frame[col].astype(float)
    return frame


def load_targets(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Load and check a targets file (places a footprint may reach).

    Parameters
    ----------
    path
        A targets CSV (columns :data:`TARGET_COLUMNS`); the bundled
        ``data/targets.csv`` when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per target: ``id``, ``name``, ``lat``, ``lon`` (floats),
        ``kind``, ``country``.

    Raises
    ------
    geo.errors.CatalogError
        Listing every bad cell (duplicate ids, coordinates out of range or not
        numbers, unknown kind, a country that is not a two-letter code).

    Examples
    --------
    >>> targets = load_targets()
    >>> guam = targets.set_index("id").loc["andersen-afb"]
    >>> guam["kind"], guam["country"], float(guam["lat"])
    ('us base', 'GU', 13.584)
    """
    p = Path(path) if path is not None else data_path("targets.csv")
    table = _read_table(p, required=TARGET_COLUMNS)
    problems: list[CatalogProblem] = []
    ids: dict[str, int] = {}
    records: list[dict[str, Any]] = []
    for line, row in table.rows:

        def bad(column: str, expected: str, *, line: int = line, row: dict[str, str] = row) -> None:
            problems.append(CatalogProblem(table.path, line, column, row[column], expected))

        tid = row["id"]
        if not tid:
            bad("id", "a non-empty target id, unique in the file")
        elif tid in ids:
            bad("id", f"an id not already used (it is used on line {ids[tid]})")
        else:
            ids[tid] = line
        if not row["name"]:
            bad("name", "a non-empty name")
        coords: dict[str, float] = {}
        for col, limit in (("lat", 90.0), ("lon", 180.0)):
            try:
                x = float(row[col])
            except ValueError:
                x = math.nan
            if not (math.isfinite(x) and -limit <= x <= limit):
                bad(col, f"a number of decimal degrees between -{limit:g} and {limit:g}")
            coords[col] = x
        if row["kind"] not in TARGET_KINDS:
            bad("kind", "one of " + ", ".join(TARGET_KINDS))
        if not re.fullmatch(r"[A-Z]{2}", row["country"]):
            bad("country", "an ISO 3166 alpha-2 country code such as KR, JP or US")
        records.append({**row, **coords})
    if problems:
        raise CatalogError(problems, summary=f"{len(problems)} problem(s) in {table.path}")
    frame = pd.DataFrame.from_records(records, columns=list(TARGET_COLUMNS))
    for col in ("lat", "lon"):
        frame[col] = frame[col].astype(float)
    return frame


# --- footprints -------------------------------------------------------------------------------


def _empty_footprints(columns: Iterable[str]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame["tolerance_m"] = pd.Series(dtype=float)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs="EPSG:4326"))


def claim_footprints(
    catalog: pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    tolerance_m: float | None = None,
) -> gpd.GeoDataFrame:
    """One footprint per located claim that has a range, with all provenance columns.

    Parameters
    ----------
    catalog
        A frame from :func:`load_catalog`, or the path of an events file to load;
        the bundled catalog when omitted.
    tolerance_m
        Largest distance between the drawn and the true boundary (the engine's
        default when omitted).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per located claim with a range (in catalog order, index reset),
        all catalog columns (the site point moves out of ``geometry``; ``lat``
        and ``lon`` keep it) plus ``geometry`` (the footprint, EPSG:4326) and
        ``tolerance_m``, computed by one batch call of :func:`geo.footprints`.

    Examples
    --------
    >>> fp = claim_footprints()
    >>> fp["claim_id"].tolist()
    ['r2-0202-range', 'r4-assumed-range']
    >>> fp[["range_km", "range_kind", "claimant"]].values.tolist()[1]
    [1500.0, 'assumption', 'georange (assumption)']
    """
    from geo.footprint import footprints

    frame: pd.DataFrame = catalog if isinstance(catalog, pd.DataFrame) else load_catalog(catalog)
    missing = [c for c in ("located", "lat", "lon", "range_km") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"claim_footprints needs a catalog from load_catalog; the frame lacks {missing}"
        )
    mask = frame["located"].astype(bool) & frame["range_km"].notna()
    geometry_name = getattr(frame, "_geometry_column_name", None)
    plain = pd.DataFrame(frame.loc[mask])
    if geometry_name and geometry_name in plain.columns:
        plain = plain.drop(columns=[geometry_name])
    plain = plain.reset_index(drop=True)
    if plain.empty:
        return _empty_footprints(plain.columns)
    return footprints(plain, lat="lat", lon="lon", range_km="range_km", tolerance_m=tolerance_m)


def _resolve_site(site: Any, *, sites: str | os.PathLike[str] | None) -> dict[str, Any]:
    if isinstance(site, str):
        from geo.gazetteer import geocode

        site = geocode(site, sites=sites)
    if hasattr(site, "lat") and hasattr(site, "lon"):
        return {
            "site_name": getattr(site, "name", None),
            "site_id": getattr(site, "id", None),
            "lat": float(site.lat),
            "lon": float(site.lon),
            "precision_km": float(getattr(site, "precision_km", math.nan)),
        }
    if isinstance(site, Sequence) and len(site) == 2:
        lat, lon = (float(v) for v in site)
        return {
            "site_name": f"{lat:.6g}, {lon:.6g}",
            "site_id": None,
            "lat": lat,
            "lon": lon,
            "precision_km": 0.0,
        }
    raise TypeError(f"site must be a name, a geo.gazetteer.Site or a (lat, lon) pair, not {site!r}")


def class_footprints(
    site: Any,
    missiles: pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    by: str = "class",
    sites: str | os.PathLike[str] | None = None,
    tolerance_m: float | None = None,
) -> gpd.GeoDataFrame:
    """What could reach from here: one footprint per missile class (or per missile) from a site.

    Parameters
    ----------
    site
        A place name (geocoded with :func:`geo.geocode`), a
        :class:`geo.gazetteer.Site`, or a ``(lat, lon)`` pair.
    missiles
        A frame from :func:`load_missiles` or the path of a missiles file; the
        bundled ``data/missiles.csv`` when omitted.
    by
        ``"class"`` (default): one footprint per class at the longest published
        maximum-range estimate of the missiles of that class; ``"missile"``: one
        per missile at its ``range_max_km``.
    sites
        A user sites file for geocoding *site*.
    tolerance_m
        Passed to the footprint engine.

    Returns
    -------
    geopandas.GeoDataFrame
        Longest range first: ``site_name``, ``site_id``, ``lat``, ``lon``,
        ``precision_km``, ``class``, ``missiles`` (names, ``|``-separated; with
        ``by="missile"`` also ``name``), ``range_km``, ``range_kind``
        (``class-estimate``), ``source``, ``note``, ``geometry``, ``tolerance_m``.

    Examples
    --------
    >>> fp = class_footprints((40.0368, 128.1839))
    >>> fp[["class", "range_km"]].values.tolist()[:2]
    [['ICBM', 15000.0], ['IRBM', 4500.0]]
    """
    from geo.footprint import footprints

    if by not in ("class", "missile"):
        raise ValueError(f"by must be 'class' or 'missile', not {by!r}")
    table = missiles if isinstance(missiles, pd.DataFrame) else load_missiles(missiles)
    where = _resolve_site(site, sites=sites)
    rows: list[dict[str, Any]] = []
    if by == "missile":
        for d in table.to_dict("records"):
            rows.append(
                {
                    **where,
                    "name": d["name"],
                    "class": d["class"],
                    "missiles": d["name"],
                    "range_km": float(d["range_max_km"]),
                    "range_kind": "class-estimate",
                    "source": d["source"],
                    "note": f"published estimate of the maximum range of {d['name']}",
                }
            )
    else:
        for cls, group in table.groupby("class", sort=False):
            longest = group.loc[group["range_max_km"].idxmax()]
            sources = list(dict.fromkeys(str(s) for s in group["source"]))
            rows.append(
                {
                    **where,
                    "class": cls,
                    "missiles": "|".join(str(n) for n in group["name"]),
                    "range_km": float(longest["range_max_km"]),
                    "range_kind": "class-estimate",
                    "source": "; ".join(sources),
                    "note": f"longest published maximum-range estimate in the class "
                    f"({longest['name']})",
                }
            )
    frame = pd.DataFrame(rows)
    frame = frame.sort_values("range_km", ascending=False, kind="stable").reset_index(drop=True)
    return footprints(frame, lat="lat", lon="lon", range_km="range_km", tolerance_m=tolerance_m)


# --- the CNS North Korea Missile Test Database ---------------------------------------------------

_CNS_REQUIRED = {
    "date": "Date",
    "missile name": "Missile Name",
    "facility name": "Facility Name",
    "facility latitude": "Facility Latitude",
    "facility longitude": "Facility Longitude",
    "distance travelled": "Distance Travelled",
}
_CNS_OPTIONAL = {
    "f1": "F1",
    "missile type": "Missile Type",
    "facility location": "Facility Location",
    "apogee": "Apogee",
    "landing location": "Landing Location",
    "confirmation status": "Confirmation Status",
    "test outcome": "Test Outcome",
    "source(s)": "Source(s)",
}
_MISSING_WORDS = {"", "unknown", "n/a", "na", "none", "-", "--", "?", "not available"}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
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
            day = dt.date(_year(m[3]), _MONTHS[m[2].lower()], int(m[1]))
            return day.isoformat(), "day"
        if m := re.fullmatch(r"([A-Za-z]{3})[a-z]*[- ](\d{2}|\d{4})", text):
            return f"{_year(m[2]):04d}-{_MONTHS[m[1].lower()]:02d}", "month"
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

    def summary(self) -> str:
        """A few lines for stderr that account for every row.

        Examples
        --------
        >>> import pandas as pd
        >>> r = CnsImport(pd.DataFrame(), "x.csv", 3, 1, 1, 1, 0, 0, ("line 4: distance 'x'",))
        >>> print(r.summary())
        x.csv: 3 CNS rows -> 3 claims, none dropped:
          1 located with a distance
          1 located without a usable distance
          1 unlocated (no usable facility coordinates; 0 of them with a distance)
          unreadable cell kept as missing: line 4: distance 'x'
        """
        lines = [
            f"{self.path}: {self.total} CNS rows -> {self.total} claims, none dropped:",
            f"  {self.located} located with a distance",
            f"  {self.rangeless} located without a usable distance",
            f"  {self.unlocated} unlocated (no usable facility coordinates; "
            f"{self.unlocated_with_range} of them with a distance)",
        ]
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
    lines: list[tuple[int, list[str]]] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            lines.append((start, fields))
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

    Each row is one missile launched and becomes one claim: ``range_kind``
    ``flown``, ``claimant`` ``CNS``, ``source`` the database and file,
    ``claim_id`` ``<id_prefix>-<F1>`` (the CNS row number; the data row
    number when F1 is missing or repeated), ``event_id``
    ``<id_prefix>-<date>``.  Dates like ``9-Apr-84`` have day precision,
    ``Sep-84`` month precision (two-digit years: 69-99 → 1969-1999, 00-68 →
    2000-2068).  Distances like ``1,380 km`` become ``range_km``; ``Unknown``,
    ``N/A``, empty, ``0 km`` or text that is not one number of km (``between
    110 and 670 km``, ``330 lm``) leave the claim range-less, with the text in
    ``note``.  A facility with usable latitude and longitude becomes the site:
    ``site`` holds the coordinates as text (``"40.0368, 128.1839"``, read back
    exactly by the gazetteer, no name look-up) and ``site_name`` the facility's
    name.  Without usable coordinates (``Unknown``, empty, unreadable, only one
    of the two) the claim is unlocated: ``site`` is empty.  No row is dropped
    and none is placed at a default point.

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
    from tqdm.auto import tqdm

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
    issues: list[str] = []
    located = unlocated = rangeless = unlocated_with_range = 0
    for n, r in enumerate(tqdm(data, desc=f"CNS {p.name}", unit="row", disable=None), 1):
        v = r.values
        where = f"line {r.line}" if not is_xlsx else f"row {r.line}"
        if f1[n - 1] is not None:
            where += f" (F1 {f1[n - 1]})"
        notes: list[str] = []
        ident = f1[n - 1] if use_f1 else n
        if f1[n - 1] is not None:
            notes.append(f"CNS F1 {f1[n - 1]}")

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

        lat, why_lat = _parse_cns_coordinate(v["facility latitude"], limit=90.0)
        lon, why_lon = _parse_cns_coordinate(v["facility longitude"], limit=180.0)
        facility = _text(v["facility name"])
        for label, why_c in (("latitude", why_lat), ("longitude", why_lon)):
            if why_c:
                issues.append(f"{where}: facility {label} {why_c}")
                notes.append(f"facility {label} {why_c}")
        if lat is not None and lon is not None:
            site = f"{_degrees(lat)}, {_degrees(lon)}"
            if r.coordinate_formula:
                notes.append("coordinates from the workbook's Facilities table")
            if km is None:
                rangeless += 1
            else:
                located += 1
        else:
            site = ""
            if (lat is None) != (lon is None):
                notes.append("only one of the facility coordinates given: unlocated")
                issues.append(f"{where}: only one facility coordinate")
            elif r.coordinate_formula:
                notes.append("coordinate formula without a cached value and no Facilities entry")
                issues.append(f"{where}: coordinate formula not resolved")
            else:
                notes.append("no facility coordinates in the source: unlocated")
            unlocated += 1
            if km is not None:
                unlocated_with_range += 1

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
        records.append(
            {
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
        )
    for issue in issues:
        log.info("%s: %s kept as missing", p.name, issue)
    events = pd.DataFrame.from_records(records, columns=[*EVENT_COLUMNS, "site_name"])
    events["range_km"] = events["range_km"].astype(float)
    return CnsImport(
        events=events,
        path=str(p),
        total=len(data),
        located=located,
        unlocated=unlocated,
        rangeless=rangeless,
        unlocated_with_range=unlocated_with_range,
        blank_rows=blank,
        issues=tuple(issues),
    )


def _degrees(x: float) -> str:
    """Shortest text that reads back as exactly *x*, never in exponent form."""
    return np.format_float_positional(x, unique=True, trim="-")
