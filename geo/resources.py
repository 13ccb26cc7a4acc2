"""Where the bundled data files live.

In a source checkout (editable install) they are the top-level ``data/``
folder; in a wheel they ship as ``geo/_data`` (see ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_dir", "data_path"]

_PACKAGE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """Return the folder that holds the bundled ``sites.csv``, ``events.csv`` and friends."""
    for candidate in (_PACKAGE / "_data", _PACKAGE.parent / "data"):
        if (candidate / "sites.csv").is_file():
            return candidate
    raise FileNotFoundError(
        f"georange's bundled data was not found next to {_PACKAGE}; reinstall georange "
        "(pip install --force-reinstall georange) or run from a full source checkout"
    )


def data_path(name: str) -> Path:
    """Return the path of one bundled data file, e.g. ``data_path("sites.csv")``."""
    return data_dir() / name
