"""The site and the range: a place resolved and its range specification checked."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geo.errors import InvalidCoordinateError
from geo.footprint._spec import _prepare, _sector_azimuths
from geo.gazetteer import geocode


@dataclass(frozen=True)
class _Origin:
    """A resolved site with its validated range specification."""

    lat: float
    lon: float
    name: str
    range_km: float
    min_range_km: float
    bearing: tuple[float, float] | None
    precision_km: float | None = None


def _precision(site: Any) -> float | None:
    """The site's stated location precision in km (a gazetteer Site has one), if any."""
    value = getattr(site, "precision_km", None)
    try:
        out = float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
    return out if out is not None and math.isfinite(out) and out >= 0 else None


def _site_point(site: Any, *, sites: str | os.PathLike[str] | None) -> tuple[Any, Any, str]:
    """(lat, lon, name) of a Site-like object, a (lat, lon) pair or a place name."""
    if isinstance(site, str):
        found = geocode(site, sites=sites)
        return found.lat, found.lon, str(found.name)
    if hasattr(site, "lat") and hasattr(site, "lon"):
        name = getattr(site, "name", None)
        return site.lat, site.lon, str(name) if name else f"{site.lat}, {site.lon}"
    if isinstance(site, Sequence) and not isinstance(site, bytes) and len(site) == 2:
        return site[0], site[1], f"{site[0]}, {site[1]}"
    raise InvalidCoordinateError(
        f"site {site!r} is not a place; give a geo.gazetteer.Site, a (lat, lon) pair in "
        "decimal degrees such as (40.0347, 128.1856), or a place name such as 'Sinpo'"
    )


def _origin(
    site: Any,
    range_km: float,
    min_range_km: float,
    bearing: Sequence[float] | None,
    sites: str | os.PathLike[str] | None = None,
) -> _Origin:
    if isinstance(site, str):
        site = geocode(site, sites=sites)
    lat, lon, name = _site_point(site, sites=sites)
    spec = _prepare(lat, lon, range_km, min_range_km, bearing, None)
    if spec.bearing is not None:
        _sector_azimuths(spec.bearing)  # rejects a zero-width sector
    _, lon_f = _keep_lon((spec.lat, spec.lon), lon)
    return _Origin(
        spec.lat, lon_f, name, spec.range_km, spec.min_range_km, spec.bearing, _precision(site)
    )


def _keep_lon(checked: tuple[float, float], lon: Any) -> tuple[float, float]:
    """Keep a longitude as given when it needs no wrapping (wrapping may cost an ulp)."""
    lat_f, lon_w = checked
    return lat_f, float(lon) if -180.0 <= float(lon) <= 180.0 else lon_w
