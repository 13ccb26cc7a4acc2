"""A lofted test's estimate as a derived claim: the range it carries and the note that says so."""

from __future__ import annotations

from geo.lofted._estimate import CAVEATS, standard_trajectory_range

#: From this reported apogee (km) on, a test with a reported distance counts as lofted and
#: gets a derived standard-trajectory claim (catalog import, extraction).
LOFTED_MIN_APOGEE_KM = 1000.0

#: ``range_kind`` and ``claimant`` of a derived claim.
DERIVED_KIND = "standard-trajectory"
DERIVED_CLAIMANT = "georange"


def is_lofted(apogee_km: float | None, distance_km: float | None) -> bool:
    """Whether a reported apogee and distance call for a derived claim.

    Examples
    --------
    >>> is_lofted(4475, 950), is_lofted(550, 500), is_lofted(6000, None)
    (True, False, False)
    """
    return (
        apogee_km is not None
        and distance_km is not None
        and apogee_km >= LOFTED_MIN_APOGEE_KM
        and distance_km > 0
    )


def standard_trajectory_claim(
    apogee_km: float, distance_km: float, flight_time_s: float | None = None
) -> tuple[float, str]:
    """The range of a derived claim (central; low, a lower bound, when near-orbital) and its note.

    The note names the inputs, the result at every level, the method and every flag, and says
    that the number is derived by georange, not reported.

    Raises
    ------
    InvalidRangeError
        Inputs out of bounds (see :func:`geo.standard_trajectory_range`).

    Examples
    --------
    >>> km, note = standard_trajectory_claim(4475, 950, 3180)
    >>> round(km, -2), note.startswith("standard-trajectory estimate derived by georange")
    (13100.0, True)
    >>> km, note = standard_trajectory_claim(6248.5, 1090)
    >>> "≥ 17,766 km" in note
    True
    """
    est = standard_trajectory_range(apogee_km, distance_km, flight_time_s)
    time = "not given" if flight_time_s is None else f"{flight_time_s:,g} s"
    if est.near_orbital or est.central_km is None or est.high_km is None:
        km = est.low_km
        result = (
            f"≥ {est.low_km:,.0f} km (a lower bound: near-orbital energy, speed "
            f"{est.circular_speed_ratio:.3f} of circular)"
        )
    else:
        km = est.central_km
        result = (
            f"central {est.central_km:,.0f} km (low {est.low_km:,.0f}, high {est.high_km:,.0f} km)"
        )
    flags = [w for w in est.warnings if w not in CAVEATS and not w.startswith("≥")]
    parts = [
        "standard-trajectory estimate derived by georange (not reported) from the lofted "
        f"test: apogee {apogee_km:,g} km, distance {distance_km:,g} km, flight time {time}",
        result,
        f"burn time {est.burn_time_s:,.0f} s",
        f"method: {est.method}",
        *[f"flag: {f}" for f in flags],
        *[f"caveat: {c}" for c in CAVEATS],
    ]
    return km, "; ".join(parts)
