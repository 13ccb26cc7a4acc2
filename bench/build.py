"""Time and HTML size of `georange build`, with a naive folium baseline measured in the same run.

    .venv/bin/python bench/build.py [--repeat 3] [--cns PATH]

For the bundled catalog and for a CNS import (``georange import-cns`` of
``../shared/data/cns_nk_missile_test_database_2023-04.csv`` by default; skipped with
a message when absent), prints:

- the wall time of the ``georange build`` command (a fresh process: imports included),
  median over the repeats, and of ``geo.build_maps`` in process;
- pages written, total bytes, and the overview map's bytes per footprint (target:
  under 40 KB at the default tolerance; whole CNS build under 30 s);
- baseline: the same overview footprints drawn the naive folium way (one
  ``folium.GeoJson`` of the analysis geometry per claim, full float precision, one
  world copy, random ids) -- its bytes per footprint and render time, and the ratios;
- the offline assets: bytes of the shared ``assets/`` folder (the Natural Earth basemap
  once per build, Leaflet), and a ``--self-contained`` build (basemap inlined in every page)
  with its time and page bytes, against the pages that share the folder.

The machine is shared: compare ratios, not absolute numbers.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import folium
from timing import median_seconds

import geo
from geo.catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent
CNS = ROOT.parent / "shared" / "data" / "cns_nk_missile_test_database_2023-04.csv"
GEORANGE = [str(Path(sys.executable).parent / "georange")]


def naive_overview(events: Path | None) -> tuple[int, int, float]:
    """Bytes, footprint count and seconds of the naive folium overview (the baseline)."""
    t0 = time.perf_counter()
    fp = geo.claim_footprints(load_catalog(events))
    m = folium.Map(location=[40, 127], zoom_start=4)
    for row in fp.itertuples():
        folium.GeoJson(row.geometry.__geo_interface__, tooltip=str(row.claim_id)).add_to(m)
    html = m.get_root().render()
    return len(html.encode("utf-8")), len(fp), time.perf_counter() - t0


def bench(label: str, events: Path | None, repeat: int) -> None:
    args = [*GEORANGE, "-q", "build"] + ([str(events)] if events else [])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "maps"
        wall = median_seconds(
            lambda: subprocess.run([*args, "-o", str(out)], check=True, capture_output=True), repeat
        )
        sizes = {p.name: p.stat().st_size for p in out.iterdir() if p.is_file()}
        shared = {str(p.relative_to(out)): p.stat().st_size for p in out.rglob("assets/**/*.*")}
        inlined = Path(tmp) / "inlined"
        wall_inline = median_seconds(
            lambda: subprocess.run(
                [*args, "--self-contained", "-o", str(inlined)], check=True, capture_output=True
            ),
            repeat,
        )
        inline_sizes = {p.name: p.stat().st_size for p in inlined.iterdir() if p.is_file()}
    inproc = median_seconds(lambda: geo.build_maps(events), repeat)
    catalog = load_catalog(events)
    drawn = int((catalog["located"] & catalog["range_km"].notna()).sum())
    overview = sizes["overview.html"]
    n_bytes, n_naive, naive_s = naive_overview(events)
    print(f"## {label}")
    print(
        f"claims {len(catalog)}, footprints drawn {drawn}, pages {len(sizes)}, "
        f"total {sum(sizes.values()):,} bytes"
    )
    print(f"georange build (CLI, fresh process): {wall:.2f} s median of {repeat}")
    print(f"geo.build_maps (in process):        {inproc:.2f} s median of {repeat}")
    print(
        f"overview.html: {overview:,} bytes = {overview / max(drawn, 1) / 1000:.1f} KB per "
        "footprint (target < 40 KB)"
    )
    print(
        f"baseline naive folium overview: {n_bytes:,} bytes = "
        f"{n_bytes / max(n_naive, 1) / 1000:.1f} KB per footprint, {naive_s:.2f} s"
    )
    print(
        f"ratio overview bytes georange / naive: {overview / n_bytes:.2f} "
        "(georange also draws three world copies, outlines, sites, targets, popups)"
    )
    pages, maps = sum(sizes.values()), [n for n in sizes if n != "index.html"]
    print(
        f"shared assets/ (once per build): {sum(shared.values()):,} bytes, of which "
        f"basemap.js {shared.get('assets/basemap.js', 0):,}"
    )
    print(
        f"pages + assets/: {pages + sum(shared.values()):,} bytes; map pages on average "
        f"{sum(sizes[n] for n in maps) / len(maps):,.0f} bytes without the basemap"
    )
    inline_maps = sum(inline_sizes[n] for n in maps) / len(maps)
    print(
        f"--self-contained build: {wall_inline:.2f} s median of {repeat}, "
        f"{sum(inline_sizes.values()):,} bytes; map pages on average {inline_maps:,.0f} bytes "
        f"with the basemap inlined (ratio to the build with assets/: "
        f"{sum(inline_sizes.values()) / (pages + sum(shared.values())):.1f})"
    )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cns", type=Path, default=CNS)
    opts = parser.parse_args()
    bench("bundled catalog (data/events.csv)", None, opts.repeat)
    if not opts.cns.is_file():
        print(f"## CNS import: skipped, {opts.cns} is absent")
        return
    with tempfile.TemporaryDirectory() as tmp:
        events = Path(tmp) / "cns-events.csv"
        t0 = time.perf_counter()
        subprocess.run(
            [*GEORANGE, "import-cns", str(opts.cns), "-o", str(events)],
            check=True,
            capture_output=True,
        )
        print(f"(georange import-cns: {time.perf_counter() - t0:.2f} s)")
        bench(f"CNS import ({opts.cns.name})", events, opts.repeat)


if __name__ == "__main__":
    main()
