"""The site and the range: a place resolved and its range specification checked."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geo.footprint._spec import _prepare, _sector_azimuths
from geo.gazetteer import RegionLike, Site, as_site


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


def _precision(site: Site) -> float | None:
    """The site's stated location precision in km; ``None`` for a point given exactly."""
    value = float(site.precision_km)
    return value if math.isfinite(value) and value > 0 else None


def _origin(
    site: Any,
    range_km: float,
    min_range_km: float,
    bearing: Sequence[float] | None,
    *,
    sites: str | os.PathLike[str] | None = None,
    region: RegionLike = None,
    country: str | None = None,
) -> _Origin:
    place = as_site(site, sites=sites, region=region, country=country)
    spec = _prepare(place.lat, place.lon, range_km, min_range_km, bearing, None)
    if spec.bearing is not None:
        _sector_azimuths(spec.bearing)  # rejects a zero-width sector
    # the longitude as given (within [-180, 180]: wrapping it again may cost an ulp)
    return _Origin(
        spec.lat,
        place.lon,
        place.name,
        spec.range_km,
        spec.min_range_km,
        spec.bearing,
        _precision(place),
    )
