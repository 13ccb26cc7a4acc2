"""The sites table: reading ``data/sites.csv`` (or a user's table) into checked Sites.

Every problem of a file is collected, with its line and column, before one
:class:`~geo.errors.CatalogError` lists them all.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from geo.errors import CatalogError, CatalogProblem
from geo.files import reading
from geo.gazetteer._names import _fold_tokens
from geo.gazetteer._site import Site

_REQUIRED_COLUMNS = ("name", "lat", "lon", "precision_km")
_KNOWN_COLUMNS = ("id", "name", "aliases", "lat", "lon", "kind", "precision_km", "sources", "note")

# Numeric columns, their bounds, and what a bad cell should have been.
_NUMBERS = (
    ("lat", -90.0, 90.0, "a latitude in degrees within [-90, 90]"),
    ("lon", -180.0, 180.0, "a longitude in degrees within [-180, 180]"),
    (
        "precision_km",
        0.0,
        20037.5,
        "a number of kilometres > 0 and ≤ 20,037.5 (how far the true site may be from this point)",
    ),
)


def _slug(name: str) -> str:
    return "-".join(_fold_tokens(name)) or "site"


def _read_sites_csv(path: Path, *, bundled: bool) -> list[Site]:
    shown = str(path)
    rows = _Rows(path, bundled=bundled)
    sites: list[Site] = []
    expected = "a sites CSV file saved as UTF-8 (columns name, lat, lon, precision_km)"
    with (
        reading(path, what="sites file", expected=expected, encoding="utf-8"),
        _open(path) as handle,
    ):
        reader = csv.DictReader(handle)
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        _check_header(header, shown)
        for row in reader:
            site = rows.read(row, reader.line_num)
            if site is not None:
                sites.append(site)
    if rows.problems:
        raise CatalogError(
            rows.problems, summary=f"{len(rows.problems)} problem(s) in sites file {shown}"
        )
    return sites


def _open(path: Path) -> IO[str]:
    shown = str(path)
    try:
        return path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise CatalogError(
            [
                CatalogProblem(
                    shown, 0, "-", shown, f"cannot be read ({exc.strerror}); give a CSV file"
                )
            ],
            summary=f"sites file {shown} cannot be read",
        ) from exc


def _check_header(header: list[str], shown: str) -> None:
    missing = [c for c in _REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CatalogError(
            [
                CatalogProblem(
                    shown,
                    1,
                    c,
                    ",".join(header),
                    f"column {c!r} is required (columns: {', '.join(_KNOWN_COLUMNS)})",
                )
                for c in missing
            ],
            summary=f"sites file {shown} lacks required columns",
        )


@dataclass
class _Rows:
    """Reads the rows of one sites file, collecting their problems and the names seen."""

    path: Path
    bundled: bool
    problems: list[CatalogProblem] = field(default_factory=list)
    seen_ids: dict[str, int] = field(default_factory=dict)
    seen_names: dict[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def shown(self) -> str:
        return str(self.path)

    def problem(self, line: int, column: str, value: str, expected: str) -> None:
        self.problems.append(CatalogProblem(self.shown, line, column, value, expected))

    def read(self, row: dict[Any, Any], line: int) -> Site | None:
        """The site of one row, or ``None`` for a blank or bad row (its problems noted)."""
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            return None
        if None in row:
            extra = row[None]
            self.problem(
                line,
                "-",
                ",".join(extra),
                f"{len(extra)} cell(s) more than the header has; quote cells that "
                'contain commas ("a, b")',
            )
            return None

        def cell(column: str) -> str:
            value = row.get(column)
            return value.strip() if isinstance(value, str) else ""

        name = cell("name")
        if not name:
            self.problem(line, "name", "", "a site needs a name")
            return None
        site_id = cell("id") or _slug(name)
        numbers = self.numbers(cell, line)
        self.check_id(site_id, line)
        aliases = tuple(a.strip() for a in cell("aliases").split("|") if a.strip())
        self.check_names(name, aliases, site_id, line)
        if len(numbers) < 3:
            return None
        return Site(
            id=site_id,
            name=name,
            lat=numbers["lat"],
            lon=numbers["lon"],
            precision_km=numbers["precision_km"],
            kind=cell("kind") or "unspecified",
            source=self.source(cell("sources"), line),
            match="name",
            query=name,
            aliases=aliases,
            note=cell("note"),
        )

    def numbers(self, cell: Callable[[str], str], line: int) -> dict[str, float]:
        """The row's valid numeric cells (a problem noted for each bad one)."""
        numbers: dict[str, float] = {}
        for column, low, high, expected in _NUMBERS:
            raw = cell(column)
            try:
                value = float(raw)
            except ValueError:
                value = math.nan
            ok = math.isfinite(value) and low <= value <= high
            if column == "precision_km":
                ok = ok and value > 0
            if not ok:
                self.problem(line, column, raw, expected)
            else:
                numbers[column] = value
        return numbers

    def check_id(self, site_id: str, line: int) -> None:
        if site_id in self.seen_ids:
            self.problem(
                line,
                "id",
                site_id,
                f"duplicate id (first on line {self.seen_ids[site_id]}); ids must be unique",
            )
        self.seen_ids.setdefault(site_id, line)

    def check_names(self, name: str, aliases: tuple[str, ...], site_id: str, line: int) -> None:
        for label in (name, *aliases):
            key = " ".join(label.split()).casefold()
            if key in self.seen_names and self.seen_names[key][1] != site_id:
                first_line, first_id = self.seen_names[key]
                self.problem(
                    line,
                    "aliases" if label != name else "name",
                    label,
                    f"already names site {first_id!r} (line {first_line}); a name or "
                    "alias may belong to one site only",
                )
            self.seen_names.setdefault(key, (line, site_id))

    def source(self, sources: str, line: int) -> str:
        if self.bundled:
            if not sources:
                self.problem(line, "sources", "", "bundled sites need a source")
            return sources
        return f"{self.path.name}:{line}" + (f" ({sources})" if sources else "")
