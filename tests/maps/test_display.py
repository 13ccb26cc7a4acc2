"""The drawn outline of an annulus sector, checked with ``Geod.inv`` along whole edges.

The outline of an annulus sector is the outer arc, the two radial sides from the
inner to the outer radius, and the inner arc between the bearings: never the wedge
from the site, never the whole inner circle.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import LineString

import geo

GEOD = Geod(ellps="WGS84")


def _along_edges(coords: np.ndarray, per_edge: int = 12) -> np.ndarray:
    """Points along every straight edge of a line (vertices included)."""
    t = np.linspace(0.0, 1.0, per_edge, endpoint=False)[None, :, None]
    a, b = coords[:-1, None, :], coords[1:, None, :]
    return np.vstack(((a + (b - a) * t).reshape(-1, 2), coords[-1:]))


def check_annulus_sector_outline(
    lat: float, lon: float, outer_km: float, inner_km: float, bearing: tuple[float, float]
) -> None:
    d = geo.footprint_display(lat, lon, outer_km, min_range_km=inner_km, bearing=bearing)
    assert len(d.outlines) == 1, "one closed outline"
    coords = np.asarray(d.outlines[0].coords, dtype=float)
    assert np.allclose(coords[0], coords[-1]), "the outline is closed"
    assert LineString(coords).is_simple, "the outline never crosses itself"
    tol = d.tolerance_m + 1.0
    start, end = bearing
    span = (end - start) % 360.0 or 360.0
    pts = _along_edges(coords)
    n = len(pts)
    az, _, dist = GEOD.inv(np.full(n, lon), np.full(n, lat), pts[:, 0], pts[:, 1])
    dist = np.asarray(dist)
    rel = (np.asarray(az) - start + 1e-9) % 360.0
    # nothing of the wedge from the site: every point between the two radii
    assert dist.min() >= inner_km * 1000.0 - tol, dist.min()
    assert dist.max() <= outer_km * 1000.0 + tol, dist.max()
    # nothing outside the bearings (a straight edge deviates from a radial by <= tol)
    slack = np.degrees(tol / (inner_km * 1000.0)) + 1e-6
    outside = (rel > span + slack) & (rel < 360.0 - slack)
    assert not outside.any(), (pts[outside][:3], rel[outside][:3])
    # the vertices at the inner radius lie within the bearings (no full inner circle)
    vaz, _, vd = GEOD.inv(np.full(len(coords), lon), np.full(len(coords), lat), *coords.T)
    vrel = (np.asarray(vaz) - start + 1e-9) % 360.0
    at_inner = np.abs(np.asarray(vd) - inner_km * 1000.0) <= tol
    assert at_inner.sum() >= 2
    assert ((vrel[at_inner] <= span + slack) | (vrel[at_inner] >= 360.0 - slack)).all()
    # and both arcs cover the whole sector: no gap in azimuth wider than a few degrees
    at_outer = np.abs(np.asarray(vd) - outer_km * 1000.0) <= tol
    for ring in (at_inner, at_outer):
        seen = np.sort(np.where(vrel[ring] > 360.0 - slack, 0.0, vrel[ring]))
        assert seen[0] <= slack and seen[-1] >= span - slack, (seen[0], seen[-1], span)
        assert np.diff(seen).max() < 5.0


def test_the_issue_annulus_sector_outline() -> None:
    """--range-km 2000 --min-range-km 1000 --bearing 90:200 from Pyongyang."""
    check_annulus_sector_outline(39.0392, 125.7625, 2000, 1000, (90.0, 200.0))


def test_annulus_sector_across_north_and_the_dateline() -> None:
    check_annulus_sector_outline(39.0392, 125.7625, 2000, 1000, (330.0, 30.0))
    check_annulus_sector_outline(-17.7134, 178.065, 3000, 500, (250.0, 120.0))


def test_annulus_and_plain_sector_keep_their_outlines() -> None:
    annulus = geo.footprint_display(39.0, 125.7, 2000, min_range_km=1000)
    assert len(annulus.outlines) == 2  # two whole circles
    sector = geo.footprint_display(39.0, 125.7, 2000, bearing=(90, 200))
    (wedge,) = sector.outlines
    c = np.asarray(wedge.coords)
    _, _, d = GEOD.inv(np.full(len(c), 125.7), np.full(len(c), 39.0), c[:, 0], c[:, 1])
    assert np.min(d) < 1.0  # a plain sector's outline does start at the site


@given(
    lat=st.floats(-75.0, 75.0),
    lon=st.floats(-180.0, 180.0),
    inner_km=st.floats(50.0, 4000.0),
    width_km=st.floats(50.0, 4000.0),
    start=st.floats(0.0, 359.0),
    span=st.floats(5.0, 350.0),
)
def test_annulus_sector_outline_property(
    lat: float, lon: float, inner_km: float, width_km: float, start: float, span: float
) -> None:
    outer_km = inner_km + width_km
    to_pole = min(GEOD.inv(lon, lat, lon, p)[2] for p in (90.0, -90.0)) / 1000.0
    assume(to_pole > outer_km + 300.0)  # radials over a pole are the engine's own case
    check_annulus_sector_outline(lat, lon, outer_km, inner_km, (start, (start + span) % 360.0))


def test_annulus_sector_outline_either_way_round() -> None:
    """Bearings whose first radial vertex lands a hair either side of the start bearing."""
    for start, span in ((90.0, 110.0), (0.0, 90.0), (359.5, 1.0), (180.0, 350.0), (10.0, 5.0)):
        check_annulus_sector_outline(39.0392, 125.7625, 2000, 1000, (start, (start + span) % 360))
        check_annulus_sector_outline(-33.9, 151.2, 800, 300, (start, (start + span) % 360))
