"""The dask path: a GeoParquet file, partition by partition, gives the in-memory verdicts."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

import geo
from geo.errors import CatalogError, InvalidCoordinateError
from geo.reach import reach

GEOD = Geod(ellps="WGS84")
SITE = (-17.7134, 178.065)  # Fiji: the footprint crosses the dateline
RANGE_KM = 2500.0


def make_points(n: int, seed: int = 11) -> gpd.GeoDataFrame:
    """Uniform points, points near the dateline and the south polar cap, and 1 m boundary points."""
    rng = np.random.default_rng(seed)
    k = n // 4
    lat_u = np.degrees(np.arcsin(rng.uniform(-1, 1, k)))
    lon_u = rng.uniform(-180, 180, k)
    lat_d = rng.uniform(-45, 10, k)
    lon_d = (rng.uniform(145, 210, k) + 180) % 360 - 180
    lat_p = -np.degrees(np.arcsin(rng.uniform(np.sin(np.radians(55)), 1, k)))
    lon_p = rng.uniform(-180, 180, k)
    m = n - 3 * k
    lon_b, lat_b, _ = GEOD.fwd(
        np.full(m, SITE[1]),
        np.full(m, SITE[0]),
        rng.uniform(0, 360, m),
        RANGE_KM * 1000 + rng.uniform(-1, 1, m),
    )
    lat = np.concatenate([lat_u, lat_d, lat_p, lat_b])
    lon = np.concatenate([lon_u, lon_d, lon_p, lon_b])
    return gpd.GeoDataFrame(
        {"pid": np.arange(n), "label": [f"p{i}" for i in range(n)]},
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )


@pytest.fixture(scope="module")
def points() -> gpd.GeoDataFrame:
    return make_points(100_000)


@pytest.fixture(scope="module")
def one_file(points: gpd.GeoDataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One GeoParquet file with several row groups (each becomes a partition)."""
    path = tmp_path_factory.mktemp("gpq") / "points.parquet"
    points.to_parquet(path, row_group_size=15_000)
    return path


@pytest.fixture(scope="module")
def folder(points: gpd.GeoDataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of GeoParquet files, one per partition."""
    root = tmp_path_factory.mktemp("gpq-folder") / "points"
    root.mkdir()
    for i, rows in enumerate(np.array_split(np.arange(len(points)), 4)):
        points.iloc[rows].to_parquet(root / f"part.{i}.parquet")
    return root


def truth(points: gpd.GeoDataFrame) -> np.ndarray:
    """In range by Geod.inv on every point (cached: the fixture is module-scoped)."""
    key = id(points)
    if key not in _TRUTH:
        _TRUTH[key] = _truth(points)
    return _TRUTH[key]


_TRUTH: dict[int, np.ndarray] = {}


def _distances_m(points: gpd.GeoDataFrame) -> np.ndarray:
    """Geodesic distance of each point from SITE, in metres (Geod.inv)."""
    n = len(points)
    _, _, d = GEOD.inv(
        np.full(n, SITE[1]),
        np.full(n, SITE[0]),
        points.geometry.x.to_numpy(),
        points.geometry.y.to_numpy(),
    )
    return np.asarray(d)


def _truth(points: gpd.GeoDataFrame) -> np.ndarray:
    return _distances_m(points) <= RANGE_KM * 1000


@pytest.mark.parametrize("which", ["one_file", "folder"])
def test_dask_verdicts_equal_in_memory_and_geod_inv(
    which: str, request: pytest.FixtureRequest, points: gpd.GeoDataFrame
) -> None:
    path: Path = request.getfixturevalue(which)
    lazy = geo.reach_parquet(path, SITE, RANGE_KM, inside_only=False)
    assert lazy.npartitions >= 4
    got = lazy.compute().sort_values("pid")
    memory = reach(SITE, RANGE_KM, targets=points)
    assert got["pid"].tolist() == memory["pid"].tolist()
    assert np.array_equal(got["in_range"].to_numpy(), memory["in_range"].to_numpy())
    assert np.array_equal(got["in_range"].to_numpy(), truth(points))
    np.testing.assert_array_equal(got["distance_km"].to_numpy(), memory["distance_km"].to_numpy())
    assert list(got.columns) == list(memory.columns)


def test_dask_inside_only_is_the_fast_exact_subset(
    one_file: Path, points: gpd.GeoDataFrame
) -> None:
    got = geo.reach_parquet(one_file, SITE, RANGE_KM).compute()  # inside_only by default
    expected = truth(points)
    assert set(got["pid"]) == set(points.loc[expected, "pid"])
    assert got["in_range"].all()
    np.testing.assert_allclose(
        got["distance_km"].to_numpy() * 1000, _distances_m(got), rtol=0, atol=1e-3
    )
    memory = reach(SITE, RANGE_KM, targets=points, inside_only=True)
    assert got.sort_values("pid")["pid"].tolist() == memory["pid"].tolist()


def test_dask_frame_given_to_reach_directly(points: gpd.GeoDataFrame) -> None:
    import dask_geopandas

    ddf = dask_geopandas.from_geopandas(points, npartitions=3)
    got = reach(SITE, RANGE_KM, targets=ddf, min_range_km=500.0).compute()
    memory = reach(SITE, RANGE_KM, targets=points, min_range_km=500.0)
    assert np.array_equal(got["in_range"].to_numpy(), memory["in_range"].to_numpy())


def test_plain_parquet_with_lat_lon_columns_and_column_selection(
    tmp_path: Path, points: gpd.GeoDataFrame
) -> None:
    plain = pd.DataFrame({"pid": points["pid"], "lat": points.geometry.y, "lon": points.geometry.x})
    path = tmp_path / "plain.parquet"
    plain.to_parquet(path, row_group_size=25_000)
    got = geo.reach_parquet(path, SITE, RANGE_KM, columns=["pid"]).compute()
    assert set(got["pid"]) == set(points.loc[truth(points), "pid"])
    assert "label" not in got.columns


def test_geoparquet_column_selection_keeps_the_geometry(
    one_file: Path, points: gpd.GeoDataFrame
) -> None:
    got = geo.reach_parquet(one_file, SITE, RANGE_KM, columns=["pid"]).compute()
    assert "label" not in got.columns and "geometry" in got.columns
    assert len(got) == int(truth(points).sum())


def test_bad_coordinates_in_a_partition_are_an_error(tmp_path: Path) -> None:
    plain = pd.DataFrame({"lat": [10.0, 95.0], "lon": [20.0, 20.0]})
    path = tmp_path / "bad.parquet"
    plain.to_parquet(path)
    with pytest.raises(InvalidCoordinateError, match="95"):
        geo.reach_parquet(path, SITE, RANGE_KM).compute()


def test_missing_parquet_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="not found"):
        geo.reach_parquet(tmp_path / "absent.parquet", SITE, RANGE_KM)


def test_geoarrow_encoding_and_projected_crs(tmp_path: Path, points: gpd.GeoDataFrame) -> None:
    expected = set(points.loc[truth(points), "pid"])
    arrow = tmp_path / "geoarrow.parquet"
    points.to_parquet(arrow, geometry_encoding="geoarrow", row_group_size=40_000)
    got = geo.reach_parquet(arrow, SITE, RANGE_KM).compute()
    assert set(got["pid"]) == expected and got.crs.to_epsg() == 4326
    # a projected CRS is converted to WGS84 for the verdicts; the output keeps the file's CRS
    # (points poleward of Web Mercator's limit are left out: they do not survive the projection)
    keep = points.geometry.y.abs() < 85
    merc = tmp_path / "mercator.parquet"
    points[keep].to_crs("EPSG:3857").to_parquet(merc, row_group_size=40_000)
    got = geo.reach_parquet(merc, SITE, RANGE_KM, inside_only=False).compute().sort_values("pid")
    assert got.crs.to_epsg() == 3857
    assert got["pid"].tolist() == points.loc[keep, "pid"].tolist()
    memory = reach(SITE, RANGE_KM, targets=points[keep])
    boundary = np.abs(memory["margin_km"].to_numpy()) < 1e-5  # 1 cm: projection round trip
    assert np.array_equal(
        got["in_range"].to_numpy()[~boundary], memory["in_range"].to_numpy()[~boundary]
    )


def test_three_d_points_take_the_general_wkb_path(tmp_path: Path) -> None:
    from shapely.geometry import Point

    gdf = gpd.GeoDataFrame(
        {"name": ["Suva", "Honolulu"]},
        geometry=[Point(178.44, -18.14, 10.0), Point(-157.86, 21.31, 5.0)],
        crs="EPSG:4326",
    )
    path = tmp_path / "z.parquet"
    gdf.to_parquet(path)
    got = geo.reach_parquet(path, SITE, RANGE_KM, inside_only=False).compute()
    assert got["in_range"].tolist() == [True, False]
    assert got.geometry.has_z.all()


def test_non_point_geoparquet_is_an_error(tmp_path: Path) -> None:
    from shapely.geometry import box

    gdf = gpd.GeoDataFrame({"name": ["area"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    path = tmp_path / "poly.parquet"
    gdf.to_parquet(path)
    with pytest.raises(InvalidCoordinateError, match="not points"):
        geo.reach_parquet(path, SITE, RANGE_KM).compute()


def test_wkb_decoder_equals_shapely(points: gpd.GeoDataFrame) -> None:
    import pyarrow as pa

    from geo.reach._parquet import _parquet_xy

    wkb = pa.array(points.geometry.to_wkb().tolist(), type=pa.binary())
    x, y, simple = _parquet_xy(wkb, "test")
    assert simple
    assert np.array_equal(x, points.geometry.x.to_numpy()) and np.array_equal(
        y, points.geometry.y.to_numpy()
    )
    big_endian = pa.array(
        list(shapely.to_wkb(points.geometry.values[:100], byte_order=0)), type=pa.binary()
    )
    x2, y2, simple2 = _parquet_xy(big_endian, "test")
    assert not simple2  # decoded by shapely, not by the little-endian fast path
    assert np.array_equal(x2, points.geometry.x.to_numpy()[:100])
    assert np.array_equal(y2, points.geometry.y.to_numpy()[:100])
