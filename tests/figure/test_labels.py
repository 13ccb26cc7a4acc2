"""Greedy label placement: placed labels never overlap each other, markers or the frame."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from geo.figure import place_labels

FRAME = (0.0, 0.0, 400.0, 300.0)


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


points = st.lists(
    st.tuples(st.floats(0, 400), st.floats(0, 300), st.floats(5, 80), st.floats(4, 20)),
    max_size=40,
)


@given(points)
def test_placed_labels_never_overlap(items):
    anchors = [(x, y) for x, y, _, _ in items]
    sizes = [(w, h) for _, _, w, h in items]
    placed = place_labels(anchors, sizes, frame=FRAME, gap=3.0, marker=2.0)
    boxes = [p.box for p in placed if p is not None]
    for i, a in enumerate(boxes):
        assert FRAME[0] <= a[0] and a[2] <= FRAME[2] and FRAME[1] <= a[1] and a[3] <= FRAME[3]
        for b in boxes[i + 1 :]:
            assert not _overlap(a, b)
    for (x, y), p in zip(anchors, placed, strict=True):
        for q in placed:
            if q is not None and q is not p:
                assert not _overlap(q.box, (x - 2, y - 2, x + 2, y + 2))


def test_first_choice_is_to_the_right_and_crowding_moves_labels():
    lone = place_labels([(100, 100)], [(30, 10)], frame=FRAME, gap=3)
    assert (lone[0].ha, lone[0].va) == ("left", "center")
    assert lone[0].box == (103, 95, 133, 105)
    row = place_labels([(100, 100), (120, 100)], [(30, 10)] * 2, frame=FRAME, gap=3, marker=2)
    # its right side holds the second point's marker: the next choice, upper right
    assert (row[0].ha, row[0].va) == ("left", "bottom")
    # the second's right side is under the first label, its upper right too: lower right
    assert (row[1].ha, row[1].va) == ("left", "top")


def test_a_label_with_no_room_is_left_out():
    # a label wider than the frame cannot be placed anywhere
    assert place_labels([(200, 150)], [(500, 10)], frame=FRAME, gap=3) == [None]
    blocker = (0.0, 0.0, 400.0, 300.0)
    assert place_labels([(200, 150)], [(10, 10)], frame=FRAME, gap=3, obstacles=[blocker]) == [None]
