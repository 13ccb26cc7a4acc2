"""``georange geocode`` and ``georange sites``."""

from __future__ import annotations

from pathlib import Path

import click

from geo.cli._group import cli, handle_errors
from geo.cli._options import FORMAT_OPTION, OUTPUT_OPTION, SITES_OPTION, echo_or_write
from geo.files import check_output_path
from geo.gazetteer import GEOCODE_COLUMNS, SITES_COLUMNS, Gazetteer, format_sites


@cli.command("geocode")
@click.argument("texts", metavar="TEXT...", nargs=-1, required=True)
@FORMAT_OPTION
@SITES_OPTION
@click.option(
    "--online",
    is_flag=True,
    help="Ask Nominatim (OpenStreetMap) when offline look-ups fail; cached, 1 request/s.",
)
@click.option(
    "--region",
    default=None,
    help="Where fallback/online answers are trusted: 'world', 'korea' (default) or "
    "'WEST,SOUTH,EAST,NORTH' in degrees.",
)
@OUTPUT_OPTION
@handle_errors
def geocode_command(
    texts: tuple[str, ...],
    fmt: str,
    sites: Path | None,
    online: bool,
    region: str | None,
    output: str,
) -> None:
    """Resolve place names, offsets ("17 km northeast of Wonsan") or coordinates.

    Prints text, name, lat, lon, precision_km, match and source per TEXT.  If any
    TEXT cannot be resolved, nothing is printed and the error (with the closest
    known names) goes to stderr.  Put -- before texts that start with a minus
    sign: georange geocode -- "-33.5, -70.25".
    """

    check_output_path(output)
    gazetteer = Gazetteer.load(sites)
    found = [gazetteer.geocode(text, region=region, online=online) for text in texts]
    echo_or_write(format_sites(found, columns=GEOCODE_COLUMNS, fmt=fmt), output)


@cli.command("sites")
@FORMAT_OPTION
@SITES_OPTION
@OUTPUT_OPTION
@handle_errors
def sites_command(fmt: str, sites: Path | None, output: str) -> None:
    """List the gazetteer: the bundled sites table, merged with --sites FILE if given."""

    check_output_path(output)
    gazetteer = Gazetteer.load(sites)
    echo_or_write(format_sites(gazetteer.sites, columns=SITES_COLUMNS, fmt=fmt), output)
