"""``georange map``, ``georange build`` and ``georange assets``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from geo.cli._group import atomic_path, cli, handle_errors, log
from geo.cli._lofted import LOFTED_MAP_OPTIONS, lofted_request
from geo.cli._options import (
    ASSETS_DIR_OPTION,
    BEARING_OPTION,
    NO_TARGETS_OPTION,
    SELF_CONTAINED_OPTION,
    TARGETS_MAP_OPTION,
    TOLERANCE_OPTION,
    site_lookup_options,
    targets_arg,
)
from geo.extract import read_report
from geo.files import check_output_path
from geo.maps import (
    asset_cache_dir,
    build_maps,
    fill_cache,
    lofted_map,
    offline_files,
    range_map,
    render_html,
    report_map,
)

#: An existing file given on the command line (a report, a missiles CSV).
_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)

F = TypeVar("F", bound=Callable[..., Any])


def _page_options(func: F) -> F:
    """The options of every command that writes map pages: targets, tolerance, assets."""
    for option in (
        ASSETS_DIR_OPTION,
        SELF_CONTAINED_OPTION,
        TOLERANCE_OPTION,
        NO_TARGETS_OPTION,
        TARGETS_MAP_OPTION,
    ):
        func = option(func)
    return func


#: Output suffixes that make `georange map` draw a print figure instead of an HTML map.
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


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
@BEARING_OPTION
@LOFTED_MAP_OPTIONS
@click.option("--label", default=None, help="The site's label on the map.")
@click.option(
    "--report",
    default=None,
    type=_FILE,
    help="Map the located claims extracted from a report text file instead.",
)
@click.option(
    "--reported-on",
    default=None,
    metavar="YYYY-MM-DD",
    help="With --report: its publication date, for dates such as 'on Sunday'.",
)
@site_lookup_options
@_page_options
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write: .html (a Leaflet map; '-' for stdout), or a print figure "
    ".png (300 dpi), .svg or .pdf.",
)
@click.option(
    "--projection",
    type=click.Choice(["aeqd", "world"]),
    default="aeqd",
    show_default=True,
    help="Figures only: azimuthal equidistant centred on the site (range rings are circles) "
    "or an Equal Earth world view.",
)
@click.option(
    "--dpi",
    type=click.FloatRange(min=50, max=1200),
    default=300.0,
    show_default=True,
    help="Figures only: resolution of a PNG.",
)
@handle_errors
def map_command(
    site: str | None,
    ranges: tuple[float, ...],
    min_range_km: float,
    bearing: tuple[float, float] | None,
    apogee_km: float | None,
    distance_km: float | None,
    flight_time_s: float | None,
    label: str | None,
    report: Path | None,
    reported_on: str | None,
    lookup: dict[str, Any],
    targets: Path | None,
    no_targets: bool,
    tolerance_m: float | None,
    self_contained: bool,
    assets_dir: Path | None,
    output: str,
    projection: str,
    dpi: float,
) -> None:
    """Write an HTML map (or a print figure) of the footprints of one site and its ranges.

    Footprints are true geodesic ranges on WGS84, drawn without seams across the
    dateline and the poles, with the site, its precision band and the reference
    targets marked in or out of range.  With --report FILE, the located claims
    of a news report (see `georange extract`) are mapped instead.  With -o FILE.png,
    .svg or .pdf the same footprints, site and labelled targets are drawn as a figure
    for print on the bundled Natural Earth basemap (no network).  With
    --apogee-km and --distance-km (a lofted test), the low, central and high
    standard-trajectory footprints are drawn as a band, marked as derived (HTML).
    """

    check_output_path(output, what="map file")
    target_arg = targets_arg(targets, no_targets)
    # what a --site map and a --site figure take alike
    one_site: dict[str, Any] = dict(
        min_range_km=min_range_km, bearing=bearing, label=label, targets=target_arg, **lookup
    )
    one_site["tolerance_m"] = tolerance_m
    lofted = lofted_request(
        site, ranges, report, apogee_km, distance_km, flight_time_s, min_range_km, bearing
    )
    if Path(output).suffix.lower() in FIGURE_SUFFIXES:
        if lofted is not None:
            raise click.UsageError("a lofted test's band is drawn as an .html map")
        if report is not None or site is None or not ranges:
            raise click.UsageError(
                "a figure (-o FILE.png/.svg/.pdf) is drawn for --site with --range-km; "
                "map a report as .html"
            )
        if self_contained or assets_dir is not None:
            raise click.UsageError("--self-contained and --assets-dir apply to .html maps")
        from geo import figure  # matplotlib (~0.25 s) loads only when a figure is drawn

        fig = figure.range_figure(site, list(ranges), **one_site, projection=projection)
        with atomic_path(output) as tmp:
            figure.save_figure(fig, tmp, dpi=dpi, fmt=Path(output).suffix)
        log.info("wrote %s", output)
        return
    if lofted is not None:
        m = lofted_map(
            site,
            *lofted,
            label=label,
            targets=target_arg,
            tolerance_m=tolerance_m,
            **lookup,
        )
    elif report is not None:
        if site is not None or ranges:
            raise click.UsageError("give either --report or --site with --range-km, not both")
        if min_range_km or bearing is not None or label is not None:
            raise click.UsageError(
                "--min-range-km, --bearing and --label apply to --site maps, not to --report"
            )

        m = report_map(
            read_report(report),
            source=report.name,
            reported_on=reported_on,
            targets=target_arg,
            **lookup,
            tolerance_m=tolerance_m,
        )
    else:
        if reported_on is not None:
            raise click.UsageError("--reported-on applies to --report maps only")
        if site is None or not ranges:
            raise click.UsageError(
                "--site and at least one --range-km are required (or --report FILE)"
            )
        m = range_map(site, list(ranges), **one_site)
    page = render_html(m, self_contained=self_contained, cache_dir=assets_dir)
    if output == "-":
        click.echo(page, nl=False)
        return
    with atomic_path(output, what="map file") as tmp:
        tmp.write_text(page, encoding="utf-8")
    log.info("wrote %s (%d bytes)", output, len(page.encode("utf-8")))


@cli.command("build")
@click.argument("catalog", required=False, type=_FILE)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write index.html and the maps into (made if new; its parent must exist).",
)
@site_lookup_options
@click.option(
    "--missiles",
    default=None,
    type=_FILE,
    help="Missiles CSV for the per-site class maps [default: the bundled one].",
)
@_page_options
@click.option(
    "--figures",
    is_flag=True,
    help="Also write a 300 dpi print figure (PNG) beside each event page (event-<id>.png).",
)
@handle_errors
def build_command(
    catalog: Path | None,
    output: str,
    lookup: dict[str, Any],
    missiles: Path | None,
    targets: Path | None,
    no_targets: bool,
    tolerance_m: float | None,
    self_contained: bool,
    assets_dir: Path | None,
    figures: bool,
) -> None:
    """Build the maps of a catalog (an events CSV; the bundled one by default).

    Writes index.html (every map with site, ranges, date and claimant, and the
    claims that could not be drawn), overview.html (all located claims, with a
    time slider), one event-*.html per located event and one site-*.html per
    launch site (the missile-class ranges as concentric footprints).  Every page
    is rendered before the first is written.  For the CNS database, convert it
    first: `georange import-cns FILE -o events.csv`.
    """

    # the folder asked for may be new (it is made when the pages are written), its parent not
    folder = check_output_path(output, what="output folder", stdout_ok=False, folder=True)
    assert folder is not None  # '-' is refused
    pages = build_maps(
        catalog,
        missiles=missiles,
        targets=targets_arg(targets, no_targets),
        tolerance_m=tolerance_m,
        self_contained=self_contained,
        cache_dir=assets_dir,
        **lookup,
    )
    drawn = {}
    if figures:
        from geo import figure  # matplotlib (~0.25 s) loads only when a figure is drawn

        drawn = figure.event_figures(
            catalog,
            sites=lookup.get("sites"),
            targets=targets_arg(targets, no_targets),
            tolerance_m=tolerance_m,
        )
    assets = {} if self_contained else offline_files()
    folder.mkdir(exist_ok=True)
    for name, page in pages.items():
        with atomic_path(folder / name, what="map file") as tmp:
            tmp.write_text(page, encoding="utf-8")
    for name, data in assets.items():  # Leaflet and the basemap the pages load, once
        (folder / "assets" / name).parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(folder / "assets" / name, what="asset file") as tmp:
            tmp.write_bytes(data)
    if figures:
        for name, fig in drawn.items():
            with atomic_path(folder / name, what="figure") as tmp:
                figure.save_figure(fig, tmp, fmt="png")
    total = sum(len(p.encode("utf-8")) for p in pages.values())
    click.echo(f"georange: wrote {len(pages)} pages ({total:,} bytes) to {output}", err=True)
    if assets:
        shared = sum(len(b) for b in assets.values())
        click.echo(
            f"georange: wrote {len(assets)} shared files to {output}/assets ({shared:,} bytes: "
            "Leaflet and the Natural Earth basemap, so the pages open offline)",
            err=True,
        )
    if drawn:
        click.echo(f"georange: wrote {len(drawn)} figures to {output}", err=True)
    click.echo(str(folder / "index.html"))


@cli.command("assets")
@click.option(
    "--from-npm",
    "from_npm",
    default=None,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Copy from this node_modules folder (e.g. tests/browser/node_modules after "
    "`make assets`) instead of downloading from the CDN.",
)
@ASSETS_DIR_OPTION
@handle_errors
def assets_command(from_npm: Path | None, assets_dir: Path | None) -> None:
    """Fill a local cache of the CDN files a map references (Leaflet, fullscreen control).

    georange's own pages need no cache: Leaflet, the fullscreen control and the
    basemap ship with georange (`build` copies them into assets/, --self-contained
    inlines them).  The cache is for other folium maps rendered with --assets-dir:
    it downloads the exact files from their CDN (network), or copies them from a
    local npm install of the same pinned versions.
    """

    paths = fill_cache(cache_dir=assets_dir, from_npm=from_npm)
    click.echo(f"georange: cached {len(paths)} files in {asset_cache_dir(assets_dir)}", err=True)
    for path in paths:
        click.echo(str(path))
