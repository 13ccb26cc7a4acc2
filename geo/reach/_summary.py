"""What a footprint contains, in a few numbers: ReachSummary and reach_summary."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from geo.gazetteer import RegionLike
from geo.reach._cities import cities_in_range, population_by_country
from geo.reach._origin import _origin
from geo.reach._points import reach


@dataclass(frozen=True)
class ReachSummary:
    """What a footprint contains, in a few numbers (for a map popup or a report line).

    Attributes
    ----------
    site, lat, lon, range_km, min_range_km, bearing
        The site and the range specification.
    targets_total, targets_in_range
        How many targets were checked and how many are in range.
    target_names
        Names (or ids) of the targets in range, nearest first.
    cities_in_range, population
        Cities in range and their total population (``None`` when cities were not asked for).
    population_by_country
        ``(country code, country name, cities, population)``, largest population first.
    largest_cities
        Up to five ``(name, country code, population)``, largest first.
    city_source
        Which city list the numbers come from.
    site_precision_km
        How precisely the site is known (a gazetteer ``Site``'s ``precision_km``), or ``None``.
    uncertain_targets
        Targets whose distance is within ``site_precision_km`` of a range boundary
        (``|margin_km| <= site_precision_km``): their verdict depends on where
        exactly the launch point was, nearest to the boundary first.
    """

    site: str
    lat: float
    lon: float
    range_km: float
    min_range_km: float
    bearing: tuple[float, float] | None
    targets_total: int
    targets_in_range: int
    target_names: tuple[str, ...]
    cities_in_range: int | None = None
    population: int | None = None
    population_by_country: tuple[tuple[str, str, int, int], ...] = field(default=())
    largest_cities: tuple[tuple[str, str, int], ...] = field(default=())
    city_source: str | None = None
    site_precision_km: float | None = None
    uncertain_targets: tuple[str, ...] = field(default=())

    @classmethod
    def from_tables(
        cls,
        site: Any,
        range_km: float,
        table: pd.DataFrame,
        *,
        cities: pd.DataFrame | None = None,
        min_range_km: float = 0.0,
        bearing: Sequence[float] | None = None,
    ) -> ReachSummary:
        """Summarize tables already computed by :func:`reach` and :func:`cities_in_range`.

        Parameters
        ----------
        site, range_km, min_range_km, bearing
            The site and range the tables were computed for (as for :func:`reach`).
        table
            The output of :func:`reach` (with ``in_range`` and ``distance_km``).
        cities
            The output of :func:`cities_in_range`, or ``None``.

        Examples
        --------
        >>> import geo
        >>> t = geo.reach((40.0347, 128.1856), 1000)
        >>> geo.ReachSummary.from_tables((40.0347, 128.1856), 1000, t).targets_in_range
        4
        """
        o = _origin(site, range_km, min_range_km, bearing)
        inside = table[table["in_range"]].sort_values("distance_km", kind="stable")
        label = "name" if "name" in inside.columns else ("id" if "id" in inside.columns else None)
        names = tuple(str(v) for v in (inside[label] if label else inside.index))
        extra: dict[str, Any] = {"site_precision_km": o.precision_km}
        if o.precision_km is not None:
            close = table[table["margin_km"].abs() <= o.precision_km]
            close = close.iloc[np.argsort(close["margin_km"].abs().to_numpy(), kind="stable")]
            extra["uncertain_targets"] = tuple(
                str(v) for v in (close[label] if label else close.index)
            )
        if cities is not None:
            by_country = population_by_country(cities)
            extra |= {
                "cities_in_range": len(cities),
                "population": int(cities["population"].sum()),
                "population_by_country": tuple(
                    (str(c), str(n), int(k), int(p))
                    for c, n, k, p in by_country.itertuples(index=False)
                ),
                "largest_cities": tuple(
                    (str(n), str(c), int(p))
                    for n, c, p in cities[["name", "country", "population"]]
                    .head(5)
                    .itertuples(index=False)
                ),
                "city_source": cities.attrs.get("source"),
            }
        return cls(
            site=o.name,
            lat=o.lat,
            lon=o.lon,
            range_km=o.range_km,
            min_range_km=o.min_range_km,
            bearing=o.bearing,
            targets_total=len(table),
            targets_in_range=len(inside),
            target_names=names,
            **extra,
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as plain JSON-serializable Python values.

        Examples
        --------
        >>> import geo
        >>> s = geo.reach_summary((40.0347, 128.1856), 1500, cities=False)
        >>> s.as_dict()["targets_in_range"]
        8
        """
        return {
            "site": self.site,
            "lat": self.lat,
            "lon": self.lon,
            "range_km": self.range_km,
            "min_range_km": self.min_range_km,
            "bearing": None if self.bearing is None else list(self.bearing),
            "targets_total": self.targets_total,
            "targets_in_range": self.targets_in_range,
            "target_names": list(self.target_names),
            "cities_in_range": self.cities_in_range,
            "population": self.population,
            "population_by_country": [
                {"country": c, "country_name": n, "cities": k, "population": p}
                for c, n, k, p in self.population_by_country
            ],
            "largest_cities": [
                {"name": n, "country": c, "population": p} for n, c, p in self.largest_cities
            ],
            "city_source": self.city_source,
            "site_precision_km": self.site_precision_km,
            "uncertain_targets": list(self.uncertain_targets),
        }

    def lines(self) -> list[str]:
        """Return the summary as short plain-text lines (not escaped; escape before HTML).

        Examples
        --------
        >>> import geo
        >>> geo.reach_summary((40.0347, 128.1856), 1500, cities=False).lines()[0]
        '8 of 20 targets in range'
        """
        out = [f"{self.targets_in_range} of {self.targets_total} targets in range"]
        if self.uncertain_targets:
            out.append(
                f"within the site's precision (±{self.site_precision_km:g} km) of the range, "
                "so depending on the exact launch point: " + ", ".join(self.uncertain_targets)
            )
        if self.cities_in_range is not None and self.population is not None:
            out.append(f"{self.cities_in_range:,} cities in range, population {self.population:,}")
            top = ", ".join(f"{n} {p:,}" for _, n, _, p in self.population_by_country[:3])
            if top:
                out.append(f"by country: {top}")
        return out

    def _repr_html_(self) -> str:
        """Jupyter display: the summary as a small table, every string escaped."""
        reach_text = f"{self.range_km:,.6g} km"
        if self.min_range_km:
            reach_text = f"{self.min_range_km:,.6g} to {reach_text}"
        if self.bearing:
            reach_text += f", bearings {self.bearing[0]:g} to {self.bearing[1]:g} deg"
        names = ", ".join(self.target_names[:8])
        if len(self.target_names) > 8:
            names += f" and {len(self.target_names) - 8} more"
        rows = [
            ("site", f"{self.site} ({self.lat:.4f}, {self.lon:.4f})"),
            ("range", reach_text),
            ("targets in range", f"{self.targets_in_range} of {self.targets_total}: {names}"),
        ]
        if self.uncertain_targets:
            rows.append(
                (
                    f"within ±{self.site_precision_km:g} km (site precision)",
                    ", ".join(self.uncertain_targets),
                )
            )
        if self.cities_in_range is not None and self.population is not None:
            rows.append(
                ("cities in range", f"{self.cities_in_range:,}, population {self.population:,}")
            )
            top = ", ".join(f"{n} {p:,}" for _, n, _, p in self.population_by_country[:3])
            if top:
                rows.append(("by country", top))
        body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
        return f'<table class="georange-reach-summary">{body}</table>'


def reach_summary(
    site: Any,
    range_km: float,
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    targets: Any = None,
    cities: bool = True,
    min_city_population: int = 15000,
    sites: str | os.PathLike[str] | None = None,
    region: RegionLike = None,
    country: str | None = None,
) -> ReachSummary:
    """Summarize what a footprint contains: targets in range, cities and population.

    Parameters
    ----------
    site, range_km, min_range_km, bearing, targets, sites, region, country
        As for :func:`reach`.
    cities
        Also count the world cities in range and their population.
    min_city_population
        Which GeoNames list to use (see :func:`load_cities`).

    Returns
    -------
    ReachSummary

    Examples
    --------
    >>> import geo
    >>> s = geo.reach_summary((40.0347, 128.1856), 1500)
    >>> s.targets_in_range, s.target_names[:2], s.population > 100_000_000
    (8, ('Seoul', 'Osan Air Base'), True)
    """
    o = _origin(site, range_km, min_range_km, bearing, sites=sites, region=region, country=country)
    table = reach(o, o.range_km, targets=targets, min_range_km=o.min_range_km, bearing=o.bearing)
    found = None
    if cities:
        found = cities_in_range(
            o,
            o.range_km,
            min_range_km=o.min_range_km,
            bearing=o.bearing,
            min_city_population=min_city_population,
        )
    return ReachSummary.from_tables(
        o, o.range_km, table, cities=found, min_range_km=o.min_range_km, bearing=o.bearing
    )
