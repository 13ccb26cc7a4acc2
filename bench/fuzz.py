"""Time per fuzz case: the engine on the fuzz's random requests, judged by the oracle.

    PYTHONPATH=$PWD .venv/bin/python bench/fuzz.py [--cases 10000] [--seed 0]

Draws the cases of tests/footprint/test_fuzz.py (tests/footprint/fuzzcases.py, from numpy's
generator with the seed instead of hypothesis), times ``geo.footprint`` on each (the oracle's
time is not counted), judges each answer with tests/footprint/oracle.py, and prints the
distribution of the engine's time per case (median, p90, p99, max), the slowest cases and the
failures.  The baseline in the same run is a plain 1,500 km disk, timed between the cases:
the ratios to it say how much a random case costs whatever the machine's load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

# tests/ in place of bench/: bench/footprint.py would shadow the tests' footprint folder
sys.path[0] = str(Path(__file__).resolve().parent.parent / "tests")

from footprint.fuzzcases import N_UNIFORMS, case_from, footprint_of  # noqa: E402
from footprint.oracle import judge  # noqa: E402

import geo  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    times, base, slow, failures = [], [], [], []
    for i in range(args.cases):
        case, _ = case_from(rng.uniform(size=N_UNIFORMS))
        t0 = time.perf_counter()
        geom = footprint_of(case)
        times.append(time.perf_counter() - t0)
        slow.append((times[-1], i, case))
        verdict = judge(case, geom)
        if not verdict.ok:
            failures.append((i, case, verdict))
        if i % 20 == 0:
            t0 = time.perf_counter()
            geo.footprint(40.0, 128.0, 1500)
            base.append(time.perf_counter() - t0)
    t = np.asarray(times) * 1e3
    b = statistics.median(base) * 1e3
    print(f"{args.cases} cases (seed {args.seed}); baseline: a 1,500 km disk, {b:.2f} ms")
    print(f"{'':>8} {'ms':>10} {'x baseline':>11}")
    for name, q in (("median", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0)):
        v = float(np.quantile(t, q))
        print(f"{name:>8} {v:>10.2f} {v / b:>11.1f}")
    print(f"total {t.sum() / 1e3:.1f} s; failures {len(failures)}")
    for dt, i, case in sorted(slow, key=lambda x: x[0], reverse=True)[:5]:
        print(f"  slow: case {i} {dt * 1e3:.0f} ms {case}")
    for i, case, verdict in failures[:20]:
        print(f"  FAIL: case {i} {case} {verdict}")


if __name__ == "__main__":
    main()
