"""Reading the basemap files: integer-delta vertex lists back to shapely geometries."""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon

from geo.errors import BasemapError
from geo.resources import data_dir

__all__ = ["LAYERS", "BasemapLayers", "basemap_layers", "basemap_path"]

log = logging.getLogger(__name__)

#: The layers of the basemap, bottom to top.
LAYERS = ("land", "coastline", "borders", "provinces")


@dataclass(frozen=True)
class BasemapLayers:
    """The basemap, one attribute per layer, in WGS84 lon/lat.

    Attributes
    ----------
    land
        Land polygons (Natural Earth 1:50m, cut at +/-180 as the source is).
    coastline
        The land's boundary without the cuts along +/-180 and the south pole.
    borders
        Land borders between countries (arcs shared by two countries).
    provinces
        Admin-1 provinces of North and South Korea (1:10m, simplified):
        a GeoDataFrame with ``iso_3166_2``, ``name``, ``name_local``, ``name_ko``,
        ``country`` and ``geometry``.
    sources
        Per layer: source, version, licence and simplification, as recorded in the file.
    """

    land: MultiPolygon
    coastline: MultiLineString
    borders: MultiLineString
    provinces: Any
    sources: dict[str, dict[str, Any]]


def basemap_path(layer: str) -> Path:
    """Return the path of one bundled basemap file (to ship it next to web pages).

    The file holds ``[lat0, lon0, dlat1, dlon1, ...]`` integer vertex lists at
    ``10**-decimals`` degree, the encoding of georange's HTML footprints.

    Examples
    --------
    >>> basemap_path("land").name
    'land.json'
    """
    if layer not in LAYERS:
        raise BasemapError(
            f"unknown basemap layer {layer!r}; the layers are " + ", ".join(map(repr, LAYERS))
        )
    path = data_dir() / "basemap" / f"{layer}.json"
    if not path.is_file():
        raise BasemapError(
            f"basemap file {path} is missing; reinstall georange or rebuild it with "
            "data/basemap/make_basemap.py"
        )
    return path


def _read(layer: str) -> dict[str, Any]:
    path = basemap_path(layer)
    try:
        doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BasemapError(
            f"basemap file {path} cannot be read ({exc}); rebuild it with "
            "data/basemap/make_basemap.py"
        ) from None
    return doc


def _decode(ints: list[int], scale: float) -> np.ndarray[Any, np.dtype[np.float64]]:
    """[lat0, lon0, dlat, dlon, ...] -> an (n, 2) array of (lon, lat)."""
    arr = np.cumsum(np.asarray(ints, dtype=np.int64).reshape(-1, 2), axis=0) / scale
    return arr[:, ::-1].copy()


def _polygons(parts: list[list[list[int]]], scale: float) -> MultiPolygon:
    polys = []
    for rings in parts:
        coords = [_decode(r, scale) for r in rings]
        polys.append(Polygon(coords[0], coords[1:]))
    return MultiPolygon(polys)


def _lines(parts: list[list[int]], scale: float) -> MultiLineString:
    return MultiLineString([LineString(_decode(p, scale)) for p in parts])


def _meta(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("polygons", "lines", "features")}


def basemap_layers() -> BasemapLayers:
    """Return the bundled basemap layers (read once, then cached).

    Returns
    -------
    BasemapLayers
        ``land`` (MultiPolygon), ``coastline`` and ``borders`` (MultiLineString),
        ``provinces`` (GeoDataFrame, EPSG:4326) and their ``sources``.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> layers = basemap_layers()
    >>> layers.land.contains(Point(125.7625, 39.0392))  # Pyongyang
    True
    >>> layers.land.contains(Point(135.0, 40.0))  # Sea of Japan
    False
    >>> sorted(layers.provinces["country"].unique())
    ['KP', 'KR']
    """
    return _cached()


@functools.lru_cache(maxsize=1)
def _cached() -> BasemapLayers:
    import geopandas as gpd

    docs = {layer: _read(layer) for layer in LAYERS}
    scales = {layer: 10.0 ** int(doc["decimals"]) for layer, doc in docs.items()}
    land = _polygons(docs["land"]["polygons"], scales["land"])
    coastline = _lines(docs["coastline"]["lines"], scales["coastline"])
    borders = _lines(docs["borders"]["lines"], scales["borders"])
    rows = docs["provinces"]["features"]
    provinces = gpd.GeoDataFrame(
        [r["properties"] for r in rows],
        geometry=[shapely.make_valid(_polygons(r["polygons"], scales["provinces"])) for r in rows],
        crs="EPSG:4326",
    )
    log.debug("basemap read: %d land polygons, %d provinces", len(land.geoms), len(provinces))
    return BasemapLayers(
        land=land,
        coastline=coastline,
        borders=borders,
        provinces=provinces,
        sources={layer: _meta(doc) for layer, doc in docs.items()},
    )
