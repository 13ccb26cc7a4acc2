"""The phrase grammar: how reports wrap a place name, and what the wrapping says.

:func:`parse_phrase` takes "the eastern port city of Sinpo, South Hamgyong Province" or
"waters some 20 km east of Hamhung" apart into a :class:`Phrase`: the place name left,
the feature word that says what kind of place it is ("airport", "bay", "county",
"city"), the qualifiers that must agree with the answer (a province, a country, a
nearby place) and an offset.  It knows no table: :mod:`geo.gazetteer._resolve` looks
the parts up.  Every rule that fired is named in :attr:`Phrase.rules`, so a test (or
a reader) can see which one did what.

The rules, in the order they are tried:

``conversion``
    "17 kilometers (10.5 miles) northeast of" -> the bracketed conversion is dropped.
``offset``
    "[descriptor] [about] N unit [due] [to the] <compass> of|from <place>" anywhere
    after descriptor words ("waters some 20 km east of Hamhung").
``same-as``
    "Songjin, the old name of Kimchaek": both names must be one place.
``comma``
    "Sinpo City, South Hamgyong Province": what follows the last comma qualifies.
``preposition``
    "Kusong in North Pyongan", "Yonpo airfield near Hamhung", "Palmachim air base south
    of Tel Aviv", "Abdul Kalam Island off the Odisha coast".
``area-of``
    "the Kusong area of North Pyongan Province".
``possessive``
    "Pyongyang's Sunan district", "Russia's Vostochny spaceport", "the North's Sohae".
``descriptor``
    "the eastern port city of", "a spot near", "waters off the", "somewhere in",
    "the ... area": the words around the name, dropped (they describe the place; only a
    word of the name itself restricts the kind of row that may answer).
``feature``
    the trailing word that names a kind: "... Airport/Airbase/Air Base/Airfield",
    "... Bay", "Lake ...", "... Reservoir", "... County/-gun", "... City/-si",
    "... Town", "... Village".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from geo.gazetteer._grammar import (
    _COMPASS_16,
    _DIST_RE,
    _QUALIFIER_RE,
    _TO_PLACE_RE,
    _UNIT_RE,
    _compass,
)
from geo.text import parse_distance as _parse_distance

#: Feature words -> the canonical feature they name.
FEATURES: dict[str, str] = {
    **dict.fromkeys(
        ("airport", "airfield", "airbase", "aerodrome", "airstrip", "air base", "air field"),
        "airfield",
    ),
    "air force base": "airfield",
    "bay": "bay",
    "lake": "lake",
    "reservoir": "reservoir",
    "county": "county",
    "gun": "county",
    "city": "city",
    "si": "city",
    "town": "town",
    "village": "village",
}
_FEATURE_TAIL_RE = re.compile(
    r"(?:[\s-]+)(?P<word>air\s+force\s+base|air\s*base|air\s*field|airport|aerodrome|airstrip|"
    r"bay|reservoir|county|gun|city|si|town|village)\.?\s*$",
    re.IGNORECASE,
)
_LAKE_HEAD_RE = re.compile(r"^\s*lake\s+(?=\S)", re.IGNORECASE)

_CONVERSION_RE = re.compile(
    r"(?P<keep>\d\s*" + _UNIT_RE.replace("?P<unit>", "?:") + r")\s*"
    r"\(\s*(?:about\s+|some\s+|around\s+|~\s*)?[\d.,]+\s*"
    + _UNIT_RE.replace("?P<unit>", "?:")
    + r"\s*\)",
    re.IGNORECASE,
)
_LEAD_WORDS = (
    r"(?:(?:a|an|the|waters?|sea|location|spot|point|site|place|area|launch|pad|position|"
    r"from|at|in|off|near|somewhere)\s+)*"
)
_OFFSET_ANY_RE = re.compile(
    r"^\s*(?P<lead>"
    + _LEAD_WORDS
    + r")"
    + _QUALIFIER_RE
    + _DIST_RE
    + r"\s*[- ]?\s*"
    + _UNIT_RE
    + _TO_PLACE_RE,
    re.IGNORECASE,
)
_SAME_AS_RE = re.compile(
    r"^(?P<name>.+?),\s*(?:the\s+|its\s+)?(?:old|former|earlier|new|current|present|other)\s+"
    r"names?\s+(?:of|for)\s+(?P<q>.+?)\s*$",
    re.IGNORECASE,
)
_DIRECTIONS = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
_PREPOSITION_RE = re.compile(
    r"\s+(?P<prep>in|on|near|at|off|outside|inside|within|close\s+to|"
    + _DIRECTIONS
    + r"\s+of)\s+(?P<q>\S.*)$",
    re.IGNORECASE,
)
_AREA_OF_RE = re.compile(
    r"^(?P<name>.+?)\s+(?P<head>area|region|district|vicinity|outskirts|suburbs?|county)\s+"
    r"(?:of|in)\s+(?P<q>.+?)\s*$",
    re.IGNORECASE,
)
_POSSESSIVE_RE = re.compile(
    r"^(?P<lead>.*?)(?P<q>(?:[Tt]he\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})['’ʼ]s\s+(?P<name>\S.*)$"
)
_ADJ = (
    r"(?:(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)"
    r"(?:ern)?|coastal|border|industrial|mountain|remote|small|major|northeastern|"
    r"northwestern|southeastern|southwestern)"
)
_DESCRIPTOR_OF_RE = re.compile(
    r"^\s*(?:(?:the|a|an)\s+)?(?:" + _ADJ + r"\s+)*(?:port\s+|coastal\s+)?"
    r"(?P<head>city|town|village|county|area|region|district|port|harbou?r|island|peninsula|"
    r"province|outskirts|vicinity|waters|coast)\s+of\s+(?:the\s+)?(?=\S)",
    re.IGNORECASE,
)
_DESCRIPTOR_LEAD_RE = re.compile(
    r"^\s*(?:(?:the|a|an|some)\s+)?(?:(?:launch\s+)?(?:location|spot|point|place|site|area|"
    r"position|pad|waters?|sea)\s+)?(?:somewhere\s+)?(?:(?:just\s+)?(?:near|around|outside|"
    r"off|close\s+to|in|at|from)\s+)?(?:(?:the\s+)?waters?\s+off\s+)?(?:the\s+)?",
    re.IGNORECASE,
)
# Qualifier words that name a province outright.
_PROVINCE_WORD_RE = re.compile(
    r"\b(?:province|provinces|region|state|oblast|krai|governorate|prefecture|do|county)\s*$",
    re.IGNORECASE,
)
_QUALIFIER_LEAD_RE = re.compile(r"^\s*(?:the\s+)?(?!north\b|south\b)", re.IGNORECASE)
# "northern", "south-western", "central": what a qualifier may lose when it does not
# resolve as written ("western Iran" -> "Iran"; never "North" of "North Pyongan").
_QUALIFIER_ADJ_RE = re.compile(
    r"^(?:(?:(?:north|south)?-?(?:east|west)?ern|central|far|coastal|remote|"
    r"north-?(?:east|west)|south-?(?:east|west))\s+)+(?:province\s+of\s+)?",
    re.IGNORECASE,
)
_COAST_TAIL_RE = re.compile(r"\s+(?:coast|coastline|shore|waters|area)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Offset:
    """A distance and compass direction from a base place."""

    distance_km: float
    azimuth_deg: float
    half_width_deg: float
    words: str


@dataclass(frozen=True)
class Qualifier:
    """A part of the phrase that must agree with the answer.

    ``how`` is the rule that found it (``comma``, ``preposition``, ``area-of``,
    ``possessive``, ``same-as``); ``text`` the words as written (descriptors such
    as "the northern ... of" or "... coast" dropped); ``province_word`` whether they
    say "Province/Region/State/Oblast/..." outright; ``strict`` whether an unknown
    qualifier is a refusal (a comma, a possessive, a province word) or only noted.
    """

    text: str
    how: str
    province_word: bool = False
    strict: bool = False
    words: str = ""
    relation: str = ""

    @property
    def variants(self) -> tuple[str, ...]:
        """The text, then without its adjectives ("northern Yemen" -> "Yemen")."""
        bare = _QUALIFIER_ADJ_RE.sub("", self.text).strip()
        return (self.text, bare) if bare and bare != self.text else (self.text,)


@dataclass(frozen=True)
class Phrase:
    """A place phrase taken apart (see the module docstring for the rules).

    Examples
    --------
    >>> p = parse_phrase("the eastern port city of Sinpo, South Hamgyong Province")
    >>> p.name, [q.text for q in p.qualifiers], p.rules
    ('Sinpo', ['South Hamgyong Province'], ('comma', 'descriptor'))
    >>> parse_phrase("Kim Chaek City, North Hamgyong").feature
    'city'
    """

    text: str
    name: str
    feature: str = ""
    qualifiers: tuple[Qualifier, ...] = ()
    offset: Offset | None = None
    base: Phrase | None = None
    rules: tuple[str, ...] = field(default=())

    @property
    def generic(self) -> bool:
        """True when no place name is left ("a launch pad", "somewhere")."""
        words = set(re.findall(r"[^\W_]+", self.name.casefold()))
        return not words or words <= _GENERIC_WORDS


_GENERIC_WORDS = frozenset(
    {
        *("a", "an", "the", "launch", "launching", "pad", "pads", "site", "sites", "location"),
        *("spot", "point", "place", "area", "somewhere", "facility", "base", "position"),
        *("missile", "test", "testing", "range", "ground", "field", "coast", "waters", "sea"),
    }
)


def parse_phrase(text: str) -> Phrase:
    """Take a place phrase apart: name, feature word, qualifiers and offset.

    Parameters
    ----------
    text
        The phrase as written.

    Returns
    -------
    Phrase

    Examples
    --------
    >>> p = parse_phrase("waters some 20 km east of Hamhung")
    >>> p.offset.distance_km, p.offset.azimuth_deg, p.base.name
    (20.0, 90.0, 'Hamhung')
    >>> parse_phrase("Yonpo airfield near Hamhung").feature
    'airfield'
    """
    rules: list[str] = []
    cleaned = " ".join(text.split())
    unconverted = _CONVERSION_RE.sub(lambda m: m.group("keep"), cleaned)
    if unconverted != cleaned:
        rules.append("conversion")
    offset = _offset(unconverted)
    if offset is not None:
        found, place = offset
        base = parse_phrase(place)
        return Phrase(text, "", offset=found, base=base, rules=(*rules, "offset"))
    name, qualifiers, more = _split_qualifiers(unconverted)
    rules.extend(more)
    name, feature, more = _descriptors(name)
    rules.extend(more)
    return Phrase(text, name, feature, tuple(qualifiers), rules=tuple(dict.fromkeys(rules)))


def _offset(text: str) -> tuple[Offset, str] | None:
    m = _OFFSET_ANY_RE.match(text)
    if not m:
        return None
    bearing = _compass(m.group("dir"))
    if bearing is None:
        return None
    distance_km = _parse_distance(m.group("dist"), m.group("unit"))
    words = f"{m.group('dist')} {m.group('unit').lower()} {_COMPASS_16[round(bearing[0] / 22.5)]}"
    return Offset(distance_km, bearing[0], bearing[1], words), m.group("place")


def _qualifier(raw: str, how: str, relation: str = "") -> list[Qualifier]:
    """The qualifier(s) in *raw*: "Iran's Semnan province" is a country and a province."""
    raw = raw.strip().rstrip(".")
    possessive = _possessive(raw)
    if possessive and how != "possessive":
        return [
            *_qualifier(possessive.group("q"), "possessive"),
            *_qualifier(possessive.group("name"), how),
        ]
    text = _QUALIFIER_LEAD_RE.sub("", raw, count=1)
    text = _COAST_TAIL_RE.sub("", text) or text
    province_word = bool(_PROVINCE_WORD_RE.search(text))
    strict = how in ("comma", "possessive", "same-as", "area-of") or province_word
    return [Qualifier(text.strip() or raw, how, province_word, strict, raw, relation)]


def _split_qualifiers(text: str) -> tuple[str, list[Qualifier], list[str]]:
    """Peel qualifiers off *text* (rightmost first); return the name part, them, the rules."""
    qualifiers: list[Qualifier] = []
    rules: list[str] = []
    name = text
    same = _SAME_AS_RE.match(name)
    if same:
        qualifiers += _qualifier(same.group("q"), "same-as")
        rules.append("same-as")
        name = same.group("name")
    while "," in name:
        head, _, tail = name.rpartition(",")
        if not head.strip() or not tail.strip():
            break
        qualifiers[:0] = _qualifier(tail, "comma")
        rules.append("comma")
        name = head
    prep = _first_preposition(name)
    if prep is not None:
        head, how, tail, relation = prep
        qualifiers[:0] = _qualifier(tail, how, relation)
        rules.append("preposition")
        name = head
    area = _AREA_OF_RE.match(name)
    if area and not _only_descriptors(area.group("name")):
        qualifiers[:0] = _qualifier(area.group("q"), "area-of")
        rules.append("area-of")
        name = area.group("name") + (" county" if area.group("head").lower() == "county" else "")
    possessive = _possessive(name)
    if possessive:
        qualifiers[:0] = _qualifier(possessive.group("q"), "possessive")
        rules.append("possessive")
        name = possessive.group("name")
    return name.strip(), qualifiers, rules


def _only_descriptors(text: str) -> bool:
    """True when *text* is nothing but descriptor words ("the", "a spot near")."""
    consumed = _DESCRIPTOR_LEAD_RE.match(text + " ")
    return consumed is not None and not (text + " ")[consumed.end() :].strip()


def _possessive(text: str) -> re.Match[str] | None:
    """ "Y's X" where only descriptor words stand before Y ("a launch pad in Iran's ...")."""
    m = _POSSESSIVE_RE.match(text)
    if m is None:
        return None
    lead = m.group("lead")
    if lead.strip() and not _only_descriptors(lead):
        return None
    return m


def _first_preposition(text: str) -> tuple[str, str, str, str] | None:
    """Split at the first preposition that has a name before it ("X in Y", "X near Y")."""
    for m in _PREPOSITION_RE.finditer(text):
        head = text[: m.start()]
        if not head.strip() or _only_descriptors(head):
            continue  # "near Sinpo", "somewhere in Jagang": the preposition leads
        prep = m.group("prep").lower()
        if prep.endswith(" of"):  # "south of Tel Aviv": a direction from a place
            return head, "relative", m.group("q"), prep[: -len(" of")]
        return head, "preposition", m.group("q"), ""
    return None


def _descriptors(name: str) -> tuple[str, str, list[str]]:
    """Strip the words around a name; return it, its feature word and the rules used."""
    rules: list[str] = []
    feature = ""
    text = name
    lead = _DESCRIPTOR_LEAD_RE.match(text)
    if lead and lead.end() > 0 and text[lead.end() :].strip():
        text = text[lead.end() :]
        rules.append("descriptor")
    m = _DESCRIPTOR_OF_RE.match(text)
    if m and text[m.end() :].strip():
        # "the port city of X" describes X; only a word of the name itself ("X City",
        # "X Airport") restricts the kind of row that may answer
        text = text[m.end() :]
        rules.append("descriptor")
    stripped = re.sub(r"\s+(?:area|areas|vicinity|region|outskirts)$", "", text, flags=re.I)
    if stripped != text and stripped.strip():
        text = stripped
        rules.append("descriptor")
    tail = _FEATURE_TAIL_RE.search(text)
    if tail and text[: tail.start()].strip():
        word = re.sub(r"\s+", " ", tail.group("word").lower())
        feature = FEATURES.get(word, FEATURES.get(word.replace(" ", ""), feature))
        rules.append("feature")
    elif _LAKE_HEAD_RE.match(text):
        feature = "lake"
        rules.append("feature")
    return text.strip(), feature, rules


def with_name(phrase: Phrase, name: str) -> Phrase:
    """*phrase* with another name (for look-up variants)."""
    return replace(phrase, name=name)
