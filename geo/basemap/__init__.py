"""The offline basemap: Natural Earth land, coastlines, borders and Korean provinces.

Shipped with the package (``data/basemap/``, made by ``data/basemap/make_basemap.py``),
read once and cached; the print figures (:mod:`geo.figure`) and web maps draw the same
layers.  No network is ever touched.
"""

from __future__ import annotations

from geo.basemap._layers import LAYERS, BasemapLayers, basemap_layers, basemap_path

__all__ = ["LAYERS", "BasemapLayers", "basemap_layers", "basemap_path"]
