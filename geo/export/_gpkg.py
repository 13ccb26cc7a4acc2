"""Footprints, their sites, the targets and the claims as layers of a GeoPackage."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
from shapely.geometry import MultiPolygon, Point
from shapely.geometry.base import BaseGeometry

from geo.catalog import load_targets
from geo.errors import ExportError
from geo.export._attributes import (
    _attribute_columns,
    _check_footprints,
    _plain,
    _site_key,
    _site_label,
    _with_class,
)

# gpkg_contents.last_change, fixed for reproducible files; the GeoPackage standard (Req 15)
# wants a timestamp with milliseconds, YYYY-MM-DDTHH:MM:SS.SSSZ
_GPKG_DATE = "2000-01-01T00:00:00.000Z"


def _sites_layer(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for rec in frame.to_dict("records"):
        if "located" in rec and not bool(rec["located"]):
            continue
        if _plain(rec.get("lat")) is None or _plain(rec.get("lon")) is None:
            continue
        key = _site_key(rec)
        if key not in rows:
            rows[key] = {
                "site_id": _plain(rec.get("site_id")),
                "site_name": _site_label(rec),
                "lat": float(rec["lat"]),
                "lon": float(rec["lon"]),
                "precision_km": _plain(rec.get("precision_km")),
                "site_source": _plain(rec.get("site_source")),
                "claims": 0,
            }
        rows[key]["claims"] += 1
    table = pd.DataFrame(
        list(rows.values()),
        columns=["site_id", "site_name", "lat", "lon", "precision_km", "site_source", "claims"],
    )
    table["precision_km"] = table["precision_km"].astype(float)
    points = [Point(lo, la) for la, lo in zip(table["lat"], table["lon"], strict=True)]
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(points, crs="EPSG:4326"))


def _multi(geom: BaseGeometry | None) -> MultiPolygon | None:
    if geom is None or geom.is_empty:
        return None
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])


def write_geopackage(
    path: str | os.PathLike[str],
    footprints: gpd.GeoDataFrame,
    *,
    claims: pd.DataFrame | None = None,
    targets: pd.DataFrame | str | os.PathLike[str] | None = None,
) -> Path:
    """Write footprints, their sites, the targets and the claims to a GeoPackage.

    Layers: ``footprints`` (MultiPolygon, every column, full precision),
    ``sites`` (Point, one per distinct site, with the number of claims),
    ``targets`` (Point) and, when *claims* is given, ``claims`` (every claim;
    a Point at the site, or no geometry where the claim has no site).  The
    file is replaced if it exists.

    GeoPackage records a modification time per layer (``gpkg_contents.
    last_change``); it is pinned to 2000-01-01 (GDAL's ``OGR_CURRENT_DATE``) so
    that the same input gives the same data.  Compare files by their data;
    byte equality is not promised by SQLite.

    Parameters
    ----------
    path
        The ``.gpkg`` file to write.
    footprints
        A GeoDataFrame with a ``tolerance_m`` column, e.g. from
        :func:`geo.claim_footprints`.
    claims
        The catalog from :func:`geo.load_catalog`; the sites layer then lists
        every located site, with or without a footprint.
    targets
        A targets frame or file (see :func:`geo.load_targets`); the bundled
        targets when omitted.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import geo, pyogrio, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_geopackage(pathlib.Path(tmp) / "fp.gpkg", geo.claim_footprints(),
    ...                            claims=geo.load_catalog())
    ...     [name for name, _ in pyogrio.list_layers(out)]
    ['footprints', 'sites', 'targets', 'claims']
    """
    fp = _check_footprints(footprints)
    target = Path(path)
    layers = _layers(fp, claims=claims, targets=targets)
    _write_layers(target, layers)
    return target


def _layers(
    fp: gpd.GeoDataFrame,
    *,
    claims: pd.DataFrame | None,
    targets: pd.DataFrame | str | os.PathLike[str] | None,
) -> list[tuple[str, gpd.GeoDataFrame, str]]:
    """The layers of the GeoPackage: (name, frame, geometry type)."""
    columns = _attribute_columns(fp)
    layer_fp = gpd.GeoDataFrame(
        pd.DataFrame(fp[columns]).assign(missile_class=_with_class(fp))
        if "missile_class" not in columns
        else pd.DataFrame(fp[columns]),
        geometry=gpd.GeoSeries([_multi(g) for g in fp.geometry], crs="EPSG:4326"),
    )
    sites = _sites_layer(claims if claims is not None else pd.DataFrame(fp[columns]))
    tgt = targets if isinstance(targets, pd.DataFrame) else load_targets(targets)
    tgt_layer = gpd.GeoDataFrame(
        pd.DataFrame(tgt).drop(columns=["geometry"], errors="ignore"),
        geometry=gpd.GeoSeries(
            [Point(lo, la) for la, lo in zip(tgt["lat"], tgt["lon"], strict=True)], crs="EPSG:4326"
        ),
    )
    layers: list[tuple[str, gpd.GeoDataFrame, str]] = [
        ("footprints", layer_fp, "MultiPolygon"),
        ("sites", sites, "Point"),
        ("targets", tgt_layer, "Point"),
    ]
    if claims is not None:
        geometry_name = getattr(claims, "_geometry_column_name", None)
        plain = pd.DataFrame(claims).drop(columns=[geometry_name] if geometry_name else [])
        points = [
            Point(lo, la) if bool(ok) else None
            for la, lo, ok in zip(plain["lat"], plain["lon"], plain["located"], strict=True)
        ]
        layers.append(
            (
                "claims",
                gpd.GeoDataFrame(plain, geometry=gpd.GeoSeries(points, crs="EPSG:4326")),
                "Point",
            )
        )
    return layers


def _write_layers(target: Path, layers: list[tuple[str, gpd.GeoDataFrame, str]]) -> None:
    """Write the layers to a temporary file beside *target*, then move it into place."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".gpkg", dir=target.parent
        )
    except OSError as exc:
        raise ExportError(
            f"cannot write the GeoPackage {target}: {exc.strerror or exc}; check the path"
        ) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # GDAL creates the file itself
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _GPKG_DATE})
    try:
        for name, frame, geometry_type in layers:
            pyogrio.write_dataframe(
                frame,
                tmp,
                layer=name,
                driver="GPKG",
                geometry_type=geometry_type,
                append=tmp.exists(),
            )
        os.replace(tmp, target)
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError | pyogrio.errors.DataSourceError):
            raise ExportError(f"cannot write the GeoPackage {target}: {exc}") from exc
        raise
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
