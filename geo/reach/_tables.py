"""Point tables: targets read from files or frames, every bad coordinate reported."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import CatalogError, CatalogProblem, GeorangeError, InvalidCoordinateError
from geo.files import reading
from geo.reach._kernel import FloatArray, _check_points
from geo.resources import data_path
from geo.tables import read_table

log = logging.getLogger(__name__)


def _read_table(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise CatalogError(
            [
                CatalogProblem(
                    str(path),
                    0,
                    "-",
                    str(path),
                    "no such file; give an existing "
                    "CSV, GeoParquet, GeoJSON or GeoPackage file of points",
                )
            ],
            summary=f"targets file {str(path)!r} not found",
        )
    suffix = path.suffix.lower()
    expected = "a CSV (UTF-8, with lat and lon columns), GeoParquet, GeoJSON or GeoPackage file"
    with reading(path, what="targets file", expected=expected + " of points"):
        if suffix in {".csv", ".txt", ".tsv"}:
            sep = "\t" if suffix == ".tsv" else ","
            # checked by the one table reader (UTF-8, every bad row at once); pandas types cells
            # "NA" (Namibia) is a country code, not a missing value: only empty cells are missing
            if Path(path).stat().st_size == 0:  # pandas' EmptyDataError: the funnel names it
                return pd.read_csv(io.StringIO(""))
            text = read_table(
                path, required=(), what="targets file", delimiter=sep, decode_errors="raise"
            ).text
            return pd.read_csv(io.StringIO(text), sep=sep, keep_default_na=False, na_values=[""])
        if suffix in {".parquet", ".geoparquet", ".pq"}:
            try:
                return gpd.read_parquet(path)
            except ValueError:  # a plain Parquet file without geo metadata
                return pd.read_parquet(path)
        return gpd.read_file(path)


def _point_coords(
    frame: pd.DataFrame, lat: str, lon: str, source: str | None
) -> tuple[FloatArray, FloatArray]:
    """Coordinates of a point table, with every bad cell reported (file:line when from a file)."""
    where = source or "the targets table"
    if (
        isinstance(frame, gpd.GeoDataFrame)
        and frame.geometry.name in frame.columns
        and (lat not in frame.columns or lon not in frame.columns)
    ):
        geom = frame.geometry
        if geom.crs is not None and not geom.crs.equals("EPSG:4326"):
            if not geom.crs.is_geographic and not geom.crs.is_projected:
                raise InvalidCoordinateError(
                    f"{where} has a CRS that cannot be converted to EPSG:4326"
                )
            geom = geom.to_crs("EPSG:4326")
        elif geom.crs is None:
            log.warning(
                "%s has no CRS; reading its coordinates as longitude/latitude (EPSG:4326)", where
            )
        values = geom.values
        kinds = shapely.get_type_id(values)
        bad = np.flatnonzero((kinds != 0) | shapely.is_empty(values))
        if bad.size:
            idx = frame.index[bad[:5]].tolist()
            raise InvalidCoordinateError(
                f"{bad.size} row(s) of {where} are not points (index {idx}); reach works on "
                "point targets: use their centroids (gdf.geometry.centroid) or "
                "representative points"
            )
        la = np.ascontiguousarray(shapely.get_y(values), dtype=np.float64)
        lo = np.ascontiguousarray(shapely.get_x(values), dtype=np.float64)
        _check_points(la, lo, where)
        return la, lo
    missing = [c for c in (lat, lon) if c not in frame.columns]
    if missing:
        raise CatalogError(
            [
                CatalogProblem(
                    source or "<DataFrame>",
                    1,
                    c,
                    "(missing)",
                    f"a column of decimal degrees; columns are {list(frame.columns)}",
                )
                for c in missing
            ],
            summary=f"{where} has no {' and no '.join(repr(c) for c in missing)} column",
        )
    la = pd.to_numeric(frame[lat], errors="coerce").to_numpy(dtype=np.float64)
    lo = pd.to_numeric(frame[lon], errors="coerce").to_numpy(dtype=np.float64)
    problems: list[CatalogProblem] = []
    for col, ok in (
        (lat, np.isfinite(la) & (np.abs(la) <= 90.0)),
        (lon, np.isfinite(lo)),
    ):
        for i in np.flatnonzero(~ok)[:20]:
            line = int(i) + 2 if source else int(i)
            problems.append(
                CatalogProblem(
                    source or "<DataFrame row>",
                    line,
                    col,
                    str(frame[col].iloc[i]),
                    "latitude in decimal degrees within [-90, 90]"
                    if col == lat
                    else "longitude in decimal degrees (a finite number)",
                )
            )
    if problems:
        if source is None:
            raise InvalidCoordinateError(
                f"{len(problems)} bad coordinate(s) in {where}: "
                + "; ".join(
                    f"row {p.line} column {p.column!r}: {p.value!r} ({p.expected})"
                    for p in problems
                )
            )
        raise CatalogError(problems, summary=f"{len(problems)} bad coordinate(s) in {source}")
    return la, lo


def _numeric_columns(frame: pd.DataFrame, lat: str, lon: str) -> pd.DataFrame:
    """A CSV read as text, with its coordinate columns as numbers (other columns stay text)."""
    out = frame.copy()
    for col in (lat, lon):
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce")
    return out


def _load_points(targets: Any, lat: str, lon: str) -> tuple[pd.DataFrame, FloatArray, FloatArray]:
    if targets is None:
        targets = data_path("targets.csv")
    if isinstance(targets, str | os.PathLike):
        path = Path(targets)
        frame = _read_table(path)
        la, lo = _point_coords(frame, lat, lon, str(path))
        if path.suffix.lower() in {".csv", ".txt", ".tsv"}:
            frame = _numeric_columns(frame, lat, lon)
        return frame, la, lo
    if isinstance(targets, pd.DataFrame):
        la, lo = _point_coords(targets, lat, lon, None)
        return targets, la, lo
    if isinstance(targets, Mapping):
        frame = pd.DataFrame(dict(targets))
        la, lo = _point_coords(frame, lat, lon, None)
        return frame, la, lo
    raise GeorangeError(
        f"targets of type {type(targets).__name__} are not supported; give a path to a CSV "
        "(columns lat, lon) or GeoParquet/GeoJSON/GeoPackage file, a DataFrame with lat/lon "
        "columns, a GeoDataFrame of points, or a dask (geo)DataFrame"
    )
