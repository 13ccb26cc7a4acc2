"""Projections of a print figure: the view, and geometry carried into it.

Azimuthal equidistant (AEQD) centred on the site is the default: every point's distance
and azimuth from the site are kept, so a range ring is a circle and a bearing is a straight
ray whatever the latitude; the poles and the antimeridian are ordinary points.  The
projection only breaks down at the site's antipode, so geometry is first cut to a geodesic
disk around the site (the footprint engine's own disk, which handles poles and the
antimeridian) and only then projected.  The world view is Equal Earth (equal-area).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString, MultiLineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.footprint import footprint

__all__ = ["PROJECTIONS", "View", "aeqd_view", "world_view"]

FloatArray = npt.NDArray[np.float64]
GEOD = Geod(ellps="WGS84")
#: The projections :func:`geo.range_figure` draws in.
PROJECTIONS = ("aeqd", "world")
# The farthest the AEQD view reaches from the site (km): short of the antipode (~20,004 km),
# where the projection explodes.
_AEQD_LIMIT_KM = 19_800.0
_SEGMENT_DEG = 0.5  # longest lon/lat edge before projection (meridians and parallels curve)
_CUT_DEG = 1e-7


@dataclass(frozen=True)
class View:
    """What a figure shows: a projection and the part of the plane in view.

    Attributes
    ----------
    kind
        ``"aeqd"`` or ``"world"``.
    crs
        The PROJ string of the projection (metres).
    xlim, ylim
        The plane in view (metres).
    clip
        The lon/lat area kept before projecting (``None``: the whole world).
    clip_radius_m
        AEQD only: the radius of the kept disk (the edge of the drawn globe).
    """

    kind: str
    crs: str
    lat: float
    lon: float
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    clip: BaseGeometry | None
    clip_radius_m: float

    @functools.cached_property
    def _transformer(self) -> Transformer:
        return Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)

    def xy(self, lon: Any, lat: Any) -> tuple[FloatArray, FloatArray]:
        """Project lon/lat degrees to the plane (metres)."""
        x, y = self._transformer.transform(np.asarray(lon, float), np.asarray(lat, float))
        return np.asarray(x, float), np.asarray(y, float)

    def _transform(self, coords: FloatArray) -> FloatArray:
        x, y = self.xy(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    def project(self, geoms: Any) -> Any:
        """Project lon/lat geometries: cut to the view's area, densified, then projected.

        Returns an array of the same length (geometries out of view come back empty).

        Edges longer than half a degree are split first, so that the straight edges of
        cut lines, pole closures and graticules follow their true curves.
        """
        arr = np.asarray(geoms, dtype=object).ravel()
        if self.clip is not None:
            shapely.prepare(self.clip)
            arr = shapely.intersection(arr, self.clip)
        arr = shapely.segmentize(arr, _SEGMENT_DEG)
        return shapely.transform(arr, self._transform)

    def in_view(self, x: FloatArray, y: FloatArray) -> npt.NDArray[np.bool_]:
        """Which projected points lie inside the frame (and on the drawn globe)."""
        ok = (x >= self.xlim[0]) & (x <= self.xlim[1]) & (y >= self.ylim[0]) & (y <= self.ylim[1])
        if self.kind == "aeqd":
            ok &= np.hypot(x, y) <= self.clip_radius_m
        return np.asarray(ok & np.isfinite(x) & np.isfinite(y))

    @property
    def globe(self) -> Polygon:
        """The drawn earth in the plane (the sea background)."""
        if self.kind == "aeqd":
            return Point(0.0, 0.0).buffer(self.clip_radius_m, quad_segs=256)
        lat = np.linspace(-90.0, 90.0, 361)
        lon = np.r_[np.full(361, -180.0), np.full(361, 180.0)]
        x, y = self.xy(lon, np.r_[lat, lat[::-1]])
        return Polygon(np.column_stack([x, y]))


@functools.lru_cache(maxsize=64)
def _clip_disk(lat: float, lon: float, radius_km: float) -> BaseGeometry:
    # 1 km is far finer than a figure shows, and keeps the disk's ring short
    return footprint(lat, lon, radius_km, tolerance_m=1000.0)


def aeqd_view(lat: float, lon: float, reach_km: float, *, extent_km: float | None = None) -> View:
    """A square AEQD view centred on (lat, lon) showing at least *reach_km* around it."""
    if extent_km is None:
        extent_km = max(reach_km * 1.12, reach_km + 150.0, 250.0)
    half_km = min(float(extent_km), _AEQD_LIMIT_KM)
    clip_km = min(half_km * math.sqrt(2.0) * 1.02, _AEQD_LIMIT_KM)
    crs = f"+proj=aeqd +lat_0={lat!r} +lon_0={lon!r} +datum=WGS84 +units=m +no_defs"
    half = half_km * 1000.0
    return View(
        kind="aeqd",
        crs=crs,
        lat=lat,
        lon=lon,
        xlim=(-half, half),
        ylim=(-half, half),
        clip=_clip_disk(lat, lon, clip_km),
        clip_radius_m=clip_km * 1000.0,
    )


def world_view(lat: float, lon: float) -> View:
    """The whole world in Equal Earth (central meridian 0, so the RFC 7946 cut is its edge)."""
    crs = "+proj=eqearth +lon_0=0 +datum=WGS84 +units=m +no_defs"
    t = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x_edge, _ = t.transform(180.0, 0.0)
    _, y_edge = t.transform(0.0, 90.0)
    pad = 0.02 * x_edge
    return View(
        kind="world",
        crs=crs,
        lat=lat,
        lon=lon,
        xlim=(-x_edge - pad, x_edge + pad),
        ylim=(-y_edge - pad, y_edge + pad),
        clip=None,
        clip_radius_m=math.inf,
    )


# --- footprints in the view -----------------------------------------------------------------


def _arc(view: View, range_km: float, start: float, span: float, tolerance_m: float) -> FloatArray:
    """The ring at *range_km* from the site, azimuths start..start+span, projected.

    Vertices come from ``Geod.fwd``; in AEQD they lie on a circle, and the chord between
    neighbours sags less than *tolerance_m* from it.
    """
    r = range_km * 1000.0
    step = 2.0 * math.acos(max(1.0 - tolerance_m / r, -1.0)) if r > tolerance_m else math.pi
    n = int(min(max(math.ceil(math.radians(span) / step), 16), 8192)) + 1
    az = start + span * np.linspace(0.0, 1.0, n)
    lon, lat, _ = GEOD.fwd(np.full(n, view.lon), np.full(n, view.lat), az, np.full(n, r))
    x, y = view.xy(lon, lat)
    return np.column_stack([x, y])


def aeqd_footprint(
    view: View,
    range_km: float,
    *,
    min_range_km: float,
    bearing: tuple[float, float] | None,
    tolerance_m: float,
    whole_globe: bool,
) -> tuple[BaseGeometry, BaseGeometry]:
    """(fill, true outline) of a footprint in an AEQD view centred on its site."""
    globe = view.globe
    if whole_globe:
        return globe, MultiLineString()
    if bearing is None:
        start, span = 0.0, 360.0
    else:
        start, span = bearing[0], (bearing[1] - bearing[0]) % 360.0
        span = 360.0 if span == 0.0 else span
    outer = _arc(view, range_km, start, span, tolerance_m)
    inner = _arc(view, min_range_km, start, span, tolerance_m) if min_range_km > 0 else None
    if span >= 360.0:
        fill = Polygon(outer, [inner] if inner is not None else None)
    elif inner is None:
        fill = Polygon(np.vstack([[0.0, 0.0], outer]))
    else:
        fill = Polygon(np.vstack([outer, inner[::-1]]))
    fill = shapely.make_valid(fill)
    return shapely.intersection(fill, globe), fill.boundary


def _drop_cuts(lines: BaseGeometry) -> BaseGeometry:
    """A boundary without its edges along +/-180 and the poles (cuts, not true boundary)."""
    cuts = shapely.union_all(
        [
            box(-180.0 - _CUT_DEG, -91.0, -180.0 + _CUT_DEG, 91.0),
            box(180.0 - _CUT_DEG, -91.0, 180.0 + _CUT_DEG, 91.0),
            box(-181.0, 90.0 - _CUT_DEG, 181.0, 91.0),
            box(-181.0, -91.0, 181.0, -90.0 + _CUT_DEG),
        ]
    )
    return shapely.difference(lines, cuts)


def world_footprint(view: View, analysis: BaseGeometry) -> tuple[BaseGeometry, BaseGeometry]:
    """(fill, true outline) of a footprint in the world view, from the RFC 7946 geometry."""
    (fill,) = view.project([analysis])
    (outline,) = view.project([_drop_cuts(analysis.boundary)])
    return fill, outline


def lines_of(geom: BaseGeometry) -> list[FloatArray]:
    """The vertex arrays of every line in *geom* (polygon boundaries included)."""
    if geom.is_empty:
        return []
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        geom = geom.boundary
    parts: Sequence[Any] = getattr(geom, "geoms", [geom])
    out = []
    for g in parts:
        if isinstance(g, LineString) and len(g.coords) >= 2:
            out.append(np.asarray(g.coords)[:, :2])
        elif hasattr(g, "geoms"):
            out.extend(lines_of(g))
    return out
