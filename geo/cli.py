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
    known names) goes to stderr.  Put -- before texts that start with a minus
    sign: georange geocode -- "-33.5, -70.25".
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


# --- reach (geo/reach.py) -----------------------------------------------------------


def _reach_records(frame: Any) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (NaN -> null, numpy scalars -> Python)."""
    import json

    return list(json.loads(frame.to_json(orient="records", double_precision=15)))


def _reach_text(table: Any, cities: Any, summary: Any, limit: int) -> str:
    lines = [
        f"{summary.site} ({summary.lat:.4f}, {summary.lon:.4f}), range {summary.range_km:,g} km"
        + (f", minimum {summary.min_range_km:,g} km" if summary.min_range_km else "")
    ]
    shown = table.copy()
    label = "name" if "name" in shown.columns else ("id" if "id" in shown.columns else None)
    shown.insert(0, "target", shown[label].astype(str) if label else shown.index.astype(str))
    shown["in range"] = shown["in_range"].map({True: "yes", False: "no"})
    width = int(shown["target"].str.len().max()) if len(shown) else 6
    shown["target"] = shown["target"].str.ljust(width)
    cols = ["target", *[c for c in ("country", "kind") if c in shown.columns]]
    cols += ["distance_km", "bearing_deg", "margin_km", "in range"]
    lines.append(
        shown[cols].to_string(
            index=False,
            justify="left",
            formatters={
                "distance_km": "{:>11,.1f}".format,
                "bearing_deg": "{:>11.1f}".format,
                "margin_km": "{:>9,.1f}".format,
            },
        )
    )
    lines.append(summary.lines()[0])
    if cities is not None:
        lines += ["", *summary.lines()[1:2]]
        if len(cities):
            top = cities.head(limit)[["name", "country", "population", "distance_km"]]
            lines.append(
                top.to_string(
                    index=False,
                    formatters={"population": "{:,}".format, "distance_km": "{:,.1f}".format},
                )
            )
            lines.append("by country: " + ", ".join(
                f"{n} {p:,} ({k:,} cities)" for _, n, k, p in summary.population_by_country
            ))
        lines.append(f"source: {summary.city_source}")
    return "\n".join(line.rstrip() for line in "\n".join(lines).split("\n")) + "\n"


@cli.command("reach")
@click.option("--site", required=True, help="Launch site: a name, an alias, or 'lat, lon'.")
@click.option("--range-km", required=True, type=float, help="Range in kilometres.")
@click.option("--min-range-km", default=0.0, type=float, show_default=True,
              help="Minimum range in kilometres (an annulus).")
@click.option("--targets", default=None, type=click.Path(exists=True, path_type=Path),
              help="Points file: CSV with lat,lon columns, GeoParquet, GeoJSON or GeoPackage "
              "[default: the bundled targets].")
@click.option("--sites", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="User sites CSV merged over the bundled gazetteer.")
@click.option("--cities", is_flag=True,
              help="Also the world cities in range and their population (GeoNames >= 15,000). "
              "With --format csv the rows written are then the cities in range.")
@click.option("--limit", default=10, type=click.IntRange(min=0), show_default=True,
              help="Cities listed in the table format (the counts cover all of them).")
@click.option("--format", "fmt", default="table", type=click.Choice(["table", "csv", "json"]),
              show_default=True, help="Output format.")
@click.option("-o", "--output", default="-", type=click.Path(dir_okay=False, allow_dash=True),
              help="Output file [default: stdout].")
@handle_errors
def reach_command(
    site: str,
    range_km: float,
    min_range_km: float,
    targets: Path | None,
    sites: Path | None,
    cities: bool,
    limit: int,
    fmt: str,
    output: str,
) -> None:
    """List the targets (and cities) within range of a site, with geodesic distances."""
    import json

    from geo.gazetteer import geocode
    from geo.reach import ReachSummary, cities_in_range, reach

    place = geocode(site, sites=sites)
    table = reach(place, range_km, targets=targets, min_range_km=min_range_km)
    table = table.sort_values("distance_km", kind="stable")
    found = cities_in_range(place, range_km, min_range_km=min_range_km) if cities else None
    summary = ReachSummary.from_tables(place, range_km, table, cities=found,
                                       min_range_km=min_range_km)
    if fmt == "table":
        text = _reach_text(table, found, summary, limit)
    elif fmt == "csv":
        text = (found if found is not None else table).to_csv(index=False, lineterminator="\n")
    else:
        doc: dict[str, Any] = {"summary": summary.as_dict(), "targets": _reach_records(table)}
        if found is not None:
            doc["cities"] = _reach_records(found)
        text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if output == "-":
        click.echo(text, nl=False)
    else:
        with atomic_path(output) as tmp:
            tmp.write_text(text, encoding="utf-8")


# --- extract (geo/extract.py) ---------------------------------------------------------


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
    help="Output format (csv: the catalog columns, extra fields, evidence as JSON).",
)
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of REPORT.")
@click.option(
    "--sites",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="User sites CSV merged over the bundled gazetteer.",
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
    output: str,
) -> None:
    """Extract the range claims of a news report (REPORT.txt, or '-' for stdin).

    Each claim carries the site, range, flight time, apogee, missile, count,
    date, direction and claimant found in the text, each with the exact words
    it came from (see --format json).  Rules only, no network.
    """
    from geo.extract import extract_claims, format_claims, read_report

    text = sys.stdin.read() if report == "-" else read_report(report, encoding=encoding)
    claims = extract_claims(
        text, source=source or (None if report == "-" else Path(report).name),
        reported_on=reported_on, sites=sites,
    )
    out = format_claims(claims, fmt=fmt)
    if output == "-":
        click.echo(out, nl=False)
    else:
        with atomic_path(output) as tmp:
            tmp.write_text(out, encoding="utf-8")
