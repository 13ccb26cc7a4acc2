"""The mini-map of one site (its point and precision disk), for the Site's Jupyter view."""

from __future__ import annotations

import html
import math

import folium
from branca.element import Figure

from geo.footprint import footprint_display
from geo.gazetteer import Site
from geo.maps._assets import MAP_ASSETS


def site_map_html(site: Site, *, width_px: int = 360, height_px: int = 260) -> str:
    """The site on a small Leaflet map, with its precision as a geodesic disk (an iframe).

    What :meth:`geo.Site._repr_html_` shows in Jupyter beside the site's provenance.

    Parameters
    ----------
    site
        The site; its ``precision_km`` is drawn as a true geodesic disk when > 0.
    width_px, height_px
        Size of the map.

    Returns
    -------
    str
        An ``<iframe>`` holding the map page (every string escaped).

    Examples
    --------
    >>> from geo.gazetteer import geocode
    >>> html = site_map_html(geocode("Shinpo"))
    >>> html.startswith("<iframe") and "Sinpo" in html
    True
    """
    fig = Figure(width=f"{width_px}px", height=f"{height_px}px")
    m = folium.Map(location=[site.lat, site.lon], zoom_start=9, control_scale=True)
    # Leaflet only: no jQuery, Bootstrap or icon fonts for a point and a disk.
    m.default_js = [("leaflet", MAP_ASSETS[0].url)]
    m.default_css = [("leaflet_css", MAP_ASSETS[1].url)]
    fig.add_child(m)
    # folium places tooltip text raw inside a JavaScript template literal: escape for
    # HTML, then the characters a template literal would interpret.
    label = (
        html.escape(f"{site.name} (±{site.precision_km:,.3g} km)")
        .replace("\\", "&#92;")
        .replace("`", "&#96;")
        .replace("$", "&#36;")
    )
    if math.isfinite(site.precision_km) and site.precision_km > 0:
        disk = footprint_display(site.lat, site.lon, site.precision_km).fill
        for poly in getattr(disk, "geoms", [disk]):
            folium.Polygon(
                [(lat, lon) for lon, lat in poly.exterior.coords],
                color="#1565c0",
                weight=1,
                fill=True,
                fill_opacity=0.15,
                tooltip=f"{label}: where the site is believed to lie",
            ).add_to(m)
        west, south, east, north = disk.bounds
        m.fit_bounds([[south, west], [north, east]], max_zoom=12)
    folium.CircleMarker(
        [site.lat, site.lon],
        radius=5,
        color="#ffffff",
        weight=2,
        fill=True,
        fill_color="#000000",
        fill_opacity=1.0,
        tooltip=label,
    ).add_to(m)
    out: str = fig._repr_html_()
    return out
