"""Derived claims: a standard-trajectory estimate for each lofted test of an import."""

from __future__ import annotations

from typing import Any

from geo.errors import InvalidRangeError
from geo.lofted import DERIVED_CLAIMANT, DERIVED_KIND, is_lofted, standard_trajectory_claim


def derived_claim(
    claim: dict[str, Any],
    *,
    apogee_km: float | None,
    distance_km: float | None,
    flight_time_s: float | None = None,
    where: str = "",
) -> tuple[dict[str, Any] | None, str | None]:
    """The derived claim of a lofted test's claim, or None; and the issue when it cannot be.

    The derived claim keeps the event, date, site and missile of ``claim``; its
    ``claim_id`` is the claim's with ``-std``; ``range_kind`` ``standard-trajectory``,
    ``claimant`` ``georange``, ``range_km`` the central estimate (the low one, a lower
    bound, when near-orbital) and a note with the inputs, every level, method and flags.

    Examples
    --------
    >>> row = {"claim_id": "cns-118", "event_id": "cns-2017-11-28", "site": "39.0, 125.7",
    ...        "range_km": 950.0, "range_kind": "flown", "claimant": "CNS", "note": ""}
    >>> claim, issue = derived_claim(row, apogee_km=4475, distance_km=950)
    >>> claim["claim_id"], claim["range_kind"], claim["claimant"], issue
    ('cns-118-std', 'standard-trajectory', 'georange', None)
    """
    if not is_lofted(apogee_km, distance_km):
        return None, None
    assert apogee_km is not None and distance_km is not None
    try:
        km, note = standard_trajectory_claim(apogee_km, distance_km, flight_time_s)
    except InvalidRangeError as exc:
        return None, f"{where}: no standard-trajectory estimate ({exc})"
    derived = dict(claim)
    derived.update(
        claim_id=f"{claim['claim_id']}-std",
        range_km=km,
        range_kind=DERIVED_KIND,
        claimant=DERIVED_CLAIMANT,
        source=f"georange, from {claim.get('claimant') or 'the'} claim {claim['claim_id']}"
        + (f" ({claim['source']})" if claim.get("source") else ""),
        note=note,
    )
    return derived, None
