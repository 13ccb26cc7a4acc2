"""An independent point-mass flight of a two-stage rocket, for the forward check.

Spherical, non-rotating Earth (radius 6,371,008.8 m), gravity mu/r^2 only, no drag, in the
plane of the flight; fixed-step RK4 (0.5 s in the burn, 2 s in the coast) from lift-off to
impact, with the impact found by linear interpolation of the last step. Nothing here uses
``geo.lofted``: this is the oracle the inverse is checked against.

The vehicle is a Hwasong-15-class two-stage liquid missile with a light payload (masses and
specific impulses chosen to give burn times and a lofted apogee like the 2017-11-29 test:
stage 1 burns 150 s, stage 2 130 s).

The pitch programme: vertical for 10 s, then the thrust tilts from the local vertical towards
down-range, linearly in time, to ``tilt_end_deg`` at burnout.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

MU = 3.986004418e14
R_EARTH = 6_371_008.8
G0 = 9.80665


@dataclass(frozen=True)
class Stage:
    propellant_kg: float
    dry_kg: float
    burn_s: float
    isp_s: float


STAGES = (
    Stage(propellant_kg=50_000.0, dry_kg=3_500.0, burn_s=150.0, isp_s=285.0),
    Stage(propellant_kg=9_500.0, dry_kg=800.0, burn_s=130.0, isp_s=300.0),
)
PAYLOAD_KG = 1_400.0
VERTICAL_S = 10.0
MIN_STAGING_KM = 90.0


@dataclass(frozen=True)
class Flight:
    apogee_km: float
    range_km: float
    flight_time_s: float
    burn_time_s: float
    burnout_altitude_km: float
    burnout_speed_m_s: float
    gravity_loss_m_s: float
    staging_altitude_km: float


def _deriv(
    state: tuple[float, float, float, float], thrust_acc: float, tilt: float
) -> tuple[float, float, float, float]:
    x, y, vx, vy = state
    r = math.hypot(x, y)
    ux, uy = x / r, y / r  # local up
    dx, dy = uy, -ux  # local down-range (clockwise in the plane)
    g = -MU / (r * r)
    ax = g * ux + thrust_acc * (math.cos(tilt) * ux + math.sin(tilt) * dx)
    ay = g * uy + thrust_acc * (math.cos(tilt) * uy + math.sin(tilt) * dy)
    return vx, vy, ax, ay


def _rk4(
    state: tuple[float, float, float, float], dt: float, thrust_acc: float, tilt: float
) -> tuple[float, float, float, float]:
    def add(
        s: tuple[float, ...], k: tuple[float, ...], h: float
    ) -> tuple[float, float, float, float]:
        return (s[0] + h * k[0], s[1] + h * k[1], s[2] + h * k[2], s[3] + h * k[3])

    k1 = _deriv(state, thrust_acc, tilt)
    k2 = _deriv(add(state, k1, dt / 2), thrust_acc, tilt)
    k3 = _deriv(add(state, k2, dt / 2), thrust_acc, tilt)
    k4 = _deriv(add(state, k3, dt), thrust_acc, tilt)
    return (
        state[0] + dt / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]),
        state[1] + dt / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]),
        state[2] + dt / 6 * (k1[2] + 2 * k2[2] + 2 * k3[2] + k4[2]),
        state[3] + dt / 6 * (k1[3] + 2 * k2[3] + 2 * k3[3] + k4[3]),
    )


def _burn(
    programme: Callable[[float, tuple[float, float, float, float]], float], payload_kg: float
) -> tuple[tuple[float, float, float, float], float, float, float]:
    """Fly the two burns; ``programme(t, state)`` gives the thrust tilt from the local vertical.

    Returns the burnout state, the time, the gravity loss (the integral of g sin(gamma)) and
    the altitude at stage separation (m).
    """
    state = (0.0, R_EARTH, 0.0, 0.0)
    t = 0.0
    loss = 0.0
    mass = sum(s.propellant_kg + s.dry_kg for s in STAGES) + payload_kg
    dt = 0.5
    for stage in STAGES:
        mdot = stage.propellant_kg / stage.burn_s
        thrust = mdot * stage.isp_s * G0
        t_stage = 0.0
        while t_stage < stage.burn_s - 1e-9:
            tilt = programme(t, state)
            # thrust acceleration at the step's mid mass (mass falls linearly within a stage)
            state = _rk4(state, dt, thrust / (mass - mdot * dt / 2), tilt)
            r = math.hypot(state[0], state[1])
            if r < R_EARTH:
                raise ValueError("the pitch programme flies into the ground during the burn")
            speed = math.hypot(state[2], state[3])
            sin_gamma = (state[0] * state[2] + state[1] * state[3]) / (r * speed)
            loss += MU / (r * r) * sin_gamma * dt
            mass -= mdot * dt
            t += dt
            t_stage += dt
        mass -= stage.dry_kg
        if stage is STAGES[0]:
            staging = math.hypot(state[0], state[1]) - R_EARTH
    return state, t, loss, staging


def _coast(state: tuple[float, float, float, float], t: float) -> tuple[float, float, float]:
    """Coast to impact; returns apogee altitude (m), range angle (rad) and time of impact."""
    apogee = math.hypot(state[0], state[1]) - R_EARTH
    dt = 2.0
    prev = state
    angle = math.atan2(state[0], state[1])  # from the launch point (0, R), unwrapped below
    while True:
        new = _rk4(prev, dt, 0.0, 0.0)
        r_new = math.hypot(new[0], new[1])
        apogee = max(apogee, r_new - R_EARTH)
        if r_new < R_EARTH:
            r_prev = math.hypot(prev[0], prev[1])
            f = (r_prev - R_EARTH) / (r_prev - r_new)
            x = prev[0] + f * (new[0] - prev[0])
            y = prev[1] + f * (new[1] - prev[1])
            step = math.atan2(x * prev[1] - y * prev[0], x * prev[0] + y * prev[1])
            return apogee, angle + step, t + f * dt
        angle += math.atan2(
            new[0] * prev[1] - new[1] * prev[0], new[0] * prev[0] + new[1] * prev[1]
        )
        prev = new
        t += dt


def _flight(
    programme: Callable[[float, tuple[float, float, float, float]], float], payload_kg: float
) -> Flight:
    state, t, loss, staging = _burn(programme, payload_kg)
    apogee, angle, t_impact = _coast(state, t)
    return Flight(
        apogee_km=apogee / 1000.0,
        range_km=R_EARTH * angle / 1000.0,
        flight_time_s=t_impact,
        burn_time_s=t,
        burnout_altitude_km=(math.hypot(state[0], state[1]) - R_EARTH) / 1000.0,
        burnout_speed_m_s=math.hypot(state[2], state[3]),
        gravity_loss_m_s=loss,
        staging_altitude_km=staging / 1000.0,
    )


def lofted(tilt_end_deg: float = 4.0, *, payload_kg: float = PAYLOAD_KG) -> Flight:
    """Near-vertical flight: after 10 s vertical, the thrust tilts linearly to ``tilt_end_deg``."""
    total_burn = sum(s.burn_s for s in STAGES)

    def programme(t: float, state: tuple[float, float, float, float]) -> float:
        frac = max(0.0, (t - VERTICAL_S) / (total_burn - VERTICAL_S))
        return math.radians(tilt_end_deg) * frac

    return _flight(programme, payload_kg)


def gravity_turn(kick_deg: float, *, payload_kg: float = PAYLOAD_KG) -> Flight:
    """Standard ascent: 10 s vertical, a 5 s kick to ``kick_deg``, then thrust along the velocity.

    A zero-angle-of-attack (gravity) turn is how ballistic missiles climb through the
    atmosphere; the kick angle sets how flat the trajectory becomes.
    """

    def programme(t: float, state: tuple[float, float, float, float]) -> float:
        if t < VERTICAL_S:
            return 0.0
        if t < VERTICAL_S + 5.0:
            return math.radians(kick_deg) * (t - VERTICAL_S) / 5.0
        x, y, vx, vy = state
        r = math.hypot(x, y)
        up = (x * vx + y * vy) / r
        down_range = (y * vx - x * vy) / r
        return math.atan2(down_range, up)

    return _flight(programme, payload_kg)


def standard(*, payload_kg: float = PAYLOAD_KG) -> tuple[float, Flight]:
    """The standard ascent: the flattest gravity turn that stages above ``MIN_STAGING_KM``.

    Without drag a flatter turn always flies farther (less gravity loss) until it hits the
    ground; what stops a real missile is the atmosphere. So the standard flight is the
    range-maximising gravity turn among those whose first stage burns out above 90 km (air
    density there is ~3e-6 of sea level): the kick angle at which stage separation is at
    exactly 90 km, found by bisection (the staging altitude falls as the kick grows).
    """
    lo, hi = 0.5, 12.0
    for _ in range(30):
        mid = (lo + hi) / 2
        if gravity_turn(mid, payload_kg=payload_kg).staging_altitude_km > MIN_STAGING_KM:
            lo = mid
        else:
            hi = mid
    return lo, gravity_turn(lo, payload_kg=payload_kg)


if __name__ == "__main__":
    import time

    t0 = time.perf_counter()
    print("lofted", lofted())
    print("standard", *standard(), f"{time.perf_counter() - t0:.2f} s")
