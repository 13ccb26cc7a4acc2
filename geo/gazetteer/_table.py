"""The sites table: reading ``data/sites.csv`` (or a user's table) into checked Sites.

Every problem of a file is collected, with its line and column, before one
:class:`~geo.errors.CatalogError` lists them all.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import CatalogError, CatalogProblem
from geo.files import reading
from geo.gazetteer._names import _fold_tokens
from geo.gazetteer._site import Site
from geo.tables import read_table
from geo.text import slug

_REQUIRED_COLUMNS = ("name", "lat", "lon", "precision_km")

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


def _read_sites_csv(path: Path, *, bundled: bool) -> list[Site]:
    rows = _Rows(path, bundled=bundled)
    expected = "a sites CSV file saved as UTF-8 (columns name, lat, lon, precision_km)"
    with reading(path, what="sites file", expected=expected, encoding="utf-8"):
        table = read_table(
            path,
            required=_REQUIRED_COLUMNS,
            what="sites file",
            row_problems=rows.problems,
            decode_errors="raise",
        )
    sites = [site for line, row in table.rows if (site := rows.read(row, line)) is not None]
    if rows.problems:
        problems = sorted(rows.problems, key=lambda p: p.line)  # rows and cells, in file order
        raise CatalogError(problems, summary=f"{len(problems)} problem(s) in sites file {path}")
    return sites


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

    def read(self, row: dict[str, str], line: int) -> Site | None:
        """The site of one row (cells stripped), or ``None`` for a bad row (its problems noted)."""

        def cell(column: str) -> str:
            return row.get(column, "")

        name = cell("name")
        if not name:
            self.problem(line, "name", "", "a site needs a name")
            return None
        site_id = cell("id") or slug(
            " ".join(_fold_tokens(name)), letters="unicode", default="site"
        )
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
            country=cell("country").upper(),
            admin1=cell("admin1").upper(),
            namesakes=cell("namesakes"),
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
