"""The phrase grammar, one table row per rule (geo.gazetteer._phrase.parse_phrase)."""

from __future__ import annotations

import pytest

from geo.gazetteer._phrase import parse_phrase

# phrase, rule that must fire, name left, feature, qualifiers as (text, how)
RULES = [
    ("Sinpo City, South Hamgyong Province", "comma", "Sinpo City", "city",
     [("South Hamgyong Province", "comma")]),
    ("Kourou, French Guiana", "comma", "Kourou", "", [("French Guiana", "comma")]),
    ("Kusong in North Pyongan", "preposition", "Kusong", "", [("North Pyongan", "preposition")]),
    ("Mupyong-ri in Chagang Province", "preposition", "Mupyong-ri", "",
     [("Chagang Province", "preposition")]),
    ("Yonpo airfield near Hamhung", "preposition", "Yonpo airfield", "airfield",
     [("Hamhung", "preposition")]),
    ("Abdul Kalam Island off the Odisha coast", "preposition", "Abdul Kalam Island", "",
     [("Odisha", "preposition")]),
    ("Palmachim air base south of Tel Aviv", "preposition", "Palmachim air base", "airfield",
     [("Tel Aviv", "relative")]),
    ("the Kusong area of North Pyongan Province", "area-of", "Kusong", "",
     [("North Pyongan Province", "area-of")]),
    ("the Kermanshah area of western Iran", "area-of", "Kermanshah", "",
     [("western Iran", "area-of")]),
    ("Pyongyang's Sunan district", "possessive", "Sunan district", "",
     [("Pyongyang", "possessive")]),
    ("the North's Sohae launch site", "possessive", "Sohae launch site", "",
     [("the North", "possessive")]),
    ("a launch pad in Iran's Semnan province", "possessive", "Semnan province", "",
     [("Iran", "possessive")]),
    ("Songjin, the old name of Kimchaek", "same-as", "Songjin", "", [("Kimchaek", "same-as")]),
    ("the eastern port city of Sinpo", "descriptor", "Sinpo", "", []),
    ("waters off the eastern port of Sinpo", "descriptor", "Sinpo", "", []),
    ("a spot near Sunan, Pyongyang", "descriptor", "Sunan", "", [("Pyongyang", "comma")]),
    ("somewhere in Jagang province", "descriptor", "Jagang province", "", []),
    ("the Sunan area", "descriptor", "Sunan", "", []),
    ("Sinpo Airport", "feature", "Sinpo Airport", "airfield", []),
    ("Kimchaek Airbase", "feature", "Kimchaek Airbase", "airfield", []),
    ("Pyongyang Bay", "feature", "Pyongyang Bay", "bay", []),
    ("Lake Sinpo", "feature", "Lake Sinpo", "lake", []),
    ("Taechon Reservoir", "feature", "Taechon Reservoir", "reservoir", []),
    ("Hwadae County", "feature", "Hwadae County", "county", []),
    ("Hwadae-gun", "feature", "Hwadae-gun", "county", []),
    ("Vandenberg Village", "feature", "Vandenberg Village", "village", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "rule", "name", "feature", "qualifiers"), RULES)
def test_each_rule(
    text: str, rule: str, name: str, feature: str, qualifiers: list[tuple[str, str]]
) -> None:
    phrase = parse_phrase(text)
    assert rule in phrase.rules, phrase
    assert phrase.name == name
    assert phrase.feature == feature
    assert [(q.text, q.how) for q in phrase.qualifiers] == qualifiers
    assert phrase.offset is None


# phrase, distance in km, azimuth in degrees, the base phrase's name
OFFSETS = [
    ("waters some 20 km east of Hamhung", 20.0, 90.0, "Hamhung"),
    ("a location roughly 30 kilometres southwest of Kimchaek", 30.0, 225.0, "Kimchaek"),
    ("17 kilometers (10.5 miles) northeast of Wonsan", 17.0, 45.0, "Wonsan"),
    ("about 40 km (25 miles) north of Pyongyang", 40.0, 0.0, "Pyongyang"),
    ("some 100 km north of Sanaa", 100.0, 0.0, "Sanaa"),
    ("25 miles due south of Sinpo", 25 * 1.609344, 180.0, "Sinpo"),
    ("10 nautical miles to the ENE of Hodo", 18.52, 67.5, "Hodo"),
]


@pytest.mark.parametrize(("text", "distance_km", "azimuth_deg", "base"), OFFSETS)
def test_offsets_anywhere_in_the_phrase(
    text: str, distance_km: float, azimuth_deg: float, base: str
) -> None:
    phrase = parse_phrase(text)
    assert "offset" in phrase.rules
    assert phrase.offset is not None and phrase.base is not None
    assert phrase.offset.distance_km == pytest.approx(distance_km)
    assert phrase.offset.azimuth_deg == azimuth_deg
    assert phrase.base.name == base


def test_the_conversion_in_brackets_is_dropped_not_read() -> None:
    phrase = parse_phrase("17 kilometers (10.5 miles) northeast of Wonsan")
    assert phrase.rules[0] == "conversion"
    assert phrase.offset is not None and phrase.offset.distance_km == 17.0


def test_the_offset_base_keeps_its_qualifiers() -> None:
    phrase = parse_phrase("20 km east of Hamhung, South Hamgyong Province")
    assert phrase.base is not None
    assert phrase.base.name == "Hamhung"
    assert [q.text for q in phrase.base.qualifiers] == ["South Hamgyong Province"]


@pytest.mark.parametrize(
    ("text", "strict", "province_word"),
    [
        ("Sinpo, Brittany", True, False),  # a comma qualifier must resolve
        ("Kusong in South Hamgyong Province", True, True),  # a province word too
        ("Musudan-ri on the northeast coast", False, False),  # a vague one is only noted
        ("Vostochny in the Far East", False, False),
    ],
)
def test_which_qualifiers_must_resolve(text: str, strict: bool, province_word: bool) -> None:
    [q] = parse_phrase(text).qualifiers
    assert (q.strict, q.province_word) == (strict, province_word)


def test_qualifier_variants_drop_adjectives_but_never_north_or_south() -> None:
    [q] = parse_phrase("Saada province in northern Yemen").qualifiers
    assert q.variants == ("northern Yemen", "Yemen")
    [q] = parse_phrase("Kusong in North Pyongan").qualifiers
    assert q.variants == ("North Pyongan",)


@pytest.mark.parametrize("text", ["a launch pad", "the area", "somewhere", "a location"])
def test_a_phrase_without_a_name_is_generic(text: str) -> None:
    assert parse_phrase(text).generic


@pytest.mark.parametrize("text", ["Pad 7", "신포", "Sinpo", "Launch Complex-III"])
def test_names_are_not_generic(text: str) -> None:
    assert not parse_phrase(text).generic


def test_names_with_in_or_on_inside_a_hyphenated_word_are_not_split() -> None:
    phrase = parse_phrase("Chandipur-on-Sea")
    assert phrase.name == "Chandipur-on-Sea" and phrase.qualifiers == ()
