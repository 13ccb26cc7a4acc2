"""``georange extract``: the range claims of a news report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from geo.cli._group import atomic_path, cli, handle_errors
from geo.cli._options import SITES_OPTION
from geo.errors import ExtractionError
from geo.extract import (
    DISTANCE_ROLES,
    explain_distances,
    extract_claims,
    format_claims,
    read_report,
)
from geo.files import check_output_path


def _stdin_text(encoding: str) -> str:
    """Standard input decoded as *encoding*, with an error that names the byte and the fix."""
    raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode(encoding)
    except LookupError:
        raise ExtractionError(
            f"unknown encoding {encoding!r}; give a Python codec name such as utf-8 or cp1252"
        ) from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ExtractionError(
            f"<stdin>:{line}: byte {raw[exc.start]:#04x} is not {encoding}; pipe a text "
            "report saved as UTF-8 or give its encoding (--encoding cp1252)"
        ) from None


@cli.command("extract")
@click.argument("report", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--source", default=None, help="Where the report came from (kept in each claim).")
@click.option(
    "--reported-on",
    default=None,
    metavar="YYYY-MM-DD",
    help="Publication date; resolves 'on Sunday', 'yesterday', 'earlier this month'.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format (csv: an events file for check-catalog and load_catalog, with the "
    "extra fields and the evidence as JSON).",
)
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of REPORT.")
@SITES_OPTION
@click.option(
    "--explain",
    is_flag=True,
    help="Also list on stderr every distance in the report and what it was taken for "
    "(flown, apogee, offset, distance to a place, speculation...).",
)
@click.option(
    "-o", "--output", default="-", show_default=True, help="Write to this file instead of stdout."
)
@handle_errors
def extract_command(
    report: str,
    source: str | None,
    reported_on: str | None,
    fmt: str,
    encoding: str,
    sites: Path | None,
    explain: bool,
    output: str,
) -> None:
    """Extract the range claims of a news report (REPORT.txt, or '-' for stdin).

    Each claim carries the site, range, flight time, apogee, missile, count,
    date, direction and claimant found in the text, each with the exact words
    it came from (see --format json).  Rules only, no network.
    """

    check_output_path(output)
    text = _stdin_text(encoding) if report == "-" else read_report(report, encoding=encoding)
    claims = extract_claims(
        text,
        source=source or (None if report == "-" else Path(report).name),
        reported_on=reported_on,
        sites=sites,
    )
    out = format_claims(claims, fmt=fmt)
    if explain:
        for role, span in explain_distances(text, reported_on=reported_on, sites=sites):
            line = text.count("\n", 0, span.start) + 1
            click.echo(
                f"{line}:{span.start}: {span.text!r}: {role}: {DISTANCE_ROLES[role]}", err=True
            )
    if output == "-":
        click.echo(out, nl=False)
    else:
        with atomic_path(output) as tmp:
            tmp.write_text(out, encoding="utf-8")
