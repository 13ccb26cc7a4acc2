"""``georange export``: footprints as GeoJSON, KML or GeoPackage."""

from __future__ import annotations

from pathlib import Path

import click

from geo.catalog import claim_footprints, load_catalog
from geo.cli._group import atomic_path, cli, handle_errors
from geo.cli._options import BEARING_OPTION, SITES_OPTION, TOLERANCE_OPTION
from geo.export import (
    export_catalog,
    export_footprints,
    export_format,
    geojson_text,
    kml_text,
    site_footprints,
)
from geo.files import check_output_path


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
@BEARING_OPTION
@click.option("--label", default=None, help="What the --site ranges belong to (a missile name).")
@SITES_OPTION
@click.option(
    "--targets",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Targets CSV for the GeoPackage's targets layer [default: the bundled one].",
)
@TOLERANCE_OPTION
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

    if site is not None and catalog is not None:
        raise click.UsageError("give either CATALOG or --site with --range-km, not both")
    if site is None and (range_km or bearing or min_range_km or label):
        raise click.UsageError("--range-km, --min-range-km, --bearing and --label need --site")
    if site is not None and not range_km:
        raise click.UsageError("--site needs at least one --range-km")
    if output == "-" and fmt is None:
        raise click.UsageError("writing to stdout ('-o -') needs --format geojson or kml")
    check_output_path(output, what="export file")
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
        cat = load_catalog(catalog, sites=sites)
        fp = claim_footprints(cat, tolerance_m=tolerance_m)
        click.echo(geojson_text(fp) if kind == "geojson" else kml_text(fp, claims=cat), nl=False)
        return
    with atomic_path(output) as tmp:
        export_catalog(
            tmp, catalog, fmt=kind, sites=sites, targets=targets, tolerance_m=tolerance_m
        )
    click.echo(f"wrote {kind} to {output}", err=True)
