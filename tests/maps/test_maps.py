"""geo.maps: what reaches the page, checked on the HTML text (the browser tests check the drawing).

Geometry on the page is decoded from the HTML and checked against pyproj ``Geod.inv``.
"""

from __future__ import annotations

import html as html_module
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod

import geo
from geo.maps import (
    FOLIUM_ASSETS,
    MAP_ASSETS,
    build_maps,
    catalog_map,
    deterministic_ids,
    range_map,
    render_html,
    site_reach_map,
)
from geo.maps._elements import _js_json

GEOD = Geod(ellps="WGS84")
PYONGYANG = "Pyongyang"
FIJI = (-17.7134, 178.065)
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "{{ 7*7 }} {% if 1 %}jinja{% endif %} {# c #}",
    '" onmouseover="alert(3)',
    "a\u2028b & 'c'",
]

_CALL = re.compile(r"georange\.(footprint|point)\((\w+), (\{.*?\})\);\n")


def specs(html: str, kind: str = "footprint") -> list[dict[str, Any]]:
    """The JSON specs of the footprints (or points) drawn by the page's script."""
    return [json.loads(m.group(3)) for m in _CALL.finditer(html) if m.group(1) == kind]


def decode(line: list[int], decimals: int) -> np.ndarray:
    """Integer deltas -> (lat, lon) degrees, as the page's script does."""
    return np.cumsum(np.asarray(line, dtype=np.int64).reshape(-1, 2), axis=0) / 10.0**decimals


def fit_bounds(html: str) -> list[list[float]]:
    match = re.search(r"georange\.fit\(\w+, (\[\[.*?\]\])", html, re.S)
    assert match, "the map sets no initial view"
    return json.loads(match.group(1))


def test_outline_vertices_lie_on_the_range_by_geod_inv() -> None:
    for site, range_km in ((FIJI, 1000.0), ((39.0339, 125.7543), 13000.0), ((40.0, 128.2), 150.0)):
        html = render_html(range_map(site, range_km, targets=False))
        [spec] = specs(html)
        d = spec["d"]
        tolerance_m = float(re.search(r"boundary within ([\d.,]+) m", spec["p"]).group(1))
        assert spec["l"], "no outline drawn"
        for line in spec["l"]:
            pts = decode(line, d)
            n = len(pts)
            _, _, dist = GEOD.inv(np.full(n, site[1]), np.full(n, site[0]), pts[:, 1], pts[:, 0])
            # rounding to 10^-d degrees moves a vertex by at most sqrt(2)/4 of the tolerance
            assert np.max(np.abs(dist - range_km * 1000.0)) <= 0.36 * tolerance_m
            # continuous longitudes: no jump between consecutive vertices
            assert np.max(np.abs(np.diff(pts[:, 1]))) < 30.0


def test_dateline_footprint_is_one_continuous_shape() -> None:
    html = render_html(range_map(FIJI, 1000, targets=False))
    [spec] = specs(html)
    assert len(spec["f"]) == 1 and len(spec["l"]) == 1  # one fill, one ring: nothing cut at 180
    lons = decode(spec["f"][0][0], spec["d"])[:, 1]
    assert lons.min() < 180.0 < lons.max()
    analysis = geo.footprint(*FIJI, 1000)
    assert analysis.geom_type == "MultiPolygon"  # what would have shown as two slivers


def test_pole_footprint_fill_spans_all_longitudes_and_reaches_the_pole() -> None:
    html = render_html(range_map(PYONGYANG, 13000, targets=False))
    [spec] = specs(html)
    pts = decode(spec["f"][0][0], spec["d"])
    assert pts[:, 1].max() - pts[:, 1].min() == pytest.approx(360.0, abs=1e-6)
    assert pts[:, 0].max() == pytest.approx(90.0)
    # the closure along the pole is fill only: the outline never runs along lat 90
    for line in spec["l"]:
        assert decode(line, spec["d"])[:, 0].max() < 89.0


def test_initial_view_fits_the_footprint_and_caps_at_the_world() -> None:
    (south, west), (north, east) = fit_bounds(
        render_html(range_map(PYONGYANG, 13000, targets=False))
    )
    assert east - west == pytest.approx(360.0)
    assert -85 <= south < north <= 85
    (south, west), (north, east) = fit_bounds(render_html(range_map("Sinpo", 1500, targets=False)))
    bounds = geo.footprint(40.0347, 128.1856, 1500).bounds
    assert west == pytest.approx(bounds[0], abs=0.01)
    assert east == pytest.approx(bounds[2], abs=0.01)
    assert south == pytest.approx(bounds[1], abs=0.01)
    assert north == pytest.approx(bounds[3], abs=0.01)
    (south, west), (north, east) = fit_bounds(render_html(range_map(FIJI, 1000, targets=False)))
    assert west < 180 < east  # across the dateline, not around the world


def test_precision_band_shows_range_plus_and_minus_the_site_precision() -> None:
    site = geo.geocode(PYONGYANG)
    assert site.precision_km >= 1.0
    html = render_html(range_map(site, 1500, targets=False))
    [spec] = specs(html)
    assert len(spec["b"]) == 2
    found = []
    for line in spec["b"]:
        pts = decode(line, spec["d"])
        _, _, dist = GEOD.inv(
            np.full(len(pts), site.lon), np.full(len(pts), site.lat), pts[:, 1], pts[:, 0]
        )
        found.append(float(np.median(dist)) / 1000.0)
    assert sorted(found) == pytest.approx(
        [1500 - site.precision_km, 1500 + site.precision_km], abs=0.05
    )
    # a site given to the metre gets no band
    [exact] = specs(render_html(range_map((39.0, 125.0), 1500, targets=False)))
    assert exact["b"] == []


def test_targets_marked_in_or_out_of_range_by_geod_inv() -> None:
    html = render_html(range_map("Sinpo", 1500))
    points = specs(html, "point")
    targets = geo.load_targets()
    site = geo.geocode("Sinpo")
    marked = {}
    for p in points:
        cls = p["style"]["className"]
        if "georange-target" in cls:
            marked[(p["lat"], p["lon"])] = "georange-in" in cls
    assert len(marked) == len(targets)
    for row in targets.itertuples():
        _, _, dist = GEOD.inv(site.lon, site.lat, row.lon, row.lat)
        assert marked[(round(row.lat, 6), round(row.lon, 6))] == (dist <= 1_500_000.0)
    seoul = next(p for p in points if p["lat"] == 37.5665)
    assert "in range" in seoul["p"] and " km from the site" in seoul["p"]


def test_popups_carry_the_evidence() -> None:
    html = render_html(catalog_map(targets=False))
    by_claim = {re.search(r"claim</th><td>([^<]+)<", s["p"]).group(1): s for s in specs(html)}
    assumed = by_claim["r4-assumed-range"]["p"]
    for text in (
        "1,500 km",
        "assumption (not reported)",
        "georange (assumption)",
        "2024-01-28",
        "range of the KCNA strategic cruise claim",
        "boundary within 100 m",
    ):
        assert text in assumed
    sites = [p for p in specs(html, "point") if "georange-site" in p["style"]["className"]]
    sinpo = next(p for p in sites if "Sinpo" in p["p"] or "Shinpo" in p["p"])
    assert "±3 km" in sinpo["p"] and "source" in sinpo["p"]


def test_only_leaflet_and_the_fullscreen_control_are_loaded() -> None:
    html = render_html(range_map(PYONGYANG, 5000))
    scripts = re.findall(r'<script src="([^"]+)"', html)
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert sorted(scripts + sheets) == sorted(a.url for a in MAP_ASSETS)
    assert "L.circle(" not in html and "L.Circle" not in html  # never a spherical circle
    assert "$(" not in html.split("<body>")[1]  # no jQuery in the page's own script


def test_every_url_folium_references_is_pinned() -> None:
    """The npm pins of tests/browser cover every CDN asset folium's default map uses."""
    import folium
    from folium.plugins import Fullscreen

    m = folium.Map(tiles=None)
    Fullscreen().add_to(m)
    page = m.get_root().render()
    urls = re.findall(r'(?:src|href)="(https://[^"]+)"', page)
    known = {a.url for a in FOLIUM_ASSETS}
    assert urls and set(urls) <= known
    pins = json.loads((Path(__file__).parents[1] / "browser" / "package.json").read_text())
    deps = pins["dependencies"]
    for asset in FOLIUM_ASSETS:
        if asset.package is not None:
            assert deps[asset.package] == asset.version
            assert f"{asset.package}@{asset.version}" in asset.url or asset.version in asset.url
    lock = json.loads((Path(__file__).parents[1] / "browser" / "package-lock.json").read_text())
    for name, version in deps.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_same_input_gives_byte_identical_html() -> None:
    one = render_html(range_map(PYONGYANG, [1500, 13000]))
    two = render_html(range_map(PYONGYANG, [1500, 13000]))
    assert one == two
    assert not re.search(r"[0-9a-f]{32}", one)  # no random branca ids left
    assert build_maps(targets=False) == build_maps(targets=False)


def test_ids_are_counted_per_build_and_restored_after() -> None:
    import folium
    from branca.element import Element

    with deterministic_ids():
        names = [folium.FeatureGroup().get_name() for _ in range(3)]
        with deterministic_ids():  # nested: the same counter
            names.append(folium.FeatureGroup().get_name())
    assert names == [f"feature_group_{i}" for i in (1, 2, 3, 4)]
    assert re.fullmatch(r"[0-9a-f]{32}", Element()._id)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_label_reaches_the_page_only_as_escaped_text(text: str) -> None:
    html = render_html(range_map((39.0, 125.7), 500, label=text))
    body = html.split("<body>", 1)[1]
    assert "<img" not in html
    assert "alert(2)</script>" not in html
    assert 'onmouseover="alert' not in html
    assert "{{" not in body and "{%" not in body and "{#" not in body
    for script in re.findall(r"<script>(.*?)</script>", html, re.S):
        assert "\u2028" not in script  # a line terminator in old JS string literals
    legend = re.search(r'georange\.control\(\w+, "topright", "[^"]*", (".*?")\);\n', html)
    assert legend
    shown = json.loads(legend.group(1))
    # the legend's HTML, as the browser parses it, shows the original text
    assert text in html_module.unescape(re.sub(r"<[^>]+>", "|", shown))


def test_template_syntax_in_data_is_not_evaluated() -> None:
    html = render_html(range_map((39.0, 125.7), 500, label="{{ 6*7 }}"))
    assert "42" not in re.sub(r"\d{3,}|\d+\.\d+|-?\d+,", "", html.split("<body>", 1)[1])
    assert "6*7" in html


def _events_csv(tmp_path: Path, text: str) -> Path:
    header = (
        "claim_id,event_id,date,date_precision,site,missile,range_km,range_kind,claimant,"
        "source,note,site_name\n"
    )
    path = tmp_path / "events.csv"
    path.write_text(header + text, encoding="utf-8")
    return path


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def test_hostile_catalog_text_is_escaped_on_every_page(tmp_path: Path) -> None:
    rows = []
    for i, bad in enumerate(HOSTILE):
        cells = [
            f"c{i}",
            f"e{i}<x>",
            "2024-01-0" + str(i + 1),
            "day",
            '"39.0, 125.7"',
            _csv_cell(bad),
            "700",
            "claimed",
            _csv_cell(bad),
            _csv_cell(bad),
            _csv_cell(bad),
            _csv_cell(bad),
        ]
        rows.append(",".join(cells))
    unlocated = [
        "u1",
        "eu",
        "",
        "unknown",
        "",
        _csv_cell(HOSTILE[0]),
        "",
        "",
        _csv_cell(HOSTILE[1]),
        "s",
        "n",
        "",
    ]
    rows.append(",".join(unlocated))
    pages = build_maps(_events_csv(tmp_path, "\n".join(rows) + "\n"), targets=False)
    assert "index.html" in pages and "overview.html" in pages
    for name, page in pages.items():
        assert "<img" not in page, name
        assert "alert(2)</script>" not in page, name
        assert 'onmouseover="alert' not in page, name
        assert "{{" not in page.split("<body>", 1)[1], name
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages["index.html"]


def test_time_slider_orders_claims_by_date() -> None:
    html = render_html(catalog_map(targets=False))
    match = re.search(r"georange\.slider\(\w+, (\[.*?\]), \[(.*?)\]\);", html)
    assert match
    labels = json.loads(match.group(1))
    assert labels == ["up to 2024-01-28 (1 footprint)", "all, including 1 without a known year (2)"]
    entries = re.findall(r"\[(\w+),(\d+)\]", match.group(2))
    assert sorted(int(i) for _, i in entries) == [0, 1]
    # the slider's layers are defined before the slider script runs
    for group, _ in entries:
        assert html.index(f"var {group} = ") < match.start()


def test_site_reach_map_draws_each_class_as_concentric_footprints() -> None:
    html = render_html(site_reach_map("Sinpo", targets=False))
    drawn = specs(html)
    classes = geo.load_missiles().groupby("class")["range_max_km"].max()
    assert len(drawn) == len(classes)
    ranges = [
        float(re.search(r"range</th><td>([\d,]+) km", s["p"]).group(1).replace(",", ""))
        for s in drawn
    ]
    assert ranges == sorted(classes.tolist(), reverse=True)


def test_build_lists_every_map_and_the_unlocated_claims() -> None:
    pages = build_maps(targets=False)
    index = pages["index.html"]
    links = re.findall(r'href="([^"]+)"', index)
    assert set(links) == set(pages) - {"index.html"}
    catalog = geo.load_catalog()
    for claim in catalog.loc[~catalog["located"], "claim_id"]:
        assert f"<td>{claim}</td>" in index
    for event in catalog.loc[catalog["located"], "event_id"].unique():
        assert f"event-{event}.html" in pages
    assert {"site-sinpo.html", "site-kimchaek.html"} <= set(pages)


def test_unresolvable_site_and_bad_range_raise_georange_errors() -> None:
    with pytest.raises(geo.UnknownSiteError):
        range_map("Nowhere Such Place", 100)
    with pytest.raises(geo.InvalidRangeError):
        range_map((39.0, 125.0), -1)
    with pytest.raises(geo.InvalidRangeError):
        range_map((39.0, 125.0), [])


@given(st.text(max_size=60))
def test_script_json_never_breaks_out_and_round_trips(text: str) -> None:
    value = {"p": text, "t": [text, 1, 2.5], "z": {"k": text}}
    out = _js_json(value)
    assert "<" not in out and ">" not in out and "&" not in out
    assert "{{" not in out and "{%" not in out and "{#" not in out
    assert "\u2028" not in out and "\u2029" not in out
    assert json.loads(out) == value


@pytest.mark.slow
def test_cns_overview_is_under_40_kb_per_footprint(shared_data: Path, tmp_path: Path) -> None:
    from geo.catalog import import_cns, write_events

    source = shared_data / "cns_nk_missile_test_database_2023-04.csv"
    if not source.is_file():
        pytest.skip(f"{source} is absent")
    events = tmp_path / "cns.csv"
    write_events(import_cns(source).events, events)
    catalog = geo.load_catalog(events)
    html = render_html(catalog_map(catalog))
    n = len(specs(html))
    assert n == int((catalog["located"] & catalog["range_km"].notna()).sum()) > 100
    assert len(html.encode("utf-8")) / n < 40_000


def test_frames_with_no_drawable_claim_still_make_a_map() -> None:
    catalog = geo.load_catalog()
    only_unlocated = catalog[~catalog["located"]]
    html = render_html(catalog_map(pd.DataFrame(only_unlocated), targets=False))
    assert specs(html) == [] and "no claim here has a range to draw" in html


@pytest.mark.parametrize(
    ("site", "range_km", "options", "outlines"),
    [
        ((90.0, 0.0), 1000.0, {}, 1),  # a site on the North Pole
        ((-90.0, 0.0), 1500.0, {}, 1),  # on the South Pole
        ((39.0339, 125.7543), 19000.0, {}, 1),  # the world minus a cap around the antipode
        ((0.0, 0.0), 19999.0, {}, 0),  # the whole globe: no boundary to draw
        ((39.0, 125.7), 3000.0, {"bearing": (30.0, 120.0)}, 1),  # a sector
        ((39.0, 125.7), 3000.0, {"min_range_km": 1000.0}, 2),  # an annulus: two rings
        ((0.0, 180.0), 500.0, {}, 1),  # a site on the antimeridian
        ((89.9, 10.0), 5000.0, {"bearing": (350.0, 20.0)}, 1),  # a sector across the pole
    ],
)
def test_edge_cases_render_with_a_sensible_view(
    site: tuple[float, float], range_km: float, options: dict[str, Any], outlines: int
) -> None:
    html = render_html(range_map(site, range_km, targets=False, **options))
    [spec] = specs(html)
    assert len(spec["l"]) == outlines
    (south, west), (north, east) = fit_bounds(html)
    assert -85.0 <= south < north <= 85.0
    assert 0.0 < east - west <= 360.0
    assert west <= site[1] <= east or west <= site[1] + 360 <= east
    if abs(site[0]) < 89:
        assert south <= site[0] <= north
    else:  # a polar cap: its latitudes are in view, and so is the equator side
        assert (south <= 80.0 <= north) if site[0] > 0 else (south <= -75.0 <= north)


@given(
    lat=st.floats(-89.5, 89.5),
    lon=st.floats(-180.0, 180.0),
    range_km=st.floats(10.0, 19_500.0),
)
def test_drawn_outline_vertices_are_on_the_range_by_geod_inv(
    lat: float, lon: float, range_km: float
) -> None:
    """Invariant: what the page draws (rounded, delta-encoded) stays within the tolerance."""
    from geo.maps._elements import _decimals, _encode

    display = geo.footprint_display(lat, lon, range_km)
    d = _decimals(display.tolerance_m)
    for line in display.outlines:
        pts = decode(_encode(line.coords, d, closed=False), d)
        n = len(pts)
        _, _, dist = GEOD.inv(np.full(n, lon), np.full(n, lat), pts[:, 1], pts[:, 0])
        assert np.max(np.abs(dist - range_km * 1000.0)) <= 0.36 * display.tolerance_m
        assert np.max(np.abs(np.diff(pts[:, 1]))) < 180.0  # continuous: no wrap inside a line
        assert pts[:, 1].max() - pts[:, 1].min() <= 360.0 + 1e-6


def test_maps_leave_folium_defaults_alone() -> None:
    import folium

    range_map(PYONGYANG, 1500, targets=False)
    urls = [url for _, url in folium.Map().default_js]
    assert any("jquery" in u for u in urls)  # our maps set their assets per instance only


def test_notebook_display_shows_the_map() -> None:
    m = range_map("Sinpo", 1500, targets=False)
    shown = m._repr_html_()
    assert "iframe" in shown and "georange.footprint(" in html_module.unescape(shown)


def test_footprint_popups_summarize_reach_and_target_popups_give_margins() -> None:
    """Each footprint's popup says which targets and how many people lie in range (numbers
    recomputed here with Geod.inv); each target's popup gives its distance and margin."""
    html = render_html(range_map("Sinpo", 1500))
    (spec,) = specs(html)
    popup = html_module.unescape(spec["p"])
    site = geo.geocode("Sinpo")
    targets = geo.load_targets()
    _, _, d = GEOD.inv(
        np.full(len(targets), site.lon), np.full(len(targets), site.lat), targets.lon, targets.lat
    )
    inside = targets[np.asarray(d) <= 1_500_000.0]
    assert f"targets in range</th><td>{len(inside)} of {len(targets)}: Seoul" in popup
    cities = geo.load_cities()
    _, _, dc = GEOD.inv(
        np.full(len(cities), site.lon), np.full(len(cities), site.lat), cities.lon, cities.lat
    )
    near = cities[np.asarray(dc) <= 1_500_000.0]
    assert f"{len(near):,} of 15,000+ people, population {int(near.population.sum()):,}" in popup
    guam = next(p for p in specs(html, "point") if p["lat"] == 13.584)
    guam_text = html_module.unescape(guam["p"])
    assert "3,357 km from the site, out of range (margin -1,857 km)" in guam_text


def legend_text(html: str) -> str:
    """The legend as the reader sees it (tags dropped, entities decoded)."""
    legend = re.search(r'georange\.control\(\w+, "topright", "[^"]*", (".*?")\);\n', html)
    assert legend
    return html_module.unescape(re.sub(r"<[^>]+>", " | ", json.loads(legend.group(1))))


def test_the_legend_states_the_annulus_sector_in_full() -> None:
    """The issue: the legend said only 'range 2,000 km'."""
    m = range_map("Pyongyang", 2000, min_range_km=1000, bearing=(90, 200), targets=False)
    text = legend_text(render_html(m))
    assert "launch site: Pyongyang" in text
    for fact in (
        "maximum range: 2,000 km",
        "minimum range: 1,000 km",
        "bearings: 90° to 200° clockwise",
        "missile: not given",
        "date: not given",
        "claimant: not given",
        "kind: as given",
    ):
        assert fact in text, (fact, text)


def test_the_legend_of_an_event_states_missile_date_claimant_kind_source() -> None:
    catalog = geo.load_catalog()
    row = catalog[catalog["located"] & catalog["range_km"].notna()].iloc[0]
    text = legend_text(render_html(catalog_map(catalog.loc[[row.name]], targets=False)))
    for label, value in (
        ("missile", row["missile"]),
        ("claimant", row["claimant"]),
        ("range", f"{row['range_km']:,.0f} km"),
        ("source", str(row["source"])[:40]),
    ):
        assert f"{label}: {value}" in text, (label, text)
    assert "kind: " in text and "date: " in text and "site: " in text


def test_layer_names_stay_short() -> None:
    """Layer names name the footprint; the full provenance is in the legend and popups."""
    pages = [
        render_html(range_map("Pyongyang", 2000, min_range_km=1000, bearing=(90, 200))),
        render_html(geo.lofted_map("Pyongyang", 4475, 950, 3180, targets=False)),
        render_html(catalog_map()),
    ]
    for html in pages:
        layers = re.search(r"overlays :\s*\{(.*?)\}", html, re.S)
        assert layers
        names = [json.loads(n) for n in re.findall(r'("(?:[^"\\]|\\.)*")\s*:', layers.group(1))]
        assert names and all(len(n) <= 60 for n in names), names


def test_shipped_assets_are_the_npm_files_folium_references() -> None:
    """geo/maps/static/vendor holds the exact files of the pinned npm packages, with licences."""
    from geo.maps import npm_file, offline_files, vendor_file

    node_modules = Path(__file__).resolve().parents[1] / "browser" / "node_modules"
    if not (node_modules / "leaflet" / "package.json").is_file():
        pytest.skip("needs the npm copies in tests/browser/node_modules (make assets)")
    shipped = offline_files()
    for asset in MAP_ASSETS:
        local = vendor_file(asset.url)
        assert local is not None, asset.url
        npm = npm_file(asset.url, node_modules)
        assert npm is not None and local.read_bytes() == npm.read_bytes(), asset.url
        licence = f"{local.parent.name}/LICENSE"
        assert shipped[licence] == (node_modules / str(asset.package) / "LICENSE").read_bytes()
