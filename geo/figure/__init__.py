"""Print figures of range footprints: matplotlib, offline, reproducible.

A figure shows the bundled Natural Earth basemap (:mod:`geo.basemap`), the footprints
(filled, with their true outline), the site, the targets with permanent labels placed
without overlaps, a legend stating the provenance, a graticule, a scale and the
attribution.  The default projection is azimuthal equidistant centred on the site, where
range rings are circles and the pole and the antimeridian need no special case; Equal Earth
gives a world view.
"""

from __future__ import annotations

from geo.figure._draw import RangeFigure, range_figure, save_figure
from geo.figure._events import event_figures
from geo.figure._labels import Placement, place_labels
from geo.figure._project import PROJECTIONS

__all__ = [
    "PROJECTIONS",
    "Placement",
    "RangeFigure",
    "event_figures",
    "place_labels",
    "range_figure",
    "save_figure",
]
