"""The opt-in online stage: Nominatim through geopy, cached on disk, rate limited."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from geo.errors import GeorangeError, UnknownSiteError
from geo.gazetteer._names import normalize_name
from geo.gazetteer._region import Region
from geo.gazetteer._site import Site
from geo.wgs84 import GEOD

log = logging.getLogger(__name__)

USER_AGENT = "georange/0.1.0 (missile range footprints; https://example.invalid/georange)"


class _GeopyLike(Protocol):
    def geocode(self, query: str, *, exactly_one: bool = True) -> Any: ...


def default_cache_dir() -> Path:
    """Where the online geocoder keeps its cache.

    ``$GEORANGE_CACHE_DIR`` if set, else the platform's user cache folder
    (``$XDG_CACHE_HOME/georange`` or ``~/.cache/georange`` on Linux,
    ``~/Library/Caches/georange`` on macOS, ``%LOCALAPPDATA%\\georange\\Cache`` on
    Windows).

    Examples
    --------
    >>> old = os.environ.get("GEORANGE_CACHE_DIR")
    >>> os.environ["GEORANGE_CACHE_DIR"] = "/tmp/georange-cache"
    >>> default_cache_dir().as_posix()
    '/tmp/georange-cache'
    >>> if old is None:
    ...     del os.environ["GEORANGE_CACHE_DIR"]
    ... else:
    ...     os.environ["GEORANGE_CACHE_DIR"] = old
    """
    override = os.environ.get("GEORANGE_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "georange" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "georange"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "georange"


class OnlineGeocoder:
    """Nominatim (OpenStreetMap) through geopy, cached on disk, one request a second.

    Used only when asked (``online=True`` or ``--online``).  Answers, including
    "not found", are cached in ``<cache_dir>/nominatim.json`` so that a query
    goes to the network once.

    Parameters
    ----------
    geocoder
        An object with geopy's ``geocode(query, exactly_one=True)``; by default
        ``geopy.geocoders.Nominatim`` with georange's user agent.  Tests pass a
        fake here.
    cache_dir
        Folder of the cache file (default :func:`default_cache_dir`).
    min_delay_s
        Least time between two requests (Nominatim's policy: 1 s).
    user_agent
        The HTTP user agent that names georange.

    Examples
    --------
    >>> class Fake:
    ...     def geocode(self, query, exactly_one=True):
    ...         return None
    >>> import tempfile
    >>> OnlineGeocoder(geocoder=Fake(), cache_dir=tempfile.mkdtemp()).lookup("Nowhere") is None
    True
    """

    def __init__(
        self,
        *,
        geocoder: _GeopyLike | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        min_delay_s: float = 1.0,
        user_agent: str = USER_AGENT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._geocoder = geocoder
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.cache_path = self.cache_dir / "nominatim.json"
        self.min_delay_s = float(min_delay_s)
        self.user_agent = user_agent
        self._clock = clock
        self._sleep = sleep
        self._last_request: float | None = None
        self._lock = threading.Lock()
        self._cache: dict[str, Any] | None = None
        self.requests = 0

    def _backend(self) -> _GeopyLike:
        if self._geocoder is None:
            try:
                from geopy.geocoders import Nominatim
            except ImportError as exc:  # pragma: no cover - geopy is a test dependency
                raise GeorangeError(
                    "the online geocoder needs geopy: pip install 'georange[online]'"
                ) from exc
            self._geocoder = Nominatim(user_agent=self.user_agent, timeout=10)
        return self._geocoder

    def _load_cache(self) -> dict[str, Any]:
        if self._cache is None:
            try:
                self._cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                self._cache = {}
            except (OSError, ValueError) as exc:
                log.warning("ignoring unreadable geocoder cache %s: %s", self.cache_path, exc)
                self._cache = {}
        return self._cache

    def _save_cache(self) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".nominatim.", suffix=".part", dir=self.cache_dir)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self._cache, out, ensure_ascii=False, indent=0, sort_keys=True)
        os.replace(tmp, self.cache_path)

    def lookup(self, text: str) -> dict[str, Any] | None:
        """Return ``{"lat", "lon", "address", "bbox", "type"}`` for *text*, or ``None``.

        Examples
        --------
        >>> class Fake:
        ...     def geocode(self, query, exactly_one=True):
        ...         return type("L", (), {"latitude": 40.2, "longitude": 124.5,
        ...                               "address": "Uiju", "raw": {}})()
        >>> import tempfile
        >>> OnlineGeocoder(geocoder=Fake(), cache_dir=tempfile.mkdtemp()).lookup("Uiju")["lat"]
        40.2
        """
        key = normalize_name(text)
        with self._lock:
            cache = self._load_cache()
            if key in cache:
                return cache[key]  # type: ignore[no-any-return]
            backend = self._backend()
            log.info("asking the online geocoder for %r (not in cache %s)", key, self.cache_path)
            if self._last_request is not None:
                wait = self.min_delay_s - (self._clock() - self._last_request)
                if wait > 0:
                    self._sleep(wait)
            try:
                location = backend.geocode(key, exactly_one=True)
            except Exception as exc:  # geopy raises many network error types
                raise UnknownSiteError(
                    text, detail=f"online geocoder failed for {text!r} ({exc})"
                ) from exc
            finally:
                self._last_request = self._clock()
                self.requests += 1
            result: dict[str, Any] | None = None
            if location is not None:
                raw = getattr(location, "raw", None) or {}
                bbox = raw.get("boundingbox")
                result = {
                    "lat": float(location.latitude),
                    "lon": float(location.longitude),
                    "address": str(getattr(location, "address", "") or key),
                    "bbox": [float(v) for v in bbox] if bbox else None,
                    "type": str(raw.get("type") or raw.get("class") or "place"),
                    "osm": f"{raw.get('osm_type', '')}/{raw.get('osm_id', '')}".strip("/"),
                }
            cache[key] = result
            self._save_cache()
            return result


@functools.cache
def _default_online() -> OnlineGeocoder:
    return OnlineGeocoder()


def _bbox_precision_km(bbox: Sequence[float] | None, lat: float, lon: float) -> float | None:
    if not bbox or len(bbox) != 4:
        return None
    south, north, west, east = bbox
    geod = GEOD
    dists = [
        geod.inv(lon, lat, blon, blat)[2] / 1000.0
        for blat, blon in ((south, west), (south, east), (north, west), (north, east))
    ]
    return round(max(1.0, *(float(d) for d in dists)), 1)


def online_site(
    text: str,
    region: Region,
    online: bool | _GeopyLike | OnlineGeocoder,
    *,
    suggest: Callable[[str], list[str]],
) -> Site | None:
    """The online geocoder's answer for *text* inside *region*, or ``None`` if not found.

    Raises :class:`UnknownSiteError` (with ``suggest(text)``) when the answer lies
    outside *region*.
    """
    if isinstance(online, OnlineGeocoder):
        client = online
    elif online is True:
        client = _default_online()
    else:
        client = OnlineGeocoder(geocoder=online)  # type: ignore[arg-type]
    result = client.lookup(text)
    if result is None:
        return None
    lat, lon = result["lat"], result["lon"]
    if not region.contains(lat, lon):
        raise UnknownSiteError(
            text,
            suggest(text),
            detail=(
                f"the online geocoder places {text!r} at {result['address']} ({lat:.3f}, "
                f"{lon:.3f}), outside {region}; refusing to trust that. Pass a wider "
                "region if that place is meant"
            ),
        )
    precision_km = _bbox_precision_km(result.get("bbox"), lat, lon)
    note = "precision from the result's bounding box"
    if precision_km is None:
        precision_km = 10.0
        note = "no bounding box in the answer: precision set to 10 km"
        log.warning("online answer for %r has no bounding box; precision 10 km", text)
    return Site(
        id=None,
        name=str(result["address"]).split(",")[0].strip() or text,
        lat=lat,
        lon=lon,
        precision_km=precision_km,
        kind=str(result.get("type") or "place"),
        source=" ".join(
            f"Nominatim/OpenStreetMap {result.get('osm') or ''}: {result['address']}".split()
        ),
        match="online",
        query=text,
        note=note,
    )
