"""Reading a catalog CSV file strictly: UTF-8, one header line, every row as wide as it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import CatalogError, CatalogProblem

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence


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
