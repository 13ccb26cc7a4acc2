"""The ``georange`` command: a thin click layer over the library.

Conventions (after mercantile/rio): a click group; ``-v/-q`` set the log level
on stderr; data goes to ``-o PATH`` (or stdout where noted); errors go to
stderr as one line that names the bad value and the fix, with exit status 1
(2 for usage errors, as click does); files are written atomically so a failed
run leaves no partial output.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from geo import __version__
from geo.errors import GeorangeError

log = logging.getLogger("geo")

F = TypeVar("F", bound=Callable[..., Any])


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside *path*; move it into place only if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def handle_errors(func: F) -> F:
    """Turn a :class:`GeorangeError` into a one-line message on stderr and exit status 1."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GeorangeError as exc:
            click.echo(f"georange: error: {exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="georange")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (repeatable).")
@click.option("-q", "--quiet", count=True, help="Less log output on stderr (repeatable).")
def cli(verbose: int, quiet: int) -> None:
    """georange: true geodesic range footprints of reported missile launches."""
    level = logging.WARNING - 10 * verbose + 10 * quiet
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("georange: %(levelname)s: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(max(logging.DEBUG, min(level, logging.CRITICAL)))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="georange")


# --- commands -----------------------------------------------------------------
# Each command lives in its own section below, grouped by the module it wraps.


# --- catalog (geo/catalog.py) ---------------------------------------------------


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
    from geo.catalog import import_cns, write_events

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
@click.option(
    "--sites",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="User sites CSV merged over the bundled gazetteer.",
)
@handle_errors
def check_catalog_command(events: Path | None, sites: Path | None) -> None:
    """Check an events CSV (the bundled one by default); list every bad cell at once."""
    from geo.catalog import load_catalog

    cat = load_catalog(events, sites=sites)
    located = int(cat["located"].sum())
    ranged = int(cat["range_km"].notna().sum())
    click.echo(
        f"{len(cat)} claims: {located} located, {len(cat) - located} unlocated, "
        f"{ranged} with a range"
    )


# --- gazetteer (geo/gazetteer.py) ----------------------------------------------------


def _echo_or_write(text: str, output: str) -> None:
    """Print *text* to stdout, or write it atomically to *output*."""
    if output == "-":
        click.echo(text if text.endswith("\n") else text + "\n", nl=False)
        return
    with atomic_path(output) as tmp:
        tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


_FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
_SITES_OPTION = click.option(
    "--sites",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="User sites CSV (name,lat,lon,precision_km[,id,aliases,kind,sources,note]) "
    "merged over the bundled table; its rows win.",
)
_OUTPUT_OPTION = click.option(
    "-o", "--output", default="-", show_default=True, help="Write to this file instead of stdout."
)


@cli.command("geocode")
@click.argument("texts", metavar="TEXT...", nargs=-1, required=True)
@_FORMAT_OPTION
@_SITES_OPTION
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
@_OUTPUT_OPTION
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
    known names) goes to stderr.
    """
    from geo.gazetteer import GEOCODE_COLUMNS, Gazetteer, format_sites

    gazetteer = Gazetteer.load(sites)
    found = [gazetteer.geocode(text, region=region, online=online) for text in texts]
    _echo_or_write(format_sites(found, columns=GEOCODE_COLUMNS, fmt=fmt), output)


@cli.command("sites")
@_FORMAT_OPTION
@_SITES_OPTION
@_OUTPUT_OPTION
@handle_errors
def sites_command(fmt: str, sites: Path | None, output: str) -> None:
    """List the gazetteer: the bundled sites table, merged with --sites FILE if given."""
    from geo.gazetteer import SITES_COLUMNS, Gazetteer, format_sites

    gazetteer = Gazetteer.load(sites)
    _echo_or_write(format_sites(gazetteer.sites, columns=SITES_COLUMNS, fmt=fmt), output)
