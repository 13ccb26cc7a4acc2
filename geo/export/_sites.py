"""Footprints of one site typed by a user, shaped like the catalog's."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from geo.catalog import RANGE_KINDS
from geo.errors import ExportError
from geo.footprint import footprints
from geo.footprint._spec import _check_bearing
from geo.gazetteer import Site, geocode

if TYPE_CHECKING:
    import os


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.+-]+", "_", text.casefold()).strip("_") or "site"


def site_footprints(
    site: Any,
    range_km: float | Sequence[float],
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    label: str | None = None,
    range_kind: str = "assumption",
    sites: str | os.PathLike[str] | None = None,
    tolerance_m: float | None = None,
) -> gpd.GeoDataFrame:
    """Footprints of one site at one or more ranges, shaped like :func:`geo.claim_footprints`.

    For exports of a site and range typed by a user (``georange export --site
    ... --range-km ...``): each range becomes a claim with ``claimant``
    "georange user" and ``source`` "command line", so files carry the same
    columns as catalog exports.

    Parameters
    ----------
    site
        A name, alias, offset or coordinates as text (see :func:`geo.geocode`),
        a :class:`geo.gazetteer.Site`, or a ``(lat, lon)`` pair (used exactly).
    range_km
        One range or several, in kilometres.
    min_range_km
        A minimum range (annulus), the same for every range.
    bearing
        ``(start_deg, end_deg)`` clockwise from north: a sector.
    label
        What the range belongs to (becomes ``missile``).
    range_kind
        What the number is, one of ``geo.catalog.RANGE_KINDS``.
    sites
        A user sites file for the look-up.
    tolerance_m
        Passed to the footprint engine.

    Examples
    --------
    >>> fp = site_footprints("39.0339, 125.7543", [13000, 19000])
    >>> fp["claim_id"].tolist(), fp["range_kind"].tolist()
    (['39.0339_125.7543-13000km', '39.0339_125.7543-19000km'], ['assumption', 'assumption'])
    """
    if range_kind not in RANGE_KINDS:
        raise ExportError(f"range_kind {range_kind!r} is not one of {', '.join(RANGE_KINDS)}")
    place = _place(site, sites=sites)
    shown = _check_bearing(bearing)  # in [0, 360), as maps and reach show them
    ranges = [range_km] if isinstance(range_km, int | float) else list(range_km)
    # the site's id, else its exact coordinates (names of coordinate sites are rounded)
    key = place.id or f"{float(place.lat)!r}_{float(place.lon)!r}"
    rows = []
    for r in ranges:
        rows.append(
            {
                "claim_id": f"{_slug(key)}-{float(r):g}km",
                "event_id": _slug(key),
                "date": "",
                "date_precision": "unknown",
                "site": getattr(place, "query", "") or place.name,
                "missile": label or "",
                "range_km": float(r),
                "range_kind": range_kind,
                "claimant": "georange user",
                "source": "command line",
                "note": "",
                "site_name": place.name,
                "site_id": place.id,
                "lat": float(place.lat),
                "lon": float(place.lon),
                "precision_km": float(place.precision_km),
                "site_match": getattr(place, "match", None),
                "site_source": getattr(place, "source", None),
                "located": True,
                "min_range_km": float(min_range_km or 0.0),
                "bearing_start_deg": shown[0] if shown is not None else math.nan,
                "bearing_end_deg": shown[1] if shown is not None else math.nan,
            }
        )
    frame = pd.DataFrame(rows)
    return footprints(
        frame,
        min_range_km="min_range_km",
        bearing=("bearing_start_deg", "bearing_end_deg") if bearing is not None else None,
        tolerance_m=tolerance_m,
    )


def _place(site: Any, *, sites: str | os.PathLike[str] | None) -> Any:
    """The site as a :class:`geo.gazetteer.Site` (or the site-like object given)."""
    if isinstance(site, str):
        return geocode(site, sites=sites)
    if hasattr(site, "lat") and hasattr(site, "lon"):
        return site
    if isinstance(site, Sequence) and len(site) == 2:
        lat, lon = (float(v) for v in site)
        name = f"{lat!r}, {lon!r}"
        return Site(
            None, name, lat, lon, 0.0, "coordinates", "coordinates as given", "coordinates", name
        )
    raise ExportError(
        f"site {site!r} is not a place name, a geo.gazetteer.Site or a (lat, lon) pair"
    )
