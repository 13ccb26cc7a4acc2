"""Derived standard-trajectory claims: `georange import-cns` adds one per lofted row."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import geo
from geo.catalog import RANGE_KINDS, import_cns, load_catalog
from geo.cli import cli

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "catalog"
KM = re.compile(r"^\s*(\d[\d,]*(?:\.\d+)?)\s*km\s*$", re.IGNORECASE)


def cns_fixtures():
    """The catalog tests' CNS fixture module (small files in the CNS formats)."""
    if "cns_fixtures" in sys.modules:
        return sys.modules["cns_fixtures"]
    spec = importlib.util.spec_from_file_location("cns_fixtures", FIXTURES / "cns_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["cns_fixtures"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def km_cell(text: str) -> float | None:
    m = KM.match(text or "")
    return float(m[1].replace(",", "")) if m else None


def independent_lofted_rows(raw: pd.DataFrame) -> list[str]:
    """F1 of the rows with an apogee of at least 1,000 km and a distance, from the raw cells."""
    out = []
    for _, r in raw.iterrows():
        apogee, distance = km_cell(r["Apogee"]), km_cell(r["Distance Travelled"])
        if apogee is not None and distance is not None and apogee >= 1000 and distance > 0:
            out.append(str(r["F1"]))
    return out


def test_standard_trajectory_is_a_range_kind() -> None:
    assert "standard-trajectory" in RANGE_KINDS


def test_import_adds_a_derived_claim_for_the_lofted_row(tmp_path: Path) -> None:
    fx = cns_fixtures()
    result = import_cns(fx.write_csv(tmp_path / "c.csv"))
    lofted = [r for r in fx.ROWS if (km_cell(r.apogee) or 0) >= 1000 and r.expect_range_km]
    assert result.derived == len(lofted) == 1
    ev = result.events.set_index("claim_id")
    row = lofted[0]
    got, base = ev.loc[f"cns-{row.f1}-std"], ev.loc[f"cns-{row.f1}"]
    assert got["range_kind"] == "standard-trajectory" and got["claimant"] == "georange"
    for col in ("event_id", "date", "site", "missile", "site_name"):
        assert got[col] == base[col]
    expected = geo.standard_trajectory_range(km_cell(row.apogee), row.expect_range_km)
    assert expected.near_orbital  # 6,000 km / 1,000 km: a lower bound only
    assert got["range_km"] == pytest.approx(expected.low_km)
    assert f"≥ {expected.low_km:,.0f} km" in got["note"]
    assert "derived by georange (not reported)" in got["note"]
    assert "apogee 6,000 km, distance 1,000 km, flight time not given" in got["note"]
    assert "method: vacuum Kepler ellipse" in got["note"]
    assert "flag: no flight time given" in got["note"]
    assert f"cns-{row.f1}" in got["source"]
    summary = result.summary()
    assert f"-> {result.total + 1} claims" in summary and "1 derived standard-trajectory" in summary


def test_a_central_estimate_when_not_near_orbital(tmp_path: Path) -> None:
    from geo.catalog._derived import derived_claim

    base = {"claim_id": "x-1", "event_id": "x", "range_km": 950.0, "claimant": "CNS"}
    claim, issue = derived_claim(base, apogee_km=4475, distance_km=950, flight_time_s=3180)
    assert issue is None and claim is not None
    expected = geo.standard_trajectory_range(4475, 950, 3180)
    assert claim["range_km"] == expected.central_km
    assert f"central {expected.central_km:,.0f} km" in claim["note"]
    assert f"low {expected.low_km:,.0f}, high {expected.high_km:,.0f} km" in claim["note"]
    assert derived_claim(base, apogee_km=999, distance_km=950) == (None, None)
    assert derived_claim(base, apogee_km=4475, distance_km=None) == (None, None)
    none, why = derived_claim(base, apogee_km=45_000, distance_km=950, where="line 9")
    assert none is None and why is not None and why.startswith("line 9: no standard-trajectory")


def test_cli_output_loads_and_marks_derived_claims(tmp_path: Path) -> None:
    fx = cns_fixtures()
    out = tmp_path / "events.csv"
    res = CliRunner().invoke(
        cli, ["import-cns", str(fx.write_csv(tmp_path / "c.csv")), "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "derived standard-trajectory" in res.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    derived = [r for r in rows if r["range_kind"] == "standard-trajectory"]
    assert [r["claimant"] for r in derived] == ["georange"]
    cat = load_catalog(out)
    assert (cat["range_kind"] == "standard-trajectory").sum() == 1


def test_real_csv_2023_04_has_eleven_lofted_tests(shared_data: Path) -> None:
    path = shared_data / "cns_nk_missile_test_database_2023-04.csv"
    raw = pd.read_csv(path, encoding="cp1252", dtype=str, keep_default_na=False)
    expected = independent_lofted_rows(raw)
    assert len(expected) == 11
    result = import_cns(path)
    assert result.derived == 11
    derived = result.events[result.events["range_kind"] == "standard-trajectory"]
    assert sorted(derived["claim_id"]) == sorted(f"cns-{f1}-std" for f1 in expected)
    assert (derived["claimant"] == "georange").all() and derived["range_km"].gt(0).all()
    # the 2022-2023 ICBM tests are near-orbital: the claim is a lower bound
    near = derived[derived["note"].str.contains("≥")]
    assert set(near["date"]) >= {"2022-03-24", "2022-11-18", "2023-02-18", "2023-03-15"}


# --- extraction ----------------------------------------------------------------------------

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"


def test_extract_adds_a_derived_claim_after_a_lofted_flown_claim() -> None:
    text = (
        "North Korea fired an ICBM from the Pyongyang area on Friday, Japan's defense ministry "
        "said. The missile flew about 1,000 km for 74 minutes, reaching an altitude of 6,000 km."
    )
    flown, derived = geo.extract_claims(text, reported_on="2023-07-14")
    assert (flown.range_kind, derived.range_kind) == ("flown", "standard-trajectory")
    assert derived.claim_id == f"{flown.claim_id}-std" and derived.claimant == "georange"
    km, note = geo.lofted.standard_trajectory_claim(6000.0, 1000.0, 74 * 60.0)
    assert derived.range_km == pytest.approx(km, abs=0.05)
    assert derived.note.startswith(note) and flown.claim_id in derived.note
    for name in ("event_id", "date", "site", "lat", "lon", "missile", "apogee_km"):
        assert getattr(derived, name) == getattr(flown, name)
    assert derived.evidence["apogee_km"].text == "6,000 km"
    assert text[slice(*derived.evidence["range_km"][:2])] == "about 1,000 km"


def test_no_derived_claim_below_1000_km_apogee_or_without_a_distance() -> None:
    low = (
        "North Korea fired a missile from Sinpo on Monday. It flew 600 km at an altitude of 60 km."
    )
    assert [c.range_kind for c in geo.extract_claims(low, reported_on="2024-01-30")] == ["flown"]
    alone = "North Korea fired a missile from Sunan on Monday; it reached an altitude of 6,000 km."
    kinds = [c.range_kind for c in geo.extract_claims(alone, reported_on="2024-01-30")]
    assert "standard-trajectory" not in kinds


@pytest.mark.parametrize("name", sorted(p.stem for p in REPORTS.glob("*.json")))
def test_every_corpus_report_gets_derived_claims_exactly_for_its_lofted_flown_claims(
    name: str,
) -> None:
    text = (REPORTS / f"{name}.txt").read_text(encoding="utf-8")
    reported_on = json.loads((REPORTS / f"{name}.json").read_text(encoding="utf-8")).get(
        "reported_on"
    )
    claims = geo.extract_claims(text, reported_on=reported_on, source=name)
    for i, c in enumerate(claims):
        lofted = c.range_kind == "flown" and (c.apogee_km or 0.0) >= 1000.0 and c.range_km
        follows = i + 1 < len(claims) and claims[i + 1].range_kind == "standard-trajectory"
        assert follows == bool(lofted), (name, c.claim_id)
        if c.range_kind == "standard-trajectory":
            assert claims[i - 1].range_kind == "flown" and c.claim_id.endswith("-std")
