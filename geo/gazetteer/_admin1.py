"""Provinces: Natural Earth admin-1 polygons, their names old and new, and containment.

Two files ship in ``data/``: both Koreas at full 1:10m resolution, loaded on the first
province question, and the provinces of the other launch-site countries (simplified),
loaded only when a province outside Korea is named or a point outside Korea is asked
about.  Names are matched folded (case, diacritics, apostrophes), with or without the
generic word ("Province", "-do", "State", "Oblast", "Governorate").
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from geo.gazetteer._country import same_country
from geo.gazetteer._names import _compact, _fold_tokens
from geo.gazetteer._site import Site
from geo.resources import data_path
from geo.wgs84 import GEOD

log = logging.getLogger(__name__)

#: Allowance at the coast: the 1:10m coastline misses small islands and spits.
COAST_MARGIN_KM = 5.0

_GENERIC = frozenset(
    {
        *("province", "provinces", "do", "state", "region", "oblast", "oblysy", "krai"),
        *("governorate", "prefecture", "sheng", "autonomous", "special", "self", "governing"),
        *("muhafazat", "ostan", "e", "of", "the"),
    }
)
# Korea's box (with its seas): points inside are looked up in the Korean file first.
_KOREA_BOX = (124.0, 33.0, 131.9, 43.1)


@dataclass(frozen=True)
class Province:
    """One admin-1 unit: its ISO 3166-2 code, name, country and geometry."""

    code: str
    name: str
    country: str
    names: tuple[str, ...]
    geometry: BaseGeometry

    def distance_km(self, lat: float, lon: float) -> float:
        """Geodesic distance from the point to the province (0 inside)."""
        point = Point(lon, lat)
        if self.geometry.covers(point):
            return 0.0
        near = nearest_points(self.geometry, point)[0]
        return float(GEOD.inv(lon, lat, near.x, near.y)[2]) / 1000.0

    @functools.cached_property
    def centre(self) -> tuple[float, float, float]:
        """(lat, lon, radius_km): a point inside and the distance to its farthest vertex."""
        point = self.geometry.representative_point()
        parts = getattr(self.geometry, "geoms", [self.geometry])
        coords = np.concatenate([np.asarray(p.exterior.coords) for p in parts])
        n = len(coords)
        _, _, dist = GEOD.inv(np.full(n, point.x), np.full(n, point.y), coords[:, 0], coords[:, 1])
        return float(point.y), float(point.x), float(np.max(dist)) / 1000.0

    def label(self) -> str:
        """Name and code, e.g. ``"Hamgyong-namdo (South Hamgyong, KP-08)"``."""
        english = next((n for n in self.names if n.isascii() and n != self.name), "")
        shown = f"{self.name} ({english}, {self.code})" if english else f"{self.name} ({self.code})"
        return shown


class _Layer:
    """The provinces of one file, by code and by folded name."""

    def __init__(self, filename: str) -> None:
        started = time.perf_counter()
        with data_path(filename).open(encoding="utf-8") as handle:
            features = json.load(handle)["features"]
        parts: dict[str, list[BaseGeometry]] = {}
        info: dict[str, tuple[str, str, list[str]]] = {}
        for feature in features:
            props = feature["properties"]
            code = props["iso_3166_2"]
            parts.setdefault(code, []).append(shape(feature["geometry"]))
            names = [props["name"], *(props.get("alt_names") or "").split("|")]
            if code in info:
                info[code][2].extend(names)
            else:
                info[code] = (props["name"], props["iso_a2"], names)
        self.provinces: dict[str, Province] = {}
        self.by_name: dict[str, list[str]] = {}
        for code, geoms in parts.items():
            name, country, names = info[code]
            geometry = geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)
            shapely.prepare(geometry)
            kept = tuple(dict.fromkeys(n for n in names if n))
            self.provinces[code] = Province(code, name, country, kept, geometry)
            for label in kept:
                for key in _name_keys(label):
                    bucket = self.by_name.setdefault(key, [])
                    if code not in bucket:
                        bucket.append(code)
        log.debug(
            "admin-1 %s: %d provinces in %.2f s",
            filename,
            len(parts),
            time.perf_counter() - started,
        )

    def named(self, key: str) -> list[Province]:
        return [self.provinces[c] for c in self.by_name.get(key, ())]

    def containing(self, lat: float, lon: float) -> list[Province]:
        point = Point(lon, lat)
        return [p for p in self.provinces.values() if p.geometry.covers(point)]


def _name_keys(label: str) -> set[str]:
    tokens = _fold_tokens(label)
    keys = {_compact(tokens)}
    core = list(tokens)
    while len(core) > 1 and core[-1] in _GENERIC:
        core.pop()
    while len(core) > 1 and core[0] in _GENERIC:
        core.pop(0)
    keys.add(_compact(core))
    keys.discard("")
    return keys


_lock = threading.Lock()
_layers: dict[str, _Layer] = {}


def _layer(which: str) -> _Layer:
    if which not in _layers:
        with _lock:
            if which not in _layers:
                _layers[which] = _Layer(f"admin1_{which}.geojson")
    return _layers[which]


def province_key(text: str) -> str:
    """The folded key of a province phrase, without its generic word.

    Examples
    --------
    >>> province_key("South Hamgyong Province"), province_key("Kangwon-do")
    ('southhamgyong', 'kangwon')
    """
    keys = sorted(_name_keys(text), key=len)
    return keys[0] if keys else ""


def find_provinces(text: str, *, country: str | None = None) -> list[Province]:
    """The provinces *text* names (old and new names), those of *country* first.

    The Korean file answers first; the world file is read only when it does not.
    With *country*, provinces of other countries are dropped when one of *country*
    matches.

    Examples
    --------
    >>> [p.code for p in find_provinces("Chagang")], [p.code for p in find_provinces("Jagang")]
    (['KP-04'], ['KP-04'])
    >>> sorted(p.code for p in find_provinces("Kangwon Province"))
    ['KP-07', 'KR-42']
    >>> [p.code for p in find_provinces("Kangwon Province", country="KP")]
    ['KP-07']
    """
    keys = _name_keys(text)
    found: list[Province] = []
    for which in ("korea", "world"):
        if found and which == "world" and (country is None or country in ("KP", "KR")):
            break
        for key in keys:
            for province in _layer(which).named(key):
                if province not in found:
                    found.append(province)
    if country is not None:
        mine = [p for p in found if same_country(p.country, country)]
        if mine:
            return mine
    return found


def _in_korea_box(lat: float, lon: float) -> bool:
    west, south, east, north = _KOREA_BOX
    return west <= lon <= east and south <= lat <= north


def provinces_at(lat: float, lon: float) -> list[Province]:
    """The provinces whose polygon covers the point (none at sea or outside the data).

    Examples
    --------
    >>> [p.code for p in provinces_at(40.0347, 128.1856)]
    ['KP-08']
    """
    if _in_korea_box(lat, lon):
        found = _layer("korea").containing(lat, lon)
        if found:
            return found
    return _layer("world").containing(lat, lon)


def province_by_code(code: str) -> Province | None:
    """The province with ISO 3166-2 *code*, or ``None``.

    Examples
    --------
    >>> province_by_code("IR-12").name
    'Semnan'
    """
    which = "korea" if code[:2] in ("KP", "KR") else "world"
    return _layer(which).provinces.get(code)


def site_in_province(
    site: Site, province: Province, *, curated: bool = False
) -> tuple[bool, float]:
    """Whether *site* lies in *province*, and its distance from the polygon (km).

    A curated row's ``admin1`` code decides where it is given (the 1:10m coast
    misses islands); otherwise the site is in when the polygon comes within its own
    precision plus :data:`COAST_MARGIN_KM` of the point.

    Examples
    --------
    >>> from geo.gazetteer import geocode
    >>> site_in_province(geocode("Sinpo"), province_by_code("KP-08"))
    (True, 0.0)
    """
    if site.admin1 and site.admin1 == province.code:
        return True, 0.0
    distance_km = province.distance_km(site.lat, site.lon)
    if site.admin1 and curated:
        return False, distance_km
    return distance_km <= site.precision_km + COAST_MARGIN_KM, distance_km


def where_is(site: Site) -> str:
    """The province a site is in, as a label (``"nowhere in the admin-1 data"``)."""
    if site.admin1:
        province = province_by_code(site.admin1)
        if province is not None:
            return province.label()
    found = provinces_at(site.lat, site.lon)
    return found[0].label() if found else "no province of the admin-1 data"


def province_site(province: Province, *, query: str, note: str = "") -> Site:
    """A province-level answer: a point inside it, with its radius as precision.

    Examples
    --------
    >>> s = province_site(province_by_code("KP-03"), query="North Pyongan Province")
    >>> s.match, s.admin1, s.precision_km > 50
    ('province', 'KP-03', True)
    """
    lat, lon, radius_km = province.centre
    return Site(
        id=None,
        name=province.label(),
        lat=lat,
        lon=lon,
        precision_km=round(radius_km, 1),
        kind="province",
        source=(
            "Natural Earth 1:10m admin-1 (public domain): a representative point inside "
            "the province; precision = distance to its farthest vertex"
        ),
        match="province",
        query=query,
        note=note or "only the province is named: the site may lie anywhere in it",
        country=province.country,
        admin1=province.code,
    )


def province_labels(provinces: Iterable[Province]) -> str:
    """``"A (KP-07) or B (KR-42)"`` for messages."""
    return " or ".join(p.label() for p in provinces)
