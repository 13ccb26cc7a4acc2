"""Run the extractor on third-party prose: the CNS database's "Additional Information" notes.

Usage::

    python bench/extract_cns.py [CNS_CSV] [--verbose]
    python bench/extract_cns.py --nagix [--verbose]   # notes of the tests after April 2023

CNS_CSV defaults to ``../shared/data/cns_nk_missile_test_database_2023-04.csv`` (a local
reference copy that the project never ships; the script says so and exits when it is absent).
Each distinct note is a small report written by analysts, not by us.  For every flown range
extracted from a note we compare it with the row's "Distance Travelled" (agreement within 5% or
10 km) and every located site with the row's facility coordinates (agreement within 50 km,
by ``Geod.inv``).  Disagreement is not always an error: a note often quotes several claimants
(Japan's number beside South Korea's) while the row keeps one, so ``--verbose`` lists each
disagreement with its words for a reader to judge.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyproj import Geod  # noqa: E402

from geo.extract import extract_claims  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "cns_nk_missile_test_database_2023-04.csv"
NAGIX = ROOT.parent / "shared" / "data" / "nagix_test.en.json"


def _km(text: str) -> float | None:
    m = re.match(r"\s*([\d,]+(?:\.\d+)?)\s*km", text or "")
    return float(m.group(1).replace(",", "")) if m else None


def nagix_notes(path: Path, *, since: str = "2023-04-13") -> list[dict[str, object]]:
    """Rows of the nagix continuation (tests after the CNS copy ends), with their notes."""
    import json

    doc = json.loads(path.read_text(encoding="utf-8"))
    facilities = json.loads(path.with_name("nagix_facility.en.json").read_text(encoding="utf-8"))[
        "facilities"
    ]
    out = []
    for row in (x for b in doc["timeBins"] for x in b["data"]):
        fac = facilities.get(row.get("facility"), {})
        if row["date"] < since:
            continue
        out.append(
            {
                "Date": row["date"],
                "Additional Information": row.get("description") or "",
                "Distance Travelled": f"{row.get('distance')} km",
                "Facility Name": fac.get("name", ""),
                "Facility Latitude": str(fac.get("lat", "")),
                "Facility Longitude": str(fac.get("lon", "")),
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--verbose", action="store_true", help="list each disagreement")
    ap.add_argument(
        "--nagix",
        action="store_true",
        help=f"use the notes of tests after April 2023 from {NAGIX.name} instead",
    )
    args = ap.parse_args(argv)
    source = NAGIX if args.nagix else args.csv
    if not source.is_file():
        print(f"{source} is absent: this check needs a local copy of the reference data")
        return 0
    geod = Geod(ellps="WGS84")
    if args.nagix:
        rows = nagix_notes(NAGIX)
    else:
        with args.csv.open(encoding="cp1252", newline="") as fh:
            rows = list(csv.DictReader(fh))
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    range_ok = range_bad = range_unknown = 0
    site_ok = site_bad = 0
    for row in rows:
        note = str(row.get("Additional Information") or "").strip()
        if not note or note in seen:
            continue
        seen.add(note)
        distance = _km(str(row.get("Distance Travelled", "")))
        try:
            flat, flon = float(str(row["Facility Latitude"])), float(str(row["Facility Longitude"]))
        except (KeyError, ValueError):
            flat = flon = None
        for claim in extract_claims(note):
            kinds[claim.range_kind or "(no range)"] += 1
            if claim.range_kind == "flown" and claim.range_km is not None:
                if distance is None:
                    range_unknown += 1
                elif abs(claim.range_km - distance) <= max(10.0, 0.05 * distance):
                    range_ok += 1
                else:
                    range_bad += 1
                    if args.verbose:
                        ev = claim.evidence["range_km"]
                        ctx = note[max(0, ev.start - 90) : ev.end + 30].replace("\n", " ")
                        print(f"  range {row['Date']}: {claim.range_km:g} vs {distance:g}:")
                        print(f"    ...{ctx}...")
            if claim.lat is not None and flat is not None and claim.lon is not None:
                _, _, d_m = geod.inv(claim.lon, claim.lat, flon, flat)
                if d_m <= 50_000:
                    site_ok += 1
                else:
                    site_bad += 1
                    if args.verbose:
                        print(
                            f"  site {row['Date']}: {claim.site!r} is {d_m / 1000:.0f} km from "
                            f"the row's {row['Facility Name']!r}"
                        )
    print(f"{len(seen)} distinct notes, claims by kind: {dict(sorted(kinds.items()))}")
    total = range_ok + range_bad
    print(
        f"flown ranges vs 'Distance Travelled': {range_ok}/{total} agree"
        + (f" ({range_ok / total:.3f})" if total else "")
        + f", {range_unknown} on rows without a distance"
    )
    total = site_ok + site_bad
    print(
        f"located sites vs the row's facility: {site_ok}/{total} within 50 km"
        + (f" ({site_ok / total:.3f})" if total else "")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
