"""The WGS84 ellipsoid: the one ``Geod`` and the constants derived from it.

Every geodesic computation of georange goes through :data:`GEOD`
(``pyproj.Geod(ellps="WGS84")``: GeographicLib's algorithms, exact to
nanometres).  The other constants are derived from the ellipsoid here, never
typed in elsewhere; each says what it bounds, so that a stage that needs a
safe underestimate, a safe overestimate or a plain mean takes the right one.

Lengths of a degree on WGS84 (``M`` is the meridian radius of curvature,
``b^2/a`` at the equator to ``a^2/b`` at the poles; a degree of longitude is
``N cos(lat)`` with the prime-vertical radius ``N`` from ``a`` to ``a^2/b``)::

    degree of latitude   110,574 m (equator) ... 111,694 m (poles), mean 111,133 m
    degree of longitude  111,319 m at the equator, shrinking with cos(lat)

Examples
--------
>>> round(M_PER_DEG_MIN), round(M_PER_DEG_LAT_MEAN), round(M_PER_DEG_MAX)
(110574, 111133, 111694)
>>> round(ANTIPODAL_KM, 2), round(MEAN_RADIUS_M, 1)
(20003.93, 6371008.8)
"""

from __future__ import annotations

import math

from pyproj import Geod

__all__ = [
    "ANTIPODAL_KM",
    "A_M",
    "B_M",
    "GEOD",
    "MEAN_RADIUS_M",
    "M_PER_DEG_LAT_MEAN",
    "M_PER_DEG_LON_EQUATOR",
    "M_PER_DEG_MAX",
    "M_PER_DEG_MIN",
    "R_MAX_M",
    "R_MIN_M",
    "WHOLE_GLOBE_KM",
    "F",
]

#: The WGS84 ellipsoid all geometry is computed on.
GEOD = Geod(ellps="WGS84")

#: Semi-major axis (equatorial radius), metres: 6,378,137 m.
A_M: float = float(GEOD.a)
#: Semi-minor axis (polar radius), metres: 6,356,752.314 m.
B_M: float = float(GEOD.b)
#: Flattening ``(a - b) / a``: 1 / 298.257223563.
F: float = float(GEOD.f)

#: The IUGG mean radius ``R1 = (2a + b) / 3`` (6,371,008.8 m), for spherical
#: estimates whose error budget is relative (edge sag, great-circle lengths).
MEAN_RADIUS_M: float = (2.0 * A_M + B_M) / 3.0

#: Smallest radius of curvature, ``b**2 / a`` (the meridian radius at the equator), metres.
R_MIN_M: float = B_M**2 / A_M
#: Largest radius of curvature, ``a**2 / b`` (both radii at the poles), metres.
R_MAX_M: float = A_M**2 / B_M

#: The shortest degree on a meridian (a degree of latitude at the equator, 110,574 m):
#: a lower bound of the ground length of any degree of latitude, for distances that must
#: be underestimated (e.g. "is this vertex within a tolerance of the pole?").
M_PER_DEG_MIN: float = R_MIN_M * math.pi / 180.0
#: The longest degree anywhere (a degree of latitude at the poles, 111,694 m): an upper
#: bound of the ground length of a degree of latitude *and* of longitude (at most
#: ``a * pi / 180`` = 111,319 m), for steps that must be overestimated (rounding).
M_PER_DEG_MAX: float = R_MAX_M * math.pi / 180.0

#: Geodesic distance from any point to its antipode: half a meridian (km).
ANTIPODAL_KM: float = float(GEOD.inv(0.0, 0.0, 180.0, 0.0)[2]) / 1000.0

#: The mean degree of latitude (a quarter meridian over 90, 111,133 m): for rough
#: meridian distances that may err either way by up to 0.51 %.
M_PER_DEG_LAT_MEAN: float = ANTIPODAL_KM * 1000.0 / 180.0
#: A degree of longitude on the equator, ``a * pi / 180`` (111,319 m); times
#: ``cos(lat)`` it is a degree of longitude at latitude ``lat``, short by at most 0.34 %.
M_PER_DEG_LON_EQUATOR: float = A_M * math.pi / 180.0

#: From this range on, a footprint is the whole globe.  Past the cut locus
#: (within about 35 km of the antipode on WGS84) the direct problem no longer
#: traces the boundary of the set of points within range.
WHOLE_GLOBE_KM: float = ANTIPODAL_KM - 35.0
