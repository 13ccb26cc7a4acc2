"""``georange lofted``: the standard-trajectory range of a lofted test."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import click

from geo.cli._group import cli, handle_errors
from geo.cli._options import echo_or_write, site_lookup_options
from geo.gazetteer import as_site
from geo.lofted import StandardRange, standard_trajectory_range


def _lofted_map_options(func: Any) -> Any:
    """--apogee-km, --distance-km, --flight-time-s on ``georange map``."""
    for option in reversed(
        (
            click.option(
                "--apogee-km",
                default=None,
                type=float,
                help="A lofted test's apogee (km): with --distance-km, map its derived "
                "standard-trajectory band (low, central, high) instead of --range-km.",
            ),
            click.option(
                "--distance-km",
                default=None,
                type=float,
                help="The lofted test's ground distance (km), with --apogee-km.",
            ),
            click.option(
                "--flight-time-s",
                default=None,
                type=float,
                help="The lofted test's flight time (s), with --apogee-km.",
            ),
        )
    ):
        func = option(func)
    return func


LOFTED_MAP_OPTIONS = _lofted_map_options


def lofted_request(
    site: str | None,
    ranges: tuple[float, ...],
    report: Any,
    apogee_km: float | None,
    distance_km: float | None,
    flight_time_s: float | None,
    min_range_km: float,
    bearing: Any,
) -> tuple[float, float, float | None] | None:
    """The lofted test a ``georange map`` call asks for, or None; usage errors for mixtures."""
    if apogee_km is None and distance_km is None:
        if flight_time_s is not None:
            raise click.UsageError("--flight-time-s needs --apogee-km and --distance-km")
        return None
    if apogee_km is None or distance_km is None:
        raise click.UsageError("give --apogee-km and --distance-km together")
    if site is None:
        raise click.UsageError("--apogee-km and --distance-km need --site")
    if ranges or report is not None or min_range_km or bearing is not None:
        raise click.UsageError(
            "--apogee-km/--distance-km map a lofted test's band; leave out --range-km, "
            "--report, --min-range-km and --bearing"
        )
    return apogee_km, distance_km, flight_time_s


def _km(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} km"


def lofted_text(result: StandardRange) -> str:
    """The estimate as text: the three levels, energy, burn, every warning and caveat."""
    given = result.inputs
    flight = given.get("flight_time_s")
    lines = [
        "Standard-trajectory estimate derived by georange from the lofted test "
        f"(not a reported range): apogee {given['apogee_km']:,g} km, distance "
        f"{given['distance_km']:,g} km, flight time "
        + ("not given" if flight is None else f"{flight:,g} s"),
    ]
    if given.get("site") is not None:
        lines.append(
            f"  along azimuth {given['azimuth_deg']:g} deg from {given['site']} (rotating Earth)"
        )
    else:
        lines.append("  non-rotating Earth (give --site and --azimuth-deg for a bearing)")
    low = _km(result.low_km)
    lines += [
        f"  low (minimum energy)  {('≥ ' + low) if result.near_orbital else low}",
        f"  central               {_km(result.central_km)}",
        f"  high                  {_km(result.high_km)}",
        f"  near-orbital          {'yes' if result.near_orbital else 'no'} "
        f"(speed {result.circular_speed_ratio:.3f} of circular)",
        f"  energy as a range     {_km(result.energy_km)} (minimum energy, no rotation)",
        f"  burn time             {result.burn_time_s:,.0f} s "
        f"(burnout at {result.burnout_altitude_km:,.0f} km)",
        f"method: {result.method}",
        "warnings and caveats:",
    ]
    lines += [f"  - {w}" for w in result.warnings]
    return "\n".join(lines)


def lofted_json(result: StandardRange) -> str:
    """The estimate as JSON: one key per :class:`StandardRange` attribute."""
    record: dict[str, Any] = dataclasses.asdict(result)
    record["warnings"] = list(result.warnings)
    record["inputs"] = dict(result.inputs)
    return json.dumps(record, ensure_ascii=False, indent=2)


@cli.command("lofted")
@click.option("--apogee-km", required=True, type=float, help="Reported apogee altitude (km).")
@click.option(
    "--distance-km", required=True, type=float, help="Reported ground distance flown (km)."
)
@click.option(
    "--flight-time-s",
    default=None,
    type=float,
    help="Reported flight time (s) [default: a class burn time is assumed, and flagged].",
)
@click.option(
    "--site",
    default=None,
    help="Launch site for a rotating-Earth range (a name, an offset or 'lat, lon'); "
    "needs --azimuth-deg.",
)
@click.option(
    "--azimuth-deg",
    default=None,
    type=float,
    help="Bearing from --site, degrees clockwise from north (the range towards it).",
)
@site_lookup_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format (json keys: the StandardRange attributes).",
)
@click.option(
    "-o", "--output", default="-", show_default=True, help="Write to this file instead of stdout."
)
@handle_errors
def lofted_command(
    apogee_km: float,
    distance_km: float,
    flight_time_s: float | None,
    site: str | None,
    azimuth_deg: float | None,
    lookup: dict[str, Any],
    fmt: str,
    output: str,
) -> None:
    """How far a lofted test's missile would fly on a standard trajectory.

    From the reported apogee, distance and (optionally) flight time: the low
    (minimum-energy, the "simple calculation"), central and high ranges, on a
    non-rotating Earth or, with --site and --azimuth-deg, along that bearing on
    the rotating Earth.  Near-orbital tests give only a lower bound.  Every
    figure is derived by georange, not reported; the caveats are always shown.
    See docs/lofted.md for the method.
    """
    if (site is None) != (azimuth_deg is None):
        raise click.UsageError("give --site and --azimuth-deg together (or neither)")
    place = None if site is None else as_site(site, **lookup)
    result = standard_trajectory_range(
        apogee_km, distance_km, flight_time_s, site=place, azimuth_deg=azimuth_deg
    )
    echo_or_write(lofted_json(result) if fmt == "json" else lofted_text(result), output)
