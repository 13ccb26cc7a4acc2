"""The Site model: a resolved point with its precision and provenance, and its Jupyter view."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Figure

from geo.footprint import footprint_display

#: The values :attr:`Site.match` can take, from the most to the least literal.
MATCH_KINDS = (
    "name",
    "alias",
    "normalized",
    "romanization",
    "facility",
    "province",
    "offset",
    "coordinates",
    "fallback",
    "online",
)


@dataclass(frozen=True)
class Site:
    """A resolved place: a WGS84 point, its precision and its provenance.

    Attributes
    ----------
    id
        Row id in the sites table, or ``None`` for points that are not rows
        (coordinates, offsets, fallback and online answers).
    name
        Canonical name (the table's name, or a description of the point).
    lat, lon
        Degrees on WGS84.
    precision_km
        Radius within which the true site is believed to lie.
    kind
        What the place is ("city", "shipyard", "offset", "coordinates", ...).
    source
        Where the coordinates come from.
    match
        How the text matched, one of :data:`MATCH_KINDS`.
    query
        The text as given.
    aliases
        Other names listed for the row.
    note
        Free-text remark (agreement between sources, base site of an offset, the
        namesake a bare name passed over, the qualifiers checked...).
    country
        ISO 3166-1 alpha-2 code of the territory the point lies in, where known.
    admin1
        ISO 3166-2 code of its province (Natural Earth admin-1), where known; for a
        province-level answer (``match="province"``) the province itself.
    namesakes
        Towns or fields that carry the row's name and that a bare name passes over.

    Examples
    --------
    >>> from geo.gazetteer import geocode
    >>> site = geocode("SINP’O")
    >>> site.name, site.match, site.precision_km
    ('Sinpo', 'normalized', 3.0)
    """

    id: str | None
    name: str
    lat: float
    lon: float
    precision_km: float
    kind: str
    source: str
    match: str
    query: str
    aliases: tuple[str, ...] = ()
    note: str = ""
    country: str = ""
    admin1: str = ""
    namesakes: str = ""

    def as_record(self) -> dict[str, Any]:
        """Return the site as a plain dict (aliases as a list), for tables and JSON.

        Examples
        --------
        >>> from geo.gazetteer import geocode
        >>> geocode("Hodo").as_record()["id"]
        'hodo'
        """
        return {
            "id": self.id,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "precision_km": self.precision_km,
            "kind": self.kind,
            "source": self.source,
            "match": self.match,
            "query": self.query,
            "aliases": list(self.aliases),
            "note": self.note,
            "country": self.country,
            "admin1": self.admin1,
        }

    def _repr_html_(self) -> str:
        """A small map of the site and its provenance, for Jupyter (every string escaped).

        The map shows the point and, as a true geodesic disk, the radius within
        which the site is believed to lie; tiles are the only thing the browser
        fetches beyond Leaflet itself.

        Examples
        --------
        >>> from geo.gazetteer import geocode
        >>> html = geocode("Shinpo")._repr_html_()
        >>> "<td>Shinpo</td>" in html, "±3 km" in html, "<iframe" in html
        (True, True, True)
        """
        rows = [
            ("name", self.name),
            ("as given", self.query),
            ("matched by", self.match),
            ("id", self.id or ""),
            ("coordinates", f"{self.lat:.5f}, {self.lon:.5f} (WGS84)"),
            ("precision", f"±{self.precision_km:,.3g} km"),
            ("kind", self.kind),
            ("sources", "; ".join(s for s in self.source.split("|") if s)),
            ("aliases", ", ".join(self.aliases)),
            ("country", self.country),
            ("province", self.admin1),
            ("note", self.note),
        ]
        body = "".join(
            f'<tr><th style="text-align:left">{html.escape(k)}</th>'
            f"<td>{html.escape(str(v))}</td></tr>"
            for k, v in rows
            if v
        )
        table = f"<table>{body}</table>"
        return (
            '<div style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start">'
            f"<div>{_site_map_html(self)}</div><div>{table}</div></div>"
        )


def _site_map_html(site: Site, *, width_px: int = 360, height_px: int = 260) -> str:
    """The site on a small Leaflet map, with its precision as a geodesic disk (an iframe)."""
    fig = Figure(width=f"{width_px}px", height=f"{height_px}px")
    m = folium.Map(location=[site.lat, site.lon], zoom_start=9, control_scale=True)
    # Leaflet only: no jQuery, Bootstrap or icon fonts for a point and a disk.
    # lazy: geo.maps imports the gazetteer, so a module-level import would cycle
    from geo.maps import MAP_ASSETS

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
