"""Loading and writing the catalog's files: events (geocoded claims), missiles, targets."""

from __future__ import annotations

import csv
import logging
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from geo.catalog._schema import (
    _NUMBER_HINT,
    EVENT_COLUMNS,
    MISSILE_CLASSES,
    MISSILE_COLUMNS,
    OPTIONAL_EVENT_COLUMNS,
    SITE_COLUMNS,
    TARGET_COLUMNS,
    TARGET_KINDS,
    _check_event_cells,
    _degrees,
    _positive_number,
    _RowCheck,
    _rows_with_unique,
    site_columns,
)
from geo.errors import CatalogError, CatalogProblem, GeorangeError
from geo.gazetteer import Gazetteer, RegionLike, Site, as_site
from geo.resources import data_path
from geo.tables import Table, read_table

if TYPE_CHECKING:
    import os

log = logging.getLogger(__name__)


def _geocode_sites(
    table: Table, *, sites: str | os.PathLike[str] | None, region: RegionLike, country: str | None
) -> tuple[dict[str, Site], list[CatalogProblem]]:
    texts = sorted({row["site"] for _, row in table.rows if row["site"]})
    if texts:
        Gazetteer.load(sites)  # a bad sites file is one error, not one per row
    found: dict[str, Site] = {}
    failed: dict[str, str] = {}
    for text in texts:
        try:
            found[text] = as_site(text, sites=sites, region=region, country=country)
        except GeorangeError as exc:
            failed[text] = str(exc)
    problems = [
        CatalogProblem(table.path, line, "site", row["site"], failed[row["site"]])
        for line, row in table.rows
        if row["site"] in failed
    ]
    return found, problems


def load_catalog(
    path: str | os.PathLike[str] | None = None,
    *,
    sites: str | os.PathLike[str] | None = None,
    region: RegionLike = None,
    country: str | None = None,
) -> gpd.GeoDataFrame:
    """Load, check and geocode a catalog of range claims.

    Parameters
    ----------
    path
        An events CSV file (UTF-8; see the module documentation for its
        columns); the bundled ``data/events.csv`` when omitted.
    sites, region, country
        How the ``site`` cells are looked up (a user sites CSV merged over the
        bundled table, where fallback answers are trusted, the expected
        country): see :func:`geo.as_site`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per claim, in file order, CRS EPSG:4326: the file's columns
        (``range_km`` as float, NaN when empty) plus ``site_name``, ``site_id``,
        ``lat``, ``lon``, ``precision_km``, ``site_match``, ``site_source``,
        ``located`` (bool) and ``geometry`` (the site as a Point, or None).
        Claims without a site are kept with ``located=False`` and NaN
        coordinates; they are never placed at a default point.

    Raises
    ------
    geo.errors.CatalogError
        Listing every bad cell at once (bad dates, negative or non-numeric
        ranges, unknown kinds, sites the gazetteer cannot resolve, duplicate
        claim ids, missing columns).

    Examples
    --------
    >>> cat = load_catalog()
    >>> len(cat), int(cat["located"].sum())
    (12, 3)
    >>> row = cat.set_index("claim_id").loc["r2-0202-range"]
    >>> row["site"], row["site_id"], float(row["range_km"]), row["range_kind"]
    ('Kim Chaek', 'kimchaek', 150.0, 'flown')
    """
    p = Path(path) if path is not None else data_path("events.csv")
    table = read_table(p, required=EVENT_COLUMNS)
    problems = _check_event_cells(table)
    found, site_problems = _geocode_sites(table, sites=sites, region=region, country=country)
    problems += site_problems
    if problems:
        problems.sort(
            key=lambda q: (q.line, table.header.index(q.column) if q.column in table.header else -1)
        )
        raise CatalogError(problems, summary=f"{len(problems)} problem(s) in {table.path}")

    extra = [c for c in table.header if c not in EVENT_COLUMNS and c not in OPTIONAL_EVENT_COLUMNS]
    if extra:
        log.debug("%s: keeping extra columns %s", table.path, extra)
    records: list[dict[str, Any]] = []
    geometry: list[Point | None] = []
    for _, row in table.rows:
        rec: dict[str, Any] = {c: row[c] for c in EVENT_COLUMNS}
        rec["range_km"] = float(row["range_km"]) if row["range_km"] else math.nan
        rec.update({c: row[c] for c in extra})
        site = found.get(row["site"]) if row["site"] else None
        given_name = row.get("site_name", "")
        rec.update(site_columns(site, name=given_name or None))
        geometry.append(None if site is None else Point(site.lon, site.lat))
        records.append(rec)
    columns = [*EVENT_COLUMNS, *extra, *SITE_COLUMNS, "located"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame["located"] = frame["located"].astype(bool)
    for col in ("range_km", "lat", "lon", "precision_km"):
        frame[col] = frame[col].astype(float)
    log.info(
        "%s: %d claims, %d located, %d with a range",
        table.path,
        len(frame),
        int(frame["located"].sum()),
        int(frame["range_km"].notna().sum()),
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"))


def write_events(events: pd.DataFrame, path: str | os.PathLike[str] | TextIO) -> None:
    """Write claims to an events CSV file (UTF-8, LF line ends) that :func:`load_catalog` reads.

    The columns :data:`EVENT_COLUMNS` come first, then ``site_name`` when
    present, then any other column of *events* that is not one of the columns
    :func:`load_catalog` adds (coordinates, ``located``, geometry).  Numbers are
    written as the shortest text that reads back exactly (``1380``, ``2111.5``).

    Parameters
    ----------
    events
        A frame with at least the :data:`EVENT_COLUMNS` (``range_km`` may be
        numeric, NaN for none).
    path
        The file to write, or an open text file (e.g. ``sys.stdout``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> cat = load_catalog()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = pathlib.Path(tmp) / "events.csv"
    ...     write_events(cat, out)
    ...     again = load_catalog(out)
    >>> again["claim_id"].tolist() == cat["claim_id"].tolist()
    True
    """
    missing = [c for c in EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise ValueError(f"write_events: the frame lacks the columns {missing}; see EVENT_COLUMNS")
    added = {*SITE_COLUMNS, "located", "geometry"}
    geometry_name = getattr(events, "_geometry_column_name", None)
    if geometry_name:
        added.add(geometry_name)
    columns = list(EVENT_COLUMNS)
    if "site_name" in events.columns and events["site_name"].notna().any():
        columns.append("site_name")
    columns += [c for c in events.columns if c not in columns and c not in added]
    if hasattr(path, "write"):
        _write_rows(path, events, columns)
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        _write_rows(fh, events, columns)


def _write_rows(fh: Any, events: pd.DataFrame, columns: list[str]) -> None:
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(columns)
    for rec in events[columns].itertuples(index=False, name=None):
        writer.writerow([_cell_text(col, v) for col, v in zip(columns, rec, strict=True)])


def _cell_text(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return _degrees(value)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, np.floating):
        return _cell_text(column, float(value))
    return str(value)


# --- missiles and targets -------------------------------------------------------------------


def load_missiles(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Load and check a missiles file (published range estimates per missile).

    Parameters
    ----------
    path
        A missiles CSV (columns :data:`MISSILE_COLUMNS`); the bundled
        ``data/missiles.csv`` when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per missile: ``name``, ``aliases`` (a tuple of strings),
        ``class``, ``range_min_km`` and ``range_max_km`` (floats), ``source``,
        ``note``.

    Raises
    ------
    geo.errors.CatalogError
        Listing every bad cell (unknown class, non-positive or non-numeric
        ranges, min above max, duplicate names or aliases, empty source).

    Examples
    --------
    >>> missiles = load_missiles()
    >>> row = missiles.set_index("name").loc["Hwasong-15"]
    >>> row["class"], float(row["range_max_km"]), row["aliases"]
    ('ICBM', 13000.0, ('KN-22',))
    """
    p = Path(path) if path is not None else data_path("missiles.csv")
    table = read_table(p, required=MISSILE_COLUMNS)
    problems: list[CatalogProblem] = []
    names: dict[str, int] = {}
    records: list[dict[str, Any]] = []
    for line, row in table.rows:
        bad = _RowCheck(table.path, line, row, problems).bad
        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
        if not row["name"]:
            bad("name", "a non-empty missile name")
        for col, text in [("name", row["name"]), *(("aliases", a) for a in aliases)]:
            if not text:
                continue
            key = text.casefold()
            if key in names:
                bad(
                    col,
                    f"a name or alias not already used (it is used on line {names[key]})",
                    value=text,
                )
            else:
                names[key] = line
        parts = row["class"].split("/")
        if not row["class"] or any(part not in MISSILE_CLASSES for part in parts):
            bad("class", "one of " + ", ".join(MISSILE_CLASSES) + " (several joined with '/')")
        lo = _positive_number(row["range_min_km"])
        hi = _positive_number(row["range_max_km"])
        if lo is None:
            bad("range_min_km", _NUMBER_HINT)
        if hi is None:
            bad("range_max_km", _NUMBER_HINT)
        if lo is not None and hi is not None and lo > hi:
            bad("range_max_km", f"a number not below range_min_km ({row['range_min_km']})")
        if not row["source"]:
            bad("source", "a non-empty source of the range estimate")
        records.append(
            {
                "name": row["name"],
                "aliases": aliases,
                "class": row["class"],
                "range_min_km": lo,
                "range_max_km": hi,
                "source": row["source"],
                "note": row["note"],
            }
        )
    return _checked_frame(
        table, problems, records, MISSILE_COLUMNS, floats=("range_min_km", "range_max_km")
    )


def load_targets(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Load and check a targets file (places a footprint may reach).

    Parameters
    ----------
    path
        A targets CSV (columns :data:`TARGET_COLUMNS`); the bundled
        ``data/targets.csv`` when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per target: ``id``, ``name``, ``lat``, ``lon`` (floats),
        ``kind``, ``country``.

    Raises
    ------
    geo.errors.CatalogError
        Listing every bad cell (duplicate ids, coordinates out of range or not
        numbers, unknown kind, a country that is not a two-letter code).

    Examples
    --------
    >>> targets = load_targets()
    >>> guam = targets.set_index("id").loc["andersen-afb"]
    >>> guam["kind"], guam["country"], float(guam["lat"])
    ('us base', 'GU', 13.584)
    """
    p = Path(path) if path is not None else data_path("targets.csv")
    table = read_table(p, required=TARGET_COLUMNS)
    problems: list[CatalogProblem] = []
    records: list[dict[str, Any]] = []
    for check in _rows_with_unique(
        table,
        problems,
        "id",
        empty="a non-empty target id, unique in the file",
        used="an id not already used",
    ):
        row, bad = check.row, check.bad
        if not row["name"]:
            bad("name", "a non-empty name")
        coords: dict[str, float] = {}
        for col, limit in (("lat", 90.0), ("lon", 180.0)):
            try:
                x = float(row[col])
            except ValueError:
                x = math.nan
            if not (math.isfinite(x) and -limit <= x <= limit):
                bad(col, f"a number of decimal degrees between -{limit:g} and {limit:g}")
            coords[col] = x
        if row["kind"] not in TARGET_KINDS:
            bad("kind", "one of " + ", ".join(TARGET_KINDS))
        if not re.fullmatch(r"[A-Z]{2}", row["country"]):
            bad("country", "an ISO 3166 alpha-2 country code such as KR, JP or US")
        records.append({**row, **coords})
    return _checked_frame(table, problems, records, TARGET_COLUMNS, floats=("lat", "lon"))


def _checked_frame(
    table: Table,
    problems: list[CatalogProblem],
    records: list[dict[str, Any]],
    columns: Sequence[str],
    *,
    floats: Sequence[str],
) -> pd.DataFrame:
    """The checked rows as a frame with float columns *floats*, or every problem at once."""
    if problems:
        raise CatalogError(problems, summary=f"{len(problems)} problem(s) in {table.path}")
    frame = pd.DataFrame.from_records(records, columns=list(columns))
    for col in floats:
        frame[col] = frame[col].astype(float)
    return frame
