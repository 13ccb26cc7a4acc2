"""Unit tests of the report extractor: numbers, durations, dates, claimants, roles, CLI."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import geo
from geo.cli import cli
from geo.errors import ExtractionError, GeorangeError
from geo.extract import (
    CATALOG_COLUMNS,
    CLAIM_COLUMNS,
    JAPAN_MOD,
    JCS,
    KCNA,
    SK_MILITARY,
    US_OFFICIALS,
    claims_frame,
    explain_distances,
    extract_claims,
    find_claimants,
    find_dates,
    find_distances,
    find_durations,
    format_claims,
    parse_number,
)

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"

# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,500", 1500.0),
        ("1,001.2", 1001.2),
        ("150", 150.0),
        ("two thousand", 2000.0),
        ("fifteen hundred", 1500.0),
        ("forty-seven", 47.0),
        ("a hundred", 100.0),
        ("three hundred and twenty", 320.0),
        ("twelve thousand five hundred", 12500.0),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_parse_number_rejects_words_it_does_not_know() -> None:
    with pytest.raises(ExtractionError, match="'lots'"):
        parse_number("lots")
    with pytest.raises(GeorangeError):
        parse_number("")


_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words(n: int) -> str:
    """An independent writer of English numbers below 100,000 (the oracle)."""
    parts = []
    if n >= 1000:
        parts.append(_words(n // 1000) + " thousand")
        n %= 1000
    if n >= 100:
        parts.append(_UNITS[n // 100] + " hundred")
        n %= 100
    if n >= 20:
        parts.append(_TENS[n // 10] + ("-" + _UNITS[n % 10] if n % 10 else ""))
    elif n or not parts:
        parts.append(_UNITS[n])
    return " ".join(parts)


@given(st.integers(min_value=1, max_value=99_999))
def test_word_numbers_round_trip(n: int) -> None:
    assert parse_number(_words(n)) == n


@given(st.integers(min_value=1, max_value=99_999_999))
def test_comma_numbers_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}") == n


# --------------------------------------------------------------------------- distances


@pytest.mark.parametrize(
    ("text", "value_km", "approximate", "evidence"),
    [
        ("flew 1,500 kilometers (932 miles) east", 1500.0, False, "1,500 kilometers"),
        ("flew about 150 km", 150.0, True, "about 150 km"),
        ("covered some 4,500 kilometres", 4500.0, True, "some 4,500 kilometres"),
        ("flew 1,001.2 km", 1001.2, False, "1,001.2 km"),
        ("flew two thousand kilometers", 2000.0, False, "two thousand kilometers"),
        ("flew 620 miles", 620 * 1.609344, False, "620 miles"),
        ("flew 540 nautical miles", 540 * 1.852, False, "540 nautical miles"),
        ("flew 300 NM", 300 * 1.852, False, "300 NM"),
        ("a 500-km range", 500.0, False, "500-km"),
        ("flew 1,000km", 1000.0, False, "1,000km"),
        ("flew more than 800 km", 800.0, True, "more than 800 km"),
        ("flew between 400 and 450 km", 450.0, True, "between 400 and 450 km"),
        ("flew 932 miles (1,500 km)", 932 * 1.609344, False, "932 miles"),
        ("flew 2,000 km, or 1,240 miles, before", 2000.0, False, "2,000 km"),
    ],
)
def test_find_distances(text: str, value_km: float, approximate: bool, evidence: str) -> None:
    [d] = find_distances(text)
    assert d.value_km == pytest.approx(value_km, abs=1e-3)
    assert d.approximate is approximate
    assert d.span.text == evidence
    assert text[d.span.start : d.span.end] == evidence


def test_interval_keeps_both_bounds() -> None:
    [d] = find_distances("they flew between 400 and 450 km")
    assert (d.low_km, d.value_km) == (400.0, 450.0)


def test_no_distance_in_plain_numbers() -> None:
    assert find_distances("In 2023 it fired 30 missiles at 4 p.m. from site 7") == []


_UNIT_WORDS = {"km": 1.0, "kilometers": 1.0, "kilometres": 1.0, "miles": 1.609344,
               "nautical miles": 1.852}  # fmt: skip


@given(
    n=st.integers(min_value=1, max_value=40_000),
    unit=st.sampled_from(sorted(_UNIT_WORDS)),
    conv=st.integers(min_value=1, max_value=99_999),
    conv_unit=st.sampled_from(["mi", "km", "miles"]),
)
def test_first_unit_wins_over_the_bracket(n: int, unit: str, conv: int, conv_unit: str) -> None:
    text = f"The missile flew {n:,} {unit} ({conv:,} {conv_unit}) before landing."
    [d] = find_distances(text)
    assert d.value_km == pytest.approx(n * _UNIT_WORDS[unit], abs=1e-3)
    assert d.conversion is not None and d.conversion.text == f"({conv:,} {conv_unit})"
    assert text[d.span.start : d.span.end] == d.span.text == f"{n:,} {unit}"


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("stayed aloft for between 7,507 and 7,511 seconds", 7507, 7511),
        ("a flight of 47 minutes 12 seconds", 2832, 2832),
        ("a flight of 47 minutes and 12 seconds", 2832, 2832),
        ("tracked for six minutes", 360, 360),
        ("an hour and 6 minutes", 3960, 3960),
        ("1 hour, 6 minutes and 5 seconds", 3965, 3965),
        ("between 70 and 75 minutes", 4200, 4500),
    ],
)
def test_find_durations(text: str, low: float, high: float) -> None:
    [d] = find_durations(text)
    assert (d.low_s, d.high_s) == (low, high)


@given(st.integers(min_value=0, max_value=300), st.integers(min_value=0, max_value=59))
def test_minutes_and_seconds(minutes: int, seconds: int) -> None:
    durations = find_durations(f"It flew for {minutes} minutes {seconds} seconds.")
    if minutes == seconds == 0:
        assert durations == []
    else:
        [d] = durations
        assert d.low_s == d.high_s == 60 * minutes + seconds


def test_flight_time_and_apogee_are_never_ranges() -> None:
    text = (
        "Japan's defence ministry said the missile launched from Sunan flew for 47 minutes "
        "12 seconds and reached an altitude of 770 km."
    )
    [c] = extract_claims(text)
    assert c.range_km is None and c.range_kind == ""
    assert c.flight_time_s == (2832.0, 2832.0)
    assert c.apogee_km == 770.0
    assert c.evidence["apogee_km"].text == "770 km"


def test_clock_times_and_delays_are_not_flight_times() -> None:
    text = (
        "The JCS said a missile was fired from Sunan at 7:20 a.m., 30 minutes after an "
        "earlier one, and flew 600 km."
    )
    [c] = extract_claims(text)
    assert c.flight_time_s is None and c.range_km == 600.0


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "reported_on", "date", "precision"),
    [
        ("on January 25, 2024", None, "2024-01-25", "day"),
        ("on 24 March 2022", None, "2022-03-24", "day"),
        ("on 2024-01-28", None, "2024-01-28", "day"),
        ("on Dec. 18", dt.date(2023, 12, 20), "2023-12-18", "day"),
        ("on Dec. 18", dt.date(2024, 1, 3), "2023-12-18", "day"),
        ("on February 2nd", None, "--02-02", "year-uncertain"),
        ("in July 2017", None, "2017-07", "month"),
        ("earlier in January", None, "--01", "year-uncertain"),
        ("earlier in January", dt.date(2025, 1, 26), "2025-01", "month"),
        ("in 2017", None, "2017", "year"),
        ("on Sunday", dt.date(2024, 1, 28), "2024-01-28", "day"),
        ("on Sunday", dt.date(2024, 1, 29), "2024-01-28", "day"),
        ("on Sunday", None, "", "unknown"),
        ("yesterday", dt.date(2023, 3, 1), "2023-02-28", "day"),
        ("last month", dt.date(2024, 1, 10), "2023-12", "month"),
        ("earlier this month", dt.date(2024, 4, 20), "2024-04", "month"),
        ("last year", dt.date(2024, 4, 20), "2023", "year"),
    ],
)
def test_find_dates(text: str, reported_on: dt.date | None, date: str, precision: str) -> None:
    [d] = find_dates(text, reported_on=reported_on)
    assert (d.date, d.precision) == (date, precision)


def test_may_the_verb_is_not_a_month() -> None:
    assert find_dates("it may fly in may") == []
    assert [d.date for d in find_dates("in May 2023")] == ["2023-05"]


@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)),
    st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
)
def test_weekday_resolves_to_the_last_such_day(reported_on: dt.date, weekday: str) -> None:
    [d] = find_dates(f"It fired on {weekday}.", reported_on=reported_on)
    day = dt.date.fromisoformat(d.date)
    assert day.strftime("%A") == weekday
    assert reported_on - dt.timedelta(days=6) <= day <= reported_on


def test_statement_day_is_not_the_launch_day() -> None:
    text = "KCNA said on Thursday that the missile launched from Sunan on Tuesday flew 1,000 km."
    [c] = extract_claims(text, reported_on="2024-04-04")
    assert c.date == "2024-04-02" and c.evidence["date"].text == "on Tuesday"


# --------------------------------------------------------------------------- claimants


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("KCNA said", KCNA),
        ("the Korean Central News Agency reported", KCNA),
        ("North Korean state media said", KCNA),
        ("State media said", KCNA),
        ("South Korea's Joint Chiefs of Staff said", JCS),
        ("the JCS said", JCS),
        ("South Korean military officials said", SK_MILITARY),
        ("Japan's defence ministry said", JAPAN_MOD),
        ("Japan's Ministry of Defense said", JAPAN_MOD),
        ("U.S. officials said", US_OFFICIALS),
        ("a US defense official said", US_OFFICIALS),
        ("The Pentagon said", US_OFFICIALS),
    ],
)
def test_find_claimants(text: str, label: str) -> None:
    assert [c for c, _ in find_claimants(text)] == [label]


def test_claimant_is_the_one_in_the_clause_of_the_number() -> None:
    text = (
        "KCNA said the missile fired from Sunan flew 1,500 km, while South Korea's Joint "
        "Chiefs of Staff said it flew 1,300 km."
    )
    claims = extract_claims(text)
    assert [(c.range_km, c.claimant) for c in claims] == [(1500.0, KCNA), (1300.0, JCS)]


# --------------------------------------------------------------------------- what a distance is


def _ranges(text: str, **kw: object) -> list[tuple[float | None, str]]:
    return [(c.range_km, c.range_kind) for c in extract_claims(text, **kw)]  # type: ignore[arg-type]


def test_distance_to_a_place_is_not_a_range() -> None:
    assert _ranges("Guam is 3,400 km from North Korea.") == []
    assert _ranges("The missile fired from Sunan landed 200 km off the coast.") == [(None, "")]


def test_offset_locates_the_site() -> None:
    [c] = extract_claims("The JCS said a missile fired from 17 km northeast of Wonsan flew 300 km.")
    assert (c.site, c.range_km) == ("17 km northeast of Wonsan", 300.0)
    assert c.lat is not None and c.lat > 39.1528  # north-east of Wonsan


def test_class_range_is_labelled_class_estimate() -> None:
    assert _ranges("The missile fired from Sunan looked like a Scud-C with a 500-km range.") == [
        (500.0, "class-estimate")
    ]


def test_capability_stated_by_state_media_is_claimed() -> None:
    text = "KCNA said the missile fired from Sunan can strike targets 2,000 km away."
    assert _ranges(text) == [(2000.0, "claimed")]


def test_speculation_is_not_a_claim() -> None:
    text = "Analysts said the missile fired from Sunan could fly 13,000 km on a normal path."
    assert _ranges(text) == [(None, "")]
    assert _ranges("If launched on a flatter path, it would have flown 10,000 km.") == []


def test_province_alone_is_kept_unlocated() -> None:
    [c] = extract_claims("A missile was launched from North Pyongan Province and flew 450 km.")
    assert (c.site, c.province, c.lat) == ("", "North Pyongan Province", None)


def test_launch_site_among_places_merely_mentioned() -> None:
    text = (
        "Officials in Pyongyang said the missiles, fired from near Kimchaek, flew 150 km; "
        "Kim later toured a factory in Hamhung."
    )
    [c] = extract_claims(text)
    assert (c.site, c.site_id) == ("Kimchaek", "kimchaek")


# --------------------------------------------------------------------------- whole-claim properties

_VOCAB = st.sampled_from(
    ["North Korea", "fired", "launched", "from", "near", "Sinpo", "Wonsan", "flew", "about",
     "1,500", "150", "km", "kilometers", "miles", "(", ")", "on", "Sunday", "KCNA", "said",
     "the", "JCS", "could", "range", "of", "altitude", "17 km northeast of", "minutes", "47",
     "two", "cruise missiles", ",", ".", ";", "toward the East Sea", "February 2", "\n"]
)  # fmt: skip


@given(st.lists(_VOCAB, max_size=40), st.none() | st.dates(min_value=dt.date(2000, 1, 1)))
def test_any_text_gives_consistent_claims(words: list[str], reported_on: dt.date | None) -> None:
    text = " ".join(words)
    claims = extract_claims(text, reported_on=reported_on)
    assert claims == extract_claims(text, reported_on=reported_on)  # deterministic
    for c in claims:
        assert c.site or c.province or c.range_km is not None
        for span in c.evidence.values():
            assert text[span.start : span.end] == span.text
        if c.range_km is not None:
            assert c.range_km > 0 and c.range_kind in ("flown", "claimed", "class-estimate")
            assert "range_km" in c.evidence
        else:
            assert c.range_kind == ""
        assert c.date_precision in ("day", "month", "year", "year-uncertain", "unknown")


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(ExtractionError, match="must be text"):
        extract_claims(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ExtractionError, match=r"'28/01/2024'.*YYYY-MM-DD"):
        extract_claims("text", reported_on="28/01/2024")


def test_claims_frame_and_catalog_columns() -> None:
    text = (REPORTS / "seed_r2_kimchaek.txt").read_text(encoding="utf-8")
    claims = geo.extract_claims(text, source="seed 001 paraphrase")
    frame = claims_frame(claims)
    assert list(frame.columns) == list(CLAIM_COLUMNS)
    assert CLAIM_COLUMNS[: len(CATALOG_COLUMNS)] == CATALOG_COLUMNS
    assert frame.loc[0, "site"] == "Kim Chaek city" and frame.loc[0, "source"] == (
        "seed 001 paraphrase"
    )
    assert claims[0].claim_id.startswith("seed-001-paraphrase-")


def test_format_claims_json_round_trips_evidence() -> None:
    text = (REPORTS / "offset_wonsan.txt").read_text(encoding="utf-8")
    [doc] = json.loads(format_claims(extract_claims(text, reported_on="2023-03-31"), fmt="json"))
    start, end, words = doc["evidence"]["site"]
    assert text[start:end] == words == "17 km northeast of Wonsan"
    with pytest.raises(ExtractionError, match="'xml'"):
        format_claims([], fmt="xml")


# --------------------------------------------------------------------------- CLI


def test_cli_extract_table_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    report = REPORTS / "seed_r4_shinpo.txt"
    res = runner.invoke(cli, ["extract", str(report), "--reported-on", "2024-01-28"])
    assert res.exit_code == 0, res.output
    assert "Shinpo" in res.output and "2024-01-28" in res.output
    out = tmp_path / "claims.json"
    res = runner.invoke(
        cli, ["extract", str(report), "--reported-on", "2024-01-28", "--format", "json",
              "-o", str(out), "--source", "seed 004"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    [claim] = json.loads(out.read_text(encoding="utf-8"))
    assert claim["site_id"] == "sinpo" and claim["source"] == "seed 004"
    assert claim["claimant"] == JCS


def test_cli_extract_csv_from_stdin() -> None:
    text = "The JCS said a missile fired from Sunan on Sunday flew about 600 miles."
    res = CliRunner().invoke(cli, ["extract", "-", "--format", "csv"], input=text)
    assert res.exit_code == 0, res.output
    header, row = res.output.splitlines()
    assert header.split(",")[: len(CATALOG_COLUMNS)] == list(CATALOG_COLUMNS)
    assert ",965.6,flown," in row


def test_cli_csv_is_an_events_file(tmp_path: Path) -> None:
    """The CSV of `georange extract` loads as a catalog, its extra columns kept once."""
    out = tmp_path / "claims.csv"
    report = REPORTS / "claimed_capability.txt"
    res = CliRunner().invoke(
        cli,
        ["extract", str(report), "--reported-on", "2024-11-01", "--format", "csv", "-o", str(out)],
    )
    assert res.exit_code == 0, res.output
    cat = geo.load_catalog(out)
    assert cat.columns.is_unique
    assert cat["site_id"].tolist() == ["pyongyang", "pyongyang"]
    assert cat["range_kind"].tolist() == ["claimed", "flown"]
    assert json.loads(cat.loc[1, "evidence"])["claimant"] == [144, 147, "JCS"]


def test_cli_extract_errors_write_nothing(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "claims.csv"
    report = REPORTS / "two_claimants.txt"
    res = runner.invoke(
        cli, ["extract", str(report), "--reported-on", "13/07/2023", "-o", str(out)]
    )
    assert res.exit_code == 1
    assert "'13/07/2023'" in res.output and "YYYY-MM-DD" in res.output
    assert not out.exists() and list(tmp_path.iterdir()) == []
    res = runner.invoke(cli, ["extract", str(tmp_path / "missing.txt")])
    assert res.exit_code == 1 and "missing.txt" in res.output
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Missiles flew 150 km.\nNear Sinp\xf6.".encode("latin-1"))
    res = runner.invoke(cli, ["extract", str(bad)])
    assert res.exit_code == 1 and "latin1.txt:2" in res.output and "--encoding" in res.output


# --------------------------------------------------------------------------- into the catalog


def _corpus_claims() -> list[geo.Claim]:
    claims = []
    for exp in sorted(REPORTS.glob("*.json")):
        expected = json.loads(exp.read_text(encoding="utf-8"))
        text = exp.with_suffix(".txt").read_text(encoding="utf-8")
        claims += extract_claims(text, source=exp.stem, reported_on=expected["reported_on"])
    return claims


def test_extracted_claims_load_as_an_events_file(tmp_path: Path) -> None:
    """Every claim of the corpus, written as an events CSV, passes the catalog's checks."""
    from geo.catalog import load_catalog, write_events

    claims = _corpus_claims()
    path = tmp_path / "events.csv"
    write_events(claims_frame(claims)[list(CATALOG_COLUMNS)], path)
    cat = load_catalog(path)
    assert len(cat) == len(claims)
    assert cat["located"].tolist() == [bool(c.site) for c in claims]
    assert cat["claim_id"].tolist() == [c.claim_id for c in claims]


def test_claims_catalog_feeds_claim_footprints() -> None:
    """The in-memory catalog of extracted claims draws one footprint per located range."""
    from pyproj import Geod

    from geo.catalog import claim_footprints
    from geo.extract import claims_catalog

    text = (REPORTS / "seed_r2_kimchaek.txt").read_text(encoding="utf-8")
    cat = claims_catalog(extract_claims(text, source="r2"))
    fp = claim_footprints(cat)
    assert fp["claim_id"].tolist() == ["r2-c1"]
    row = fp.iloc[0]
    assert (row["site_id"], row["range_km"], row["range_kind"]) == ("kimchaek", 150.0, "flown")
    # boundary vertices lie at the range from the site (checked with Geod.inv)
    lon, lat = row.geometry.exterior.coords.xy
    _, _, dist_m = Geod(ellps="WGS84").inv(
        [row["lon"]] * len(lon), [row["lat"]] * len(lat), lon, lat
    )
    assert max(abs(d - 150_000.0) for d in dist_m) < 1.0


@pytest.mark.parametrize(
    "text",
    [
        # the report's country (Iran) is not Wonsan's: extract_claims refuses the site
        "Iran fired a missile from near Wonsan. It flew about 600 km.",
        # the report's province is not Sinpo's
        "North Korea fired a missile from Sinpo, North Pyongan Province. It flew about 600 km.",
    ],
    ids=["country", "province"],
)
def test_claims_catalog_keeps_a_site_the_report_contradicts_unlocated(text: str) -> None:
    from geo.extract import claims_catalog

    [claim] = extract_claims(text)
    assert claim.lat is None and "site not located" in claim.note
    row = claims_catalog([claim]).iloc[0]
    assert not row["located"] and math.isnan(row["lat"]) and row["site"] == claim.site


@pytest.mark.parametrize(
    "phrase, site_id, match",
    [
        ("Sinpo City, South Hamgyong Province", "sinpo", "alias"),
        ("17 km northeast of Wonsan", None, "offset"),
    ],
)
def test_claims_catalog_puts_a_claim_where_extract_claims_located_it(
    phrase: str, site_id: str | None, match: str
) -> None:
    from geo.extract import claims_catalog

    text = f"North Korea fired a missile from {phrase}. It flew about 600 km."
    [claim] = extract_claims(text)
    assert claim.lat is not None and claim.site_id == site_id
    row = claims_catalog([claim]).iloc[0]
    got = (row["lat"], row["lon"], row["precision_km"], row["site_id"], row["site_match"])
    assert got == (claim.lat, claim.lon, claim.precision_km, site_id, match)
    assert row["located"]
    # a claim extracted without geocoding is looked up from its site, with the country given
    [bare] = extract_claims(text, geocode=False)
    row = claims_catalog([bare], country="KP").iloc[0]
    assert row["located"] and row["site_match"] == match


def test_claims_catalog_keeps_a_claims_point_that_its_bare_site_would_move() -> None:
    from geo.extract import Claim, claims_catalog

    claim = Claim("c1", "e1", site="Sinpo", site_id="sinpo", lat=40.1, lon=128.3, precision_km=5.0)
    row = claims_catalog([claim]).iloc[0]
    assert (row["lat"], row["lon"], row["precision_km"], row["site_id"]) == (
        40.1,
        128.3,
        5.0,
        "sinpo",
    )
    assert row["site_match"] == "coordinates" and "extract_claims" in row["site_source"]


# --------------------------------------------------------------------------- analysts' wording


def test_listed_numbers_share_the_unit() -> None:
    d = find_distances("the two missiles travelled 390 and 340 km")
    assert [(x.value_km, x.span.text) for x in d] == [(390.0, "390"), (340.0, "340 km")]
    assert [x.value_km for x in find_distances("launched in 2017 and 500 km away")] == [500.0]
    text = "The JCS said missiles fired from Sunan travelled 390 and 340 km."
    assert _ranges(text) == [(390.0, "flown"), (340.0, "flown")]


def test_a_range_reported_with_an_apogee_is_flown() -> None:
    text = "The missile fired from Sunan reached an apogee of 60 km and a range of 450 km."
    assert _ranges(text) == [(450.0, "flown")]
    text = "Launched from Sunan, it had a range of 350 km and an apogee of 90 km, the JCS said."
    assert _ranges(text) == [(350.0, "flown")]
    # without an apogee beside it, "a range of" stays a capability
    assert _ranges("A Scud-C fired from Sunan has a range of 500 km.") == [
        (500.0, "class-estimate")
    ]


def test_hedged_and_relative_distances_are_not_claims() -> None:
    assert _ranges(
        "Parts of the rocket fired from Sohae are believed to have travelled 4000 km."
    ) == [(None, "")]
    assert _ranges("The missile fired from Sunan travelled about 1000 km farther than before.") == [
        (None, "")
    ]


def test_a_comparison_tells_of_another_launch() -> None:
    text = "The missile fired from Sunan flew 1,000 km, farther than the 800 km covered in April."
    claims = extract_claims(text)
    assert [(c.site, c.range_km, c.event_id) for c in claims] == [
        ("Sunan", 1000.0, "report-e1"),
        ("", 800.0, "report-e2"),
    ]
    assert (claims[1].date, claims[1].date_precision) == ("--04", "year-uncertain")


def test_cns_notes_sites_and_ranges(shared_data: Path) -> None:
    """Third-party prose (the CNS database's analyst notes): sites agree with the facility.

    Every located site lies within 50 km of the row's facility, and most flown ranges equal the
    row's distance (the others are numbers of other claimants or of other missiles the note
    quotes; bench/extract_cns.py --verbose lists them for review).
    """
    import csv

    from pyproj import Geod

    path = shared_data / "cns_nk_missile_test_database_2023-04.csv"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    geod = Geod(ellps="WGS84")
    agree = total = sites = 0
    with path.open(encoding="cp1252", newline="") as fh:
        for row in csv.DictReader(fh):
            note = row["Additional Information"].strip()
            for c in extract_claims(note) if note else []:
                facility = (row["Facility Latitude"], row["Facility Longitude"])
                if c.lat is not None and c.lon is not None and "Unknown" not in facility:
                    lat, lon = float(facility[0]), float(facility[1])
                    assert geod.inv(c.lon, c.lat, lon, lat)[2] < 50_000, (c.site, row["Date"])
                    sites += 1
                dist = row["Distance Travelled"].replace(",", "").split(" km")[0]
                if c.range_kind == "flown" and dist.replace(".", "").isdigit():
                    total += 1
                    agree += abs(c.range_km - float(dist)) <= max(10.0, 0.05 * float(dist))  # type: ignore[operator]
    assert sites >= 30 and total >= 50
    assert agree / total >= 0.65


def test_every_claimant_label_is_known() -> None:
    from geo.extract import CLAIMANTS

    for claim in _corpus_claims():
        assert claim.claimant in CLAIMANTS
    assert _ranges(
        "A missile with a range greater than or equal to 300 km was fired from Sunan."
    ) == [(None, "")]


def test_a_place_outside_the_gazetteer_is_named_and_a_user_sites_file_locates_it(
    tmp_path: Path,
) -> None:
    # (Sukchon was the example: the CNS facility layer now knows it.)  The launch place
    # stays the claim's site, unlocated, with the reason (issue 10)
    text = "Japan said the two missiles flew 350 km after being fired from Chongsan-ri."
    [c] = extract_claims(text)
    assert (c.site, c.lat, c.site_id) == ("Chongsan-ri", None, None)
    assert "'Chongsan-ri' is not in the gazetteer" in c.note and "--sites" in c.note
    sites = tmp_path / "sites.csv"
    sites.write_text("name,lat,lon,precision_km\nChongsan-ri,39.41,125.63,5\n", encoding="utf-8")
    [c] = extract_claims(text, sites=sites)
    assert (c.site, c.range_km) == ("Chongsan-ri", 350.0)
    assert c.lat == pytest.approx(39.41) and c.precision_km == pytest.approx(5.0)


def test_cli_explain_lists_every_distance_on_stderr() -> None:
    text = (
        "Guam is 3,400 km from North Korea.\nThe JCS said a missile fired from Sunan flew 600 km."
    )
    runner = CliRunner()
    res = runner.invoke(cli, ["extract", "-", "--explain", "--format", "csv"], input=text)
    assert res.exit_code == 0, res.output
    assert "1:8: '3,400 km': distance:" in res.stderr
    assert "2:80: '600 km': flown:" in res.stderr
    assert "3,400" not in res.stdout and ",600.0,flown," in res.stdout


def test_denials_revisions_and_shared_ranges() -> None:
    assert (
        extract_claims("Pyongyang denied it had fired a missile from Sinpo that flew 600 km.") == []
    )
    text = "The JCS first said the missile from Sunan flew 600 km, then revised that to 750 km."
    assert _ranges(text) == [(750.0, "flown")]
    roles = [r for r, _ in explain_distances(text)]
    assert roles == ["superseded", "flown"]
    text = "Launches came from Sunan and from Kaechon, each flying about 300 km, the JCS said."
    assert [(c.site, c.range_km) for c in extract_claims(text)] == [
        ("Sunan", 300.0),
        ("Kaechon", 300.0),
    ]


def test_a_year_given_once_dates_the_days_after_it() -> None:
    text = "In 2022, it fired from Sunan on Jan. 30 a missile that flew 800 km."
    [c] = extract_claims(text)
    assert (c.date, c.date_precision) == ("2022-01-30", "day")
    assert c.evidence["date"].text == "Jan. 30"
    assert [r for r, _ in explain_distances("The ICBM from Sunan reached 6,000 km up.")] == [
        "apogee"
    ]
