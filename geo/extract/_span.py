"""Where a value came from: a span of the report's own text."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """Where a value came from: ``text[start:end] == span.text``."""

    start: int
    end: int
    text: str
