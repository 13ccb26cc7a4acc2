"""The catalog: bundled files, validation that lists every bad cell, footprints per claim/class."""

from __future__ import annotations

import math
import string
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod
from seeds import SEEDS, SKIP_REASON, seed_runs, word_runs

import geo
from geo.catalog import (
    DATE_PRECISIONS,
    EVENT_COLUMNS,
    MISSILE_COLUMNS,
    RANGE_KINDS,
    TARGET_COLUMNS,
    claim_footprints,
    class_footprints,
    load_catalog,
    load_missiles,
    load_targets,
    write_events,
)
from geo.cli import cli
from geo.errors import CatalogError
from geo.gazetteer import Gazetteer
from geo.resources import data_path

GEOD = Geod(ellps="WGS84")
ROOT = Path(__file__).resolve().parents[2]
FACTS = ROOT.parent / "shared" / "facts"

HEADER = ",".join(EVENT_COLUMNS)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _catalog_error(load: Callable[[Path], object], path: Path) -> CatalogError:
    """The :class:`CatalogError` that *load* raises for the file *path*."""
    with pytest.raises(CatalogError) as err:
        load(path)
    return err.value


# --- the bundled catalog ----------------------------------------------------------------------


def test_bundled_catalog_loads_with_every_claim_and_column() -> None:
    cat = load_catalog()
    raw = pd.read_csv(data_path("events.csv"), dtype=str, keep_default_na=False)
    assert cat["claim_id"].tolist() == raw["claim_id"].tolist()
    for col in EVENT_COLUMNS:
        assert col in cat.columns
    for col in ("site_name", "site_id", "lat", "lon", "precision_km", "located", "geometry"):
        assert col in cat.columns
    assert cat.crs.to_epsg() == 4326
    assert cat["located"].dtype == bool


def test_bundled_claims_are_located_exactly_where_the_gazetteer_puts_their_site() -> None:
    cat = load_catalog()
    gaz = Gazetteer.load()
    for _, row in cat.iterrows():
        if row["site"]:
            site = gaz.geocode(row["site"])
            assert row["located"]
            assert (row["lat"], row["lon"]) == (site.lat, site.lon)
            assert (row.geometry.x, row.geometry.y) == (site.lon, site.lat)
            assert row["precision_km"] == site.precision_km
        else:
            assert not row["located"]
            assert row.geometry is None
            assert math.isnan(row["lat"]) and math.isnan(row["lon"])


def test_seed_facts_are_in_the_catalog() -> None:
    cat = load_catalog().set_index("claim_id")
    # R2, Feb 2: Kim Chaek, about 150 km flown, year not known.
    kim = cat.loc["r2-0202-range"]
    assert (kim["site_id"], kim["range_km"], kim["range_kind"]) == ("kimchaek", 150.0, "flown")
    assert kim["date_precision"] == "year-uncertain" and kim["date"] == "--02-02"
    # R1: 1,500 km claimed flown by KCNA, no site: kept, unlocated.
    r1 = cat.loc["r1-kcna-range"]
    assert r1["range_km"] == 1500.0 and not r1["located"] and r1["date"] == "2025-01-25"
    # R4: Shinpo, no reported range; mapped with an assumption labelled as such.
    r4 = cat.loc["r4-assumed-range"]
    assert (r4["site_id"], r4["range_kind"], r4["range_km"]) == ("sinpo", "assumption", 1500.0)
    assert math.isnan(cat.loc["r4-jcs-launch", "range_km"])
    assert cat.loc["r4-jcs-launch", "located"]
    # Every claim names who made it and where it was reported.
    assert (cat["claimant"] != "").all() and (cat["source"] != "").all()


def test_bundled_missiles_follow_the_facts_file() -> None:
    missiles = load_missiles()
    assert list(missiles.columns) == list(MISSILE_COLUMNS)
    facts = (FACTS / "missiles.md").read_text(encoding="utf-8") if FACTS.is_dir() else None
    by_name = missiles.set_index("name")
    assert by_name.loc["Musudan", ["range_min_km", "range_max_km"]].tolist() == [2500.0, 4000.0]
    assert by_name.loc["Hwasong-15", "range_max_km"] == 13000.0
    assert (missiles["range_min_km"] <= missiles["range_max_km"]).all()
    if facts is not None:
        table_rows = [ln for ln in facts.splitlines() if ln.startswith("| ") and "---" not in ln][
            1:
        ]
        assert len(missiles) == len(table_rows)


def test_bundled_targets_equal_the_facts_file() -> None:
    targets = load_targets()
    assert list(targets.columns) == list(TARGET_COLUMNS)
    assert targets["id"].is_unique
    if FACTS.is_dir():
        facts = pd.read_csv(FACTS / "targets.csv")
        pd.testing.assert_frame_equal(
            targets.reset_index(drop=True),
            facts.astype(targets.dtypes.to_dict()),
            check_dtype=False,
        )


@pytest.mark.skipif(not SEEDS.is_dir(), reason=SKIP_REASON)
def test_no_sentence_is_copied_from_the_seed_articles() -> None:
    seeds = seed_runs()
    ours = [
        data_path("events.csv"),
        data_path("missiles.csv"),
        *sorted((ROOT / "geo" / "catalog").glob("*.py")),
        ROOT / "tests" / "data" / "catalog" / "cns_fixtures.py",
        ROOT / "tests" / "catalog" / "test_catalog_cns.py",
        Path(__file__),
    ]
    for path in ours:
        shared = word_runs(path.read_text(encoding="utf-8")) & seeds
        assert not shared, f"{path.name} repeats seed wording: {sorted(shared)[:3]}"


# --- validation: every problem at once ----------------------------------------------------------


BROKEN = f"""{HEADER}
ok-1,e1,2024-01-28,day,Shinpo,cruise,1500,assumption,me,my notes,fine
bad-date,e2,2024-13-01,day,,cruise,,,me,my notes,month 13
bad-prec,e3,2024-01,weekly,,cruise,,,me,my notes,
neg,e4,2024,year,,cruise,-5,flown,me,my notes,negative
text-range,e5,--02-30,year-uncertain,,cruise,"1,500",flown,me,my notes,"Feb 30 and a
note over two lines"
kind,e6,,unknown,,cruise,300,guessed,me,my notes,
no-kind,e7,,unknown,,cruise,300,,me,my notes,
ok-1,e8,,unknown,Atlantis Launch Complex,cruise,,,,my notes,duplicate id and unknown site
nan-range,e9,2024-02,day,,cruise,nan,flown,me,,empty source
"""


def test_broken_catalog_lists_every_broken_cell(tmp_path: Path) -> None:
    path = _write(tmp_path, "broken.csv", BROKEN)
    err = _catalog_error(load_catalog, path)
    got = {(p.line, p.column, p.value) for p in err.problems}
    assert got == {
        (3, "date", "2024-13-01"),
        (4, "date_precision", "weekly"),
        (5, "range_km", "-5"),
        (6, "date", "--02-30"),
        (6, "range_km", "1,500"),
        (8, "range_kind", "guessed"),
        (9, "range_kind", ""),
        (10, "claim_id", "ok-1"),
        (10, "claimant", ""),
        (10, "site", "Atlantis Launch Complex"),
        (11, "date", "2024-02"),
        (11, "range_km", "nan"),
        (11, "source", ""),
    }
    assert all(p.path == str(path) for p in err.problems)
    message = str(err)
    assert "13 problem(s)" in message
    assert f"{path}:10: column 'claim_id': 'ok-1'" in message
    assert "used on line 2" in message
    assert "one of flown, claimed, class-estimate, assumption" in message
    assert "Add the site to a sites file" in message or "sites file" in message


def test_missing_and_repeated_columns_are_listed(tmp_path: Path) -> None:
    path = _write(tmp_path, "cols.csv", "claim_id,event_id,date,date,site\nx,y,,,\n")
    got = {(p.line, p.column) for p in _catalog_error(load_catalog, path).problems}
    missing = set(EVENT_COLUMNS) - {"claim_id", "event_id", "date", "site"}
    assert got == {(1, "date")} | {(1, c) for c in missing}


def test_a_row_with_the_wrong_number_of_fields_is_reported(tmp_path: Path) -> None:
    text = f"{HEADER}\na,b,,unknown,,m,,,c,s,n\na2,b,,unknown,,m,1,500,flown,c,s,n\n"
    (problem,) = _catalog_error(load_catalog, _write(tmp_path, "f.csv", text)).problems
    assert problem.line == 3 and "12" in problem.expected and "quote" in problem.expected


def test_a_file_that_is_not_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(
        f"{HEADER}\na,b,,unknown,,m,,,c,s,n\n".encode() + b"c,d,,unknown,,\xe9,,,c,s,n\n"
    )
    (problem,) = _catalog_error(load_catalog, path).problems
    assert problem.line == 3 and "UTF-8" in problem.expected


def test_unlocated_claims_are_kept_never_placed(tmp_path: Path) -> None:
    text = f"{HEADER}\na,e,,unknown,,m,800,claimed,c,s,\nb,e,,unknown,Sinpo,m,,,c,s,\n"
    cat = load_catalog(_write(tmp_path, "u.csv", text))
    assert cat["located"].tolist() == [False, True]
    assert cat.geometry.iloc[0] is None and math.isnan(cat["lat"].iloc[0])
    assert cat["range_km"].iloc[0] == 800.0


def test_extra_columns_and_site_name_are_kept(tmp_path: Path) -> None:
    row_text = 'a,e,,unknown,"40.0368, 128.1839",m,10,flown,c,s,,My shipyard,kim'
    text = f"{HEADER},site_name,analyst\n{row_text}\n"
    cat = load_catalog(_write(tmp_path, "x.csv", text))
    row = cat.iloc[0]
    assert row["site_name"] == "My shipyard" and row["analyst"] == "kim"
    assert (row["lat"], row["lon"]) == (40.0368, 128.1839)


_texts = st.text(
    alphabet=string.ascii_letters + string.digits + " ,;:'\"\n-()é°",
    max_size=30,
).map(str.strip)


@st.composite
def _claims(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(min_value=1, max_value=6))
    rows = []
    for i in range(n):
        precision = draw(st.sampled_from(DATE_PRECISIONS))
        day = draw(st.dates(min_value=pd.Timestamp("1900-01-01").date()))
        date = {
            "day": day.isoformat(),
            "month": day.isoformat()[:7],
            "year": day.isoformat()[:4],
            "year-uncertain": "--" + day.isoformat()[5 : draw(st.sampled_from([7, 10]))],
            "unknown": "",
        }[precision]
        # ranges past the antipodal distance plus 1 % (20,203.97 km) are refused (issue 13)
        rng = draw(st.none() | st.floats(min_value=0.001, max_value=20_200, allow_nan=False))
        located = draw(st.booleans())
        lat = draw(st.floats(min_value=-90, max_value=90, allow_nan=False))
        lon = draw(st.floats(min_value=-180, max_value=180, allow_nan=False))
        rows.append(
            {
                "claim_id": f"c{i}",
                "event_id": draw(st.sampled_from(["e1", "e2"])),
                "date": date,
                "date_precision": precision,
                "site": f"{np.format_float_positional(lat, unique=True, trim='-')}, "
                f"{np.format_float_positional(lon, unique=True, trim='-')}"
                if located
                else "",
                "missile": draw(_texts),
                "range_km": math.nan if rng is None else rng,
                "range_kind": "" if rng is None else draw(st.sampled_from(RANGE_KINDS)),
                "claimant": draw(_texts.filter(bool)),
                "source": draw(_texts.filter(bool)),
                "note": draw(_texts),
                "_lat": lat,
                "_lon": lon,
            }
        )
    return pd.DataFrame(rows)


@given(_claims())
def test_write_then_load_round_trips(
    tmp_path_factory: pytest.TempPathFactory, claims: pd.DataFrame
) -> None:
    path = tmp_path_factory.mktemp("rt") / "events.csv"
    write_events(claims.drop(columns=["_lat", "_lon"]), path)
    cat = load_catalog(path)
    for col in EVENT_COLUMNS:
        if col == "range_km":
            np.testing.assert_array_equal(cat[col].to_numpy(), claims[col].to_numpy())
        else:
            assert cat[col].tolist() == claims[col].tolist()
    located = claims["site"] != ""
    assert cat["located"].tolist() == located.tolist()
    assert cat.loc[located, "lat"].tolist() == claims.loc[located, "_lat"].tolist()
    assert cat.loc[located, "lon"].tolist() == claims.loc[located, "_lon"].tolist()


# --- missiles and targets ------------------------------------------------------------------------


def test_broken_missiles_file_lists_every_cell(tmp_path: Path) -> None:
    text = (
        "name,aliases,class,range_min_km,range_max_km,source,note\n"
        "A,A1|A2,SRBM,300,300,src,\n"
        "B,A1,XRBM,-1,abc,src,\n"
        "A,,ICBM,900,800,,\n"
    )
    err = _catalog_error(load_missiles, _write(tmp_path, "m.csv", text))
    got = {(p.line, p.column, p.value) for p in err.problems}
    assert got == {
        (3, "aliases", "A1"),
        (3, "class", "XRBM"),
        (3, "range_min_km", "-1"),
        (3, "range_max_km", "abc"),
        (4, "name", "A"),
        (4, "range_max_km", "800"),
        (4, "source", ""),
    }


def test_broken_targets_file_lists_every_cell(tmp_path: Path) -> None:
    text = (
        "id,name,lat,lon,kind,country\n"
        "a,A,10,20,city,KR\n"
        "a,,91,181,castle,Korea\n"
        "b,B,x,-180,capital,US\n"
    )
    err = _catalog_error(load_targets, _write(tmp_path, "t.csv", text))
    got = {(p.line, p.column) for p in err.problems}
    assert got == {
        (3, "id"),
        (3, "name"),
        (3, "lat"),
        (3, "lon"),
        (3, "kind"),
        (3, "country"),
        (4, "lat"),
    }


# --- footprints ----------------------------------------------------------------------------------


def _boundary_error_m(geom: shapely.Geometry, lat: float, lon: float, range_km: float) -> float:
    """Largest |geodesic distance - range| over the boundary vertices (checked with Geod.inv).

    Vertices on the map frame (lon ±180 cut, lat ±90 pole closure) are not on the true ring.
    """
    coords = shapely.get_coordinates(shapely.boundary(geom))
    coords = coords[(np.abs(coords[:, 0]) < 180) & (np.abs(coords[:, 1]) < 90)]
    assert len(coords) > 100
    _, _, dist = GEOD.inv(
        np.full(len(coords), lon), np.full(len(coords), lat), coords[:, 0], coords[:, 1]
    )
    return float(np.max(np.abs(dist - range_km * 1000.0)))


def test_claim_footprints_one_per_located_claim_with_range() -> None:
    cat = load_catalog()
    fp = claim_footprints(cat)
    expected = cat[cat["located"] & cat["range_km"].notna()]
    assert fp["claim_id"].tolist() == expected["claim_id"].tolist()
    for col in [
        *EVENT_COLUMNS,
        "site_name",
        "site_id",
        "lat",
        "lon",
        "precision_km",
        "tolerance_m",
    ]:
        assert col in fp.columns
    assert fp.crs.to_epsg() == 4326
    for _, row in fp.iterrows():
        assert row.geometry.is_valid
        assert row.geometry.contains(shapely.Point(row["lon"], row["lat"]))
        assert _boundary_error_m(row.geometry, row["lat"], row["lon"], row["range_km"]) < 1.0


def test_claim_footprints_of_an_empty_selection(tmp_path: Path) -> None:
    text = f"{HEADER}\na,e,,unknown,,m,800,claimed,c,s,\n"
    fp = claim_footprints(_write(tmp_path, "e.csv", text))
    assert len(fp) == 0 and "claim_id" in fp.columns and "tolerance_m" in fp.columns


def test_class_footprints_from_a_named_site() -> None:
    fp = class_footprints("Sinpo")
    missiles = load_missiles()
    longest = missiles.groupby("class")["range_max_km"].max()
    assert sorted(fp["class"]) == sorted(longest.index)
    assert fp["range_km"].tolist() == sorted(fp["range_km"], reverse=True)
    for _, row in fp.iterrows():
        assert row["range_km"] == longest[row["class"]]
        assert row["range_kind"] == "class-estimate"
        assert row["site_id"] == "sinpo"
    icbm = fp.set_index("class").loc["ICBM"]
    assert _boundary_error_m(icbm.geometry, icbm["lat"], icbm["lon"], icbm["range_km"]) < 1.0
    # Washington DC (~10,900 km from Sinpo) lies inside the ICBM class footprint, not the IRBM one.
    dc = shapely.Point(-77.0369, 38.9072)
    assert icbm.geometry.contains(dc)
    assert not fp.set_index("class").loc["IRBM"].geometry.contains(dc)


def test_class_footprints_per_missile() -> None:
    fp = class_footprints((40.0368, 128.1839), by="missile")
    assert len(fp) == len(load_missiles())
    assert set(fp["name"]) == set(load_missiles()["name"])
    with pytest.raises(ValueError, match="by must be"):
        class_footprints((40.0, 128.0), by="colour")


def test_public_names_are_reexported() -> None:
    assert geo.load_catalog is load_catalog
    assert geo.load_missiles is load_missiles and geo.load_targets is load_targets
    for name in ("load_catalog", "load_missiles", "load_targets", "import_cns"):
        assert name in geo.__all__


def test_check_catalog_command(tmp_path: Path) -> None:
    ok = CliRunner().invoke(cli, ["check-catalog"])
    assert ok.exit_code == 0 and "12 claims: 3 located" in ok.stdout
    bad = CliRunner().invoke(cli, ["check-catalog", str(_write(tmp_path, "b.csv", BROKEN))])
    assert bad.exit_code == 1 and "13 problem(s)" in bad.stderr


def test_a_missing_file_is_a_catalog_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    for loader in (load_catalog, load_missiles, load_targets):
        with pytest.raises(CatalogError, match=r"nope\.csv"):
            loader(missing)


def test_an_empty_file_asks_for_the_header(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="header line"):
        load_catalog(_write(tmp_path, "empty.csv", ""))


@pytest.mark.parametrize(
    ("date", "precision", "ok"),
    [
        ("2024-01-28", "day", True),
        ("2024-02-30", "day", False),
        ("2024-1-28", "day", False),
        ("2024-01", "month", True),
        ("2024-00", "month", False),
        ("2024", "year", True),
        ("24", "year", False),
        ("--02-29", "year-uncertain", True),
        ("--02", "year-uncertain", True),
        ("--13", "year-uncertain", False),
        ("--04-31", "year-uncertain", False),
        ("2024-02-02", "year-uncertain", False),
        ("", "unknown", True),
        ("2024", "unknown", False),
        ("", "day", False),
    ],
)
def test_date_rules(tmp_path: Path, date: str, precision: str, ok: bool) -> None:
    path = _write(tmp_path, "d.csv", f"{HEADER}\na,e,{date},{precision},,m,,,c,s,\n")
    if ok:
        assert load_catalog(path)["date"].tolist() == [date]
    else:
        err = _catalog_error(load_catalog, path)
        assert [(p.column, p.value) for p in err.problems] == [("date", date)]
