"""The seed articles (read in place beside the repository, never copied) and word runs of them.

A run is ten words in a row, lower-cased; a file that shares a run with a seed article repeats
its wording.
"""

from __future__ import annotations

import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SKIP_REASON = f"{SEEDS} is absent (seed articles not available)"


def word_runs(text: str, n: int = 10) -> set[tuple[str, ...]]:
    """Every run of *n* words of *text*.

    >>> sorted(word_runs("One two, three!", n=2))
    [('one', 'two'), ('two', 'three')]
    """
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def seed_runs(n: int = 10) -> set[tuple[str, ...]]:
    """Every run of *n* words of every seed article."""
    runs: set[tuple[str, ...]] = set()
    for seed in SEEDS.glob("*.txt"):
        runs |= word_runs(seed.read_text(encoding="utf-8"), n)
    return runs
