"""Range maps in folium: rendering only (the geometry comes from :mod:`geo.footprint`).

How a footprint reaches the page (see DESIGN.md, "Rendering"):

- Leaflet never wraps vectors into the other world copies, so each footprint is
  drawn from its *display form* (longitudes continuous around the site) at
  longitude offsets -360, 0 and +360: the fill without a stroke, the true
  boundary rings as lines.  Neither the +/-180 cut nor a pole closure shows.
- The vertices travel once per footprint, as integer deltas at the number of
  decimals the boundary tolerance justifies; a small script draws the copies.
- Every text from data (site names, claimants, sources, notes) is HTML-escaped
  in Python and then JSON-encoded into the script, so it shows as text.
- Element ids come from a counter scoped to one build, so the same input gives
  byte-identical HTML.
- Only Leaflet and the fullscreen control are loaded (no jQuery, Bootstrap or
  icon fonts), and georange ships both (``static/vendor/``): ``georange build``
  copies them with the Natural Earth basemap into ``assets/`` beside the pages
  (:func:`offline_files`), ``self_contained=True`` inlines them; such pages open
  with no network, the basemap in its own pane under the footprints.
- Launch sites and the nearest targets are labelled permanently where the labels
  overlap nothing (``georange.labels``); the others on hover.

The package: ``_builder`` (the public maps and :func:`render_html`),
``_build`` (the pages of ``georange build``), ``_lofted`` (the band of a lofted test's
standard-trajectory estimate, marked as derived), ``_elements`` (ids, escaping,
encoding, the branca elements, layers, markers and legend), ``_popups`` (reach
summaries and date texts), ``_site_map`` (:func:`site_map_html`, the Site's
Jupyter mini-map), ``_assets`` (the CDN files, their shipped copies and cache),
``_offline`` (assets linked from ``assets/`` or inlined, the basemap script) and
``static/`` (the map's own script and stylesheet).
"""

from __future__ import annotations

from geo.maps._assets import (
    FOLIUM_ASSETS,
    MAP_ASSETS,
    Asset,
    asset_cache_dir,
    cached_asset,
    css_references,
    fill_cache,
    inline_assets,
    npm_file,
    vendor_file,
)
from geo.maps._build import build_maps
from geo.maps._builder import catalog_map, range_map, render_html, report_map, site_reach_map
from geo.maps._elements import KIND_COLOURS, deterministic_ids
from geo.maps._lofted import lofted_map
from geo.maps._offline import basemap_script, offline_files
from geo.maps._site_map import site_map_html

__all__ = [
    "FOLIUM_ASSETS",
    "KIND_COLOURS",
    "MAP_ASSETS",
    "Asset",
    "asset_cache_dir",
    "basemap_script",
    "build_maps",
    "cached_asset",
    "catalog_map",
    "css_references",
    "deterministic_ids",
    "fill_cache",
    "inline_assets",
    "lofted_map",
    "npm_file",
    "offline_files",
    "range_map",
    "render_html",
    "report_map",
    "site_map_html",
    "site_reach_map",
    "vendor_file",
]
