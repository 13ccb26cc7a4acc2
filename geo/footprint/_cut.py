"""Cutting at +/-180: one unwrapped ring to its RFC 7946 Polygon or MultiPolygon."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.footprint._spec import FloatArray
from geo.wgs84 import GEOD

_WORLD = box(-180.0, -90.0, 180.0, 90.0)
_WINDOWS = (
    (box(-540.0, -90.0, -180.0, 90.0), 360.0),
    (_WORLD, 0.0),
    (box(180.0, -90.0, 540.0, 90.0), -360.0),
)


_Contains = Callable[[FloatArray, FloatArray], npt.NDArray[np.bool_]]


def _ring_contains(cols: dict[str, FloatArray], i: int) -> _Contains:
    """The exact membership test of ring i's region (disk or sector), by Geod.inv."""
    lat, lon, r = cols["lat"][i], cols["lon"][i], cols["range_m"][i]
    az_hi, span = cols["az_hi"][i], cols["span"][i]

    def contains(px: FloatArray, py: FloatArray) -> npt.NDArray[np.bool_]:
        n = px.size
        az, _, dist = GEOD.inv(np.full(n, lon), np.full(n, lat), px, py)
        dist, az = np.asarray(dist), np.asarray(az)
        within: npt.NDArray[np.bool_] = dist <= r
        if span < 360.0:
            within &= ((az_hi - az) % 360.0 <= span) | (dist == 0.0)
        return within

    return contains


def _signed_area(x: FloatArray, y: FloatArray) -> float:
    # about the first vertex: a millimetre ring at longitude 67 cancels to noise otherwise
    x, y = x - x[0], y - y[0]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _split(poly: BaseGeometry) -> BaseGeometry:
    """Cut a polygon in continuous longitudes into its pieces within [-180, 180]."""
    x_min, _, x_max, _ = poly.bounds
    pieces = []
    for window, shift in _WINDOWS:
        w_min, _, w_max, _ = window.bounds
        if x_max <= w_min or x_min >= w_max:
            continue
        part = shapely.intersection(poly, window)
        if part.area > 0:
            pieces.append(shapely.transform(part, lambda c, s=shift: c + np.array([s, 0.0])))
    if len(pieces) == 1:
        return pieces[0]
    polys = [p for p in shapely.get_parts(pieces) if isinstance(p, Polygon) and p.area > 0]
    return MultiPolygon(polys)


def _crossings(x: FloatArray, y: FloatArray, c: float) -> tuple[npt.NDArray[np.intp], FloatArray]:
    """Edges (i, i+1) of the open path x, y that cross the meridian x = c, and the
    latitude of each crossing."""
    west = x < c  # a vertex exactly on the meridian counts as east of it
    idx = np.flatnonzero(west[:-1] != west[1:])
    t = (c - x[idx]) / (x[idx + 1] - x[idx])
    return idx, y[idx] + t * (y[idx + 1] - y[idx])


def _cut_disk(x: FloatArray, y: FloatArray) -> BaseGeometry | None:
    """Cut a ring that does not wind around a pole and crosses +/-180 exactly twice
    into its two pieces directly; None where that does not apply."""
    c = 180.0 if x.max() > 180.0 else -180.0
    xs, ys = np.append(x, x[0]), np.append(y, y[0])
    found = _crossings(xs, ys, c)
    if found[0].size != 2:
        return None
    (i, j), (yi, yj) = found
    piece_a = np.column_stack(
        (
            np.concatenate(([c], xs[i + 1 : j + 1], [c])),
            np.concatenate(([yi], ys[i + 1 : j + 1], [yj])),
        )
    )
    piece_b = np.column_stack(
        (
            np.concatenate(([c], xs[j + 1 : -1], xs[: i + 1], [c])),
            np.concatenate(([yj], ys[j + 1 : -1], ys[: i + 1], [yi])),
        )
    )
    parts = []
    for ring in (piece_a, piece_b):
        if abs(float(ring[1:-1, 0].mean())) > 180.0:
            ring = ring - (360.0 * np.sign(c), 0.0)
        parts.append(Polygon(ring))
    cut = MultiPolygon(parts)
    return cut if cut.is_valid else None  # e.g. a side running along the cut meridian


def _cut_polar(x: FloatArray, y: FloatArray, winding: int) -> BaseGeometry | None:
    """Cut a ring winding once around a pole where it crosses the cut meridian (once)
    and close it along the pole directly; None where that does not apply."""
    xs = np.append(x, x[0] + 360.0 * winding)
    ys = np.append(y, y[0])
    lo, hi = min(xs[0], xs[-1]), max(xs[0], xs[-1])
    c = 180.0 + 360.0 * np.floor((hi - 180.0) / 360.0)  # the odd multiple of 180 in (lo, hi]
    if c <= lo or c == hi:
        return None
    found = _crossings(xs, ys, c)
    if found[0].size != 1:
        return None
    i, yc = int(found[0][0]), float(found[1][0])
    # from the crossing round the pole back to it: x runs over exactly 360 degrees
    xr = np.concatenate(([c], xs[i + 1 : -1], xs[: i + 1] + 360.0 * winding, [c + 360.0 * winding]))
    yr = np.concatenate(([yc], ys[i + 1 : -1], ys[: i + 1], [yc]))
    xr = xr - (c + 180.0 if winding > 0 else c - 180.0)  # exact: c is an odd multiple of 180
    if xr.min() < -180.0 or xr.max() > 180.0:  # the ring strays over another cut meridian
        return None
    pole = 90.0 if winding > 0 else -90.0
    end = 180.0 * winding
    ring = np.column_stack((np.concatenate((xr, [end, -end])), np.concatenate((yr, [pole, pole]))))
    cut = Polygon(ring)
    return cut if cut.is_valid else None


def _ring_geometry(
    x: FloatArray, lat: FloatArray, winding: int, contains: _Contains
) -> BaseGeometry:
    """Analysis geometry of one ring given in continuous (quantized) longitudes.

    The common shapes are cut directly; anything else (a ring that wraps more
    than once round the map, or touches itself near a pole) goes through
    :func:`_arrangement`, which decides each face with Geod.inv.
    """
    if winding == 0 and (x.min() >= 180.0 or x.max() <= -180.0):
        # wholly east of +180 (or west of -180), e.g. a narrow sector from a site on the
        # antimeridian: one copy of it lies within [-180, 180] (shift by 360: exact)
        x = x - 360.0 * np.sign(x.max())
    ring = np.column_stack((x, lat))
    inside = x.min() >= -180.0 and x.max() <= 180.0
    candidate: BaseGeometry | None = None
    if winding == 0 and _signed_area(x, lat) > 0:
        candidate = Polygon(ring) if inside else _cut_disk(x, lat)
    elif winding == 0:
        # Clockwise: the footprint holds both poles; it is the world minus the cap
        # around the antipode, which this ring bounds.
        if inside:
            candidate = Polygon(_WORLD.exterior.coords, [ring])
        else:
            cap = _cut_disk(x[::-1], lat[::-1])
            candidate = None if cap is None else shapely.difference(_WORLD, cap)
    else:
        candidate = _cut_polar(x, lat, winding)
    if candidate is not None and candidate.is_valid:
        return candidate
    return _arrangement(x, lat, winding, contains)


def _arrangement(x: FloatArray, y: FloatArray, winding: int, contains: _Contains) -> BaseGeometry:
    """The footprint bounded by a ring of any shape, from the faces its lines cut the map into.

    The ring (continuous longitudes, possibly spanning several turns) is cut
    into the [-180, 180] window, noded with the map's frame, and polygonized;
    each face is kept when an interior point of it lies in the footprint by
    Geod.inv.  Faces are bounded by the drawn ring, so each lies wholly on one
    side of it; only slivers narrower than the tolerance can be decided either
    way, which the tolerance allows.
    """
    xs = np.append(x, x[0] + 360.0 * winding)
    ys = np.append(y, y[0])
    line = LineString(np.column_stack((xs, ys)))
    k_lo = int(np.floor((xs.min() + 180.0) / 360.0))
    k_hi = int(np.floor((xs.max() + 180.0) / 360.0))
    pieces = [_WORLD.boundary]
    for k in range(k_lo, k_hi + 1):
        shift = 360.0 * k
        part = shapely.intersection(line, box(shift - 180.0, -90.0, shift + 180.0, 90.0))
        if not part.is_empty:
            pieces.append(shapely.transform(part, lambda c, s=shift: c - np.array([s, 0.0])))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(pieces))))
    faces = np.asarray([f for f in faces if f.area > 0], dtype=object)
    if faces.size == 0:
        return Polygon()
    points = shapely.point_on_surface(faces)
    keep = contains(shapely.get_x(points), shapely.get_y(points))
    return shapely.union_all(faces[keep]) if keep.any() else Polygon()


def _finish(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """Orient (CCW exteriors, CW holes), drop slivers of zero area, return (Multi)Polygon."""
    polys = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon) and g.area > 0]
    if not polys:
        return Polygon()
    if len(polys) > 1:  # slivers left by cutting and subtracting (relative area < 1e-9)
        largest = max(p.area for p in polys)
        polys = [p for p in polys if p.area > 1e-9 * largest]
    out: Polygon | MultiPolygon = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    oriented = shapely.orient_polygons(out, exterior_cw=False)
    assert isinstance(oriented, Polygon | MultiPolygon)
    return oriented
