"""From the text of a news report to range claims in the catalog's schema.

Rules, not models: a number parser, a handful of cue-word patterns and the
gazetteer (:func:`geo.gazetteer.find_sites`).  Every field of every claim keeps
the character span of the words it came from, so a reader can check it.

How a report is read
--------------------
1. The text is cut into sentences (spans into the original text; nothing is
   rewritten); a sentence that holds two different dates, or a comparison
   (", farther than the 800 km flown in April"), is cut in two.
2. Each sentence is searched for quantities (distances, durations), dates
   (relative ones resolved against ``reported_on``; the day a statement was
   made is not the day of the launch), claimants, missiles, counts, directions
   and site mentions (a site counts only after a launch cue: "fired from",
   "near", "off"; places merely mentioned and speakers such as "Pyongyang
   said" do not).
3. Each distance gets a *role* from the words around it (see
   :data:`DISTANCE_ROLES` and :func:`explain_distances`): ``flown``,
   ``claimed`` (a maximum range claimed by the launching state),
   ``class-estimate`` (the range of a missile type), ``apogee``, ``offset``
   ("17 km northeast of Wonsan" locates the site), ``distance`` ("Guam is
   3,400 km from North Korea"), ``speculation`` ("could fly 13,000 km",
   "believed to have travelled"), ``superseded`` (a revised figure),
   ``denied``, ``difference``, ``definition`` or ``unknown``.  Only the first
   three become ranges.
4. Sentences are grouped into events: the lead launch of the report and
   background launches that carry their own date or an "earlier/previously"
   cue.  Sites and dates are shared within an event; missiles, counts,
   directions and flight details only within a paragraph (or from the event's
   first sentence), and only from sentences of the same claimant's side.
5. One claim per range (flown, claimed or class estimate) per event; an event
   with a launch site (or province) but no range gives one claim without range.
   Anything that is not sure is left out: a wrong claim is worse than a
   missing one.
6. A flown claim of a lofted test (an apogee of 1,000 km or more) is followed by a
   derived claim ``<claim_id>-std``: ``range_kind`` ``standard-trajectory``, claimant
   ``georange``, the standard-trajectory estimate (:func:`geo.standard_trajectory_range`)
   with its inputs and method in ``note`` (``_derived``).
"""

from __future__ import annotations

from geo.extract._claims import (
    CATALOG_COLUMNS,
    CLAIM_COLUMNS,
    CORPUS_FIELDS,
    Claim,
    explain_distances,
    extract_claims,
)
from geo.extract._dates import DateMention, find_dates
from geo.extract._mentions import (
    CLAIMANTS,
    JAPAN_GOV,
    JAPAN_MOD,
    JCS,
    KCNA,
    SK_GOV,
    SK_MILITARY,
    UNATTRIBUTED,
    US_OFFICIALS,
    find_claimants,
)
from geo.extract._numbers import (
    SECONDS_PER_UNIT,
    Distance,
    Duration,
    find_distances,
    find_durations,
)
from geo.extract._output import CSV_COLUMNS, claims_catalog, claims_frame, format_claims
from geo.extract._read import read_report
from geo.extract._sentences import DISTANCE_ROLES
from geo.extract._span import Span
from geo.text import KM_PER_UNIT, parse_number

__all__ = [
    "CATALOG_COLUMNS",
    "CLAIMANTS",
    "CLAIM_COLUMNS",
    "CORPUS_FIELDS",
    "CSV_COLUMNS",
    "DISTANCE_ROLES",
    "JAPAN_GOV",
    "JAPAN_MOD",
    "JCS",
    "KCNA",
    "KM_PER_UNIT",
    "SECONDS_PER_UNIT",
    "SK_GOV",
    "SK_MILITARY",
    "UNATTRIBUTED",
    "US_OFFICIALS",
    "Claim",
    "DateMention",
    "Distance",
    "Duration",
    "Span",
    "claims_catalog",
    "claims_frame",
    "explain_distances",
    "extract_claims",
    "find_claimants",
    "find_dates",
    "find_distances",
    "find_durations",
    "format_claims",
    "parse_number",
    "read_report",
]
