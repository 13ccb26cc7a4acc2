"""How reports and tables write things: numbers, distances with units, months, and slugs.

The lexical layer under the three readers of text (the gazetteer's phrases, the
extractor's reports, the catalog's CNS import) and the writers of ids (sites,
footprints, map files).  It knows words and characters, nothing of sites or
geometry, and imports nothing of georange but its errors: a gazetteer phrase
("30 miles SSW of Sinpo") and a report ("flew about 1,000 km (620 miles)")
read distances with the same unit table, one month table serves report dates
and CNS dates, and every id made from a name goes through :func:`slug`.

Examples
--------
>>> parse_distance("1,500", "kilometres"), round(parse_distance("30", "miles"), 3)
(1500.0, 48.28)
>>> MONTHS["sept"], slug("Sohae (West Sea) Satellite Station")
(9, 'sohae-west-sea-satellite-station')
"""

from __future__ import annotations

import re
from typing import Literal

from geo.errors import ExtractionError

__all__ = [
    "DIGIT_NUMBER",
    "DISTANCE_UNIT",
    "KM_PER_MILE",
    "KM_PER_NAUTICAL_MILE",
    "KM_PER_UNIT",
    "MONTHS",
    "NUMBER",
    "SMALL_NUMBERS",
    "parse_distance",
    "parse_number",
    "slug",
    "unit_key",
]

# --------------------------------------------------------------------------- numbers

#: The number words below twenty.
SMALL_NUMBERS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_WORD = "|".join(sorted([*SMALL_NUMBERS, *_TENS], key=len, reverse=True))
_WORD_NUM = (
    rf"(?:(?:{_WORD})(?:-(?:{_WORD}))?|an?(?=\s+(?:hundred|thousand|hour)\b))"
    rf"(?:(?:\s+and\s+|\s+|-)(?:(?:{_WORD})(?:-(?:{_WORD}))?|hundred|thousand))*"
)
#: A number in digits, with optional thousands commas and decimals (regex fragment).
DIGIT_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
#: A number in digits or in words ("two thousand", "forty-seven") (regex fragment).
NUMBER = rf"(?:{DIGIT_NUMBER}|\b(?:{_WORD_NUM})\b)"


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
    if re.fullmatch(DIGIT_NUMBER, s):
        return float(s.replace(",", ""))
    tokens = [t for t in re.split(r"[\s-]+", s) if t and t != "and"]
    if not tokens:
        raise ExtractionError(f"{text!r} is not a number; write digits such as '1,500'")
    total = 0.0
    current = 0.0
    for tok in tokens:
        if tok in ("a", "an"):
            current = 1.0
        elif tok in SMALL_NUMBERS:
            current += SMALL_NUMBERS[tok]
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

#: Kilometres per statute mile and per nautical mile (exact by definition).
KM_PER_MILE = 1.609344
KM_PER_NAUTICAL_MILE = 1.852

#: Kilometres per unit, by the unit's key (see :func:`unit_key`).
KM_PER_UNIT: dict[str, float] = {
    "km": 1.0,
    "mi": KM_PER_MILE,
    "nmi": KM_PER_NAUTICAL_MILE,
    "m": 0.001,
}

#: A distance unit as written (regex fragment, for patterns compiled with re.IGNORECASE):
#: kilometres, miles, nautical miles.  The abbreviations ``nmi``/``NM`` and ``mi`` are
#: case-sensitive, so that "2 Mi-8 helicopters" or "5 nm" (nanometres) are no distances.
DISTANCE_UNIT = (
    r"(?:kilomet(?:er|re)s?|kms?\b|nautical\s+miles?|(?-i:nmi|NM)\b|miles?\b|(?-i:mi)\b)"
)


def unit_key(unit: str) -> str:
    """The key in :data:`KM_PER_UNIT` of a unit matched by :data:`DISTANCE_UNIT`.

    Examples
    --------
    >>> unit_key("Kilometres"), unit_key("nautical miles"), unit_key("NM"), unit_key("mi")
    ('km', 'nmi', 'nmi', 'mi')
    """
    u = unit.lower()
    if u.startswith("naut") or u == "nmi" or unit == "NM":
        return "nmi"
    if u.startswith("mi"):
        return "mi"
    return "km"


def parse_distance(number: str, unit: str) -> float:
    """Kilometres in a number and a unit as written (``"1,500"``, ``"miles"``).

    Examples
    --------
    >>> parse_distance("two hundred", "nautical miles")
    370.4
    """
    return parse_number(number) * KM_PER_UNIT[unit_key(unit)]


# --------------------------------------------------------------------------- dates

#: Month numbers by English name and abbreviation, lower case ("sept" too).
MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

# --------------------------------------------------------------------------- ids


def slug(
    text: str,
    *,
    sep: str = "-",
    keep: str = "",
    letters: Literal["ascii", "unicode"] = "ascii",
    max_chars: int | None = None,
    default: str = "x",
) -> str:
    """An id made from *text*: case-folded, each run of other characters one *sep*.

    The rule is one; what differs between the ids georange writes is explicit:

    - site ids (from a folded name): ``slug(name, letters="unicode", default="site")``;
    - footprint ids of exports, which keep the digits of coordinates:
      ``slug(key, sep="_", keep=".+-", default="site")``;
    - claim ids of a report: ``slug(stem, max_chars=40, default="report")``;
    - file names of maps: ``slug(text, max_chars=60)``.

    Parameters
    ----------
    text
        Any text.
    sep
        What each run of dropped characters becomes; leading and trailing
        separators are stripped.
    keep
        Characters kept besides the letters and digits.
    letters
        ``"ascii"`` keeps ``a-z`` and ``0-9``; ``"unicode"`` keeps every letter and
        digit of any script (Hangul names stay Hangul).
    max_chars
        Cut the id to this length (after stripping the separators).
    default
        The id when nothing is left.

    Examples
    --------
    >>> slug("Event 2017-07-04 (ICBM)")
    'event-2017-07-04-icbm'
    >>> slug("39.0339_125.7543", sep="_", keep=".+-")
    '39.0339_125.7543'
    >>> slug("신포 조선소", letters="unicode"), slug("???", default="site")
    ('신포-조선소', 'site')
    """
    if letters == "unicode":
        dropped = rf"[^\w{re.escape(keep)}]|_"
    elif letters == "ascii":
        dropped = rf"[^a-z0-9{re.escape(keep)}]"
    else:
        raise ValueError(f"letters={letters!r}: use 'ascii' or 'unicode'")
    s = re.sub(rf"(?:{dropped})+", sep, text.casefold()).strip(sep)
    if max_chars is not None:
        s = s[:max_chars]
    return s or default
