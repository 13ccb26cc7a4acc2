"""From a lofted test (apogee, distance, flight time) to the range on a standard trajectory.

The method, its constants and their justification are in ``docs/lofted.md``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np

from geo.errors import InvalidBearingError, InvalidCoordinateError, InvalidRangeError
from geo.lofted._kepler import (
    G0_M_S2,
    MU_M3_S2,
    R_MEAN_M,
    FloatArray,
    coast_time,
    ellipse_through,
    flight_path_angle_at_radius,
    min_energy_q,
    min_energy_range_angle,
    optimal_flight_path_angle,
    specific_energy,
    time_of_flight,
    true_anomaly_at_radius,
    vis_viva_speed,
)
from geo.lofted._rotation import RangeGrid, range_grids, rotating_range_km

logger = logging.getLogger(__name__)

#: Fractions of g * t_b a standard ascent saves over the lofted one, per level.
SAVING_FRACTIONS: Mapping[str, float] = {"low": 0.0, "central": 0.19, "high": 0.24}
#: Burnout altitude = KAPPA * vertical burnout speed * burn time (speed growing like t^2).
KAPPA = 1.0 / 3.0
#: Class default burn times (s) when no flight time is given: one stage, two stages.
ONE_STAGE_BURN_S = 175.0
TWO_STAGE_BURN_S = 275.0
#: Below this minimum-energy range (km) the class default is one stage (IRBM class).
ONE_STAGE_BELOW_KM = 5_500.0
#: Plausible burn times (s); outside them the burn time is flagged and clamped.
BURN_TIME_BOUNDS_S = (100.0, 400.0)
#: The lofted energy as a fraction of circular speed at the surface from which it is near-orbital.
NEAR_ORBITAL_SPEED_RATIO = 0.95
#: Input bounds (inclusive upper, exclusive lower).
APOGEE_BOUNDS_KM = (50.0, 40_000.0)
DISTANCE_MAX_KM = math.pi * R_MEAN_M / 1000.0
FLIGHT_TIME_MAX_S = 4 * 3600.0
HALF_CIRCUMFERENCE_KM = math.pi * R_MEAN_M / 1000.0

CAVEATS = (
    "payload unknown: a test flown with a light payload overstates the range with a warhead",
    "drag, reentry and the Earth's oblateness in flight are ignored (vacuum Kepler model)",
    "apogee, distance and flight time as reported (often by the launching state); "
    "errors in them carry through",
)

METHOD = (
    "vacuum Kepler ellipse through the reported apogee and ground range (spherical Earth, "
    "R = 6,371.0088 km) gives the energy; minimum-energy range for that energy (low), plus a "
    "gravity-loss saving of 0.19 (central) or 0.24 (high) of g*t_b at burnout; burn time from "
    "the flight time minus the Kepler coast time, burnout altitude t_b*v_up/3"
)


@dataclass(frozen=True)
class StandardRange:
    """The range of a lofted test's missile flown on a standard (range-maximising) trajectory.

    Attributes
    ----------
    low_km
        Minimum-energy range for the lofted flight's energy (no gravity-loss saving): the
        "simple calculation". A lower bound when ``near_orbital``.
    central_km
        With a gravity-loss saving of 0.19 g t_b; ``None`` when ``near_orbital``.
    high_km
        With a saving of 0.24 g t_b; ``None`` when ``near_orbital``.
    energy_km
        The lofted energy as a distance: its minimum-energy range on a non-rotating Earth,
        whatever the site and azimuth (equal to ``low_km`` without a site).
    near_orbital
        The lofted speed is at least 0.95 of circular speed, or the high level reaches orbit:
        small errors in the inputs change the range by thousands of km.
    burn_time_s
        Burn time used for the saving (from the flight time, or a class default).
    warnings
        Caveats (always) and flags on the inputs.
    method
        One-line description of the method.
    inputs
        The inputs as given (apogee_km, distance_km, flight_time_s, site, azimuth_deg).
    circular_speed_ratio
        Lofted energy's speed at the surface over circular speed there.
    burnout_altitude_km
        Burnout altitude of the lofted flight implied by the burn geometry.
    """

    low_km: float
    central_km: float | None
    high_km: float | None
    energy_km: float
    near_orbital: bool
    burn_time_s: float
    warnings: tuple[str, ...]
    method: str
    inputs: Mapping[str, Any] = field(default_factory=dict)
    circular_speed_ratio: float = 0.0
    burnout_altitude_km: float = 0.0

    def _repr_html_(self) -> str:
        """Jupyter display: a small table, every string escaped."""

        def km(value: float | None) -> str:
            return "—" if value is None else f"{value:,.0f} km"

        given = ", ".join(f"{k}={v}" for k, v in self.inputs.items() if v is not None)
        rows = [
            ("inputs", given),
            ("low (minimum energy)", km(self.low_km)),
            ("central", km(self.central_km)),
            ("high", km(self.high_km)),
            ("energy (minimum-energy range, no rotation)", km(self.energy_km)),
            ("speed / circular speed", f"{self.circular_speed_ratio:.3f}"),
            ("near-orbital", "yes" if self.near_orbital else "no"),
            ("burn time", f"{self.burn_time_s:.0f} s"),
            ("method", self.method),
        ]
        body = "".join(
            f"<tr><th style='text-align:left'>{escape(k)}</th><td>{escape(v)}</td></tr>"
            for k, v in rows
        )
        notes = "".join(f"<li>{escape(w)}</li>" for w in self.warnings)
        return (
            "<div><strong>Standard-trajectory range (derived)</strong>"
            f"<table>{body}</table><ul>{notes}</ul></div>"
        )


@dataclass(frozen=True)
class _Energy:
    """The solved lofted flight: surface q per level and what the warnings need."""

    q_surface: dict[str, float]
    burn_time_s: float
    burnout_r_m: float
    ratio: float
    flags: tuple[str, ...]


def _check(name: str, value: Any, lower: float, upper: float, unit: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidRangeError(f"{name}={value!r} is not a number; give {unit}") from None
    if not math.isfinite(number) or number <= lower or number > upper:
        raise InvalidRangeError(
            f"{name}={value!r} is outside ({lower:g}, {upper:,.0f}] {unit}: "
            f"give a finite value above {lower:g} and at most {upper:,.0f}"
        )
    return number


def _site_latlon(site: Any) -> tuple[float, float]:
    """The one place a site becomes (lat, lon): a (lat, lon) pair, a Site, or a name."""
    if isinstance(site, str):
        from geo.gazetteer import as_site  # lazily: see tests/test_architecture.py

        resolved = as_site(site)
        lat, lon = float(resolved.lat), float(resolved.lon)
    elif hasattr(site, "lat") and hasattr(site, "lon"):
        lat, lon = float(site.lat), float(site.lon)
    else:
        try:
            lat, lon = (float(x) for x in site)
        except (TypeError, ValueError):
            raise InvalidCoordinateError(
                f"site={site!r} is not a (lat, lon) pair, a Site or a name"
            ) from None
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0) or not math.isfinite(lon):
        raise InvalidCoordinateError(
            f"site latitude {lat!r} / longitude {lon!r}: give a latitude in [-90, 90] "
            "and a finite longitude"
        )
    return lat, lon


def _site_text(site: Any, lat_lon: tuple[float, float]) -> str:
    """The site as the inputs record it: its name (if it has one) and coordinates."""
    name = site if isinstance(site, str) else getattr(site, "name", None)
    if name is None and not isinstance(site, tuple | list):
        name = str(site)  # any other object with lat and lon: as it prints itself
    where = f"{lat_lon[0]:.4f}, {lat_lon[1]:.4f}"
    return where if name is None or name == where else f"{name} ({where})"


def _surface_q(a_m: float) -> float:
    """v^2 R / mu at the surface for semi-major axis a (any energy; >= 2 is hyperbolic)."""
    return 2.0 - R_MEAN_M / a_m if a_m > 0 else 2.0


def _burn(
    a_m: float, e: float, flight_time_s: float | None, default_burn_s: float, apogee_r_m: float
) -> tuple[float, float, list[str]]:
    """Burn time and burnout radius: t_b = T - coast(r_b), r_b = R + KAPPA v_up(r_b) t_b."""
    flags: list[str] = []
    r_max = R_MEAN_M + 0.9 * (apogee_r_m - R_MEAN_M)
    r_start = min(R_MEAN_M + 200e3, r_max)

    def burnout_r(t_b: float) -> float:
        r_b = r_start
        for _ in range(40):
            up = float(vis_viva_speed(r_b, a_m) * np.sin(flight_path_angle_at_radius(r_b, a_m, e)))
            r_new = min(R_MEAN_M + KAPPA * up * t_b, r_max)
            if abs(r_new - r_b) < 1.0:
                return r_new
            r_b = r_new
        return r_b

    if flight_time_s is None:
        flags.append(f"no flight time given: burn time {default_burn_s:.0f} s (class default)")
        return default_burn_s, burnout_r(default_burn_s), flags
    r_b = r_start
    t_b = default_burn_s
    for _ in range(40):
        coast = float(coast_time(a_m, e, r_b, R_MEAN_M))
        t_b = flight_time_s - coast
        if t_b <= 0:
            flags.append(
                f"inconsistent inputs: the Kepler coast alone takes {coast:.0f} s, not less than "
                f"the reported flight time of {flight_time_s:.0f} s; burn time "
                f"{default_burn_s:.0f} s (class default) used instead"
            )
            return default_burn_s, burnout_r(default_burn_s), flags
        up = float(vis_viva_speed(r_b, a_m) * np.sin(flight_path_angle_at_radius(r_b, a_m, e)))
        r_new = min(R_MEAN_M + KAPPA * up * t_b, r_max)
        if abs(r_new - r_b) < 1.0:
            r_b = r_new
            t_b = flight_time_s - float(coast_time(a_m, e, r_b, R_MEAN_M))
            break
        r_b = r_new
    lo, hi = BURN_TIME_BOUNDS_S
    if not lo <= t_b <= hi:
        used = min(max(t_b, lo), hi)
        flags.append(
            f"inconsistent inputs: the flight time implies a burn time of {t_b:.0f} s, outside "
            f"{lo:.0f}-{hi:.0f} s; {used:.0f} s used"
        )
        return used, burnout_r(used), flags
    return t_b, r_b, flags


def _energy(apogee_km: float, distance_km: float, flight_time_s: float | None) -> _Energy:
    """Solve the lofted ellipse, the burn, and the surface q of each level."""
    apogee_r = R_MEAN_M + apogee_km * 1000.0
    a_m, e = (
        float(x) for x in ellipse_through(R_MEAN_M, apogee_r, distance_km * 1000.0 / R_MEAN_M)
    )
    q_lofted = _surface_q(a_m)
    low_range_km = float(min_energy_range_angle(q_lofted)) * R_MEAN_M / 1000.0
    default = ONE_STAGE_BURN_S if low_range_km < ONE_STAGE_BELOW_KM else TWO_STAGE_BURN_S
    t_b, r_b, flags = _burn(a_m, e, flight_time_s, default, apogee_r)
    min_apogee_km = _min_energy_apogee_km(distance_km)
    if apogee_km < min_apogee_km:
        flags.append(
            f"not lofted: the apogee of {apogee_km:,.0f} km is below the {min_apogee_km:,.0f} km "
            "of a minimum-energy trajectory to that distance; the method assumes a lofted flight"
        )
    v_b = float(vis_viva_speed(r_b, a_m))
    q: dict[str, float] = {}
    for level, fraction in SAVING_FRACTIONS.items():
        energy = float(specific_energy(v_b + fraction * G0_M_S2 * t_b, r_b))
        q[level] = _surface_q(-MU_M3_S2 / (2.0 * energy)) if energy < 0 else 2.0
    return _Energy(q, t_b, r_b, math.sqrt(q_lofted), tuple(flags))


def _min_energy_apogee_km(distance_km: float) -> float:
    """Apogee altitude of the minimum-energy trajectory from the surface to the distance."""
    psi = distance_km * 1000.0 / R_MEAN_M
    q = float(min_energy_q(psi))
    gamma = float(optimal_flight_path_angle(psi))
    c = math.cos(gamma)
    e = math.hypot(q * c * c - 1.0, q * math.sin(gamma) * c)
    return (R_MEAN_M / (2.0 - q) * (1.0 + e) - R_MEAN_M) / 1000.0


def _extra_time_s(q_surface: float, burn_time_s: float, burnout_r_m: float) -> float:
    """Burn time minus the time the minimum-energy ellipse takes from the surface to r_b."""
    if q_surface >= 1.0:
        return 0.0
    psi = float(min_energy_range_angle(q_surface))
    gamma = float(optimal_flight_path_angle(psi))
    c = math.cos(gamma)
    a_m = R_MEAN_M / (2.0 - q_surface)
    e = math.hypot(q_surface * c * c - 1.0, q_surface * math.sin(gamma) * c)
    apogee = a_m * (1.0 + e)
    if burnout_r_m >= apogee:
        return 0.0
    nu0 = float(true_anomaly_at_radius(R_MEAN_M, a_m, e))
    nu1 = float(true_anomaly_at_radius(burnout_r_m, a_m, e))
    return max(burn_time_s - float(time_of_flight(a_m, e, nu0, nu1)), 0.0)


def _validated(
    apogee_km: Any, distance_km: Any, flight_time_s: Any
) -> tuple[float, float, float | None]:
    apogee = _check("apogee_km", apogee_km, *APOGEE_BOUNDS_KM, "km")
    distance = _check("distance_km", distance_km, 0.0, DISTANCE_MAX_KM, "km")
    flight = None
    if flight_time_s is not None:
        flight = _check("flight_time_s", flight_time_s, 0.0, FLIGHT_TIME_MAX_S, "s")
    return apogee, distance, flight


def standard_trajectory_range(
    apogee_km: float,
    distance_km: float,
    flight_time_s: float | None = None,
    *,
    site: Any = None,
    azimuth_deg: float | None = None,
) -> StandardRange:
    """How far a lofted test's missile would fly on a standard trajectory.

    Parameters
    ----------
    apogee_km
        Reported apogee altitude of the lofted flight, km (50 < apogee <= 40,000).
    distance_km
        Reported ground distance from launch to impact, km (0 < distance <= 20,015).
    flight_time_s
        Reported flight time, s (0 < t <= 14,400); without it the burn time is a class default.
    site
        Launch site for a rotating-Earth range: ``(lat, lon)``, a :class:`geo.Site` or a name.
    azimuth_deg
        Bearing from the site towards the impact point, degrees; needed with ``site``.

    Returns
    -------
    StandardRange
        Low, central and high ranges (km), the energy as a range, flags and caveats.

    Raises
    ------
    InvalidRangeError
        A value that is not a finite number within its bounds.

    Examples
    --------
    >>> r = standard_trajectory_range(4475, 950, 53 * 60)  # Hwasong-15, 2017-11-29
    >>> round(r.low_km, -2), round(r.central_km, -2), r.near_orbital
    (10000.0, 13100.0, False)
    >>> east = standard_trajectory_range(4475, 950, 3180, site=(39.0, 125.7), azimuth_deg=90)
    >>> east.central_km > r.central_km
    True
    """
    apogee, distance, flight = _validated(apogee_km, distance_km, flight_time_s)
    lat: float | None = None
    lat_lon = (math.nan, math.nan)
    if site is not None or azimuth_deg is not None:
        if site is None or azimuth_deg is None:
            raise InvalidBearingError(
                f"site={site!r}, azimuth_deg={azimuth_deg!r}: give both (a rotating-Earth range "
                "along a bearing) or neither (a range on a non-rotating Earth)"
            )
        if not math.isfinite(float(azimuth_deg)):
            raise InvalidBearingError(f"azimuth_deg={azimuth_deg!r}: give a finite bearing")
        lat_lon = _site_latlon(site)
        lat = lat_lon[0]
    sol = _energy(apogee, distance, flight)
    energy_km = min(
        float(min_energy_range_angle(sol.q_surface["low"])) * R_MEAN_M / 1000.0,
        HALF_CIRCUMFERENCE_KM,
    )
    levels = list(SAVING_FRACTIONS)
    if lat is None:
        values = [
            min(
                float(min_energy_range_angle(sol.q_surface[lv])) * R_MEAN_M / 1000.0,
                HALF_CIRCUMFERENCE_KM,
            )
            for lv in levels
        ]
    else:
        qs = np.array([[sol.q_surface[lv]] for lv in levels])
        extras = np.array(
            [[_extra_time_s(sol.q_surface[lv], sol.burn_time_s, sol.burnout_r_m)] for lv in levels]
        )
        bearings = np.full((len(levels), 1), float(azimuth_deg))  # type: ignore[arg-type]
        values = [
            float(v) for v in rotating_range_km(lat, bearings, qs, extra_time_s=extras).ravel()
        ]
    ranges = dict(zip(levels, values, strict=True))
    near = sol.ratio >= NEAR_ORBITAL_SPEED_RATIO or sol.q_surface["high"] >= 1.0
    warnings = list(CAVEATS) + list(sol.flags)
    if near:
        warnings.insert(
            0,
            f"≥ {ranges['low']:,.0f} km; near-orbital energy for the test's "
            "— probably light — payload",
        )
    logger.debug("standard range %s for apogee %s km, distance %s km", ranges, apogee, distance)
    return StandardRange(
        low_km=ranges["low"],
        central_km=None if near else ranges["central"],
        high_km=None if near else ranges["high"],
        energy_km=energy_km,
        near_orbital=near,
        burn_time_s=sol.burn_time_s,
        warnings=tuple(warnings),
        method=METHOD + ("; rotating Earth along the bearing" if lat is not None else ""),
        inputs={
            "apogee_km": apogee_km,
            "distance_km": distance_km,
            "flight_time_s": flight_time_s,
            "site": None if site is None else _site_text(site, lat_lon),
            "azimuth_deg": azimuth_deg,
        },
        circular_speed_ratio=sol.ratio,
        burnout_altitude_km=(sol.burnout_r_m - R_MEAN_M) / 1000.0,
    )


def standard_range_by_azimuth(
    site: Any,
    apogee_km: float,
    distance_km: float,
    flight_time_s: float | None = None,
    *,
    azimuth_deg: Any,
    level: str = "central",
) -> FloatArray:
    """Rotating-Earth standard-trajectory range (km) towards each of many bearings.

    What a footprint whose range varies with azimuth needs: one vectorised call for all of its
    bearings (720 bearings take a few tens of ms).

    Parameters
    ----------
    site
        ``(lat, lon)``, a :class:`geo.Site` or a name.
    apogee_km, distance_km, flight_time_s
        The lofted test, as for :func:`standard_trajectory_range`.
    azimuth_deg
        Array of bearings from the site, degrees clockwise from north.
    level
        ``"low"``, ``"central"`` or ``"high"``.

    Returns
    -------
    numpy.ndarray
        Ranges in km, one per bearing (at most 20,015 km: the whole globe).

    Raises
    ------
    InvalidRangeError
        Bad inputs, an unknown level, or ``central``/``high`` for a near-orbital test (only
        the low level, a lower bound, is defined then).

    Examples
    --------
    >>> r = standard_range_by_azimuth((39.0, 125.7), 4475, 950, 3180, azimuth_deg=[90, 270])
    >>> bool(r[0] > r[1])
    True
    """
    bearings = np.asarray(azimuth_deg, float)
    if not np.all(np.isfinite(bearings)):
        raise InvalidBearingError(f"azimuth_deg contains non-finite values: {azimuth_deg!r}")
    grid = standard_range_grid(site, apogee_km, distance_km, flight_time_s, level=level)
    return grid(bearings)


def standard_range_grid(
    site: Any,
    apogee_km: float,
    distance_km: float,
    flight_time_s: float | None = None,
    *,
    level: str = "central",
) -> RangeGrid:
    """The range function of bearing behind :func:`standard_range_by_azimuth`, solved once.

    Calling the result with bearings (degrees) gives ranges in km, interpolated from the
    1-degree launch-azimuth grid; ``min_km`` and ``max_km`` bound it over all bearings.

    Examples
    --------
    >>> grid = standard_range_grid((39.0, 125.7), 4475, 950, 3180)
    >>> bool(grid.min_km < float(grid(90.0)) <= grid.max_km)
    True
    """
    if level not in SAVING_FRACTIONS:
        raise InvalidRangeError(f"level={level!r}: give one of {', '.join(SAVING_FRACTIONS)}")
    apogee, distance, flight = _validated(apogee_km, distance_km, flight_time_s)
    lat, _ = _site_latlon(site)
    sol = _energy(apogee, distance, flight)
    near = sol.ratio >= NEAR_ORBITAL_SPEED_RATIO or sol.q_surface["high"] >= 1.0
    if near and level != "low":
        raise InvalidRangeError(
            f"level={level!r} is undefined for this near-orbital test (speed "
            f"{sol.ratio:.3f} of circular): use level='low', a lower bound"
        )
    q = sol.q_surface[level]
    extra = _extra_time_s(q, sol.burn_time_s, sol.burnout_r_m)
    return range_grids(lat, [q], extra_time_s=[extra])[0]
