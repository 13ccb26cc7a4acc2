"""Reach over (Geo)Parquet files too large for memory, partition by partition on dask."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from geo.errors import CatalogError, CatalogProblem, GeorangeError, InvalidCoordinateError
from geo.gazetteer import RegionLike
from geo.reach._kernel import FloatArray, _check_points, _classify, _sector_mask
from geo.reach._origin import _Origin, _origin
from geo.reach._points import _geodesics, _margin_km, _reach_frame

log = logging.getLogger(__name__)


def reach_parquet(
    path: str | os.PathLike[str],
    site: Any,
    range_km: float,
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    inside_only: bool = True,
    columns: Sequence[str] | None = None,
    split_row_groups: bool | str = True,
    lat: str = "lat",
    lon: str = "lon",
    sites: str | os.PathLike[str] | None = None,
    region: RegionLike = None,
    country: str | None = None,
) -> Any:
    """Run :func:`reach` over a (Geo)Parquet point file too large for memory, on dask.

    The file (or folder of files) is read lazily with dask-geopandas and processed
    partition by partition with the same kernel as the in-memory path, so the
    verdicts are identical.  Nothing is computed until you call ``.compute()``
    (or ``len()``, ``.in_range.sum().compute()``...).

    Parameters
    ----------
    path
        A GeoParquet file of points (or a plain Parquet file with ``lat``/``lon``
        columns), or a folder of such files.
    site, range_km, min_range_km, bearing, lat, lon, sites, region, country
        As for :func:`reach`.
    inside_only
        Keep only the rows in range (default: yes, the rows out of range of a
        file of millions of points are rarely wanted).
    columns
        Columns to read (the geometry or coordinate columns are always read).
    split_row_groups
        Passed to :func:`dask.dataframe.read_parquet`: ``True`` (default) makes
        each Parquet row group one partition, so one large file is processed in
        pieces; ``"infer"`` or ``False`` give dask's other layouts.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy; the columns of :func:`reach`.

    Examples
    --------
    >>> import tempfile, os, geopandas as gpd, geo
    >>> pts = gpd.GeoDataFrame({"name": ["Seoul", "Guam"]},
    ...     geometry=gpd.points_from_xy([126.978, 144.93], [37.5665, 13.584]), crs="EPSG:4326")
    >>> path = os.path.join(tempfile.mkdtemp(), "points.parquet")
    >>> pts.to_parquet(path)
    >>> geo.reach_parquet(path, (40.0347, 128.1856), 1500).compute()["name"].tolist()
    ['Seoul']
    """
    o = _origin(site, range_km, min_range_km, bearing, sites=sites, region=region, country=country)
    p = Path(path)
    if not p.exists():
        raise CatalogError(
            [
                CatalogProblem(
                    str(p), 0, "-", str(p), "no such file or folder; give a GeoParquet file"
                )
            ],
            summary=f"points file {str(p)!r} not found",
        )
    try:
        import dask.dataframe as dd
        import pyarrow  # noqa: F401  (dask's Parquet engine)
    except ImportError as exc:
        raise GeorangeError(
            f"reach_parquet needs dask and pyarrow ({exc.name} is missing); install them "
            "with: pip install 'georange[dask]'"
        ) from None

    info = _parquet_geometry(p)
    cols = None if columns is None else list(columns)
    if cols is not None:
        needed = [info.column] if info is not None else [lat, lon]
        cols = list(dict.fromkeys([*cols, *needed]))
    # Arrow-backed columns: the geometry stays one WKB (or GeoArrow) buffer that
    # _parquet_xy decodes with numpy, ten times faster than making shapely objects
    ddf = dd.read_parquet(
        p, columns=cols, split_row_groups=split_row_groups, dtype_backend="pyarrow"
    )
    log.info("reach over %s: %d partitions", p, ddf.npartitions)
    meta = _reach_parquet_partition(ddf._meta, o, info, lat, lon, inside_only)
    return ddf.map_partitions(_reach_parquet_partition, o, info, lat, lon, inside_only, meta=meta)


@dataclass(frozen=True)
class _GeoColumn:
    """The primary geometry column of a GeoParquet file, as its metadata describes it."""

    column: str
    encoding: str
    crs: str | None  # PROJJSON text; None when the file says the CRS is unknown
    lonlat: bool  # coordinates are WGS84 longitude/latitude already


def _parquet_geometry(path: Path) -> _GeoColumn | None:
    """Read the GeoParquet ``geo`` metadata of (the first file of) a dataset, if any."""
    import pyarrow.parquet as pq

    first = path if path.is_file() else next(iter(sorted(path.rglob("*.parquet"))), None)
    if first is None:
        return None
    meta = pq.read_schema(first).metadata or {}
    raw = meta.get(b"geo")
    if not raw:
        return None
    doc = json.loads(raw)
    column = str(doc["primary_column"])
    spec = doc["columns"][column]
    encoding = str(spec.get("encoding", "WKB"))
    if "crs" not in spec:  # the GeoParquet default: OGC:CRS84, longitude/latitude
        return _GeoColumn(column, encoding, None, True)
    if spec["crs"] is None:
        log.warning(
            "%s has no CRS; reading its coordinates as longitude/latitude (EPSG:4326)", path
        )
        return _GeoColumn(column, encoding, None, True)
    crs = CRS.from_user_input(spec["crs"])
    lonlat = crs.equals("OGC:CRS84", ignore_axis_order=True) or crs.equals(
        "EPSG:4326", ignore_axis_order=True
    )
    return _GeoColumn(column, encoding, crs.to_json(), lonlat)


def _parquet_xy(values: Any, where: str) -> tuple[FloatArray, FloatArray, bool]:
    """Raw (x, y, simple) of an Arrow point column: WKB points decoded by numpy, else by shapely.

    ``simple`` is true when every row is a plain 2D point, so ``shapely.points(x, y)``
    rebuilds the very geometries.
    """
    import pyarrow as pa

    arr = pa.array(values) if not isinstance(values, pa.Array | pa.ChunkedArray) else values
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    n = len(arr)
    if arr.null_count:
        raise InvalidCoordinateError(
            f"{arr.null_count} row(s) of {where} have no geometry; every row needs a point"
        )
    if pa.types.is_struct(arr.type):  # GeoArrow "point" encoding: x and y children
        return (
            np.asarray(arr.field("x").to_numpy(zero_copy_only=False), dtype=np.float64),
            np.asarray(arr.field("y").to_numpy(zero_copy_only=False), dtype=np.float64),
            arr.type.num_fields == 2,
        )
    if pa.types.is_binary(arr.type) or pa.types.is_large_binary(arr.type):
        width = np.int64 if pa.types.is_large_binary(arr.type) else np.int32
        offsets = np.frombuffer(arr.buffers()[1], dtype=width)[arr.offset : arr.offset + n + 1]
        data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
        if n and bool((np.diff(offsets) == 21).all()):  # 2D points, if little-endian type 1
            block = data[offsets[0] : offsets[-1]].reshape(n, 21)
            if bool((block[:, 0] == 1).all()) and bool((block[:, 1:5] == (1, 0, 0, 0)).all()):
                start = int(offsets[0])
                x, y = (
                    np.ndarray((n,), dtype="<f8", buffer=data, offset=start + k, strides=(21,))
                    for k in (5, 13)
                )
                return x.astype(np.float64), y.astype(np.float64), True
    # anything else (big-endian, EWKB, Z, non-points): shapely
    geoms = shapely.from_wkb(np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object))
    bad = np.flatnonzero((shapely.get_type_id(geoms) != 0) | shapely.is_empty(geoms))
    if bad.size:
        raise InvalidCoordinateError(
            f"{bad.size} row(s) of {where} are not points (rows {bad[:5].tolist()}); "
            "reach works on point targets: store centroids or representative points"
        )
    return (
        np.asarray(shapely.get_x(geoms), dtype=np.float64),
        np.asarray(shapely.get_y(geoms), dtype=np.float64),
        False,
    )


def _lonlat(
    x: FloatArray, y: FloatArray, info: _GeoColumn, where: str
) -> tuple[FloatArray, FloatArray]:
    """(lat, lon) in WGS84 from raw coordinates in the file's CRS, validated."""
    if not info.lonlat and info.crs is not None:
        tr = Transformer.from_crs(info.crs, "EPSG:4326", always_xy=True)
        x, y = (np.asarray(v, dtype=np.float64) for v in tr.transform(x, y))
        log.debug("converted %d points from %s to EPSG:4326", x.shape[0], _crs(info.crs).name)
    _check_points(y, x, where)
    return y, x


@lru_cache(maxsize=8)
def _crs(text: str | None) -> Any:
    return CRS.from_user_input(text if text is not None else "EPSG:4326")


def _to_numpy_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Arrow-backed columns to the default pandas dtypes (as the in-memory path gives them)."""
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=True).to_pandas()


def _reach_parquet_partition(
    frame: pd.DataFrame,
    o: _Origin,
    info: _GeoColumn | None,
    lat: str,
    lon: str,
    inside_only: bool,
) -> pd.DataFrame:
    """:func:`_reach_frame` for one Arrow-backed Parquet partition."""
    if info is None:
        plain = frame.copy()
        for col in (lat, lon):
            if col in plain.columns:
                plain[col] = (
                    plain[col]
                    .astype("float64[pyarrow]")
                    .to_numpy(dtype=np.float64, na_value=np.nan)
                )
        return _reach_frame(_to_numpy_dtypes(plain), o, lat, lon, inside_only)
    where = "the GeoParquet partition"
    x, y, simple = _parquet_xy(frame[info.column].array, where)
    la, lo = _lonlat(x, y, info, where)
    if inside_only:
        keep, _ = _classify(o, la, lo)
        rows = np.flatnonzero(keep)
        d, az = _geodesics(o, la[rows], lo[rows])
        verdict = np.ones(rows.size, dtype=bool)
    else:
        rows = np.arange(la.shape[0])
        d, az = _geodesics(o, la, lo)
        verdict = (d <= o.range_km * 1000.0) & (d >= o.min_range_km * 1000.0)
        verdict &= _sector_mask(az, d, o.bearing)
    part = frame.iloc[rows]
    if simple:
        geoms = shapely.points(x[rows], y[rows])
    else:  # the very geometries of the file (3D points, say)
        geoms = shapely.from_wkb(np.asarray(part[info.column].array.to_numpy(), dtype=object))
    out = _to_numpy_dtypes(part.drop(columns=[info.column]))
    out[info.column] = gpd.GeoSeries(geoms, index=out.index, crs=_crs(info.crs))
    out = gpd.GeoDataFrame(out[list(frame.columns)], geometry=info.column)
    out["distance_km"] = d / 1000.0
    out["bearing_deg"] = az
    out["in_range"] = verdict
    out["margin_km"] = _margin_km(o, d)
    return out
