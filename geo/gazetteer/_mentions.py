"""Site mentions in free text: coordinates, table names in any accepted spelling, offsets."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from geo.errors import AmbiguousSiteError, GeorangeError
from geo.gazetteer._grammar import _OFFSET_TAIL_RE, _TEXT_COORD_RE, _compass, offset_from
from geo.gazetteer._site import Site

if TYPE_CHECKING:  # the Gazetteer calls this module: a run-time import would cycle
    from geo.gazetteer._gazetteer import Gazetteer

_TEXT_WORD_RE = re.compile(
    r"[^\W_](?:[^\W_]|[\u0300-\u036f])*"
    r"(?:['’ʼ‘](?![sS]\b)[^\W_](?:[^\W_]|[\u0300-\u036f])*)*"
)
_GAP_RE = re.compile(r"\s{1,3}|[ \t]*[-‐‑–][ \t]*")
_AIRFIELD_WORDS = frozenset({"airport", "airfield", "airbase", "aerodrome", "airstrip", "base"})


def find_mentions(gazetteer: Gazetteer, text: str) -> list[tuple[Site, int, int]]:
    """Site mentions in *text* as ``(site, start, end)``, start-sorted (see Gazetteer)."""
    found: list[tuple[Site, int, int]] = []
    taken: list[tuple[int, int]] = []
    for m in _TEXT_COORD_RE.finditer(text):
        try:
            site = gazetteer.geocode(m.group(0))
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
        hit = _name_at(gazetteer, text, words, i)
        if hit is None:
            i += 1
            continue
        site, length = hit
        start, end = words[i].start(), words[i + length - 1].end()
        site, start = _with_offset(text, site, start, end)
        found.append((site, start, end))
        i += length
    found.sort(key=lambda item: item[1])
    return found


def _name_at(
    gazetteer: Gazetteer, text: str, words: list[re.Match[str]], i: int
) -> tuple[Site, int] | None:
    """The table site named by the longest run of words from ``words[i]``, and its length.

    The curated tables first; then the facility layer (CNS facility rows, and the
    OurAirports airfields for a run that ends with an airfield word).
    """
    from geo.gazetteer._gazetteer import facility_gazetteers  # the Gazetteer imports us

    cns, airfields = facility_gazetteers()
    tables = [(gazetteer, False), (cns, False), (airfields, True)]
    longest = max(g._max_tokens for g, _ in tables)
    for length in range(min(longest, len(words) - i), 0, -1):
        window = words[i : i + length]
        gaps = [text[a.end() : b.start()] for a, b in itertools.pairwise(window)]
        if any(not _GAP_RE.fullmatch(g) for g in gaps):
            continue
        span = text[window[0].start() : window[-1].end()]
        for table, airfield_only in tables:
            if length > table._max_tokens or (
                airfield_only and window[-1].group(0).casefold() not in _AIRFIELD_WORDS
            ):
                continue
            try:
                candidate = table._lookup_table(span, filler=False)
            except AmbiguousSiteError:
                candidate = None
            if candidate is not None:
                if table is not gazetteer:
                    candidate = replace(candidate, match="facility")
                return (candidate, length)
    return None


def _with_offset(text: str, site: Site, start: int, end: int) -> tuple[Site, int]:
    """The offset point and its start when an offset phrase ends right before the mention."""
    head = max(0, start - 160)
    tail = _OFFSET_TAIL_RE.search(text[head:start])
    if tail:
        bearing = _compass(tail.group("dir"))
        if bearing is not None:
            start = head + tail.start()
            site = offset_from(site, tail, bearing, query=text[start:end])
    return site, start
