"""``georange reach``: what lies within range of a site."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from geo.cli._group import atomic_path, cli, handle_errors
from geo.cli._options import BEARING_OPTION, SITES_OPTION
from geo.files import check_output_path
from geo.gazetteer import geocode
from geo.reach import ReachSummary, cities_in_range, reach


def _reach_records(frame: Any) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (NaN -> null, numpy scalars -> Python)."""

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
@BEARING_OPTION
@click.option(
    "--targets",
    default=None,
    type=click.Path(exists=True, path_type=Path),
    help="Points file: CSV with lat,lon columns, GeoParquet, GeoJSON or GeoPackage "
    "[default: the bundled targets].",
)
@SITES_OPTION
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

    check_output_path(output)
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
