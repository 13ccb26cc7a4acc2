"""The bundled basemap: valid layers, land where land is, coast and borders consistent."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from geo import BasemapError, basemap_layers
from geo.basemap import LAYERS, basemap_path

ROUNDING_DEG = 1e-3  # the files keep 3 decimals


@pytest.fixture(scope="module")
def layers():
    return basemap_layers()


def test_layers_are_valid_and_typed(layers):
    assert layers.land.geom_type == "MultiPolygon" and layers.land.is_valid
    assert layers.coastline.geom_type == "MultiLineString" and not layers.coastline.is_empty
    assert layers.borders.geom_type == "MultiLineString" and not layers.borders.is_empty
    assert layers.provinces.geometry.is_valid.all()
    minx, miny, maxx, maxy = layers.land.bounds
    assert minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90


@pytest.mark.parametrize(
    ("lat", "lon", "land"),
    [
        (39.0392, 125.7625, True),  # Pyongyang
        (35.68, 139.65, True),  # Tokyo
        (-80.0, 0.0, True),  # Antarctica, closed along the south pole
        (68.0, 179.0, True),  # Chukotka, west of the antimeridian cut
        (68.0, -179.0, True),  # ... and east of it
        (40.0, 135.0, False),  # Sea of Japan
        (0.0, -140.0, False),  # Pacific
        (-17.0, -179.99, False),  # Fiji's waters on the far side of the cut
    ],
)
def test_land_and_sea(layers, lat, lon, land):
    assert layers.land.contains(Point(lon, lat)) is land


def test_coastline_lies_on_the_land_boundary(layers):
    pts = shapely.points(shapely.get_coordinates(layers.coastline))
    assert shapely.distance(layers.land.boundary, pts).max() <= ROUNDING_DEG


def test_land_boundary_off_the_coast_is_only_the_antimeridian_and_pole_cuts(layers):
    rest = layers.land.boundary.difference(layers.coastline.buffer(2 * ROUNDING_DEG))
    xy = shapely.get_coordinates(rest)
    on_cut = (np.abs(np.abs(xy[:, 0]) - 180.0) < 0.01) | (xy[:, 1] < -89.99)
    assert on_cut.all(), xy[~on_cut][:5]


def test_borders_run_over_land_and_end_on_the_coast_or_another_border(layers):
    pts = shapely.points(shapely.get_coordinates(layers.borders))
    assert shapely.dwithin(layers.land, pts, ROUNDING_DEG).all()
    lines = list(layers.borders.geoms)
    for i, line in enumerate(lines):
        if line.is_ring:
            continue
        others = shapely.union_all([layers.coastline, *lines[:i], *lines[i + 1 :]])
        for end in (line.coords[0], line.coords[-1]):
            assert others.distance(Point(end)) <= ROUNDING_DEG, end


def test_provinces_of_both_koreas(layers):
    p = layers.provinces
    assert (p["country"] == "KP").sum() == 11  # Natural Earth 1:10m admin-1
    assert (p["country"] == "KR").sum() == 17
    assert p["iso_3166_2"].is_unique
    pyongyang = p[p.contains(Point(125.7625, 39.0392))]
    assert list(pyongyang["iso_3166_2"]) == ["KP-01"]


def test_sources_and_bytes(layers):
    total = 0
    for layer in LAYERS:
        meta = layers.sources[layer]
        assert "Natural Earth" in meta["source"] and "public domain" in meta["licence"]
        total += basemap_path(layer).stat().st_size
    assert total < 1_500_000


def test_unknown_layer_is_a_clear_error():
    with pytest.raises(BasemapError, match=r"unknown basemap layer 'rivers'.*'land'"):
        basemap_path("rivers")
