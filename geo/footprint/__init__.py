"""Geodesic footprints on the WGS84 ellipsoid: disks, annuli and sectors.

A footprint is the set of points whose geodesic distance from a site is at
most the range (and at least the minimum range, and whose initial azimuth
lies in the bearing interval for a sector).  Its boundary is computed, never
approximated by a projected circle:

1. Vertices come from :meth:`pyproj.Geod.fwd` (exact to nanometres), for
   *decreasing* azimuths, so that the ring is counter-clockwise with the
   footprint on its left (RFC 7946).
2. The boundary is densified adaptively: each straight lon/lat edge is
   checked at a quarter, half and three quarters of its length and split where
   its distance from the true boundary exceeds the tolerance, until every edge
   is within it.  Refinement always ends: edges shorter than a quarter of the
   tolerance are not split, and caps on rounds and vertices raise
   :class:`~geo.errors.RefinementError`.
3. The longitudes are unwrapped.  Their total change tells the case: +360
   encloses the North Pole, -360 the South Pole, 0 with a counter-clockwise
   ring is an ordinary disk, 0 with a clockwise ring contains both poles (the
   world minus a cap around the antipode).
4. Rings that enclose a pole are closed along it; the result is cut at
   +/-180 into an RFC 7946 Polygon or MultiPolygon.

Two geometries come out of one computation: the *analysis geometry*
(:func:`footprint`, EPSG:4326, cut at the antimeridian) for analysis and
export, and the *display form* (:func:`footprint_display`), whose longitudes
are continuous around the site so that a web map can draw it at -360, 0 and
+360 without seams.  See DESIGN.md ("Footprint geometry") for measurements.

The stages, one private module each: ``_spec`` (checked inputs, tolerances, the rings a
spec needs), ``_rings`` (steps 1-2), ``_poles`` (step 3 and the closure along a pole),
``_cut`` (step 4), ``_assembly`` (all specs in one pass; :func:`footprint`,
:func:`footprints`), ``_display`` (:func:`footprint_display`) and ``_varying`` (rings whose
range varies with azimuth, sampled adaptively and handed to the same stages:
:func:`footprint_by_azimuth`).
"""

from __future__ import annotations

from geo.footprint._assembly import footprint, footprints
from geo.footprint._display import DisplayFootprint, footprint_display
from geo.footprint._spec import default_tolerance_m
from geo.footprint._varying import footprint_by_azimuth, footprint_by_azimuth_display
from geo.wgs84 import ANTIPODAL_KM, WHOLE_GLOBE_KM
from geo.wgs84 import GEOD as GEOD  # the ellipsoid, for checks against it

__all__ = [
    "ANTIPODAL_KM",
    "WHOLE_GLOBE_KM",
    "DisplayFootprint",
    "default_tolerance_m",
    "footprint",
    "footprint_by_azimuth",
    "footprint_by_azimuth_display",
    "footprint_display",
    "footprints",
]
