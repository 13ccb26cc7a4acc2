"""Dates in a report: explicit ones, relative ones resolved against the day of publication."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from geo.extract._span import Span
from geo.text import MONTHS

# --------------------------------------------------------------------------- dates

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
    return MONTHS[word.lower().rstrip(".")]


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
