"""``georange import-cns`` and ``georange check-catalog``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from geo.catalog import import_cns, load_catalog, write_events
from geo.cli._group import atomic_path, cli, handle_errors
from geo.cli._options import SITES_OPTION
from geo.files import check_output_path


@cli.command("import-cns")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Events CSV to write ('-' for stdout).",
)
@click.option("--sheet", default=None, help="Worksheet to read (XLSX; default 'Missile Tests').")
@click.option("--encoding", default=None, help="CSV encoding (default: UTF-8, else cp1252).")
@click.option(
    "--id-prefix", default="cns", show_default=True, help="Prefix of the claim and event ids."
)
@handle_errors
def import_cns_command(
    file: Path, output: str, sheet: str | None, encoding: str | None, id_prefix: str
) -> None:
    """Convert the CNS North Korea Missile Test Database (XLSX or CSV) to an events CSV.

    One claim per missile launched (kind 'flown', claimant CNS); the facility's
    coordinates become the site and its name the site_name. Rows without usable
    coordinates or distance are kept as unlocated or range-less claims; a summary
    that accounts for every row goes to stderr.
    """

    check_output_path(output, what="events file")
    result = import_cns(file, sheet=sheet, encoding=encoding, id_prefix=id_prefix)
    if output == "-":
        write_events(result.events, sys.stdout)
    else:
        with atomic_path(output) as tmp:
            write_events(result.events, tmp)
    click.echo(result.summary(), err=True)


@cli.command("check-catalog")
@click.argument(
    "events", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@SITES_OPTION
@handle_errors
def check_catalog_command(events: Path | None, sites: Path | None) -> None:
    """Check an events CSV (the bundled one by default); list every bad cell at once."""

    cat = load_catalog(events, sites=sites)
    located = int(cat["located"].sum())
    ranged = int(cat["range_km"].notna().sum())
    click.echo(
        f"{len(cat)} claims: {located} located, {len(cat) - located} unlocated, "
        f"{ranged} with a range"
    )
