"""Footprints from the catalog: one per located claim, or one per missile class from a site."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from geo.catalog._load import load_catalog, load_missiles
from geo.footprint import footprints
from geo.gazetteer import RegionLike, as_site

if TYPE_CHECKING:
    import os


def _empty_footprints(columns: Iterable[str]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame["tolerance_m"] = pd.Series(dtype=float)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs="EPSG:4326"))


def claim_footprints(
    catalog: pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    tolerance_m: float | None = None,
) -> gpd.GeoDataFrame:
    """One footprint per located claim that has a range, with all provenance columns.

    Parameters
    ----------
    catalog
        A frame from :func:`load_catalog`, or the path of an events file to load;
        the bundled catalog when omitted.
    tolerance_m
        Largest distance between the drawn and the true boundary (the engine's
        default when omitted).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per located claim with a range (in catalog order, index reset),
        all catalog columns (the site point moves out of ``geometry``; ``lat``
        and ``lon`` keep it) plus ``geometry`` (the footprint, EPSG:4326) and
        ``tolerance_m``, computed by one batch call of :func:`geo.footprints`.

    Examples
    --------
    >>> fp = claim_footprints()
    >>> fp["claim_id"].tolist()
    ['r2-0202-range', 'r4-assumed-range']
    >>> fp[["range_km", "range_kind", "claimant"]].values.tolist()[1]
    [1500.0, 'assumption', 'georange (assumption)']
    """
    frame: pd.DataFrame = catalog if isinstance(catalog, pd.DataFrame) else load_catalog(catalog)
    missing = [c for c in ("located", "lat", "lon", "range_km") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"claim_footprints needs a catalog from load_catalog; the frame lacks {missing}"
        )
    mask = frame["located"].astype(bool) & frame["range_km"].notna()
    geometry_name = getattr(frame, "_geometry_column_name", None)
    plain = pd.DataFrame(frame.loc[mask])
    if geometry_name and geometry_name in plain.columns:
        plain = plain.drop(columns=[geometry_name])
    plain = plain.reset_index(drop=True)
    if plain.empty:
        return _empty_footprints(plain.columns)
    return footprints(plain, lat="lat", lon="lon", range_km="range_km", tolerance_m=tolerance_m)


def class_footprints(
    site: Any,
    missiles: pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    by: str = "class",
    sites: str | os.PathLike[str] | None = None,
    region: RegionLike = None,
    country: str | None = None,
    tolerance_m: float | None = None,
) -> gpd.GeoDataFrame:
    """What could reach from here: one footprint per missile class (or per missile) from a site.

    Parameters
    ----------
    site
        A place name, a :class:`geo.Site` or a ``(lat, lon)`` pair (see :func:`geo.as_site`).
    missiles
        A frame from :func:`load_missiles` or the path of a missiles file; the
        bundled ``data/missiles.csv`` when omitted.
    by
        ``"class"`` (default): one footprint per class at the longest published
        maximum-range estimate of the missiles of that class; ``"missile"``: one
        per missile at its ``range_max_km``.
    sites, region, country
        How a site name is looked up: see :func:`geo.as_site`.
    tolerance_m
        Passed to the footprint engine.

    Returns
    -------
    geopandas.GeoDataFrame
        Longest range first: ``site_name``, ``site_id``, ``lat``, ``lon``,
        ``precision_km``, ``class``, ``missiles`` (names, ``|``-separated; with
        ``by="missile"`` also ``name``), ``range_km``, ``range_kind``
        (``class-estimate``), ``source``, ``note``, ``geometry``, ``tolerance_m``.

    Examples
    --------
    >>> fp = class_footprints((40.0368, 128.1839))
    >>> fp[["class", "range_km"]].values.tolist()[:2]
    [['ICBM', 15000.0], ['IRBM', 4500.0]]
    """
    if by not in ("class", "missile"):
        raise ValueError(f"by must be 'class' or 'missile', not {by!r}")
    table = missiles if isinstance(missiles, pd.DataFrame) else load_missiles(missiles)
    place = as_site(site, sites=sites, region=region, country=country)
    where = {
        "site_name": place.name,
        "site_id": place.id,
        "lat": place.lat,
        "lon": place.lon,
        "precision_km": place.precision_km,
    }
    rows: list[dict[str, Any]] = []
    if by == "missile":
        for d in table.to_dict("records"):
            rows.append(
                {
                    **where,
                    "name": d["name"],
                    "class": d["class"],
                    "missiles": d["name"],
                    "range_km": float(d["range_max_km"]),
                    "range_kind": "class-estimate",
                    "source": d["source"],
                    "note": f"published estimate of the maximum range of {d['name']}",
                }
            )
    else:
        for cls, group in table.groupby("class", sort=False):
            longest = group.loc[group["range_max_km"].idxmax()]
            sources = list(dict.fromkeys(str(s) for s in group["source"]))
            rows.append(
                {
                    **where,
                    "class": cls,
                    "missiles": "|".join(str(n) for n in group["name"]),
                    "range_km": float(longest["range_max_km"]),
                    "range_kind": "class-estimate",
                    "source": "; ".join(sources),
                    "note": f"longest published maximum-range estimate in the class "
                    f"({longest['name']})",
                }
            )
    frame = pd.DataFrame(rows)
    frame = frame.sort_values("range_km", ascending=False, kind="stable").reset_index(drop=True)
    return footprints(frame, lat="lat", lon="lon", range_km="range_km", tolerance_m=tolerance_m)
