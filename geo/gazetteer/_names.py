"""Name folding, filler words, romanization keys and facility words: how names are matched."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_APOSTROPHES = str.maketrans("", "", "'’‘ʼʻ`´ʹ′‛ʽ")
_NON_WORD = re.compile(r"[\W_]+")
_POSSESSIVE = re.compile(r"(?<=\w)['’ʼ][sS]\b")  # "Sinpo's shipyard"
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
# Latin-script labels (GeoNames alternate names come in every script).
_LATIN_LABEL = re.compile("[\u0000-\u024f\u1e00-\u1eff\u2018-\u201f\u02b9-\u02bf]+")

# Words that reports wrap around a place name.  A leading run of these (ending
# with "of" where present) and trailing ones are removed, never the whole text.
_LEADING_FILLER = frozenset(
    {
        *("the", "a", "an", "near", "nearby", "around", "round", "close", "to", "outside"),
        *("outskirts", "in", "at", "from", "off", "inland", "area", "areas", "region"),
        *("vicinity", "vicinities", "waters", "water", "coast", "coastal", "sea", "port"),
        *("harbour", "harbor", "city", "town", "county", "village", "of", "site"),
        *("somewhere", "just", "about"),
    }
)
_TRAILING_FILLER = frozenset(
    {
        *("area", "areas", "city", "county", "region", "vicinity", "outskirts", "district"),
        *("town", "village", "si", "gun", "eup", "up"),
    }
)


def _fold_tokens(text: str) -> list[str]:
    """Case-, diacritic-, apostrophe- and punctuation-folded words of *text*."""
    if "s" in text or "S" in text:
        text = _POSSESSIVE.sub("", text)
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower().translate(_APOSTROPHES)).split()
    stripped = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    folded = unicodedata.normalize("NFC", stripped).casefold().translate(_APOSTROPHES)
    return _NON_WORD.sub(" ", folded).split()


def _strip_filler(tokens: list[str]) -> list[str]:
    if all(t in _LEADING_FILLER or t in _TRAILING_FILLER for t in tokens):
        return tokens  # nothing but filler: keep it, never empty the phrase
    start, end = 0, len(tokens)
    while start < end - 1 and tokens[start] in _LEADING_FILLER:
        start += 1
    while end - 1 > start and tokens[end - 1] in _TRAILING_FILLER:
        end -= 1
    return tokens[start:end]


def normalize_name(text: str, *, strip_filler: bool = True) -> str:
    """Fold a place phrase to the form used for matching.

    Case, diacritics (ŏ ŭ), apostrophes (' ’ ʼ), hyphens, punctuation and
    spacing are folded; with ``strip_filler`` the words reports wrap around a
    name ("the ... area", "near ...", "... city", "... County", "the port city
    of ...") are removed too (never the whole phrase).

    Parameters
    ----------
    text
        A place phrase as written.
    strip_filler
        Also drop the wrapping filler words.

    Returns
    -------
    str
        Lower-case words separated by single spaces.

    Examples
    --------
    >>> normalize_name("near the port city of Sinp'o")
    'sinpo'
    >>> normalize_name("Kim Chaek City")
    'kim chaek'
    >>> normalize_name("Mupyŏng-ni")
    'mupyong ni'
    >>> normalize_name("the Sunan area", strip_filler=False)
    'the sunan area'
    """
    tokens = _fold_tokens(text)
    if strip_filler:
        tokens = _strip_filler(tokens)
    return " ".join(tokens)


# Ordered rewrites that map McCune-Reischauer (with its diacritics and
# apostrophes already folded away) and Revised Romanization onto one key.
_ROMAN_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"eo", "o"),  # RR eo = MR ŏ
        (r"eu", "u"),  # RR eu = MR ŭ
        (r"sh", "s"),  # Shinpo = Sinpo
        (r"tch", "ch"),
        (r"([ptk])h", r"\1"),  # Sinpho = Sinpo (aspiration written as h)
        (r"j", "ch"),  # RR j = MR ch
        (r"(?<!n)g", "k"),  # RR g = MR k (ng stays ng)
        (r"d", "t"),  # RR d = MR t
        (r"b", "p"),  # RR b = MR p
        (r"l", "r"),  # r/l are one letter in Korean
        (r"m(?=p)", "n"),  # Shimpo = Sinpo (assimilation written or not)
        (r"([kptschnr])\1+", r"\1"),  # doubled consonants (RR tense kk/tt/pp/ss, nn)
    )
)
_VILLAGE_SUFFIXES = frozenset({"ni", "ri", "li"})


def romanization_key(text: str) -> str:
    """Key under which Korean romanization variants of one name coincide.

    Folds as :func:`normalize_name`, treats a final -ni/-ri/-li as one
    suffix, maps Revised Romanization onto McCune-Reischauer (eo/o, eu/u, g/k,
    d/t, b/p, j/ch), drops written aspiration (ph, th, kh, sh) and spacing.

    Examples
    --------
    >>> romanization_key("Mupyong-ni") == romanization_key("Mupyeong-ri")
    True
    >>> romanization_key("Gimchaek") == romanization_key("Kimch'aek")
    True
    >>> romanization_key("Shinpo") == romanization_key("Sinpho")
    True
    """
    return _roman_from_tokens(_strip_filler(_fold_tokens(text)))


def _compact(tokens: Sequence[str]) -> str:
    return "".join(tokens)


# Facility words that reports use interchangeably, and descriptors that may be
# dropped from the end of a facility name ("Sohae launch site" -> "Sohae").
_AIRFIELD_WORDS = frozenset({"airport", "airfield", "airbase", "aerodrome", "airstrip"})
_AIR_SECOND = frozenset({"base", "field", "port", "strip"})
_DESCRIPTORS = frozenset(
    {
        *("satellite", "launching", "launch", "station", "ground", "grounds", "site", "facility"),
        *("pad", "testing", "test", "range", "missile", "base", "airfield", "shipyard", "naval"),
        *("complex", "center", "centre", "plant", "arms", "factory", "yard", "port", "harbor"),
        *("harbour", "dockyard", "silo", "silos"),
    }
)
# Index levels derived from the folded words, in the order they are tried, and
# the ``match`` each reports.
_LEVEL_MATCH = {
    "normalized": "normalized",
    "facility": "normalized",
    "romanization": "romanization",
    "core": "normalized",
    "core-romanization": "romanization",
}


def _facility_tokens(tokens: Sequence[str]) -> list[str]:
    """Fold airport/airfield/air base/airbase into one word; drop "international"."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        word = tokens[i]
        if word == "air" and i + 1 < len(tokens) and tokens[i + 1] in _AIR_SECOND:
            out.append("airfield")
            i += 2
            continue
        if word != "international":
            out.append("airfield" if word in _AIRFIELD_WORDS else word)
        i += 1
    return out or list(tokens)


def _core_tokens(tokens: Sequence[str]) -> list[str]:
    """The words left once trailing facility descriptors are dropped (never none)."""
    end = len(tokens)
    while end > 1 and tokens[end - 1] in _DESCRIPTORS:
        end -= 1
    return list(tokens[:end])


def _derived_keys(tokens: Sequence[str]) -> list[tuple[str, str]]:
    """(level, key) pairs for folded, filler-stripped words, most literal first."""
    facility = _facility_tokens(tokens)
    core = _core_tokens(facility)
    return [
        ("normalized", _compact(tokens)),
        ("facility", _compact(facility)),
        ("romanization", _roman_from_tokens(list(tokens))),
        ("core", _compact(core)),
        ("core-romanization", _roman_from_tokens(core)),
    ]


def _roman_from_tokens(tokens: list[str]) -> str:
    tokens = list(tokens)
    if len(tokens) > 1 and tokens[-1] in _VILLAGE_SUFFIXES:
        tokens[-1] = "ri"
    key = "".join(tokens)
    for pattern, repl in _ROMAN_REWRITES:
        key = pattern.sub(repl, key)
    return key


_TRANSLIT_END = re.compile(r"(?<=[a-z])(?:yy|iy|yi|yj|ij)$")


def _translit(key: str) -> str:
    """One key for the Russian adjective endings BGN writes -yy and reports -y (Mirnyy, Mirny)."""
    return _TRANSLIT_END.sub("y", key)


def _town_keys(label: str, *, roman: bool) -> tuple[list[str], str] | None:
    """The keys a town's *label* is indexed under, and its romanization key (or ``""``).

    ``None`` for a label that is not Latin script or folds to nothing.  The romanization
    key is computed only with *roman* (Korean places).

    Examples
    --------
    >>> _town_keys("Mirnyy", roman=False)
    (['mirnyy', 'mirny'], '')
    >>> _town_keys("Тегеран", roman=False) is None
    True
    """
    if not label or not (label.isascii() or _LATIN_LABEL.fullmatch(label)):
        return None
    tokens = _fold_tokens(label)
    if not tokens:
        return None
    key = "".join(tokens)
    keys = [key]
    if tokens[0] in _LEADING_FILLER or tokens[-1] in _TRAILING_FILLER:
        keys.append("".join(_strip_filler(tokens)))
    if key[-1] in "ijy":
        keys.extend(_translit(k) for k in list(keys))
    return keys, (_roman_from_tokens(_strip_filler(tokens)) if roman else "")


def _town_lookup_keys(text: str) -> list[tuple[bool, str]]:
    """(romanization?, key) pairs a phrase is looked up under in the town index, in order."""
    tokens = _strip_filler(_fold_tokens(text))
    core = _core_tokens(_facility_tokens(tokens))
    return [
        (False, _compact(tokens)),
        (False, _translit(_compact(tokens))),
        (True, _roman_from_tokens(tokens)),
        (False, _compact(core)),
        (True, _roman_from_tokens(core)),
    ]
