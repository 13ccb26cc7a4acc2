"""The footprint of a lofted test's standard-trajectory range: a range that varies with azimuth."""

from __future__ import annotations

from typing import Any

from shapely.geometry import MultiPolygon, Polygon

from geo.footprint import DisplayFootprint, footprint_by_azimuth_display
from geo.lofted._estimate import _site_latlon, standard_range_grid, standard_trajectory_range
from geo.lofted._rotation import RangeGrid


def standard_trajectory_display(
    site: Any,
    apogee_km: float,
    distance_km: float,
    flight_time_s: float | None = None,
    *,
    level: str = "central",
    tolerance_m: float | None = None,
) -> DisplayFootprint:
    """:func:`standard_trajectory_footprint` in its analysis and its display form (for maps).

    Examples
    --------
    >>> d = standard_trajectory_display((39.0339, 125.7543), 2111.5, 787, 1800)
    >>> d.analysis.is_valid, len(d.outlines), round(d.range_km, -2)  # the largest range
    (True, 1, 5400.0)
    """
    grid = standard_range_grid(site, apogee_km, distance_km, flight_time_s, level=level)
    lat, lon = _site_latlon(site)
    return _grid_display(lat, lon, grid, tolerance_m)


def standard_trajectory_footprint(
    site: Any,
    apogee_km: float,
    distance_km: float,
    flight_time_s: float | None = None,
    *,
    level: str = "central",
    tolerance_m: float | None = None,
) -> Polygon | MultiPolygon:
    """Where a lofted test's missile could reach on a standard trajectory, on a rotating Earth.

    The boundary at each azimuth is that azimuth's rotating-Earth range
    (:func:`geo.standard_range_by_azimuth`): farther east than west. The range function is
    interpolated from a 1-degree launch-azimuth grid, and that interpolated curve
    ``az -> Geod.fwd(site, az, r(az))`` is the boundary the tolerance refers to. The
    ranges, computed on the mean sphere, are used as WGS84 geodesic distances; where a
    bearing reaches the whole globe (20,015 km) it is capped at ``WHOLE_GLOBE_KM``, and
    when every bearing does, the footprint is the whole globe. Derived, not reported.

    Parameters
    ----------
    site
        ``(lat, lon)``, a :class:`geo.Site` or a name.
    apogee_km, distance_km, flight_time_s
        The lofted test, as for :func:`geo.standard_trajectory_range`.
    level
        ``"low"``, ``"central"`` or ``"high"``; a near-orbital test has only ``"low"``.
    tolerance_m
        Largest distance between the drawn boundary and the true one; default
        ``min(100 m, smallest range / 1000)``.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        In lon/lat, RFC 7946 (counter-clockwise, cut at +/-180, closed along a pole).

    Raises
    ------
    InvalidRangeError
        Bad inputs, an unknown level, or ``central``/``high`` for a near-orbital test.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> hs15 = standard_trajectory_footprint((39.0339, 125.7543), 4475, 950, 3180)
    >>> hs15.is_valid, hs15.contains(Point(0.0, 89.9))  # past the North Pole
    (True, True)
    """
    return standard_trajectory_display(
        site, apogee_km, distance_km, flight_time_s, level=level, tolerance_m=tolerance_m
    ).analysis


def standard_trajectory_band(
    site: Any,
    apogee_km: float,
    distance_km: float,
    flight_time_s: float | None = None,
    *,
    tolerance_m: float | None = None,
) -> list[tuple[str, RangeGrid, DisplayFootprint]]:
    """The levels a lofted test has, widest first, each with its range function and footprint.

    ``high``, ``central`` and ``low``; a near-orbital test has only ``low`` (a lower bound).
    What a map draws as a band.

    Examples
    --------
    >>> band = standard_trajectory_band((39.0339, 125.7543), 2111.5, 787, 1800)
    >>> [level for level, _, _ in band]
    ['high', 'central', 'low']
    >>> band[0][1].min_km > band[2][1].max_km  # high's shortest beats low's longest
    True
    """
    lat, lon = _site_latlon(site)
    near = standard_trajectory_range(apogee_km, distance_km, flight_time_s).near_orbital
    out = []
    for level in ("low",) if near else ("high", "central", "low"):
        grid = standard_range_grid((lat, lon), apogee_km, distance_km, flight_time_s, level=level)
        out.append((level, grid, _grid_display(lat, lon, grid, tolerance_m)))
    return out


def _grid_display(
    lat: float, lon: float, grid: RangeGrid, tolerance_m: float | None
) -> DisplayFootprint:
    """The footprint of a range function from ``(lat, lon)``, bounded by its grid's extremes."""
    return footprint_by_azimuth_display(
        lat,
        lon,
        grid,
        bounds_km=(grid.min_km, grid.max_km),
        knots_deg=grid.knots_deg,
        tolerance_m=tolerance_m,
    )
