"""Greedy label placement: each label takes the first free spot around its point.

Labels are placed in priority order.  For each, eight candidate boxes around its anchor
are tried (right, upper right, lower right, left, upper left, lower left, above, below);
the first that lies inside the frame and overlaps neither a placed label nor another
point's marker is taken.  A label with no free spot is left out (its marker stays).
Everything is in display units (pixels), so the result holds for the drawn figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Box", "Placement", "place_labels"]

Box = tuple[float, float, float, float]  # x0, y0, x1, y1

# (dx, dy) direction of the box from the anchor, and where the box is pinned:
# ha in {left, right, center}, va in {bottom, top, center}
_CANDIDATES = (
    (1.0, 0.0, "left", "center"),
    (0.7, 0.7, "left", "bottom"),
    (0.7, -0.7, "left", "top"),
    (-1.0, 0.0, "right", "center"),
    (-0.7, 0.7, "right", "bottom"),
    (-0.7, -0.7, "right", "top"),
    (0.0, 1.0, "center", "bottom"),
    (0.0, -1.0, "center", "top"),
)


@dataclass(frozen=True)
class Placement:
    """Where one label goes: its box, its offset from the anchor and its alignment."""

    box: Box
    dx: float
    dy: float
    ha: str
    va: str


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(a: Box, frame: Box) -> bool:
    return a[0] >= frame[0] and a[1] >= frame[1] and a[2] <= frame[2] and a[3] <= frame[3]


def _candidate(
    x: float, y: float, w: float, h: float, gap: float, spec: tuple[float, float, str, str]
) -> Placement:
    ux, uy, ha, va = spec
    dx, dy = ux * gap, uy * gap
    ax, ay = x + dx, y + dy
    x0 = {"left": ax, "right": ax - w, "center": ax - w / 2}[ha]
    y0 = {"bottom": ay, "top": ay - h, "center": ay - h / 2}[va]
    return Placement((x0, y0, x0 + w, y0 + h), dx, dy, ha, va)


def place_labels(
    anchors: Sequence[tuple[float, float]],
    sizes: Sequence[tuple[float, float]],
    *,
    frame: Box,
    gap: float,
    marker: float = 0.0,
    obstacles: Sequence[Box] = (),
) -> list[Placement | None]:
    """Place labels greedily, in the order given, so that no two overlap.

    Parameters
    ----------
    anchors
        The labelled points, in display units.
    sizes
        ``(width, height)`` of each label, in the same units.
    frame
        ``(x0, y0, x1, y1)``: every label must lie inside it.
    gap
        Distance from a point to its label.
    marker
        Half the size of the box kept free around every anchor (its marker).
    obstacles
        Further boxes no label may overlap (a legend, a scale bar).

    Returns
    -------
    list of Placement or None
        One entry per label; ``None`` where no free spot was found.

    Examples
    --------
    Two points close together: the first label goes to the left of its point, clear
    of the second point's marker; the second takes its first choice, the right.

    >>> p = place_labels([(50, 50), (70, 50)], [(25, 8), (25, 8)],
    ...                  frame=(0, 0, 100, 100), gap=2, marker=3)
    >>> [(q.ha, q.va) for q in p]
    [('right', 'center'), ('left', 'center')]
    """
    taken: list[Box] = list(obstacles)
    taken += [(x - marker, y - marker, x + marker, y + marker) for x, y in anchors]
    out: list[Placement | None] = []
    for i, ((x, y), (w, h)) in enumerate(zip(anchors, sizes, strict=True)):
        own = len(obstacles) + i
        chosen = None
        for spec in _CANDIDATES:
            cand = _candidate(x, y, w, h, gap, spec)
            if not _inside(cand.box, frame):
                continue
            if any(_overlaps(cand.box, b) for j, b in enumerate(taken) if j != own):
                continue
            chosen = cand
            break
        out.append(chosen)
        if chosen is not None:
            taken.append(chosen.box)
    return out
