"""Benchmark: exact within-range verdicts, fast path vs ``Geod.inv`` on every point.

Run from the repository root::

    .venv/bin/python bench/reach.py                  # 10**6 points x 10 pairs, dask on 10**7
    .venv/bin/python bench/reach.py --no-dask --repeat 3

Part 1 draws 10**6 uniform random points on the globe and, for each of 10
site/range pairs (dateline, both poles, ranges through a pole and near the
antipodal distance included), times

* ``geo.within_range`` (spherical prefilter with provably safe bounds, then
  ``Geod.inv`` only near the boundary), and
* the baseline: ``Geod.inv`` on every point, then ``distance <= range``,

in the same run, alternating, ``--repeat`` times each; it prints medians,
points per second and the ratio, and checks that the verdicts are identical.

Part 2 writes 10**7 random points to a temporary GeoParquet folder (one file
per 10**6 points, four row groups each) and times ``geo.reach_parquet``
(``inside_only=True``: the rows in range with their ``Geod.inv`` distances)
on dask's threaded scheduler with all cores, against two baselines on the
same partitions: the same Arrow reader then ``Geod.inv`` on every point (the
fair ratio: only the verdict method differs), and dask-geopandas (shapely
points) then ``Geod.inv`` on every point; verdict counts must agree.

Benchmarks never run as timed tests (bench/ is not collected by pytest).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import Geod

import geo

GEOD = Geod(ellps="WGS84")

PAIRS: list[tuple[str, float, float, float]] = [
    ("Sinpo 1,500 km", 40.0347, 128.1856, 1500.0),
    ("Sinpo 300 km", 40.0347, 128.1856, 300.0),
    ("Pyongyang 13,000 km (N pole inside)", 39.0339, 125.7543, 13000.0),
    ("Pyongyang 19,000 km (world minus cap)", 39.0339, 125.7543, 19000.0),
    ("Fiji 1,000 km (dateline)", -17.7134, 178.065, 1000.0),
    ("Thule 2,000 km (N pole)", 76.5312, -68.7031, 2000.0),
    ("McMurdo 1,500 km (S pole)", -77.8463, 166.6682, 1500.0),
    ("equator 10,001.97 km (both poles)", 0.0, 30.0, 10001.97),
    ("Washington 500 km", 38.9072, -77.0369, 500.0),
    ("Kimchaek 5,500 km", 40.6672, 129.2006, 5500.0),
]


def random_points(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    lon = rng.uniform(-180.0, 180.0, n)
    return lat, lon


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def baseline(lat0: float, lon0: float, r_km: float, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    n = lat.size
    _, _, d = GEOD.inv(np.full(n, lon0), np.full(n, lat0), lon, lat)
    return np.asarray(d) <= r_km * 1000.0


def bench_memory(n: int, repeat: int, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    lat, lon = random_points(n, rng)
    geo.within_range((0.0, 0.0), 1000.0, lat[:1000], lon[:1000])  # warm up imports
    rows = []
    for name, la, lo, r in PAIRS:
        fast_t, base_t = [], []
        same = True
        for _ in range(repeat):
            t, fast = timed(lambda la=la, lo=lo, r=r: geo.within_range((la, lo), r, lat, lon))
            fast_t.append(t)
            t, base = timed(lambda la=la, lo=lo, r=r: baseline(la, lo, r, lat, lon))
            base_t.append(t)
            same &= bool(np.array_equal(fast, base))
        f, b = statistics.median(fast_t), statistics.median(base_t)
        rows.append(
            {
                "pair": name,
                "in_range": int(base.sum()),
                "fast_s": f,
                "geod_inv_s": b,
                "fast_pts_per_s": n / f,
                "geod_inv_pts_per_s": n / b,
                "ratio": b / f,
                "identical": same,
            }
        )
    return {"points": n, "repeat": repeat, "pairs": rows}


def write_points(folder: Path, n: int, chunk: int, seed: int) -> None:
    import geopandas as gpd

    rng = np.random.default_rng(seed)
    for i in range(0, n, chunk):
        m = min(chunk, n - i)
        lat, lon = random_points(m, rng)
        part = gpd.GeoDataFrame(
            {"pid": np.arange(i, i + m, dtype=np.int64)},
            geometry=gpd.points_from_xy(lon, lat),
            crs="EPSG:4326",
        )
        part.to_parquet(folder / f"part.{i // chunk:04d}.parquet", row_group_size=chunk // 4)


def _geod_partition(df: Any, lat0: float, lon0: float, r_km: float, fast_read: bool) -> Any:
    """Baseline partition: count in range with Geod.inv on every point."""
    import pandas as pd

    if fast_read:  # the very reader reach_parquet uses, so only the verdicts differ
        from geo.reach._parquet import _parquet_xy

        x, y, _ = _parquet_xy(df["geometry"].array, "bench")
    else:  # dask-geopandas: shapely objects
        x, y = df.geometry.x.to_numpy(), df.geometry.y.to_numpy()
    inside = baseline(lat0, lon0, r_km, y, x)
    return pd.Series([int(inside.sum())])


def bench_dask(n: int, repeat: int, seed: int, workers: int) -> dict[str, Any]:
    import dask
    import dask.dataframe as dd
    import dask_geopandas
    import pandas as pd

    name, la, lo, r = PAIRS[0]
    with tempfile.TemporaryDirectory(prefix="georange-bench-") as tmp:
        folder = Path(tmp) / "points"
        folder.mkdir()
        t_write, _ = timed(lambda: write_points(folder, n, 1_000_000, seed))
        fast_t, base_t, naive_t = [], [], []
        meta = pd.Series([0], dtype=np.int64)
        with dask.config.set(scheduler="threads", num_workers=workers):
            for _ in range(repeat):
                lazy = geo.reach_parquet(folder, (la, lo), r)
                t, found = timed(lazy.compute)
                fast_t.append(t)
                ddf = dd.read_parquet(folder, split_row_groups=True, dtype_backend="pyarrow")
                counts = ddf.map_partitions(_geod_partition, la, lo, r, True, meta=meta)
                t, base_counts = timed(counts.compute)
                base_t.append(t)
                gdf = dask_geopandas.read_parquet(folder, split_row_groups=True)
                naive = gdf.map_partitions(_geod_partition, la, lo, r, False, meta=meta)
                t, naive_counts = timed(naive.compute)
                naive_t.append(t)
        partitions = lazy.npartitions
    f, b, v = statistics.median(fast_t), statistics.median(base_t), statistics.median(naive_t)
    return {
        "naive_s": v,
        "naive_pts_per_s": n / v,
        "naive_in_range": int(naive_counts.sum()),
        "points": n,
        "pair": name,
        "partitions": partitions,
        "workers": workers,
        "write_s": t_write,
        "in_range": len(found),
        "geod_inv_in_range": int(base_counts.sum()),
        "fast_s": f,
        "geod_inv_s": b,
        "fast_pts_per_s": n / f,
        "geod_inv_pts_per_s": n / b,
        "ratio": b / f,
        "identical_counts": len(found) == int(base_counts.sum()) == int(naive_counts.sum()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dask-points", type=int, default=10_000_000)
    parser.add_argument("--dask-repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-dask", action="store_true", help="skip part 2")
    parser.add_argument("--no-memory", action="store_true", help="skip part 1")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# georange reach bench: {os.cpu_count()} cores, load average {load:.2f} at start")
    result: dict[str, Any] = {"cores": os.cpu_count(), "load_at_start": load}
    if not args.no_memory:
        result["memory"] = _report_memory(bench_memory(args.points, args.repeat, args.seed))
    if not args.no_dask:
        result["dask"] = _report_dask(
            bench_dask(args.dask_points, args.dask_repeat, args.seed + 1, args.workers),
            args.dask_repeat,
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    ok = all(r["identical"] for r in result.get("memory", {}).get("pairs", []))
    ok &= bool(result.get("dask", {}).get("identical_counts", True))
    return 0 if ok else 1


def _report_memory(mem: dict[str, Any]) -> dict[str, Any]:
    print(f"\n## in memory: {mem['points']:,} points, median of {mem['repeat']} runs each")
    print(
        f"{'pair':40s} {'in range':>9s} {'fast ms':>8s} {'Geod.inv ms':>11s} "
        f"{'fast pts/s':>12s} {'Geod.inv pts/s':>14s} {'ratio':>6s} identical"
    )
    for row in mem["pairs"]:
        print(
            f"{row['pair']:40s} {row['in_range']:9,d} {row['fast_s'] * 1e3:8.1f} "
            f"{row['geod_inv_s'] * 1e3:11.1f} {row['fast_pts_per_s']:12,.0f} "
            f"{row['geod_inv_pts_per_s']:14,.0f} {row['ratio']:6.1f} {row['identical']}"
        )
    ratios = [row["ratio"] for row in mem["pairs"]]
    print(
        f"median ratio {statistics.median(ratios):.1f}x, min {min(ratios):.1f}x, "
        f"all identical: {all(r['identical'] for r in mem['pairs'])}"
    )
    return mem


def _report_dask(dk: dict[str, Any], repeat: int) -> dict[str, Any]:
    print(
        f"\n## dask: {dk['points']:,} points in {dk['partitions']} partitions, "
        f"{dk['workers']} threads, {dk['pair']}, median of {repeat} runs "
        f"(writing the GeoParquet took {dk['write_s']:.1f} s)"
    )
    print(
        f"reach_parquet (inside_only): {dk['fast_s']:.2f} s, "
        f"{dk['fast_pts_per_s']:,.0f} pts/s, {dk['in_range']:,} in range"
    )
    print(
        f"Geod.inv on every point:     {dk['geod_inv_s']:.2f} s, "
        f"{dk['geod_inv_pts_per_s']:,.0f} pts/s, {dk['geod_inv_in_range']:,} in range "
        "(same Arrow reader)"
    )
    print(
        f"  and via dask-geopandas:    {dk['naive_s']:.2f} s, "
        f"{dk['naive_pts_per_s']:,.0f} pts/s, {dk['naive_in_range']:,} in range "
        "(shapely geometries)"
    )
    print(
        f"ratio {dk['ratio']:.1f}x (same reader), {dk['naive_s'] / dk['fast_s']:.1f}x "
        f"(vs dask-geopandas + Geod.inv), identical counts: {dk['identical_counts']}"
    )
    return dk


if __name__ == "__main__":
    sys.exit(main())
