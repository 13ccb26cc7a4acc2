"""Spec and checks: validated inputs, tolerances, and the rings a spec needs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from geo.errors import InvalidBearingError, InvalidCoordinateError, InvalidRangeError
from geo.wgs84 import A_M, ANTIPODAL_KM, GEOD, M_PER_DEG_LAT_MEAN, WHOLE_GLOBE_KM

FloatArray = npt.NDArray[np.float64]

#: The longest range accepted: the antipodal distance plus 1 % (a typo such as
#: 1e9 km is an error, not a whole-globe footprint).
MAX_RANGE_KM = ANTIPODAL_KM * 1.01

#: Bearings are accepted within [-MAX_BEARING_DEG, MAX_BEARING_DEG] and shown in [0, 360).
MAX_BEARING_DEG = 360.0

#: The finest tolerance the engine honours (metres).  Longitudes are kept to 2**-36 degree
#: (1.6 micrometres) so that pieces cut at the antimeridian meet exactly; a millimetre
#: leaves room for that and for Geod.fwd's nanometres.
MIN_TOLERANCE_M = 0.001

#: A sector whose missing wedge is nowhere wider than the tolerance is the full disk: the
#: wedge of ``g`` radians is at most ``g`` times the largest reduced length wide (below
#: ``a``, 1 % margin; and at most the range).
_WEDGE_M_PER_RAD = 1.01 * A_M


def default_tolerance_m(range_km: float) -> float:
    """Return the default boundary tolerance for a range: ``min(100 m, range / 1000)``,
    at least 1 mm (``MIN_TOLERANCE_M``).

    Examples
    --------
    >>> default_tolerance_m(1500)
    100.0
    >>> default_tolerance_m(50)
    50.0
    >>> default_tolerance_m(0.0002)
    0.001
    """
    return max(min(100.0, float(range_km)), MIN_TOLERANCE_M)


# --- validation ------------------------------------------------------------------


def _check_site(lat: float, lon: float) -> tuple[float, float]:
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        raise InvalidCoordinateError(
            f"site coordinates ({lat!r}, {lon!r}) are not numbers; give latitude and "
            "longitude in decimal degrees, e.g. (39.03, 125.75)"
        ) from None
    if not math.isfinite(lat_f) or not -90.0 <= lat_f <= 90.0:
        raise InvalidCoordinateError(
            f"latitude {lat!r} is outside [-90, 90]; give decimal degrees north (negative south)"
        )
    if not math.isfinite(lon_f):
        raise InvalidCoordinateError(
            f"longitude {lon!r} is not a finite number; give decimal degrees east "
            "(negative west; values outside +/-180 are wrapped)"
        )
    return lat_f, _wrap_lon(lon_f)


def _wrap_lon(lon: float) -> float:
    wrapped = (lon + 180.0) % 360.0 - 180.0
    return 180.0 if wrapped == -180.0 and lon > 0 else wrapped


def _check_range(range_km: float, *, what: str = "range_km", minimum: bool = False) -> float:
    """A range in km: finite, > 0 (>= 0 for a minimum range) and <= MAX_RANGE_KM."""
    try:
        value = float(range_km)
    except (TypeError, ValueError):
        raise InvalidRangeError(
            f"{what} {range_km!r} is not a number; give a distance in kilometres, e.g. 1500"
        ) from None
    low = "≥ 0 (0: no minimum)" if minimum else "> 0"
    bound = (
        f"{what} must be a finite number of kilometres {low} and ≤ {MAX_RANGE_KM:,.2f} km "
        f"(the antipodal distance {ANTIPODAL_KM:,.2f} km plus 1 %)"
    )
    if not math.isfinite(value) or value < 0.0 or (value == 0.0 and not minimum):
        raise InvalidRangeError(f"{what} {range_km!r} is not allowed; {bound}")
    if value > MAX_RANGE_KM:
        raise InvalidRangeError(
            f"{what} {range_km!r} is not allowed: no point on Earth is farther than "
            f"{ANTIPODAL_KM:,.2f} km along the surface; {bound}"
        )
    return value


def _check_tolerance(tolerance_m: float | None, range_km: float) -> float:
    if tolerance_m is None:
        return default_tolerance_m(range_km)
    try:
        value = float(tolerance_m)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value) or value < MIN_TOLERANCE_M:
        raise InvalidRangeError(
            f"tolerance_m {tolerance_m!r} is not allowed; give a finite number of metres "
            f"≥ {MIN_TOLERANCE_M} (1 mm, the finest the engine honours; "
            "default: min(100 m, range/1000))"
        )
    return value


def _check_bearing(bearing: Sequence[float] | None) -> tuple[float, float] | None:
    if bearing is None:
        return None
    try:
        start, end = (float(b) for b in bearing)
    except (TypeError, ValueError):
        raise InvalidBearingError(
            f"bearing {bearing!r} is not a pair of numbers; give (start_deg, end_deg), "
            "clockwise from north, e.g. (45, 135)"
        ) from None
    if not (math.isfinite(start) and math.isfinite(end)):
        raise InvalidBearingError(
            f"bearing {bearing!r} is not finite; give (start_deg, end_deg) in degrees, "
            "clockwise from north"
        )
    if not all(-MAX_BEARING_DEG <= b <= MAX_BEARING_DEG for b in (start, end)):
        raise InvalidBearingError(
            f"bearing {bearing!r} is not allowed; each bearing must be within [-360, 360] "
            "degrees clockwise from north, e.g. (45, 135) or (-30, 30)"
        )
    return _normalised_bearing(start, end)


def _normalised_bearing(start: float, end: float) -> tuple[float, float]:
    """The same sector with both bearings in [0, 360); a full circle ends at start + 360."""
    # -1e-300 % 360 rounds to 360.0: fold that back to 0
    start_n, end_n = (b % 360.0 if b % 360.0 < 360.0 else 0.0 for b in (start, end))
    if end_n == start_n and end != start:
        end_n = start_n + 360.0  # e.g. (0, 360): the whole circle, not a zero-width sector
    return start_n, end_n


@dataclass
class _Spec:
    lat: float
    lon: float
    range_km: float
    min_range_km: float
    bearing: tuple[float, float] | None
    tolerance_m: float | None


def _prepare(
    lat: float,
    lon: float,
    range_km: float,
    min_range_km: float,
    bearing: Sequence[float] | None,
    tolerance_m: float | None,
) -> _Spec:
    lat_f, lon_f = _check_site(lat, lon)
    r = _check_range(range_km)
    m = 0.0
    if min_range_km is not None:
        m = _check_range(min_range_km, what="min_range_km", minimum=True)
        if m > 0.0 and m >= r:
            raise InvalidRangeError(
                f"min_range_km {min_range_km!r} is not less than range_km {range_km!r}; "
                "the minimum range must be smaller than the maximum range"
            )
    _check_tolerance(tolerance_m, r)
    return _Spec(lat_f, lon_f, r, m, _check_bearing(bearing), tolerance_m)


def _is_full_within(span: float, tol_m: float, range_m: float) -> bool:
    """Is the wedge a sector leaves out nowhere wider than the tolerance? (Then the
    footprint is the full disk: every point of the wedge is within the tolerance of it.)
    The wedge is at most its angle times the reduced length wide, which is at most the
    distance and below ``a``."""
    return math.radians(360.0 - span) * min(range_m, _WEDGE_M_PER_RAD) <= tol_m


def _sector_azimuths(bearing: tuple[float, float] | None) -> tuple[float, float]:
    """(az_hi, span) for a bearing interval clockwise from start to end."""
    if bearing is None:
        return 0.0, 360.0
    start, end = bearing
    span = (end - start) % 360.0
    if span == 0.0 and end != start:
        span = 360.0  # e.g. (0, 360): the whole circle
    if span == 0.0:
        raise InvalidBearingError(
            f"bearing {bearing!r} has zero width; give (start_deg, end_deg) with end clockwise "
            "of start, e.g. (45, 135), or leave bearing out for the full circle"
        )
    return start + span, span


def _drawable_sector(az_hi: float, span: float, range_km: float, tol: float) -> tuple[float, float]:
    """A sector narrower than half the tolerance at its range, widened to that (both sides
    move by at most a quarter of the tolerance: the reduced length is at most the distance),
    so that its outline can be drawn at all; others unchanged."""
    least = math.degrees(0.5 * tol / (range_km * 1000.0))
    if span >= least:
        return az_hi, span
    return az_hi + 0.5 * (least - span), least


def _ring_specs(
    specs: Sequence[_Spec],
) -> tuple[dict[str, FloatArray], list[tuple[int | None, int | None, float]]]:
    """The boundary rings the specs need: (ring arrays, per spec (outer, inner, tolerance))."""
    cols: dict[str, list[float]] = {
        k: [] for k in ("lat", "lon", "range_m", "tol_m", "az_hi", "span")
    }
    plan: list[tuple[int | None, int | None, float]] = []
    annular: list[tuple[int, int]] = []  # (sector ring, hole ring) of annular sectors

    def add(s: _Spec, range_km: float, tol: float, az_hi: float, span: float) -> int:
        range_m = range_km * 1000.0
        for key, value in zip(cols, (s.lat, s.lon, range_m, tol, az_hi, span), strict=True):
            cols[key].append(value)
        return len(cols["lat"]) - 1

    for s in specs:
        outer = inner = None
        az_hi, span = _sector_azimuths(s.bearing)
        tol = _check_tolerance(s.tolerance_m, s.range_km)
        if span < 360.0 and _is_full_within(span, tol, s.range_km * 1000.0):
            span = 360.0  # drawn as the full disk
        if abs(s.lat) == 90.0 and span < 360.0:
            plan.append((None, None, tol))  # a sector from a pole: see _polar_sector
            continue
        # a range below half the tolerance is drawn at half the tolerance: the honest small
        # shape (within the tolerance of the true one), never a ring too small to draw
        drawn_km = max(s.range_km, 0.0005 * tol)
        tol_out = tol
        if span < 360.0:
            wide = _drawable_sector(az_hi, span, min(drawn_km, WHOLE_GLOBE_KM), tol)
            if wide != (az_hi, span):
                # the sides moved by up to tol/4, so they are drawn to half the tolerance; a
                # corner with the hole is exact on the moved side (see _corner_knots), tol/4
                # beside the true one: (tol/4)^2 + (0.9 tol)^2 < tol^2 for the hole's error
                (az_hi, span), tol_out = wide, 0.5 * tol
        if s.range_km < WHOLE_GLOBE_KM:
            outer = add(s, drawn_km, tol_out, az_hi, span)
        elif span < 360.0:
            # A sector past the cut locus: drawn to just short of the antipode.
            outer = add(s, WHOLE_GLOBE_KM, tol_out, az_hi, span)
        tol_in = _check_tolerance(s.tolerance_m, s.min_range_km)
        # a hole not wider than half its tolerance is left out: all of it lies within the
        # tolerance of the boundary
        if s.min_range_km * 1000.0 > 0.5 * tol_in:
            # a sector minus the whole inner disk: the sector's sides are cut cleanly,
            # not subtracted from coinciding inner sides (which leaves zero-width spikes)
            # from the sector's first side round: its vertex there is a corner (see below)
            hole_az = az_hi if span < 360.0 else 0.0
            inner = add(s, min(s.min_range_km, WHOLE_GLOBE_KM), tol_in, hole_az, 360.0)
            tol = max(tol, tol_in)
            if outer is not None and span < 360.0:
                annular.append((outer, inner))
        plan.append((outer, inner, tol))
    arrays = {k: np.asarray(v, dtype=float) for k, v in cols.items()}
    # A circle through a pole (or within a hair of it) has no well-defined
    # winding in lon/lat: draw it a quarter tolerance off the pole, and densify
    # to half the tolerance, so that the drawing stays within the tolerance.
    r, tol_m = arrays["range_m"], arrays["tol_m"]
    for pole in (90.0, -90.0):
        # meridian distance to the pole, roughly (within 1 %), decides who needs Geod.inv
        rough = np.abs(pole - arrays["lat"]) * M_PER_DEG_LAT_MEAN
        maybe = np.flatnonzero(np.abs(rough - r) < 0.02 * rough + tol_m)
        if maybe.size == 0:
            continue
        d_pole = np.full(r.size, np.inf)
        d_pole[maybe] = GEOD.inv(
            arrays["lon"][maybe],
            arrays["lat"][maybe],
            np.zeros(maybe.size),
            np.full(maybe.size, pole),
        )[2]
        close = np.abs(d_pole - r) < 0.25 * tol_m
        r[close] = np.asarray(d_pole)[close] - 0.25 * tol_m[close]
        tol_m[close] *= 0.5
    arrays["knots"] = _corner_knots(arrays, annular)
    return arrays, plan


def _corner_knots(arrays: dict[str, FloatArray], annular: list[tuple[int, int]]) -> FloatArray:
    """Vertices the rings must have from the start (positions ``u``, see _RingParams): where
    a hole meets a sector's sides, both rings get a vertex at the exact corner.  Otherwise
    the drawn corner is where the drawn side and the drawn hole cross, off by the side's
    error one way and the hole's the other: up to sqrt(2) times the tolerance."""
    knots = np.full((arrays["lat"].size, 2), np.nan)
    for outer, inner in annular:
        # the hole as drawn (a circle through a pole is drawn a little inside it)
        share = arrays["range_m"][inner] / arrays["range_m"][outer]
        if 0.0 < share < 1.0:
            knots[outer] = (share, 3.0 - share)  # out along az_hi, back along az_hi - span
            knots[inner, 0] = arrays["span"][outer] / 360.0  # az_hi - span on the hole
    return knots
