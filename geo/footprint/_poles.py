"""Unwrapping: continuous longitudes, winding round the poles, rings drawn through a pole."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from geo.footprint._rings import _HUG, _Rings
from geo.footprint._spec import FloatArray
from geo.wgs84 import GEOD, M_PER_DEG_MIN

# An edge turning this much longitude passes over a pole; which way round is ambiguous.
_HALF_TURN = 180.0 - 1e-7
# Longitudes are quantized to multiples of 2**-36 degree (1.6 micrometres) so
# that shifting a piece by 360 degrees is exact and cut pieces meet exactly.
_QUANTUM = 2.0**-36


def _unwrap_rings(rings: _Rings) -> tuple[FloatArray, npt.NDArray[np.intp]]:
    """Continuous longitudes of every ring and each ring's winding around the poles."""
    lon, starts = rings.lon, rings.starts
    # Each edge takes the short way in longitude; count the +/-360 jumps that
    # takes (integers, so the sums are exact and independent of other rings).
    raw = lon[rings.nxt] - lon
    jumps = np.rint((rings.dlon - raw) / 360.0).astype(np.intp)
    winding = np.add.reduceat(jumps, starts[:-1])
    before = np.concatenate(([0], np.cumsum(jumps)[:-1]))
    k = before - before[starts[:-1]][rings.ring_of]
    x = lon + 360.0 * k
    return _quantize(x), winding


def _repair_poles(
    rings: _Rings,
    cols: dict[str, FloatArray],
    *,
    expected: Callable[[int], int] | None = None,
) -> dict[int, tuple[FloatArray, FloatArray, int]]:
    """Rings that touch or graze a pole, drawn through the pole and made unambiguous.

    A boundary can pass through a pole, or closer to it than the tolerance (a
    sector side due north from a site, say).  Straight lon/lat edges are then
    wrong in topology though right in distance: an edge across the pole would
    cut the map at a latitude just below it.  So a vertex at the pole is drawn
    on the meridians of its neighbours, joined along the pole; an edge whose
    ends both lie within a thousandth of the tolerance of a pole and that turns 90 degrees
    of longitude or more is drawn up to the pole, along it and down (every
    point of that detour stays within the tolerance of the true boundary).  An
    edge that turns exactly 180 degrees could go either way round; the way is
    chosen so that the ring winds round a pole exactly when the footprint holds
    that pole, decided with Geod.inv independently of the ring (``expected(i)`` in place of
    the disk and sector test, for a ring whose range varies with azimuth).  Returns
    {ring: (continuous lon, lat, winding)} for the rings that needed it.
    """
    lon, lat, starts = rings.lon, rings.lat, rings.starts
    ring_of, nxt, dlon = rings.ring_of, rings.nxt, rings.dlon
    if np.abs(lat).max() < 89.0 and np.abs(dlon).max() < _HALF_TURN:
        return {}  # the common case: no ring comes near a pole
    near = (90.0 - np.abs(lat)) * M_PER_DEG_MIN <= _HUG * cols["tol_m"][ring_of]
    graze = near & near[nxt] & (np.sign(lat) == np.sign(lat[nxt])) & (np.abs(dlon) >= 90.0)
    odd = (np.abs(lat) == 90.0) | graze | (np.abs(dlon) >= _HALF_TURN)
    out: dict[int, tuple[FloatArray, FloatArray, int]] = {}
    for i in np.unique(ring_of[odd]).tolist():
        a, b = starts[i], starts[i + 1]
        x, y, g = lon[a:b], lat[a:b], graze[a:b] | (np.abs(dlon[a:b]) >= _HALF_TURN)
        keep = np.abs(y) != 90.0
        if not keep.any():
            continue
        # drop vertices at a pole; the edge that replaces them goes round the pole
        idx = np.flatnonzero(keep)
        gap = np.ones(idx.size, dtype=bool)  # edge from kept vertex j to the next kept one
        gap[:] = False
        for j, k in enumerate(idx):
            k_next = idx[(j + 1) % idx.size]
            gap[j] = bool(g[k]) or (k_next != (k + 1) % x.size)
        xs: list[float] = []
        ys: list[float] = []
        steps: list[float] = []
        ambiguous: list[int] = []
        for j, k in enumerate(idx):
            k_next = idx[(j + 1) % idx.size]
            d = float((x[k_next] - x[k] + 180.0) % 360.0 - 180.0)
            xs.append(float(x[k]))
            ys.append(float(y[k]))
            if gap[j]:
                pole = 90.0 if y[k] > 0 else -90.0
                xs += [float(x[k]), float(x[k_next])]
                ys += [pole, pole]
                steps += [0.0, d, 0.0]
                if abs(d) >= _HALF_TURN:
                    ambiguous.append(len(steps) - 2)
            else:
                steps.append(d)
                if abs(d) >= _HALF_TURN:
                    ambiguous.append(len(steps) - 1)
        d_arr = np.asarray(steps)
        winding = int(np.rint(d_arr.sum() / 360.0))
        want = _expected_winding(cols, i) if expected is None else expected(i)
        if winding != want and ambiguous:
            d_arr[ambiguous[0]] += 360.0 * (want - winding)
            winding = want
        xu = xs[0] + np.concatenate(([0.0], np.cumsum(d_arr[:-1])))
        out[i] = (_quantize(xu), np.asarray(ys), winding)
    return out


def _expected_winding(cols: dict[str, FloatArray], i: int) -> int:
    """+1 / -1 / 0 as ring i's region holds the North Pole, the South Pole, neither or both
    (strictly: a pole on the boundary counts as outside)."""
    lat, lon, r = cols["lat"][i], cols["lon"][i], cols["range_m"][i]
    az_hi, span = cols["az_hi"][i], cols["span"][i]
    inside = []
    for pole in (90.0, -90.0):
        az, _, dist = GEOD.inv(lon, lat, 0.0, pole)
        within = dist < r
        if span < 360.0 and within and dist > 0:
            rel = (az_hi - az) % 360.0
            within = 0.0 < rel < span
        inside.append(within)
    north, south = inside
    return 1 if north and not south else -1 if south and not north else 0


def _quantize(x: FloatArray) -> FloatArray:
    return np.round(x / _QUANTUM) * _QUANTUM
