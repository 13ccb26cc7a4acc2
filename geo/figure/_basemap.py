"""The basemap, graticule and shapes of a figure, drawn into matplotlib axes."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import shapely
from matplotlib.collections import LineCollection
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from shapely.geometry.base import BaseGeometry

from geo.basemap import basemap_layers
from geo.figure._project import View, lines_of

__all__ = [
    "BORDER",
    "COAST",
    "GRATICULE",
    "LAND",
    "PROVINCE",
    "SEA",
    "deg",
    "draw_basemap",
    "draw_lines",
    "fill_shape",
]

SEA = "#dbe9f4"
LAND = "#f3efe4"
COAST = "#6f8294"
BORDER = "#8c8c8c"
PROVINCE = "#b4b4b4"
GRATICULE = "#aebdc9"


# --- geometry to matplotlib ---------------------------------------------------------------


def _path(geom: BaseGeometry) -> MplPath | None:
    """Polygons as one compound path: exteriors counter-clockwise, holes clockwise."""
    geom = shapely.orient_polygons(geom)
    verts: list[Any] = []
    codes: list[Any] = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 4:
                continue
            verts.append(xy)
            c = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
            c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            codes.append(c)
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _polygons_in(geoms: Any) -> BaseGeometry:
    parts = [g for g in np.asarray(geoms, dtype=object).ravel() if not g.is_empty]
    polys = shapely.get_parts(shapely.get_parts(np.asarray(parts, dtype=object)))
    polys = [p for p in polys if p.geom_type == "Polygon" and p.area > 0]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def fill_shape(ax: Any, geom: BaseGeometry, **style: Any) -> None:
    path = _path(geom)
    if path is not None:
        ax.add_patch(PathPatch(path, **style))


def draw_lines(ax: Any, geoms: Any, **style: Any) -> None:
    segs = [line for g in np.asarray(geoms, dtype=object).ravel() for line in lines_of(g)]
    if segs:
        ax.add_collection(LineCollection(segs, **style))


# --- the basemap in a view ------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _projected_basemap(view: View) -> dict[str, Any]:
    layers = basemap_layers()
    land = view.project(list(layers.land.geoms))
    provinces = view.project(list(layers.provinces.geometry))
    return {
        "land": _polygons_in(land),
        "coastline": view.project(list(layers.coastline.geoms)),
        "borders": view.project(list(layers.borders.geoms)),
        "provinces": [p.boundary for p in provinces if not p.is_empty],
    }


def _graticule_step(view: View) -> float:
    if view.kind == "world":
        return 30.0
    half_km = (view.xlim[1] - view.xlim[0]) / 2000.0
    for limit, step in ((600, 2.0), (1500, 5.0), (3500, 10.0), (7000, 15.0)):
        if half_km <= limit:
            return step
    return 30.0


def deg(value: float, kind: str) -> str:
    v = round(value, 6)
    if kind == "meridian":
        v = (v + 180.0) % 360.0 - 180.0
        hemi = "E" if v > 0 else "W" if v < 0 and v != -180.0 else ""
    else:
        hemi = "N" if v > 0 else "S" if v < 0 else ""
    return f"{abs(v):g}°{hemi}"


def _graticule(view: View) -> tuple[list[Any], list[tuple[str, str, float, float]]]:
    """Projected meridians (to +/-80 deg) and parallels, and where to label them.

    Labels: ``(text, kind, x, y)``; in AEQD the meridians are labelled where they leave
    the frame's bottom (or top) edge and the parallels at its left (or right) edge; in the
    world view the meridians along the equator and the parallels at the map's left edge.
    """
    step = _graticule_step(view)
    specs: list[tuple[float, str, Any]] = []
    lats = np.arange(-80.0, 80.0 + 1e-9, 0.25)
    for lon in np.arange(-180.0, 180.0, step):
        line = np.column_stack([np.full_like(lats, lon), lats])
        specs.append((float(lon), "meridian", shapely.LineString(line)))
    lons = np.arange(-180.0, 180.0 + 1e-9, 0.25)
    for lat in np.arange(-90.0 + step, 90.0 - 1e-9, step):
        if abs(lat) <= 80.0:
            line = np.column_stack([lons, np.full_like(lons, lat)])
            specs.append((float(lat), "parallel", shapely.LineString(line)))
    projected = view.project([g for _, _, g in specs])
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    frame = shapely.box(x0, y0, x1, y1)
    labels: list[tuple[str, str, float, float]] = []
    for (value, kind, _), g in zip(specs, projected, strict=True):
        if g.is_empty:
            continue
        text = deg(value, kind)
        if view.kind == "world" and kind == "meridian" and abs(value) == 180.0:
            continue
        if view.kind == "world":
            if kind == "meridian":
                x, y = view.xy(value, 0.0)
            else:
                x, y = view.xy(-180.0, value)
            labels.append((text, kind, float(x), float(y)))
            continue
        edges = (
            [((x0, y0), (x1, y0)), ((x0, y1), (x1, y1))]
            if kind == "meridian"
            else [((x0, y0), (x0, y1)), ((x1, y0), (x1, y1))]
        )
        for edge in edges:
            hit = shapely.intersection(g.intersection(frame.buffer(1.0)), shapely.LineString(edge))
            pts = shapely.get_coordinates(hit)
            if len(pts):
                px, py = pts[np.argmin(np.abs(pts[:, 0]) + np.abs(pts[:, 1]))]
                labels.append((text, kind, float(px), float(py)))
                break
    return [g for g in projected if not g.is_empty], labels


def draw_basemap(ax: Any, view: View) -> None:
    base = _projected_basemap(view)
    fill_shape(ax, view.globe, facecolor=SEA, edgecolor="none", zorder=0)
    fill_shape(ax, base["land"], facecolor=LAND, edgecolor="none", zorder=1)
    draw_lines(ax, base["provinces"], colors=PROVINCE, linewidths=0.3, zorder=2)
    draw_lines(ax, base["borders"], colors=BORDER, linewidths=0.45, zorder=2.1)
    draw_lines(ax, base["coastline"], colors=COAST, linewidths=0.4, zorder=2.2)
    lines, labels = _graticule(view)
    draw_lines(ax, lines, colors=GRATICULE, linewidths=0.3, linestyles=(0, (2, 2)), zorder=2.5)
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    style = {"fontsize": 5.5, "color": "#5f7382", "zorder": 6, "clip_on": False}
    for text, kind, x, y in labels:
        if view.kind == "world":
            if kind == "meridian":
                ax.text(x, y, text, ha="center", va="top", **style)
            else:
                ax.text(x, y, text + " ", ha="right", va="center", **style)
        elif kind == "meridian":
            outside = y < (y0 + y1) / 2
            ax.text(x, y, text, ha="center", va="top" if outside else "bottom", **style)
        else:
            left = x < (x0 + x1) / 2
            ax.text(x, y, f" {text} ", ha="right" if left else "left", va="center", **style)
    fill_shape(ax, view.globe, facecolor="none", edgecolor="#8fa3b3", linewidth=0.6, zorder=2.6)
