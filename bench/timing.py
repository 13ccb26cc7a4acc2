"""The one timer of the bench scripts: the median wall time of a call over repeats.

The scripts run as ``python bench/<name>.py``, so this folder is on ``sys.path`` and they
import it as ``from timing import median_seconds``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def median_seconds(fn: Callable[[], Any], repeat: int, *, warm_up: bool = False) -> float:
    """Median seconds of ``fn()`` over *repeat* calls (after one untimed call if *warm_up*)."""
    if warm_up:
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)
