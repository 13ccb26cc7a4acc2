"""Distances and durations as reports write them (numbers and units: :mod:`geo.text`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.extract._span import Span
from geo.text import DIGIT_NUMBER, DISTANCE_UNIT, KM_PER_UNIT, NUMBER, parse_number, unit_key

SECONDS_PER_UNIT: dict[str, float] = {"h": 3600.0, "min": 60.0, "s": 1.0}


# --------------------------------------------------------------------------- distances

_QUAL = (
    r"(?:about|around|approximately|approx\.|some|roughly|nearly|almost|close\s+to|"
    r"an\s+estimated|estimated|up\s+to|more\s+than|over|above|at\s+least|less\s+than|under|"
    r"just\s+over|just\s+under|~)"
)
_SEP = r"(?:\s*-\s*|\s+|(?<=\d))"
_RANGE_NUM = (
    rf"(?:between\s+(?P<lo1>{NUMBER})\s+and\s+(?P<hi1>{NUMBER})|"
    rf"(?P<lo2>{NUMBER})\s*(?:-|–|to)\s*(?P<hi2>{NUMBER})|(?P<one>{NUMBER}))"
)
_DIST_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<qual>{_QUAL})\s+)?{_RANGE_NUM}{_SEP}(?P<unit>{DISTANCE_UNIT})",
    re.IGNORECASE,
)
_CONV_NUM = rf"{NUMBER}(?:\s*(?:-|–|to)\s*{NUMBER})?"
_CONVERSION_RE = re.compile(
    rf"\s*(?:\(\s*(?:{_QUAL}\s+)?{_CONV_NUM}{_SEP}{DISTANCE_UNIT}[^)]*\)|"
    rf",?\s+or\s+(?:{_QUAL}\s+)?{_CONV_NUM}{_SEP}{DISTANCE_UNIT})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Distance:
    """A distance as written in a report.

    ``value_km`` is the value (the upper bound of an interval such as
    "between 400 and 450 km", with ``low_km`` its lower bound); ``unit`` is the
    unit as written (``km``, ``mi`` or ``nmi``); ``approximate`` is true for
    qualified numbers ("about", "some", "more than") and intervals.
    """

    value_km: float
    low_km: float
    unit: str
    approximate: bool
    qualifier: str
    span: Span
    number_span: Span
    conversion: Span | None = None


def find_distances(text: str) -> list[Distance]:
    """Find every distance in *text*, skipping conversions given in brackets.

    The first unit given wins: in ``1,500 kilometers (932 miles)`` the miles
    are a conversion and are not a second distance.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    list of Distance
        In text order.

    Examples
    --------
    >>> [(d.value_km, d.approximate) for d in find_distances("flew 1,500 kilometers (932 miles)")]
    [(1500.0, False)]
    >>> d = find_distances("some 620 miles")[0]
    >>> round(d.value_km, 1), d.unit, d.approximate, d.span.text
    (997.8, 'mi', True, 'some 620 miles')
    >>> find_distances("a 500-km range")[0].value_km
    500.0
    """
    out: list[Distance] = []
    pos = 0
    while True:
        m = _DIST_RE.search(text, pos)
        if m is None:
            break
        unit = unit_key(m.group("unit"))
        factor = KM_PER_UNIT[unit]
        if m.group("one") is not None:
            lo = hi = parse_number(m.group("one"))
            nstart, nend = m.span("one")
        else:
            lo_s = m.group("lo1") or m.group("lo2")
            hi_s = m.group("hi1") or m.group("hi2")
            lo, hi = parse_number(lo_s), parse_number(hi_s)
            nstart = m.start("lo1") if m.group("lo1") else m.start("lo2")
            nend = m.end("hi1") if m.group("hi1") else m.end("hi2")
        qual = re.sub(r"\s+", " ", (m.group("qual") or "").lower())
        conv = _CONVERSION_RE.match(text, m.end())
        conv_span = None
        pos = m.end()
        if conv is not None:
            cs = conv.start() + len(conv.group(0)) - len(conv.group(0).lstrip())
            conv_span = Span(cs, conv.end(), text[cs : conv.end()])
            pos = conv.end()
        if hi <= 0 or re.match(
            r"\s*(?:/\s*h|/\s*hr|/\s*s|per\s+(?:hour|second)|an\s+hour)\b",
            text[m.end() : m.end() + 12],
            re.I,
        ):
            continue  # a speed such as 6,000 km/h
        if m.group("one") is not None and not qual:
            out += _listed_before(
                text, m.start(), pos_floor=out[-1].span.end if out else 0, unit=unit
            )
        out.append(
            Distance(
                value_km=round(hi * factor, 3),
                low_km=round(lo * factor, 3),
                unit=unit,
                approximate=bool(qual) or lo != hi,
                qualifier=qual,
                span=Span(m.start(), m.end(), m.group(0)),
                number_span=Span(nstart, nend, text[nstart:nend]),
                conversion=conv_span,
            )
        )
    return out


_LIST_BEFORE = re.compile(
    rf"(?P<list>(?:{DIGIT_NUMBER})(?:\s*,\s*(?:{DIGIT_NUMBER}))*),?\s+(?:and|or)\s+$"
)


def _listed_before(text: str, start: int, *, pos_floor: int, unit: str) -> list[Distance]:
    """ "travelled 390 and 340 km": the numbers listed before a distance share its unit."""
    window_start = max(pos_floor, start - 60)
    m = _LIST_BEFORE.search(text, window_start, start)
    if m is None or (m.start() > 0 and re.match(r"[\w.,-]", text[m.start() - 1])):
        return []
    if re.search(r"\b(?:in|since|of|during|by|until|on)\s+$", text[window_start : m.start()], re.I):
        return []  # "in 2017 and 500 km": a year, not a distance
    out = []
    for n in re.finditer(DIGIT_NUMBER, m.group("list")):
        a, b = m.start("list") + n.start(), m.start("list") + n.end()
        value = parse_number(n.group(0))
        if value <= 0:
            continue
        km = round(value * KM_PER_UNIT[unit], 3)
        out.append(
            Distance(
                value_km=km,
                low_km=km,
                unit=unit,
                approximate=False,
                qualifier="",
                span=Span(a, b, text[a:b]),
                number_span=Span(a, b, text[a:b]),
            )
        )
    return out


# --------------------------------------------------------------------------- durations

_TIME_UNIT = r"(?:hours?|hrs?|minutes?|mins?|seconds?|secs?)\b"
_TIME_PART = rf"(?:{NUMBER})\s*-?\s*{_TIME_UNIT}"
_DUR_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<qual>{_QUAL})\s+)?(?:"
    rf"between\s+(?P<lo1>{NUMBER})\s+and\s+(?P<hi1>{NUMBER})\s*(?P<u1>{_TIME_UNIT})|"
    rf"(?P<lo2>{NUMBER})\s*(?:-|–|to)\s*(?P<hi2>{NUMBER})\s*(?P<u2>{_TIME_UNIT})|"
    rf"(?P<seq>{_TIME_PART}(?:(?:\s*,\s*|\s+and\s+|\s+){_TIME_PART})*))",
    re.IGNORECASE,
)
_TIME_PART_RE = re.compile(rf"(?P<n>{NUMBER})\s*-?\s*(?P<u>{_TIME_UNIT})", re.IGNORECASE)


def _time_factor(unit: str) -> float:
    u = unit.lower()
    if u.startswith("h"):
        return SECONDS_PER_UNIT["h"]
    if u.startswith("m"):
        return SECONDS_PER_UNIT["min"]
    return SECONDS_PER_UNIT["s"]


@dataclass(frozen=True)
class Duration:
    """A duration as written: ``low_s``–``high_s`` seconds (equal for one value)."""

    low_s: float
    high_s: float
    approximate: bool
    span: Span


def find_durations(text: str) -> list[Duration]:
    """Find durations: ``47 minutes 12 seconds``, ``between 7,507 and 7,511 seconds``.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    list of Duration
        In text order.

    Examples
    --------
    >>> [(d.low_s, d.high_s) for d in find_durations("it flew for 47 minutes 12 seconds")]
    [(2832.0, 2832.0)]
    >>> [(d.low_s, d.high_s) for d in find_durations("between 7,507 and 7,511 seconds")]
    [(7507.0, 7511.0)]
    >>> find_durations("tracked for six minutes")[0].high_s
    360.0
    """
    out: list[Duration] = []
    for m in _DUR_RE.finditer(text):
        if m.group("seq"):
            total = 0.0
            for part in _TIME_PART_RE.finditer(m.group("seq")):
                total += parse_number(part.group("n")) * _time_factor(part.group("u"))
            lo = hi = total
        else:
            unit = m.group("u1") or m.group("u2")
            lo = parse_number(m.group("lo1") or m.group("lo2")) * _time_factor(unit)
            hi = parse_number(m.group("hi1") or m.group("hi2")) * _time_factor(unit)
        if hi <= 0:
            continue
        out.append(
            Duration(
                low_s=lo,
                high_s=hi,
                approximate=bool(m.group("qual")),
                span=Span(m.start(), m.end(), m.group(0)),
            )
        )
    return out
