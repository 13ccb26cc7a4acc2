"""Sentences and clauses of a report, and the role of each distance and site mention in them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geo.extract._dates import (
    _WEEKDAY,
    DateMention,
    _inherit_years,
    _is_statement_date,
    _same_date,
    find_dates,
)
from geo.extract._mentions import (
    _DIR_WORDS,
    _PROVINCE_RE,
    KCNA,
    _find_counts,
    _find_directions,
    _find_missiles,
    _unknown_places,
    find_claimants,
)
from geo.extract._numbers import Distance, Duration, find_distances, find_durations
from geo.extract._span import Span

_ABBREV = re.compile(
    r"(?:\b(?:U\.S|U\.N|U\.K|Mr|Mrs|Ms|Dr|Gen|Lt|Col|Adm|Sgt|No|St|vs|approx|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|a\.m|p\.m|e\.g|i\.e)|\b[A-Z])$"
)


def _sentences(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph number) of each sentence."""
    out: list[tuple[int, int, int]] = []
    para = 0
    for pm in re.finditer(r"[^\n]+", text):
        if not pm.group(0).strip():
            continue
        start = pm.start()
        for m in re.finditer(r"[.!?][\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])", pm.group(0)):
            end = pm.start() + m.end()
            head = text[start : pm.start() + m.start()]
            if text[pm.start() + m.start()] == "." and _ABBREV.search(head):
                continue
            out.append((start, end, para))
            start = end
            while start < pm.end() and text[start].isspace():
                start += 1
        if start < pm.end() and text[start : pm.end()].strip():
            out.append((start, pm.end(), para))
        para += 1
    return out


# --------------------------------------------------------------------------- roles of distances

_FLOWN_CUE = re.compile(
    r"\b(?:flew|flown|fly|flies|flying|flight|travell?ed|travell?ing|travels|covered|covering|"
    r"distance)\b[^.;]*$",
    re.I,
)
_APOGEE_CUE = re.compile(
    r"\b(?:altitude|apogee|height|peak(?:ed|ing)?|ceiling)\b[^.;]{0,30}$|\bas high as\s*$", re.I
)
_CAPABILITY_CUE = re.compile(
    r"(?:\branges?\b|\breach\b|\bcapable of\b|\bcan\s+(?:fly|travel|reach|strike|hit)\b|"
    r"\bable to\s+(?:fly|travel|reach|strike|hit)\b|\bdesigned to\b)[^.;]{0,30}$",
    re.I,
)
_SPECULATION_CUE = re.compile(
    r"\b(?:could|might|may|would|if|possibl[ey]|potentially|theoretical(?:ly)?|enough to|"
    r"perhaps|hypothetical(?:ly)?|believed|thought|likely|probably|apparently|suspected|"
    r"presumably)\b",
    re.I,
)
_DIST_TO_PLACE_POST = re.compile(
    r"^\s*(?:away\b|from\b|off\b|short of\b|inland\b|outside\b|beyond\b|north\b|south\b|east\b|"
    r"west\b|(?:north|south)-?(?:east|west)\b)",
    re.I,
)
_OFFSET_POST = re.compile(rf"^\s*(?:to\s+the\s+)?(?P<dir>{_DIR_WORDS})(?:ward)?\s+of\s+", re.I)
_RANGE_POST = re.compile(r"^\s*(?:-|\s)?\s*range\b", re.I)
_FLIGHT_POST = re.compile(
    r"^\s*-?\s*(?:long\s+)?(?:flight|journey|trip)\b|^\s*(?:flown|covered|travell?ed)\b",
    re.I,
)
_FLOWN_TAIL = re.compile(
    r"\b(?:flew|flown|flying|travell?ed|covered)\s+(?:a\s+distance\s+of\s+|for\s+)?$", re.I
)
_DURATION_CUE = re.compile(
    r"\b(?:fl(?:ew|own|ying|ight)|airborne|in the air|tracked|travell?ed|durations?|lasted|"
    r"lasting|aloft|circled|circling|covered|covering|travell?ing)\b",
    re.I,
)


def _clause_tail(pre: str) -> str:
    """The end of *pre* after the last comma-like break."""
    cut = max(pre.rfind(","), pre.rfind(";"), pre.rfind(":"), pre.rfind("—"))
    return pre[cut + 1 :]


def _distance_role(pre: str, post: str) -> str:
    """Role of a distance from the words before (*pre*, clause-limited) and after it."""
    if _OFFSET_POST.match(post):
        return "offset"
    if _APOGEE_CUE.search(pre[-60:]) or re.match(
        r"^\s*(?:high\b|in altitude\b|altitude\b|up\b|"
        r"above\s+(?:the\s+)?(?:earth|ground|surface)\b)",
        post,
        re.I,
    ):
        return "apogee"
    tail = _clause_tail(pre)
    if _SPECULATION_CUE.search(tail[-80:]) or re.match(r"^[^.;]{0,40}\bhad it been\b", post):
        return "speculation"
    if re.search(r"\bequal\s+to\s*$", tail, re.I):
        return "definition"  # "a range greater than or equal to 300 km": a category, not a claim
    if re.match(r"^\s*(?:farther|further|longer|shorter|more|less|beyond)\b", post, re.I):
        return "difference"  # "flew about 1,000 km farther": not a distance flown
    if re.search(
        r"\b(?:reach(?:ed|ing)?|flew|flying|travell?(?:ed|ing))\b[^.;,]{0,40}\brange\s+of\s*$",
        tail,
        re.I,
    ):
        return "flown"  # "reaching an apogee of 60 km and a range of 450 km"
    capability = bool(_RANGE_POST.match(post) or _CAPABILITY_CUE.search(tail[-60:]))
    if re.match(r"^\s*away\b", post) and re.search(
        r"\b(?:hit|hitting|struck|striking)\s+(?:a|the|its)\s+(?:\w+\s+)?targets?\s*$", pre
    ):
        return "capability" if capability else "flown"  # "hit a target 1,000 km away"
    flown_tail = bool(_FLOWN_TAIL.search(pre))
    if not (flown_tail or capability) and (
        _DIST_TO_PLACE_POST.match(post) or re.search(r"\bwithin\s*$", pre)
    ):
        return "distance"
    if capability:
        return "capability"
    if _FLOWN_CUE.search(pre[-70:]) or _FLIGHT_POST.match(post):
        return "flown"
    return "unknown"


# --------------------------------------------------------------------------- sites


_LAUNCH_CUE = re.compile(
    r"\b(?:fir(?:e|ed|es|ing)|launch(?:ed|es|ing)?|test-fir\w*|test-launch\w*|tests?|tested|"
    r"detected|lift(?:ed)? off|took off|blasted off|salvo|barrage|projectiles?|flew|flown|"
    r"missiles?|rockets?|ICBMs?|SRBMs?|IRBMs?|SLBMs?|lifting off)\b",
    re.I,
)
_STRONG_LAUNCH_CUE = re.compile(
    r"\b(?:fir(?:e|ed|es|ing)|launch(?:ed|es|ing)?|test-fir\w*|test-launch\w*|"
    r"lift(?:ed|ing)? off|took off|blasted off)\b",
    re.I,
)
_SITE_CUE_WORDS = {"from", "near", "in", "around", "off", "outside", "at"}
_SITE_FILLER = {
    "the", "a", "an", "north", "korean", "korea's", "korea’s", "port", "city", "town", "county",
    "coastal", "area", "areas", "waters", "water", "of", "its", "east", "eastern", "west",
    "western", "northern", "southern", "region", "vicinity", "site", "spot", "location",
    "point", "sea", "coast", "just", "nearby", "base", "suburb", "suburbs", "outskirts",
    "locations", "places", "sites", "including", "two", "three", "four", "five", "several",
    "multiple", "various", "different",
}  # fmt: skip
_SITE_BAD_POST = re.compile(
    r"^(?:'s|’s|\s+(?:said|says|claimed|claims|announced|reported|regime|"
    r"government|officials))\b",
    re.I,
)
_SITE_BAD_PRE = re.compile(
    r"\b(?:officials|leaders|regime|government|authorities|diplomats|embassy)\s+(?:in|at)\s+$", re.I
)


def _launch_cued(text: str, start: int, sent_start: int) -> bool:
    """True when the words before *start* say "fired from/near/off ... <here>"."""
    pre = text[max(sent_start, start - 80) : start]
    if _SITE_BAD_PRE.search(pre):
        return False
    tokens = list(re.finditer(r"[\w'’-]+|[,;:]", pre))
    tokens.reverse()
    for i, tok in enumerate(tokens):
        w = tok.group(0)
        if w == "," and i > 0 and tokens[i - 1].group(0) == "including":
            continue  # "from four locations, including Sunan"
        if i > 8 or w in ",;:":
            return False
        lw = w.lower()
        if lw in ("in", "at"):
            # "in"/"at" only after a launch word: "launched at Sohae", not "a factory in Hamhung"
            return bool(_STRONG_LAUNCH_CUE.search(pre[max(0, tok.start() - 60) : tok.start()]))
        if lw in _SITE_CUE_WORDS:
            return True
        if (
            lw == "to"
            and i + 1 < len(tokens)
            and tokens[i + 1].group(0).lower() in ("close", "next")
        ):
            return True
        if lw in _SITE_FILLER or w[:1].isupper():
            continue  # "the port city of", or a proper noun such as "South Hamgyong"
        return False
    return False


@dataclass(frozen=True)
class _SiteMention:
    text: str
    span: Span
    site: Any  # geo.gazetteer.Site or None
    is_offset: bool


@dataclass
class _Sentence:
    index: int
    start: int
    end: int
    para: int
    launchy: bool
    dates: list[DateMention]
    distances: list[tuple[Distance, str]]
    durations: list[Duration]
    claimants: list[tuple[str, Span]]
    missiles: list[tuple[str, Span, bool]]
    counts: list[tuple[int, Span]]
    directions: list[tuple[str, Span]]
    sites: list[_SiteMention]
    provinces: list[Span]
    unknown_places: list[Span]
    background: bool
    sentence_claimants: list[tuple[str, Span]]
    lead_cue: bool


_BACKGROUND_CUE = re.compile(
    r"^\W*(?:earlier|previously|last|in a separate|separately)\b|"
    r"\b(?:previous(?:ly)?|last\s+(?:year|month|week)|the year before|a year earlier|"
    r"in a separate|separately|had\s+(?:also\s+)?(?:fired|launched|tested|test-fired)|"
    r"followed\s+(?:that|this|it|them)\s+(?:up\s+)?(?:by|with))\b",
    re.I,
)
_LEAD_CUE = re.compile(
    rf"\b(?:latest|this launch|this test|today(?:'s|’s)|yesterday(?:'s|’s)|"
    rf"{_WEEKDAY}(?:'s|’s))\b",
    re.I,
)


#: What a distance in a report can be (see :func:`explain_distances`).
DISTANCE_ROLES: dict[str, str] = {
    "flown": "a distance flown: becomes a range claim",
    "claimed": "a maximum range claimed by the launching state: becomes a range claim",
    "class-estimate": "the range of a missile type: becomes a range claim, so labelled",
    "apogee": "a height reached: kept as apogee_km, never a range",
    "offset": "locates a place ('17 km northeast of Wonsan'), never a range",
    "distance": "a distance to or from a place ('3,400 km from North Korea')",
    "speculation": "what a missile could or might do, or a hedged figure: left out",
    "difference": "a difference ('1,000 km farther'): left out",
    "definition": "a category ('a range greater than or equal to 300 km'): left out",
    "superseded": "a figure later revised ('revised the figure to 750 km'): left out",
    "denied": "in a sentence that denies a launch: left out",
    "unknown": "no cue word says what the number is: left out",
}


@dataclass(frozen=True)
class _Found:
    """What the finders found in the whole report; each segment takes the share inside it."""

    sentences: list[tuple[int, int, int]]
    distances: list[Distance]
    durations: list[Duration]
    dates: list[DateMention]
    claimants: list[tuple[str, Span]]
    missiles: list[tuple[str, Span, bool]]
    counts: list[tuple[int, Span]]
    directions: list[tuple[str, Span]]
    provinces: list[Span]
    sites: Sequence[tuple[Any, int, int]]


def _analyse(
    text: str, day: dt.date | None, site_spans: Sequence[tuple[Any, int, int]]
) -> list[_Sentence]:
    """Cut *text* into segments and describe each: what it mentions, and in what role."""
    dates = [d for d in find_dates(text, reported_on=day) if not _is_statement_date(text, d)]
    sentences = _sentences(text)
    found = _Found(
        sentences=sentences,
        distances=find_distances(text),
        durations=find_durations(text),
        dates=_inherit_years(dates, sentences),
        claimants=find_claimants(text),
        missiles=_find_missiles(text),
        counts=_find_counts(text),
        directions=_find_directions(text),
        provinces=[Span(m.start(), m.end(), m.group(0)) for m in _PROVINCE_RE.finditer(text)],
        sites=site_spans,
    )
    segments = _split_comparisons(text, _split_at_second_dates(text, sentences, found.dates))
    return [_segment(text, i, segment, found) for i, segment in enumerate(segments)]


def _segment(text: str, index: int, segment: tuple[int, int, int], found: _Found) -> _Sentence:
    """The :class:`_Sentence` of one segment ``(start, end, paragraph)`` of *text*."""
    s, e, para = segment
    whole = next(((a, b) for a, b, _ in found.sentences if a <= s and e <= b), (s, e))
    comparison = text[s:e].lstrip().startswith(",") and bool(_COMPARISON_RE.match(text, s))

    def inside(span: Span) -> bool:
        return s <= span.start and span.end <= e

    sent = text[s:e]
    claimants = [c for c in found.claimants if inside(c[1])]
    sent_sites = [t for t in found.sites if s <= t[1] and t[2] <= e]
    dists = _distance_roles(text, s, e, [d for d in found.distances if inside(d.span)], claimants)
    durations = _flight_durations(text, s, e, [du for du in found.durations if inside(du.span)])
    launch_sentence = bool(_LAUNCH_CUE.search(sent))
    if _DENIAL_RE.search(sent):
        # "North Korea denied that it had launched ...": nothing here is a claim
        dists = [(d, "denied") for d, _ in dists]
        launch_sentence = False
    mentions = _launch_sites(text, s, sent_sites, dists) if launch_sentence else []
    unknown = [
        p
        for p in _unknown_places(text, s, e)
        if not any(a <= p.start < b for _, a, b in sent_sites)
        and not any(q.start <= p.start < q.end for q in found.provinces)
    ]
    if launch_sentence:
        # a launch place no table knows is still the claim's site (left unlocated)
        mentions = sorted(
            [*mentions, *(_SiteMention(p.text, p, None, False) for p in unknown)],
            key=lambda m: m.span.start,
        )
    provinces = [
        p
        for p in found.provinces
        if inside(p)
        and _launch_cued(text, p.start, s)
        and not any(m.span.start <= p.start < m.span.end for m in mentions)
    ]
    if not launch_sentence:
        provinces = []
    return _Sentence(
        index=index,
        start=s,
        end=e,
        para=para,
        launchy=bool(_LAUNCH_CUE.search(sent)) or any(r == "flown" for _, r in dists),
        dates=[d for d in found.dates if inside(d.span)],
        distances=dists,
        durations=durations,
        claimants=claimants,
        missiles=[m for m in found.missiles if inside(m[1])],
        counts=[c for c in found.counts if inside(c[1])],
        directions=[d for d in found.directions if inside(d[1])],
        sites=mentions,
        provinces=provinces,
        unknown_places=unknown,
        background=comparison or bool(_BACKGROUND_CUE.search(sent)),
        sentence_claimants=[
            c
            for c in found.claimants
            if whole[0] <= c[1].start and c[1].end <= whole[1] and (whole != (s, e))
        ],
        lead_cue=bool(_LEAD_CUE.search(sent)),
    )


def _distance_roles(
    text: str, s: int, e: int, distances: list[Distance], claimants: list[tuple[str, Span]]
) -> list[tuple[Distance, str]]:
    """Each distance of the segment ``text[s:e]`` with its role (see :data:`DISTANCE_ROLES`)."""
    dists: list[tuple[Distance, str]] = []
    prev_end = s
    for d in distances:
        pre = text[max(prev_end, d.span.start - 100) : d.span.start]
        post = text[d.span.end : min(e, d.span.end + 60)]
        role = _distance_role(pre, post)
        if (
            role == "unknown"
            and dists
            and dists[-1][1] in ("flown", "claimed", "class-estimate", "capability")
            and re.fullmatch(r"\s*(?:,|and|or|, and|, or)\s*", text[prev_end : d.span.start])
        ):
            role = dists[-1][1]  # "flew 300 km and 450 km respectively"
        if dists and re.search(
            r"\b(?:revis|correct|updat|rais|lower|chang)\w*\b[^.;]{0,40}\bto\s*$", pre, re.I
        ):
            # "said 600 km but later revised the figure to 750 km": the new figure wins
            old = [k for k, (_, r) in enumerate(dists) if r in _CLAIM_ROLES]
            if old:
                role = dists[old[-1]][1]
                dists = [(x, "superseded" if k in old else r) for k, (x, r) in enumerate(dists)]
        if role == "capability":
            who = _nearest(claimants, d.span, text, same_clause=True)
            role = "claimed" if who is not None and who[0] == KCNA else "class-estimate"
        dists.append((d, role))
        prev_end = d.conversion.end if d.conversion else d.span.end
    # "with a range of 350 km and an apogee of 90 km": a range reported with
    # an apogee is a flight, not a capability
    apogees = [a for a, r in dists if r == "apogee"]
    return [
        (d, "flown")
        if r in ("class-estimate", "claimed")
        and re.search(r"\brange\s+of\s*$", text[max(s, d.span.start - 20) : d.span.start])
        and _beside(text, d, apogees)
        else (d, r)
        for d, r in dists
    ]


def _flight_durations(text: str, s: int, e: int, durations: list[Duration]) -> list[Duration]:
    """The durations of the segment ``text[s:e]`` that are times of flight."""
    out = []
    for du in durations:
        pre = text[max(s, du.span.start - 80) : du.span.start]
        post = text[du.span.end : e]
        if re.search(r"\b(?:within|after|before|later|every)\s*$", pre, re.I):
            continue
        if re.match(r"^\s*(?:later|ago|earlier|apart)\b", post, re.I):
            continue
        if _DURATION_CUE.search(pre) or re.match(
            r"^\s*(?:(?:of|into|in)\s+(?:the\s+|its\s+)?)?flight\b", post, re.I
        ):
            out.append(du)
    return out


def _launch_sites(
    text: str,
    s: int,
    sent_sites: list[tuple[Any, int, int]],
    dists: list[tuple[Distance, str]],
) -> list[_SiteMention]:
    """The site mentions of a launch sentence starting at *s* that a launch cue introduces."""
    mentions: list[_SiteMention] = []
    for site, ss, se in sent_sites:
        if _SITE_BAD_POST.match(text[se : se + 20]):
            continue
        if any(role == "distance" and 0 <= ss - d.span.end < 30 for d, role in dists):
            continue  # "10,900 km from Sinpo": a distance to the place, not a launch
        if _launch_cued(text, ss, s):
            is_offset = getattr(site, "match", "") == "offset"
            mentions.append(_SiteMention(text[ss:se], Span(ss, se, text[ss:se]), site, is_offset))
    # "the Sunan area of Pyongyang", "Yonpo airfield near Hamhung": the container or
    # the landmark is not a second site
    return [
        m
        for k, m in enumerate(mentions)
        if not (k and _QUALIFYING_GAP_RE.fullmatch(text[mentions[k - 1].span.end : m.span.start]))
    ]


_QUALIFYING_GAP_RE = re.compile(
    r"\s*(?:of|in|,|near|off|outside|(?:north|south|east|west)(?:-?(?:east|west))?\s+of)\s*"
    r"(?:the\s+)?",
    re.I,
)


_CLAIM_ROLES = ("flown", "claimed", "class-estimate", "capability")
_DENIAL_RE = re.compile(
    r"\b(?:denied|denies|deny|did not (?:launch|fire)|never (?:launched|fired)|fabricated|"
    r"no missiles? (?:was|were) (?:launched|fired)|"
    r"(?:ground|engine|static)[- ](?:test|firing|jetting)s?)\b",
    re.I,
)


def _split_at_second_dates(
    text: str, sentences: list[tuple[int, int, int]], dates: list[DateMention]
) -> list[tuple[int, int, int]]:
    """Cut a sentence that holds two different dates into two segments.

    "Last month's launch from Sohae ..., was followed on Monday by two missiles
    fired from Kaesong" is two launches: the cut goes at the clause break (comma,
    semicolon or "and") nearest before the second date.
    """
    out: list[tuple[int, int, int]] = []
    for s, e, para in sentences:
        start = s
        prev: DateMention | None = None
        for d in (d for d in dates if s <= d.span.start and d.span.end <= e):
            if prev is not None and not _same_date(prev, d):
                window = text[prev.span.end : d.span.start]
                cuts = [m.end() for m in re.finditer(r"[,;]|\band\b", window)]
                cut = prev.span.end + (cuts[-1] if cuts else len(window))
                if start < cut < e:
                    out.append((start, cut, para))
                    start = cut
            prev = d
        out.append((start, e, para))
    return out


_COMPARISON_RE = re.compile(
    r"\s*,\s*(?:(?:farther|further|longer|shorter|higher|lower|more|less)\s+than|"
    r"compared\s+(?:with|to)|(?:up|down)\s+from)\b",
    re.I,
)


def _split_comparisons(
    text: str, segments: list[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """Cut ", farther than the 800 km flown in April" off: it tells of another launch."""
    out: list[tuple[int, int, int]] = []
    for s, e, para in segments:
        start = s
        for m in _COMPARISON_RE.finditer(text, s, e):
            if start < m.start():
                out.append((start, m.start(), para))
                start = m.start()
        out.append((start, e, para))
    return out


def _beside(text: str, d: Distance, others: Sequence[Distance]) -> bool:
    """True when one of *others* is in the same clause as *d*, fewer than 40 characters away."""
    for a in others:
        gap = text[min(a.span.end, d.span.end) : max(a.span.start, d.span.start)]
        if len(gap) < 40 and not re.search(r"[.;]", gap):
            return True
    return False


def _nearest(
    items: Sequence[tuple[Any, Span]], anchor: Span, text: str, *, same_clause: bool = False
) -> tuple[Any, Span] | None:
    """Item in the same clause as *anchor* if any, else the nearest before it, else None."""
    if not items:
        return None

    def clause_of(pos: int) -> tuple[int, int]:
        return (len(_CLAUSE_BREAK.findall(text[:pos])), 0)

    ac = clause_of(anchor.start)
    same = [it for it in items if clause_of(it[1].start) == ac]
    if same_clause and not same:
        return None
    pool = same or [it for it in items if it[1].end <= anchor.start]
    if not pool:
        return None
    return min(pool, key=lambda it: abs(it[1].start - anchor.start))


_CLAUSE_BREAK = re.compile(r";|,\s*(?:while|whereas|but|although|though|and)\b|\s—\s|\.\s")
