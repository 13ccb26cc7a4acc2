"""Time one print figure: geo.range_figure + save_figure to PNG at 300 dpi.

    .venv/bin/python bench/figure.py [--repeat 5]

Cases: Pyongyang 1,500 km and 13,000 km (AEQD, bundled targets) and the world view of
13,000 km.  Baseline, same run: a bare matplotlib figure of the same size with the same
basemap already projected (land fill, coastline, borders) and saved the same way, i.e. the
cost of drawing and encoding the pixels, without footprints, targets, labels or legend.
The first figure of a process also reads the basemap and projects it (cached per view
afterwards); it is reported separately as `cold`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from timing import median_seconds

import geo
from geo.figure._basemap import draw_basemap
from geo.figure._project import aeqd_view, world_view

PYONGYANG = (39.0392, 125.7625)
CASES = [
    ("aeqd 1,500 km", 1500.0, "aeqd"),
    ("aeqd 13,000 km", 13000.0, "aeqd"),
    ("world 13,000 km", 13000.0, "world"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    out = Path(tempfile.mkdtemp()) / "f.png"

    t = time.perf_counter()
    geo.save_figure(geo.range_figure(PYONGYANG, 1500), out)
    cold = time.perf_counter() - t
    print(f"cold (first figure: basemap read and projected): {cold:.2f} s")
    print(f"{'case':18s} {'figure+png s':>13s} {'baseline s':>11s} {'ratio':>6s} {'PNG KB':>7s}")
    for name, r, proj in CASES:

        def full(r=r, proj=proj) -> None:
            geo.save_figure(geo.range_figure(PYONGYANG, r, projection=proj), out)

        full()  # warm the per-view cache
        size_in = geo.range_figure(PYONGYANG, r, projection=proj).get_size_inches()
        view = aeqd_view(*PYONGYANG, r) if proj == "aeqd" else world_view(*PYONGYANG)

        def bare(view=view, size_in=size_in) -> None:
            fig = Figure(figsize=tuple(size_in), dpi=100)
            FigureCanvasAgg(fig)
            ax = fig.add_axes((0.06, 0.2, 0.88, 0.7))
            ax.set_xlim(*view.xlim)
            ax.set_ylim(*view.ylim)
            ax.set_aspect("equal")
            draw_basemap(ax, view)
            fig.savefig(out, format="png", dpi=300)

        t_full = median_seconds(full, args.repeat)
        t_bare = median_seconds(bare, args.repeat)
        full()
        kb = out.stat().st_size / 1000
        print(f"{name:18s} {t_full:13.2f} {t_bare:11.2f} {t_full / t_bare:6.2f} {kb:7.0f}")


if __name__ == "__main__":
    main()
