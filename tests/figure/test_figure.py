"""Print figures: filled where they should be (pole, dateline), valid files, same bytes twice.

Pixels are located with an independent AEQD / Equal Earth transformer (pyproj) and the
axes' own data-to-pixel transform; colours are compared with the fill blended over the
basemap colour that the bundled land polygons say is there.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image
from pyproj import Geod, Transformer
from shapely.geometry import Point

import geo
from geo.basemap import basemap_layers
from geo.figure._basemap import LAND, SEA
from geo.figure._draw import FILL_ALPHA, PALETTE
from geo.figure._project import aeqd_footprint, aeqd_view

GEOD = Geod(ellps="WGS84")
PYONGYANG = (39.0392, 125.7625)
FIJI = (-17.7134, 178.065)
TOL = 6 / 255  # antialiasing of thin graticule lines nearby


def _pixels(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[:, :, :3] / 255.0


def _colour_at(fig, img, crs, lat, lon):
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    px, py = fig.axes[0].transData.transform((x, y))
    row, col = int(np.rint(img.shape[0] - py)), int(np.rint(px))
    patch = img[row - 2 : row + 3, col - 2 : col + 3].reshape(-1, 3)
    return np.median(patch, axis=0)


def _background(lat, lon):
    return np.array(to_rgb(LAND if basemap_layers().land.contains(Point(lon, lat)) else SEA))


def _filled(lat, lon, colour=PALETTE[0]):
    return (1 - FILL_ALPHA) * _background(lat, lon) + FILL_ALPHA * np.array(to_rgb(colour))


def _aeqd(site):
    return f"+proj=aeqd +lat_0={site[0]} +lon_0={site[1]} +datum=WGS84 +units=m"


@pytest.fixture(scope="module")
def pole_case():
    fig = geo.range_figure(PYONGYANG, 13000, targets=False)
    return fig, _pixels(fig)


@pytest.fixture(scope="module")
def fiji_case():
    fig = geo.range_figure(FIJI, 1000, targets=False)
    return fig, _pixels(fig)


def test_pole_inside_the_13000_km_footprint(pole_case):
    fig, img = pole_case
    got = _colour_at(fig, img, _aeqd(PYONGYANG), 90.0, 0.0)
    assert np.abs(got - _filled(90.0, 0.0)).max() <= TOL


def test_point_beyond_13000_km_is_bare_basemap(pole_case):
    fig, img = pole_case
    lon, lat, _ = GEOD.fwd(PYONGYANG[1], PYONGYANG[0], 180.0, 14_000_000.0)
    assert GEOD.inv(PYONGYANG[1], PYONGYANG[0], lon, lat)[2] > 13_000_000
    got = _colour_at(fig, img, _aeqd(PYONGYANG), lat, lon)
    assert np.abs(got - _background(lat, lon)).max() <= TOL


@pytest.mark.parametrize("lon", [179.6, -179.6])
def test_dateline_both_sides_inside_fiji_1000_km(fiji_case, lon):
    fig, img = fiji_case
    lat = -19.5
    assert GEOD.inv(FIJI[1], FIJI[0], lon, lat)[2] < 1_000_000
    got = _colour_at(fig, img, _aeqd(FIJI), lat, lon)
    assert np.abs(got - _filled(lat, lon)).max() <= TOL


def test_point_beyond_1000_km_of_fiji_is_bare(fiji_case):
    fig, img = fiji_case
    lon, lat, _ = GEOD.fwd(FIJI[1], FIJI[0], 300.0, 1_100_000.0)
    got = _colour_at(fig, img, _aeqd(FIJI), lat, lon)
    assert np.abs(got - _background(lat, lon)).max() <= TOL


@pytest.mark.parametrize("lon", [179.6, -179.6])
def test_world_view_fills_both_sides_of_the_cut(lon):
    fig = geo.range_figure(FIJI, 1000, projection="world", targets=False)
    img = _pixels(fig)
    got = _colour_at(fig, img, "+proj=eqearth +lon_0=0 +datum=WGS84 +units=m", -19.5, lon)
    assert np.abs(got - _filled(-19.5, lon)).max() <= TOL


def test_land_and_sea_differ_in_the_figure():
    sinpo = (40.0347, 128.1856)
    fig = geo.range_figure(sinpo, 1000, targets=False)
    img = _pixels(fig)
    land = _colour_at(fig, img, _aeqd(sinpo), *PYONGYANG)
    sea = _colour_at(fig, img, _aeqd(sinpo), 40.0, 135.0)
    assert np.abs(land - _filled(*PYONGYANG)).max() <= TOL
    assert np.abs(sea - _filled(40.0, 135.0)).max() <= TOL
    assert np.abs(land - sea).max() > 0.05


@pytest.mark.parametrize(
    ("range_km", "min_km", "bearing"),
    [(1500, 0, None), (13000, 0, None), (2000, 1000, (90, 200)), (19000, 0, None)],
)
def test_aeqd_outline_is_at_the_range_by_geod_inv(range_km, min_km, bearing):
    view = aeqd_view(*PYONGYANG, range_km)
    _, outline = aeqd_footprint(
        view,
        range_km,
        min_range_km=min_km,
        bearing=bearing,
        tolerance_m=100.0,
        whole_globe=False,
    )
    xy = np.vstack([np.asarray(g.coords) for g in getattr(outline, "geoms", [outline])])
    back = Transformer.from_crs(_aeqd(PYONGYANG), "EPSG:4326", always_xy=True)
    lon, lat = back.transform(xy[:, 0], xy[:, 1])
    r = np.hypot(xy[:, 0], xy[:, 1])
    on_arc = r > 1.0  # the apex of a sector with no minimum range is the site itself
    d = GEOD.inv(
        np.full(on_arc.sum(), PYONGYANG[1]),
        np.full(on_arc.sum(), PYONGYANG[0]),
        lon[on_arc],
        lat[on_arc],
    )[2]
    arcs = np.minimum(np.abs(d - range_km * 1000), np.abs(d - min_km * 1000) if min_km else np.inf)
    sides = np.abs(d - r[on_arc])  # radial sides: distance = radius
    assert np.minimum(arcs, sides).max() < 1.0  # metres


def test_svg_parses_and_holds_paths_and_labels(tmp_path):
    fig = geo.range_figure("Pyongyang", 1500)
    out = geo.save_figure(fig, tmp_path / "f.svg")
    root = ET.parse(out).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == ns + "svg"
    assert len(list(root.iter(ns + "path"))) > 50
    labels = [g for g in root.iter(ns + "g") if g.get("id", "").startswith("georange-label")]
    assert labels


def test_png_size_and_dpi(tmp_path):
    fig = geo.range_figure(PYONGYANG, 1500, targets=False)
    out = geo.save_figure(fig, tmp_path / "f.png")
    with Image.open(out) as im:
        w_in, h_in = fig.get_size_inches()
        assert im.size == (round(w_in * 300), round(h_in * 300))
        assert im.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    assert fig.get_figwidth() == pytest.approx(7.0)


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_same_bytes_twice(tmp_path, suffix):
    a = geo.save_figure(geo.range_figure("Sinpo", 1500), tmp_path / f"a.{suffix}")
    b = geo.save_figure(geo.range_figure("Sinpo", 1500), tmp_path / f"b.{suffix}")
    assert a.read_bytes() == b.read_bytes()


def test_labels_do_not_overlap_and_stay_in_the_frame():
    fig = geo.range_figure("Pyongyang", [1500, 13000])
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    frame = ax.get_window_extent(renderer)
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() == "georange-label"]
    assert len(boxes) >= 8
    for i, a in enumerate(boxes):
        assert frame.x0 <= a.x0 and a.x1 <= frame.x1 and frame.y0 <= a.y0 and a.y1 <= frame.y1
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


def test_legend_states_the_provenance():
    fig = geo.range_figure(
        "Sohae",
        2000,
        min_range_km=1000,
        bearing=(90, 200),
        missile="Hwasong-15",
        date="2017-11-29",
        claimant="KCNA",
        kind="claimed",
        targets=False,
    )
    text = "\n".join(t.get_text() for t in fig.texts)
    for needed in (
        "Sohae",
        "precision ±1 km",
        "2,000 km",
        "minimum range 1,000 km",
        "bearings 90° to 200°",
        "Hwasong-15",
        "2017-11-29",
        "KCNA",
        "claimed maximum range",
        "azimuthal equidistant",
        "Natural Earth",
        "WGS84 geodesics",
    ):
        assert needed in text, needed


def test_jupyter_shows_it_as_png():
    fig = geo.range_figure(PYONGYANG, 500, targets=False)
    png = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(png)).size[0] == 700


def test_bad_projection_and_suffix_are_clear_errors(tmp_path):
    with pytest.raises(geo.GeorangeError, match="unknown projection 'mercator'"):
        geo.range_figure(PYONGYANG, 500, projection="mercator", targets=False)
    fig = geo.range_figure(PYONGYANG, 500, targets=False)
    with pytest.raises(geo.GeorangeError, match=r"\.png, \.svg or \.pdf"):
        geo.save_figure(fig, tmp_path / "f.jpg")
    with pytest.raises(geo.InvalidRangeError):
        geo.range_figure(PYONGYANG, -5, targets=False)
