"""What every format writes beside the geometry: checked input, plain values, classes, ids."""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.catalog import load_missiles
from geo.errors import ExportError


def _plain(value: Any) -> Any:
    """A JSON/XML-ready Python value (None for missing)."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return None if math.isnan(v) else v
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


_CLASS_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("SLV", ("space launch", "satellite", "slv")),
    ("ICBM", ("intercontinental", "icbm")),
    ("IRBM", ("intermediate-range", "intermediate range", "irbm")),
    ("MRBM", ("medium-range", "medium range", "mrbm")),
    ("SLBM", ("submarine-launched ballistic", "slbm")),
    ("SRBM", ("short-range ballistic", "short range ballistic", "srbm")),
    ("HGV", ("hypersonic glide", "hgv")),
    ("cruise", ("cruise",)),
)


def missile_class(missile: Any, missiles: pd.DataFrame | None = None) -> str:
    """The class a catalog's missile text belongs to, for colouring: never a guess.

    An exact (case-insensitive) match of a name or alias in the missiles table
    gives its class; otherwise a class named in the text ("intermediate-range",
    "cruise", "ICBM", ...); otherwise ``"unclassified"``.

    Parameters
    ----------
    missile
        The missile as the catalog reports it.
    missiles
        A frame from :func:`geo.load_missiles` (the bundled table when omitted).

    Examples
    --------
    >>> missile_class("KN-22"), missile_class("unidentified cruise missile")
    ('ICBM', 'cruise')
    >>> missile_class("intermediate-range hypersonic ballistic missile"), missile_class("")
    ('IRBM', 'unclassified')
    """
    text = "" if _plain(missile) is None else str(missile).strip()
    if not text:
        return "unclassified"
    if missiles is None:
        missiles = load_missiles()
    key = text.casefold()
    for rec in missiles.to_dict("records"):
        names = [str(rec["name"]), *(str(a) for a in rec["aliases"])]
        if any(n.casefold() == key for n in names):
            return str(rec["class"])
    for cls, words in _CLASS_WORDS:
        if any(w in key for w in words):
            return cls
    return "unclassified"


def _with_class(frame: pd.DataFrame) -> list[str]:
    if "missile_class" in frame.columns:
        return [str(c) for c in frame["missile_class"]]
    if "class" in frame.columns:
        return [str(c) for c in frame["class"]]
    if "missile" not in frame.columns:
        return ["unclassified"] * len(frame)
    table = load_missiles()
    return [missile_class(m, table) for m in frame["missile"]]


def _check_footprints(footprints: Any) -> gpd.GeoDataFrame:
    if not isinstance(footprints, gpd.GeoDataFrame):
        raise ExportError(
            f"footprints must be a GeoDataFrame (from geo.claim_footprints, geo.footprints or "
            f"geo.export.site_footprints), not {type(footprints).__name__}"
        )
    if "tolerance_m" not in footprints.columns:
        raise ExportError(
            "the footprints lack a 'tolerance_m' column; make them with geo.footprints or "
            "geo.claim_footprints, which record the tolerance of each footprint"
        )
    bad = [
        i
        for i, g in enumerate(footprints.geometry)
        if g is not None and not g.is_empty and g.geom_type not in ("Polygon", "MultiPolygon")
    ]
    if bad:
        raise ExportError(
            f"row {bad[0]}: geometry is a {footprints.geometry.iloc[bad[0]].geom_type}, not a "
            "footprint polygon; pass footprints, not sites"
        )
    return footprints


def _attribute_columns(frame: pd.DataFrame) -> list[str]:
    geometry_name = getattr(frame, "_geometry_column_name", "geometry")
    return [str(c) for c in frame.columns if c != geometry_name]


def _feature_id(row: dict[str, Any], index: int) -> str:
    cid = row.get("claim_id")
    return str(cid) if cid not in (None, "") else f"footprint-{index}"


def _site_key(rec: dict[str, Any]) -> tuple[Any, ...]:
    sid = _plain(rec.get("site_id"))
    if sid:
        return ("id", sid)
    return ("point", _plain(rec.get("site_name")), _plain(rec.get("lat")), _plain(rec.get("lon")))


def _site_label(rec: dict[str, Any]) -> str:
    return str(_plain(rec.get("site_name")) or _plain(rec.get("site")) or "site")
