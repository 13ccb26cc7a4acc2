"""One way in for a site: a name or phrase, a Site, or a (lat, lon) pair, as a Site.

Every function and command of georange that takes a site goes through :func:`as_site`,
so a site means the same everywhere, the options that steer the look-up (``sites``,
``region``, ``country``, ``online``) exist everywhere, and bad input fails with the
same error everywhere.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from typing import Any

from geo.errors import InvalidCoordinateError
from geo.gazetteer._gazetteer import Gazetteer
from geo.gazetteer._grammar import point_site
from geo.gazetteer._online import OnlineGeocoder, _GeopyLike
from geo.gazetteer._region import RegionLike
from geo.gazetteer._site import Site

#: What a site may be, for error messages.
_ACCEPTED = (
    "give a place name or phrase such as 'Sinpo' or '17 km northeast of Wonsan', "
    "a geo.Site, or a (lat, lon) pair in decimal degrees such as (40.0347, 128.1856)"
)


def as_site(
    site: Any,
    *,
    sites: str | os.PathLike[str] | None = None,
    region: RegionLike = None,
    country: str | None = None,
    online: bool | _GeopyLike | OnlineGeocoder = False,
) -> Site:
    """Resolve what a user calls a site to a :class:`Site`.

    Parameters
    ----------
    site
        A place name, offset phrase or coordinate text (resolved by
        :meth:`Gazetteer.geocode`); a :class:`Site` (returned as it is); or a
        ``(lat, lon)`` pair in decimal degrees, which becomes a Site matched by
        ``"coordinates"``, exact as given (``precision_km`` 0.0) and named like
        written coordinates (``f"{lat:.6g}, {lon:.6g}"``).  Any other object with
        ``lat`` and ``lon`` attributes (a catalog row, a claim) is read the same way,
        keeping its ``name``, ``id`` and ``precision_km`` when it has them.
    sites
        A user sites CSV merged over the bundled table (names only).
    region
        Where fallback and online answers are trusted; see :meth:`Gazetteer.geocode`.
    country
        The country the site is expected in (ISO 3166 alpha-2 or a name), passed to
        :meth:`Gazetteer.geocode`.
    online
        ``True`` (or a geocoder) to ask Nominatim when all offline look-ups fail.

    Returns
    -------
    Site

    Raises
    ------
    UnknownSiteError, AmbiguousSiteError
        A name that does not resolve (with the closest known names).
    InvalidCoordinateError
        A pair that is not two finite numbers within [-90, 90] and [-180, 180], or
        something that is no site at all (bytes, ``None``, a number, a 3-tuple).

    Examples
    --------
    >>> as_site("Shinpo").id
    'sinpo'
    >>> s = as_site((40.0347, 128.1856))
    >>> s.name, s.match, s.precision_km
    ('40.0347, 128.186', 'coordinates', 0.0)
    >>> as_site(s) is s
    True
    >>> as_site((95.0, 128.0))
    Traceback (most recent call last):
    ...
    geo.errors.InvalidCoordinateError: site (95.0, 128.0): latitude 95.0 is outside [-90, 90]; ...
    """
    if isinstance(site, Site):
        return site
    if isinstance(site, str):
        return Gazetteer.load(sites).geocode(site, region=region, country=country, online=online)
    if hasattr(site, "lat") and hasattr(site, "lon"):
        return _site_like(site)
    lat, lon = _pair(site)
    return _point(lat, lon, query=f"{lat!r}, {lon!r}")


def _pair(site: Any) -> tuple[float, float]:
    if isinstance(site, bytes | bytearray | Mapping) or not isinstance(site, Iterable):
        raise InvalidCoordinateError(f"site {site!r} is not a place; {_ACCEPTED}")
    values = list(site)
    if len(values) != 2:
        raise InvalidCoordinateError(
            f"site {site!r} has {len(values)} values, not 2 (latitude, longitude); {_ACCEPTED}"
        )
    return _checked(site, values[0], values[1])


def _checked(site: Any, lat: Any, lon: Any) -> tuple[float, float]:
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        raise InvalidCoordinateError(
            f"site {site!r}: ({lat!r}, {lon!r}) are not numbers; {_ACCEPTED}"
        ) from None
    if not (math.isfinite(lat_f) and -90.0 <= lat_f <= 90.0):
        raise InvalidCoordinateError(
            f"site {site!r}: latitude {lat!r} is outside [-90, 90]; give decimal degrees "
            "north (negative south), latitude first"
        )
    if not (math.isfinite(lon_f) and -180.0 <= lon_f <= 180.0):
        raise InvalidCoordinateError(
            f"site {site!r}: longitude {lon!r} is outside [-180, 180]; give decimal degrees "
            "east (negative west), longitude second"
        )
    return lat_f, lon_f


def _point(lat: float, lon: float, *, query: str) -> Site:
    return point_site(lat, lon, 0.0, source="coordinates as given", query=query)


def _site_like(obj: Any) -> Site:
    """A Site from an object with ``lat``/``lon`` (and perhaps ``name``, ``id``...)."""
    lat, lon = _checked(obj, obj.lat, obj.lon)
    point = _point(lat, lon, query=str(getattr(obj, "query", "") or ""))
    precision = getattr(obj, "precision_km", None)
    try:
        precision_km = float(precision) if precision is not None else 0.0
    except (TypeError, ValueError):
        precision_km = 0.0
    name = getattr(obj, "name", None)
    site_id = getattr(obj, "id", None)
    return Site(
        id=site_id if isinstance(site_id, str) and site_id else None,
        name=str(name) if isinstance(name, str) and name else point.name,
        lat=lat,
        lon=lon,
        precision_km=precision_km if math.isfinite(precision_km) and precision_km >= 0 else 0.0,
        kind=str(getattr(obj, "kind", "") or point.kind),
        source=str(getattr(obj, "source", "") or point.source),
        match=str(getattr(obj, "match", "") or point.match),
        query=point.query or (str(name) if name else point.name),
    )
