"""The range of a standard trajectory along each azimuth, on a rotating spherical Earth.

The Earth-relative burnout speed is fixed (the rocket's performance does not depend on where
it points); the Earth's surface velocity at the site is added to it, the inertial Kepler
ellipse is flown, and the Earth's rotation during the flight is subtracted to find the ground
impact point. For each launch azimuth of a 1-degree grid the flight-path angle that maximises
the ground range is found by golden-section search; the ranges at the requested impact
bearings are then interpolated from the grid. Everything is vectorised over azimuths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geo.lofted._kepler import (
    MU_M3_S2,
    OMEGA_RAD_S,
    R_MEAN_M,
    FloatArray,
    time_of_flight,
)

_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0
_GAMMA_ITERATIONS = 18
#: Launch azimuths computed per energy; ranges at other bearings are interpolated (the range
#: varies smoothly with the bearing: the linear-interpolation error at 1 degree is < 1 km).
_GRID = 360


def _impact(
    lat_rad: float,
    launch_az: FloatArray,
    gamma: FloatArray,
    speed_m_s: FloatArray,
    extra_time_s: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Ground range angle and bearing (rad) of the impact for each (azimuth, gamma) pair."""
    sphi, cphi = np.sin(lat_rad), np.cos(lat_rad)
    up = np.array([cphi, 0.0, sphi])
    east = np.array([0.0, 1.0, 0.0])
    north = np.array([-sphi, 0.0, cphi])
    cg = np.cos(gamma)
    horiz = np.cos(launch_az)[..., None] * north + np.sin(launch_az)[..., None] * east
    v = speed_m_s[..., None] * (cg[..., None] * horiz + np.sin(gamma)[..., None] * up)
    v = v + OMEGA_RAD_S * R_MEAN_M * cphi * east
    vv = np.einsum("...i,...i->...", v, v)
    v_up = v @ up
    q = vv * R_MEAN_M / MU_M3_S2
    sin_g = v_up / np.sqrt(vv)
    cos_g = np.sqrt(np.maximum(1.0 - sin_g * sin_g, 0.0))
    # symmetric conic from R back to R: e cos(nu0) = Q cos^2 g - 1, e sin(nu0) = Q sin g cos g
    ec = q * cos_g * cos_g - 1.0
    es = q * sin_g * cos_g
    e = np.hypot(ec, es)
    nu0 = np.mod(np.arctan2(es, ec), 2.0 * np.pi)
    psi = 2.0 * (np.pi - nu0)
    elliptic = q < 2.0
    a = R_MEAN_M / np.where(elliptic, 2.0 - q, 1.0)
    t = time_of_flight(a, np.minimum(e, 1.0 - 1e-12), nu0, 2.0 * np.pi - nu0) + extra_time_s
    h = v - v_up[..., None] * up
    h = h / np.linalg.norm(h, axis=-1, keepdims=True)
    p = np.cos(psi)[..., None] * up + np.sin(psi)[..., None] * h
    turn = -OMEGA_RAD_S * t
    ct, st = np.cos(turn), np.sin(turn)
    px = ct * p[..., 0] - st * p[..., 1]
    py = st * p[..., 0] + ct * p[..., 1]
    pz = p[..., 2]
    # angle from the site to the impact, in [0, 2 pi): past the antipode (the impact lies
    # behind the initial orbital plane's forward half, n = up x h) it exceeds pi
    n = np.cross(up, h)
    dot = px * up[0] + pz * up[2]
    cx = -up[2] * py
    cy = up[2] * px - up[0] * pz
    cz = up[0] * py
    forward = cx * n[..., 0] + cy * n[..., 1] + cz * n[..., 2]
    angle = np.arctan2(np.sqrt(cx * cx + cy * cy + cz * cz), dot)
    ground = np.where(forward >= 0.0, angle, 2.0 * np.pi - angle)
    bearing = np.arctan2(py, px * north[0] + pz * north[2])
    ground = np.where(elliptic, ground, 2.0 * np.pi)
    return ground, bearing


def _best_gamma(
    lat_rad: float,
    launch_az: FloatArray,
    speed_m_s: FloatArray,
    extra_time_s: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    iterations: int,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Golden-section search over the flight-path angle in [lo, hi] for the largest range.

    Returns the forward ground angle (rad, may exceed pi), the bearing and the best angle.
    """
    x1 = hi - _GOLDEN * (hi - lo)
    x2 = lo + _GOLDEN * (hi - lo)
    f1, _ = _impact(lat_rad, launch_az, x1, speed_m_s, extra_time_s)
    f2, _ = _impact(lat_rad, launch_az, x2, speed_m_s, extra_time_s)
    for _ in range(iterations):
        left = f1 > f2
        hi = np.where(left, x2, hi)
        lo = np.where(left, lo, x1)
        x_new = np.where(left, hi - _GOLDEN * (hi - lo), lo + _GOLDEN * (hi - lo))
        f_new, _ = _impact(lat_rad, launch_az, x_new, speed_m_s, extra_time_s)
        x1, x2, f1, f2 = (
            np.where(left, x_new, x2),
            np.where(left, x1, x_new),
            np.where(left, f_new, f2),
            np.where(left, f1, f_new),
        )
    best = 0.5 * (lo + hi)
    ground, bearing = _impact(lat_rad, launch_az, best, speed_m_s, extra_time_s)
    return ground, bearing, best


def rotating_range_km(
    lat_deg: float, bearing_deg: Any, q_surface: Any, *, extra_time_s: Any = 0.0
) -> FloatArray:
    """Largest ground range (km) towards each bearing from a site at ``lat_deg``.

    Parameters
    ----------
    lat_deg
        Latitude of the site (treated as a spherical latitude; see ``docs/lofted.md``).
    bearing_deg
        Initial bearing(s) from the site to the impact point, degrees clockwise from north.
    q_surface
        v^2 R / mu of the Earth-relative speed at the surface (the energy of the flight); a
        float, or one value per row of a 2-D ``bearing_deg`` (shape ``(levels, 1)``).
    extra_time_s
        Time added to the Kepler flight time for the Earth's rotation (the burn lasts longer
        than the part of the ellipse that stands in for it); broadcasts like ``q_surface``.

    Returns
    -------
    numpy.ndarray
        Ranges in km, the shape of ``bearing_deg`` broadcast with ``q_surface``, at most half
        the circumference of the mean sphere (20,015 km: the whole globe is reachable).
    """
    target = np.atleast_1d(np.asarray(bearing_deg, float))
    q = np.asarray(q_surface, float)
    extra = np.asarray(extra_time_s, float)
    target, q, extra = np.broadcast_arrays(target, q, extra)
    rows_q = q.reshape(-1, target.shape[-1])[:, :1]
    rows_extra = extra.reshape(-1, target.shape[-1])[:, :1]
    rows_target = target.reshape(-1, target.shape[-1])
    grids = range_grids(lat_deg, rows_q[:, 0], extra_time_s=rows_extra[:, 0])
    out = np.empty(rows_target.shape)
    for row, grid in enumerate(grids):
        out[row] = grid(rows_target[row])
    result: FloatArray = out.reshape(target.shape)
    return result


@dataclass(frozen=True)
class RangeGrid:
    """The largest ground range of one energy per launch azimuth of a 1-degree grid.

    Calling it gives the range (km) towards impact bearings, interpolated from the grid: the
    one range function of azimuth that ``rotating_range_km`` and a footprint both use.
    """

    launch: FloatArray
    ground: FloatArray
    bearing: FloatArray
    _table: tuple[FloatArray | None, FloatArray] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_table", _bearing_table(self.launch, self.ground, self.bearing))

    def __call__(self, bearing_deg: Any) -> FloatArray:
        target = np.asarray(bearing_deg, float)
        return _interp_bearing(*self._table, target.ravel()).reshape(target.shape)

    @property
    def knots_deg(self) -> FloatArray:
        """Impact bearings (degrees) of the grid nodes: where the interpolated range bends."""
        unwrapped = self._table[0]
        if unwrapped is None:
            return np.zeros(0)
        knots: FloatArray = np.mod(np.degrees(unwrapped), 360.0)
        return knots

    @property
    def min_km(self) -> float:
        """The smallest range over all bearings (the interpolation never goes below it)."""
        return float(np.minimum(self.ground, np.pi).min() * R_MEAN_M / 1000.0)

    @property
    def max_km(self) -> float:
        """The largest range over all bearings."""
        return float(np.minimum(self.ground, np.pi).max() * R_MEAN_M / 1000.0)


def range_grids(lat_deg: float, q_surface: Any, *, extra_time_s: Any = 0.0) -> list[RangeGrid]:
    """One :class:`RangeGrid` per energy (``q_surface``, 1-D; ``extra_time_s`` alike)."""
    rows_q = np.atleast_1d(np.asarray(q_surface, float))[:, None]
    rows_extra = np.broadcast_to(np.asarray(extra_time_s, float), rows_q.shape[:1])[:, None]
    lat = float(np.radians(lat_deg))
    # launch azimuths on a fixed grid, one row per energy
    launch = np.broadcast_to(np.arange(_GRID) * (2.0 * np.pi / _GRID), (rows_q.shape[0], _GRID))
    speed = np.broadcast_to(np.sqrt(rows_q * MU_M3_S2 / R_MEAN_M), launch.shape)
    lo = np.full(launch.shape, 1e-4)
    hi = np.full(launch.shape, np.pi / 2 - 1e-4)
    ground, bearing, _ = _best_gamma(
        lat, launch, speed, np.broadcast_to(rows_extra, launch.shape), lo, hi, _GAMMA_ITERATIONS
    )
    return [
        RangeGrid(np.array(launch[row]), ground[row], bearing[row])
        for row in range(rows_q.shape[0])
    ]


def _bearing_table(
    launch: FloatArray, ground: FloatArray, bearing: FloatArray
) -> tuple[FloatArray | None, FloatArray]:
    """The impact bearings of a launch-azimuth grid (unwrapped, rad) and their ranges (km).

    Where the whole globe is reachable (ground angle >= pi) the impact bearing means nothing;
    there the offset bearing - launch azimuth is interpolated from the other launch azimuths
    (it varies slowly), so the capped directions keep their place on the circle.  The
    bearings are None when every direction is capped.
    """
    full = np.minimum(ground, np.pi) * R_MEAN_M / 1000.0
    capped = ground >= np.pi
    if capped.all():
        return None, full
    offset = np.angle(np.exp(1j * (bearing - launch)))
    if capped.any():
        offset = np.where(
            capped,
            np.interp(launch, launch[~capped], offset[~capped], period=2.0 * np.pi),
            offset,
        )
    return np.unwrap(launch + offset), full


def _interp_bearing(
    unwrapped: FloatArray | None, full: FloatArray, target_deg: FloatArray
) -> FloatArray:
    """Ranges (km) at the requested impact bearings, interpolated from the table."""
    if unwrapped is None:
        return np.full(target_deg.shape, full[0])
    start = unwrapped[0]
    period = 2.0 * np.pi
    x = np.mod(np.radians(target_deg) - start, period) + start
    out: FloatArray = np.asarray(np.interp(x, unwrapped, full, period=period), dtype=np.float64)
    return out
