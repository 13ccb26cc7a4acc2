"""The facility layer: CNS facility points and OurAirports' North Korean airfields.

Two bundled tables stand between the curated sites and the town gazetteer:

- ``data/cns_facilities.csv``: facility points derived from the CNS database, with the
  precision the data README assigns (2 km for an installation ... 10 km for a county);
- ``data/kp_airports.csv``: the North Korean rows of OurAirports (snapshot in the file),
  airfields only (heliports left out), each given :data:`AIRFIELD_PRECISION_KM`.

An airfield row answers only a phrase with an airfield word ("Uiju airfield"): a bare
"Uiju" is the town, never the airfield (see ``_resolve``).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import replace

from geo.gazetteer._site import Site
from geo.gazetteer._table import _read_sites_csv
from geo.resources import data_path

#: Precision given to an OurAirports point: the reference point of a field whose
#: runways run 2-3 km (OurAirports gives no uncertainty).
AIRFIELD_PRECISION_KM = 2.0

_AIRFIELD_TYPES = {
    "small_airport": "airfield",
    "medium_airport": "airfield",
    "large_airport": "airfield",
    "closed": "airfield (closed)",
}


@functools.cache
def cns_sites() -> tuple[Site, ...]:
    """The CNS-derived facility rows (country ``KP``).

    Examples
    --------
    >>> next(s for s in cns_sites() if s.id == "cns-koksan").precision_km
    5.0
    """
    rows = _read_sites_csv(data_path("cns_facilities.csv"), bundled=True)
    return tuple(replace(s, country=s.country or "KP") for s in rows)


@functools.cache
def airfield_sites() -> tuple[Site, ...]:
    """The OurAirports airfields of North Korea (heliports left out).

    Examples
    --------
    >>> uiju = next(s for s in airfield_sites() if s.name == "Uiju Airport")
    >>> uiju.kind, uiju.admin1, uiju.precision_km
    ('airfield', 'KP-03', 2.0)
    """
    out: list[Site] = []
    with data_path("kp_airports.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            kind = _AIRFIELD_TYPES.get(row["type"])
            if kind is None:
                continue
            aliases = tuple(k.strip() for k in (row.get("keywords") or "").split(",") if k.strip())
            out.append(
                Site(
                    id=f"ourairports-{row['ident'].lower()}",
                    name=row["name"],
                    lat=float(row["latitude_deg"]),
                    lon=float(row["longitude_deg"]),
                    precision_km=AIRFIELD_PRECISION_KM,
                    kind=kind,
                    source=(
                        f"OurAirports {row['ident']} (public domain, snapshot {row['snapshot']})"
                    ),
                    match="name",
                    query=row["name"],
                    aliases=tuple(a for a in aliases if not a.upper().startswith("K-")),
                    note=f"municipality: {row['municipality']}" if row["municipality"] else "",
                    country="KP",
                    admin1=row["iso_region"],
                )
            )
    return tuple(out)
