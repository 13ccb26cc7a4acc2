"""Reported launches, range claims, missile classes and targets; the CNS importer.

A range on a map is only as good as the claim behind it, so the catalog keeps
every reported number as a *claim* with its provenance: who made it
(``claimant``), what kind of number it is (``range_kind``), when (``date`` and
``date_precision``), from which report (``source``).

Files (bundled copies in ``data/``; users pass their own paths):

``events.csv``
    One row per range claim, columns :data:`EVENT_COLUMNS` plus the optional
    :data:`OPTIONAL_EVENT_COLUMNS`:

    - ``claim_id`` (unique) and ``event_id`` (shared by the claims about one launch);
    - ``date`` and ``date_precision``: ``day`` → ``YYYY-MM-DD``, ``month`` →
      ``YYYY-MM``, ``year`` → ``YYYY``, ``year-uncertain`` → ``--MM-DD`` or
      ``--MM`` (month and day, or month, known but not the year: ISO 8601's
      forms without a year), ``unknown`` → empty;
    - ``site`` as reported (empty when the report names none: the claim is kept,
      flagged ``located=False``, never placed at a default point).  Anything
      :func:`geo.geocode` accepts works, including coordinates as text
      (``"40.0368, 128.1839"``);
    - ``missile``; ``range_km`` (a positive number or empty); ``range_kind``, one
      of :data:`RANGE_KINDS` (required when ``range_km`` is given);
    - ``claimant``, ``source`` (outlet or report, never article text), ``note``;
    - optional ``site_name``: the name to show for the site.  The CNS importer
      writes the facility's coordinates into ``site`` (so they are used exactly,
      with no look-up) and the facility's name here.

    Any further columns are kept as they are.

``missiles.csv``
    ``name, aliases, class, range_min_km, range_max_km, source, note``; aliases
    ``|``-separated; ``class`` is one of :data:`MISSILE_CLASSES` or several
    joined with ``/`` (``SRBM/MRBM``).  ``range_min_km`` and ``range_max_km``
    bound the published estimates of the *maximum* range (not a minimum
    flight range).

``targets.csv``
    ``id, name, lat, lon, kind, country``; ``kind`` one of :data:`TARGET_KINDS`,
    ``country`` an ISO 3166 alpha-2 code.

Every loader checks every cell and raises one :class:`geo.errors.CatalogError`
listing all problems (file, line, column, value, what is expected); nothing is
returned half-loaded.

The CNS North Korea Missile Test Database (as NTI publishes it: XLSX, or CSV in
cp1252 with CRLF) is read by :func:`import_cns`; see its documentation for the
rules.
"""

from __future__ import annotations

from geo.catalog._cns import CnsImport, import_cns
from geo.catalog._footprints import claim_footprints, class_footprints
from geo.catalog._load import load_catalog, load_missiles, load_targets, write_events
from geo.catalog._schema import (
    DATE_PRECISIONS,
    EVENT_COLUMNS,
    MISSILE_CLASSES,
    MISSILE_COLUMNS,
    OPTIONAL_EVENT_COLUMNS,
    RANGE_KINDS,
    TARGET_COLUMNS,
    TARGET_KINDS,
)

# Not in __all__: geo.extract shapes its claims with these.
from geo.catalog._schema import SITE_COLUMNS as SITE_COLUMNS
from geo.catalog._schema import site_columns as site_columns

__all__ = [
    "DATE_PRECISIONS",
    "EVENT_COLUMNS",
    "MISSILE_CLASSES",
    "MISSILE_COLUMNS",
    "OPTIONAL_EVENT_COLUMNS",
    "RANGE_KINDS",
    "TARGET_COLUMNS",
    "TARGET_KINDS",
    "CnsImport",
    "claim_footprints",
    "class_footprints",
    "import_cns",
    "load_catalog",
    "load_missiles",
    "load_targets",
    "write_events",
]
