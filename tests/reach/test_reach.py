"""geo.reach: targets in range, range needed, cities and people; checked against Geod.inv."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from pyproj import Geod

import geo
from geo.errors import (
    CatalogError,
    GeorangeError,
    InvalidBearingError,
    InvalidCoordinateError,
    InvalidRangeError,
    UnknownSiteError,
)
from geo.gazetteer import Site
from geo.reach import reach  # `geo.reach` may be the module while pytest imports doctests
from geo.resources import data_path

GEOD = Geod(ellps="WGS84")
SINPO = (40.0347, 128.1856)
TARGETS_CSV = data_path("targets.csv")
SHARED_TARGETS = Path(__file__).resolve().parents[3] / "shared" / "facts" / "targets.csv"


def geod_inv(
    site: tuple[float, float], lat: np.ndarray, lon: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(distance_m, azimuth in [0, 360)) from the site by Geod.inv."""
    n = len(lat)
    az, _, d = GEOD.inv(np.full(n, site[1]), np.full(n, site[0]), np.asarray(lon), np.asarray(lat))
    return np.asarray(d), np.asarray(az) % 360.0


lats = st.floats(-90, 90, allow_nan=False)
lons = st.floats(-180, 180, allow_nan=False)
ranges = st.floats(0.001, 20_010, allow_nan=False)


# --- targets ---------------------------------------------------------------------------


def test_bundled_targets_is_the_facts_table() -> None:
    bundled = pd.read_csv(TARGETS_CSV)
    if SHARED_TARGETS.is_file():
        facts = pd.read_csv(SHARED_TARGETS)
        pd.testing.assert_frame_equal(bundled[facts.columns], facts)
    assert {"id", "name", "lat", "lon", "kind", "country"} <= set(bundled.columns)


def test_reach_from_sinpo_lists_seoul_and_tokyo_in_range_and_guam_out() -> None:
    table = reach("Shinpo", 1500).set_index("id")
    assert table.loc["seoul", "in_range"] and table.loc["tokyo", "in_range"]
    assert not table.loc["andersen-afb", "in_range"]
    # distances are Geod.inv's, to 1 mm
    d, az = geod_inv(SINPO, table["lat"].to_numpy(), table["lon"].to_numpy())
    np.testing.assert_allclose(table["distance_km"].to_numpy() * 1000.0, d, rtol=0, atol=1e-3)
    np.testing.assert_allclose(table["bearing_deg"].to_numpy(), az, rtol=0, atol=1e-9)
    np.testing.assert_allclose(table["margin_km"], 1500.0 - d / 1000.0, rtol=0, atol=1e-6)
    assert (table["in_range"] == (d <= 1.5e6)).all()


def test_reach_keeps_input_rows_order_and_columns() -> None:
    targets = pd.read_csv(TARGETS_CSV, keep_default_na=False)
    table = reach(SINPO, 1500, targets=targets)
    assert list(table.columns) == [
        *targets.columns,
        "distance_km",
        "bearing_deg",
        "in_range",
        "margin_km",
    ]
    assert table["id"].tolist() == targets["id"].tolist()
    assert table["in_range"].dtype == bool
    # the default table and the same table given as a path or a DataFrame agree
    pd.testing.assert_frame_equal(reach(SINPO, 1500), table)
    pd.testing.assert_frame_equal(reach(SINPO, 1500, targets=TARGETS_CSV), table)


def test_site_as_site_object_tuple_and_text_agree() -> None:
    site = Site(
        id="x",
        name="Sinpo",
        lat=SINPO[0],
        lon=SINPO[1],
        precision_km=3.0,
        kind="city",
        source="test",
        match="name",
        query="Sinpo",
    )
    by_obj = reach(site, 1000)
    by_tuple = reach(SINPO, 1000)
    by_text = reach("Sinpo", 1000)
    pd.testing.assert_frame_equal(by_obj, by_tuple)
    pd.testing.assert_frame_equal(by_text, by_tuple)


def test_inside_only_returns_exactly_the_rows_in_range() -> None:
    full = reach(SINPO, 1500)
    inside = reach(SINPO, 1500, inside_only=True)
    pd.testing.assert_frame_equal(inside, full[full["in_range"]])


def test_annulus_margin_and_verdict() -> None:
    table = reach(SINPO, 1500, min_range_km=400)
    d = table["distance_km"].to_numpy()
    assert (table["in_range"] == ((d >= 400) & (d <= 1500))).all()
    np.testing.assert_allclose(table["margin_km"], np.minimum(1500 - d, d - 400))
    assert ((table["margin_km"] >= 0) == table["in_range"]).all()
    assert "Seoul" not in set(table.loc[table.in_range, "name"])  # 293 km: inside the minimum


def test_sector_verdict_uses_the_initial_azimuth() -> None:
    table = reach(SINPO, 1500, bearing=(180, 230))  # roughly south-southwest: Korea
    d, az = geod_inv(SINPO, table["lat"].to_numpy(), table["lon"].to_numpy())
    expected = (d <= 1.5e6) & ((az - 180) % 360 <= 50)
    assert (table["in_range"].to_numpy() == expected).all()
    assert set(table.loc[table.in_range, "id"]) == {"seoul", "osan-ab", "camp-humphreys"}


def test_target_at_the_site_has_zero_distance_and_no_bearing() -> None:
    table = reach(
        SINPO, 10, targets=pd.DataFrame({"name": ["here"], "lat": [SINPO[0]], "lon": [SINPO[1]]})
    )
    assert table["distance_km"].item() == 0.0 and table["in_range"].item()
    assert math.isnan(table["bearing_deg"].item())


def test_geodataframe_targets_in_another_crs() -> None:
    targets = pd.read_csv(TARGETS_CSV, keep_default_na=False)
    gdf = gpd.GeoDataFrame(
        targets.drop(columns=["lat", "lon"]),
        geometry=gpd.points_from_xy(targets.lon, targets.lat),
        crs="EPSG:4326",
    ).to_crs("EPSG:3857")
    got = reach(SINPO, 1500, targets=gdf)
    assert isinstance(got, gpd.GeoDataFrame) and got.crs == gdf.crs
    plain = reach(SINPO, 1500)
    assert got["in_range"].tolist() == plain["in_range"].tolist()
    np.testing.assert_allclose(got["distance_km"], plain["distance_km"], rtol=0, atol=1e-6)


def test_geojson_and_geoparquet_target_files(tmp_path: Path) -> None:
    targets = pd.read_csv(TARGETS_CSV, keep_default_na=False)
    gdf = gpd.GeoDataFrame(targets, geometry=gpd.points_from_xy(targets.lon, targets.lat), crs=4326)
    gdf.drop(columns=["lat", "lon"]).to_file(tmp_path / "t.geojson", driver="GeoJSON")
    gdf.drop(columns=["lat", "lon"]).to_parquet(tmp_path / "t.parquet")
    expected = reach(SINPO, 1500)["in_range"].tolist()
    assert reach(SINPO, 1500, targets=tmp_path / "t.geojson")["in_range"].tolist() == expected
    assert reach(SINPO, 1500, targets=tmp_path / "t.parquet")["in_range"].tolist() == expected


def test_other_coordinate_column_names() -> None:
    frame = pd.DataFrame({"y": [37.5665], "x": [126.978]})
    assert reach(SINPO, 1500, targets=frame, lat="y", lon="x")["in_range"].item()


# --- verdicts and invariants (hypothesis) ------------------------------------------------


@given(
    site_lat=lats,
    site_lon=lons,
    range_km=ranges,
    pts=st.lists(st.tuples(lats, lons), min_size=1, max_size=30),
)
def test_within_range_equals_geod_inv(
    site_lat: float, site_lon: float, range_km: float, pts: list[tuple[float, float]]
) -> None:
    lat = np.array([p[0] for p in pts])
    lon = np.array([p[1] for p in pts])
    d, _ = geod_inv((site_lat, site_lon), lat, lon)
    got = geo.within_range((site_lat, site_lon), range_km, lat, lon)
    assert got.tolist() == (d <= range_km * 1000.0).tolist()


@given(
    site_lat=lats,
    site_lon=lons,
    range_km=st.floats(0.001, 19_000),
    az=st.floats(0, 360, exclude_max=True),
    offset_m=st.floats(-1.0, 1.0),
)
def test_points_within_a_metre_of_the_range(
    site_lat: float, site_lon: float, range_km: float, az: float, offset_m: float
) -> None:
    lon, lat, _ = GEOD.fwd(site_lon, site_lat, az, max(range_km * 1000.0 + offset_m, 0.0))
    d, _ = geod_inv((site_lat, site_lon), np.array([lat]), np.array([lon]))
    got = geo.within_range((site_lat, site_lon), range_km, [lat], [lon])
    assert bool(got[0]) == bool(d[0] <= range_km * 1000.0)


@given(
    site_lat=lats,
    site_lon=lons,
    range_km=st.floats(1, 19_000),
    frac=st.floats(0.01, 0.99),
    pts=st.lists(st.tuples(lats, lons), min_size=1, max_size=20),
)
def test_annulus_equals_geod_inv(
    site_lat: float, site_lon: float, range_km: float, frac: float, pts: list[tuple[float, float]]
) -> None:
    lat = np.array([p[0] for p in pts])
    lon = np.array([p[1] for p in pts])
    m = range_km * frac
    d, _ = geod_inv((site_lat, site_lon), lat, lon)
    got = geo.within_range((site_lat, site_lon), range_km, lat, lon, min_range_km=m)
    assert got.tolist() == ((d <= range_km * 1000.0) & (d >= m * 1000.0)).tolist()


@given(site_lat=lats, site_lon=lons, t_lat=lats, t_lon=lons)
def test_range_needed_is_the_smallest_range_that_reaches(
    site_lat: float, site_lon: float, t_lat: float, t_lon: float
) -> None:
    need = geo.range_needed((site_lat, site_lon), (t_lat, t_lon))
    az, back, d = GEOD.inv(site_lon, site_lat, t_lon, t_lat)
    assert abs(need.range_km * 1000.0 - d) <= 1e-3
    assume(d > 1e-3)
    assert abs((need.bearing_deg - az % 360.0 + 180) % 360 - 180) < 1e-9
    assert abs((need.back_bearing_deg - back % 360.0 + 180) % 360 - 180) < 1e-9
    site = (site_lat, site_lon)
    assert geo.within_range(site, need.range_km, [t_lat], [t_lon])[0]
    assert not geo.within_range(site, need.range_km - 1e-6, [t_lat], [t_lon])[0]  # 1 mm short


@given(site_lat=lats, site_lon=lons, range_km=st.floats(1, 20_000))
def test_margin_sign_is_the_verdict(site_lat: float, site_lon: float, range_km: float) -> None:
    table = reach((site_lat, site_lon), range_km)
    assert ((table["margin_km"] >= 0) == table["in_range"]).all()


def test_range_needed_looks_targets_up_by_id_or_name() -> None:
    by_name = geo.range_needed("Sinpo", "Andersen Air Force Base (Guam)")
    by_id = geo.range_needed(SINPO, "andersen-afb")
    assert by_name.target == by_id.target == "Andersen Air Force Base (Guam)"
    assert by_name.site == "Sinpo"
    assert by_name.range_km == pytest.approx(by_id.range_km, abs=1e-9)
    _, _, d = GEOD.inv(SINPO[1], SINPO[0], 144.93, 13.584)
    assert by_id.range_km * 1000 == pytest.approx(d, abs=1e-3)
    assert "Andersen" in str(by_id) and "km" in str(by_id)


def test_range_needed_unknown_target_is_an_error_with_suggestions() -> None:
    with pytest.raises(UnknownSiteError, match="Xqzzyplk"):
        geo.range_needed(SINPO, "Xqzzyplk")


# --- cities and people ---------------------------------------------------------------------


CITY_CASES = [
    ("sinpo-1500", SINPO, 1500.0, 0.0),
    ("fiji-dateline-2500", (-17.7134, 178.065), 2500.0, 0.0),
    ("thule-north-pole", (76.5312, -68.7031), 3000.0, 0.0),
    ("mcmurdo-south", (-77.8463, 166.6682), 4500.0, 0.0),
    ("annulus", (39.0339, 125.7543), 5000.0, 1000.0),
    ("pyongyang-13000", (39.0339, 125.7543), 13000.0, 0.0),
]


@pytest.mark.parametrize(
    ("site", "range_km", "min_range_km"), [pytest.param(*c[1:], id=c[0]) for c in CITY_CASES]
)
def test_cities_in_range_are_exactly_those_geod_inv_puts_inside(
    site: tuple[float, float], range_km: float, min_range_km: float
) -> None:
    cities = geo.load_cities()
    d, _ = geod_inv(site, cities["lat"].to_numpy(), cities["lon"].to_numpy())
    expected = set(cities.loc[(d <= range_km * 1000) & (d >= min_range_km * 1000), "geonameid"])
    found = geo.cities_in_range(site, range_km, min_range_km=min_range_km)
    assert set(found["geonameid"]) == expected and len(found) == len(expected)
    dd, _ = geod_inv(site, found["lat"].to_numpy(), found["lon"].to_numpy())
    np.testing.assert_allclose(found["distance_km"].to_numpy() * 1000, dd, rtol=0, atol=1e-3)
    assert (found["margin_km"] >= 0).all()
    assert found["population"].is_monotonic_decreasing
    by_country = geo.population_by_country(found)
    assert by_country["population"].sum() == found["population"].sum()
    assert by_country["cities"].sum() == len(found)
    assert by_country["population"].is_monotonic_decreasing


def test_cities_come_from_the_geonames_15000_list() -> None:
    cities = geo.load_cities()
    assert len(cities) > 30_000
    assert cities["geonameid"].is_unique
    assert {"geonameid", "name", "country", "country_name", "population", "lat", "lon"} <= set(
        cities.columns
    )
    assert "cities15000" in cities.attrs["source"]
    tokyo = cities[(cities.name == "Tokyo") & (cities.country == "JP")]
    assert len(tokyo) == 1 and tokyo.population.item() > 8_000_000
    assert len(geo.load_cities(min_city_population=5000)) > len(cities)


def test_load_cities_returns_a_copy() -> None:
    a = geo.load_cities()
    a["population"] = 0
    assert geo.load_cities()["population"].sum() > 0


def test_reach_summary_counts_match_the_tables() -> None:
    s = geo.reach_summary("Shinpo", 1500)
    table = reach(SINPO, 1500)
    cities = geo.cities_in_range(SINPO, 1500)
    assert s.site == "Sinpo" and (s.lat, s.lon) == SINPO
    assert s.targets_total == len(table)
    assert s.targets_in_range == int(table["in_range"].sum())
    assert set(s.target_names) == set(table.loc[table.in_range, "name"])
    assert s.target_names[0] == "Seoul"  # nearest first
    assert s.cities_in_range == len(cities)
    assert s.population == int(cities["population"].sum())
    assert sum(p for *_, p in s.population_by_country) == s.population
    assert s.largest_cities[0][0] == cities["name"].iloc[0]
    d = s.as_dict()
    assert d["targets_in_range"] == s.targets_in_range and d["population"] == s.population
    assert d["population_by_country"][0]["country"] == "CN"
    lines = s.lines()
    assert lines[0] == f"{s.targets_in_range} of {s.targets_total} targets in range"
    assert f"{s.population:,}" in lines[1]


def test_reach_summary_without_cities() -> None:
    s = geo.reach_summary(SINPO, 1500, cities=False)
    assert s.cities_in_range is None and s.population is None
    assert s.as_dict()["population_by_country"] == [] and len(s.lines()) == 1


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -5, float("nan"), float("inf"), "far"])
def test_bad_range_is_an_error_naming_the_value(bad: object) -> None:
    with pytest.raises(InvalidRangeError, match="range_km"):
        reach(SINPO, bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidRangeError):
        geo.within_range(SINPO, bad, [0.0], [0.0])  # type: ignore[arg-type]


def test_min_range_not_below_range_is_an_error() -> None:
    with pytest.raises(InvalidRangeError, match="min_range_km"):
        reach(SINPO, 100, min_range_km=100)


@pytest.mark.parametrize(
    "site", [(95.0, 0.0), (0.0, float("nan")), ("a", "b"), 42, (1.0, 2.0, 3.0)]
)
def test_bad_site_is_an_error(site: object) -> None:
    with pytest.raises(InvalidCoordinateError):
        reach(site, 100)


def test_unknown_site_text_is_an_error() -> None:
    with pytest.raises(UnknownSiteError, match="Xqzzyplk Island"):
        reach("Xqzzyplk Island", 100)


def test_zero_width_sector_is_an_error() -> None:
    with pytest.raises(InvalidBearingError, match="zero width"):
        reach(SINPO, 100, bearing=(30, 30))


def test_bad_points_are_errors() -> None:
    with pytest.raises(InvalidCoordinateError, match="lat has 2 values but lon has 1"):
        geo.within_range(SINPO, 100, [1.0, 2.0], [3.0])
    with pytest.raises(InvalidCoordinateError, match="row 1"):
        geo.within_range(SINPO, 100, [1.0, 91.0], [3.0, 4.0])
    with pytest.raises(InvalidCoordinateError, match="row 0"):
        reach(SINPO, 100, targets=pd.DataFrame({"lat": [np.nan], "lon": [3.0]}))


def test_bad_targets_file_names_file_line_column_and_value(tmp_path: Path) -> None:
    path = tmp_path / "targets.csv"
    path.write_text(
        "id,name,lat,lon\na,Alpha,10,20\nb,Bravo,north,20\nc,Charlie,10,east\n", encoding="utf-8"
    )
    with pytest.raises(CatalogError) as info:
        reach(SINPO, 100, targets=path)
    msg = str(info.value)
    assert f"{path}:3: column 'lat': 'north'" in msg
    assert f"{path}:4: column 'lon': 'east'" in msg
    assert "[-90, 90]" in msg


def test_targets_file_without_coordinates_or_missing(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("name,x\nA,1\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="no 'lat' and no 'lon' column"):
        reach(SINPO, 100, targets=path)
    with pytest.raises(CatalogError, match="not found"):
        reach(SINPO, 100, targets=tmp_path / "absent.csv")


def test_non_point_targets_are_an_error() -> None:
    from shapely.geometry import box

    gdf = gpd.GeoDataFrame({"name": ["area"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    with pytest.raises(InvalidCoordinateError, match="not points"):
        reach(SINPO, 100, targets=gdf)


def test_unsupported_targets_type_is_an_error() -> None:
    with pytest.raises(GeorangeError, match="not supported"):
        reach(SINPO, 100, targets=42)


def test_unknown_city_list_is_an_error() -> None:
    with pytest.raises(GeorangeError, match="one of 500, 1000, 5000, 15000"):
        geo.cities_in_range(SINPO, 100, min_city_population=100)


def test_country_code_na_is_not_read_as_missing(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("name,lat,lon,country\nWindhoek,-22.56,17.08,NA\n", encoding="utf-8")
    assert reach((-22.0, 17.0), 100, targets=path)["country"].item() == "NA"


def test_summary_flags_targets_within_the_site_precision_of_the_range() -> None:
    # Kadena is 1,517.6 km from Sinpo, whose location is known to +/-3 km
    s = geo.reach_summary("Sinpo", 1520, cities=False)
    assert s.site_precision_km == 3.0
    assert s.uncertain_targets == ("Kadena Air Base (Okinawa)",)
    assert "Kadena Air Base (Okinawa)" in s.lines()[1]
    assert geo.reach_summary("Sinpo", 1500, cities=False).uncertain_targets == ()
    # a bare coordinate pair has no stated precision: nothing is flagged
    bare = geo.reach_summary(SINPO, 1520, cities=False)
    assert bare.site_precision_km is None and bare.uncertain_targets == ()
    assert s.as_dict()["uncertain_targets"] == ["Kadena Air Base (Okinawa)"]


@example(  # the north pole, on the side of a sector starting 5.7e-14 deg east of north
    site_lat=0.0,
    site_lon=-30.0,
    range_km=10002.0,
    start=-359.99999999999994,
    width=1.0,
    pts=[(89.99999999999999, 151.0)],
)
@example(  # a point due north, on the side of a sector starting a hair east of north
    site_lat=-1.0,
    site_lon=0.0,
    range_km=111.0,
    start=1.7538213334452432e-147,
    width=1.0,
    pts=[(0.0, 0.0)],
)
@given(
    site_lat=lats,
    site_lon=lons,
    range_km=st.floats(1, 19_000),
    start=st.floats(-360, 360),
    width=st.floats(1, 359),
    pts=st.lists(st.tuples(lats, lons), min_size=1, max_size=20),
)
def test_sector_equals_geod_inv(
    site_lat: float,
    site_lon: float,
    range_km: float,
    start: float,
    width: float,
    pts: list[tuple[float, float]],
) -> None:
    lat = np.array([p[0] for p in pts])
    lon = np.array([p[1] for p in pts])
    d, az = geod_inv((site_lat, site_lon), lat, lon)
    # bearings are read normalised into [0, 360) (-1e-300 % 360 rounds to 360: that is 0)
    start_n = start % 360.0 if start % 360.0 < 360.0 else 0.0
    expected = (d <= range_km * 1000.0) & (((az - start_n) % 360.0 <= width) | (d == 0))
    end = start + width - 360.0 * (start + width > 360.0)  # bearings stay within [-360, 360]
    got = geo.within_range((site_lat, site_lon), range_km, lat, lon, bearing=(start, end))
    assert got.tolist() == expected.tolist()


def test_reach_parquet_without_dask_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sys

    path = tmp_path / "p.parquet"
    pd.DataFrame({"lat": [1.0], "lon": [2.0]}).to_parquet(path)
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    with pytest.raises(GeorangeError, match=r"pip install 'georange\[dask\]'"):
        geo.reach_parquet(path, SINPO, 100)


def test_large_tables_go_in_chunks_with_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunked Geod.inv (the progress-bar path for large tables) equals one call on every row."""
    import sys

    module = sys.modules["geo.reach._points"]  # where reach looks the chunk size up
    rng = np.random.default_rng(7)
    pts = pd.DataFrame({"lat": rng.uniform(-90, 90, 1000), "lon": rng.uniform(-180, 180, 1000)})
    whole = geo.reach((40.0347, 128.1856), 1500, targets=pts)
    monkeypatch.setattr(module, "_GEODESIC_CHUNK", 37)
    chunked = geo.reach((40.0347, 128.1856), 1500, targets=pts)
    pd.testing.assert_frame_equal(whole, chunked)
    _, _, d = Geod(ellps="WGS84").inv(
        np.full(1000, 128.1856), np.full(1000, 40.0347), pts.lon, pts.lat
    )
    np.testing.assert_allclose(chunked["distance_km"], np.asarray(d) / 1000, rtol=0, atol=1e-6)


def test_reach_summary_shows_as_an_escaped_table_in_jupyter() -> None:
    hostile = "<img src=x onerror=alert(1)>"
    targets = pd.DataFrame(
        {"name": [hostile, "Far away"], "lat": [40.5, -40.0], "lon": [128.5, -60.0]}
    )
    summary = geo.reach_summary((40.0347, 128.1856), 1500, targets=targets, cities=False)
    html = summary._repr_html_()
    assert html.startswith('<table class="georange-reach-summary">')
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<th>targets in range</th><td>1 of 2: &lt;img" in html
    with_cities = geo.reach_summary((40.0347, 128.1856), 300, targets=targets)._repr_html_()
    assert "<th>cities in range</th>" in with_cities and "population" in with_cities
