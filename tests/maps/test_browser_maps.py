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
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pyproj import Geod

import geo
from geo.maps import build_maps, npm_file, offline_files, range_map, render_html

pytestmark = pytest.mark.browser
GEOD = Geod(ellps="WGS84")

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "tests" / "browser" / "node_modules"
CHROMIUM = Path("/usr/bin/chromium")
PAGE_URL = "http://georange.test/map.html"
ASSETS_URL = "http://georange.test/assets/"
OFFLINE = offline_files()
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
        if url.startswith(ASSETS_URL) and url[len(ASSETS_URL) :] in OFFLINE:
            # the assets/ folder georange build writes beside its pages
            local_name = url[len(ASSETS_URL) :]
            mime = mimetypes.guess_type(local_name)[0] or "application/octet-stream"
            r.fulfill(status=200, body=OFFLINE[local_name], content_type=mime)
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
    page.wait_for_timeout(150)  # let the labels settle
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
    page.evaluate(f"() => void {MAP_JS}.setView([30, {site.lon}], 1, {{animate: false}})")
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
            f"() => void {MAP_JS}.setView([-17.7134, {178.065 + shift}], "
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


def test_self_contained_page_needs_no_cdn_and_no_cache(browser: Any, tmp_path: Path) -> None:
    html = render_html(range_map("Sinpo", 1500), self_contained=True, cache_dir=tmp_path / "none")
    assert 'cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"' not in html
    page, log = open_page(browser, html, cdn=False)
    assert page.evaluate("() => L.version") == "1.9.3"
    assert count(page, "path.georange-fill") == 3
    assert count(page, ".leaflet-control-zoom-fullscreen") == 1  # the inlined plugin ran
    assert count(page, ".leaflet-georange-basemap-pane canvas") == 1
    assert count(page, "img.leaflet-tile") == 0  # no tile asked for: the basemap shows
    assert log.served == []
    assert_clean(log)
    page.close()


# --- offline: the basemap, labels, the annulus sector, pages of georange build -----------------

#: The basemap's colours (georange.js): land and the sea behind it.
LAND_RGB = (0xF1, 0xED, 0xE3)
SEA_RGB = (0xC6, 0xDB, 0xEA)


def pixels(page: Any, points: list[tuple[float, float]]) -> list[tuple[int, int, int]]:
    """The screenshot's colours at (lat, lon) points, placed by Leaflet's latLngToContainerPoint."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    out = []
    for lat, lon in points:
        xy = page.evaluate(f"() => {MAP_JS}.latLngToContainerPoint([{lat}, {lon}])")
        x, y = round(xy["x"]), round(xy["y"])
        # the commonest colour of a 7x7 patch: a coastline or border crossing it does not count
        patch = [image.getpixel((x + i, y + j)) for i in range(-3, 4) for j in range(-3, 4)]
        out.append(max(set(patch), key=patch.count))
    return out


def land_share(page: Any) -> float:
    """Share of the basemap canvas painted in the land colour."""
    return float(
        page.evaluate(
            """([r, g, b]) => {
          const c = document.querySelector('.leaflet-georange-basemap-pane canvas');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let land = 0;
          for (let i = 0; i < d.length; i += 4) {
            if (Math.abs(d[i] - r) < 4 && Math.abs(d[i + 1] - g) < 4 && Math.abs(d[i + 2] - b) < 4
                && d[i + 3] > 250) land++;
          }
          return land / (d.length / 4); }""",
            list(LAND_RGB),
        )
    )


def near(rgb: tuple[int, int, int], want: tuple[int, int, int], tol: int = 6) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(rgb, want, strict=True))


def visible_labels(page: Any) -> list[dict[str, Any]]:
    """The permanent labels shown (not hidden by the declutter), with their boxes."""
    return list(
        page.evaluate("""() => [...document.querySelectorAll('.georange-label')]
          .filter(e => e.style.display !== 'none')
          .map(e => { const r = e.getBoundingClientRect();
            return {text: e.textContent, left: r.left, right: r.right, top: r.top,
                    bottom: r.bottom}; })""")
    )


def assert_no_overlap(labels: list[dict[str, Any]], page: Any) -> None:
    box = page.evaluate(f"() => {MAP_JS}.getContainer().getBoundingClientRect().toJSON()")
    for i, a in enumerate(labels):
        assert a["left"] >= box["left"] and a["right"] <= box["right"], a
        assert a["top"] >= box["top"] and a["bottom"] <= box["bottom"], a
        for b in labels[i + 1 :]:
            apart = (
                a["right"] <= b["left"]
                or b["right"] <= a["left"]
                or a["bottom"] <= b["top"]
                or b["bottom"] <= a["top"]
            )
            assert apart, (a, b)


def test_basemap_draws_land_and_sea_with_no_tiles(browser: Any) -> None:
    html = render_html(range_map("Sinpo", 150, targets=False), assets="assets/")
    page, log = open_page(browser, html, cdn=False)
    page.evaluate(f"() => void {MAP_JS}.setView([37, 124], 5, {{animate: false}})")
    page.wait_for_timeout(150)
    land = [(39.9, 116.4), (34.5, 112.0), (36.4, 127.8)]  # Beijing, Henan, South Korea
    sea = [(36.0, 123.0), (33.0, 134.5), (37.5, 132.0)]  # Yellow Sea, Pacific, East Sea
    got = pixels(page, land + sea)
    assert all(near(c, LAND_RGB) for c in got[:3]), got
    assert all(near(c, SEA_RGB) for c in got[3:]), got
    assert count(page, "img.leaflet-tile") == 0
    assert "Natural Earth" in page.inner_text(".leaflet-control-attribution")
    assert_clean(log)
    page.close()


def test_pyongyang_13000_shows_land_in_all_three_world_copies(browser: Any, tmp_path: Path) -> None:
    html = render_html(range_map("Pyongyang", 13000, targets=False), self_contained=True)
    page, log = open_page(browser, html, cdn=False, width=1200, height=700)
    site = geo.geocode("Pyongyang")
    page.evaluate(f"() => void {MAP_JS}.setView([30, {site.lon}], 1, {{animate: false}})")
    page.wait_for_timeout(150)
    west, east = (
        page.evaluate(f"() => {MAP_JS}.getBounds().get{side}()") for side in ("West", "East")
    )
    copies = [dx for dx in (-360.0, 0.0, 360.0) if west < 134.0 + dx < east]
    assert copies == [-360.0, 0.0, 360.0]  # all three copies of Australia are in view
    land = [(-25.0, 134.0 + dx) for dx in copies]  # central Australia (inside the footprint)
    sea = [(-25.0, 160.0 + dx) for dx in copies]  # the Coral Sea (inside too)
    got = pixels(page, land + sea)
    assert len(set(got[:3])) == 1 and len(set(got[3:])) == 1, got  # the same in every copy
    assert got[0] != got[3]  # land differs from sea in every copy
    page.screenshot(path=str(tmp_path / "pyongyang-13000-zoom1.png"))
    assert_clean(log)
    page.close()


def test_labels_show_without_hovering_and_never_overlap(browser: Any) -> None:
    html = render_html(range_map("Pyongyang", 13000), assets="assets/")
    page, log = open_page(browser, html, cdn=False, width=1200, height=700)
    site = geo.geocode("Pyongyang")
    for zoom in (None, 1, 3, 5):
        if zoom is not None:
            view = f"[{site.lat}, {site.lon}], {zoom}"
            page.evaluate(f"() => void {MAP_JS}.setView({view}, {{animate: false}})")
            page.wait_for_timeout(150)
        labels = visible_labels(page)
        texts = [label["text"] for label in labels]
        assert "Pyongyang (launch site)" in texts, (zoom, texts)
        targets = [t for t in texts if "launch site" not in t]
        assert targets, (zoom, texts)
        assert all(re.search(r": [\d,]+ km, (in|out of) range", t) for t in targets), texts
        assert_no_overlap(labels, page)
    # a label hidden by the declutter still shows on hover
    assert count(page, ".georange-label") > len(visible_labels(page))
    assert_clean(log)
    page.close()


def test_catalog_page_labels_do_not_overlap(browser: Any) -> None:
    html = render_html(geo.catalog_map(), assets="assets/")
    page, log = open_page(browser, html, cdn=False)
    labels = visible_labels(page)
    assert len(labels) >= 3
    assert any("(launch site)" in label["text"] for label in labels)
    assert_no_overlap(labels, page)
    assert_clean(log)
    page.close()


def _drawn_lines(page: Any, class_name: str) -> list[list[tuple[float, float]]]:
    """The (lat, lon) vertices of every drawn line of a class, back in the site's world copy."""
    script = """(cls) => { const out = [];
      MAP.eachLayer(l => { if (l.options && l.options.className === cls && l.getLatLngs)
        out.push(l.getLatLngs().map(p => [p.lat, p.lng])); });
      return out; }""".replace("MAP", MAP_JS)
    return [[(a, b) for a, b in line] for line in page.evaluate(script, class_name)]


def test_annulus_sector_outline_on_the_page(browser: Any) -> None:
    """--range-km 2000 --min-range-km 1000 --bearing 90:200: no wedge, no full inner circle."""
    site = geo.geocode("Pyongyang")
    m = range_map("Pyongyang", 2000, min_range_km=1000, bearing=(90, 200), targets=False)
    page, log = open_page(browser, render_html(m, assets="assets/"), cdn=False)
    display = geo.footprint_display(site.lat, site.lon, 2000, min_range_km=1000, bearing=(90, 200))
    tol = display.tolerance_m + 15.0  # + the page's rounding to the encoded decimals
    outlines = _drawn_lines(page, "georange-outline")
    assert len(outlines) == 3  # one closed outline, in three world copies
    for line in outlines:
        lat = np.array([p[0] for p in line])
        lon = np.array([p[1] for p in line])
        az, _, d = GEOD.inv(np.full(len(lat), site.lon), np.full(len(lat), site.lat), lon, lat)
        rel = (np.asarray(az) - 90.0 + 1e-9) % 360.0
        d = np.asarray(d)
        assert d.min() >= 1000e3 - tol  # nothing from the site
        at_inner = np.abs(d - 1000e3) <= tol
        assert at_inner.sum() > 10
        slack = np.degrees(tol / 1000e3)
        inside = (rel <= 110.0 + slack) | (rel >= 360.0 - slack)
        assert inside[at_inner].all()  # the inner arc only within the bearings
        assert inside.all()
    # the dashed band (range -/+ the site precision) is two arcs: no radials from the site
    for line in _drawn_lines(page, "georange-band"):
        lat = np.array([p[0] for p in line])
        lon = np.array([p[1] for p in line])
        _, _, d = GEOD.inv(np.full(len(lat), site.lon), np.full(len(lat), site.lat), lon, lat)
        near_range = np.abs(np.asarray(d) - 2000e3) <= site.precision_km * 1000 + tol
        assert near_range.all()
    assert_clean(log)
    page.close()


def test_build_pages_open_from_file_with_the_network_blocked(browser: Any, tmp_path: Path) -> None:
    """What `make maps` writes, opened from file:// with every other request aborted."""
    from click.testing import CliRunner

    from geo.cli import cli

    out = tmp_path / "maps"
    result = CliRunner().invoke(cli, ["build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    for path in sorted(out.glob("*.html")):
        log = PageLog()
        page = browser.new_page(viewport={"width": 1024, "height": 640})
        page.on(
            "console",
            lambda msg, log=log: log.errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc, log=log: log.errors.append(f"page error: {exc}"))
        page.on("requestfailed", lambda req, log=log: log.aborted.append(req.url))
        page.on(
            "request",
            lambda req, log=log: (
                None if req.url.startswith("file://") else log.aborted.append(req.url)
            ),
        )
        # nothing but the files themselves
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort()
        )
        page.goto(path.as_uri(), wait_until="load")
        if path.name != "index.html":
            page.wait_for_function(f"() => window.L && {MAP_JS} && {MAP_JS}._loaded")
            page.wait_for_timeout(150)
            assert page.evaluate("() => typeof window.GEORANGE_BASEMAP") == "object"
            assert count(page, ".leaflet-georange-basemap-pane canvas") == 1, path.name
            assert count(page, "img.leaflet-tile") == 0, path.name
            assert visible_labels(page), path.name
            # the basemap is drawn: land on its canvas, under the footprints
            assert land_share(page) > 0.02, path.name
            if path.name.startswith(("overview", "event-")):
                page.screenshot(path=str(tmp_path / path.name.replace(".html", ".png")))
        assert log.errors == [] and log.aborted == [], (path.name, log)
        page.close()
