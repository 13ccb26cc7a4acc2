"""The reach summary of a footprint's popup (targets and cities in range) and date texts."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from geo.footprint import WHOLE_GLOBE_KM, DisplayFootprint
from geo.reach import cities_in_range


def _tolerance_text(tolerance_m: float) -> str:
    return f"boundary within {tolerance_m:,.3g} m of the true geodesic range"


@functools.lru_cache(maxsize=2048)
def _city_reach(
    lat: float,
    lon: float,
    range_km: float,
    min_range_km: float,
    bearing: tuple[float, float] | None,
) -> tuple[int, int]:
    """(cities of 15,000+ people in range, their population), exact verdicts (geo.reach)."""
    cities = cities_in_range((lat, lon), range_km, min_range_km=min_range_km, bearing=bearing)
    return len(cities), int(cities["population"].sum())


def _by_azimuth(table: pd.DataFrame, range_km_at: Callable[[Any], Any]) -> pd.DataFrame:
    """Verdicts of a reach table (from the largest range) redone for a range by azimuth,
    capped at WHOLE_GLOBE_KM per bearing as the footprint is."""
    out = table.copy()
    bearing = out["bearing_deg"].fillna(0.0).to_numpy(dtype=float)
    limit = np.minimum(np.asarray(range_km_at(bearing), dtype=float), WHOLE_GLOBE_KM)
    out["margin_km"] = limit - out["distance_km"].to_numpy(dtype=float)
    out["in_range"] = out["margin_km"] >= 0.0
    return out


def _reach_rows(
    d: DisplayFootprint,
    verdict: pd.DataFrame | None,
    *,
    range_km_at: Callable[[Any], Any] | None = None,
) -> list[tuple[str, str]]:
    """The reach summary of a footprint's popup: targets and cities in range."""
    rows: list[tuple[str, str]] = []
    if verdict is not None and len(verdict):
        inside = verdict[verdict["in_range"]].sort_values("distance_km")
        names = [str(n) for n in inside.get("name", inside.index)]
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        rows.append(
            (
                "targets in range",
                f"{len(inside)} of {len(verdict)}" + (f": {shown}" if names else ""),
            )
        )
    if range_km_at is None:
        n_cities, population = _city_reach(d.lat, d.lon, d.range_km, d.min_range_km, d.bearing)
    else:
        cities = _by_azimuth(cities_in_range((d.lat, d.lon), d.range_km), range_km_at)
        inside = cities[cities["in_range"]]
        n_cities, population = len(inside), int(inside["population"].sum())
    rows.append(
        (
            "cities in range",
            f"{n_cities:,} of 15,000+ people, population {population:,} (GeoNames)",
        )
    )
    return rows


def _date_key(date: Any) -> str | None:
    text = "" if date is None or (isinstance(date, float) and math.isnan(date)) else str(date)
    return text if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text) else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _date_text(date: Any, precision: Any) -> str:
    """A catalog date as plain text (escaped later, where it is placed)."""
    if _blank(date):
        return "unknown"
    text = str(date)
    p = "" if _blank(precision) else str(precision)
    if text.startswith("--"):
        return f"{text[2:]} (year uncertain)"
    return f"{text} ({p})" if p and p != "day" else text
