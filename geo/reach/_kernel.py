"""The exact verdict kernel: in or out of range as Geod.inv says, decided fast.

Every distance this package reports is a WGS84 geodesic distance from
:meth:`pyproj.Geod.inv`, and every in/out verdict is the verdict ``Geod.inv``
gives, never a polygon test.  Verdicts over many points are made fast by a
spherical prefilter that is *provably* safe, so ``Geod.inv`` only runs for
the few points the prefilter cannot decide.

Why the prefilter is safe
-------------------------
Map the ellipsoid onto the unit sphere by keeping geodetic latitude ``phi``
and longitude ``lam``.  The two metrics are::

    ellipsoid:    ds^2 = M(phi)^2 dphi^2 + N(phi)^2 cos(phi)^2 dlam^2
    unit sphere:  dsigma^2 =        dphi^2 +          cos(phi)^2 dlam^2

where ``M`` (meridian) and ``N`` (prime vertical) are the radii of curvature.
On WGS84 both lie in ``[b^2/a, a^2/b]`` = [6,335,439.3 m, 6,399,593.6 m]
(``M`` runs from ``b^2/a`` at the equator to ``a^2/b`` at the poles, ``N``
from ``a`` to ``a^2/b``).  So every path is at least ``b^2/a`` and at most
``a^2/b`` times longer on the ellipsoid than its image on the sphere, and the
same holds for the shortest paths: for the central angle ``sigma`` between
two points on the sphere and their geodesic distance ``s`` on WGS84,

    ``R_MIN_M * sigma <= s <= R_MAX_M * sigma``  (``R_MIN_M = b^2/a``, ``R_MAX_M = a^2/b``).

Hence ``R_MAX_M * sigma <= range`` proves a point is within range and
``R_MIN_M * sigma > range`` proves it is not.  Only points in the band
between (about 1 % of the range wide, since ``R_MAX_M / R_MIN_M = (a/b)^3 =
1.0101``) go to ``Geod.inv``.  ``sigma`` is compared through the haversine
``h = sin^2(sigma / 2)``, which keeps full relative precision for small
angles; the thresholds are widened by a relative 1e-9 and an absolute 1e-12
rad (6 um) so that floating-point rounding cannot move a point across them.
No empirical margin is involved: the bound is a theorem about the metrics.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from geo.errors import InvalidCoordinateError
from geo.footprint._spec import _sector_azimuths
from geo.gazetteer import RegionLike
from geo.reach._origin import _Origin, _origin
from geo.wgs84 import GEOD, R_MAX_M, R_MIN_M

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_REL_SLACK = 1e-9  # relative widening of the sure-in / sure-out thresholds
_ABS_SLACK_RAD = 1e-12  # absolute widening, radians (6 micrometres on the ground)


def _h_threshold(sigma: float) -> float:
    """``sin^2(sigma / 2)`` for a central angle clamped to [0, pi]."""
    return math.sin(min(max(sigma, 0.0), math.pi) / 2.0) ** 2


def _haversine(lat0: float, lon0: float, lat: FloatArray, lon: FloatArray) -> FloatArray:
    """``sin^2(sigma / 2)`` of the central angle between the site and each point (degrees in)."""
    rad = math.pi / 180.0
    a = np.subtract(lat, lat0)
    a *= 0.5 * rad
    np.sin(a, out=a)
    a *= a
    b = np.subtract(lon, lon0)
    b *= 0.5 * rad
    np.sin(b, out=b)
    b *= b
    c = np.multiply(lat, rad)
    np.cos(c, out=c)
    c *= math.cos(lat0 * rad)
    b *= c
    a += b
    return a


def _sector_mask(
    az_deg: FloatArray, dist_m: FloatArray, bearing: tuple[float, float] | None
) -> BoolArray:
    if bearing is None:
        return np.ones(az_deg.shape, dtype=bool)
    _, span = _sector_azimuths(bearing)
    start = bearing[0]  # as given: az_hi - span may round a side onto a point's azimuth
    mask: BoolArray = ((az_deg - start) % 360.0 <= span) | (dist_m == 0.0)
    return mask


def _classify(o: _Origin, lat: FloatArray, lon: FloatArray) -> tuple[BoolArray, int]:
    """Exact verdicts (as ``Geod.inv`` gives them) and the number of ``Geod.inv`` calls made."""
    n = lat.shape[0]
    inside: BoolArray = np.zeros(n, dtype=bool)
    if n == 0:
        return inside, 0
    r_m = o.range_km * 1000.0
    m_m = o.min_range_km * 1000.0
    # central-angle thresholds (radians): s <= r is certain below sig_in, s > r above sig_out
    sig_in = r_m / R_MAX_M * (1.0 - _REL_SLACK) - _ABS_SLACK_RAD
    sig_out = r_m / R_MIN_M * (1.0 + _REL_SLACK) + _ABS_SLACK_RAD
    # the first stage: a latitude band (sigma >= |dphi| on the sphere), cheap and often decisive
    if sig_out < math.pi / 4:
        cand = np.flatnonzero(np.abs(lat - o.lat) <= math.degrees(sig_out))
        c_lat, c_lon = lat[cand], lon[cand]
    else:
        cand = None
        c_lat, c_lon = lat, lon
    h = _haversine(o.lat, o.lon, c_lat, c_lon)
    sure_out = h > _h_threshold(sig_out) if sig_out < math.pi else np.zeros(h.shape, dtype=bool)
    if sig_in >= math.pi:
        sure_in = np.ones(h.shape, dtype=bool)
    elif sig_in > 0.0:
        sure_in = h <= _h_threshold(sig_in)
    else:
        sure_in = np.zeros(h.shape, dtype=bool)
    if m_m > 0.0:
        # s >= min is certain above mig_in, s < min is certain below mig_out
        mig_in = m_m / R_MIN_M * (1.0 + _REL_SLACK) + _ABS_SLACK_RAD
        mig_out = m_m / R_MAX_M * (1.0 - _REL_SLACK) - _ABS_SLACK_RAD
        if mig_in < math.pi:
            sure_in &= h >= _h_threshold(mig_in)
        else:
            sure_in[:] = False
        if mig_out > 0.0:
            sure_out |= h < _h_threshold(mig_out)
    verdict = sure_in
    todo = np.flatnonzero(~(sure_in | sure_out))
    if o.bearing is not None:
        # the sector needs the azimuth of every point within the distance band
        todo = np.flatnonzero(~sure_out)
    calls = int(todo.size)
    if calls:
        t_lat, t_lon = c_lat[todo], c_lon[todo]
        az, _, d = GEOD.inv(np.full(calls, o.lon), np.full(calls, o.lat), t_lon, t_lat)
        d = np.asarray(d)
        ok = d <= r_m
        if m_m > 0.0:
            ok &= d >= m_m
        ok &= _sector_mask(np.asarray(az) % 360.0, d, o.bearing)
        verdict = verdict.copy() if o.bearing is None else np.zeros(h.shape, dtype=bool)
        verdict[todo] = ok
    if cand is None:
        inside = verdict
    else:
        inside[cand] = verdict
    log.debug("verdicts for %d points: %d Geod.inv calls", n, calls)
    return inside, calls


def _as_degrees(values: Any) -> FloatArray:
    try:
        return np.ascontiguousarray(np.asarray(values, dtype=np.float64).ravel())
    except (TypeError, ValueError):
        raise InvalidCoordinateError(
            "point coordinates are not numbers; give arrays of decimal degrees"
        ) from None


def _check_points(lat: FloatArray, lon: FloatArray, where: str) -> None:
    bad = ~(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90.0))
    if bad.any():
        rows = np.flatnonzero(bad)[:5]
        shown = ", ".join(f"row {i}: ({lat[i]!r}, {lon[i]!r})" for i in rows)
        raise InvalidCoordinateError(
            f"{int(bad.sum())} point(s) of {where} have no valid coordinates ({shown}); "
            "give latitudes in [-90, 90] and finite longitudes in decimal degrees"
        )


def _point_arrays(lat: Any, lon: Any) -> tuple[FloatArray, FloatArray]:
    """Checked points: one flat float array of latitudes and one of longitudes, alike in size."""
    la, lo = _as_degrees(lat), _as_degrees(lon)
    if la.shape != lo.shape:
        raise InvalidCoordinateError(
            f"lat has {la.size} values but lon has {lo.size}; give one longitude per latitude"
        )
    _check_points(la, lo, "the points")
    return la, lo


def within_range(
    site: Any,
    range_km: float,
    lat: Any,
    lon: Any,
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    sites: str | os.PathLike[str] | None = None,
    region: RegionLike = None,
    country: str | None = None,
) -> BoolArray:
    """Return, for each point, whether it lies within range of the site (exact, fast).

    The verdict is the one :meth:`pyproj.Geod.inv` gives (geodesic distance on
    WGS84 at most ``range_km``, at least ``min_range_km``, initial azimuth within
    ``bearing``), but ``Geod.inv`` only runs for points that a provably safe
    spherical bound cannot decide (see the module docstring).

    Parameters
    ----------
    site
        A :class:`geo.Site` (or any object with ``lat`` and ``lon``), a ``(lat, lon)``
        pair in decimal degrees, or a place name: see :func:`geo.as_site`.
    range_km
        The range, in kilometres (> 0).
    lat, lon
        Point coordinates in decimal degrees (array-likes of equal length).
    min_range_km
        A minimum range (an annulus); 0 for none.
    bearing
        ``(start_deg, end_deg)`` clockwise from north for a sector, as in :func:`geo.footprint`.
    sites, region, country
        How a site name is looked up: see :func:`geo.as_site`.

    Returns
    -------
    numpy.ndarray of bool
        One verdict per point.

    Raises
    ------
    InvalidRangeError, InvalidCoordinateError, InvalidBearingError
        For a bad range, site, point or bearing.

    Examples
    --------
    >>> import geo
    >>> geo.within_range((40.0347, 128.1856), 1500, [37.5665, 13.584], [126.978, 144.93])
    array([ True, False])
    """
    o = _origin(site, range_km, min_range_km, bearing, sites=sites, region=region, country=country)
    la, lo = _point_arrays(lat, lon)
    return _classify(o, la, lo)[0]
