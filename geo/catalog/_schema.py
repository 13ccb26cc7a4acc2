"""The catalog's schema: the columns of its files, their allowed values, and cell checks."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.errors import CatalogProblem
from geo.footprint._spec import MAX_RANGE_KM
from geo.tables import Table

if TYPE_CHECKING:
    from geo.gazetteer import Site


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

RANGE_KINDS: tuple[str, ...] = (
    "flown",
    "claimed",
    "class-estimate",
    "assumption",
    "standard-trajectory",
)
"""Allowed values of ``range_kind``: a flown distance, a claimed maximum, a class
estimate, an assumption made to draw a launch that came without a range, or a
standard-trajectory estimate derived by georange from a lofted test's reported apogee
and distance (claimant ``georange``; never reported, always marked as derived)."""

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


def _positive_number(value: str) -> float | None:
    """Parse a range in km: finite, > 0 and at most the engine's longest range; else None."""
    try:
        x = float(value)
    except ValueError:
        return None
    if not math.isfinite(x) or x <= 0 or x > MAX_RANGE_KM:
        return None
    return x


_NUMBER_HINT = (
    f"a number of kilometres > 0 and ≤ {MAX_RANGE_KM:,.2f} (the antipodal distance plus 1 %), "
    "without units or thousands separators, e.g. 1500"
)

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


# --- checking the cells of a row -------------------------------------------------------------


@dataclass(frozen=True)
class _RowCheck:
    """Records the problems of one row of a checked file into a shared list."""

    path: str
    line: int
    row: Mapping[str, str]
    problems: list[CatalogProblem]

    def bad(self, column: str, expected: str, *, value: str | None = None) -> None:
        """Record that *column* (or the given *value* in it) is not what is *expected*."""
        cell = self.row[column] if value is None else value
        self.problems.append(CatalogProblem(self.path, self.line, column, cell, expected))

    def unique(self, column: str, first_line: dict[str, int], *, empty: str, used: str) -> None:
        """Check that *column* is non-empty (else *empty*) and not seen on an earlier line
        (else *used*, with that line); remember the line of a new value in *first_line*."""
        value = self.row[column]
        if not value:
            self.bad(column, empty)
        elif value in first_line:
            self.bad(column, f"{used} (it is used on line {first_line[value]})")
        else:
            first_line[value] = self.line


def _rows_with_unique(
    table: Table, problems: list[CatalogProblem], column: str, *, empty: str, used: str
) -> Iterator[_RowCheck]:
    """A check of each row of *table*, its *column* already checked non-empty and unique."""
    first_line: dict[str, int] = {}
    for line, row in table.rows:
        check = _RowCheck(table.path, line, row, problems)
        check.unique(column, first_line, empty=empty, used=used)
        yield check


# --- events ---------------------------------------------------------------------------------


def _check_event_cells(table: Table) -> list[CatalogProblem]:
    problems: list[CatalogProblem] = []
    for check in _rows_with_unique(
        table,
        problems,
        "claim_id",
        empty="a non-empty claim id, unique in the file",
        used="a claim id not already used",
    ):
        row, bad = check.row, check.bad
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


def _degrees(x: float) -> str:
    """Shortest text that reads back as exactly *x*, never in exponent form."""
    return np.format_float_positional(x, unique=True, trim="-")
