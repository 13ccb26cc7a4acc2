"""The map of a lofted test's standard-trajectory estimate: low, central and high as a band."""

from __future__ import annotations

import os
from typing import Any

import folium

from geo.gazetteer import RegionLike
from geo.lofted import standard_trajectory_band, standard_trajectory_range
from geo.maps._builder import _map_site, _MapBuilder
from geo.maps._elements import _KIND_TEXT, _deterministic, _Footprint, _km

#: Band colours, widest (lightest) first; the catalog colour of the kind is the central one.
BAND_COLOURS = {"high": "#80cbc4", "central": "#00796b", "low": "#004d40"}


def lofted_label(apogee_km: float, distance_km: float, flight_time_s: float | None) -> str:
    """The words that mark a lofted estimate as derived, on the map and in its layers.

    Examples
    --------
    >>> text = lofted_label(4475, 950, 3180)
    >>> text.startswith("standard-trajectory estimate derived by georange"), text[-46:]
    (True, 'apogee 4,475 km, distance 950 km, time 3,180 s')
    """
    time = "not given" if flight_time_s is None else f"{flight_time_s:,.0f} s"
    return (
        "standard-trajectory estimate derived by georange from the lofted test: "
        f"apogee {apogee_km:,g} km, distance {distance_km:,g} km, time {time}"
    )


@_deterministic
def lofted_map(
    site: Any,
    apogee_km: float,
    distance_km: float,
    flight_time_s: float | None = None,
    *,
    label: str | None = None,
    sites: str | os.PathLike[str] | None = None,
    region: RegionLike = None,
    country: str | None = None,
    targets: Any = None,
    tolerance_m: float | None = None,
) -> folium.Map:
    """A map of where a lofted test's missile could reach on a standard trajectory.

    The low, central and high footprints (:func:`geo.standard_trajectory_footprint`, farther
    east than west on the rotating Earth) are drawn as a band, every layer and the legend
    labelled as derived; a near-orbital test shows its lower bound only.  Targets and
    cities are judged against each level's range by azimuth.

    Parameters
    ----------
    site
        A place name, a :class:`geo.gazetteer.Site` or a ``(lat, lon)`` pair.
    apogee_km, distance_km, flight_time_s
        The lofted test as reported, as for :func:`geo.standard_trajectory_range`.
    label, sites, region, country, targets, tolerance_m
        As for :func:`geo.range_map`.

    Returns
    -------
    folium.Map
        Render it with :func:`geo.render_html`.

    Raises
    ------
    InvalidRangeError
        Bad lofted inputs.

    Examples
    --------
    >>> from geo.maps import render_html
    >>> html = render_html(lofted_map("Pyongyang", 2111.5, 787, 1800, targets=False))
    >>> html.count("georange.footprint("), "derived by georange" in html
    (3, True)
    """
    place = _map_site(site, label=label, sites=sites, region=region, country=country)
    estimate = standard_trajectory_range(apogee_km, distance_km, flight_time_s)
    text = lofted_label(apogee_km, distance_km, flight_time_s)
    band = standard_trajectory_band(
        (place.lat, place.lon), apogee_km, distance_km, flight_time_s, tolerance_m=tolerance_m
    )
    builder = _MapBuilder(f"{place.name}: {text}", fill_opacity=0.12)
    builder.sites.append(place)
    for level, grid, display in band:
        shown = "≥ " if estimate.near_orbital else ""
        name = f"{place.name}: {level} (derived)"
        rows: list[tuple[str, Any]] = [
            ("estimate", f"{text}; {level}"),  # the full words; the layer name is short
            (
                "range",
                f"{shown}{_km(grid.min_km)} to {_km(grid.max_km)} by azimuth "
                "(rotating Earth: farther east than west)",
            ),
            ("kind of number", _KIND_TEXT["standard-trajectory"]),
            ("level", level + (" (a lower bound: near-orbital)" if estimate.near_orbital else "")),
            ("non-rotating estimate", _levels_text(estimate)),
            ("burn time", f"{estimate.burn_time_s:,.0f} s"),
            ("method", estimate.method),
            ("warnings", "; ".join(estimate.warnings)),
            ("launch site", place.name),
            ("site precision", f"±{place.precision_km:,.3g} km"),
            ("site source", place.source),
        ]
        builder.add(_Footprint(name, BAND_COLOURS[level], display, rows, range_km_at=grid))
    builder.notes.append(
        "derived by georange from the reported apogee, distance and time; not a reported range"
    )
    builder.notes.extend(estimate.warnings)
    return builder.finish(targets=targets, collapsed=False)


def _levels_text(estimate: Any) -> str:
    if estimate.near_orbital:
        return f"≥ {_km(estimate.low_km)} (near-orbital)"
    return (
        f"low {_km(estimate.low_km)}, central {_km(estimate.central_km)}, "
        f"high {_km(estimate.high_km)}"
    )
