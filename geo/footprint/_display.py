"""The display form: longitudes continuous around the site, for web maps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, box

from geo.footprint._assembly import _build
from geo.footprint._cut import _finish
from geo.footprint._spec import FloatArray, _prepare, _Spec
from geo.wgs84 import GEOD


@dataclass(frozen=True)
class DisplayFootprint:
    """A footprint in the two forms a map needs.

    Attributes
    ----------
    analysis
        The footprint as :func:`footprint` returns it (cut at +/-180, for analysis and export).
    fill
        The same area with longitudes continuous around the site (within
        ``[lon - 180, lon + 180]``), to be drawn at longitude offsets -360, 0 and +360.
    outlines
        The true boundary rings as lines with continuous longitudes (no pole
        closure, no cut); a disk has one, an annulus two.
    tolerance_m
        The largest distance between the drawn boundary and the true one.
    """

    lat: float
    lon: float
    range_km: float
    min_range_km: float
    bearing: tuple[float, float] | None
    tolerance_m: float
    analysis: Polygon | MultiPolygon
    fill: Polygon | MultiPolygon
    outlines: tuple[LineString, ...]


def _display_fill(analysis: Polygon | MultiPolygon, site_lon: float) -> Polygon | MultiPolygon:
    """The analysis geometry re-joined across +/-180 around the site's longitude."""
    bounds = analysis.bounds
    if not analysis.is_empty and bounds[0] > -180.0 and bounds[2] < 180.0 and abs(site_lon) <= 180:
        # does not touch the antimeridian: already continuous
        return analysis
    window = box(site_lon - 180.0, -90.0, site_lon + 180.0, 90.0)
    copies = [
        shapely.transform(analysis, lambda c, s=s: c + np.array([s, 0.0]))
        for s in (-360.0, 0.0, 360.0)
    ]
    joined = shapely.intersection(shapely.union_all(copies), window)
    return _finish(joined)


def footprint_display(
    lat: float,
    lon: float,
    range_km: float,
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    tolerance_m: float | None = None,
) -> DisplayFootprint:
    """Return a footprint in both its analysis form and its display form for web maps.

    Leaflet draws straight segments in Web Mercator and never wraps longitudes,
    so a footprint cut at +/-180 shows as two slivers at opposite map edges.
    The display form keeps longitudes continuous around the site; a renderer
    draws it at offsets -360, 0 and +360 and fills it without a stroke, drawing
    ``outlines`` as lines, so neither the cut nor the pole closure shows.

    Parameters are those of :func:`footprint`.

    Examples
    --------
    >>> import geo
    >>> d = geo.footprint_display(-17.7134, 178.065, 1000)  # Fiji: crosses the dateline
    >>> d.analysis.geom_type, d.fill.geom_type, len(d.outlines)
    ('MultiPolygon', 'Polygon', 1)
    >>> d.fill.bounds[2] > 180
    True
    """
    spec = _prepare(lat, lon, range_km, min_range_km, bearing, tolerance_m)
    built = _build([spec], outlines=True)
    analysis, tol = built.analysis[0], built.tolerance_m[0]
    fill = _display_fill(analysis, spec.lon)
    outlines = built.outlines[0]
    if spec.bearing is not None and spec.min_range_km > 0 and len(outlines) == 2:
        outlines = [_annulus_sector_outline(spec, outlines[0], outlines[1])]
    return DisplayFootprint(
        lat=spec.lat,
        lon=spec.lon,
        range_km=spec.range_km,
        min_range_km=spec.min_range_km,
        bearing=spec.bearing,
        tolerance_m=tol,
        analysis=analysis,
        fill=fill,
        outlines=tuple(outlines),
    )


def _unwrap(lon: FloatArray) -> FloatArray:
    """Longitudes made continuous (no step over 180 degrees between neighbours)."""
    return np.asarray(np.unwrap(lon, period=360.0), dtype=float)


def _annulus_sector_outline(spec: _Spec, wedge: LineString, inner: LineString) -> LineString:
    """The boundary of an annulus sector as one closed line.

    The engine's rings are the whole wedge from the site and the whole inner circle;
    the boundary is the outer arc, the two radial sides from the inner to the outer
    radius, and the inner arc between them.  The wedge's vertices inside the inner
    radius (the site and the radials' inner parts) are dropped, the radials start at
    the exact inner-radius points, and the inner circle contributes only its vertices
    within the bearings.
    """
    assert spec.bearing is not None
    start, end = spec.bearing
    span = (end - start) % 360.0 or 360.0
    inner_m = spec.min_range_km * 1000.0

    def polar(line: LineString) -> tuple[FloatArray, FloatArray, FloatArray]:
        xy = np.asarray(line.coords, dtype=float)[:-1, :2]
        n = len(xy)
        az, _, dist = GEOD.inv(np.full(n, spec.lon), np.full(n, spec.lat), xy[:, 0], xy[:, 1])
        return xy, (np.asarray(az) - start) % 360.0, np.asarray(dist)

    wxy, _, wd = polar(wedge)
    # start the wedge at the site (its nearest vertex), then keep what lies past the inner radius
    first = int(np.argmin(wd))
    wxy, wd = np.roll(wxy, -first, axis=0), np.roll(wd, -first)
    outer_part = wxy[wd > inner_m]
    lons, lats, _ = GEOD.fwd([spec.lon] * 2, [spec.lat] * 2, [start, end], [inner_m] * 2)
    at_start, at_end = np.array([lons[0], lats[0]]), np.array([lons[1], lats[1]])
    ixy, irel, _ = polar(inner)
    inside = (irel > 0.0) & (irel < span)
    arc = ixy[inside][np.argsort(irel[inside])]  # the inner arc, clockwise from start to end
    a_first = GEOD.inv(spec.lon, spec.lat, outer_part[0, 0], outer_part[0, 1])[0]
    off_start, off_end = (abs((a_first - b + 180.0) % 360.0 - 180.0) for b in (start, end))
    if off_start <= off_end:  # the wedge leaves the site along the start bearing
        xy = np.vstack((at_start, outer_part, at_end, arc[::-1], at_start))
    else:
        xy = np.vstack((at_end, outer_part, at_start, arc, at_end))
    lon = _unwrap(xy[:, 0])
    lon += 360.0 * round((spec.lon - 0.5 * (lon.min() + lon.max())) / 360.0)
    line = np.column_stack((lon, xy[:, 1]))
    line[-1] = line[0]  # closed exactly (unwrapping sums differences)
    # a radial's vertex may sit on the exact inner-radius point: no repeated vertex
    keep = np.ones(len(line), dtype=bool)
    keep[1:] = np.any(np.abs(np.diff(line, axis=0)) > 1e-9, axis=1)
    return LineString(line[keep])
