"""Pages that open with no network: the shipped assets and basemap, linked or inlined.

Three ways a page gets its assets (:func:`geo.maps.render_html`):

- ``assets=None`` (a single page, the default): Leaflet from its CDN and OpenStreetMap
  tiles; no basemap.  For use online.
- ``assets="assets/"`` (``georange build``): every script and stylesheet from the folder
  :func:`offline_files` fills next to the pages, with the Natural Earth basemap
  (``assets/basemap.js``, once per build).  Opens from ``file://`` with no network.
- ``self_contained=True``: the same files inlined (images as ``data:`` URIs) with the
  basemap; one file that opens anywhere.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from geo.basemap import LAYERS, basemap_path
from geo.errors import AssetError
from geo.maps._assets import MAP_ASSETS, css_references, vendor_file, vendor_name

__all__ = ["BASEMAP_JS", "basemap_script", "inline_basemap", "link_local", "offline_files"]

#: The name of the shared basemap file in a build's assets folder.
BASEMAP_JS = "basemap.js"

#: Where the basemap's vertex lists live in each layer file.
_KEYS = {"land": "polygons", "coastline": "lines", "borders": "lines"}


def _layer_vertices(layer: str, doc: dict[str, Any]) -> Any:
    if layer == "provinces":
        return [poly for feature in doc["features"] for poly in feature["polygons"]]
    return doc[_KEYS[layer]]


@functools.cache
def basemap_script() -> str:
    """The basemap as a script: ``window.GEORANGE_BASEMAP = {...}``.

    The bundled layers (:mod:`geo.basemap`) in their own encoding (integer deltas at
    ``10**-d`` degree, as the footprints travel), with their sources.

    Examples
    --------
    >>> text = basemap_script()
    >>> "window.GEORANGE_BASEMAP = {" in text[:200], "Natural Earth" in text[:2000]
    (True, True)
    """
    data: dict[str, Any] = {"layers": {}, "sources": {}}
    decimals = set()
    for layer in LAYERS:
        path = basemap_path(layer)
        doc = json.loads(path.read_text(encoding="utf-8"))
        decimals.add(int(doc["decimals"]))
        data["layers"][layer] = _layer_vertices(layer, doc)
        data["sources"][layer] = f"{doc.get('source', '')}; {doc.get('licence', '')}"
    if len(decimals) != 1:
        raise AssetError(f"the basemap files use different decimals {sorted(decimals)}")
    data["d"] = decimals.pop()
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=True)
    head = "/* Natural Earth basemap (public domain), shipped with georange */\n"
    return head + "window.GEORANGE_BASEMAP = " + body + ";\n"


def offline_files() -> dict[str, bytes]:
    """The files a build's ``assets/`` folder holds: Leaflet, the control, the basemap.

    Keys are paths relative to the folder (``leaflet@1.9.3/leaflet.js``...), with
    each package's ``LICENSE``.

    Examples
    --------
    >>> sorted(offline_files())[:3]
    ['basemap.js', 'leaflet.fullscreen@3.0.0/Control.FullScreen.css', \
'leaflet.fullscreen@3.0.0/Control.FullScreen.js']
    """
    out: dict[str, bytes] = {BASEMAP_JS: basemap_script().encode("utf-8")}
    for asset in MAP_ASSETS:
        urls = [asset.url]
        shipped = vendor_file(asset.url)
        if shipped is None:
            raise AssetError(f"{asset.url}: georange's shipped copy is missing; reinstall it")
        if asset.kind == "css":
            urls += css_references(shipped.read_text(encoding="utf-8"), asset.url)
        for url in urls:
            name, path = vendor_name(url), vendor_file(url)
            if name is None or path is None:
                raise AssetError(f"{url}: georange's shipped copy is missing; reinstall it")
            out[name] = path.read_bytes()
        licence = shipped.parent / "LICENSE"
        out[f"{shipped.parent.name}/LICENSE"] = licence.read_bytes()
    return dict(sorted(out.items()))


_ASSET_TAG = re.compile(r'(<script src="|<link rel="stylesheet" href=")(https?://[^"]+)(")')


def link_local(html: str, prefix: str) -> str:
    """Point the page's CDN scripts and stylesheets at *prefix* (``assets/``), add the basemap.

    Examples
    --------
    >>> page = '<head><script src="' + MAP_ASSETS[0].url + '"></script></head>'
    >>> print(link_local(page, "assets/"))
    <head><script src="assets/leaflet@1.9.3/leaflet.js"></script>
    <script src="assets/basemap.js"></script></head>
    """

    def local(match: re.Match[str]) -> str:
        name = vendor_name(match.group(2))
        if name is None:
            raise AssetError(
                f"{match.group(2)}: the page references a file georange does not ship; "
                "render it without assets= (online) or with self_contained=True"
            )
        return f"{match.group(1)}{prefix}{name}{match.group(3)}"

    page = _ASSET_TAG.sub(local, html)
    return page.replace("</head>", f'\n<script src="{prefix}{BASEMAP_JS}"></script></head>', 1)


def inline_basemap(html: str) -> str:
    """Put the basemap script inline at the end of the page's head."""
    return html.replace("</head>", f"<script>\n{basemap_script()}</script>\n</head>", 1)
