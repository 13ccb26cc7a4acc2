"""The Site model: a resolved point with its precision and provenance, and its Jupyter view.

The view's mini-map is drawn by :func:`geo.maps.site_map_html`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

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
        # Lazy, and the one exception to "data knows no screen": the map is rendering
        # (geo.maps, which imports the gazetteer); only Jupyter asks for it.
        from geo.maps import site_map_html

        return (
            '<div style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start">'
            f"<div>{site_map_html(self)}</div><div>{table}</div></div>"
        )
