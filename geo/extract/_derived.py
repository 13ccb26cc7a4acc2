"""Derived claims of extraction: a standard-trajectory estimate after each lofted flown claim."""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from geo.errors import InvalidRangeError
from geo.lofted import DERIVED_CLAIMANT, DERIVED_KIND, is_lofted, standard_trajectory_claim

if TYPE_CHECKING:
    from geo.extract._claims import Claim

logger = logging.getLogger(__name__)

#: The evidence a derived claim keeps: the words of its inputs and of its context.
_KEPT_EVIDENCE = ("site", "province", "date", "missile", "range_km", "apogee_km", "flight_time_s")


def with_derived(claims: list[Claim]) -> list[Claim]:
    """The claims, each flown claim of a lofted test (apogee >= 1,000 km) followed by its
    derived standard-trajectory claim (``<claim_id>-std``, claimant ``georange``).

    The reported distance is the flown range, the reported flight time (the middle of a
    span) the flight time; the evidence of the derived claim points at those words.

    Examples
    --------
    >>> from geo.extract import Claim
    >>> flown = Claim("r-c1", "r-e1", range_km=950.0, range_kind="flown", apogee_km=4475.0,
    ...               flight_time_s=(3180.0, 3180.0))
    >>> [c.claim_id for c in with_derived([flown])]
    ['r-c1', 'r-c1-std']
    >>> with_derived([flown])[1].range_kind, round(with_derived([flown])[1].range_km, -2)
    ('standard-trajectory', 13100.0)
    """
    out: list[Claim] = []
    for claim in claims:
        out.append(claim)
        if claim.range_kind != "flown" or not is_lofted(claim.apogee_km, claim.range_km):
            continue
        assert claim.apogee_km is not None and claim.range_km is not None
        ft = claim.flight_time_s
        flight = None if ft is None else 0.5 * (ft[0] + ft[1])
        try:
            km, note = standard_trajectory_claim(claim.apogee_km, claim.range_km, flight)
        except InvalidRangeError as exc:
            logger.info("%s: no standard-trajectory estimate (%s)", claim.claim_id, exc)
            continue
        out.append(
            dataclasses.replace(
                claim,
                claim_id=f"{claim.claim_id}-std",
                range_km=round(km, 1),
                range_kind=DERIVED_KIND,
                claimant=DERIVED_CLAIMANT,
                note=f"{note}; from claim {claim.claim_id} ({claim.claimant})",
                approximate=True,
                evidence={k: v for k, v in claim.evidence.items() if k in _KEPT_EVIDENCE},
            )
        )
    return out
