"""Table output: sites as aligned text, CSV, JSON (what the CLI prints) or HTML (Jupyter)."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from geo.gazetteer._site import Site

#: Columns of ``georange geocode`` and of ``georange sites``.
GEOCODE_COLUMNS = ("text", "name", "lat", "lon", "precision_km", "match", "source")
SITES_COLUMNS = ("id", "name", "aliases", "lat", "lon", "kind", "precision_km", "sources")
TABLE_FORMATS = ("table", "csv", "json")


def _cell(site: Site, column: str) -> Any:
    values: dict[str, Any] = {
        "text": site.query,
        "sources": site.source,
        "aliases": list(site.aliases),
        **{k: v for k, v in site.as_record().items() if k != "aliases"},
    }
    return values[column]


def format_sites(
    sites: Iterable[Site], *, columns: Sequence[str] = GEOCODE_COLUMNS, fmt: str = "table"
) -> str:
    """Render sites as an aligned text table, CSV or JSON (what the CLI prints).

    Parameters
    ----------
    sites
        The rows.
    columns
        Any of ``text, id, name, aliases, lat, lon, precision_km, kind, match,
        source, sources, query, note``.
    fmt
        ``"table"`` (lat/lon to 4 decimals, precision to 0.1 km), ``"csv"`` or
        ``"json"`` (full precision; aliases as a list).

    Examples
    --------
    >>> from geo.gazetteer import geocode
    >>> print(format_sites([geocode("Shinpo")], columns=("text", "name", "lat", "match")))
    text    name   lat      match
    Shinpo  Sinpo  40.0347  alias
    """
    rows = list(sites)
    if fmt == "json":
        return (
            json.dumps(
                [{c: _cell(s, c) for c in columns} for s in rows], ensure_ascii=False, indent=2
            )
            + "\n"
        )
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(TABLE_FORMATS)}")

    def text(site: Site, column: str) -> str:
        value = _cell(site, column)
        if isinstance(value, list):
            return "|".join(value)
        if value is None:
            return ""
        if isinstance(value, float) and fmt == "table":
            return f"{value:.1f}" if column == "precision_km" else f"{value:.4f}"
        if isinstance(value, float):
            return repr(round(value, 7))
        return str(value)

    table = [[text(s, c) for c in columns] for s in rows]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(table)
        return out.getvalue()
    widths = [max(len(c), *(len(r[i]) for r in table)) for i, c in enumerate(columns)]
    numeric = {"lat", "lon", "precision_km"}
    lines = []
    for cells in [list(columns), *table]:
        parts = [
            cell.rjust(w) if col in numeric and cells is not columns else cell.ljust(w)
            for cell, w, col in zip(cells, widths, columns, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def sites_html(sites: Iterable[Site]) -> str:
    """An HTML table of *sites* in :data:`SITES_COLUMNS` (every cell escaped)."""

    def cell(site: Site, column: str) -> str:
        value = ", ".join(site.aliases) if column == "aliases" else _cell(site, column)
        return f"<td>{html.escape(str(value))}</td>"

    head = "".join(f"<th>{c}</th>" for c in SITES_COLUMNS)
    body = "".join(
        "<tr>" + "".join(cell(site, c) for c in SITES_COLUMNS) + "</tr>" for site in sites
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
