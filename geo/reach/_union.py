"""Several launch points: the union of their footprints and exact verdicts for any of them."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from geo.errors import CatalogError, CatalogProblem, InvalidRangeError
from geo.footprint import footprint
from geo.gazetteer import RegionLike, as_site
from geo.reach._kernel import BoolArray, _classify, _point_arrays
from geo.reach._origin import _origin

log = logging.getLogger(__name__)


def _launches(launches: Any) -> list[tuple[Any, float, float]]:
    """Normalize launches to ``(site, range_km, min_range_km)`` triples."""
    if isinstance(launches, pd.DataFrame):
        for col in ("lat", "lon", "range_km"):
            if col not in launches.columns:
                raise CatalogError(
                    [
                        CatalogProblem(
                            "<DataFrame>",
                            1,
                            col,
                            "(missing)",
                            f"a column; columns are {list(launches.columns)}",
                        )
                    ],
                    summary=f"launches table has no {col!r} column",
                )
        mins = (
            launches["min_range_km"]
            if "min_range_km" in launches.columns
            else [0.0] * len(launches)
        )
        return [
            ((la, lo), r, 0.0 if m is None or (isinstance(m, float) and math.isnan(m)) else m)
            for la, lo, r, m in zip(
                launches["lat"], launches["lon"], launches["range_km"], mins, strict=True
            )
        ]
    out = []
    for item in launches:
        if (
            not isinstance(item, Sequence)
            or isinstance(item, str)
            or len(item) not in (2, 3)
            or isinstance(item[0], int | float)
        ):
            raise InvalidRangeError(
                f"launch {item!r} is not (site, range_km) or (site, range_km, min_range_km); "
                "give e.g. ((40.03, 128.19), 1500)"
            )
        out.append((item[0], item[1], item[2] if len(item) == 3 else 0.0))
    if not out:
        raise InvalidRangeError("no launches given; give at least one (site, range_km) pair")
    return out


def reach_union(
    launches: Any,
    *,
    tolerance_m: float | None = None,
    sites: Any = None,
    region: RegionLike = None,
    country: str | None = None,
) -> Any:
    """Return the area reachable from any of several sites as one valid geometry.

    Each footprint is the engine's analysis geometry (:func:`geo.footprint`: cut at
    the antimeridian, closed along the poles), so their planar union in lon/lat is
    the true union on the globe, correct across the dateline and the poles.

    Parameters
    ----------
    launches
        An iterable of ``(site, range_km)`` or ``(site, range_km, min_range_km)``
        (a site as for :func:`reach`), or a DataFrame with ``lat``, ``lon``,
        ``range_km`` and optionally ``min_range_km`` columns.
    tolerance_m
        Boundary tolerance of each footprint (default ``min(100 m, range/1000)``).
    sites, region, country
        How site names are looked up: see :func:`geo.as_site`.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        Valid, in lon/lat (EPSG:4326), counter-clockwise exteriors.

    Examples
    --------
    >>> import geo
    >>> both = geo.reach_union([((40.0347, 128.1856), 1500), ((-17.7134, 178.065), 1000)])
    >>> both.is_valid, both.geom_type, len(both.geoms)
    (True, 'MultiPolygon', 3)
    """
    parts = []
    for site, r, m in _launches(launches):
        place = as_site(site, sites=sites, region=region, country=country)
        parts.append(footprint(place.lat, place.lon, r, min_range_km=m, tolerance_m=tolerance_m))
    merged = shapely.union_all(parts)
    if not merged.is_valid:
        log.info(
            "union of %d footprints was not valid (%s); repairing it",
            len(parts),
            shapely.is_valid_reason(merged),
        )
        merged = shapely.make_valid(merged)
    polys = [g for g in shapely.get_parts(merged) if isinstance(g, Polygon) and not g.is_empty]
    result = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    result = shapely.orient_polygons(result, exterior_cw=False)
    if not result.is_valid:  # pragma: no cover - the checks above should make this unreachable
        raise RuntimeError(f"union is invalid: {shapely.is_valid_reason(result)}")
    return result


def within_any_range(
    launches: Any,
    lat: Any,
    lon: Any,
    *,
    sites: Any = None,
    region: RegionLike = None,
    country: str | None = None,
) -> BoolArray:
    """Return, for each point, whether any of several launches reaches it (exact verdicts).

    The exact counterpart of :func:`reach_union`: a point is in when
    :func:`within_range` says so for at least one launch.

    Parameters
    ----------
    launches
        As for :func:`reach_union`.
    lat, lon
        Point coordinates in decimal degrees.
    sites, region, country
        How site names are looked up: see :func:`geo.as_site`.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> import geo
    >>> geo.within_any_range([((40.0347, 128.1856), 1500), ((13.584, 144.93), 100)],
    ...                      [37.5665, 13.584, 21.3069], [126.978, 144.93, -157.8583])
    array([ True,  True, False])
    """
    la, lo = _point_arrays(lat, lon)
    hit = np.zeros(la.shape, dtype=bool)
    for site, r, m in _launches(launches):
        o = _origin(site, r, m, None, sites=sites, region=region, country=country)
        todo = np.flatnonzero(~hit)
        hit[todo] |= _classify(o, la[todo], lo[todo])[0]
    return hit
