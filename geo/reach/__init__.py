"""What lies within range: targets, cities and people, with exact geodesic verdicts.

Every distance is a WGS84 geodesic distance from :meth:`pyproj.Geod.inv` and every in/out
verdict is the one ``Geod.inv`` gives, made fast by a provably safe spherical prefilter
(``_kernel``, whose docstring gives the proof; ``R_MIN_M`` and ``R_MAX_M``, from
:mod:`geo.wgs84`, are its bounds).

The stages, one private module each: ``_origin`` (the site and the range), ``_kernel``
(verdicts; :func:`within_range`), ``_tables`` (reading point tables), ``_points``
(:func:`reach`, :func:`range_needed`), ``_parquet`` (:func:`reach_parquet` on dask),
``_cities`` (:func:`load_cities`, :func:`cities_in_range`, :func:`population_by_country`),
``_summary`` (:class:`ReachSummary`, :func:`reach_summary`) and ``_union``
(:func:`reach_union`, :func:`within_any_range`).
"""

from __future__ import annotations

from geo.reach._cities import cities_in_range, load_cities, population_by_country
from geo.reach._kernel import within_range
from geo.reach._parquet import reach_parquet
from geo.reach._points import RangeNeeded, range_needed, reach
from geo.reach._summary import ReachSummary, reach_summary
from geo.reach._union import reach_union, within_any_range
from geo.wgs84 import R_MAX_M, R_MIN_M

__all__ = [
    "R_MAX_M",
    "R_MIN_M",
    "RangeNeeded",
    "ReachSummary",
    "cities_in_range",
    "load_cities",
    "population_by_country",
    "range_needed",
    "reach",
    "reach_parquet",
    "reach_summary",
    "reach_union",
    "within_any_range",
    "within_range",
]
