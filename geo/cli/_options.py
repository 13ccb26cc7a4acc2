"""Options shared by several commands, declared once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from geo.cli._group import atomic_path

F = TypeVar("F", bound=Callable[..., Any])


def parse_bearing(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
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


BEARING_OPTION = click.option(
    "--bearing",
    default=None,
    callback=parse_bearing,
    metavar="START:END",
    help="A sector: initial azimuths from START clockwise to END, degrees from north "
    "(e.g. 45:135).",
)


TOLERANCE_OPTION = click.option(
    "--tolerance-m",
    default=None,
    type=click.FloatRange(min=0.0, min_open=True),
    help="Largest distance between the drawn and the true boundary [default: min(100 m, "
    "range/1000)].",
)


def echo_or_write(text: str, output: str) -> None:
    """Print *text* to stdout, or write it atomically to *output*."""
    if output == "-":
        click.echo(text if text.endswith("\n") else text + "\n", nl=False)
        return
    with atomic_path(output) as tmp:
        tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
SITES_OPTION = click.option(
    "--sites",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="User sites CSV (name,lat,lon,precision_km[,id,aliases,kind,sources,note]) "
    "merged over the bundled table; its rows win.",
)
REGION_OPTION = click.option(
    "--region",
    default=None,
    help="Where facility, town and online answers for site names are trusted: 'world' "
    "(default), 'korea' or 'WEST,SOUTH,EAST,NORTH' in degrees (curated sites always are).",
)
COUNTRY_OPTION = click.option(
    "--country",
    default=None,
    metavar="CODE",
    help="The country site names are expected in (ISO 3166 alpha-2 such as KP, or a name).",
)
#: The options of every command that resolves a site name, in this order.
SITE_LOOKUP_PARAMS = ("sites", "region", "country")


def site_lookup_options(func: F) -> F:
    """Add --sites, --region and --country, passed to the command as one ``lookup`` dict.

    Every command that resolves a site name takes these three options, declared here
    once; the command hands ``**lookup`` to the library (:func:`geo.as_site` and the
    functions that call it), so the options mean the same on every command.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lookup = {name: kwargs.pop(name) for name in SITE_LOOKUP_PARAMS}
        return func(*args, lookup=lookup, **kwargs)

    out: Any = wrapper
    for option in (COUNTRY_OPTION, REGION_OPTION, SITES_OPTION):
        out = option(out)
    return out  # type: ignore[no-any-return]


OUTPUT_OPTION = click.option(
    "-o", "--output", default="-", show_default=True, help="Write to this file instead of stdout."
)


ASSETS_DIR_OPTION = click.option(
    "--assets-dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="With --self-contained: the cache `georange assets` fills, for web assets georange "
    "does not ship [default: $GEORANGE_ASSETS_DIR or ~/.cache/georange/assets].",
)
SELF_CONTAINED_OPTION = click.option(
    "--self-contained",
    is_flag=True,
    help="Inline Leaflet, the fullscreen control and the Natural Earth basemap (all shipped "
    "with georange): one file that opens with no network.",
)
TARGETS_MAP_OPTION = click.option(
    "--targets",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Reference targets CSV (id,name,lat,lon,kind,country) [default: the bundled one].",
)
NO_TARGETS_OPTION = click.option(
    "--no-targets", is_flag=True, help="Do not mark reference targets."
)


def targets_arg(targets: Path | None, no_targets: bool) -> Any:
    if targets is not None and no_targets:
        raise click.UsageError("give --targets FILE or --no-targets, not both")
    return False if no_targets else targets
