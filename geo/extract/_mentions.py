"""The finders: claimants, missiles, counts, directions, provinces and places in a report."""

from __future__ import annotations

import re
from typing import Any

from geo import gazetteer as gz
from geo.extract._span import Span
from geo.text import SMALL_NUMBERS, parse_number

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
    "georange",  # the claimant of derived standard-trajectory claims (see _derived)
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


_COUNT_WORDS = {w: v for w, v in SMALL_NUMBERS.items() if 1 <= v <= 12}
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


# --------------------------------------------------------------------------- places


_PROVINCE_RE = re.compile(
    r"\b(?:(?:North|South)\s+(?:Pyongan|P'yŏngan|Phyongan|Hamgyong|Hamgyŏng|Hwanghae|Hwanghae)|"
    r"Kangwon|Chagang|Jagang|Ryanggang|Yanggang)(?:\s+[Pp]rovince)?\b"
)


_UNKNOWN_PLACE_RE = re.compile(
    r"\b(?:fired|launched|launch|launches|detected|lifted\s+off|test-fired)\s+from\s+"
    r"(?:an?\s+(?:site|location|spot|point|base|area)\s+)?(?:near\s+|around\s+)?"
    r"(?:the\s+)?(?P<name>[A-Z][a-z'’]+(?:[- ][A-Z][a-z'’]+|-(?:ri|ni|li|dong|gun|si|up))?)"
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


# Launching states as reports name them; the country context of a report is the state
# named nearest before its launch verbs ("North Korea fired", "a Chinese ICBM launched").
_STATES: tuple[tuple[str, str], ...] = (
    ("KP", r"North Korea(?:n)?|DPRK|Pyongyang"),
    ("KR", r"South Korea(?:n)?|Seoul"),
    ("IR", r"Iran(?:ian)?|IRGC|Revolutionary Guards?"),
    ("RU", r"Russia(?:n)?|Moscow"),
    ("CN", r"China|Chinese|Beijing"),
    ("IN", r"India(?:n)?|DRDO"),
    ("PK", r"Pakistan(?:i)?"),
    ("IL", r"Israel(?:i)?"),
    ("YE", r"Houthis?|Yemen(?:i)?"),
    ("FR", r"France|French"),
    ("JP", r"Japan(?:ese)?|Tokyo"),
    ("US", r"United States|U\.S\. (?:Air Force|Army|Navy|Space Force)|American"),
)
_STATE_RE = re.compile("|".join(f"(?P<{code}>\\b(?:{pattern})\\b)" for code, pattern in _STATES))
# "Japan's defence ministry", "Seoul said": a state that speaks, not one that launches
_SPEAKER_RE = re.compile(
    r"(?:['’]s|n)?\s+(?:government|defen[cs]e|military|ministry|Ministry|Joint|officials|"
    r"coast\s+guard|prime\s+minister|army|navy|spy|intelligence|said|says|reported|stated)\b"
)
_SAID_RE = re.compile(r"\b(?:said|says|reported|according|stated|announced)\b")
_LAUNCH_VERB_RE = re.compile(
    r"\b(?:fir(?:ed|es|ing)|launch(?:ed|es|ing)|test-fir\w*|test-launch\w*|tested|tests)\b"
)


def find_country_context(text: str) -> str | None:
    """The ISO code of the state a report says launched, or ``None`` when it names none.

    Each launch verb is given to the state named nearest before it in its sentence
    (at most 60 characters back), unless that state is a speaker ("Japan's government
    said the missile, launched ..."); the state with most verbs wins, the first on a tie.

    Examples
    --------
    >>> find_country_context("South Korea's military said North Korea fired two missiles.")
    'KP'
    >>> find_country_context("A Minuteman III missile was launched from Vandenberg.") is None
    True
    """
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for verb in _LAUNCH_VERB_RE.finditer(text):
        head = text[max(0, verb.start() - 60) : verb.start()]
        head = re.split(r"[.!?;]\s", head)[-1]
        states = [
            m
            for m in _STATE_RE.finditer(head)
            if not _SPEAKER_RE.match(head, m.end()) and not _SAID_RE.search(head, m.end())
        ]
        if not states:
            continue
        code = states[-1].lastgroup or ""
        counts[code] = counts.get(code, 0) + 1
        first.setdefault(code, verb.start())
    if not counts:
        return None
    return min(counts, key=lambda c: (-counts[c], first[c]))


_CAP = r"[A-Z][\w'’-]*"
_NAMES = rf"{_CAP}(?:\s+{_CAP}){{0,3}}"
# Qualifiers right after a site mention: ", South Hamgyong Province", " in North Pyongan",
# " near Hamhung", " off the Odisha coast", " south of Tel Aviv" (capitalised names only).
_SITE_TAIL_RE = re.compile(
    rf"(?:,\s*(?:the\s+)?{_NAMES}(?:\s+(?:[Pp]rovince|[Rr]egion|[Ss]tate|[Oo]blast))?"
    rf"(?=\s*[,.;]|\s*$|\s+(?:on|early|late|at|in|and|before|after)\b)"
    r"|\s+(?:in|near|off|outside|(?:north|south|east|west)(?:-?(?:east|west))?\s+of)\s+"
    rf"(?:the\s+)?(?:(?:north|south|east|west|central)(?:ern)?\s+)?{_NAMES}"
    r"(?:\s+(?:[Pp]rovince|[Rr]egion|coast|[Ss]tate))?)"
)
_WATERS_WORD_RE = re.compile(r"\b(?:Sea|Ocean|Gulf|Strait|Bay|Peninsula|Pacific)\b")


def _site_phrase(text: str, start: int, end: int) -> str:
    """The launch phrase of a site mention: the mention and the qualifiers right after it."""
    tail = _SITE_TAIL_RE.match(text, end)
    if tail is None or _WATERS_WORD_RE.search(tail.group(0)):
        return text[start:end]
    return text[start : tail.end()]


def _find_site_mentions(text: str, gazetteer: Any) -> list[tuple[Any, int, int]]:
    raw = gz.find_sites(text) if gazetteer is None else gz.find_sites(text, sites=gazetteer)
    # longest first, no overlaps
    chosen: list[tuple[Any, int, int]] = []
    for site, s, e in sorted(raw, key=lambda t: (-(t[2] - t[1]), t[1])):
        if any(s < ce and cs < e for _, cs, ce in chosen):
            continue
        chosen.append((site, s, e))
    chosen.sort(key=lambda t: t[1])
    return chosen
