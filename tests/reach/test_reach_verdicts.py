"""Exact verdicts: the fast path agrees with Geod.inv on every one of 10**6 points per case.

The truth is always computed here, independently, with pyproj's ``Geod.inv`` on every
point; ``geo.within_range`` must give the very same booleans.  Cases cover the
dateline, both poles, a site on a pole, ranges through both poles and near the
antipodal distance, annuli, sectors, tiny ranges, and points placed within 1 m of
the range (where only ``Geod.inv`` can decide).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from pyproj import Geod

import geo
from geo.reach import R_MAX_M, R_MIN_M

GEOD = Geod(ellps="WGS84")
N = 10**6

Sampler = Callable[[np.random.Generator, int], tuple[np.ndarray, np.ndarray]]


def truth(
    site: tuple[float, float],
    range_km: float,
    lat: np.ndarray,
    lon: np.ndarray,
    *,
    min_range_km: float = 0.0,
    bearing: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(inside, distance_m) by Geod.inv on every point."""
    n = lat.size
    az, _, d = GEOD.inv(np.full(n, site[1]), np.full(n, site[0]), lon, lat)
    d = np.asarray(d)
    inside = (d <= range_km * 1000.0) & (d >= min_range_km * 1000.0)
    if bearing is not None:
        start, end = bearing
        span = (end - start) % 360.0 or 360.0
        inside &= ((np.asarray(az) % 360.0 - start) % 360.0 <= span) | (d == 0.0)
    return inside, d


def uniform_globe(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n))), rng.uniform(-180.0, 180.0, n)


def cap(lat_edge: float) -> Sampler:
    """Uniform over the polar cap beyond ``lat_edge`` (north if positive, south if negative)."""

    def sample(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        s = np.sin(np.radians(abs(lat_edge)))
        lat = np.degrees(np.arcsin(rng.uniform(s, 1.0, n))) * np.sign(lat_edge)
        return lat, rng.uniform(-180.0, 180.0, n)

    return sample


def box(lat1: float, lat2: float, lon1: float, lon2: float) -> Sampler:
    """Uniform in lon/lat over a box; ``lon2 < lon1`` means the box crosses the dateline."""

    def sample(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        width = (lon2 - lon1) % 360.0
        lon = (lon1 + rng.uniform(0.0, width, n) + 180.0) % 360.0 - 180.0
        return rng.uniform(lat1, lat2, n), lon

    return sample


def near_range(site: tuple[float, float], range_km: float, band_m: float = 1.0) -> Sampler:
    """Points at the range +/- up to ``band_m`` metres, at random azimuths, by Geod.fwd."""

    def sample(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        dist = range_km * 1000.0 + rng.uniform(-band_m, band_m, n)
        lon, lat, _ = GEOD.fwd(
            np.full(n, site[1]), np.full(n, site[0]), rng.uniform(0.0, 360.0, n), dist
        )
        return np.asarray(lat), np.asarray(lon)

    return sample


# (id, site, range_km, min_range_km, bearing, sampler)
CASES = [
    ("sinpo-1500-globe", (40.0347, 128.1856), 1500.0, 0.0, None, uniform_globe),
    ("sinpo-1500-region", (40.0347, 128.1856), 1500.0, 0.0, None, box(20, 60, 105, 150)),
    ("fiji-dateline", (-17.7134, 178.065), 2500.0, 0.0, None, box(-45, 10, 145, -150)),
    ("site-on-dateline", (10.0, 180.0), 800.0, 0.0, None, box(-2, 22, 170, -170)),
    ("thule-north-cap", (76.5312, -68.7031), 2000.0, 0.0, None, cap(55.0)),
    ("near-north-pole", (89.9, 45.0), 1200.0, 0.0, None, cap(70.0)),
    ("mcmurdo-south-cap", (-77.8463, 166.6682), 1500.0, 0.0, None, cap(-55.0)),
    ("on-south-pole", (-90.0, 0.0), 2222.0, 0.0, None, cap(-60.0)),
    ("pyongyang-13000", (39.0339, 125.7543), 13000.0, 0.0, None, uniform_globe),
    ("equator-both-poles", (0.0, 30.0), 10001.97, 0.0, None, uniform_globe),
    ("near-antipodal-19990", (39.0339, 125.7543), 19990.0, 0.0, None, uniform_globe),
    ("annulus-1000-5000", (39.0339, 125.7543), 5000.0, 1000.0, None, uniform_globe),
    ("sector-350-20", (39.0339, 125.7543), 5000.0, 0.0, (350.0, 20.0), box(30, 90, 90, 170)),
    (
        "tiny-range-50m",
        (40.0347, 128.1856),
        0.05,
        0.0,
        None,
        box(40.033, 40.0365, 128.183, 128.188),
    ),
]

# the boundary itself: every point within 1 m of the range
BAND_CASES = [
    ("band-sinpo", (40.0347, 128.1856), 1500.0),
    ("band-site-at-180", (10.0, -180.0), 2500.0),
    ("band-north-pole-enclosing", (76.5312, -68.7031), 2000.0),
    ("band-south-pole-enclosing", (-77.8463, 166.6682), 1500.0),
    ("band-on-north-pole", (90.0, 0.0), 3000.0),
    ("band-both-poles", (0.0, 30.0), 10001.97),
    # short of the cut locus: beyond it Geod.fwd's end point is not at that geodesic distance
    ("band-19500", (39.0339, 125.7543), 19500.0),
    ("band-1km", (51.5, -0.12), 1.0),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("site", "range_km", "min_range_km", "bearing", "sampler"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_verdicts_match_geod_inv_on_a_million_points(
    site: tuple[float, float],
    range_km: float,
    min_range_km: float,
    bearing: tuple[float, float] | None,
    sampler: Sampler,
) -> None:
    rng = np.random.default_rng(abs(hash((site, range_km))) % 2**32)
    lat, lon = sampler(rng, N)
    expected, _ = truth(site, range_km, lat, lon, min_range_km=min_range_km, bearing=bearing)
    got = geo.within_range(site, range_km, lat, lon, min_range_km=min_range_km, bearing=bearing)
    assert got.dtype == bool and got.shape == (N,)
    assert (expected.any() and not expected.all()) or range_km > 19000
    mismatched = np.flatnonzero(got != expected)
    assert mismatched.size == 0, (mismatched[:10], lat[mismatched[:10]], lon[mismatched[:10]])


@pytest.mark.slow
@pytest.mark.parametrize(("site", "range_km"), [pytest.param(*c[1:], id=c[0]) for c in BAND_CASES])
def test_verdicts_within_one_metre_of_the_range(site: tuple[float, float], range_km: float) -> None:
    rng = np.random.default_rng(int(range_km * 1000) % 2**32)
    lat, lon = near_range(site, range_km)(rng, N)
    expected, d = truth(site, range_km, lat, lon)
    # the sample really is the boundary: every point within 1 m (+ Geod round-trip noise)
    assert np.abs(d - range_km * 1000.0).max() <= 1.0 + 1e-6
    assert 0.3 < expected.mean() < 0.7
    got = geo.within_range(site, range_km, lat, lon)
    assert np.array_equal(got, expected)


@pytest.mark.slow
def test_annulus_inner_boundary_within_one_metre() -> None:
    site, r, m = (39.0339, 125.7543), 5000.0, 1000.0
    rng = np.random.default_rng(7)
    lat, lon = near_range(site, m)(rng, N)
    expected, _ = truth(site, r, lat, lon, min_range_km=m)
    assert 0.3 < expected.mean() < 0.7
    assert np.array_equal(geo.within_range(site, r, lat, lon, min_range_km=m), expected)


def test_prefilter_bounds_are_the_extreme_radii_of_curvature() -> None:
    """R_MIN_M = b^2/a and R_MAX_M = a^2/b bracket the geodesic / central-angle ratio."""
    a, b = GEOD.a, GEOD.b
    assert pytest.approx(b * b / a, rel=1e-15) == R_MIN_M
    assert pytest.approx(a * a / b, rel=1e-15) == R_MAX_M
    # meridian radius at the equator and either radius at the pole attain them
    e2 = 1 - (b / a) ** 2
    assert a * (1 - e2) == pytest.approx(R_MIN_M, rel=1e-12)
    assert a / np.sqrt(1 - e2) == pytest.approx(R_MAX_M, rel=1e-12)


def test_ratio_of_geodesic_to_central_angle_stays_inside_the_bounds() -> None:
    """The theorem the prefilter rests on, checked on 200,000 random pairs (all scales)."""
    rng = np.random.default_rng(3)
    n = 200_000
    lat1, lon1 = uniform_globe(rng, n)
    # half the pairs near each other (metres to km), half anywhere
    lat2, lon2 = uniform_globe(rng, n)
    near = np.arange(n) < n // 2
    lon_n, lat_n, _ = GEOD.fwd(
        lon1[near],
        lat1[near],
        rng.uniform(0, 360, near.sum()),
        10 ** rng.uniform(0, 6, near.sum()),
    )
    lat2[near], lon2[near] = lat_n, lon_n
    _, _, s = GEOD.inv(lon1, lat1, lon2, lat2)
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    sigma = 2 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    ok = sigma > 0
    ratio = np.asarray(s)[ok] / sigma[ok]
    assert ratio.min() >= R_MIN_M * (1 - 1e-9)
    assert ratio.max() <= R_MAX_M * (1 + 1e-9)
    # and the band is used nearly in full: the bounds are tight, not loose guesses
    assert ratio.min() < R_MIN_M * 1.001 and ratio.max() > R_MAX_M * 0.999
