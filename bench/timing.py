"""The one timer of the bench scripts: the median wall time of a call over repeats.

The scripts run as ``python bench/<name>.py``, so this folder is on ``sys.path`` and they
import it as ``from timing import median_seconds``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def median_seconds(
    fn: Callable[[], Any],
    repeat: int,
    *,
    warm_up: bool = False,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Median seconds of ``fn()`` over *repeat* calls (after one untimed call if *warm_up*).

    *clock* is wall time by default; ``time.process_time`` counts this process's CPU only.
    """
    if warm_up:
        fn()
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times)
