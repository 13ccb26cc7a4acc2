"""Random footprint requests for the fuzz property and bench/fuzz.py, from 10 uniforms.

Each case is drawn from ten numbers in [0, 1) (hypothesis shrinks them towards 0, which
gives plain cases: a site at (-90, -180), a range of 1 m, no sector); values are rounded to
1e-9 so that a shrunk case reads well.  Bearings stay within [-360, 360].
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from checks import Case
from shapely.geometry import MultiPolygon, Polygon

import geo

N_UNIFORMS = 10
WHOLE_GLOBE_KM = 20003.931458623584 - 35.0


def _r9(x: float) -> float:
    return round(float(x), 9)


def case_from(u: Sequence[float]) -> tuple[Case, float | None]:
    """(the case, its tolerance_m argument or None) from 10 uniforms."""
    u0, u1, u2, u3, u4, u5, u6, u7, u8, u9 = (float(x) for x in u)
    specials = (-90.0, 90.0, 0.0, 89.9999, -89.9999, 45.0)
    if u0 < 0.1:
        lat = specials[int(u0 * 10 * len(specials)) % len(specials)]
    else:
        lat = float(np.degrees(np.arcsin(2.0 * (u0 - 0.1) / 0.9 - 1.0)))
    lon = -180.0 + 360.0 * u1 if u1 >= 0.05 else (-180.0, 180.0, 0.0)[int(u1 * 60) % 3]
    if u2 < 0.6:
        range_km = 10.0 ** (-3.0 + 7.3 * u3)  # 1 m to 20,000 km
    elif u2 < 0.85:
        range_km = 1.0 + 20_099.0 * u3
    else:
        range_km = WHOLE_GLOBE_KM + (u3 - 0.5) * 200.0
    range_km = _r9(min(max(range_km, 0.001), 20_100.0))
    min_km = 0.0
    if 0.7 <= u4 < 0.9:
        min_km = _r9(range_km * u5)
    elif u4 >= 0.9:
        min_km = _r9(10.0 ** (-7.0 + 4.0 * u5))  # 0.1 mm to 1 m
    if min_km >= range_km:
        min_km = 0.0
    bearing = None
    if u6 >= 0.5:
        start = -360.0 + 720.0 * u7
        if u8 < 0.6:
            width = 0.001 + 359.999 * (u8 / 0.6)
        elif u8 < 0.8:
            width = 360.0 - 10.0 ** (-9.0 + 9.0 * (u8 - 0.6) / 0.2)  # near-full sectors
        else:
            width = 10.0 ** (-6.0 + 6.0 * (u8 - 0.8) / 0.2)  # narrow sectors
        end = start + width
        if end > 360.0:
            end -= 360.0
        bearing = (_r9(start), _r9(end))
        if bearing[0] == bearing[1]:
            bearing = None
    tolerance = None if u9 < 0.5 else _r9(10.0 ** (-2.0 + 5.0 * (u9 - 0.5) / 0.5))
    return Case(lat, lon, range_km, min_km, bearing, tolerance), tolerance


def footprint_of(case: Case) -> Polygon | MultiPolygon:
    """The engine's answer to a case (its tolerance_m passed as given, None for the default)."""
    return geo.footprint(
        case.lat,
        case.lon,
        case.range_km,
        min_range_km=case.min_range_km,
        bearing=case.bearing,
        tolerance_m=case.tolerance_m,
    )
