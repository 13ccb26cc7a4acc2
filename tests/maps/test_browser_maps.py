"""The maps in a real headless browser: Debian's chromium driven by Playwright.

Every request is routed: the page itself is served from memory, CDN URLs are
answered from the npm copies in ``tests/browser/node_modules`` (the exact versions
folium references, installed by ``make assets``), map tiles with a blank PNG, and
anything else is aborted (and so fails the test as a console error).  No network.

The tests SKIP, saying how to enable them, when chromium or the npm copies are
missing, and FAIL instead when ``GEORANGE_REQUIRE_BROWSER=1`` (as ``.ci/run`` sets).
"""

from __future__ import annotations

import mimetypes
import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import geo
from geo.maps import build_maps, fill_cache, npm_file, range_map, render_html

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "tests" / "browser" / "node_modules"
CHROMIUM = Path("/usr/bin/chromium")
PAGE_URL = "http://georange.test/map.html"
TILE_HOSTS = ("tile.openstreetmap.org",)
#: Stylesheets folium may reference that no registry carries: answered empty.
EMPTY_CSS = (
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
    "leaflet.awesome.rotate.min.css",
)
MAP_JS = "window[document.querySelector('.folium-map').id]"
HOSTILE_LABEL = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"


def _blank_png(size: int = 256) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x00\x00\x00\x00" * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


BLANK_PNG = _blank_png()


def _require_browser() -> None:
    missing = []
    if not CHROMIUM.exists():
        missing.append("Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    if not (NODE_MODULES / "leaflet" / "package.json").is_file():
        missing.append("the npm asset copies in tests/browser/node_modules (make assets)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Python Playwright (pip install -e '.[test]')")
    if missing:
        message = "browser test needs " + " and ".join(missing)
        if os.environ.get("GEORANGE_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (required here: GEORANGE_REQUIRE_BROWSER=1)")
        pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless chromium for the module."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageLog:
    """What a page did: console errors, page errors, dialogs, aborted and served requests."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    aborted: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)


def open_page(
    browser: Any, html: str, *, cdn: bool = True, width: int = 1024, height: int = 640
) -> tuple[Any, PageLog]:
    """Load *html* with every request routed; return once Leaflet drew the map.

    With ``cdn=False`` CDN requests are aborted too (for self-contained pages).
    """
    log = PageLog()
    page = browser.new_page(viewport={"width": width, "height": height})
    page.on("console", lambda msg: log.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: log.errors.append(f"page error: {exc}"))

    def on_dialog(dialog: Any) -> None:
        log.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    def route(r: Any) -> None:
        url = r.request.url
        if url == PAGE_URL:
            r.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")
            return
        host = url.split("/")[2] if "://" in url else ""
        if host.endswith(TILE_HOSTS):
            r.fulfill(status=200, body=BLANK_PNG, content_type="image/png")
            return
        if cdn and url in EMPTY_CSS:
            r.fulfill(status=200, body="", content_type="text/css")
            return
        local = npm_file(url, NODE_MODULES) if cdn else None
        if local is not None:
            log.served.append(url)
            mime = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
            r.fulfill(status=200, body=local.read_bytes(), content_type=mime)
            return
        log.aborted.append(url)
        r.abort()

    page.route("**/*", route)
    page.goto(PAGE_URL, wait_until="load")
    page.wait_for_function(f"() => window.L && {MAP_JS} && {MAP_JS}._loaded")
    page.wait_for_timeout(150)  # let the initial fitBounds settle
    return page, log


def count(page: Any, selector: str) -> int:
    return int(page.evaluate(f"() => document.querySelectorAll({selector!r}).length"))


def assert_clean(log: PageLog) -> None:
    assert log.errors == [], log.errors
    assert log.aborted == [], log.aborted
    assert log.dialogs == [], log.dialogs


def expected_paths(display: Any) -> tuple[int, int]:
    """Fill and outline paths a footprint gives: each part drawn at three longitude offsets."""
    fills = len(display.fill.geoms) if hasattr(display.fill, "geoms") else 1
    return 3 * fills, 3 * len(display.outlines)


def covered_fraction(
    page: Any, lat: float, lon_from: float, lon_to: float, steps: int = 120
) -> float:
    """Share of sample points along a parallel where a footprint fill is under the cursor."""
    script = """([lat, a, b, n]) => {
      const map = MAP; let hit = 0;
      for (let i = 0; i <= n; i++) {
        const p = map.latLngToContainerPoint([lat, a + (b - a) * i / n]);
        const r = map.getContainer().getBoundingClientRect();
        const els = document.elementsFromPoint(r.left + p.x, r.top + p.y);
        if (els.some(e => e.classList && e.classList.contains('georange-fill'))) hit++;
      }
      return hit / (n + 1);
    }""".replace("MAP", MAP_JS)
    return float(page.evaluate(script, [lat, lon_from, lon_to, steps]))


def test_pyongyang_13000_spans_the_full_width_at_zoom_1(browser: Any, tmp_path: Path) -> None:
    html = render_html(range_map("Pyongyang", 13000))
    page, log = open_page(browser, html, width=1200, height=700)
    assert page.evaluate("() => L.version") == "1.9.3"
    site = geo.geocode("Pyongyang")
    display = geo.footprint_display(site.lat, site.lon, 13000)
    fills, outlines = expected_paths(display)
    assert count(page, "path.georange-fill") == fills == 3
    assert count(page, "path.georange-outline") == outlines
    assert count(page, "path.georange-band") == 6  # range -/+ the site's 8 km, three copies
    page.evaluate(f"() => {MAP_JS}.setView([30, {site.lon}], 1, {{animate: false}})")
    page.wait_for_timeout(100)
    # a parallel near the pole is inside the footprint all the way round: no seam anywhere
    point = page.evaluate(f"() => {MAP_JS}.latLngToContainerPoint([70, {site.lon}])")
    width = page.evaluate(f"() => {MAP_JS}.getSize().x")
    left = page.evaluate(f"() => {MAP_JS}.containerPointToLatLng([1, {point['y']}]).lng")
    right = page.evaluate(f"() => {MAP_JS}.containerPointToLatLng([{width - 2}, {point['y']}]).lng")
    assert right - left > 360  # the view is wider than one world at zoom 1
    assert covered_fraction(page, 70.0, left, right, steps=200) == 1.0
    page.screenshot(path=str(tmp_path / "pyongyang-13000.png"))
    assert (tmp_path / "pyongyang-13000.png").stat().st_size > 0
    assert_clean(log)
    page.close()


def test_fiji_1000_has_no_seam_at_the_dateline(browser: Any, tmp_path: Path) -> None:
    html = render_html(range_map("-17.7134, 178.065", 1000))
    page, log = open_page(browser, html)
    display = geo.footprint_display(-17.7134, 178.065, 1000)
    fills, outlines = expected_paths(display)
    assert (
        (count(page, "path.georange-fill"), count(page, "path.georange-outline"))
        == (fills, outlines)
        == (3, 3)
    )
    # the initial view holds the whole footprint, across 180
    bounds = page.evaluate(f"() => {MAP_JS}.getBounds().toBBoxString()").split(",")
    west, south, east, north = (float(v) for v in bounds)
    assert west < 170.0 and east > 186.0 and south < -26.0 and north > -9.0
    # along the site's parallel the fill is continuous from 172 E to 176 W
    assert covered_fraction(page, -17.7134, 172.0, 184.0) == 1.0
    page.screenshot(path=str(tmp_path / "fiji-1000.png"))
    # and equally in the world copies east and west (panning across the Pacific)
    for shift in (-360.0, 360.0):
        page.evaluate(
            f"() => {MAP_JS}.setView([-17.7134, {178.065 + shift}], "
            f"{MAP_JS}.getZoom(), {{animate: false}})"
        )
        page.wait_for_timeout(100)
        assert covered_fraction(page, -17.7134, 172.0 + shift, 184.0 + shift) == 1.0
        assert covered_fraction(page, -17.7134, 160.0 + shift, 163.0 + shift) == 0.0
    assert_clean(log)
    page.close()


def test_seed_maps_load_with_the_expected_footprints(browser: Any, tmp_path: Path) -> None:
    pages = build_maps()
    catalog = geo.load_catalog()
    drawn = catalog[catalog["located"] & catalog["range_km"].notna()]
    for name, html in pages.items():
        if name == "index.html":
            continue
        page, log = open_page(browser, html)
        if name == "overview.html":
            rows = drawn
        elif name.startswith("event-"):
            rows = drawn[[f"event-{e}.html" == name for e in drawn["event_id"]]]
        else:
            rows = None
        if rows is not None:
            want = sum(
                expected_paths(geo.footprint_display(r.lat, r.lon, r.range_km))[0]
                for r in rows.itertuples()
            )
        else:
            want = 3 * int(geo.load_missiles()["class"].nunique())
        assert count(page, "path.georange-fill") == want, name
        assert count(page, "path.georange-target") == 3 * len(geo.load_targets()), name
        if name == "overview.html":
            # the time slider: the earliest date shows fewer footprints than "all"
            page.evaluate("""() => { const s = document.querySelector('.georange-slider input');
                                     s.value = 0; s.dispatchEvent(new Event('input')); }""")
            assert count(page, "path.georange-fill") < want
            label = page.inner_text(".georange-slider-label")
            assert label.startswith("up to 2024-01-28")
        page.screenshot(path=str(tmp_path / name.replace(".html", ".png")))
        assert_clean(log)
        page.close()


def test_hostile_label_shows_as_text_and_runs_nothing(browser: Any) -> None:
    html = render_html(range_map((39.0, 125.7), 800, label=HOSTILE_LABEL))
    page, log = open_page(browser, html)
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert HOSTILE_LABEL in page.inner_text(".georange-legend")
    assert HOSTILE_LABEL in page.inner_text(".leaflet-control-layers-overlays")
    page.evaluate(f"""() => {{ const map = {MAP_JS};
        map.eachLayer(l => {{ if (l.getPopup && l.getPopup()
            && l.options.className === 'georange-outline') l.openPopup(); }}); }}""")
    assert HOSTILE_LABEL in page.inner_text(".leaflet-popup-content")
    assert page.title() == HOSTILE_LABEL + ": 800 km"
    assert log.dialogs == []
    assert_clean(log)
    page.close()


def test_self_contained_page_needs_no_cdn(browser: Any, tmp_path: Path) -> None:
    fill_cache(cache_dir=tmp_path / "cache", from_npm=NODE_MODULES)
    html = render_html(range_map("Sinpo", 1500), self_contained=True, cache_dir=tmp_path / "cache")
    assert 'cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"' not in html
    page, log = open_page(browser, html, cdn=False)
    assert page.evaluate("() => L.version") == "1.9.3"
    assert count(page, "path.georange-fill") == 3
    assert count(page, ".leaflet-control-zoom-fullscreen") == 1  # the inlined plugin ran
    assert log.served == []
    assert_clean(log)
    page.close()
