"""Reachable from any of several sites: one valid geometry, right across the dateline and poles.

Every sampled point is classified by Geod.inv (in if some launch reaches it); the union
geometry may only disagree within the footprint tolerance of a true boundary, and the
exact verdict ``geo.within_any_range`` may not disagree at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from checks import assert_rfc7946
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon

import geo
from geo.errors import CatalogError, InvalidRangeError
from geo.footprint import default_tolerance_m

GEOD = Geod(ellps="WGS84")

Launch = tuple[tuple[float, float], float, float]

CASES: dict[str, list[Launch]] = {
    "dateline-fiji-samoa": [
        ((-17.7134, 178.065), 1000.0, 0.0),
        ((-13.8333, -171.7667), 1200.0, 0.0),
    ],
    "north-pole-thule-svalbard-alert": [
        ((76.5312, -68.7031), 2000.0, 0.0),
        ((78.2232, 15.6267), 1500.0, 0.0),
        ((82.5018, -62.3481), 1000.0, 0.0),
    ],
    "south-pole-mcmurdo-pole": [((-77.8463, 166.6682), 1500.0, 0.0), ((-90.0, 0.0), 800.0, 0.0)],
    "pole-enclosing-and-inside": [
        ((39.0339, 125.7543), 13000.0, 0.0),
        ((40.0347, 128.1856), 1500.0, 0.0),
    ],
    "disjoint": [((40.0347, 128.1856), 1500.0, 0.0), ((38.9072, -77.0369), 500.0, 0.0)],
    "annulus-hole-partly-filled": [
        ((39.0339, 125.7543), 5000.0, 1000.0),
        ((40.0347, 128.1856), 300.0, 0.0),
    ],
    "world-minus-cap-plus-cap": [
        ((39.0339, 125.7543), 19000.0, 0.0),
        ((-39.0339, -54.2457), 1500.0, 0.0),
    ],
}


def sample(n: int, seed: int, launches: list[Launch]) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points plus points scattered within 20 km of every launch's boundaries."""
    rng = np.random.default_rng(seed)
    lats = [np.degrees(np.arcsin(rng.uniform(-1, 1, n)))]
    lons = [rng.uniform(-180, 180, n)]
    for (lat, lon), r, m in launches:
        for radius in (r, m) if m else (r,):
            k = n // 2
            lo, la, _ = GEOD.fwd(
                np.full(k, lon),
                np.full(k, lat),
                rng.uniform(0, 360, k),
                np.clip(radius * 1000 + rng.uniform(-20e3, 20e3, k), 0, None),
            )
            lats.append(np.asarray(la))
            lons.append(np.asarray(lo))
    return np.concatenate(lats), np.concatenate(lons)


def truth_any(
    launches: list[Launch], lat: np.ndarray, lon: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(reachable from any launch, distance to the nearest true boundary in m) by Geod.inv."""
    n = lat.size
    inside = np.zeros(n, dtype=bool)
    margin = np.full(n, np.inf)
    for (la, lo), r, m in launches:
        _, _, d = GEOD.inv(np.full(n, lo), np.full(n, la), lon, lat)
        d = np.asarray(d)
        inside |= (d <= r * 1000) & (d >= m * 1000)
        margin = np.minimum(margin, np.abs(d - r * 1000))
        if m:
            margin = np.minimum(margin, np.abs(d - m * 1000))
    return inside, margin


@pytest.mark.parametrize("name", list(CASES))
def test_union_is_valid_and_agrees_with_geod_inv(name: str) -> None:
    launches = CASES[name]
    union = geo.reach_union(launches)
    assert isinstance(union, Polygon | MultiPolygon)
    assert not union.is_empty
    assert_rfc7946(union)
    lat, lon = sample(100_000, len(name), launches)
    inside, margin = truth_any(launches, lat, lon)
    got = shapely.contains_xy(union, lon, lat) | shapely.intersects_xy(union.boundary, lon, lat)
    wrong = got != inside
    tolerance_m = max(default_tolerance_m(r) for _, r, _ in launches)
    # a misclassified point must lie within the boundary tolerance of a true boundary
    assert (margin[wrong] <= tolerance_m * 1.01).all(), margin[wrong].max(initial=0)
    # and the exact verdict is exact
    assert np.array_equal(geo.within_any_range(launches, lat, lon), inside)


def test_union_area_lies_between_the_largest_part_and_the_sum() -> None:
    launches = CASES["dateline-fiji-samoa"]
    from geo.footprint import footprint

    parts = [footprint(la, lo, r) for (la, lo), r, _ in launches]

    def area(g: Polygon | MultiPolygon) -> float:
        return sum(abs(GEOD.geometry_area_perimeter(p)[0]) for p in shapely.get_parts(g))

    union = geo.reach_union(launches)
    a = area(union)
    assert max(area(p) for p in parts) < a < sum(area(p) for p in parts)


def test_union_that_covers_the_globe_is_the_whole_lon_lat_plane() -> None:
    union = geo.reach_union(CASES["world-minus-cap-plus-cap"])
    assert union.area == pytest.approx(360 * 180)


def test_union_from_a_dataframe_and_from_names() -> None:
    frame = pd.DataFrame(
        {"lat": [40.0347, 38.9072], "lon": [128.1856, -77.0369], "range_km": [1500, 500]}
    )
    by_frame = geo.reach_union(frame)
    by_pairs = geo.reach_union([((40.0347, 128.1856), 1500), ((38.9072, -77.0369), 500)])
    assert by_frame.equals(by_pairs)
    by_name = geo.reach_union([("Sinpo", 1500), ((38.9072, -77.0369), 500)])
    assert by_name.equals(by_pairs)


def test_bad_launches_are_errors() -> None:
    with pytest.raises(InvalidRangeError, match="no launches"):
        geo.reach_union([])
    with pytest.raises(InvalidRangeError, match="not \\(site, range_km\\)"):
        geo.reach_union([(40.0, 128.0)])
    with pytest.raises(InvalidRangeError):
        geo.reach_union([((40.0, 128.0), -1)])
    with pytest.raises(CatalogError, match="range_km"):
        geo.reach_union(pd.DataFrame({"lat": [1.0], "lon": [2.0]}))
