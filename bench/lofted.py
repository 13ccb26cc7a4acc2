"""Benchmark: standard-trajectory range of a lofted test, and its range by azimuth.

Run from the repository root::

    .venv/bin/python bench/lofted.py [--repeat 21]

Times, medians of ``--repeat`` runs:

* one ``geo.standard_trajectory_range`` (Hwasong-15, 2017-11-29 figures) on a non-rotating
  Earth, and one along a bearing from Pyongyang on the rotating Earth (target < 5 ms);
* ``geo.standard_range_by_azimuth`` over 720 bearings, the ranges a rotating footprint needs
  (target: a whole rotating footprint < 100 ms later);

* ``geo.standard_trajectory_footprint`` from Pyongyang (Hwasong-15 central: past the North
  Pole, whole globe along some eastward bearings; Hwasong-12 central), target < 100 ms, with
  the ratio to ``geo.footprint`` at the same mean range measured in the same run;

against a baseline measured in the same run: one ``pyproj.Geod.fwd`` call of 720 points (the
vertices of a plain 720-vertex ring). Benchmarks never run as timed tests.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import numpy as np
from pyproj import Geod
from timing import median_seconds

import geo

HS15 = (4475.0, 950.0, 3180.0)
HS12 = (2111.5, 787.0, 1800.0)
PYONGYANG = (39.0339, 125.7543)


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
        t = median_seconds(fn, args.repeat, warm_up=True)
        base = base or t
        print(f"{name:52s} {t * 1e3:8.3f} ms {t / base:10.1f}x")
    print(f"\n{'rotating footprint':52s} {'median':>10s} {'x footprint':>11s}")
    for label, test in (("Hwasong-15 central", HS15), ("Hwasong-12 central", HS12)):
        mean_km = float(
            np.mean(geo.standard_range_by_azimuth(PYONGYANG, *test, azimuth_deg=bearings))
        )
        t_var = median_seconds(
            lambda t=test: geo.standard_trajectory_footprint(PYONGYANG, *t),
            args.repeat,
            warm_up=True,
        )
        t_fix = median_seconds(
            lambda m=mean_km: geo.footprint(*PYONGYANG, m), args.repeat, warm_up=True
        )
        print(f"{label + ', Pyongyang':52s} {t_var * 1e3:8.3f} ms {t_var / t_fix:10.1f}x")
        print(f"{f'  geo.footprint at the mean range {mean_km:,.0f} km':52s} {t_fix * 1e3:8.3f} ms")


if __name__ == "__main__":
    main()
