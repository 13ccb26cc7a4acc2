"""Score ``geo.geocode`` on a corpus of place phrases written the way reports write them.

Usage::

    python bench/geocode_phrases.py [--corpus CSV] [--region REGION ...] [-v]

The corpus (default ``tests/data/gazetteer/phrases_world.csv``) has the columns ``phrase``,
``country`` (the report's country context, ISO 3166-1 alpha-2, or empty) and ``expect``, one of

- ``site:<id>`` — the answer must be the row ``<id>`` of the bundled tables;
- ``point:<lat>,<lon>,<max_km>`` — the answer must lie within ``max_km`` of the point
  (geodesic distance on WGS84);
- ``province:<ISO 3166-2>`` — the answer must be that province (a province-level answer);
- ``refuse:<fragment>`` — ``geocode`` must raise a ``GeorangeError``; any answer fails.  Whether
  the message names the fragment is counted separately ("named").

Rows are grouped as refusals (``refuse:``), Korea (context ``KP`` or ``KR``) and outside Korea.
``country`` is passed to ``geocode`` only when its signature takes a ``country`` argument; each
``--region`` (default: the default region, and ``world`` when ``geocode`` takes ``region``) is
scored separately.  ``-v`` lists every failing row with what came back.
"""

from __future__ import annotations

import argparse
import csv
import inspect
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyproj import Geod

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geo  # noqa: E402
from geo.errors import GeorangeError  # noqa: E402

DEFAULT_CORPUS = ROOT / "tests" / "data" / "gazetteer" / "phrases_world.csv"
GEOD = Geod(ellps="WGS84")
GROUPS = ("Korea", "outside Korea", "refusals")


@dataclass(frozen=True)
class Row:
    line: int
    phrase: str
    country: str
    expect: str
    note: str

    @property
    def group(self) -> str:
        if self.expect.startswith("refuse:"):
            return "refusals"
        return "Korea" if self.country.upper() in ("KP", "KR") else "outside Korea"


def read_corpus(path: Path) -> list[Row]:
    """The corpus rows; a malformed ``expect`` stops the run with its line number."""
    rows: list[Row] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for record in reader:
            row = Row(
                reader.line_num,
                record["phrase"],
                (record.get("country") or "").strip(),
                record["expect"].strip(),
                record.get("note") or "",
            )
            kind, _, value = row.expect.partition(":")
            ok = kind in ("site", "province", "refuse") and bool(value)
            if kind == "point":
                try:
                    lat, lon, max_km = (float(v) for v in value.split(","))
                    ok = -90 <= lat <= 90 and -180 <= lon <= 180 and max_km > 0
                except ValueError:
                    ok = False
            if not ok:
                raise SystemExit(
                    f"{path}:{row.line}: expect {row.expect!r} is not site:<id>, "
                    "point:<lat>,<lon>,<max_km>, province:<code> or refuse:<fragment>"
                )
            rows.append(row)
    return rows


def _province_of(site: Any) -> str | None:
    for name in ("province", "admin1", "iso_3166_2"):
        value = getattr(site, name, None)
        if isinstance(value, str) and value:
            return value
    return None


def judge(row: Row, site: Any, error: GeorangeError | None) -> tuple[bool, bool, str]:
    """``(passed, named, what came back)`` for one row; ``named`` only matters for refusals."""
    kind, _, value = row.expect.partition(":")
    if error is not None:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        if kind == "refuse":
            return True, value.casefold() in str(error).casefold(), f"refused: {message[:120]}"
        return False, False, f"refused: {message[:120]}"
    shown = (
        f"{site.id} {site.name!r} ({site.lat:.4f}, {site.lon:.4f}) "
        f"±{site.precision_km:g} km match={site.match}"
    )
    if kind == "refuse":
        return False, False, f"answered {shown}"
    if kind == "site":
        return site.id == value, False, shown
    if kind == "province":
        got = _province_of(site)
        return got == value or site.id == value, False, f"{shown} province={got}"
    lat, lon, max_km = (float(v) for v in value.split(","))
    dist_km = GEOD.inv(lon, lat, site.lon, site.lat)[2] / 1000
    return dist_km <= max_km, False, f"{shown}, {dist_km:.1f} km from the expected point"


def score(rows: list[Row], *, region: str | None, verbose: bool) -> dict[str, Counter[str]]:
    """Run every phrase once with *region* and count passes per group."""
    params = inspect.signature(geo.geocode).parameters
    counts: dict[str, Counter[str]] = {g: Counter() for g in GROUPS}
    failures: list[str] = []
    for row in rows:
        kwargs: dict[str, Any] = {}
        if region is not None:
            kwargs["region"] = region
        if "country" in params and row.country:
            kwargs["country"] = row.country
        site, error = None, None
        try:
            site = geo.geocode(row.phrase, **kwargs)
        except GeorangeError as exc:
            error = exc
        passed, named, got = judge(row, site, error)
        c = counts[row.group]
        c["rows"] += 1
        c["pass"] += passed
        c["named"] += named
        if not passed:
            failures.append(
                f"  line {row.line} [{row.group}] {row.phrase!r} -> {got}; want {row.expect}"
            )
    label = "default region" if region is None else f"region={region!r}"
    total = Counter[str]()
    for c in counts.values():
        total.update(c)
    country = "with" if "country" in params else "without"
    print(f"{label} ({country} country context): {total['pass']}/{total['rows']} pass")
    for group in GROUPS:
        c = counts[group]
        extra = f" (message names the fragment: {c['named']})" if group == "refusals" else ""
        print(f"  {group:14s} {c['pass']:3d}/{c['rows']:<3d}{extra}")
    if verbose and failures:
        print("failures:")
        print("\n".join(failures))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="phrase corpus CSV")
    parser.add_argument(
        "--region",
        action="append",
        help="region passed to geocode (repeatable); 'default' for none. "
        "Default: the default region, then 'world' if geocode takes a region",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list failing rows")
    args = parser.parse_args(argv)
    rows = read_corpus(args.corpus)
    if args.region:
        regions = [None if r == "default" else r for r in args.region]
    else:
        regions = [None]
        if "region" in inspect.signature(geo.geocode).parameters:
            regions.append("world")
    print(
        f"{args.corpus.name}: {len(rows)} phrases, "
        + ", ".join(f"{g} {sum(r.group == g for r in rows)}" for g in GROUPS)
    )
    for region in regions:
        score(rows, region=region, verbose=args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
