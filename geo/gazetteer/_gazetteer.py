"""The Gazetteer: the curated tables, their name indexes, and the resolution order.

:meth:`Gazetteer.geocode` reads coordinates (``_grammar``), then takes the phrase
apart (``_phrase``) and resolves it through the layers of ``_resolve``: the curated
tables (the indexes here), the facility rows (``_facilities``), the offline town
gazetteer (``_index``), provinces (``_admin1``) and, when asked, the online geocoder
(``_online``).
"""

from __future__ import annotations

import difflib
import functools
import heapq
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from geo.errors import AmbiguousSiteError, UnknownSiteError
from geo.gazetteer._country import as_country
from geo.gazetteer._facilities import airfield_sites, cns_sites
from geo.gazetteer._format import sites_html
from geo.gazetteer._grammar import coordinates_site
from geo.gazetteer._mentions import find_mentions
from geo.gazetteer._names import (
    _LEVEL_MATCH,
    _compact,
    _derived_keys,
    _fold_tokens,
    _strip_filler,
)
from geo.gazetteer._online import OnlineGeocoder, _GeopyLike, online_site
from geo.gazetteer._region import Region, RegionLike, _as_region
from geo.gazetteer._resolve import Resolver
from geo.gazetteer._site import Site
from geo.gazetteer._table import _read_sites_csv
from geo.resources import data_path

_MEMO_SIZE = 65536  # resolved offline answers kept per Gazetteer (Sites are immutable)


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
        self._memo: dict[tuple[str, Region, str | None], Site] = {}

    # -- construction ------------------------------------------------------------

    @classmethod
    def load(cls, sites: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Return the bundled gazetteer, merged with the user table *sites* if given.

        The bundled curated tables are ``data/sites.csv`` (Korea) and
        ``data/world_sites.csv`` (launch sites elsewhere).

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
        bundled = _file_key(data_path("sites.csv"))
        world = _file_key(data_path("world_sites.csv"))
        if sites is None:
            return _load_cached(bundled, world, None)
        return _load_cached(bundled, world, _file_key(Path(sites)))

    @classmethod
    def from_files(
        cls,
        bundled: str | os.PathLike[str],
        user: str | os.PathLike[str] | None = None,
        *,
        world: str | os.PathLike[str] | None = None,
    ) -> Gazetteer:
        """Build a gazetteer from bundled-format tables and an optional user table.

        *world* is a second bundled table (``data/world_sites.csv`` in :meth:`load`).

        Examples
        --------
        >>> gaz = Gazetteer.from_files(data_path("sites.csv"))
        >>> gaz.geocode("Kimchaek").id
        'kimchaek'
        """
        base = _read_sites_csv(Path(bundled), bundled=True)
        if world is not None:
            base += _read_sites_csv(Path(world), bundled=True)
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
        return sites_html(self.sites)

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
        country: str | None = None,
        online: bool | _GeopyLike | OnlineGeocoder = False,
    ) -> Site:
        """Resolve *text* to a :class:`Site` (see :mod:`geo.gazetteer` for the order).

        Parameters
        ----------
        text
            A place phrase, an offset phrase or a coordinate pair.
        region
            Where facility, town and online answers are trusted: a :class:`Region`,
            a box ``(west, south, east, north)``, ``"korea"``; default the whole
            world.  Curated rows are always trusted.
        country
            The report's country (ISO 3166-1 alpha-2 such as ``"KP"``, or a name
            such as ``"Iran"``): that country's places are preferred, and a name
            known only far from it is refused with the candidates.
        online
            ``True`` to ask Nominatim when everything offline failed; or an
            :class:`OnlineGeocoder` / geopy-like geocoder object to use instead.

        Raises
        ------
        UnknownSiteError
            Nothing matched (with the three closest known names); an answer lies
            outside *region* or far from *country*; a qualifier (province, country,
            nearby place) disagrees with the answer; a feature word ("Airport",
            "Bay", "County") fits no row.
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
        context = as_country(country)
        if online is False and isinstance(text, str):
            memo_key = (text, trusted, context)
            hit = self._memo.get(memo_key)
            if hit is None:
                hit = self._geocode(text, trusted, context, online)
                if len(self._memo) < _MEMO_SIZE:
                    self._memo[memo_key] = hit
            return hit
        return self._geocode(text, trusted, context, online)

    def _geocode(
        self,
        text: str,
        trusted: Region,
        country: str | None,
        online: bool | _GeopyLike | OnlineGeocoder,
    ) -> Site:
        if not isinstance(text, str) or not text.strip():
            raise UnknownSiteError(
                str(text), detail=f"empty site text {text!r}: give a place name or coordinates"
            )
        coords = coordinates_site(text)
        if coords is not None:
            return coords

        def again(inner: str, context: str | None) -> Site:
            return self.geocode(inner, region=trusted, country=context, online=online)

        def ask_online(inner: str) -> Site | None:
            return None if online is False else self._online(inner, trusted, online)

        resolver = Resolver(self, trusted, country, again, ask_online)
        return resolver.resolve(text)

    def _online(
        self, text: str, region: Region, online: bool | _GeopyLike | OnlineGeocoder
    ) -> Site | None:
        return online_site(text, region, online, suggest=self.suggest)

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
        return _closest(key, self._labels, n)

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
        return find_mentions(self, text)


def _closest(key: str, labels: Sequence[tuple[str, str]], n: int) -> list[str]:
    """The *n* names whose best label is closest to *key* by difflib's ratio, best first.

    Ties go to the name that sorts first.  The result is that of scoring every label
    with ``SequenceMatcher(None, label, key).ratio()``, but a label is scored only if its
    bound reaches the *n*-th best score so far.  The bound is ``2 * LCS / (len(label) +
    len(key))``: difflib's matching blocks are a common subsequence of the two, so their
    size is at most the longest one (LCS, computed bit-parallel).  Labels are scored in
    decreasing bound, so the few that can rank are scored and the loop stops early.
    """
    total = len(key)
    masks: dict[str, int] = {}
    for i, char in enumerate(key):
        masks[char] = masks.get(char, 0) | (1 << i)
    bounds = sorted(
        (
            (2.0 * _lcs_length(label, masks, total) / (len(label) + total), label, name)
            for label, name in labels
        ),
        key=lambda item: -item[0],
    )
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(key)
    scores: dict[str, float] = {}
    floor = -1.0  # the n-th best score so far (-1 while fewer than n names are scored)
    for bound, label, name in bounds:
        if bound < floor:
            break
        matcher.set_seq1(label)
        score = matcher.ratio()
        if score > scores.get(name, -1.0):
            scores[name] = score
            if len(scores) >= n:
                floor = heapq.nlargest(n, scores.values())[-1]
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [name for name, _ in ranked[:n]]


def _lcs_length(text: str, masks: dict[str, int], length: int) -> int:
    """Length of the longest common subsequence of *text* and the string of *masks*.

    *masks* maps each character of that string (of *length* characters) to the bit set
    of its positions (bit-parallel LCS, Allison-Dix / Hyyrö: one pass over *text*).
    """
    full = (1 << length) - 1
    row = full
    for char in text:
        match = row & masks.get(char, 0)
        row = ((row + match) | (row - match)) & full
    return length - row.bit_count()


def _file_key(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _load_cached(
    bundled: tuple[str, int, int], world: tuple[str, int, int], user: tuple[str, int, int] | None
) -> Gazetteer:
    return Gazetteer.from_files(bundled[0], user[0] if user else None, world=world[0])


@functools.cache
def facility_gazetteers() -> tuple[Gazetteer, Gazetteer]:
    """The facility layer's two tables: CNS facility points, OurAirports airfields.

    Examples
    --------
    >>> cns, airfields = facility_gazetteers()
    >>> cns.geocode("Koksan").id, len(airfields) > 80
    ('cns-koksan', True)
    """
    return Gazetteer(cns_sites()), Gazetteer(airfield_sites())


def geocode(
    text: str,
    *,
    sites: str | os.PathLike[str] | None = None,
    region: RegionLike = None,
    country: str | None = None,
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
        Where facility, town and online answers are trusted (default: the whole
        world); see :meth:`Gazetteer.geocode`.
    country
        The report's country (``"KP"``, ``"IR"``, ``"Russia"``...): its places are
        preferred, names known only far from it are refused.
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
    >>> geocode("Sinpo City, South Hamgyong Province").id
    'sinpo'
    >>> geocode("Plesetsk", country="RU").id
    'plesetsk-cosmodrome'
    >>> geocode("Brigadoon")
    Traceback (most recent call last):
    ...
    geo.errors.UnknownSiteError: unknown site 'Brigadoon'; closest known names: ...
    """
    return Gazetteer.load(sites).geocode(text, region=region, online=online, country=country)


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
