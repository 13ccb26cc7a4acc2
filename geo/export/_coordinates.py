"""Coordinates as text: the decimal places a tolerance needs, and valid rounded polygons."""

from __future__ import annotations

import logging
import math

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo.errors import ExportError
from geo.wgs84 import M_PER_DEG_MAX

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]

_MAX_DIGITS = 12


def coordinate_digits(tolerance_m: float) -> int:
    """Decimal places of degrees that a footprint drawn to *tolerance_m* needs.

    The smallest number of digits whose rounding step (at most
    :data:`geo.wgs84.M_PER_DEG_MAX`, 111.69 km per degree, times the step) is
    no more than 1/100 of the tolerance, so rounding moves no vertex by more
    than 1 % of what the tolerance allows.

    Examples
    --------
    >>> coordinate_digits(100.0)  # 1e-6 degree is at most 0.11 m
    6
    >>> coordinate_digits(1.0), coordinate_digits(1000.0)
    (8, 5)
    """
    tol = float(tolerance_m)
    if not math.isfinite(tol) or tol <= 0:
        raise ExportError(
            f"tolerance_m {tolerance_m!r} is not a positive number of metres; "
            "footprints carry it in their 'tolerance_m' column"
        )
    return max(0, min(_MAX_DIGITS, math.ceil(math.log10(M_PER_DEG_MAX * 100.0 / tol) - 1e-12)))


_MAX_EDGE_LON_DEG = 90.0


def _round_ring(coords: FloatArray, digits: int) -> FloatArray:
    """Round to *digits*, drop repeated vertices, and split edges that span more than
    90 degrees of longitude (other than the closure along a pole): readers that take the
    shorter way round (or guess an antimeridian crossing from a jump of more than 180
    degrees) then draw the same edge as RFC 7946's straight lon/lat line."""
    out = np.round(np.asarray(coords, dtype=float)[:, :2], digits) + 0.0  # + 0.0: no "-0.0"
    keep = np.ones(len(out), dtype=bool)
    keep[1:] = np.any(out[1:] != out[:-1], axis=1)
    out = out[keep]
    if len(out) < 2:
        return out
    a, b = out[:-1], out[1:]
    polar = (a[:, 1] == b[:, 1]) & (np.abs(a[:, 1]) == 90.0)
    pieces = np.where(polar, 1, np.ceil(np.abs(b[:, 0] - a[:, 0]) / _MAX_EDGE_LON_DEG))
    if (pieces <= 1).all():
        return out
    rows = [out[:1]]
    for i in range(len(a)):
        n = int(max(pieces[i], 1))
        t = np.arange(1, n + 1)[:, None] / n
        extra = np.round(a[i] + t * (b[i] - a[i]), digits) + 0.0
        extra[-1] = b[i]
        rows.append(extra)
    return np.concatenate(rows)


def _round_polygons(geom: BaseGeometry, digits: int) -> Polygon | MultiPolygon | None:
    """Round every vertex; None if that makes the geometry invalid."""
    # Parts and holes smaller than 10 x 10 cells of the grid (1.2 m2 at 6 digits) are
    # dropped: their shape, even their orientation, is below what the digits express.
    smallest = 100.0 * 10.0 ** (-2 * digits)
    polys = []
    for part in shapely.get_parts(geom):
        if not isinstance(part, Polygon):
            continue
        shell = _round_ring(np.asarray(part.exterior.coords), digits)
        if len(shell) < 4 or Polygon(shell).area < smallest:
            continue
        holes = [_round_ring(np.asarray(r.coords), digits) for r in part.interiors]
        holes = [h for h in holes if len(h) >= 4 and Polygon(h).area >= smallest]
        polys.append(Polygon(shell, holes))
    if not polys:
        return None
    out = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    if not out.is_valid:
        return None
    oriented = shapely.orient_polygons(out, exterior_cw=False)
    assert isinstance(oriented, Polygon | MultiPolygon)
    return oriented


def _rounded(geom: BaseGeometry, digits: int) -> tuple[Polygon | MultiPolygon, int]:
    """The geometry rounded to *digits* (more where fewer would break validity).

    GEOS snap-rounds to the grid first (``shapely.set_precision``), which keeps the
    result valid where plain rounding would not, e.g. where an annular sector has a
    zero-width spike that rounding turns into a self-intersection."""
    for d in range(digits, _MAX_DIGITS + 1):
        out = _round_polygons(shapely.set_precision(geom, 10.0**-d), d)
        if out is not None:
            if d > digits:
                log.debug("rounding to %d digits broke validity; used %d", digits, d)
            return out, d
    raise ExportError(f"cannot write a valid geometry for {geom.wkt[:80]}...: it is invalid itself")


def _num(x: float) -> float:
    return float(x) + 0.0
