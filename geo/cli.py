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
    # mkstemp creates the file 0600; give the output the permissions a plain open() would
    umask = os.umask(0)
    os.umask(umask)
    tmp_path.chmod(0o666 & ~umask)
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


def _parse_bearing(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """'START:END' in degrees clockwise from north -> (start, end)."""
    if value is None:
        return None
    parts = value.split(":")
    try:
        start, end = (float(p) for p in parts)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not START:END in degrees clockwise from north, e.g. 30:120"
        ) from None
    return (start, end)


_BEARING_OPTION = click.option(
    "--bearing",
    default=None,
    callback=_parse_bearing,
    metavar="START:END",
    help="A sector: initial azimuths from START clockwise to END, degrees from north "
    "(e.g. 45:135).",
)


_TOLERANCE_OPTION = click.option(
    "--tolerance-m",
    default=None,
    type=click.FloatRange(min=0.0, min_open=True),
    help="Largest distance between the drawn and the true boundary [default: min(100 m, "
    "range/1000)].",
)


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
        + (
            f", bearings {summary.bearing[0]:g} to {summary.bearing[1]:g} deg"
            if summary.bearing
            else ""
        )
    ]
    shown = table.copy()
    label = "name" if "name" in shown.columns else ("id" if "id" in shown.columns else None)
    shown.insert(0, "target", shown[label].astype(str) if label else shown.index.astype(str))
    shown["in range"] = shown["in_range"].map({True: "yes", False: "no"})
    if summary.site_precision_km is not None:
        close = shown["margin_km"].abs() <= summary.site_precision_km
        shown.loc[close, "in range"] = shown.loc[close, "in range"] + "*"
    for col in ("target", "country", "kind"):
        if col in shown.columns:
            text = shown[col].astype(str)
            shown[col] = text.str.ljust(
                max(int(text.str.len().max()) if len(text) else 0, len(col))
            )
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
    lines.append(f"{summary.targets_in_range} of {summary.targets_total} targets in range")
    if summary.uncertain_targets:
        lines.append(
            f"* within the site's precision (±{summary.site_precision_km:g} km) of the range: "
            "the verdict depends on the exact launch point"
        )
    if cities is not None:
        lines += [
            "",
            f"{summary.cities_in_range:,} cities in range, population {summary.population:,}",
        ]
        if len(cities):
            top = cities.head(limit)[["name", "country", "population", "distance_km"]]
            lines.append(
                top.to_string(
                    index=False,
                    formatters={"population": "{:,}".format, "distance_km": "{:,.1f}".format},
                )
            )
            lines.append(
                "by country: "
                + ", ".join(
                    f"{n} {p:,} ({k:,} cities)" for _, n, k, p in summary.population_by_country
                )
            )
        lines.append(f"source: {summary.city_source}")
    return "\n".join(line.rstrip() for line in "\n".join(lines).split("\n")) + "\n"


@cli.command("reach")
@click.option("--site", required=True, help="Launch site: a name, an alias, or 'lat, lon'.")
@click.option("--range-km", required=True, type=float, help="Range in kilometres.")
@click.option(
    "--min-range-km",
    default=0.0,
    type=float,
    show_default=True,
    help="Minimum range in kilometres (an annulus).",
)
@_BEARING_OPTION
@click.option(
    "--targets",
    default=None,
    type=click.Path(exists=True, path_type=Path),
    help="Points file: CSV with lat,lon columns, GeoParquet, GeoJSON or GeoPackage "
    "[default: the bundled targets].",
)
@click.option(
    "--sites",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="User sites CSV merged over the bundled gazetteer.",
)
@click.option(
    "--cities",
    is_flag=True,
    help="Also the world cities in range and their population (GeoNames >= 15,000). "
    "With --format csv the rows written are then the cities in range.",
)
@click.option(
    "--limit",
    default=10,
    type=click.IntRange(min=0),
    show_default=True,
    help="Cities listed in the table format (the counts cover all of them).",
)
@click.option(
    "--format",
    "fmt",
    default="table",
    type=click.Choice(["table", "csv", "json"]),
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    default="-",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Output file [default: stdout].",
)
@handle_errors
def reach_command(
    site: str,
    range_km: float,
    min_range_km: float,
    bearing: tuple[float, float] | None,
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
    table = reach(place, range_km, targets=targets, min_range_km=min_range_km, bearing=bearing)
    table = table.sort_values("distance_km", kind="stable")
    found = None
    if cities:
        found = cities_in_range(place, range_km, min_range_km=min_range_km, bearing=bearing)
    summary = ReachSummary.from_tables(
        place, range_km, table, cities=found, min_range_km=min_range_km, bearing=bearing
    )
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
    help="Output format (csv: an events file for check-catalog and load_catalog, with the "
    "extra fields and the evidence as JSON).",
)
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of REPORT.")
@click.option(
    "--sites",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="User sites CSV merged over the bundled gazetteer.",
)
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
    from geo.extract import (
        DISTANCE_ROLES,
        explain_distances,
        extract_claims,
        format_claims,
        read_report,
    )

    text = sys.stdin.read() if report == "-" else read_report(report, encoding=encoding)
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


# --- export (geo/export.py) ---------------------------------------------------------


@cli.command("export")
@click.argument(
    "catalog", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--format",
    "fmt",
    default=None,
    type=click.Choice(["geojson", "kml", "gpkg"]),
    help="Output format [default: from the suffix of -o: .geojson/.json, .kml, .gpkg].",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write ('-' for stdout, GeoJSON and KML only).",
)
@click.option(
    "--site",
    default=None,
    help="Instead of a catalog: a launch site (name, alias, offset or 'lat, lon').",
)
@click.option(
    "--range-km",
    "range_km",
    multiple=True,
    type=float,
    help="Range in kilometres for --site (repeatable).",
)
@click.option(
    "--min-range-km",
    default=0.0,
    type=float,
    show_default=True,
    help="Minimum range in kilometres for --site (an annulus).",
)
@_BEARING_OPTION
@click.option("--label", default=None, help="What the --site ranges belong to (a missile name).")
@click.option(
    "--sites",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="User sites CSV merged over the bundled gazetteer.",
)
@click.option(
    "--targets",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Targets CSV for the GeoPackage's targets layer [default: the bundled one].",
)
@_TOLERANCE_OPTION
@handle_errors
def export_command(
    catalog: Path | None,
    fmt: str | None,
    output: str,
    site: str | None,
    range_km: tuple[float, ...],
    min_range_km: float,
    bearing: tuple[float, float] | None,
    label: str | None,
    sites: Path | None,
    targets: Path | None,
    tolerance_m: float | None,
) -> None:
    """Write footprints as GeoJSON (RFC 7946), KML (Google Earth) or GeoPackage.

    Footprints of the claims in CATALOG (an events CSV; the bundled catalog by
    default), or of --site at each --range-km.  Every footprint carries its
    claim's provenance; the same input always gives the same file.
    """
    from geo.export import (
        export_catalog,
        export_footprints,
        export_format,
        geojson_text,
        kml_text,
        site_footprints,
    )

    if site is not None and catalog is not None:
        raise click.UsageError("give either CATALOG or --site with --range-km, not both")
    if site is None and (range_km or bearing or min_range_km or label):
        raise click.UsageError("--range-km, --min-range-km, --bearing and --label need --site")
    if site is not None and not range_km:
        raise click.UsageError("--site needs at least one --range-km")
    if output == "-" and fmt is None:
        raise click.UsageError("writing to stdout ('-o -') needs --format geojson or kml")
    kind = export_format(output, fmt)
    if output == "-" and kind == "gpkg":
        raise click.UsageError("a GeoPackage cannot go to stdout; give a file name with -o")
    if site is not None:
        fp = site_footprints(
            site,
            list(range_km),
            min_range_km=min_range_km,
            bearing=bearing,
            label=label,
            sites=sites,
            tolerance_m=tolerance_m,
        )
        if output == "-":
            click.echo(geojson_text(fp) if kind == "geojson" else kml_text(fp), nl=False)
            return
        with atomic_path(output) as tmp:
            export_footprints(tmp, fp, fmt=kind, targets=targets)
        click.echo(f"wrote {len(fp)} footprint(s) to {output}", err=True)
        return
    if output == "-":
        from geo.catalog import claim_footprints, load_catalog

        cat = load_catalog(catalog, sites=sites)
        fp = claim_footprints(cat, tolerance_m=tolerance_m)
        click.echo(geojson_text(fp) if kind == "geojson" else kml_text(fp, claims=cat), nl=False)
        return
    with atomic_path(output) as tmp:
        export_catalog(
            tmp, catalog, fmt=kind, sites=sites, targets=targets, tolerance_m=tolerance_m
        )
    click.echo(f"wrote {kind} to {output}", err=True)


# --- maps (geo/maps.py, geo/assets.py) ------------------------------------------------


_ASSETS_DIR_OPTION = click.option(
    "--assets-dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Asset cache for --self-contained [default: $GEORANGE_ASSETS_DIR or "
    "~/.cache/georange/assets].",
)
_SELF_CONTAINED_OPTION = click.option(
    "--self-contained",
    is_flag=True,
    help="Inline Leaflet and the other assets (from the cache `georange assets` fills), "
    "so the HTML opens with no network but for the map tiles.",
)
_TARGETS_MAP_OPTION = click.option(
    "--targets",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Reference targets CSV (id,name,lat,lon,kind,country) [default: the bundled one].",
)
_NO_TARGETS_OPTION = click.option(
    "--no-targets", is_flag=True, help="Do not mark reference targets."
)


def _targets_arg(targets: Path | None, no_targets: bool) -> Any:
    if targets is not None and no_targets:
        raise click.UsageError("give --targets FILE or --no-targets, not both")
    return False if no_targets else targets


@cli.command("map")
@click.option(
    "--site",
    default=None,
    help="Launch site: a name, an alias, an offset ('17 km NE of Wonsan') or 'lat, lon'.",
)
@click.option(
    "--range-km",
    "ranges",
    multiple=True,
    type=float,
    help="Range in kilometres (repeat for several footprints).",
)
@click.option(
    "--min-range-km",
    default=0.0,
    type=float,
    show_default=True,
    help="Minimum range in kilometres (annuli).",
)
@_BEARING_OPTION
@click.option("--label", default=None, help="The site's label on the map.")
@click.option(
    "--report",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Map the located claims extracted from a report text file instead.",
)
@click.option(
    "--reported-on",
    default=None,
    metavar="YYYY-MM-DD",
    help="With --report: its publication date, for dates such as 'on Sunday'.",
)
@_SITES_OPTION
@_TARGETS_MAP_OPTION
@_NO_TARGETS_OPTION
@_TOLERANCE_OPTION
@_SELF_CONTAINED_OPTION
@_ASSETS_DIR_OPTION
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="HTML file to write ('-' for stdout).",
)
@handle_errors
def map_command(
    site: str | None,
    ranges: tuple[float, ...],
    min_range_km: float,
    bearing: tuple[float, float] | None,
    label: str | None,
    report: Path | None,
    reported_on: str | None,
    sites: Path | None,
    targets: Path | None,
    no_targets: bool,
    tolerance_m: float | None,
    self_contained: bool,
    assets_dir: Path | None,
    output: str,
) -> None:
    """Write an HTML map of the footprints of one site and one or more ranges.

    Footprints are true geodesic ranges on WGS84, drawn without seams across the
    dateline and the poles, with the site, its precision band and the reference
    targets marked in or out of range.  With --report FILE, the located claims
    of a news report (see `georange extract`) are mapped instead.
    """
    from geo.maps import range_map, render_html, report_map

    target_arg = _targets_arg(targets, no_targets)
    if report is not None:
        if site is not None or ranges:
            raise click.UsageError("give either --report or --site with --range-km, not both")
        if min_range_km or bearing is not None or label is not None:
            raise click.UsageError(
                "--min-range-km, --bearing and --label apply to --site maps, not to --report"
            )
        from geo.extract import read_report

        m = report_map(
            read_report(report),
            source=report.name,
            reported_on=reported_on,
            sites=sites,
            targets=target_arg,
            tolerance_m=tolerance_m,
        )
    else:
        if reported_on is not None:
            raise click.UsageError("--reported-on applies to --report maps only")
        if site is None or not ranges:
            raise click.UsageError(
                "--site and at least one --range-km are required (or --report FILE)"
            )
        m = range_map(
            site,
            list(ranges),
            min_range_km=min_range_km,
            bearing=bearing,
            label=label,
            sites=sites,
            targets=target_arg,
            tolerance_m=tolerance_m,
        )
    page = render_html(m, self_contained=self_contained, cache_dir=assets_dir)
    if output == "-":
        click.echo(page, nl=False)
        return
    with atomic_path(output) as tmp:
        tmp.write_text(page, encoding="utf-8")
    log.info("wrote %s (%d bytes)", output, len(page.encode("utf-8")))


@cli.command("build")
@click.argument(
    "catalog", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write index.html and the maps into.",
)
@_SITES_OPTION
@click.option(
    "--missiles",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Missiles CSV for the per-site class maps [default: the bundled one].",
)
@_TARGETS_MAP_OPTION
@_NO_TARGETS_OPTION
@_TOLERANCE_OPTION
@_SELF_CONTAINED_OPTION
@_ASSETS_DIR_OPTION
@handle_errors
def build_command(
    catalog: Path | None,
    output: Path,
    sites: Path | None,
    missiles: Path | None,
    targets: Path | None,
    no_targets: bool,
    tolerance_m: float | None,
    self_contained: bool,
    assets_dir: Path | None,
) -> None:
    """Build the maps of a catalog (an events CSV; the bundled one by default).

    Writes index.html (every map with site, ranges, date and claimant, and the
    claims that could not be drawn), overview.html (all located claims, with a
    time slider), one event-*.html per located event and one site-*.html per
    launch site (the missile-class ranges as concentric footprints).  Every page
    is rendered before the first is written.  For the CNS database, convert it
    first: `georange import-cns FILE -o events.csv`.
    """
    from geo.maps import build_maps

    pages = build_maps(
        catalog,
        sites=sites,
        missiles=missiles,
        targets=_targets_arg(targets, no_targets),
        tolerance_m=tolerance_m,
        self_contained=self_contained,
        cache_dir=assets_dir,
    )
    for name, page in pages.items():
        with atomic_path(output / name) as tmp:
            tmp.write_text(page, encoding="utf-8")
    total = sum(len(p.encode("utf-8")) for p in pages.values())
    click.echo(f"georange: wrote {len(pages)} pages ({total:,} bytes) to {output}", err=True)
    click.echo(str(output / "index.html"))


@cli.command("assets")
@click.option(
    "--from-npm",
    "from_npm",
    default=None,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Copy from this node_modules folder (e.g. tests/browser/node_modules after "
    "`make assets`) instead of downloading from the CDN.",
)
@_ASSETS_DIR_OPTION
@handle_errors
def assets_command(from_npm: Path | None, assets_dir: Path | None) -> None:
    """Fill the asset cache that --self-contained maps inline (Leaflet, fullscreen control).

    Downloads the exact files the maps reference from their CDN (network), or
    copies them from a local npm install of the same pinned versions.
    """
    from geo.assets import asset_cache_dir, fill_cache

    paths = fill_cache(cache_dir=assets_dir, from_npm=from_npm)
    click.echo(f"georange: cached {len(paths)} files in {asset_cache_dir(assets_dir)}", err=True)
    for path in paths:
        click.echo(str(path))
