"""The ``georange`` command: a thin click layer over the library.

Conventions (after mercantile/rio): a click group; ``-v/-q`` set the log level
on stderr; data goes to ``-o PATH`` (or stdout where noted); errors go to
stderr as one line that names the bad value and the fix, with exit status 1
(2 for usage errors, as click does); files are written atomically so a failed
run leaves no partial output.

One file per command family registers its commands on the group:
``_catalog`` (import-cns, check-catalog), ``_gazetteer`` (geocode, sites),
``_reach``, ``_extract``, ``_export``, ``_maps`` (map, build, assets), ``_lofted``;
``_options`` holds the options they share.
"""

from __future__ import annotations

from geo.cli import _catalog, _export, _extract, _gazetteer, _lofted, _maps, _reach  # noqa: F401
from geo.cli._group import atomic_path, cli, main

__all__ = ["atomic_path", "cli", "main"]
