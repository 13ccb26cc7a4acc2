"""Footprint throughput, with its baselines measured in the same run.

    .venv/bin/python bench/footprint.py [--sites 1000] [--repeat 5]

For 1,000 random sites (uniform on the sphere, seed 0) at 150, 1,500, 5,000 and 13,000 km,
with the default tolerance, prints footprints per second for single calls (`geo.footprint`)
and for the batch call (`geo.footprints`), and, measured in the same run on the same sites:

- raw: one batched `Geod.fwd` of 360 vertices per site (no densification, no polygon): the floor;
- aeqd: an azimuthal-equidistant projection per site + shapely buffer + inverse projection
  (`Transformer.from_pipeline`), the usual GIS recipe, which still lacks any pole/antimeridian
  handling.

Ratios: batch/raw = how many times the floor's time the batch call takes (lower is better);
aeqd/batch = how many times faster than the GIS recipe the batch call is (higher is better).
Medians over the repeats; the machine is shared, so compare ratios, not absolute numbers.

Against another tree (e.g. ``git worktree add /tmp/base c2a74d6``), in the same run:

    .venv/bin/python bench/footprint.py --compare /tmp/base [--rounds 5]

runs the single and batch timings at 1,500 and 13,000 km in a fresh process per tree,
alternating base and this tree round after round, and prints the medians and this/base.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod, Transformer
from timing import median_seconds

import geo

GEOD = Geod(ellps="WGS84")


def sites(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return np.degrees(np.arcsin(rng.uniform(-1, 1, n))), rng.uniform(-180, 180, n)


def measure_rates(n: int, k: int, repeat: int, ranges: list[float]) -> dict[str, float]:
    """Footprints per second, single and batch calls, per range: for --compare."""
    lat, lon = sites(n)
    out = {}
    for range_km in ranges:
        frame = pd.DataFrame({"lat": lat, "lon": lon, "range_km": range_km})
        out[f"batch {range_km:.0f}"] = n / median_seconds(lambda f=frame: geo.footprints(f), repeat)

        def singles(range_km: float = range_km) -> None:
            for i in range(k):
                geo.footprint(lat[i], lon[i], range_km)

        out[f"single {range_km:.0f}"] = k / median_seconds(singles, repeat)
    return out


def compare(base: Path, args: argparse.Namespace) -> None:
    trees = {"base": base.resolve(), "this": Path(__file__).resolve().parent.parent}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for r in range(args.rounds):
        for name, tree in trees.items() if r % 2 == 0 else reversed(trees.items()):
            env = {**os.environ, "PYTHONPATH": str(tree)}
            cmd = [sys.executable, __file__, "--rates", "--sites", str(args.sites)]
            cmd += ["--repeat", str(args.repeat), "--single", str(args.single)]
            out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
            runs[name].append(json.loads(out.stdout.splitlines()[-1]))
    print(f"{args.rounds} rounds alternating, {args.sites} sites, median of {args.repeat} each")
    print(f"{'footprints/s':>14} {'base':>10} {'this':>10} {'this/base':>10}")
    for key in runs["base"][0]:
        b = statistics.median(x[key] for x in runs["base"])
        t = statistics.median(x[key] for x in runs["this"])
        print(f"{key:>14} {b:>10.0f} {t:>10.0f} {t / b:>10.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--single", type=int, default=300, help="sites timed with single calls")
    parser.add_argument("--compare", type=Path, help="another tree, timed alternately")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of --compare")
    parser.add_argument("--rates", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compare is not None:
        compare(args.compare, args)
        return
    if args.rates:
        print(json.dumps(measure_rates(args.sites, args.single, args.repeat, [1500.0, 13000.0])))
        return
    n = args.sites
    lat, lon = sites(n)
    az = np.tile(np.linspace(360.0, 0.0, 360, endpoint=False), n)
    lat_r, lon_r = np.repeat(lat, 360), np.repeat(lon, 360)

    print(f"{n} random sites, median of {args.repeat} runs, default tolerance min(100 m, r/1000)")
    cols = ("range_km", "single/s", "batch/s", "raw360/s", "aeqd/s", "batch/raw", "aeqd/batch")
    print(" ".join(f"{c:>10}" for c in cols), f"{'vertices':>8}")
    for range_km in (150.0, 1500.0, 5000.0, 13000.0):
        frame = pd.DataFrame({"lat": lat, "lon": lon, "range_km": range_km})
        t_batch = median_seconds(lambda frame=frame: geo.footprints(frame), args.repeat)
        k = min(args.single, n)

        def singles(range_km: float = range_km, k: int = k) -> None:
            for i in range(k):
                geo.footprint(lat[i], lon[i], range_km)

        t_single = median_seconds(singles, args.repeat) * n / k
        dist = np.full(az.size, range_km * 1000.0)
        t_raw = median_seconds(lambda dist=dist: GEOD.fwd(lon_r, lat_r, az, dist), args.repeat)

        def aeqd(range_km: float = range_km, k: int = k) -> None:
            for i in range(k):
                pipe = Transformer.from_pipeline(
                    f"+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
                    f"+step +proj=aeqd +lat_0={lat[i]} +lon_0={lon[i]} +ellps=WGS84"
                )
                disk = shapely.buffer(shapely.Point(0, 0), range_km * 1000.0, quad_segs=90)
                xy = np.asarray(disk.exterior.coords)
                pipe.transform(xy[:, 0], xy[:, 1], direction="INVERSE")

        t_aeqd = median_seconds(aeqd, args.repeat) * n / k
        verts = int(np.mean(shapely.get_num_coordinates(geo.footprints(frame).geometry.values)))
        rates = (n / t_single, n / t_batch, n / t_raw, n / t_aeqd)
        print(
            f"{range_km:>10.0f}",
            " ".join(f"{v:>10.0f}" for v in rates),
            f"{t_batch / t_raw:>10.2f} {t_aeqd / t_batch:>10.2f} {verts:>8d}",
        )


if __name__ == "__main__":
    main()
