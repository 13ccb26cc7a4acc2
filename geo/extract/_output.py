"""Claims out: a DataFrame, a table, CSV or JSON text, and a catalog frame with site points."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.catalog import SITE_COLUMNS, site_columns
from geo.errors import ExtractionError, GeorangeError
from geo.extract._claims import CATALOG_COLUMNS, CLAIM_COLUMNS, Claim
from geo.gazetteer import MATCH_KINDS, Gazetteer, RegionLike, Site, as_site

log = logging.getLogger(__name__)

#: The columns of ``format_claims(..., fmt="csv")`` before ``evidence``: an events file that
#: :func:`geo.load_catalog` reads (it geocodes ``site`` itself, so no coordinates here).
CSV_COLUMNS: tuple[str, ...] = tuple(
    c for c in CLAIM_COLUMNS if c not in ("site_id", "lat", "lon", "precision_km")
)


def claims_frame(claims: Iterable[Claim]) -> Any:
    """The claims as a pandas DataFrame with :data:`CLAIM_COLUMNS`.

    Parameters
    ----------
    claims
        Claims from :func:`extract_claims`.

    Returns
    -------
    pandas.DataFrame
        One row per claim (flight time as ``"low-high"`` text).

    Examples
    --------
    >>> claims_frame([Claim("c1", "e1", site="Sinpo")]).loc[0, "site"]
    'Sinpo'
    """
    return pd.DataFrame([c.as_row() for c in claims], columns=list(CLAIM_COLUMNS))


_TABLE_COLUMNS = (
    "claim_id",
    "date",
    "site",
    "range_km",
    "range_kind",
    "claimant",
    "missile",
    "flight_time_s",
    "apogee_km",
    "count",
    "direction",
)


def format_claims(claims: Sequence[Claim], *, fmt: str = "table") -> str:
    """Render claims as an aligned ``table``, ``csv`` (with an ``evidence`` column) or ``json``.

    Parameters
    ----------
    claims
        Claims from :func:`extract_claims`.
    fmt
        ``"table"`` (for reading), ``"csv"`` (:data:`CSV_COLUMNS` then
        ``evidence`` as JSON ``{field: [start, end, text]}``: an events file
        that :func:`geo.load_catalog` reads) or ``"json"`` (a list of
        :meth:`Claim.to_dict`, coordinates included).

    Returns
    -------
    str
        The text, ending with a newline.

    Raises
    ------
    ExtractionError
        For an unknown *fmt*.

    Examples
    --------
    >>> from geo.extract import Span
    >>> c = Claim("r-c1", "r-e1", site="Sinpo", range_km=150.0, range_kind="flown",
    ...           approximate=True, evidence={"site": Span(0, 5, "Sinpo")})
    >>> print(format_claims([c]).splitlines()[1].split()[:4])
    ['r-c1', '-', 'Sinpo', '~150']
    >>> format_claims([c], fmt="csv").splitlines()[0].split(",")[:3]
    ['claim_id', 'event_id', 'date']
    """
    if fmt == "json":
        return json.dumps([c.to_dict() for c in claims], ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([*CSV_COLUMNS, "evidence"])
        for c in claims:
            row = c.as_row()
            cells = ["" if row[k] is None else row[k] for k in CSV_COLUMNS]
            ev = json.dumps({k: list(v) for k, v in c.evidence.items()}, ensure_ascii=False)
            writer.writerow([*cells, ev])
        return buf.getvalue()
    if fmt != "table":
        raise ExtractionError(f"unknown format {fmt!r}; use 'table', 'csv' or 'json'")
    rows = [list(_TABLE_COLUMNS)]
    for c in claims:
        row = c.as_row()
        cells = []
        for k in _TABLE_COLUMNS:
            v = row[k]
            if k == "range_km" and v is not None:
                v = ("~" if c.approximate else "") + f"{v:g}"
            elif k == "date" and not v:
                v = "-"
            elif k == "site" and not v and c.province:
                v = f"({c.province})"
            cells.append("-" if v is None or v == "" else str(v))
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(_TABLE_COLUMNS))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    if not claims:
        lines.append("(no claims: the report names no launch site and no range)")
    return "\n".join(lines) + "\n"


#: The note :func:`extract_claims` leaves on a claim whose site it refused to locate.
_NOT_LOCATED = "site not located: "


def _claim_site(claim: Claim, sites: Any, region: RegionLike, country: str | None) -> Site | None:
    """The claim's site: where extract_claims located it, else its words looked up now.

    Looking the bare site up again would lose what located it (the launch phrase's
    province or offset, the report's country): a located claim keeps its point, with the
    gazetteer's match and source when the bare name gives that very point; a claim that
    extract_claims refused stays unlocated.
    """
    if not claim.site or _NOT_LOCATED in claim.note:
        return None
    try:
        found: Site | None = as_site(claim.site, sites=sites, region=region, country=country)
    except GeorangeError as exc:
        log.info("claim %s: site %r not located: %s", claim.claim_id, claim.site, exc)
        found = None
    if claim.lat is None or claim.lon is None:
        return found
    point = (claim.lat, claim.lon, claim.site_id)
    if found is not None and (found.lat, found.lon, found.id) == point:
        return dataclasses.replace(found, precision_km=claim.precision_km or found.precision_km)
    return Site(
        id=claim.site_id,
        name=claim.site,
        lat=claim.lat,
        lon=claim.lon,
        precision_km=claim.precision_km or 0.0,
        kind="launch site named in the report",
        source="located by extract_claims from the report's launch phrase (see the note)",
        match=_located_match(claim.note),
        query=claim.site,
    )


def _located_match(note: str) -> str:
    """How extract_claims matched the launch phrase, from its note ("... (alias, ±3 km)");
    ``"coordinates"`` (the point as the claim gives it) without such a note."""
    found = re.search(r"site located from .*? \((" + "|".join(MATCH_KINDS) + r"), ±", note)
    return found.group(1) if found else "coordinates"


def claims_catalog(
    claims: Iterable[Claim],
    *,
    sites: Any = None,
    region: RegionLike = None,
    country: str | None = None,
) -> Any:
    """The claims as a catalog frame, in the shape :func:`geo.load_catalog` returns.

    So that :func:`geo.catalog.claim_footprints`, the maps and the exports take
    extracted claims as they take the bundled catalog: the events columns, the
    extraction fields (``approximate``, ``flight_time_s``, ``apogee_km``,
    ``count``, ``direction``, ``province``, ``evidence`` as JSON), then
    ``site_name``, ``site_id``, ``lat``, ``lon``, ``precision_km``,
    ``site_match``, ``site_source``, ``located`` and ``geometry`` (the site
    point, or None; EPSG:4326).

    A claim that :func:`extract_claims` located (from the report's launch phrase, with
    the report's country) keeps that point; one it could not locate (the phrase or the
    country contradicts the place) stays unlocated; a claim extracted without geocoding
    is looked up from its ``site``.

    Parameters
    ----------
    claims
        Claims from :func:`extract_claims`.
    sites, region, country
        How the sites of claims extracted without geocoding are looked up: see
        :func:`geo.as_site`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per claim.

    Examples
    --------
    >>> from geo.extract import extract_claims
    >>> text = "The JCS said the missile, fired from near Sinpo, flew about 150 km."
    >>> cat = claims_catalog(extract_claims(text))
    >>> row = cat.iloc[0]
    >>> row["site"], row["site_id"], float(row["range_km"]), bool(row["located"])
    ('Sinpo', 'sinpo', 150.0, True)
    """
    Gazetteer.load(sites)  # a bad sites file is an error, not claims left unlocated
    extra = ("approximate", "flight_time_s", "apogee_km", "count", "direction", "province")
    records: list[dict[str, Any]] = []
    geometry: list[Any] = []
    for c in claims:
        row = c.as_row()
        rec: dict[str, Any] = {k: row[k] for k in CATALOG_COLUMNS}
        rec["range_km"] = math.nan if c.range_km is None else float(c.range_km)
        rec.update({k: row[k] for k in extra})
        rec["evidence"] = json.dumps({k: list(v) for k, v in c.evidence.items()})
        site = _claim_site(c, sites, region, country)
        rec.update(site_columns(site))
        geometry.append(None if site is None else Point(site.lon, site.lat))
        records.append(rec)
    columns = [*CATALOG_COLUMNS, *extra, "evidence", *SITE_COLUMNS, "located"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame["located"] = frame["located"].astype(bool)
    for col in ("range_km", "lat", "lon", "precision_km"):
        frame[col] = frame[col].astype(float)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"))
