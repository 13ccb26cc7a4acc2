"""The one checked reader of CSV tables: UTF-8, one header line, every row as wide as it.

Every table georange reads from a user goes through :func:`read_table`: the catalog's
events, missiles and targets (:mod:`geo.catalog`), the sites table
(:mod:`geo.gazetteer`) and CSV/TSV point tables (:mod:`geo.reach`).  Every problem of
a file is found in one pass and reported at once, each with its file, line and column,
in one :class:`~geo.errors.CatalogError`.  (The CNS importer reads a foreign format with
its own, looser reader: see :mod:`geo.catalog._cns`.)  It lives outside the packages
because the gazetteer may not import the catalog, which imports the gazetteer.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = path.write_text("name,lat\\nSinpo,40.03\\nHodo\\nWonsan,39.2,x\\n", encoding="utf-8")
>>> read_table(path, required=["name", "lat"], what="sites file")
Traceback (most recent call last):
...
geo.errors.CatalogError: 2 problem(s) in sites file .../t.csv:
  .../t.csv:3: column '-': 'Hodo': 2 comma-separated fields like the header (found 1); ...
  .../t.csv:4: column '-': 'Wonsan,39.2,x': 2 comma-separated fields like the header (found 3); ...
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from geo.errors import CatalogError, CatalogProblem

if TYPE_CHECKING:
    import os
    from collections.abc import Iterator, Sequence


#: The column named by problems of a whole row or of the whole file.
WHOLE_ROW = "-"


@dataclass
class Table:
    """Rows of one CSV file (cells stripped) with the line each row starts on."""

    path: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    text: str


def _decode_utf8(raw: bytes, path: str, *, errors: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if errors == "raise":
            raise  # the caller's funnel (geo.files.reading) names the byte and its line
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.end]
        raise CatalogError(
            [
                CatalogProblem(
                    path,
                    line,
                    WHOLE_ROW,
                    bad.decode("latin-1"),
                    "UTF-8 text; save the file as UTF-8 (CSV UTF-8 in spreadsheet programs)",
                )
            ],
            summary=f"{path} is not UTF-8 text",
        ) from None


def read_table(
    path: str | os.PathLike[str],
    *,
    required: Sequence[str],
    what: str = "",
    delimiter: str = ",",
    row_problems: list[CatalogProblem] | None = None,
    decode_errors: Literal["report", "raise"] = "report",
) -> Table:
    """Read a UTF-8 CSV file strictly; raise one CatalogError listing every structural problem.

    Parameters
    ----------
    path
        The file.
    required
        Columns the header must name.
    what
        What the file is, for messages ("sites file", "targets file").
    delimiter
        ``","`` (CSV) or ``"\\t"`` (TSV).
    row_problems
        Where to put the problems of single rows (a row wider or narrower than the
        header, bad quoting), for a caller that checks the cells of the other rows and
        reports everything at once; by default they are raised here.
    decode_errors
        ``"report"``: a byte that is not UTF-8 is a CatalogError listing its line;
        ``"raise"``: the UnicodeDecodeError goes to the caller, for a caller reading
        inside :func:`geo.files.reading`, which names it in its own words.

    Returns
    -------
    Table
        The header, the non-blank rows with their first line, and the decoded text.

    Examples
    --------
    >>> from geo.resources import data_path
    >>> table = read_table(data_path("sites.csv"), required=["name", "lat", "lon"])
    >>> table.rows[0][0], "precision_km" in table.header
    (2, True)
    """
    p = Path(path)
    name = str(p)
    label = f"{what} {name}" if what else name
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise CatalogError(
            [CatalogProblem(name, 0, WHOLE_ROW, name, f"a readable file ({exc.strerror or exc})")],
            summary=f"{label} cannot be read",
        ) from None
    text = _decode_utf8(raw, name, errors=decode_errors)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise CatalogError(
            [
                CatalogProblem(
                    name,
                    1,
                    WHOLE_ROW,
                    "",
                    "a header line naming the columns " + ", ".join(required),
                )
            ],
            summary=f"{label} is empty",
        ) from None
    except csv.Error as exc:
        raise CatalogError(
            [CatalogProblem(name, 1, WHOLE_ROW, "", f"a valid CSV header line ({exc})")],
            summary=f"{label} is not valid CSV",
        ) from None
    problems = _header_problems(name, header, required)
    if problems:  # no column to check the rows against
        raise CatalogError(problems, summary=f"{len(problems)} problem(s) in {label}")
    problems = row_problems if row_problems is not None else []
    separated, separators = ("comma", "commas") if delimiter == "," else ("tab", "tabs")
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for start, fields in numbered_records(reader):
            if not fields or all(not f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                problems.append(
                    CatalogProblem(
                        name,
                        start,
                        WHOLE_ROW,
                        delimiter.join(fields),
                        f"{len(header)} {separated}-separated fields like the header "
                        f"(found {len(fields)}); quote values that contain {separators}",
                    )
                )
                continue
            rows.append((start, {h: f.strip() for h, f in zip(header, fields, strict=True)}))
    except csv.Error as exc:
        problems.append(CatalogProblem(name, reader.line_num, WHOLE_ROW, "", f"valid CSV ({exc})"))
    if problems and row_problems is None:
        raise CatalogError(problems, summary=f"{len(problems)} problem(s) in {label}")
    return Table(name, header, rows, text)


def numbered_records(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Each record of a :func:`csv.reader` with the line it starts on (``csv.Error`` propagates).

    Examples
    --------
    >>> import csv, io
    >>> list(numbered_records(csv.reader(io.StringIO('a,b\\n"x\\ny",z\\nu,v\\n'))))
    [(1, ['a', 'b']), (2, ['x\\ny', 'z']), (4, ['u', 'v'])]
    """
    while True:
        start = getattr(reader, "line_num", 0) + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        yield start, fields


def _header_problems(name: str, header: list[str], required: Sequence[str]) -> list[CatalogProblem]:
    problems = []
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
    return problems
