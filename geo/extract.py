"""From the text of a news report to range claims in the catalog's schema.

Rules, not models: a number parser, a handful of cue-word patterns and the
gazetteer (:func:`geo.gazetteer.find_sites`).  Every field of every claim keeps
the character span of the words it came from, so a reader can check it.

How a report is read
--------------------
1. The text is cut into sentences (spans into the original text; nothing is
   rewritten); a sentence that holds two different dates, or a comparison
   (", farther than the 800 km flown in April"), is cut in two.
2. Each sentence is searched for quantities (distances, durations), dates
   (relative ones resolved against ``reported_on``; the day a statement was
   made is not the day of the launch), claimants, missiles, counts, directions
   and site mentions (a site counts only after a launch cue: "fired from",
   "near", "off"; places merely mentioned and speakers such as "Pyongyang
   said" do not).
3. Each distance gets a *role* from the words around it (see
   :data:`DISTANCE_ROLES` and :func:`explain_distances`): ``flown``,
   ``claimed`` (a maximum range claimed by the launching state),
   ``class-estimate`` (the range of a missile type), ``apogee``, ``offset``
   ("17 km northeast of Wonsan" locates the site), ``distance`` ("Guam is
   3,400 km from North Korea"), ``speculation`` ("could fly 13,000 km",
   "believed to have travelled"), ``superseded`` (a revised figure),
   ``denied``, ``difference``, ``definition`` or ``unknown``.  Only the first
   three become ranges.
4. Sentences are grouped into events: the lead launch of the report and
   background launches that carry their own date or an "earlier/previously"
   cue.  Sites and dates are shared within an event; missiles, counts,
   directions and flight details only within a paragraph (or from the event's
   first sentence), and only from sentences of the same claimant's side.
5. One claim per range (flown, claimed or class estimate) per event; an event
   with a launch site (or province) but no range gives one claim without range.
   Anything that is not sure is left out: a wrong claim is worse than a
   missing one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from geo.catalog import EVENT_COLUMNS, SITE_COLUMNS, site_columns
from geo.errors import ExtractionError

__all__ = [
    "CATALOG_COLUMNS",
    "CLAIMANTS",
    "CLAIM_COLUMNS",
    "CSV_COLUMNS",
    "DISTANCE_ROLES",
    "Claim",
    "DateMention",
    "Distance",
    "Duration",
    "Span",
    "claims_catalog",
    "claims_frame",
    "explain_distances",
    "extract_claims",
    "find_claimants",
    "find_dates",
    "find_distances",
    "find_durations",
    "format_claims",
    "parse_number",
    "read_report",
]

log = logging.getLogger(__name__)

#: The columns of ``data/events.csv``, in order (the catalog owns them).
CATALOG_COLUMNS: tuple[str, ...] = EVENT_COLUMNS

#: Catalog columns plus the fields only extraction knows.
CLAIM_COLUMNS: tuple[str, ...] = (
    *CATALOG_COLUMNS,
    "approximate",
    "flight_time_s",
    "apogee_km",
    "count",
    "direction",
    "province",
    "site_id",
    "lat",
    "lon",
    "precision_km",
)

#: The columns of ``format_claims(..., fmt="csv")`` before ``evidence``: an events file that
#: :func:`geo.load_catalog` reads (it geocodes ``site`` itself, so no coordinates here).
CSV_COLUMNS: tuple[str, ...] = tuple(
    c for c in CLAIM_COLUMNS if c not in ("site_id", "lat", "lon", "precision_km")
)

KM_PER_UNIT: dict[str, float] = {"km": 1.0, "mi": 1.609344, "nmi": 1.852, "m": 0.001}
SECONDS_PER_UNIT: dict[str, float] = {"h": 3600.0, "min": 60.0, "s": 1.0}


class Span(NamedTuple):
    """Where a value came from: ``text[start:end] == span.text``."""

    start: int
    end: int
    text: str


# --------------------------------------------------------------------------- numbers

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_WORD = "|".join(sorted([*_ONES, *_TENS], key=len, reverse=True))
_WORD_NUM = (
    rf"(?:(?:{_WORD})(?:-(?:{_WORD}))?|an?(?=\s+(?:hundred|thousand|hour)\b))"
    rf"(?:(?:\s+and\s+|\s+|-)(?:(?:{_WORD})(?:-(?:{_WORD}))?|hundred|thousand))*"
)
_DIGIT_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM = rf"(?:{_DIGIT_NUM}|\b(?:{_WORD_NUM})\b)"


def parse_number(text: str) -> float:
    """Parse a number as reports write it: digits with thousands commas, or words.

    Parameters
    ----------
    text
        ``"1,500"``, ``"1,001.2"``, ``"two thousand"``, ``"fifteen hundred"``,
        ``"forty-seven"``, ``"a hundred"``.

    Returns
    -------
    float
        The value.

    Raises
    ------
    ExtractionError
        When the text is not a number.

    Examples
    --------
    >>> parse_number("1,500")
    1500.0
    >>> parse_number("two thousand")
    2000.0
    >>> parse_number("two hundred and fifty")
    250.0
    >>> parse_number("fifteen hundred")
    1500.0
    """
    s = text.strip().lower()
    if re.fullmatch(_DIGIT_NUM, s):
        return float(s.replace(",", ""))
    tokens = [t for t in re.split(r"[\s-]+", s) if t and t != "and"]
    if not tokens:
        raise ExtractionError(f"{text!r} is not a number; write digits such as '1,500'")
    total = 0.0
    current = 0.0
    for tok in tokens:
        if tok in ("a", "an"):
            current = 1.0
        elif tok in _ONES:
            current += _ONES[tok]
        elif tok in _TENS:
            current += _TENS[tok]
        elif tok == "hundred":
            current = (current or 1.0) * 100
        elif tok == "thousand":
            total += (current or 1.0) * 1000
            current = 0.0
        else:
            raise ExtractionError(
                f"{text!r} is not a number (the word {tok!r} is not understood); "
                "write digits such as '1,500'"
            )
    return total + current


# --------------------------------------------------------------------------- distances

_QUAL = (
    r"(?:about|around|approximately|approx\.|some|roughly|nearly|almost|close\s+to|"
    r"an\s+estimated|estimated|up\s+to|more\s+than|over|above|at\s+least|less\s+than|under|"
    r"just\s+over|just\s+under|~)"
)
_DIST_UNIT = r"(?:kilomet(?:er|re)s?|kms?\b|nautical\s+miles?|(?-i:nmi|NM)\b|miles?\b|(?-i:mi)\b)"
_SEP = r"(?:\s*-\s*|\s+|(?<=\d))"
_RANGE_NUM = (
    rf"(?:between\s+(?P<lo1>{_NUM})\s+and\s+(?P<hi1>{_NUM})|"
    rf"(?P<lo2>{_NUM})\s*(?:-|–|to)\s*(?P<hi2>{_NUM})|(?P<one>{_NUM}))"
)
_DIST_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<qual>{_QUAL})\s+)?{_RANGE_NUM}{_SEP}(?P<unit>{_DIST_UNIT})",
    re.IGNORECASE,
)
_CONV_NUM = rf"{_NUM}(?:\s*(?:-|–|to)\s*{_NUM})?"
_CONVERSION_RE = re.compile(
    rf"\s*(?:\(\s*(?:{_QUAL}\s+)?{_CONV_NUM}{_SEP}{_DIST_UNIT}[^)]*\)|"
    rf",?\s+or\s+(?:{_QUAL}\s+)?{_CONV_NUM}{_SEP}{_DIST_UNIT})",
    re.IGNORECASE,
)


def _unit_key(unit: str) -> str:
    u = unit.lower()
    if u.startswith("naut") or u == "nmi":
        return "nmi"
    if unit == "NM":
        return "nmi"
    if u.startswith("mi"):
        return "mi"
    return "km"


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
        unit = _unit_key(m.group("unit"))
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
    rf"(?P<list>(?:{_DIGIT_NUM})(?:\s*,\s*(?:{_DIGIT_NUM}))*),?\s+(?:and|or)\s+$"
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
    for n in re.finditer(_DIGIT_NUM, m.group("list")):
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
_TIME_PART = rf"(?:{_NUM})\s*-?\s*{_TIME_UNIT}"
_DUR_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<qual>{_QUAL})\s+)?(?:"
    rf"between\s+(?P<lo1>{_NUM})\s+and\s+(?P<hi1>{_NUM})\s*(?P<u1>{_TIME_UNIT})|"
    rf"(?P<lo2>{_NUM})\s*(?:-|–|to)\s*(?P<hi2>{_NUM})\s*(?P<u2>{_TIME_UNIT})|"
    rf"(?P<seq>{_TIME_PART}(?:(?:\s*,\s*|\s+and\s+|\s+){_TIME_PART})*))",
    re.IGNORECASE,
)
_TIME_PART_RE = re.compile(rf"(?P<n>{_NUM})\s*-?\s*(?P<u>{_TIME_UNIT})", re.IGNORECASE)


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


# --------------------------------------------------------------------------- dates

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    (
        "mdy",
        re.compile(rf"\b(?P<month>{_MONTH})\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?"),
    ),
    ("dmy", re.compile(rf"\b{_DAY}\s+(?P<month>{_MONTH})(?:,?\s+{_YEAR}\b)?")),
    (
        "month",
        re.compile(
            rf"\b(?:(?i:early|mid|late|earlier\s+in|later\s+in|in|during|since)[\s-]+)"
            rf"(?P<month>{_MONTH})(?:\s+{_YEAR})?\b"
        ),
    ),
    ("monthyear", re.compile(rf"\b(?P<month>{_MONTH})\s+{_YEAR}\b")),
    ("year", re.compile(rf"\b(?i:in|during|of|since)\s+{_YEAR}\b(?![,.]?\d)")),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?i:early|late)\s+)?(?i:on)\s+(?P<weekday>{_WEEKDAY})\b|"
            rf"\b(?P<weekday2>{_WEEKDAY})(?:'s|’s)\s+(?:launch|test|firing)",
        ),
    ),
    (
        "today",
        re.compile(r"\b(?P<rel>today|yesterday|earlier\s+today|the\s+previous\s+day)\b", re.I),
    ),
    (
        "relmonth",
        re.compile(
            r"\b(?P<rel>(?:earlier|later)\s+this\s+month|this\s+month|last\s+month)\b", re.I
        ),
    ),
    (
        "relyear",
        re.compile(r"\b(?P<rel>(?:earlier|later)\s+this\s+year|this\s+year|last\s+year)\b", re.I),
    ),
]


@dataclass(frozen=True)
class DateMention:
    """A date found in a report, resolved as far as the text allows.

    ``date`` follows the catalog: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, or
    ``--MM-DD`` / ``--MM`` when the year is not given (precision
    ``year-uncertain``), or empty (precision ``unknown``, e.g. "on Sunday"
    without ``reported_on``).
    """

    date: str
    precision: str
    span: Span

    @property
    def key(self) -> str:
        """A comparable key: the ISO date, or the words when unresolved."""
        return self.date or self.span.text.lower()


def _month_of(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


def _most_recent(month: int, day: int, reported_on: dt.date) -> dt.date | None:
    for year in (reported_on.year, reported_on.year - 1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            continue
        if d <= reported_on:
            return d
    return None


def find_dates(text: str, *, reported_on: dt.date | None = None) -> list[DateMention]:
    """Find dates: explicit ones, and relative ones resolved against *reported_on*.

    Parameters
    ----------
    text
        Any text.
    reported_on
        The day the report was published; resolves "on Sunday", "yesterday",
        "earlier this month" and dates written without a year.

    Returns
    -------
    list of DateMention
        In text order, overlapping matches removed.

    Examples
    --------
    >>> [(d.date, d.precision) for d in find_dates("It fired on January 25, 2024.")]
    [('2024-01-25', 'day')]
    >>> [(d.date, d.precision) for d in find_dates("on February 2nd")]
    [('--02-02', 'year-uncertain')]
    >>> sunday = find_dates("on Sunday", reported_on=dt.date(2024, 1, 29))[0]
    >>> sunday.date, sunday.precision, sunday.span.text
    ('2024-01-28', 'day', 'on Sunday')
    >>> march_9 = dt.date(2024, 3, 9)
    >>> [(d.date, d.precision) for d in find_dates("earlier this month", reported_on=march_9)]
    [('2024-03', 'month')]
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            res = _resolve_date(kind, m, reported_on)
            if res is None:
                continue
            date, precision = res
            taken.append(m.span())
            found.append(DateMention(date, precision, Span(m.start(), m.end(), m.group(0))))
    found.sort(key=lambda d: d.span.start)
    return found


def _resolve_date(
    kind: str, m: re.Match[str], reported_on: dt.date | None
) -> tuple[str, str] | None:
    g = m.groupdict()
    year = int(g["year"]) if g.get("year") else None
    if kind in ("iso", "mdy", "dmy"):
        month = int(g["month"]) if kind == "iso" else _month_of(g["month"])
        day = int(g["day"])
        if not 1 <= day <= 31:
            return None
        if year is not None:
            try:
                return dt.date(year, month, day).isoformat(), "day"
            except ValueError:
                return None
        if reported_on is not None:
            d = _most_recent(month, day, reported_on)
            if d is not None:
                return d.isoformat(), "day"
        return f"--{month:02d}-{day:02d}", "year-uncertain"
    if kind in ("month", "monthyear"):
        month = _month_of(g["month"])
        if g["month"].lower() == "may" and kind == "month" and year is None:
            return None  # "in May" is too easily the verb; only "May 2024" counts
        if year is None and reported_on is not None:
            year = reported_on.year if month <= reported_on.month else reported_on.year - 1
        if year is None:
            return f"--{month:02d}", "year-uncertain"
        return f"{year:04d}-{month:02d}", "month"
    if kind == "year":
        return f"{year:04d}", "year"
    if kind == "weekday":
        name = (g.get("weekday") or g.get("weekday2") or "").lower()
        if reported_on is None:
            return "", "unknown"
        back = (reported_on.weekday() - _WEEKDAYS.index(name)) % 7
        return (reported_on - dt.timedelta(days=back)).isoformat(), "day"
    rel = re.sub(r"\s+", " ", g["rel"].lower())
    if reported_on is None:
        return "", "unknown"
    if kind == "today":
        back = 0 if rel in ("today", "earlier today") else 1
        return (reported_on - dt.timedelta(days=back)).isoformat(), "day"
    if kind == "relmonth":
        if rel == "last month":
            first = reported_on.replace(day=1) - dt.timedelta(days=1)
            return f"{first.year:04d}-{first.month:02d}", "month"
        return f"{reported_on.year:04d}-{reported_on.month:02d}", "month"
    if rel == "last year":
        return f"{reported_on.year - 1:04d}", "year"
    return f"{reported_on.year:04d}", "year"


# --------------------------------------------------------------------------- claimants

#: Canonical claimant labels, as used in ``data/events.csv``.
KCNA = "KCNA (North Korean state media)"
JCS = "South Korea Joint Chiefs of Staff"
SK_MILITARY = "South Korean military"
JAPAN_MOD = "Japan Ministry of Defense"
JAPAN_GOV = "Japanese government"
US_OFFICIALS = "U.S. officials"
SK_GOV = "South Korean government"
#: The claimant of a claim the report does not attribute (the catalog's label for it).
UNATTRIBUTED = "press reports"

#: Every claimant label :func:`extract_claims` gives.
CLAIMANTS: tuple[str, ...] = (
    KCNA,
    JCS,
    SK_MILITARY,
    SK_GOV,
    JAPAN_MOD,
    JAPAN_GOV,
    US_OFFICIALS,
    UNATTRIBUTED,
)

_APOS = r"(?:'s|’s)"
#: Claimants that speak for the same side (the JCS is part of South Korea's military).
_FAMILY = {JCS: SK_MILITARY, SK_GOV: SK_MILITARY, JAPAN_MOD: JAPAN_GOV}
_CLAIMANT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        KCNA,
        re.compile(
            r"\bKCNA\b|Korean Central News Agency|\b(?:North Korean\s+|North Korea"
            + _APOS
            + r"\s+|Pyongyang"
            + _APOS
            + r"\s+)?(?i:state(?:-run)?|official)\s+(?:media|news agency)\b|Rodong Sinmun|"
            r"\b(?:North Korea|Pyongyang)\s+"
            r"(?:said|says|claimed|claims|announced|reported|stated)\b|"
            r"\b(?:official\s+)?North Korean\s+"
            r"(?:announcement|press release|government|statement)\b"
        ),
    ),
    (JCS, re.compile(r"\bJoint Ch(?:ie|ei)fs(?: of Staff)?\b|\bJCS\b")),
    (
        SK_GOV,
        re.compile(
            r"\bSouth Korean\s+government\b|\bNational Intelligence Service\b|"
            r"\bSouth Korea(?:'s|’s|n)\s+(?:spy|intelligence)\s+agency\b|"
            r"\b(?:South Korea|Seoul)\s+(?:said|says|reported|stated)\b"
        ),
    ),
    (
        SK_MILITARY,
        re.compile(
            r"\bSouth Korea(?:"
            + _APOS
            + r"|n)\s+(?:military|army|defen[cs]e ministry|Ministry of National Defen[cs]e)|"
            r"\bSeoul" + _APOS + r"?\s+(?:military|defen[cs]e ministry)"
        ),
    ),
    (
        JAPAN_MOD,
        re.compile(
            r"\bJapan(?:"
            + _APOS
            + r"|ese)\s+(?:Ministry of Defen[cs]e|[Dd]efen[cs]e\s+[Mm]inist(?:ry|er))"
        ),
    ),
    (
        JAPAN_GOV,
        re.compile(
            r"\bJapan(?:"
            + _APOS
            + r"|ese)\s+(?:government|[Cc]oast [Gg]uard|[Pp]rime [Mm]inister|officials)|"
            r"\b(?:Tokyo|Japan)\s+(?:said|says|reported|stated)\b"
        ),
    ),
    (
        US_OFFICIALS,
        re.compile(
            r"\bU\.?S\.?\s+(?:military\s+|defen[cs]e\s+|intelligence\s+)?officials?\b|"
            r"\bU\.?S\.? Indo-Pacific Command\b|\bU\.?S\.? Forces Korea\b|"
            r"\b(?:[Tt]he\s+)?Pentagon\b|\b(?:PACOM|INDOPACOM|USFK)\b|"
            r"\bU\.?S\.? (?:Pacific|Strategic) Command\b|\bAmerican officials\b"
        ),
    ),
]


def find_claimants(text: str) -> list[tuple[str, Span]]:
    """Find who is making claims: state media, JCS, Japan's defence ministry, U.S. officials.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    list of (label, Span)
        Canonical label and the words it came from, in text order.

    Examples
    --------
    >>> text = "KCNA said so; South Korea's Joint Chiefs of Staff disagreed."
    >>> [c for c, _ in find_claimants(text)]
    ['KCNA (North Korean state media)', 'South Korea Joint Chiefs of Staff']
    >>> find_claimants("according to Japan's defence ministry")[0][0]
    'Japan Ministry of Defense'
    """
    out: list[tuple[str, Span]] = []
    taken: list[tuple[int, int]] = []
    for label, pattern in _CLAIMANT_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append(m.span())
            out.append((label, Span(m.start(), m.end(), m.group(0))))
    out.sort(key=lambda c: c[1].start)
    return out


# --------------------------------------------------------------------------- missiles, counts

_DESIGNATION_RE = re.compile(
    r"\b(?:Hwasong|Hwasal|Pukguksong|Pulhwasal|Haeil|Chollima|Taepodong|Unha|Nodong|Rodong|"
    r"Musudan|Scud|KN)(?:(?:-(?:\d+[A-Za-z]?|ER|B|C|D))+(?:\s*\(\s*KN-\d+\s*\))?|\s+\d+[A-Za-z]?)\b"
)
_MISSILE_MODS = (
    r"unidentified|underwater-to-surface|sea-to-surface|surface-to-surface|strategic|tactical|"
    r"long-range|short-range|medium-range|intermediate-range|intercontinental|"
    r"submarine-launched|ship-launched|hypersonic|solid-fuel(?:ed)?|liquid-fuel(?:ed)?|"
    r"nuclear-capable|guided"
)
_GENERIC_MISSILE_RE = re.compile(
    rf"(?:[\"“”‘’']?(?:{_MISSILE_MODS})[\"“”‘’']?[\s,]+)*"
    r"(?:ballistic|cruise)\s+missiles?\b|"
    r"\b(?:ICBM|IRBM|SRBM|MRBM|SLBM|SLCM)-class\s+missiles?\b|"
    rf"(?:[\"“”‘’']?(?:{_MISSILE_MODS})[\"“”‘’']?[\s,]+)+missiles?\b|"
    r"\b(?:ICBM|IRBM|SRBM|MRBM|SLBM|SLCM)s?\b",
    re.IGNORECASE,
)


def _normalize_missile(raw: str) -> str:
    s = re.sub(r"[\"“”‘’]", "", raw)
    s = re.sub(r"\s+", " ", s.replace(",", " ")).strip()
    if re.fullmatch(r"(?:ICBM|IRBM|SRBM|MRBM|SLBM|SLCM)s", s):
        return s[:-1]
    if s.lower().endswith("missiles"):
        s = s[:-1]
    if _DESIGNATION_RE.fullmatch(s):
        return s
    return s[0].lower() + s[1:] if s[:1].isupper() and not s[:4].isupper() else s


def _find_missiles(text: str) -> list[tuple[str, Span, bool]]:
    """(normalized name, span, is a designation) in text order."""
    out: list[tuple[str, Span, bool]] = []
    for m in _DESIGNATION_RE.finditer(text):
        out.append((_normalize_missile(m.group(0)), Span(m.start(), m.end(), m.group(0)), True))
    for m in _GENERIC_MISSILE_RE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s] in "\"“”‘’' ,":
            s += 1
        out.append((_normalize_missile(text[s:e]), Span(s, e, text[s:e]), False))
    out.sort(key=lambda x: x[1].start)
    return out


_COUNT_WORDS = {w: v for w, v in _ONES.items() if 1 <= v <= 12}
_COUNT_RE = re.compile(
    r"(?<![\w-])(?P<n>" + "|".join(_COUNT_WORDS) + r"|[1-9]\d?|a\s+pair\s+of|a\s+single)\s+"
    r"(?P<mods>(?:[\w\"“”‘’'-]+\s+){0,4}?)"
    r"(?P<noun>missiles|missile|projectiles|projectile|rockets|rocket|ICBMs|ICBM|SRBMs|"
    r"IRBMs|SLBMs)\b",
    re.IGNORECASE,
)


def _find_counts(text: str) -> list[tuple[int, Span]]:
    out: list[tuple[int, Span]] = []
    for m in _COUNT_RE.finditer(text):
        mods = m.group("mods")
        stop = {
            "km",
            "kilometers",
            "kilometres",
            "miles",
            "range",
            "of",
            "and",
            "or",
            "than",
            "with",
        }
        if re.search(r"\d", mods) or stop & {w.lower() for w in mods.split()}:
            continue
        n = m.group("n").lower()
        value = 2 if "pair" in n else 1 if "single" in n else int(parse_number(n))
        out.append((value, Span(m.start(), m.end(), m.group(0))))
    return out


_DIR_WORDS = r"(?:north|south|east|west)(?:-?(?:east|west))?"
_WATERS = (
    r"(?:Sea of Japan|East Sea|Yellow Sea|West Sea|Pacific(?: Ocean)?|"
    r"(?:east|west)(?:ern)? coast)"
)
_DIRECTION_RE = re.compile(
    rf"\b(?:toward|towards|into|in the direction of|over|off|across)\s+"
    rf"(?:the\s+)?(?:(?:sea|waters?)\s+off\s+(?:the\s+|its\s+|the\s+country(?:'s|’s)\s+)?|"
    rf"(?:its|the\s+country(?:'s|’s)|North Korea(?:'s|’s))\s+)?(?P<water>{_WATERS})|"
    rf"\b(?P<ward>{_DIR_WORDS})wards?\b|"
    rf"\bin\s+an?\s+(?P<erly>{_DIR_WORDS})(?:erly|ern)\s+direction\b",
    re.IGNORECASE,
)


def _normalize_direction(m: re.Match[str]) -> str:
    if m.group("water"):
        w = re.sub(r"\s+", " ", m.group("water"))
        low = w.lower()
        if "coast" in low:
            return ("east" if low.startswith("east") else "west") + " coast"
        if low.startswith("pacific"):
            return "Pacific Ocean"
        return " ".join(p if p == "of" else p.capitalize() for p in low.split())
    g = m.groupdict()
    word = (g.get("ward") or g.get("erly") or "").lower().replace("-", "")
    return word


_LANDING_RE = re.compile(
    r"\b(?:land(?:ed|ing|s)?|fell|falling|splash(?:ed|ing)\s+down|c[ao]me\s+down|"
    rf"dropp(?:ed|ing))\s+(?P<prep>in)\s+(?:the\s+)?(?P<water>{_WATERS})",
    re.IGNORECASE,
)


_WATERS_OF_RE = re.compile(
    rf"\b(?:the\s+)?waters?\s+of\s+(?:the\s+)?(?P<water>{_WATERS})", re.IGNORECASE
)


def _find_directions(text: str) -> list[tuple[str, Span]]:
    found = [
        (_normalize_direction(m), Span(m.start(), m.end(), m.group(0)))
        for m in _DIRECTION_RE.finditer(text)
    ]
    for m in _WATERS_OF_RE.finditer(text):
        if not any(
            sp.start <= m.start() < sp.end or m.start() <= sp.start < m.end() for _, sp in found
        ):
            found.append((_normalize_direction(m), Span(m.start(), m.end(), m.group(0))))
    for m in _LANDING_RE.finditer(text):
        s = m.start("prep")
        if not any(sp.start <= s < sp.end for _, sp in found):
            found.append((_normalize_direction(m), Span(s, m.end(), text[s : m.end()])))
    found.sort(key=lambda d: d[1].start)
    return found


# --------------------------------------------------------------------------- sentences

_ABBREV = re.compile(
    r"(?:\b(?:U\.S|U\.N|U\.K|Mr|Mrs|Ms|Dr|Gen|Lt|Col|Adm|Sgt|No|St|vs|approx|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|a\.m|p\.m|e\.g|i\.e)|\b[A-Z])$"
)


def _sentences(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph number) of each sentence."""
    out: list[tuple[int, int, int]] = []
    para = 0
    for pm in re.finditer(r"[^\n]+", text):
        if not pm.group(0).strip():
            continue
        start = pm.start()
        for m in re.finditer(r"[.!?][\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])", pm.group(0)):
            end = pm.start() + m.end()
            head = text[start : pm.start() + m.start()]
            if text[pm.start() + m.start()] == "." and _ABBREV.search(head):
                continue
            out.append((start, end, para))
            start = end
            while start < pm.end() and text[start].isspace():
                start += 1
        if start < pm.end() and text[start : pm.end()].strip():
            out.append((start, pm.end(), para))
        para += 1
    return out


# --------------------------------------------------------------------------- roles of distances

_FLOWN_CUE = re.compile(
    r"\b(?:flew|flown|fly|flies|flying|flight|travell?ed|travell?ing|travels|covered|covering|"
    r"distance)\b[^.;]*$",
    re.I,
)
_APOGEE_CUE = re.compile(
    r"\b(?:altitude|apogee|height|peak(?:ed|ing)?|ceiling)\b[^.;]{0,30}$|\bas high as\s*$", re.I
)
_CAPABILITY_CUE = re.compile(
    r"(?:\branges?\b|\breach\b|\bcapable of\b|\bcan\s+(?:fly|travel|reach|strike|hit)\b|"
    r"\bable to\s+(?:fly|travel|reach|strike|hit)\b|\bdesigned to\b)[^.;]{0,30}$",
    re.I,
)
_SPECULATION_CUE = re.compile(
    r"\b(?:could|might|may|would|if|possibl[ey]|potentially|theoretical(?:ly)?|enough to|"
    r"perhaps|hypothetical(?:ly)?|believed|thought|likely|probably|apparently|suspected|"
    r"presumably)\b",
    re.I,
)
_DIST_TO_PLACE_POST = re.compile(
    r"^\s*(?:away\b|from\b|off\b|short of\b|inland\b|outside\b|beyond\b|north\b|south\b|east\b|"
    r"west\b|(?:north|south)-?(?:east|west)\b)",
    re.I,
)
_OFFSET_POST = re.compile(rf"^\s*(?:to\s+the\s+)?(?P<dir>{_DIR_WORDS})(?:ward)?\s+of\s+", re.I)
_RANGE_POST = re.compile(r"^\s*(?:-|\s)?\s*range\b", re.I)
_FLIGHT_POST = re.compile(
    r"^\s*-?\s*(?:long\s+)?(?:flight|journey|trip)\b|^\s*(?:flown|covered|travell?ed)\b",
    re.I,
)
_FLOWN_TAIL = re.compile(
    r"\b(?:flew|flown|flying|travell?ed|covered)\s+(?:a\s+distance\s+of\s+|for\s+)?$", re.I
)
_DURATION_CUE = re.compile(
    r"\b(?:fl(?:ew|own|ying|ight)|airborne|in the air|tracked|travell?ed|durations?|lasted|"
    r"lasting|aloft|circled|circling|covered|covering|travell?ing)\b",
    re.I,
)


def _clause_tail(pre: str) -> str:
    """The end of *pre* after the last comma-like break."""
    cut = max(pre.rfind(","), pre.rfind(";"), pre.rfind(":"), pre.rfind("—"))
    return pre[cut + 1 :]


def _distance_role(pre: str, post: str) -> str:
    """Role of a distance from the words before (*pre*, clause-limited) and after it."""
    if _OFFSET_POST.match(post):
        return "offset"
    if _APOGEE_CUE.search(pre[-60:]) or re.match(
        r"^\s*(?:high\b|in altitude\b|altitude\b|up\b|"
        r"above\s+(?:the\s+)?(?:earth|ground|surface)\b)",
        post,
        re.I,
    ):
        return "apogee"
    tail = _clause_tail(pre)
    if _SPECULATION_CUE.search(tail[-80:]) or re.match(r"^[^.;]{0,40}\bhad it been\b", post):
        return "speculation"
    if re.search(r"\bequal\s+to\s*$", tail, re.I):
        return "definition"  # "a range greater than or equal to 300 km": a category, not a claim
    if re.match(r"^\s*(?:farther|further|longer|shorter|more|less|beyond)\b", post, re.I):
        return "difference"  # "flew about 1,000 km farther": not a distance flown
    if re.search(
        r"\b(?:reach(?:ed|ing)?|flew|flying|travell?(?:ed|ing))\b[^.;,]{0,40}\brange\s+of\s*$",
        tail,
        re.I,
    ):
        return "flown"  # "reaching an apogee of 60 km and a range of 450 km"
    capability = bool(_RANGE_POST.match(post) or _CAPABILITY_CUE.search(tail[-60:]))
    if re.match(r"^\s*away\b", post) and re.search(
        r"\b(?:hit|hitting|struck|striking)\s+(?:a|the|its)\s+(?:\w+\s+)?targets?\s*$", pre
    ):
        return "capability" if capability else "flown"  # "hit a target 1,000 km away"
    flown_tail = bool(_FLOWN_TAIL.search(pre))
    if not (flown_tail or capability) and (
        _DIST_TO_PLACE_POST.match(post) or re.search(r"\bwithin\s*$", pre)
    ):
        return "distance"
    if capability:
        return "capability"
    if _FLOWN_CUE.search(pre[-70:]) or _FLIGHT_POST.match(post):
        return "flown"
    return "unknown"


# --------------------------------------------------------------------------- sites

_LAUNCH_CUE = re.compile(
    r"\b(?:fir(?:e|ed|es|ing)|launch(?:ed|es|ing)?|test-fir\w*|test-launch\w*|tests?|tested|"
    r"detected|lift(?:ed)? off|took off|blasted off|salvo|barrage|projectiles?|flew|flown|"
    r"missiles?|rockets?|ICBMs?|SRBMs?|IRBMs?|SLBMs?|lifting off)\b",
    re.I,
)
_STRONG_LAUNCH_CUE = re.compile(
    r"\b(?:fir(?:e|ed|es|ing)|launch(?:ed|es|ing)?|test-fir\w*|test-launch\w*|"
    r"lift(?:ed|ing)? off|took off|blasted off)\b",
    re.I,
)
_SITE_CUE_WORDS = {"from", "near", "in", "around", "off", "outside", "at"}
_SITE_FILLER = {
    "the", "a", "an", "north", "korean", "korea's", "korea’s", "port", "city", "town", "county",
    "coastal", "area", "areas", "waters", "water", "of", "its", "east", "eastern", "west",
    "western", "northern", "southern", "region", "vicinity", "site", "spot", "location",
    "point", "sea", "coast", "just", "nearby", "base", "suburb", "suburbs", "outskirts",
    "locations", "places", "sites", "including", "two", "three", "four", "five", "several",
    "multiple", "various", "different",
}  # fmt: skip
_SITE_BAD_POST = re.compile(
    r"^(?:'s|’s|\s+(?:said|says|claimed|claims|announced|reported|regime|"
    r"government|officials))\b",
    re.I,
)
_SITE_BAD_PRE = re.compile(
    r"\b(?:officials|leaders|regime|government|authorities|diplomats|embassy)\s+(?:in|at)\s+$", re.I
)

_PROVINCE_RE = re.compile(
    r"\b(?:(?:North|South)\s+(?:Pyongan|P'yŏngan|Phyongan|Hamgyong|Hamgyŏng|Hwanghae|Hwanghae)|"
    r"Kangwon|Chagang|Jagang|Ryanggang|Yanggang)(?:\s+[Pp]rovince)?\b"
)


_UNKNOWN_PLACE_RE = re.compile(
    r"\b(?:fired|launched|detected|lifted\s+off|test-fired)\s+from\s+(?:near\s+|around\s+)?"
    r"(?:the\s+)?(?P<name>[A-Z][a-z'’]+(?:[- ][A-Z][a-z'’]+)?)"
)
_NOT_PLACES = {
    "North", "South", "Korea", "Japan", "China", "Russia", "The", "A", "An", "Its", "Their",
    "Pyongyang",
}  # fmt: skip


def _unknown_places(text: str, start: int, end: int) -> list[Span]:
    """Capitalized names after "fired from": launch places the gazetteer may not know."""
    out = []
    for m in _UNKNOWN_PLACE_RE.finditer(text, start, end):
        name = m.group("name")
        if name.split()[0].split("-")[0] in _NOT_PLACES:
            continue
        out.append(Span(m.start("name"), m.end("name"), name))
    return out


def _launch_cued(text: str, start: int, sent_start: int) -> bool:
    """True when the words before *start* say "fired from/near/off ... <here>"."""
    pre = text[max(sent_start, start - 80) : start]
    if _SITE_BAD_PRE.search(pre):
        return False
    tokens = list(re.finditer(r"[\w'’-]+|[,;:]", pre))
    tokens.reverse()
    for i, tok in enumerate(tokens):
        w = tok.group(0)
        if w == "," and i > 0 and tokens[i - 1].group(0) == "including":
            continue  # "from four locations, including Sunan"
        if i > 8 or w in ",;:":
            return False
        lw = w.lower()
        if lw in ("in", "at"):
            # "in"/"at" only after a launch word: "launched at Sohae", not "a factory in Hamhung"
            return bool(_STRONG_LAUNCH_CUE.search(pre[max(0, tok.start() - 60) : tok.start()]))
        if lw in _SITE_CUE_WORDS:
            return True
        if (
            lw == "to"
            and i + 1 < len(tokens)
            and tokens[i + 1].group(0).lower() in ("close", "next")
        ):
            return True
        if lw in _SITE_FILLER or w[:1].isupper():
            continue  # "the port city of", or a proper noun such as "South Hamgyong"
        return False
    return False


@dataclass(frozen=True)
class _SiteMention:
    text: str
    span: Span
    site: Any  # geo.gazetteer.Site or None
    is_offset: bool


# --------------------------------------------------------------------------- claims


@dataclass(frozen=True)
class Claim:
    """One claim extracted from a report, in the catalog's schema plus evidence.

    The first eleven fields are the columns of ``data/events.csv``;
    ``evidence`` maps a field name to the :class:`Span` of the words it came
    from (``text[start:end]``).  ``range_km`` is in kilometres whatever unit
    the report used (the unit as written is in ``note`` and the evidence).
    ``flight_time_s`` is ``(low, high)`` seconds (equal when one value).
    """

    claim_id: str
    event_id: str
    date: str = ""
    date_precision: str = "unknown"
    site: str = ""
    missile: str = ""
    range_km: float | None = None
    range_kind: str = ""
    claimant: str = UNATTRIBUTED
    source: str = ""
    note: str = ""
    approximate: bool = False
    flight_time_s: tuple[float, float] | None = None
    apogee_km: float | None = None
    count: int | None = None
    direction: str = ""
    province: str = ""
    site_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision_km: float | None = None
    evidence: Mapping[str, Span] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        """The claim as one flat row: :data:`CLAIM_COLUMNS` (flight time as ``"lo-hi"``).

        Examples
        --------
        >>> Claim("c1", "e1", range_km=150.0, range_kind="flown").as_row()["range_km"]
        150.0
        """
        row: dict[str, Any] = {c: getattr(self, c) for c in CLAIM_COLUMNS}
        ft = self.flight_time_s
        if ft is None:
            row["flight_time_s"] = None
        elif ft[0] == ft[1]:
            row["flight_time_s"] = f"{ft[0]:g}"
        else:
            row["flight_time_s"] = f"{ft[0]:g}-{ft[1]:g}"
        return row

    def to_dict(self) -> dict[str, Any]:
        """The claim as JSON-ready data, evidence as ``{field: [start, end, text]}``.

        Examples
        --------
        >>> Claim("c1", "e1", evidence={"site": Span(0, 5, "Sinpo")}).to_dict()["evidence"]
        {'site': [0, 5, 'Sinpo']}
        """
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        d["flight_time_s"] = list(self.flight_time_s) if self.flight_time_s else None
        d["evidence"] = {k: list(v) for k, v in self.evidence.items()}
        return d


#: The claim fields the report corpus checks (tests/data/reports), each with the value a
#: claim has when the report does not give it (the dataclass default).
CORPUS_FIELDS: dict[str, Any] = {
    name: next(f.default for f in dataclasses.fields(Claim) if f.name == name)
    for name in (
        "site", "province", "range_km", "range_kind", "approximate", "date", "date_precision",
        "claimant", "missile", "count", "direction", "flight_time_s", "apogee_km",
    )
}  # fmt: skip


@dataclass
class _Sentence:
    index: int
    start: int
    end: int
    para: int
    launchy: bool
    dates: list[DateMention]
    distances: list[tuple[Distance, str]]
    durations: list[Duration]
    claimants: list[tuple[str, Span]]
    missiles: list[tuple[str, Span, bool]]
    counts: list[tuple[int, Span]]
    directions: list[tuple[str, Span]]
    sites: list[_SiteMention]
    provinces: list[Span]
    unknown_places: list[Span]
    background: bool
    sentence_claimants: list[tuple[str, Span]]
    lead_cue: bool


@dataclass
class _Event:
    number: int
    date: DateMention | None
    sentences: list[_Sentence] = field(default_factory=list)


_BACKGROUND_CUE = re.compile(
    r"^\W*(?:earlier|previously|last|in a separate|separately)\b|"
    r"\b(?:previous(?:ly)?|last\s+(?:year|month|week)|the year before|a year earlier|"
    r"in a separate|separately|had\s+(?:also\s+)?(?:fired|launched|tested|test-fired)|"
    r"followed\s+(?:that|this|it|them)\s+(?:up\s+)?(?:by|with))\b",
    re.I,
)
_LEAD_CUE = re.compile(
    rf"\b(?:latest|this launch|this test|today(?:'s|’s)|yesterday(?:'s|’s)|"
    rf"{_WEEKDAY}(?:'s|’s))\b",
    re.I,
)


def _parse_reported_on(reported_on: dt.date | str | None) -> dt.date | None:
    if reported_on is None or isinstance(reported_on, dt.date):
        return reported_on
    try:
        return dt.date.fromisoformat(str(reported_on))
    except ValueError:
        raise ExtractionError(
            f"reported_on {reported_on!r} is not a date; give it as YYYY-MM-DD, e.g. 2024-01-29"
        ) from None


def _find_site_mentions(text: str, gazetteer: Any) -> list[tuple[Any, int, int]]:
    from geo import gazetteer as gz

    raw = gz.find_sites(text) if gazetteer is None else gz.find_sites(text, sites=gazetteer)
    # longest first, no overlaps
    chosen: list[tuple[Any, int, int]] = []
    for site, s, e in sorted(raw, key=lambda t: (-(t[2] - t[1]), t[1])):
        if any(s < ce and cs < e for _, cs, ce in chosen):
            continue
        chosen.append((site, s, e))
    chosen.sort(key=lambda t: t[1])
    return chosen


def _slug(text: str) -> str:
    s = re.sub(r"\.(?:txt|text|md|html?)$", "", text.lower())
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:40] or "report"


#: What a distance in a report can be (see :func:`explain_distances`).
DISTANCE_ROLES: dict[str, str] = {
    "flown": "a distance flown: becomes a range claim",
    "claimed": "a maximum range claimed by the launching state: becomes a range claim",
    "class-estimate": "the range of a missile type: becomes a range claim, so labelled",
    "apogee": "a height reached: kept as apogee_km, never a range",
    "offset": "locates a place ('17 km northeast of Wonsan'), never a range",
    "distance": "a distance to or from a place ('3,400 km from North Korea')",
    "speculation": "what a missile could or might do, or a hedged figure: left out",
    "difference": "a difference ('1,000 km farther'): left out",
    "definition": "a category ('a range greater than or equal to 300 km'): left out",
    "superseded": "a figure later revised ('revised the figure to 750 km'): left out",
    "denied": "in a sentence that denies a launch: left out",
    "unknown": "no cue word says what the number is: left out",
}


def explain_distances(
    text: str, *, reported_on: dt.date | str | None = None, sites: Any = None
) -> list[tuple[str, Span]]:
    """Every distance in a report with the role the extractor gave it.

    The answer to "why was this number (not) taken as a range?": see
    :data:`DISTANCE_ROLES` for what each role means.

    Parameters
    ----------
    text
        The report.
    reported_on, sites
        As for :func:`extract_claims`.

    Returns
    -------
    list of (role, Span)
        In text order; conversions in brackets are not listed.

    Examples
    --------
    >>> text = ("Guam is 3,400 km from North Korea. The missile, fired 17 km northeast "
    ...         "of Wonsan, could fly 13,000 km; it flew 600 km and reached 50 km in altitude.")
    >>> for role, span in explain_distances(text):
    ...     print(role, span.text)
    distance 3,400 km
    offset 17 km
    speculation 13,000 km
    flown 600 km
    apogee 50 km
    """
    if not isinstance(text, str):
        raise ExtractionError(
            f"the report must be text (str), got {type(text).__name__}; read the file first"
        )
    day = _parse_reported_on(reported_on)
    sentences = _analyse(text, day, _find_site_mentions(text, sites))
    return [(role, d.span) for sent in sentences for d, role in sent.distances]


def extract_claims(
    text: str,
    *,
    source: str | None = None,
    reported_on: dt.date | str | None = None,
    sites: Any = None,
    geocode: bool = True,
) -> list[Claim]:
    """Extract the range claims of a news report, each field with its evidence span.

    Parameters
    ----------
    text
        The report, as plain text.
    source
        Where the report came from (copied into each claim's ``source``; its
        slug prefixes the claim and event ids).
    reported_on
        Publication date (``datetime.date`` or ``YYYY-MM-DD``); resolves
        relative dates such as "on Sunday" or "earlier this month".
    sites
        Optional path of a user sites CSV, merged over the bundled one (as in
        :func:`geo.geocode`).
    geocode
        Locate each claim's site (``site_id``, ``lat``, ``lon``,
        ``precision_km``) through the gazetteer.  Offline.

    Returns
    -------
    list of Claim
        In order of appearance.  Empty when the text holds no launch site and no
        range.

    Raises
    ------
    ExtractionError
        When *text* is not a string or *reported_on* is not a date.

    Examples
    --------
    >>> report = ("South Korea's Joint Chiefs of Staff said North Korea fired two cruise "
    ...           "missiles from near Sinpo on Sunday. They flew about 150 km (93 miles).")
    >>> [c] = extract_claims(report, reported_on="2024-01-29")
    >>> c.site, c.range_km, c.range_kind, c.approximate, c.date, c.claimant
    ('Sinpo', 150.0, 'flown', True, '2024-01-28', 'South Korea Joint Chiefs of Staff')
    >>> c.count, c.missile, c.evidence["range_km"].text
    (2, 'cruise missile', 'about 150 km')
    """
    if not isinstance(text, str):
        raise ExtractionError(
            f"the report must be text (str), got {type(text).__name__}; read the file first"
        )
    day = _parse_reported_on(reported_on)
    site_spans = _find_site_mentions(text, sites)
    sentences = _analyse(text, day, site_spans)
    events = _group_events(sentences)
    prefix = _slug(source) if source else "report"
    claims = _build_claims(text, events, prefix=prefix, source=source or "")
    if geocode:
        claims = [_locate(c, sites) for c in claims]
    return claims


def _analyse(
    text: str, day: dt.date | None, site_spans: Sequence[tuple[Any, int, int]]
) -> list[_Sentence]:
    out: list[_Sentence] = []
    all_dist = find_distances(text)
    all_dur = find_durations(text)
    all_dates = [d for d in find_dates(text, reported_on=day) if not _is_statement_date(text, d)]
    sentences = _sentences(text)
    all_dates = _inherit_years(all_dates, sentences)
    all_claimants = find_claimants(text)
    all_missiles = _find_missiles(text)
    all_counts = _find_counts(text)
    all_dirs = _find_directions(text)
    all_prov = [Span(m.start(), m.end(), m.group(0)) for m in _PROVINCE_RE.finditer(text)]
    segments = _split_comparisons(text, _split_at_second_dates(text, sentences, all_dates))
    for i, (s, e, para) in enumerate(segments):
        whole = next(((a, b) for a, b, _ in sentences if a <= s and e <= b), (s, e))
        comparison = text[s:e].lstrip().startswith(",") and bool(_COMPARISON_RE.match(text, s))

        def inside(span: Span, s: int = s, e: int = e) -> bool:
            return s <= span.start and span.end <= e

        sent = text[s:e]
        claimants = [c for c in all_claimants if inside(c[1])]
        dists: list[tuple[Distance, str]] = []
        prev_end = s
        sent_sites = [t for t in site_spans if s <= t[1] and t[2] <= e]
        for d in (d for d in all_dist if inside(d.span)):
            pre = text[max(prev_end, d.span.start - 100) : d.span.start]
            post = text[d.span.end : min(e, d.span.end + 60)]
            role = _distance_role(pre, post)
            if (
                role == "unknown"
                and dists
                and dists[-1][1] in ("flown", "claimed", "class-estimate", "capability")
                and re.fullmatch(r"\s*(?:,|and|or|, and|, or)\s*", text[prev_end : d.span.start])
            ):
                role = dists[-1][1]  # "flew 300 km and 450 km respectively"
            if dists and re.search(
                r"\b(?:revis|correct|updat|rais|lower|chang)\w*\b[^.;]{0,40}\bto\s*$", pre, re.I
            ):
                # "said 600 km but later revised the figure to 750 km": the new figure wins
                old = [k for k, (_, r) in enumerate(dists) if r in _CLAIM_ROLES]
                if old:
                    role = dists[old[-1]][1]
                    dists = [(x, "superseded" if k in old else r) for k, (x, r) in enumerate(dists)]
            if role == "capability":
                who = _nearest(claimants, d.span, text, same_clause=True)
                role = "claimed" if who is not None and who[0] == KCNA else "class-estimate"
            dists.append((d, role))
            prev_end = d.conversion.end if d.conversion else d.span.end
        # "with a range of 350 km and an apogee of 90 km": a range reported with
        # an apogee is a flight, not a capability
        apogees = [a for a, r in dists if r == "apogee"]
        dists = [
            (d, "flown")
            if r in ("class-estimate", "claimed")
            and re.search(r"\brange\s+of\s*$", text[max(s, d.span.start - 20) : d.span.start])
            and _beside(text, d, apogees)
            else (d, r)
            for d, r in dists
        ]
        durations = []
        for du in (du for du in all_dur if inside(du.span)):
            pre = text[max(s, du.span.start - 80) : du.span.start]
            post = text[du.span.end : e]
            if re.search(r"\b(?:within|after|before|later|every)\s*$", pre, re.I):
                continue
            if re.match(r"^\s*(?:later|ago|earlier|apart)\b", post, re.I):
                continue
            if _DURATION_CUE.search(pre) or re.match(
                r"^\s*(?:(?:of|into|in)\s+(?:the\s+|its\s+)?)?flight\b", post, re.I
            ):
                durations.append(du)
        # site mentions with a launch cue
        mentions: list[_SiteMention] = []
        launch_sentence = bool(_LAUNCH_CUE.search(sent))
        if _DENIAL_RE.search(sent):
            # "North Korea denied that it had launched ...": nothing here is a claim
            dists = [(d, "denied") for d, _ in dists]
            launch_sentence = False
        for site, ss, se in sent_sites:
            if not launch_sentence or _SITE_BAD_POST.match(text[se : se + 20]):
                continue
            if any(role == "distance" and 0 <= ss - d.span.end < 30 for d, role in dists):
                continue  # "10,900 km from Sinpo": a distance to the place, not a launch
            if _launch_cued(text, ss, s):
                is_offset = getattr(site, "match", "") == "offset"
                mentions.append(
                    _SiteMention(text[ss:se], Span(ss, se, text[ss:se]), site, is_offset)
                )
        # "the Sunan area of Pyongyang": the container is not a second site
        mentions = [
            m
            for k, m in enumerate(mentions)
            if not (
                k
                and re.fullmatch(
                    r"\s*(?:of|in|,)\s*", text[mentions[k - 1].span.end : m.span.start]
                )
            )
        ]
        provinces = [p for p in all_prov if inside(p) and _launch_cued(text, p.start, s)]
        provinces = [
            p for p in provinces if not any(m.span.start <= p.start < m.span.end for m in mentions)
        ]
        if not launch_sentence:
            provinces = []
        launchy = bool(_LAUNCH_CUE.search(sent)) or any(r == "flown" for _, r in dists)
        out.append(
            _Sentence(
                index=i,
                start=s,
                end=e,
                para=para,
                launchy=launchy,
                dates=[d for d in all_dates if inside(d.span)],
                distances=dists,
                durations=durations,
                claimants=claimants,
                missiles=[m for m in all_missiles if inside(m[1])],
                counts=[c for c in all_counts if inside(c[1])],
                directions=[d for d in all_dirs if inside(d[1])],
                sites=mentions,
                provinces=provinces,
                unknown_places=[
                    p
                    for p in _unknown_places(text, s, e)
                    if not any(a <= p.start < b for _, a, b in sent_sites)
                    and not any(q.start <= p.start < q.end for q in all_prov)
                ],
                background=comparison or bool(_BACKGROUND_CUE.search(sent)),
                sentence_claimants=[
                    c
                    for c in all_claimants
                    if whole[0] <= c[1].start and c[1].end <= whole[1] and (whole != (s, e))
                ],
                lead_cue=bool(_LEAD_CUE.search(sent)),
            )
        )
    return out


_CLAIM_ROLES = ("flown", "claimed", "class-estimate", "capability")
_DENIAL_RE = re.compile(
    r"\b(?:denied|denies|deny|did not (?:launch|fire)|never (?:launched|fired)|fabricated|"
    r"no missiles? (?:was|were) (?:launched|fired)|"
    r"(?:ground|engine|static)[- ](?:test|firing|jetting)s?)\b",
    re.I,
)
_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|announced|reported|stated|claimed|added|told\s+\w+)\s*$", re.I
)


def _is_statement_date(text: str, d: DateMention) -> bool:
    """ "KCNA said on Thursday ...", "SEOUL, May 30 -": the day of a statement or dateline."""
    line_start = text.rfind("\n", 0, d.span.start) + 1
    if re.fullmatch(r"\s*[A-Z][A-Z .'-]+,\s*", text[line_start : d.span.start]):
        return True
    if re.search(r"(?:launch|test|firing)$", d.span.text):
        return False  # "said Wednesday's launch ..." dates the launch itself
    return bool(_SPEECH_BEFORE.search(text[max(0, d.span.start - 30) : d.span.start]))


def _split_at_second_dates(
    text: str, sentences: list[tuple[int, int, int]], dates: list[DateMention]
) -> list[tuple[int, int, int]]:
    """Cut a sentence that holds two different dates into two segments.

    "Last month's launch from Sohae ..., was followed on Monday by two missiles
    fired from Kaesong" is two launches: the cut goes at the clause break (comma,
    semicolon or "and") nearest before the second date.
    """
    out: list[tuple[int, int, int]] = []
    for s, e, para in sentences:
        start = s
        prev: DateMention | None = None
        for d in (d for d in dates if s <= d.span.start and d.span.end <= e):
            if prev is not None and not _same_date(prev, d):
                window = text[prev.span.end : d.span.start]
                cuts = [m.end() for m in re.finditer(r"[,;]|\band\b", window)]
                cut = prev.span.end + (cuts[-1] if cuts else len(window))
                if start < cut < e:
                    out.append((start, cut, para))
                    start = cut
            prev = d
        out.append((start, e, para))
    return out


_COMPARISON_RE = re.compile(
    r"\s*,\s*(?:(?:farther|further|longer|shorter|higher|lower|more|less)\s+than|"
    r"compared\s+(?:with|to)|(?:up|down)\s+from)\b",
    re.I,
)


def _split_comparisons(
    text: str, segments: list[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """Cut ", farther than the 800 km flown in April" off: it tells of another launch."""
    out: list[tuple[int, int, int]] = []
    for s, e, para in segments:
        start = s
        for m in _COMPARISON_RE.finditer(text, s, e):
            if start < m.start():
                out.append((start, m.start(), para))
                start = m.start()
        out.append((start, e, para))
    return out


def _beside(text: str, d: Distance, others: Sequence[Distance]) -> bool:
    """True when one of *others* is in the same clause as *d*, fewer than 40 characters away."""
    for a in others:
        gap = text[min(a.span.end, d.span.end) : max(a.span.start, d.span.start)]
        if len(gap) < 40 and not re.search(r"[.;]", gap):
            return True
    return False


def _inherit_years(
    dates: list[DateMention], sentences: list[tuple[int, int, int]]
) -> list[DateMention]:
    """ "In 2022 alone, ... on Jan. 30 ...": a year given earlier in the sentence applies."""
    out: list[DateMention] = []
    for d in dates:
        if d.precision == "year-uncertain":
            bounds = next(((a, b) for a, b, _ in sentences if a <= d.span.start < b), None)
            years = [
                p
                for p in out
                if bounds and bounds[0] <= p.span.start < d.span.start and p.date[:4].isdigit()
            ]
            if years:
                year = years[-1].date[:4]
                try:
                    if len(d.date) == 7:  # --MM-DD
                        iso = dt.date(int(year), int(d.date[2:4]), int(d.date[5:7])).isoformat()
                        d = DateMention(iso, "day", d.span)
                    else:  # --MM
                        d = DateMention(f"{year}-{d.date[2:4]}", "month", d.span)
                except ValueError:
                    pass
        out.append(d)
    return out


def _same_date(a: DateMention, b: DateMention) -> bool:
    if a.date and b.date:
        if a.date == b.date:
            return True
        if a.date.startswith("--") or b.date.startswith("--"):
            return a.date[-5:] == b.date[-5:] and a.precision in ("day", "year-uncertain")
        return False
    return a.key == b.key


def _group_events(sentences: list[_Sentence]) -> list[_Event]:
    lead = _Event(1, None)
    events = [lead]
    current = lead
    for sent in sentences:
        if current is not lead and current.sentences and sent.para != current.sentences[-1].para:
            current = lead
        date = sent.dates[0] if sent.dates else None
        if sent.launchy:
            if date is not None:
                if lead.date is None and not sent.background:
                    lead.date = date
                    current = lead
                elif lead.date is not None and _same_date(date, lead.date):
                    current = lead
                else:
                    match = next(
                        (
                            ev
                            for ev in events[1:]
                            if ev.date is not None and _same_date(ev.date, date)
                        ),
                        None,
                    )
                    if match is None:
                        match = _Event(len(events) + 1, date)
                        events.append(match)
                    current = match
            elif sent.background:
                current = _Event(len(events) + 1, None)
                events.append(current)
            elif sent.lead_cue:
                current = lead
        elif sent.lead_cue:
            current = lead
        current.sentences.append(sent)
    return events


def _nearest(
    items: Sequence[tuple[Any, Span]], anchor: Span, text: str, *, same_clause: bool = False
) -> tuple[Any, Span] | None:
    """Item in the same clause as *anchor* if any, else the nearest before it, else None."""
    if not items:
        return None

    def clause_of(pos: int) -> tuple[int, int]:
        return (len(_CLAUSE_BREAK.findall(text[:pos])), 0)

    ac = clause_of(anchor.start)
    same = [it for it in items if clause_of(it[1].start) == ac]
    if same_clause and not same:
        return None
    pool = same or [it for it in items if it[1].end <= anchor.start]
    if not pool:
        return None
    return min(pool, key=lambda it: abs(it[1].start - anchor.start))


_CLAUSE_BREAK = re.compile(r";|,\s*(?:while|whereas|but|although|though|and)\b|\s—\s|\.\s")


def _build_claims(text: str, events: list[_Event], *, prefix: str, source: str) -> list[Claim]:
    claims: list[Claim] = []
    for ev in events:
        if not ev.sentences:
            continue
        event_id = f"{prefix}-e{ev.number}"
        ev_sites = [m for s in ev.sentences for m in s.sites]
        ev_provinces = [p for s in ev.sentences for p in s.provinces]
        anchors: list[tuple[_Sentence, Distance | None, str, _SiteMention | None]] = []
        seen: set[tuple[float, str]] = set()
        for s in ev.sentences:
            with_range = [(d, role) for d, role in s.distances if role in _CLAIM_ROLES[:3]]
            for d, role in with_range:
                key = (d.value_km, role)
                if key in seen:
                    continue
                seen.add(key)
                between = text[s.sites[-1].span.end : d.span.start] if s.sites else ""
                if (
                    len(with_range) == 1
                    and len(s.sites) > 1
                    and s.sites[-1].span.end <= d.span.start
                    and re.search(r"\b(?:both|each|all)\b", between)
                ):
                    # "one from Sunan ... another from Kaechon, both flying 300 km"
                    anchors += [(s, d, role, m) for m in s.sites]
                else:
                    anchors.append((s, d, role, None))
        if not anchors and (ev_sites or ev_provinces):
            first = min(
                [(m.span.start, s) for s in ev.sentences for m in s.sites]
                + [(p.start, s) for s in ev.sentences for p in s.provinces],
                key=lambda t: t[0],
            )[1]
            anchors.append((first, None, "", None))
        for sent, dist, role, site_override in anchors:
            ev_ = {}
            anchor = (
                dist.span if dist else (sent.sites[0].span if sent.sites else sent.provinces[0])
            )
            # site: same sentence (nearest), else the event's first
            site_m = None
            ranged = [d for d, r in sent.distances if r in ("flown", "claimed", "class-estimate")]
            if site_override is not None:
                site_m = site_override
            elif (
                dist is not None
                and re.search(r"\brespectively\b", text[sent.start : sent.end])
                and len(sent.sites) == len(ranged) > 1
                and any(x is dist for x in ranged)
            ):
                k = next(i for i, x in enumerate(ranged) if x is dist)
                site_m = sent.sites[k]  # "from A and from B ... 300 km and 450 km respectively"
            elif sent.sites:
                before = [m for m in sent.sites if m.span.start <= anchor.start]
                site_m = before[-1] if before else sent.sites[0]
            elif ev_sites:
                site_m = ev_sites[0]
            province = None
            if site_m is None:
                if sent.provinces:
                    province = sent.provinces[0]
                elif ev_provinces:
                    province = ev_provinces[0]
            if site_m is not None:
                ev_["site"] = site_m.span
            if province is not None:
                ev_["province"] = province
            # date
            date = ev.date
            if date is not None:
                ev_["date"] = date.span
            # claimant: same sentence, else nearest earlier sentence in the event, else later
            if role == "class-estimate":
                claimant = _nearest(sent.claimants, anchor, text, same_clause=True)
            else:
                claimant = _pick_context(sent.claimants, anchor, text, ev, sent, "claimants")
            if claimant is not None:
                ev_["claimant"] = claimant[1]
            missile = _pick_missile(sent, ev, anchor, text)
            if missile is not None:
                ev_["missile"] = missile[1]
            who = claimant[0] if claimant else None
            # nearby sentences of the event (same paragraph, or the event's
            # first sentence) lend a count or direction only when they carry no
            # claimant or one of the same side
            peers = [
                s
                for s in _context_sentences(sent, ev)
                if not s.claimants
                or who is None
                or _FAMILY.get(who, who) in {_FAMILY.get(c, c) for c, _ in s.claimants}
            ]
            count = (
                sent.counts[0] if sent.counts else next((c for s in peers for c in s.counts), None)
            )
            if count is not None:
                ev_["count"] = count[1]
            direction = (
                sent.directions[0]
                if sent.directions
                else next((d for s in peers for d in s.directions), None)
            )
            if direction is not None:
                ev_["direction"] = direction[1]
            flight = None
            apogee = None
            if dist is not None and role == "flown":
                # this sentence, else a nearby one of the same side that has no
                # flown range of its own ("It flew 73 minutes ... It travelled 1,000 km")
                lenders = [sent] + [
                    s for s in peers if not any(r == "flown" for _, r in s.distances)
                ]
                flight = next((du for s in lenders for du in s.durations), None)
                apogee = next((d for s in lenders for d, r in s.distances if r == "apogee"), None)
            elif dist is None:
                near = [sent, *_context_sentences(sent, ev)]
                flight = next((du for s in near for du in s.durations), None)
                apogee = next((d for s in near for d, r in s.distances if r == "apogee"), None)
            if dist is not None:
                ev_["range_km"] = dist.span
            if flight is not None:
                ev_["flight_time_s"] = flight.span
            if apogee is not None:
                ev_["apogee_km"] = apogee.span
            notes = []
            if dist is not None:
                notes.append(f"range as reported: {dist.span.text!r}")
                if dist.unit != "km":
                    notes.append(f"converted from {dist.unit}")
                if dist.low_km != dist.value_km:
                    notes.append(f"interval {dist.low_km:g}-{dist.value_km:g} km, upper bound kept")
            if site_m is not None and site_m.is_offset:
                notes.append("site given as an offset from a known place")
            if province is not None:
                notes.append(f"only the province is given ({province.text}); unlocated")
            if site_m is None:
                unknown = sent.unknown_places or [p for s in ev.sentences for p in s.unknown_places]
                if unknown:
                    notes.append(
                        f"launch place {unknown[0].text!r} is not in the gazetteer: add it to a "
                        "sites file (--sites) to locate the claim"
                    )
            if date is not None and date.precision == "unknown":
                notes.append(f"date reported as {date.span.text!r}; give reported_on to resolve it")
            notes.append("extracted by georange from the report text")
            n = len(claims) + 1
            claims.append(
                Claim(
                    claim_id=f"{prefix}-c{n}",
                    event_id=event_id,
                    date=date.date if date else "",
                    date_precision=date.precision if date else "unknown",
                    site=site_m.text if site_m else "",
                    missile=missile[0] if missile else "",
                    range_km=round(dist.value_km, 1) if dist else None,
                    range_kind=role,
                    claimant=claimant[0] if claimant else UNATTRIBUTED,
                    source=source,
                    note="; ".join(notes),
                    approximate=bool(dist and dist.approximate),
                    flight_time_s=(flight.low_s, flight.high_s) if flight else None,
                    apogee_km=round(apogee.value_km, 1) if apogee else None,
                    count=count[0] if count else None,
                    direction=direction[0] if direction else "",
                    province=_province_name(province.text) if province else "",
                    site_id=getattr(site_m.site, "id", None) if site_m and site_m.site else None,
                    evidence=ev_,
                )
            )
    claims.sort(key=lambda c: _anchor_start(c))
    return [
        dataclasses.replace(c, claim_id=f"{prefix}-c{n}") for n, c in enumerate(claims, start=1)
    ]


def _anchor_start(claim: Claim) -> tuple[int, int]:
    for key in ("range_km", "site", "province"):
        if key in claim.evidence:
            site = claim.evidence.get("site")
            return claim.evidence[key].start, site.start if site else 0
    return 0, 0


def _province_name(raw: str) -> str:
    name = re.sub(r"\s+[Pp]rovince$", "", raw.strip())
    return f"{name} Province"


def _pick_context(
    items: list[tuple[str, Span]],
    anchor: Span,
    text: str,
    ev: _Event,
    sent: _Sentence,
    attr: str,
) -> tuple[str, Span] | None:
    got = _nearest(items, anchor, text)
    if got is not None:
        return got
    if attr == "claimants" and sent.sentence_claimants:
        # a sentence cut in segments: "..., the JCS said" at its end speaks for all
        return min(sent.sentence_claimants, key=lambda it: abs(it[1].start - anchor.start))
    earlier = [s for s in ev.sentences if s.index < sent.index and getattr(s, attr)]
    if earlier:
        return getattr(earlier[-1], attr)[-1]  # type: ignore[no-any-return]
    later = [s for s in ev.sentences if s.index > sent.index and getattr(s, attr)]
    if later:
        return getattr(later[0], attr)[0]  # type: ignore[no-any-return]
    return None


def _pick_missile(sent: _Sentence, ev: _Event, anchor: Span, text: str) -> tuple[str, Span] | None:
    def best(ms: list[tuple[str, Span, bool]]) -> tuple[str, Span] | None:
        if not ms:
            return None
        named = [m for m in ms if m[2]] or ms
        m = min(named, key=lambda m: abs(m[1].start - anchor.start))
        return m[0], m[1]

    for s in [sent, *_context_sentences(sent, ev)]:
        got = best(s.missiles)
        if got is not None:
            return got
    return None


def _context_sentences(sent: _Sentence, ev: _Event) -> list[_Sentence]:
    """Other sentences of *sent*'s event that may lend it details, nearest first.

    The sentences of the same paragraph (earlier ones first), then the event's
    first sentence: a later paragraph often tells of another launch.
    """
    same = [s for s in ev.sentences if s.para == sent.para and s is not sent]
    same.sort(key=lambda s: (s.index > sent.index, abs(s.index - sent.index)))
    first = ev.sentences[0] if ev.sentences else None
    if first is not None and first is not sent and first not in same:
        same.append(first)
    return same


def _locate(claim: Claim, sites: Any) -> Claim:
    if not claim.site:
        return claim
    from geo.errors import GeorangeError
    from geo.gazetteer import geocode

    try:
        found = geocode(claim.site, sites=sites)
    except GeorangeError as exc:
        log.info("claim %s: site %r not located: %s", claim.claim_id, claim.site, exc)
        return claim
    return dataclasses.replace(
        claim,
        site_id=found.id,
        lat=found.lat,
        lon=found.lon,
        precision_km=found.precision_km,
    )


def claims_frame(claims: Iterable[Claim]) -> Any:
    """The claims as a pandas DataFrame with :data:`CLAIM_COLUMNS`.

    Parameters
    ----------
    claims
        Claims from :func:`extract_claims`.

    Returns
    -------
    pandas.DataFrame
        One row per claim (flight time as ``"low-high"`` text).

    Examples
    --------
    >>> claims_frame([Claim("c1", "e1", site="Sinpo")]).loc[0, "site"]
    'Sinpo'
    """
    import pandas as pd

    return pd.DataFrame([c.as_row() for c in claims], columns=list(CLAIM_COLUMNS))


_TABLE_COLUMNS = (
    "claim_id",
    "date",
    "site",
    "range_km",
    "range_kind",
    "claimant",
    "missile",
    "flight_time_s",
    "apogee_km",
    "count",
    "direction",
)


def format_claims(claims: Sequence[Claim], *, fmt: str = "table") -> str:
    """Render claims as an aligned ``table``, ``csv`` (with an ``evidence`` column) or ``json``.

    Parameters
    ----------
    claims
        Claims from :func:`extract_claims`.
    fmt
        ``"table"`` (for reading), ``"csv"`` (:data:`CSV_COLUMNS` then
        ``evidence`` as JSON ``{field: [start, end, text]}``: an events file
        that :func:`geo.load_catalog` reads) or ``"json"`` (a list of
        :meth:`Claim.to_dict`, coordinates included).

    Returns
    -------
    str
        The text, ending with a newline.

    Raises
    ------
    ExtractionError
        For an unknown *fmt*.

    Examples
    --------
    >>> c = Claim("r-c1", "r-e1", site="Sinpo", range_km=150.0, range_kind="flown",
    ...           approximate=True, evidence={"site": Span(0, 5, "Sinpo")})
    >>> print(format_claims([c]).splitlines()[1].split()[:4])
    ['r-c1', '-', 'Sinpo', '~150']
    >>> format_claims([c], fmt="csv").splitlines()[0].split(",")[:3]
    ['claim_id', 'event_id', 'date']
    """
    import csv
    import io
    import json

    if fmt == "json":
        return json.dumps([c.to_dict() for c in claims], ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([*CSV_COLUMNS, "evidence"])
        for c in claims:
            row = c.as_row()
            cells = ["" if row[k] is None else row[k] for k in CSV_COLUMNS]
            ev = json.dumps({k: list(v) for k, v in c.evidence.items()}, ensure_ascii=False)
            writer.writerow([*cells, ev])
        return buf.getvalue()
    if fmt != "table":
        raise ExtractionError(f"unknown format {fmt!r}; use 'table', 'csv' or 'json'")
    rows = [list(_TABLE_COLUMNS)]
    for c in claims:
        row = c.as_row()
        cells = []
        for k in _TABLE_COLUMNS:
            v = row[k]
            if k == "range_km" and v is not None:
                v = ("~" if c.approximate else "") + f"{v:g}"
            elif k == "date" and not v:
                v = "-"
            elif k == "site" and not v and c.province:
                v = f"({c.province})"
            cells.append("-" if v is None or v == "" else str(v))
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(_TABLE_COLUMNS))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    if not claims:
        lines.append("(no claims: the report names no launch site and no range)")
    return "\n".join(lines) + "\n"


def read_report(path: str | Any, *, encoding: str = "utf-8") -> str:
    """Read a report file as text, with an error that names the file and the fix.

    Parameters
    ----------
    path
        The file.
    encoding
        Its encoding.

    Returns
    -------
    str
        The text.

    Raises
    ------
    ExtractionError
        When the file is missing, unreadable or not in *encoding*.

    Examples
    --------
    >>> read_report("no/such/report.txt")
    Traceback (most recent call last):
    ...
    geo.errors.ExtractionError: cannot read report 'no/such/report.txt': ...
    """
    from pathlib import Path

    p = Path(path)
    try:
        return p.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        line = p.read_bytes()[: exc.start].count(b"\n") + 1
        raise ExtractionError(
            f"{p}:{line}: byte {exc.object[exc.start]:#04x} is not {encoding}; save the report "
            "as UTF-8 or give its encoding (--encoding cp1252)"
        ) from None
    except OSError as exc:
        raise ExtractionError(
            f"cannot read report {str(p)!r}: {exc.strerror or exc}; give the path of a text file"
        ) from None


def claims_catalog(claims: Iterable[Claim], *, sites: Any = None) -> Any:
    """The claims as a catalog frame, in the shape :func:`geo.load_catalog` returns.

    So that :func:`geo.catalog.claim_footprints`, the maps and the exports take
    extracted claims as they take the bundled catalog: the events columns, the
    extraction fields (``approximate``, ``flight_time_s``, ``apogee_km``,
    ``count``, ``direction``, ``province``, ``evidence`` as JSON), then
    ``site_name``, ``site_id``, ``lat``, ``lon``, ``precision_km``,
    ``site_match``, ``site_source``, ``located`` and ``geometry`` (the site
    point, or None; EPSG:4326).

    Parameters
    ----------
    claims
        Claims from :func:`extract_claims`.
    sites
        Optional user sites CSV merged over the bundled gazetteer.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per claim.

    Examples
    --------
    >>> text = "The JCS said the missile, fired from near Sinpo, flew about 150 km."
    >>> cat = claims_catalog(extract_claims(text))
    >>> row = cat.iloc[0]
    >>> row["site"], row["site_id"], float(row["range_km"]), bool(row["located"])
    ('Sinpo', 'sinpo', 150.0, True)
    """
    import json
    import math

    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    from geo.errors import GeorangeError
    from geo.gazetteer import Gazetteer

    gazetteer = Gazetteer.load(sites)
    extra = ("approximate", "flight_time_s", "apogee_km", "count", "direction", "province")
    records: list[dict[str, Any]] = []
    geometry: list[Any] = []
    for c in claims:
        row = c.as_row()
        rec: dict[str, Any] = {k: row[k] for k in CATALOG_COLUMNS}
        rec["range_km"] = math.nan if c.range_km is None else float(c.range_km)
        rec.update({k: row[k] for k in extra})
        rec["evidence"] = json.dumps({k: list(v) for k, v in c.evidence.items()})
        site = None
        if c.site:
            try:
                site = gazetteer.geocode(c.site)
            except GeorangeError as exc:
                log.info("claim %s: site %r not located: %s", c.claim_id, c.site, exc)
        rec.update(site_columns(site))
        geometry.append(None if site is None else Point(site.lon, site.lat))
        records.append(rec)
    columns = [*CATALOG_COLUMNS, *extra, "evidence", *SITE_COLUMNS, "located"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame["located"] = frame["located"].astype(bool)
    for col in ("range_km", "lat", "lon", "precision_km"):
        frame[col] = frame[col].astype(float)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"))
