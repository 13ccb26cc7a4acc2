"""The phrase grammar: coordinate pairs, compass points, distances with units, offsets."""

from __future__ import annotations

import math
import re

from geo.errors import InvalidCoordinateError
from geo.gazetteer._site import Site
from geo.text import DIGIT_NUMBER, DISTANCE_UNIT, parse_distance
from geo.wgs84 import GEOD, M_PER_DEG_LAT_MEAN, M_PER_DEG_LON_EQUATOR

_COORD_PART = (
    r"(?P<h1_#>[NSEW])?\s*(?P<sign_#>[-+−])?(?P<deg_#>\d{1,3}(?:\.\d+)?)\s*(?:°|º|deg\b)?\s*"
    r"(?:(?P<min_#>\d{1,2}(?:\.\d+)?)\s*['′’]\s*"
    r"(?:(?P<sec_#>\d{1,2}(?:\.\d+)?)\s*(?:[\"″”]|'')\s*)?)?"
    r"(?P<h2_#>[NSEW](?![a-z]))?"
)
_COORD_RE = re.compile(
    r"^\s*\(?\s*"
    + _COORD_PART.replace("#", "1")
    + r"\s*(?:[,;/]\s*|\s+)"
    + _COORD_PART.replace("#", "2")
    + r"\s*\)?\s*$",
    re.IGNORECASE,
)

_COMPASS_16 = (
    "north",
    "north-northeast",
    "northeast",
    "east-northeast",
    "east",
    "east-southeast",
    "southeast",
    "south-southeast",
    "south",
    "south-southwest",
    "southwest",
    "west-southwest",
    "west",
    "west-northwest",
    "northwest",
    "north-northwest",
)
_COMPASS_ABBR = (
    "n",
    "nne",
    "ne",
    "ene",
    "e",
    "ese",
    "se",
    "sse",
    "s",
    "ssw",
    "sw",
    "wsw",
    "w",
    "wnw",
    "nw",
    "nnw",
)
# key (letters only) -> (azimuth in degrees, half-width of the sector the word names)
_COMPASS: dict[str, tuple[float, float]] = {}
for _i, (_word, _abbr) in enumerate(zip(_COMPASS_16, _COMPASS_ABBR, strict=True)):
    _half = 22.5 if _i % 2 == 0 else 11.25
    _COMPASS[_word.replace("-", "")] = (_i * 22.5, _half)
    _COMPASS[_abbr] = (_i * 22.5, _half)
del _i, _word, _abbr, _half

# distances with units: the one grammar of geo.text (the extractor reads reports with it)
_UNIT_RE = rf"(?P<unit>{DISTANCE_UNIT})\.?"
_DIST_RE = rf"(?P<dist>{DIGIT_NUMBER})"
_QUALIFIER_RE = r"(?:(?:about|around|approximately|approx\.?|roughly|some|nearly|almost|c\.|~)\s*)?"
_DIR_RE = r"(?P<dir>[a-z]+(?:[\s-]+[a-z]+){0,2})"
# the direction and the place an offset is measured from: "... northeast of Wonsan"
_TO_PLACE_RE = r"\s+(?:due\s+)?(?:to\s+the\s+)?" + _DIR_RE + r"\s+(?:of|from)\s+(?P<place>.+?)\s*$"
_OFFSET_RE = re.compile(
    r"^\s*" + _QUALIFIER_RE + _DIST_RE + r"\s*" + _UNIT_RE + _TO_PLACE_RE,
    re.IGNORECASE,
)
_DISTANCE_PREFIX_RE = re.compile(
    r"^\s*" + _QUALIFIER_RE + _DIST_RE + r"\s*" + _UNIT_RE + r"\s", re.I
)
# An offset phrase that ends right before a site mention in free text.
_OFFSET_TAIL_RE = re.compile(
    r"(?:\b"
    + _QUALIFIER_RE
    + r")?\b"
    + _DIST_RE
    + r"\s*[- ]?\s*"
    + _UNIT_RE
    + r"(?:\s*\((?:about\s+|some\s+|~\s*)?[\d.,]+\s*[a-z. ]{1,20}\))?"  # "(10.5 miles)"
    + r"\s+(?:due\s+)?(?:to\s+the\s+)?"
    + _DIR_RE
    + r"\s+(?:of|from)\s+(?:the\s+)?"
    + r"(?:(?:port\s+|coastal\s+)?(?:city|town|county|village|area)\s+of\s+)?$",
    re.IGNORECASE,
)
# Coordinates inside free text: only with hemisphere letters, to avoid reading
# any pair of numbers as a position.
_TEXT_COORD_RE = re.compile(
    r"\b\d{1,2}(?:\.\d+)?\s*°?\s*(?:\d{1,2}(?:\.\d+)?\s*['′’]\s*(?:\d{1,2}(?:\.\d+)?\s*[\"″”]\s*)?)?"
    r"[NS]\b[\s,;/]*\d{1,3}(?:\.\d+)?\s*°?\s*(?:\d{1,2}(?:\.\d+)?\s*['′’]\s*"
    r"(?:\d{1,2}(?:\.\d+)?\s*[\"″”]\s*)?)?[EW]\b"
)


def _compass(direction: str) -> tuple[float, float] | None:
    key = re.sub(r"[^a-z]", "", direction.casefold())
    return _COMPASS.get(key)


def _decimals(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


def _parse_coordinates(text: str) -> tuple[float, float, float] | None:
    """Return (lat, lon, precision_km) if *text* is a coordinate pair, else None."""
    m = _COORD_RE.match(text)
    if not m:
        return None
    parts = []
    for i in (1, 2):
        h1, h2 = m.group(f"h1_{i}"), m.group(f"h2_{i}")
        if h1 and h2:
            raise InvalidCoordinateError(
                f"coordinates {text!r}: a value has two hemisphere letters; write e.g. "
                "'39.03N 125.75E'"
            )
        hemi = (h1 or h2 or "").upper()
        deg_s, min_s, sec_s = m.group(f"deg_{i}"), m.group(f"min_{i}"), m.group(f"sec_{i}")
        value = float(deg_s)
        if min_s is not None:
            if float(min_s) >= 60 or (sec_s is not None and float(sec_s) >= 60):
                raise InvalidCoordinateError(
                    f"coordinates {text!r}: minutes and seconds must be below 60"
                )
            value += float(min_s) / 60 + (float(sec_s) / 3600 if sec_s else 0.0)
            unit_deg = (
                0.5 * 10 ** -_decimals(sec_s) / 3600
                if sec_s is not None
                else 0.5 * 10 ** -_decimals(min_s) / 60
            )
        else:
            unit_deg = 0.5 * 10 ** -_decimals(deg_s)
        sign = m.group(f"sign_{i}")
        if sign and sign in "-−":
            if hemi:
                raise InvalidCoordinateError(
                    f"coordinates {text!r}: a value has both a minus sign and a hemisphere "
                    "letter; use one, e.g. '33.5S 70.25W' or '-33.5, -70.25'"
                )
            value = -value
        if hemi in ("S", "W"):
            value = -value
        parts.append((value, hemi, unit_deg))
    (v1, hem1, u1), (v2, hem2, u2) = parts
    lat_first = True
    if hem1 in ("E", "W") or hem2 in ("N", "S"):
        lat_first = False
    if (hem1 and hem2) and (hem1 in "NS") == (hem2 in "NS"):
        raise InvalidCoordinateError(
            f"coordinates {text!r} give two {'latitudes' if hem1 in 'NS' else 'longitudes'}; "
            "write one latitude (N/S) and one longitude (E/W), e.g. '39.03N 125.75E'"
        )
    lat, lon, ulat, ulon = (v1, v2, u1, u2) if lat_first else (v2, v1, u2, u1)
    if not -90 <= lat <= 90:
        raise InvalidCoordinateError(
            f"latitude {lat:g} in {text!r} is outside [-90, 90]; coordinates are read as "
            "'LAT, LON' (or use N/S and E/W letters)"
        )
    if not -180 <= lon <= 180:
        raise InvalidCoordinateError(
            f"longitude {lon:g} in {text!r} is outside [-180, 180]; coordinates are read as "
            "'LAT, LON' (or use N/S and E/W letters)"
        )
    # half a unit of the last digit on each axis, at the length of a degree there
    lat_m = ulat * M_PER_DEG_LAT_MEAN
    lon_m = ulon * M_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat))
    precision_km = math.hypot(lat_m, lon_m) / 1000.0
    return lat, lon, max(precision_km, 0.001)


def coordinates_site(text: str) -> Site | None:
    """The point *text* writes as a coordinate pair, with the precision of its digits."""
    coords = _parse_coordinates(text)
    if coords is None:
        return None
    lat, lon, precision_km = coords
    source = "coordinates as given (precision from the digits written)"
    return point_site(lat, lon, round(precision_km, 3), source=source, query=text)


def point_site(lat: float, lon: float, precision_km: float, *, source: str, query: str) -> Site:
    """A Site of a written coordinate pair, named like written coordinates."""
    return Site(
        id=None,
        name=f"{lat:.6g}, {lon:.6g}",
        lat=lat,
        lon=lon,
        precision_km=precision_km,
        kind="coordinates",
        source=source,
        match="coordinates",
        query=query,
    )


def offset_from(
    base: Site, phrase: re.Match[str], bearing: tuple[float, float], *, query: str
) -> Site:
    """The point an offset phrase (``dist``, ``unit``, ``dir`` groups) names from *base*."""
    distance_km = parse_distance(phrase.group("dist"), phrase.group("unit"))
    label = (
        f"{phrase.group('dist')} {phrase.group('unit').lower()} "
        f"{_COMPASS_16[round(bearing[0] / 22.5)]} of {base.name}"
    )
    return _offset_site(base, distance_km, bearing[0], bearing[1], query=query, label=label)


def _offset_site(
    base: Site,
    distance_km: float,
    azimuth_deg: float,
    half_width_deg: float,
    *,
    query: str,
    label: str,
) -> Site:
    lon, lat, _ = GEOD.fwd(base.lon, base.lat, azimuth_deg, distance_km * 1000.0)
    # A compass word names a sector: the true point may lie anywhere in it, up to
    # a chord of 2 d sin(w/2) away; reported distances are rounded (take 10%).
    lateral_km = 2 * distance_km * math.sin(math.radians(half_width_deg) / 2)
    widened = math.hypot(lateral_km, 0.1 * distance_km)
    return Site(
        id=None,
        name=label,
        lat=float(lat),
        lon=float((lon + 180.0) % 360.0 - 180.0),
        precision_km=round(base.precision_km + widened, 3),
        kind="offset",
        source=(
            f"{distance_km:g} km at azimuth {azimuth_deg:g}° (geodesic, WGS84) from "
            f"{base.name} [{base.source}]"
        ),
        match="offset",
        query=query,
        note=(
            f"base site {base.id or base.name} ({base.lat:.4f}, {base.lon:.4f}, "
            f"±{base.precision_km:g} km, matched by {base.match}); precision widened by "
            f"{widened:.1f} km for a ±{half_width_deg:g}° compass sector and ±10% distance"
        ),
    )
