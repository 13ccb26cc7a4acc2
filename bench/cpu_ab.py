"""The work of bench/footprint.py and bench/build.py in CPU seconds, against several source trees.

    .venv/bin/python bench/cpu_ab.py old=/tmp/bench-old new=/tmp/bench-new [--rounds 5]

Each tree is a checkout of georange (``git worktree add /tmp/bench-old a44306e``); its code is
imported through ``PYTHONPATH``, the interpreter and libraries are this one's.  Round after
round, in an order rotated every round, each tree runs the same work in a fresh process:

- in process (``time.process_time``, median of ``--repeat`` calls after one warm-up):
  ``geo.footprints`` of bench/footprint.py's 1,000 random sites (seed 0) at 150, 1,500, 5,000
  and 13,000 km, ``geo.footprint`` over the first 300 of them (per footprint), one batched
  ``Geod.fwd`` of 360 vertices per site (the floor: the same pyproj in every tree, so its
  ratio says how much the machine moved), and ``geo.build_maps`` of the bundled catalog and
  of one CNS import (made once, by the first tree, so every tree draws the same claims);
- as commands (user + system CPU seconds of the child): ``georange --help`` (start-up),
  ``georange build`` of the bundled catalog and of that CNS import, ``georange import-cns``.

CPU seconds, unlike wall time, do not count the time other jobs hold the cores, so on a shared
machine they compare trees far more steadily; the floor row shows what noise remains.  Prints
each row's median per tree and its ratio to the first tree.  ``--engine-only --ranges 13000``
times only the footprint rows at the ranges given (a quick, focused repeat).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timing import median_seconds

ROOT = Path(__file__).resolve().parent.parent
CNS = ROOT.parent / "shared" / "data" / "cns_nk_missile_test_database_2023-04.csv"
GEORANGE = str(Path(sys.executable).parent / "georange")
RANGES = (150.0, 1500.0, 5000.0, 13000.0)


def cpu_median(fn: Callable[[], Any], repeat: int) -> float:
    """Median CPU seconds of ``fn()`` over *repeat* calls, after one untimed call."""
    return median_seconds(fn, repeat, warm_up=True, clock=time.process_time)


def worker(repeat: int, events: str, ranges: list[float], engine_only: bool) -> dict[str, float]:
    """The in-process rows, in the tree on ``sys.path`` (run with PYTHONPATH set)."""
    import numpy as np
    import pandas as pd
    from pyproj import Geod

    import geo

    n, k = 1000, 300
    rng = np.random.default_rng(0)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    lon = rng.uniform(-180, 180, n)
    az = np.tile(np.linspace(360.0, 0.0, 360, endpoint=False), n)
    lat_r, lon_r = np.repeat(lat, 360), np.repeat(lon, 360)
    geod = Geod(ellps="WGS84")
    rows: dict[str, float] = {}
    for r in ranges:
        frame = pd.DataFrame({"lat": lat, "lon": lon, "range_km": r})
        dist = np.full(az.size, r * 1000.0)
        rows[f"footprints, 1,000 sites, {r:,.0f} km"] = cpu_median(
            lambda f=frame: geo.footprints(f), repeat
        )
        rows[f"footprint x 300 sites, {r:,.0f} km"] = cpu_median(
            lambda r=r: [geo.footprint(lat[i], lon[i], r) for i in range(k)], repeat
        )
        rows[f"floor: Geod.fwd 360 x 1,000, {r:,.0f} km"] = cpu_median(
            lambda d=dist: geod.fwd(lon_r, lat_r, az, d), repeat
        )
    if engine_only:
        return rows
    rows["build_maps, bundled catalog"] = cpu_median(lambda: geo.build_maps(None), repeat)
    rows["build_maps, CNS import"] = cpu_median(lambda: geo.build_maps(events), max(repeat // 2, 1))
    return rows


def child_cpu(args: list[str], env: dict[str, str]) -> float:
    """User + system CPU seconds of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, env=env, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def commands(env: dict[str, str], events: str, tmp: Path) -> dict[str, float]:
    out = str(tmp / "maps")
    return {
        "georange --help (start-up)": child_cpu([GEORANGE, "--help"], env),
        "georange build, bundled catalog": child_cpu([GEORANGE, "-q", "build", "-o", out], env),
        "georange build, CNS import": child_cpu([GEORANGE, "-q", "build", events, "-o", out], env),
        "georange import-cns": child_cpu(
            [GEORANGE, "import-cns", str(CNS), "-o", str(tmp / "cns.csv")], env
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("trees", nargs="*", help="NAME=PATH of a georange checkout")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ranges", type=float, nargs="+", default=list(RANGES), metavar="KM")
    parser.add_argument(
        "--engine-only", action="store_true", help="only the footprint rows (no maps, no commands)"
    )
    parser.add_argument("--worker", metavar="EVENTS", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.worker:
        print(json.dumps(worker(opts.repeat, opts.worker, opts.ranges, opts.engine_only)))
        return
    trees = dict(t.split("=", 1) for t in opts.trees)
    names = list(trees)
    results: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        events = str(tmp / "cns-events.csv")
        first = {**os.environ, "PYTHONPATH": trees[names[0]]}
        subprocess.run([GEORANGE, "import-cns", str(CNS), "-o", events], env=first, check=True)
        for rnd in range(opts.rounds):
            for name in names[rnd % len(names) :] + names[: rnd % len(names)]:
                env = {**os.environ, "PYTHONPATH": trees[name]}
                args = [sys.executable, __file__, "--worker", events, "--repeat", str(opts.repeat)]
                args += ["--ranges", *map(str, opts.ranges)]
                args += ["--engine-only"] if opts.engine_only else []
                done = subprocess.run(args, env=env, check=True, capture_output=True, text=True)
                rows = json.loads(done.stdout)
                if not opts.engine_only:
                    rows |= commands(env, events, tmp)
                for row, value in rows.items():
                    results.setdefault(row, {}).setdefault(name, []).append(value)
                load = os.getloadavg()[0]
                print(f"round {rnd + 1} {name} done, load {load:.1f}", file=sys.stderr)
    print(f"CPU seconds, median of {opts.rounds} rounds; ratio to {names[0]}")
    print(
        f"{'row':44s}"
        + "".join(f"{n:>10s}" for n in names)
        + "".join(f"{n + '/' + names[0]:>12s}" for n in names[1:])
    )
    for row, per_tree in results.items():
        med = [statistics.median(per_tree[n]) for n in names]
        print(
            f"{row:44s}"
            + "".join(f"{m:10.3f}" for m in med)
            + "".join(f"{m / med[0]:12.3f}" for m in med[1:])
        )


if __name__ == "__main__":
    main()
