"""Benchmark: standard-trajectory range of a lofted test, and its range by azimuth.

Run from the repository root::

    .venv/bin/python bench/lofted.py [--repeat 21]

Times, medians of ``--repeat`` runs:

* one ``geo.standard_trajectory_range`` (Hwasong-15, 2017-11-29 figures) on a non-rotating
  Earth, and one along a bearing from Pyongyang on the rotating Earth (target < 5 ms);
* ``geo.standard_range_by_azimuth`` over 720 bearings, the ranges a rotating footprint needs
  (target: a whole rotating footprint < 100 ms later);

against a baseline measured in the same run: one ``pyproj.Geod.fwd`` call of 720 points (the
vertices of a plain 720-vertex ring). Benchmarks never run as timed tests.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from pyproj import Geod

import geo

HS15 = (4475.0, 950.0, 3180.0)
PYONGYANG = (39.0339, 125.7543)


def median_s(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    geod = Geod(ellps="WGS84")
    bearings = np.arange(0.0, 360.0, 0.5)
    lats = np.full(bearings.size, PYONGYANG[0])
    lons = np.full(bearings.size, PYONGYANG[1])
    dist = np.full(bearings.size, 13_000e3)
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("Geod.fwd, 720 points (baseline)", lambda: geod.fwd(lons, lats, bearings, dist)),
        ("standard_trajectory_range, non-rotating", lambda: geo.standard_trajectory_range(*HS15)),
        (
            "standard_trajectory_range, rotating, one bearing",
            lambda: geo.standard_trajectory_range(*HS15, site=PYONGYANG, azimuth_deg=45.0),
        ),
        (
            "standard_range_by_azimuth, 720 bearings, central",
            lambda: geo.standard_range_by_azimuth(PYONGYANG, *HS15, azimuth_deg=bearings),
        ),
        (
            "standard_range_by_azimuth, 720 bearings, low",
            lambda: geo.standard_range_by_azimuth(
                PYONGYANG, *HS15, azimuth_deg=bearings, level="low"
            ),
        ),
    ]
    base = None
    print(f"{'case':52s} {'median':>10s} {'x baseline':>11s}")
    for name, fn in cases:
        t = median_s(fn, args.repeat)
        base = base or t
        print(f"{name:52s} {t * 1e3:8.3f} ms {t / base:10.1f}x")


if __name__ == "__main__":
    main()
