"""Claims: the Claim record, events of a report, and the assembly of one claim per range."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from geo.catalog import EVENT_COLUMNS
from geo.errors import ExtractionError, GeorangeError, SiteMismatchError, UnknownSiteError
from geo.extract._dates import DateMention, _same_date
from geo.extract._derived import with_derived
from geo.extract._mentions import (
    _FAMILY,
    UNATTRIBUTED,
    _find_site_mentions,
    _site_phrase,
    find_country_context,
)
from geo.extract._numbers import Distance, Duration
from geo.extract._sentences import _CLAIM_ROLES, _analyse, _nearest, _Sentence, _SiteMention
from geo.extract._span import Span
from geo.gazetteer import RegionLike, as_site
from geo.text import slug

log = logging.getLogger(__name__)

#: The columns of ``data/events.csv``, in order (the catalog owns them).
CATALOG_COLUMNS: tuple[str, ...] = EVENT_COLUMNS

#: Catalog columns plus the fields only extraction knows.
CLAIM_COLUMNS: tuple[str, ...] = (
    *CATALOG_COLUMNS,
    "approximate",
    "flight_time_s",
    "apogee_km",
    "count",
    "direction",
    "province",
    "site_id",
    "lat",
    "lon",
    "precision_km",
)


@dataclass(frozen=True)
class Claim:
    """One claim extracted from a report, in the catalog's schema plus evidence.

    The first eleven fields are the columns of ``data/events.csv``;
    ``evidence`` maps a field name to the :class:`Span` of the words it came
    from (``text[start:end]``).  ``range_km`` is in kilometres whatever unit
    the report used (the unit as written is in ``note`` and the evidence).
    ``flight_time_s`` is ``(low, high)`` seconds (equal when one value).
    """

    claim_id: str
    event_id: str
    date: str = ""
    date_precision: str = "unknown"
    site: str = ""
    missile: str = ""
    range_km: float | None = None
    range_kind: str = ""
    claimant: str = UNATTRIBUTED
    source: str = ""
    note: str = ""
    approximate: bool = False
    flight_time_s: tuple[float, float] | None = None
    apogee_km: float | None = None
    count: int | None = None
    direction: str = ""
    province: str = ""
    site_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision_km: float | None = None
    evidence: Mapping[str, Span] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        """The claim as one flat row: :data:`CLAIM_COLUMNS` (flight time as ``"lo-hi"``).

        Examples
        --------
        >>> Claim("c1", "e1", range_km=150.0, range_kind="flown").as_row()["range_km"]
        150.0
        """
        row: dict[str, Any] = {c: getattr(self, c) for c in CLAIM_COLUMNS}
        ft = self.flight_time_s
        if ft is None:
            row["flight_time_s"] = None
        elif ft[0] == ft[1]:
            row["flight_time_s"] = f"{ft[0]:g}"
        else:
            row["flight_time_s"] = f"{ft[0]:g}-{ft[1]:g}"
        return row

    def to_dict(self) -> dict[str, Any]:
        """The claim as JSON-ready data, evidence as ``{field: [start, end, text]}``.

        Examples
        --------
        >>> Claim("c1", "e1", evidence={"site": Span(0, 5, "Sinpo")}).to_dict()["evidence"]
        {'site': [0, 5, 'Sinpo']}
        """
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        d["flight_time_s"] = list(self.flight_time_s) if self.flight_time_s else None
        d["evidence"] = {k: list(v) for k, v in self.evidence.items()}
        return d


#: The claim fields the report corpus checks (tests/data/reports), each with the value a
#: claim has when the report does not give it (the dataclass default).
CORPUS_FIELDS: dict[str, Any] = {
    name: next(f.default for f in dataclasses.fields(Claim) if f.name == name)
    for name in (
        "site", "province", "range_km", "range_kind", "approximate", "date", "date_precision",
        "claimant", "missile", "count", "direction", "flight_time_s", "apogee_km",
    )
}  # fmt: skip


@dataclass
class _Event:
    number: int
    date: DateMention | None
    sentences: list[_Sentence] = field(default_factory=list)


def _checked_input(text: Any, reported_on: dt.date | str | None) -> dt.date | None:
    """Refuse a report that is not text; return the report's date (None when not given)."""
    if not isinstance(text, str):
        raise ExtractionError(
            f"the report must be text (str), got {type(text).__name__}; read the file first"
        )
    return _parse_reported_on(reported_on)


def _parse_reported_on(reported_on: dt.date | str | None) -> dt.date | None:
    if reported_on is None or isinstance(reported_on, dt.date):
        return reported_on
    try:
        return dt.date.fromisoformat(str(reported_on))
    except ValueError:
        raise ExtractionError(
            f"reported_on {reported_on!r} is not a date; give it as YYYY-MM-DD, e.g. 2024-01-29"
        ) from None


def _report_id(source: str | None) -> str:
    """The prefix of a report's claim ids: its file name without the extension."""
    stem = re.sub(r"\.(?:txt|text|md|html?)$", "", (source or "").lower())
    return slug(stem, max_chars=40, default="report")


def explain_distances(
    text: str, *, reported_on: dt.date | str | None = None, sites: Any = None
) -> list[tuple[str, Span]]:
    """Every distance in a report with the role the extractor gave it.

    The answer to "why was this number (not) taken as a range?": see
    :data:`DISTANCE_ROLES` for what each role means.

    Parameters
    ----------
    text
        The report.
    reported_on, sites
        As for :func:`extract_claims`.

    Returns
    -------
    list of (role, Span)
        In text order; conversions in brackets are not listed.

    Examples
    --------
    >>> text = ("Guam is 3,400 km from North Korea. The missile, fired 17 km northeast "
    ...         "of Wonsan, could fly 13,000 km; it flew 600 km and reached 50 km in altitude.")
    >>> for role, span in explain_distances(text):
    ...     print(role, span.text)
    distance 3,400 km
    offset 17 km
    speculation 13,000 km
    flown 600 km
    apogee 50 km
    """
    day = _checked_input(text, reported_on)
    sentences = _analyse(text, day, _find_site_mentions(text, sites))
    return [(role, d.span) for sent in sentences for d, role in sent.distances]


def extract_claims(
    text: str,
    *,
    source: str | None = None,
    reported_on: dt.date | str | None = None,
    sites: Any = None,
    region: RegionLike = None,
    country: str | None = None,
    geocode: bool = True,
) -> list[Claim]:
    """Extract the range claims of a news report, each field with its evidence span.

    Parameters
    ----------
    text
        The report, as plain text.
    source
        Where the report came from (copied into each claim's ``source``; its
        slug prefixes the claim and event ids).
    reported_on
        Publication date (``datetime.date`` or ``YYYY-MM-DD``); resolves
        relative dates such as "on Sunday" or "earlier this month".
    sites
        Optional path of a user sites CSV, merged over the bundled one (as in
        :func:`geo.geocode`).
    region, country
        How the claims' sites are located: see :func:`geo.as_site`.
    geocode
        Locate each claim's site (``site_id``, ``lat``, ``lon``,
        ``precision_km``) through the gazetteer.  Offline.  The launch phrase
        around the site ("Sinpo City, South Hamgyong Province", "Yonpo airfield
        near Hamhung") is resolved with the report's country (the state named as
        launching, see :func:`find_country_context`) as ``country=``; a site that
        cannot be located stays unlocated, with the reason in ``note``.

    Returns
    -------
    list of Claim
        In order of appearance.  Empty when the text holds no launch site and no
        range.

    Raises
    ------
    ExtractionError
        When *text* is not a string or *reported_on* is not a date.

    Examples
    --------
    >>> report = ("South Korea's Joint Chiefs of Staff said North Korea fired two cruise "
    ...           "missiles from near Sinpo on Sunday. They flew about 150 km (93 miles).")
    >>> [c] = extract_claims(report, reported_on="2024-01-29")
    >>> c.site, c.range_km, c.range_kind, c.approximate, c.date, c.claimant
    ('Sinpo', 150.0, 'flown', True, '2024-01-28', 'South Korea Joint Chiefs of Staff')
    >>> c.count, c.missile, c.evidence["range_km"].text
    (2, 'cruise missile', 'about 150 km')
    """
    day = _checked_input(text, reported_on)
    site_spans = _find_site_mentions(text, sites)
    sentences = _analyse(text, day, site_spans)
    events = _group_events(sentences)
    prefix = _report_id(source)
    claims = with_derived(_build_claims(text, events, prefix=prefix, source=source or ""))
    if geocode:
        country = country or find_country_context(text)
        claims = [_locate(c, sites, country, _phrase_of(text, c), region=region) for c in claims]
    return claims


def _phrase_of(text: str, claim: Claim) -> str:
    span = claim.evidence.get("site")
    return _site_phrase(text, span.start, span.end) if span is not None else claim.site


def _group_events(sentences: list[_Sentence]) -> list[_Event]:
    lead = _Event(1, None)
    events = [lead]
    current = lead
    for sent in sentences:
        if current is not lead and current.sentences and sent.para != current.sentences[-1].para:
            current = lead
        date = sent.dates[0] if sent.dates else None
        if sent.launchy:
            if date is not None:
                if lead.date is None and not sent.background:
                    lead.date = date
                    current = lead
                elif lead.date is not None and _same_date(date, lead.date):
                    current = lead
                else:
                    match = next(
                        (
                            ev
                            for ev in events[1:]
                            if ev.date is not None and _same_date(ev.date, date)
                        ),
                        None,
                    )
                    if match is None:
                        match = _Event(len(events) + 1, date)
                        events.append(match)
                    current = match
            elif sent.background:
                current = _Event(len(events) + 1, None)
                events.append(current)
            elif sent.lead_cue:
                current = lead
        elif sent.lead_cue:
            current = lead
        current.sentences.append(sent)
    return events


#: A claim's starting point: its sentence, its range (None for a claim without range), the
#: range's role, and the site it must take ("both flying 300 km": each site gets the range).
_Anchor = tuple[_Sentence, Distance | None, str, _SiteMention | None]


def _build_claims(text: str, events: list[_Event], *, prefix: str, source: str) -> list[Claim]:
    """One claim per range of each event (or one without range), numbered in text order."""
    claims: list[Claim] = []
    for ev in events:
        if not ev.sentences:
            continue
        event_id = f"{prefix}-e{ev.number}"
        for anchor in _anchors(text, ev):
            claim_id = f"{prefix}-c{len(claims) + 1}"
            claims.append(
                _claim(text, ev, anchor, claim_id=claim_id, event_id=event_id, source=source)
            )
    claims.sort(key=lambda c: _anchor_start(c))
    return [
        dataclasses.replace(c, claim_id=f"{prefix}-c{n}") for n, c in enumerate(claims, start=1)
    ]


def _anchors(text: str, ev: _Event) -> list[_Anchor]:
    """The ranges of an event, each once; or its first site or province when it has none."""
    anchors: list[_Anchor] = []
    seen: set[tuple[float, str]] = set()
    for s in ev.sentences:
        with_range = [(d, role) for d, role in s.distances if role in _CLAIM_ROLES[:3]]
        for d, role in with_range:
            key = (d.value_km, role)
            if key in seen:
                continue
            seen.add(key)
            between = text[s.sites[-1].span.end : d.span.start] if s.sites else ""
            if (
                len(with_range) == 1
                and len(s.sites) > 1
                and s.sites[-1].span.end <= d.span.start
                and re.search(r"\b(?:both|each|all)\b", between)
            ):
                # "one from Sunan ... another from Kaechon, both flying 300 km"
                anchors += [(s, d, role, m) for m in s.sites]
            else:
                anchors.append((s, d, role, None))
    ev_sites = [m for s in ev.sentences for m in s.sites]
    ev_provinces = [p for s in ev.sentences for p in s.provinces]
    if not anchors and (ev_sites or ev_provinces):
        first = min(
            [(m.span.start, s) for s in ev.sentences for m in s.sites]
            + [(p.start, s) for s in ev.sentences for p in s.provinces],
            key=lambda t: t[0],
        )[1]
        anchors.append((first, None, "", None))
    return anchors


def _claim(
    text: str, ev: _Event, anchored: _Anchor, *, claim_id: str, event_id: str, source: str
) -> Claim:
    """The claim of one anchor: its details from its sentence, else from the event's others."""
    sent, dist, role, site_override = anchored
    anchor = dist.span if dist else (sent.sites[0].span if sent.sites else sent.provinces[0])
    site_m = _pick_site(text, sent, ev, dist, anchor, site_override)
    province = None
    if site_m is None:
        ev_provinces = [p for s in ev.sentences for p in s.provinces]
        if sent.provinces:
            province = sent.provinces[0]
        elif ev_provinces:
            province = ev_provinces[0]
    date = ev.date
    # claimant: same sentence, else nearest earlier sentence in the event, else later
    if role == "class-estimate":
        claimant = _nearest(sent.claimants, anchor, text, same_clause=True)
    else:
        claimant = _pick_context(sent.claimants, anchor, text, ev, sent, "claimants")
    missile = _pick_missile(sent, ev, anchor, text)
    peers = _peers(sent, ev, claimant[0] if claimant else None)
    count = sent.counts[0] if sent.counts else next((c for s in peers for c in s.counts), None)
    direction = (
        sent.directions[0]
        if sent.directions
        else next((d for s in peers for d in s.directions), None)
    )
    flight, apogee = _flight_details(sent, ev, dist, role, peers)
    spans: dict[str, Span | None] = {
        "site": site_m.span if site_m is not None else None,
        "province": province,
        "date": date.span if date is not None else None,
        "claimant": claimant[1] if claimant is not None else None,
        "missile": missile[1] if missile is not None else None,
        "count": count[1] if count is not None else None,
        "direction": direction[1] if direction is not None else None,
        "range_km": dist.span if dist is not None else None,
        "flight_time_s": flight.span if flight is not None else None,
        "apogee_km": apogee.span if apogee is not None else None,
    }
    return Claim(
        claim_id=claim_id,
        event_id=event_id,
        date=date.date if date else "",
        date_precision=date.precision if date else "unknown",
        site=site_m.text if site_m else "",
        missile=missile[0] if missile else "",
        range_km=round(dist.value_km, 1) if dist else None,
        range_kind=role,
        claimant=claimant[0] if claimant else UNATTRIBUTED,
        source=source,
        note="; ".join(_notes(sent, ev, dist, site_m, province, date)),
        approximate=bool(dist and dist.approximate),
        flight_time_s=(flight.low_s, flight.high_s) if flight else None,
        apogee_km=round(apogee.value_km, 1) if apogee else None,
        count=count[0] if count else None,
        direction=direction[0] if direction else "",
        province=_province_name(province.text) if province else "",
        site_id=getattr(site_m.site, "id", None) if site_m and site_m.site else None,
        evidence={k: v for k, v in spans.items() if v is not None},
    )


def _pick_site(
    text: str,
    sent: _Sentence,
    ev: _Event,
    dist: Distance | None,
    anchor: Span,
    site_override: _SiteMention | None,
) -> _SiteMention | None:
    """The claim's site: the one it must take, else its sentence's nearest, else the event's."""
    ranged = [d for d, r in sent.distances if r in ("flown", "claimed", "class-estimate")]
    if site_override is not None:
        return site_override
    if (
        dist is not None
        and re.search(r"\brespectively\b", text[sent.start : sent.end])
        and len(sent.sites) == len(ranged) > 1
        and any(x is dist for x in ranged)
    ):
        k = next(i for i, x in enumerate(ranged) if x is dist)
        return sent.sites[k]  # "from A and from B ... 300 km and 450 km respectively"
    if sent.sites:
        before = [m for m in sent.sites if m.span.start <= anchor.start]
        return before[-1] if before else sent.sites[0]
    # the nearest launch phrase before this sentence, not the event's first site
    earlier = [m for s in ev.sentences if s.index < sent.index for m in s.sites]
    if earlier:
        return earlier[-1]
    later = [m for s in ev.sentences for m in s.sites]
    return later[0] if later else None


def _peers(sent: _Sentence, ev: _Event, who: str | None) -> list[_Sentence]:
    """Nearby sentences of the event that may lend *sent* a count, direction or flight details.

    The same paragraph, or the event's first sentence (:func:`_context_sentences`), and only
    those that carry no claimant or one of the same side as *who*.
    """
    return [
        s
        for s in _context_sentences(sent, ev)
        if not s.claimants
        or who is None
        or _FAMILY.get(who, who) in {_FAMILY.get(c, c) for c, _ in s.claimants}
    ]


def _flight_details(
    sent: _Sentence, ev: _Event, dist: Distance | None, role: str, peers: list[_Sentence]
) -> tuple[Duration | None, Distance | None]:
    """Time of flight and apogee of a flown range, or of a claim without range."""
    if dist is not None and role == "flown":
        # this sentence, else a nearby one of the same side that has no
        # flown range of its own ("It flew 73 minutes ... It travelled 1,000 km")
        lenders = [sent] + [s for s in peers if not any(r == "flown" for _, r in s.distances)]
    elif dist is None:
        lenders = [sent, *_context_sentences(sent, ev)]
    else:
        return None, None
    flight = next((du for s in lenders for du in s.durations), None)
    apogee = next((d for s in lenders for d, r in s.distances if r == "apogee"), None)
    return flight, apogee


def _notes(
    sent: _Sentence,
    ev: _Event,
    dist: Distance | None,
    site_m: _SiteMention | None,
    province: Span | None,
    date: DateMention | None,
) -> list[str]:
    """What a reader of the claim should know: the words of the range, conversions, gaps."""
    notes = []
    if dist is not None:
        notes.append(f"range as reported: {dist.span.text!r}")
        if dist.unit != "km":
            notes.append(f"converted from {dist.unit}")
        if dist.low_km != dist.value_km:
            notes.append(f"interval {dist.low_km:g}-{dist.value_km:g} km, upper bound kept")
    if site_m is not None and site_m.is_offset:
        notes.append("site given as an offset from a known place")
    if province is not None:
        notes.append(f"only the province is given ({province.text}); unlocated")
    if site_m is None:
        unknown = sent.unknown_places or [p for s in ev.sentences for p in s.unknown_places]
        if unknown:
            notes.append(
                f"launch place {unknown[0].text!r} is not in the gazetteer: add it to a "
                "sites file (--sites) to locate the claim"
            )
    if date is not None and date.precision == "unknown":
        notes.append(f"date reported as {date.span.text!r}; give reported_on to resolve it")
    notes.append("extracted by georange from the report text")
    return notes


def _anchor_start(claim: Claim) -> tuple[int, int]:
    for key in ("range_km", "site", "province"):
        if key in claim.evidence:
            site = claim.evidence.get("site")
            return claim.evidence[key].start, site.start if site else 0
    return 0, 0


def _province_name(raw: str) -> str:
    name = re.sub(r"\s+[Pp]rovince$", "", raw.strip())
    return f"{name} Province"


def _pick_context(
    items: list[tuple[str, Span]],
    anchor: Span,
    text: str,
    ev: _Event,
    sent: _Sentence,
    attr: str,
) -> tuple[str, Span] | None:
    got = _nearest(items, anchor, text)
    if got is not None:
        return got
    if attr == "claimants" and sent.sentence_claimants:
        # a sentence cut in segments: "..., the JCS said" at its end speaks for all
        return min(sent.sentence_claimants, key=lambda it: abs(it[1].start - anchor.start))
    earlier = [s for s in ev.sentences if s.index < sent.index and getattr(s, attr)]
    if earlier:
        return getattr(earlier[-1], attr)[-1]  # type: ignore[no-any-return]
    later = [s for s in ev.sentences if s.index > sent.index and getattr(s, attr)]
    if later:
        return getattr(later[0], attr)[0]  # type: ignore[no-any-return]
    return None


def _pick_missile(sent: _Sentence, ev: _Event, anchor: Span, text: str) -> tuple[str, Span] | None:
    def best(ms: list[tuple[str, Span, bool]]) -> tuple[str, Span] | None:
        if not ms:
            return None
        named = [m for m in ms if m[2]] or ms
        m = min(named, key=lambda m: abs(m[1].start - anchor.start))
        return m[0], m[1]

    for s in [sent, *_context_sentences(sent, ev)]:
        got = best(s.missiles)
        if got is not None:
            return got
    return None


def _context_sentences(sent: _Sentence, ev: _Event) -> list[_Sentence]:
    """Other sentences of *sent*'s event that may lend it details, nearest first.

    The sentences of the same paragraph (earlier ones first), then the event's
    first sentence: a later paragraph often tells of another launch.
    """
    same = [s for s in ev.sentences if s.para == sent.para and s is not sent]
    same.sort(key=lambda s: (s.index > sent.index, abs(s.index - sent.index)))
    first = ev.sentences[0] if ev.sentences else None
    if first is not None and first is not sent and first not in same:
        same.append(first)
    return same


def _locate(
    claim: Claim, sites: Any, country: str | None, phrase: str, *, region: RegionLike = None
) -> Claim:
    """The claim with its site located: the launch phrase, else the site's own words.

    A phrase whose parts disagree ("Sinpo, North Pyongan Province") leaves the site
    unlocated with the reason; so does a place no table or gazetteer knows.
    """
    if not claim.site:
        return claim
    failure: GeorangeError | None = None
    for text in dict.fromkeys((phrase, claim.site)):
        try:
            found = as_site(text, sites=sites, region=region, country=country)
        except SiteMismatchError as exc:
            failure = exc
            break
        except GeorangeError as exc:
            failure = failure or exc
            continue
        how = f"site located from {text!r} ({found.match}, ±{found.precision_km:g} km)"
        return dataclasses.replace(
            claim,
            site_id=found.id,
            lat=found.lat,
            lon=found.lon,
            precision_km=found.precision_km,
            note=_with_note(claim.note, how),
        )
    log.info("claim %s: site %r not located: %s", claim.claim_id, claim.site, failure)
    reason = getattr(failure, "detail", None) or str(failure).split("; closest")[0]
    if isinstance(failure, UnknownSiteError) and not getattr(failure, "detail", None):
        reason = (
            f"launch place {claim.site!r} is not in the gazetteer: add it to a sites file "
            "(--sites) to locate the claim"
        )
    return dataclasses.replace(claim, note=_with_note(claim.note, f"site not located: {reason}"))


def _with_note(note: str, extra: str) -> str:
    """*extra* inserted before the closing "extracted by georange" note."""
    parts = note.split("; ") if note else []
    tail = parts[-1:] if parts and parts[-1].startswith("extracted by") else []
    return "; ".join([*parts[: len(parts) - len(tail)], extra, *tail])
