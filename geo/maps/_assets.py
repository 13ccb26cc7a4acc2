"""The web assets a map needs (Leaflet and friends), and a local cache of them.

folium's HTML loads Leaflet, jQuery, Bootstrap and others from CDNs.  georange's
maps need only Leaflet and the fullscreen control (:data:`MAP_ASSETS`); every
other URL folium can reference is listed in :data:`FOLIUM_ASSETS` with the npm
package that carries the same file, so tests can answer those URLs offline.

The files of :data:`MAP_ASSETS` ship in the package (``static/vendor/``, with their
licences): :func:`vendor_file` finds the copy of a URL, ``georange build`` copies them
next to the pages, and ``--self-contained`` maps inline them (stylesheet images as
``data:`` URIs), so no page needs the network.  ``georange assets`` still fills a
cache (by default ``~/.cache/georange/assets``, or ``$GEORANGE_ASSETS_DIR``) from the
CDN or from a local npm install, for other files a page may reference.

The cache is laid out by URL: ``<cache>/<host>/<path>``.
"""

from __future__ import annotations

import base64
import json
import logging
import mimetypes
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

from geo.errors import AssetError

__all__ = [
    "FOLIUM_ASSETS",
    "MAP_ASSETS",
    "Asset",
    "asset_cache_dir",
    "cached_asset",
    "css_references",
    "fill_cache",
    "inline_assets",
    "npm_file",
    "vendor_file",
    "vendor_name",
]

log = logging.getLogger(__name__)

_LEAFLET = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/"
_FULLSCREEN = "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/"
_AWESOME = "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"


@dataclass(frozen=True)
class Asset:
    """One file a map may load from a CDN, and where npm has the same file.

    Attributes
    ----------
    url
        The URL as it appears in the HTML.
    package, version, path
        The npm package (``None`` when no registry carries it), its exact
        version, and the file's path inside the package.
    """

    url: str
    package: str | None
    version: str | None
    path: str | None

    @property
    def kind(self) -> str:
        """``"js"`` or ``"css"``, from the URL."""
        return "css" if urlsplit(self.url).path.endswith(".css") else "js"


#: What georange's maps load: Leaflet and the fullscreen control.  jsDelivr
#: minifies ``Control.FullScreen.min.js`` on the fly; npm ships the same code
#: unminified as ``Control.FullScreen.js``.
MAP_ASSETS: tuple[Asset, ...] = (
    Asset(_LEAFLET + "leaflet.js", "leaflet", "1.9.3", "dist/leaflet.js"),
    Asset(_LEAFLET + "leaflet.css", "leaflet", "1.9.3", "dist/leaflet.css"),
    Asset(
        _FULLSCREEN + "Control.FullScreen.min.js",
        "leaflet.fullscreen",
        "3.0.0",
        "Control.FullScreen.js",
    ),
    Asset(
        _FULLSCREEN + "Control.FullScreen.css",
        "leaflet.fullscreen",
        "3.0.0",
        "Control.FullScreen.css",
    ),
)

#: Every URL folium's default map references (folium 0.20), plus :data:`MAP_ASSETS`.
#: Two stylesheets are on no registry (``package`` is ``None``).
FOLIUM_ASSETS: tuple[Asset, ...] = (
    *MAP_ASSETS,
    Asset("https://code.jquery.com/jquery-3.7.1.min.js", "jquery", "3.7.1", "dist/jquery.min.js"),
    Asset(
        "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
        "bootstrap",
        "5.2.2",
        "dist/js/bootstrap.bundle.min.js",
    ),
    Asset(
        "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css",
        "bootstrap",
        "5.2.2",
        "dist/css/bootstrap.min.css",
    ),
    Asset(
        _AWESOME + "leaflet.awesome-markers.js",
        "drmonty-leaflet-awesome-markers",
        "2.0.2",
        "js/leaflet.awesome-markers.js",
    ),
    Asset(
        _AWESOME + "leaflet.awesome-markers.css",
        "drmonty-leaflet-awesome-markers",
        "2.0.2",
        "css/leaflet.awesome-markers.css",
    ),
    Asset(
        "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css",
        "@fortawesome/fontawesome-free",
        "6.2.0",
        "css/all.min.css",
    ),
    Asset(
        "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
        None,
        None,
        None,
    ),
    Asset(
        "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
        "leaflet.awesome.rotate.min.css",
        None,
        None,
        None,
    ),
)

#: The folder of each vendored package under ``static/vendor/``.
_VENDOR_DIRS = {"leaflet": "leaflet@1.9.3", "leaflet.fullscreen": "leaflet.fullscreen@3.0.0"}


def vendor_name(url: str) -> str | None:
    """The path under ``static/vendor/`` of the shipped copy of *url*, or None.

    Covers :data:`MAP_ASSETS` and the images their stylesheets use.

    Examples
    --------
    >>> vendor_name(MAP_ASSETS[0].url)
    'leaflet@1.9.3/leaflet.js'
    >>> vendor_name("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/images/layers.png")
    'leaflet@1.9.3/images/layers.png'
    >>> vendor_name("https://example.invalid/x.js") is None
    True
    """
    for asset in MAP_ASSETS:
        assert asset.package is not None and asset.path is not None
        folder = _VENDOR_DIRS[asset.package]
        base = asset.url.rsplit("/", 1)[0] + "/"
        if url == asset.url:
            return f"{folder}/{PurePosixPath(asset.path).name}"
        rest = url[len(base) :] if url.startswith(base) else ""
        if rest and ".." not in rest and rest.endswith((".png", ".svg")):
            return f"{folder}/{rest}"
    return None


def vendor_file(url: str) -> Path | None:
    """The shipped copy of *url* (``static/vendor/``), or None when georange ships none.

    Examples
    --------
    >>> vendor_file(MAP_ASSETS[1].url).name
    'leaflet.css'
    """
    name = vendor_name(url)
    if name is None:
        return None
    path = Path(str(resources.files("geo.maps"))) / "static" / "vendor" / name
    return path if path.is_file() else None


_URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def asset_cache_dir(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the asset cache folder: *cache_dir*, ``$GEORANGE_ASSETS_DIR`` or the user cache.

    Examples
    --------
    >>> asset_cache_dir("/tmp/georange-assets").as_posix()
    '/tmp/georange-assets'
    """
    if cache_dir is not None:
        return Path(cache_dir)
    env = os.environ.get("GEORANGE_ASSETS_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "georange" / "assets"


def _cache_file(cache: Path, url: str) -> Path:
    parts = urlsplit(url)
    rel = PurePosixPath(parts.path.lstrip("/"))
    if ".." in rel.parts or not parts.netloc:
        raise AssetError(f"asset URL {url!r} cannot be cached: it must be absolute, without '..'")
    return cache / parts.netloc / Path(*rel.parts)


def css_references(css: str, url: str) -> list[str]:
    """Absolute URLs of the files a stylesheet at *url* refers to with relative ``url()``.

    Examples
    --------
    >>> css_references(".a{background:url(images/layers.png)} .b{behavior:url(#default#VML)}",
    ...                "https://cdn.example/x/leaflet.css")
    ['https://cdn.example/x/images/layers.png']
    """
    found: list[str] = []
    for match in _URL_RE.finditer(css):
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#", "http:", "https:", "//")):
            continue
        absolute = urljoin(url, ref)
        if absolute not in found:
            found.append(absolute)
    return found


def npm_file(url: str, node_modules: str | os.PathLike[str]) -> Path | None:
    """The file in an npm install directory that answers *url*, or None.

    Covers :data:`FOLIUM_ASSETS` and the files their stylesheets refer to (Leaflet's
    ``images/``, the fullscreen icon...).  The package's installed version must be
    the pinned one.

    Examples
    --------
    >>> npm_file("https://example.invalid/other.js", "node_modules") is None
    True
    """
    root = Path(node_modules)
    for asset in FOLIUM_ASSETS:
        if asset.package is None or asset.path is None:
            continue
        base = asset.url.rsplit("/", 1)[0] + "/"
        if url == asset.url:
            rel = asset.path
        elif url.startswith(base) and urlsplit(url).path.endswith((".png", ".svg", ".gif")):
            rel = str(PurePosixPath(asset.path).parent / url[len(base) :])
        else:
            continue
        package_dir = root / asset.package
        _check_npm_version(package_dir, asset)
        candidate = package_dir / rel
        return candidate if candidate.is_file() else None
    return None


def _check_npm_version(package_dir: Path, asset: Asset) -> None:
    manifest = package_dir / "package.json"
    try:
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError) as exc:
        raise AssetError(
            f"{manifest}: cannot read the npm package {asset.package!r} ({exc}); "
            f"install it with `npm install {asset.package}@{asset.version}` (or `make assets`)"
        ) from exc
    if version != asset.version:
        raise AssetError(
            f"{manifest}: {asset.package} is version {version!r}, but the maps reference "
            f"{asset.version}; install the pinned version (`make assets`, or "
            f"`npm install {asset.package}@{asset.version}`)"
        )


Fetch = Callable[[str], bytes]


def _urlopen_fetch(url: str) -> bytes:
    from urllib.request import urlopen

    try:
        with urlopen(url, timeout=30) as response:
            data: bytes = response.read()
            return data
    except OSError as exc:
        raise AssetError(
            f"cannot download {url} ({exc}); connect to the network, or fill the cache from "
            "a local npm install: `georange assets --from-npm tests/browser/node_modules` "
            "(after `make assets`)"
        ) from exc


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def fill_cache(
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    from_npm: str | os.PathLike[str] | None = None,
    assets: Iterable[Asset] = MAP_ASSETS,
    fetch: Fetch | None = None,
) -> list[Path]:
    """Fill the asset cache with the files of *assets* and those their stylesheets use.

    Parameters
    ----------
    cache_dir
        The cache folder (see :func:`asset_cache_dir`).
    from_npm
        A ``node_modules`` folder holding the pinned packages; without it the
        files are downloaded from their CDN URLs (this touches the network).
    assets
        What to cache; :data:`MAP_ASSETS` by default.
    fetch
        The download function (URL to bytes); :func:`urllib.request.urlopen` by default.

    Returns
    -------
    list of pathlib.Path
        The cached files, in order.

    Raises
    ------
    geo.errors.AssetError
        A file missing from the npm folder, a package of the wrong version, or a
        failed download; the message says how to fix it.

    Examples
    --------
    >>> import tempfile
    >>> fake = {a.url: b"/* css */" if a.kind == "css" else b"//js" for a in MAP_ASSETS}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = fill_cache(cache_dir=tmp, fetch=fake.__getitem__)
    ...     [p.name for p in paths][:2]
    ['leaflet.js', 'leaflet.css']
    """
    cache = asset_cache_dir(cache_dir)
    get = fetch or _urlopen_fetch
    written: list[Path] = []

    def obtain(url: str) -> bytes:
        if from_npm is None:
            log.info("downloading %s", url)
            return get(url)
        source = npm_file(url, from_npm)
        if source is None:
            raise AssetError(
                f"{url} has no copy in {from_npm}; run `make assets` (npm ci in "
                "tests/browser) or pass the node_modules folder holding the pinned packages"
            )
        return source.read_bytes()

    for asset in assets:
        data = obtain(asset.url)
        target = _cache_file(cache, asset.url)
        _write_atomic(target, data)
        written.append(target)
        if asset.kind == "css":
            for ref in css_references(data.decode("utf-8"), asset.url):
                ref_target = _cache_file(cache, ref)
                _write_atomic(ref_target, obtain(ref))
                written.append(ref_target)
    return written


def cached_asset(url: str, *, cache_dir: str | os.PathLike[str] | None = None) -> bytes:
    """Return the bytes of *url*: the copy shipped in the package, or else the cached one.

    Raises
    ------
    geo.errors.AssetError
        When the file is not cached; the message says to run ``georange assets``.

    Examples
    --------
    >>> cached_asset("https://example.invalid/x.js", cache_dir="/nonexistent")
    Traceback (most recent call last):
    ...
    geo.errors.AssetError: https://example.invalid/x.js is not in the asset cache ...
    """
    shipped = vendor_file(url)
    if shipped is not None:
        return shipped.read_bytes()
    cache = asset_cache_dir(cache_dir)
    path = _cache_file(cache, url)
    if not path.is_file():
        raise AssetError(
            f"{url} is not in the asset cache {cache}; run `georange assets` (online) or "
            "`georange assets --from-npm tests/browser/node_modules` (after `make assets`) "
            "to fill it (georange ships Leaflet and the fullscreen control itself)"
        )
    return path.read_bytes()


def _data_uri(url: str, data: bytes) -> str:
    mime = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _inline_css(url: str, cache_dir: str | os.PathLike[str] | None) -> str:
    css = cached_asset(url, cache_dir=cache_dir).decode("utf-8")

    def replace(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#", "http:", "https:", "//")):
            return match.group(0)
        absolute = urljoin(url, ref)
        return f'url("{_data_uri(absolute, cached_asset(absolute, cache_dir=cache_dir))}")'

    out = _URL_RE.sub(replace, css)
    if "</style" in out.lower():
        raise AssetError(f"{url}: the stylesheet contains '</style' and cannot be inlined")
    return out


_SCRIPT_TAG = re.compile(r'<script src="(https?://[^"]+)"></script>')
_CSS_TAG = re.compile(r'<link rel="stylesheet" href="(https?://[^"]+)"/>')


def inline_assets(html: str, *, cache_dir: str | os.PathLike[str] | None = None) -> str:
    """Replace the CDN ``<script src>`` and stylesheet links of *html* by inline copies.

    Stylesheet images become ``data:`` URIs.  The files georange ships (Leaflet,
    the fullscreen control) need no cache.  Map tiles are not assets.

    Raises
    ------
    geo.errors.AssetError
        When another asset is not in the cache (run ``georange assets``).

    Examples
    --------
    >>> inline_assets("<p>no assets</p>")
    '<p>no assets</p>'
    """

    def script(match: re.Match[str]) -> str:
        code = cached_asset(match.group(1), cache_dir=cache_dir).decode("utf-8")
        code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)
        return f"<script>/* {match.group(1)} */\n{code}\n</script>"

    def style(match: re.Match[str]) -> str:
        return f"<style>/* {match.group(1)} */\n{_inline_css(match.group(1), cache_dir)}\n</style>"

    return _CSS_TAG.sub(style, _SCRIPT_TAG.sub(script, html))
