"""Closed forms of the two-body problem on a spherical Earth (vectorised with numpy).

Units: metres, seconds, radians. Every function accepts floats or arrays and broadcasts.
The equations are explained in ``docs/lofted.md``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
ArrayLike = Any  # float or numpy array; the functions broadcast

#: WGS84 gravitational constant of the Earth (with its atmosphere), m^3/s^2.
MU_M3_S2 = 3.986004418e14
#: WGS84 angular velocity of the Earth, rad/s.
OMEGA_RAD_S = 7.2921150e-5
#: WGS84 semi-major axis, m.
A_WGS84_M = 6_378_137.0
#: WGS84 flattening.
F_WGS84 = 1.0 / 298.257223563
#: Mean radius R1 = (2a + b) / 3 of WGS84, m: the radius of the spherical Kepler model and the
#: factor that turns a range angle into a ground range.
R_MEAN_M = (2.0 * A_WGS84_M + A_WGS84_M * (1.0 - F_WGS84)) / 3.0
#: Standard gravity, m/s^2 (the g of the gravity-loss term g * t_b).
G0_M_S2 = 9.80665


def _f64(value: Any) -> FloatArray:
    return np.asarray(value, dtype=np.float64)


def vis_viva_speed(r_m: ArrayLike, a_m: ArrayLike) -> FloatArray:
    """Speed on a conic of semi-major axis ``a_m`` at radius ``r_m``: sqrt(mu (2/r - 1/a))."""
    return np.sqrt(MU_M3_S2 * (2.0 / np.asarray(r_m, float) - 1.0 / np.asarray(a_m, float)))


def specific_energy(speed_m_s: ArrayLike, r_m: ArrayLike) -> FloatArray:
    """Specific orbital energy v^2/2 - mu/r, J/kg."""
    v = np.asarray(speed_m_s, float)
    return _f64(0.5 * v * v - MU_M3_S2 / np.asarray(r_m, float))


def semi_major_axis(energy_j_kg: ArrayLike) -> FloatArray:
    """Semi-major axis -mu / (2 energy), m (negative energies only: ellipses)."""
    return -MU_M3_S2 / (2.0 * np.asarray(energy_j_kg, float))


def min_energy_q(range_angle_rad: ArrayLike) -> FloatArray:
    """Bate-Mueller-White: the least v^2 r / mu that reaches the range angle from r back to r.

    Q = 2 sin(psi/2) / (1 + sin(psi/2)).
    """
    s = np.sin(0.5 * np.asarray(range_angle_rad, float))
    return 2.0 * s / (1.0 + s)


def min_energy_range_angle(q: ArrayLike) -> FloatArray:
    """The inverse of :func:`min_energy_q`: the largest range angle for Q = v^2 r / mu.

    psi = 2 arcsin(Q / (2 - Q)); Q >= 1 (circular speed or more) gives pi, half the globe.
    """
    qq = np.asarray(q, float)
    ratio = np.clip(qq / (2.0 - np.minimum(qq, 1.0)), 0.0, 1.0)
    return np.where(qq >= 1.0, np.pi, 2.0 * np.arcsin(ratio))


def optimal_flight_path_angle(range_angle_rad: ArrayLike) -> FloatArray:
    """Flight-path angle above the horizontal of the minimum-energy trajectory: (pi - psi)/4."""
    return 0.25 * (np.pi - np.asarray(range_angle_rad, float))


def symmetric_range_angle(q: ArrayLike, gamma_rad: ArrayLike) -> FloatArray:
    """Range angle from radius r back to r for Q = v^2 r / mu and flight-path angle gamma.

    tan(psi/2) = Q sin(g) cos(g) / (1 - Q cos^2(g)), taken with atan2 so that psi is in [0, 2 pi).
    """
    qq = np.asarray(q, float)
    g = np.asarray(gamma_rad, float)
    c = np.cos(g)
    return _f64(2.0 * np.arctan2(qq * np.sin(g) * c, 1.0 - qq * c * c))


def ellipse_through(
    r_end_m: ArrayLike, apogee_r_m: ArrayLike, range_angle_rad: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """The ellipse symmetric about its apogee that leaves and meets radius ``r_end_m``.

    Given the apogee radius and the range angle between the two crossings of ``r_end_m``,
    e = (r_a - r) / (r_a - r cos(psi/2)) and a = r_a / (1 + e). Returns ``(a_m, e)``.
    """
    ra = np.asarray(apogee_r_m, float)
    r = np.asarray(r_end_m, float)
    e = (ra - r) / (ra - r * np.cos(0.5 * np.asarray(range_angle_rad, float)))
    return ra / (1.0 + e), e


def eccentric_anomaly(true_anomaly_rad: ArrayLike, e: ArrayLike) -> FloatArray:
    """Eccentric anomaly in [0, 2 pi) of a true anomaly on an ellipse of eccentricity e."""
    nu = np.asarray(true_anomaly_rad, float)
    ee = np.asarray(e, float)
    big_e = np.arctan2(np.sqrt(1.0 - ee * ee) * np.sin(nu), ee + np.cos(nu))
    return _f64(np.mod(big_e, 2.0 * np.pi))


def solve_kepler(mean_anomaly_rad: ArrayLike, e: ArrayLike) -> FloatArray:
    """Eccentric anomaly E with E - e sin E = M (Newton's method, to 1e-14 rad)."""
    m = np.mod(np.asarray(mean_anomaly_rad, float), 2.0 * np.pi)
    ee = np.broadcast_to(np.asarray(e, float), m.shape)
    big_e = np.where(ee > 0.8, np.pi, m)
    for _ in range(50):
        step = (big_e - ee * np.sin(big_e) - m) / (1.0 - ee * np.cos(big_e))
        big_e = big_e - step
        if np.all(np.abs(step) < 1e-14):
            break
    return np.asarray(big_e, float)


def true_anomaly_at_radius(r_m: ArrayLike, a_m: ArrayLike, e: ArrayLike) -> FloatArray:
    """Ascending true anomaly in [0, pi] at radius r: cos(nu) = (p/r - 1)/e, p = a(1 - e^2)."""
    ee = np.asarray(e, float)
    p = np.asarray(a_m, float) * (1.0 - ee * ee)
    return _f64(np.arccos(np.clip((p / np.asarray(r_m, float) - 1.0) / ee, -1.0, 1.0)))


def time_of_flight(
    a_m: ArrayLike, e: ArrayLike, nu_from_rad: ArrayLike, nu_to_rad: ArrayLike
) -> FloatArray:
    """Time from true anomaly ``nu_from`` forwards to ``nu_to`` (Kepler's equation), s.

    M = E - e sin E and t = (M_to - M_from) / n with n = sqrt(mu / a^3), the difference taken
    modulo 2 pi (less than one revolution).
    """
    ee = np.asarray(e, float)
    a = np.asarray(a_m, float)
    e0 = eccentric_anomaly(nu_from_rad, ee)
    e1 = eccentric_anomaly(nu_to_rad, ee)
    m0 = e0 - ee * np.sin(e0)
    m1 = e1 - ee * np.sin(e1)
    dm = np.mod(m1 - m0, 2.0 * np.pi)
    return _f64(dm / np.sqrt(MU_M3_S2 / (a * a * a)))


def coast_time(a_m: ArrayLike, e: ArrayLike, r_from_m: ArrayLike, r_to_m: ArrayLike) -> FloatArray:
    """Time from radius ``r_from`` climbing, through apogee, down to radius ``r_to``, s."""
    nu0 = true_anomaly_at_radius(r_from_m, a_m, e)
    nu1 = 2.0 * np.pi - true_anomaly_at_radius(r_to_m, a_m, e)
    return time_of_flight(a_m, e, nu0, nu1)


def flight_path_angle_at_radius(r_m: ArrayLike, a_m: ArrayLike, e: ArrayLike) -> FloatArray:
    """Ascending flight-path angle above the horizontal at radius r on the ellipse (a, e)."""
    ee = np.asarray(e, float)
    nu = true_anomaly_at_radius(r_m, a_m, ee)
    return _f64(np.arctan2(ee * np.sin(nu), 1.0 + ee * np.cos(nu)))
