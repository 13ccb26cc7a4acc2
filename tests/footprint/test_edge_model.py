"""The model of an arc edge's error (geo.footprint._rings._model_bound), against Geod.inv.

The engine checks an arc edge's quarter points only where this model leaves doubt, so the
model must never read less than the error along the whole edge.  Here the edges are those
of footprints the engine returned; the model is fed from Geod.inv (the azimuth at each end
and the midpoint's distance), and the truth is Geod.inv at 31 points along each edge.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from checks import boundary_edges
from hypothesis import given, settings
from hypothesis import strategies as st

import geo
from geo.footprint import GEOD, _rings

T = np.arange(1, 32) / 32.0


def _inv(lon0: float, lat0: float, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    n = x.size
    az, back, d = GEOD.inv(np.full(n, lon0), np.full(n, lat0), x, y)
    return np.asarray(az), np.asarray(back), np.asarray(d)


def model_and_truth(lat: float, lon: float, range_km: float) -> tuple[np.ndarray, np.ndarray]:
    geom = geo.footprint(lat, lon, range_km)
    a, b = boundary_edges(geom)
    # edges in the engine's own lon/lat (the short way in longitude)
    dlon = (b[:, 0] - a[:, 0] + 180.0) % 360.0 - 180.0
    dlat = b[:, 1] - a[:, 1]
    r = range_km * 1000.0
    ends = []
    for x, y in (a.T, b.T):
        _, back, d = _inv(lon, lat, np.atleast_1d(x), np.atleast_1d(y))
        cos_phi = np.cos(np.radians(y))
        gx = cos_phi * np.sin(np.radians(back))
        gy = _rings._ONE_E2 / (_rings._ONE_E2 + _rings._E2 * cos_phi**2) * np.cos(np.radians(back))
        ends.append((gx, gy, d))
    (gx1, gy1, d1), (gx2, gy2, d2) = ends
    ax, ay = a.T
    _, _, dm = _inv(lon, lat, ax + 0.5 * dlon, ay + 0.5 * dlat)
    mid_m = dm - 0.5 * (d1 + d2)
    edges = _rings._Edges(
        *([np.zeros(ax.size)] * 9),
        gx1,
        gy1,
        gx2,
        gy2,  # type: ignore[arg-type]
    )._replace(lat1=ay, lat2=b[:, 1])
    chord = _rings._Chord(ax, ay, ax + dlon, b[:, 1])
    bound = _rings._model_bound(edges, chord, mid_m)
    px = ax[:, None] + T[None, :] * dlon[:, None]
    py = ay[:, None] + T[None, :] * dlat[:, None]
    _, _, dp = _inv(lon, lat, px.ravel(), py.ravel())
    run = d1[:, None] + T[None, :] * (d2 - d1)[:, None]
    truth = np.abs(dp.reshape(px.shape) - run).max(axis=1)
    # the engine's own edges: both ends exact vertices (not a cut at +-180), off the poles
    exact = (np.abs(d1 - r) < 1e-6) & (np.abs(d2 - r) < 1e-6)
    keep = exact & np.isfinite(bound) & (np.abs(a[:, 1]) < 89.0) & (np.abs(b[:, 1]) < 89.0)
    return bound[keep], truth[keep]


@pytest.mark.parametrize(
    ("lat", "lon", "range_km"),
    [(39.0, 125.7, 1500.0), (-17.7, 178.1, 3000.0), (75.0, -40.0, 5000.0), (10.0, 20.0, 13000.0)],
)
def test_the_edge_model_never_reads_below_the_error_along_the_edge(
    lat: float, lon: float, range_km: float
) -> None:
    bound, truth = model_and_truth(lat, lon, range_km)
    assert bound.size > 100
    # the model is fed by Geod.inv here and by the spherical midpoint in the engine: 1 % slack
    assert np.all(truth <= 1.01 * bound + 1e-6), float((truth / bound).max())
    # and it is a close estimate, not a loose one: the engine splits on it
    assert np.median(bound / np.maximum(truth, 1e-9)) < 1.05


@settings(max_examples=25, deadline=None)
@given(
    st.floats(-85.0, 85.0),
    st.floats(-180.0, 180.0),
    st.floats(200.0, 19000.0),
)
def test_the_edge_model_bounds_random_disks(lat: float, lon: float, range_km: float) -> None:
    bound, truth = model_and_truth(lat, lon, range_km)
    assert bound.size > 50
    assert np.all(truth <= 1.01 * bound + 1e-6), float((truth / bound).max())
    assert shapely.is_valid(geo.footprint(lat, lon, range_km))
