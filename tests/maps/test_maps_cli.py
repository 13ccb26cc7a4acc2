"""`georange map`, `build` and `assets` through click's CliRunner; geo.maps._assets directly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_run import run

import geo
from geo.errors import AssetError
from geo.maps import (
    MAP_ASSETS,
    cached_asset,
    css_references,
    fill_cache,
    inline_assets,
    npm_file,
    offline_files,
    vendor_file,
)

LEAFLET_CSS = (
    ".leaflet-control-layers-toggle{background-image:url(images/layers.png)}"
    ".x{behavior:url(#default#VML)}"
)
FULLSCREEN_CSS = ".fullscreen-icon{background-image:url(icon-fullscreen.svg)}"
REPORT = (
    "South Korea's Joint Chiefs of Staff said North Korea fired two cruise missiles "
    "from near Sinpo on Sunday. They flew about 150 km.\n"
)


def map_page(out: Path, *args: str) -> str:
    """Run `georange map ARGS -o OUT`, which must succeed; the page it wrote."""
    code, _, err = run("map", *args, "-o", str(out))
    assert code == 0, err
    return out.read_text(encoding="utf-8")


def fake_node_modules(root: Path, *, leaflet_version: str = "1.9.3") -> Path:
    """A node_modules tree with the pinned packages' files (tiny stand-ins)."""
    files = {
        ("leaflet", leaflet_version): {
            "dist/leaflet.js": "window.L={version:'1.9.3'};",
            "dist/leaflet.css": LEAFLET_CSS,
            "dist/images/layers.png": "PNG",
        },
        ("leaflet.fullscreen", "3.0.0"): {
            "Control.FullScreen.js": "/* fs */",
            "Control.FullScreen.css": FULLSCREEN_CSS,
            "icon-fullscreen.svg": "<svg/>",
        },
    }
    for (package, version), content in files.items():
        base = root / package
        base.mkdir(parents=True)
        (base / "package.json").write_text(json.dumps({"name": package, "version": version}))
        for rel, text in content.items():
            (base / rel).parent.mkdir(parents=True, exist_ok=True)
            (base / rel).write_text(text)
    return root


# --- georange map ---------------------------------------------------------------------------


def test_map_writes_one_html_file(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    code, stdout, stderr = run(
        "map", "--site", "Pyongyang", "--range-km", "13000", "--range-km", "1500", "-o", str(out)
    )
    assert (code, stdout, stderr) == (0, "", "")
    html = out.read_text(encoding="utf-8")
    assert html.count("georange.footprint(") == 2
    # the CLI writes what the library renders
    assert html == geo.render_html(geo.range_map("Pyongyang", [13000, 1500]))


def test_map_options_reach_the_footprint(tmp_path: Path) -> None:
    html = map_page(
        tmp_path / "m.html",
        *("--site", "39.0, 125.7", "--range-km", "1000", "--min-range-km", "300"),
        *("--bearing", "30:120", "--label", "Test <site>", "--no-targets", "--tolerance-m", "50"),
    )
    assert "Test \\u0026lt;site\\u0026gt;: 1,000 km, from 300 km, 30°–120°" in html
    assert "minimum range</th><td>300 km" in html.replace("\\u003c", "<").replace("\\u003e", ">")
    assert "30° to 120° clockwise" in html
    assert "boundary within 50 m" in html
    assert "georange-target" not in html


def test_map_to_stdout() -> None:
    code, out, _ = run("map", "--site", "Sinpo", "--range-km", "150", "--no-targets", "-o", "-")
    assert code == 0 and out.startswith("<!DOCTYPE html>") and out.count("georange.footprint(") == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--site", "Nowhere Such Place", "--range-km", "100"], "unknown site"),
        (["--site", "Sinpo", "--range-km", "-5"], "-5"),
        (["--site", "Sinpo", "--range-km", "100", "--min-range-km", "200"], "200"),
    ],
)
def test_map_errors_exit_1_and_write_nothing(tmp_path: Path, args: list[str], needle: str) -> None:
    out = tmp_path / "map.html"
    code, stdout, stderr = run("map", *args, "-o", str(out))
    assert code == 1 and stdout == ""
    assert stderr.startswith("georange: error:") and needle in stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["--site", "Sinpo", "--range-km", "100", "--bearing", "30"],
        ["--site", "Sinpo"],
        ["--range-km", "100"],
        ["--site", "Sinpo", "--range-km", "100", "--report", __file__],
        ["--report", __file__, "--bearing", "0:90"],
        ["--site", "Sinpo", "--range-km", "100", "--reported-on", "2024-01-01"],
        ["--site", "Sinpo", "--range-km", "100", "--no-targets", "--targets", __file__],
        ["--site", "Sinpo", "--range-km", "100", "--tolerance-m", "0"],
    ],
)
def test_map_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    code, _, stderr = run("map", *args, "-o", str(tmp_path / "m.html"))
    assert code == 2 and "Usage:" in stderr
    assert list(tmp_path.iterdir()) == []


def test_map_from_a_report(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    args = ("--report", str(report), "--reported-on", "2024-01-29", "--no-targets")
    html = map_page(tmp_path / "map.html", *args)
    assert html.count("georange.footprint(") == 1 and "150 km" in html
    assert "2024-01-28" in html  # "on Sunday", resolved from the publication date


def test_map_from_a_report_without_a_located_range_fails(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("Officials said a launch took place somewhere. No details.\n")
    code, _, err = run("map", "--report", str(report), "-o", str(tmp_path / "m.html"))
    assert code == 1 and "no claim with both a located launch site and a range" in err
    assert not (tmp_path / "m.html").exists()


def test_self_contained_needs_no_cache(tmp_path: Path) -> None:
    """Leaflet, the fullscreen control and the basemap ship with georange: no cache to fill."""
    args = ("--site", "Sinpo", "--range-km", "150", "--self-contained")
    page = map_page(tmp_path / "m.html", *args, "--assets-dir", str(tmp_path / "empty"))
    assert "<script src=" not in page and '<link rel="stylesheet"' not in page
    assert 'version="1.9.3"' in page  # Leaflet's own source, inlined
    assert "window.GEORANGE_BASEMAP = {" in page
    assert not (tmp_path / "empty").exists()


# --- georange build --------------------------------------------------------------------------


def test_build_writes_index_and_every_map(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    code, stdout, stderr = run("build", "--no-targets", "-o", str(out))
    assert code == 0
    assert stdout.strip() == str(out / "index.html")
    assert "wrote 6 pages" in stderr
    assert "shared files" in stderr and "basemap" in stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([*geo.build_maps(targets=False), "assets"])
    shipped = offline_files()
    written = (out / "assets").rglob("*")
    assert sorted(str(p.relative_to(out / "assets")) for p in written if p.is_file()) == (
        sorted(shipped)
    )
    for name, data in shipped.items():
        assert (out / "assets" / name).read_bytes() == data
    index = (out / "index.html").read_text(encoding="utf-8")
    for href in re.findall(r'href="([^"]+)"', index):
        assert (out / href).is_file()
    # every page loads its scripts and stylesheets from the folder, none from a CDN
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        refs = re.findall(r'<script src="([^"]+)"|<link rel="stylesheet" href="([^"]+)"', text)
        for ref in (a or b for a, b in refs):
            assert (out / ref).is_file(), (page.name, ref)
        assert "cdn.jsdelivr.net" not in text, page.name
        if page.name != "index.html":
            assert '<script src="assets/basemap.js"></script>' in text


def test_build_of_a_bad_catalog_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "events.csv"
    bad.write_text(
        "claim_id,event_id,date,date_precision,site,missile,range_km,range_kind,"
        "claimant,source,note\nc1,e1,2024-01-01,day,Sinpo,x,-3,flown,a,b,c\n"
    )
    out = tmp_path / "maps"
    code, stdout, stderr = run("build", str(bad), "-o", str(out))
    assert code == 1 and stdout == ""
    assert f"{bad}:2" in stderr and "range_km" in stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_build_self_contained_inlines_assets(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    code, _, err = run("build", "--no-targets", "--self-contained", "-o", str(out))
    assert code == 0, err
    assert not (out / "assets").exists() and "shared files" not in err
    page = (out / "overview.html").read_text(encoding="utf-8")
    assert "<script src=" not in page and '<link rel="stylesheet"' not in page
    assert 'version="1.9.3"' in page and "window.GEORANGE_BASEMAP = {" in page
    assert 'url("data:image/png;base64,' in page


# --- georange assets and geo.maps._assets ---------------------------------------------------


def test_assets_from_npm_fills_the_cache(tmp_path: Path) -> None:
    nm = fake_node_modules(tmp_path / "node_modules")
    cache = tmp_path / "cache"
    code, stdout, stderr = run("assets", "--from-npm", str(nm), "--assets-dir", str(cache))
    assert code == 0 and "cached 6 files" in stderr
    listed = [Path(line) for line in stdout.splitlines()]
    assert all(p.is_file() for p in listed)
    leaflet = cache / "cdn.jsdelivr.net" / "npm" / "leaflet@1.9.3" / "dist" / "leaflet.js"
    assert leaflet.read_bytes() == b"window.L={version:'1.9.3'};"
    icon = cache / "cdn.jsdelivr.net" / "npm" / "leaflet.fullscreen@3.0.0" / "icon-fullscreen.svg"
    assert icon.read_bytes() == b"<svg/>"
    # the maps read the copy georange ships before any cache
    shipped = vendor_file(MAP_ASSETS[0].url)
    assert shipped is not None
    assert cached_asset(MAP_ASSETS[0].url, cache_dir=cache) == shipped.read_bytes()


def test_assets_from_npm_rejects_a_wrong_version(tmp_path: Path) -> None:
    nm = fake_node_modules(tmp_path / "node_modules", leaflet_version="1.9.4")
    code, _, err = run("assets", "--from-npm", str(nm), "--assets-dir", str(tmp_path / "c"))
    assert code == 1 and "1.9.4" in err and "1.9.3" in err and "make assets" in err


def test_assets_from_npm_names_a_missing_file(tmp_path: Path) -> None:
    nm = fake_node_modules(tmp_path / "node_modules")
    (nm / "leaflet.fullscreen" / "Control.FullScreen.js").unlink()
    with pytest.raises(AssetError, match=r"Control\.FullScreen\.min\.js has no copy"):
        fill_cache(cache_dir=tmp_path / "c", from_npm=nm)


def test_download_path_uses_the_cdn_urls(tmp_path: Path) -> None:
    seen: list[str] = []
    bodies = {MAP_ASSETS[1].url: LEAFLET_CSS.encode(), MAP_ASSETS[3].url: FULLSCREEN_CSS.encode()}

    def fetch(url: str) -> bytes:
        seen.append(url)
        return bodies.get(url, b"x")

    fill_cache(cache_dir=tmp_path, fetch=fetch)
    assert seen[:2] == [MAP_ASSETS[0].url, MAP_ASSETS[1].url]
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/images/layers.png" in seen
    assert len(seen) == 6


def test_npm_file_maps_cdn_urls_to_package_files(tmp_path: Path) -> None:
    nm = fake_node_modules(tmp_path)
    assert npm_file(MAP_ASSETS[2].url, nm) == nm / "leaflet.fullscreen" / "Control.FullScreen.js"
    png = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/images/layers.png"
    assert npm_file(png, nm) == nm / "leaflet" / "dist" / "images" / "layers.png"
    assert npm_file("https://evil.example/leaflet.js", nm) is None


def test_inline_assets_escapes_script_end_tags(tmp_path: Path) -> None:
    url = "https://cdn.example/lib.js"
    path = tmp_path / "cdn.example" / "lib.js"
    path.parent.mkdir(parents=True)
    path.write_text("var s = '</script><b>';")
    out = inline_assets(f'<script src="{url}"></script>', cache_dir=tmp_path)
    assert out.count("</script>") == 1 and "<\\/script><b>" in out


def test_css_references_skip_data_and_absolute_urls() -> None:
    css = "a{b:url('data:x')} c{d:url(\"https://x/y.png\")} e{f:url( img/z.gif )}"
    assert css_references(css, "https://cdn/p/q.css") == ["https://cdn/p/img/z.gif"]


def test_cache_dir_comes_from_the_environment_or_the_user_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geo.maps import asset_cache_dir

    monkeypatch.setenv("GEORANGE_ASSETS_DIR", str(tmp_path / "env"))
    assert asset_cache_dir() == tmp_path / "env"
    assert asset_cache_dir(tmp_path / "given") == tmp_path / "given"
    monkeypatch.delenv("GEORANGE_ASSETS_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert asset_cache_dir() == tmp_path / "xdg" / "georange" / "assets"


def test_browser_tests_skip_with_a_reason_or_fail_when_required(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from maps import test_browser_maps as browser_tests

    monkeypatch.setattr(browser_tests, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setattr(browser_tests, "NODE_MODULES", tmp_path / "no-node-modules")
    monkeypatch.delenv("GEORANGE_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        browser_tests._require_browser()
    assert "apt-get install chromium" in str(skipped.value)
    assert "make assets" in str(skipped.value)
    monkeypatch.setenv("GEORANGE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception) as failed:
        browser_tests._require_browser()
    assert "GEORANGE_REQUIRE_BROWSER=1" in str(failed.value)
