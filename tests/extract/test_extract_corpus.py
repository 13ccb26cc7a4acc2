"""Golden corpus: short reports in our own words, with the claims a careful reader takes from them.

One case = ``tests/data/reports/<case>.txt`` (the report) + ``<case>.json`` (expected claims with
the words each field came from).  See ``tests/data/reports/README.md`` to add a case.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from seeds import SEEDS

from geo.extract import CORPUS_FIELDS, Claim, Span, extract_claims

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"
CASES = sorted(p.stem for p in REPORTS.glob("*.json"))

#: Every checked field and its value when a case does not give it.
DEFAULTS: dict[str, Any] = CORPUS_FIELDS


def load_case(name: str) -> tuple[str, dict[str, Any]]:
    text = (REPORTS / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((REPORTS / f"{name}.json").read_text(encoding="utf-8"))
    return text, expected


def expected_span(text: str, spec: str | dict[str, Any]) -> Span:
    """The span an expected evidence entry names: its text, at its n-th occurrence (1-based)."""
    if isinstance(spec, str):
        spec = {"text": spec}
    words, occurrence = spec["text"], spec.get("occurrence", 1)
    start = -1
    for _ in range(occurrence):
        start = text.find(words, start + 1)
        assert start >= 0, f"evidence {words!r} (occurrence {occurrence}) is not in the report"
    return Span(start, start + len(words), words)


def field_value(claim: Claim, name: str) -> Any:
    value = getattr(claim, name)
    if name == "flight_time_s" and value is not None:
        return list(value)
    return value


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, abs_tol=0.05)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 25
    for name in CASES:
        assert (REPORTS / f"{name}.txt").is_file(), f"{name}.json has no {name}.txt"


@pytest.mark.parametrize("name", CASES)
def test_case(name: str) -> None:
    text, expected = load_case(name)
    claims = extract_claims(text, reported_on=expected.get("reported_on"), source=name)
    # what the report says; the derived standard-trajectory claims georange adds to lofted
    # tests are checked in tests/lofted/test_derived_claims.py
    claims = [c for c in claims if c.range_kind != "standard-trajectory"]
    want = expected["claims"]
    got_summary = [(c.site, c.range_km, c.range_kind) for c in claims]
    assert len(claims) == len(want), f"{name}: got {got_summary}"
    for i, (claim, exp) in enumerate(zip(claims, want, strict=True)):
        gaps = set(exp.get("gaps", ()))
        assert gaps <= set(DEFAULTS), f"{name}: unknown fields in gaps {gaps}"
        for fname, default in DEFAULTS.items():
            value = default if fname in gaps else exp.get(fname, default)
            if isinstance(value, int) and not isinstance(value, bool) and fname != "count":
                value = float(value)
            if fname == "flight_time_s" and value is not None:
                value = [float(v) for v in value]
            got = field_value(claim, fname)
            assert same(got, value), f"{name} claim {i + 1}: {fname} = {got!r}, expected {value!r}"
        # a documented gap: the field is left empty (never filled wrongly), and the
        # bench counts it as missed
        want_evidence = {
            k: expected_span(text, v) for k, v in exp.get("evidence", {}).items() if k not in gaps
        }
        assert dict(claim.evidence) == want_evidence, f"{name} claim {i + 1}: evidence"
        for span in claim.evidence.values():
            assert text[span.start : span.end] == span.text
        assert claim.source == name
        assert claim.claim_id and claim.event_id


@pytest.mark.parametrize("name", CASES)
def test_every_claim_locates_its_site(name: str) -> None:
    """A claim with a site is geocoded offline; the offset and alias forms included."""
    text, expected = load_case(name)
    for claim in extract_claims(text, reported_on=expected.get("reported_on")):
        if claim.site:
            assert claim.lat is not None and claim.lon is not None, claim.site
            assert claim.precision_km is not None and claim.precision_km > 0
        else:
            assert claim.lat is None and claim.site_id is None


def test_no_ten_word_run_from_the_seeds() -> None:
    """The corpus (and this code) is in our own words: no 10-word run from ../shared/seeds."""
    seeds = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} is absent (the seed articles live beside the repository)")

    def words(s: str) -> list[str]:
        import re

        return re.findall(r"[a-z0-9]+", s.lower().replace("’", "'"))

    grams: set[tuple[str, ...]] = set()
    for p in seeds.glob("*.txt"):
        w = words(p.read_text(encoding="utf-8", errors="replace"))
        grams.update(tuple(w[i : i + 10]) for i in range(len(w) - 9))
    root = Path(__file__).resolve().parents[2]
    ours = [
        *sorted((root / "geo" / "extract").glob("*.py")),
        *sorted((root / "tests" / "extract").glob("test_extract*.py")),
        *sorted((root / "bench").glob("extract_*.py")),
    ]
    for p in [*sorted(REPORTS.iterdir()), *ours]:
        if p.suffix not in (".txt", ".json", ".md", ".py"):
            continue
        w = words(p.read_text(encoding="utf-8"))
        copied = [
            " ".join(w[i : i + 10]) for i in range(len(w) - 9) if tuple(w[i : i + 10]) in grams
        ]
        assert not copied, f"{p.name} copies seed wording: {copied[0]!r}"


def _seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent (the seed articles live beside the repository)")
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def test_seed_articles_give_the_facts_of_seed_events() -> None:
    """The four original articles (read in place, never copied) give the claims of facts/."""
    [r1] = extract_claims(_seed("000"), reported_on="2025-01-26")
    assert (r1.site, r1.range_km, r1.range_kind) == ("", 1500.0, "flown")
    assert r1.claimant == "KCNA (North Korean state media)"
    assert r1.flight_time_s == (7507.0, 7511.0)
    [r2] = extract_claims(_seed("001"))
    assert (r2.site_id, r2.range_km, r2.approximate) == ("kimchaek", 150.0, True)
    assert (r2.date, r2.date_precision) == ("--02-02", "year-uncertain")
    assert r2.claimant == "South Korean military" and r2.direction == "Sea of Japan"
    assert extract_claims(_seed("002")) == []
    [r4] = extract_claims(_seed("004"), reported_on="2024-01-28")
    assert (r4.site_id, r4.range_km, r4.date) == ("sinpo", None, "2024-01-28")
    assert r4.claimant == "South Korea Joint Chiefs of Staff" and r4.direction == ""
