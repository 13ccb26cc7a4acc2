"""One entry point: footprints or a whole catalog to a file, the format told by its name."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from geo.catalog import claim_footprints, load_catalog
from geo.errors import ExportError
from geo.export._geojson import geojson_text
from geo.export._gpkg import write_geopackage
from geo.export._kml import kml_text
from geo.gazetteer import RegionLike

if TYPE_CHECKING:
    import os

log = logging.getLogger(__name__)

EXPORT_FORMATS: tuple[str, ...] = ("geojson", "kml", "gpkg")
"""The formats :func:`export_footprints` writes."""

_SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".kml": "kml", ".gpkg": "gpkg"}


def export_format(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The export format: *fmt* if given (checked), else the one the file suffix names.

    Examples
    --------
    >>> export_format("reach.kml"), export_format("out.json"), export_format("x.dat", "gpkg")
    ('kml', 'geojson', 'gpkg')
    """
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            raise ExportError(
                f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}"
            )
        return fmt
    name = Path(path)
    found = _SUFFIXES.get(name.suffix.lower())
    if found is None:
        raise ExportError(
            f"cannot tell the format from the file name {str(name)!r}; give --format "
            f"({', '.join(EXPORT_FORMATS)}) or end the name in .geojson, .kml or .gpkg"
        )
    return found


def export_footprints(
    path: str | os.PathLike[str],
    footprints: gpd.GeoDataFrame,
    *,
    fmt: str | None = None,
    claims: pd.DataFrame | None = None,
    targets: pd.DataFrame | str | os.PathLike[str] | None = None,
    title: str = "georange footprints",
) -> Path:
    """Write footprints as GeoJSON, KML or GeoPackage (by *fmt*, else by the file suffix).

    Parameters
    ----------
    path
        The file to write (replaced if it exists).
    footprints
        A GeoDataFrame with a ``tolerance_m`` column.
    fmt
        ``"geojson"``, ``"kml"`` or ``"gpkg"``; by default from the suffix
        (``.geojson``/``.json``, ``.kml``, ``.gpkg``).
    claims, targets
        For KML (claims without a site) and GeoPackage (``claims`` and
        ``targets`` layers); see :func:`kml_text` and :func:`write_geopackage`.
    title
        KML document name.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import geo, json, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = export_footprints(pathlib.Path(tmp) / "fiji.geojson",
    ...                             geo.site_footprints("-17.7134, 178.065", 1000))
    ...     json.loads(out.read_text())["features"][0]["geometry"]["type"]
    'MultiPolygon'
    """
    target = Path(path)
    kind = export_format(target, fmt)
    if kind == "gpkg":
        return write_geopackage(target, footprints, claims=claims, targets=targets)
    text = (
        geojson_text(footprints)
        if kind == "geojson"
        else kml_text(footprints, claims=claims, title=title)
    )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}; check the path") from exc
    log.info("wrote %d footprints to %s (%s)", len(footprints), target, kind)
    return target


def export_catalog(
    path: str | os.PathLike[str],
    catalog: pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    fmt: str | None = None,
    sites: str | os.PathLike[str] | None = None,
    region: RegionLike = None,
    country: str | None = None,
    targets: pd.DataFrame | str | os.PathLike[str] | None = None,
    tolerance_m: float | None = None,
) -> Path:
    """Write the footprints of a catalog's claims (the bundled one by default) to a file.

    Parameters
    ----------
    path
        The file to write.
    catalog
        A frame from :func:`geo.load_catalog` or an events file; the bundled
        catalog when omitted.
    fmt
        ``"geojson"``, ``"kml"`` or ``"gpkg"`` (default: from the suffix).
    sites, region, country
        How the catalog's sites are looked up (see :func:`geo.load_catalog`).
    targets
        Targets for the GeoPackage's ``targets`` layer (bundled by default).
    tolerance_m
        Passed to the footprint engine.

    Examples
    --------
    >>> import pyogrio, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = export_catalog(pathlib.Path(tmp) / "seed.gpkg")
    ...     len(pyogrio.read_dataframe(out, layer="claims"))
    12
    """
    cat = (
        catalog
        if isinstance(catalog, pd.DataFrame)
        else load_catalog(catalog, sites=sites, region=region, country=country)
    )
    fp = claim_footprints(cat, tolerance_m=tolerance_m)
    return export_footprints(path, fp, fmt=fmt, claims=cat, targets=targets)
