"""Reading a report file, with an error that names the file, the line and the fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.errors import ExtractionError


def read_report(path: str | Any, *, encoding: str = "utf-8") -> str:
    """Read a report file as text, with an error that names the file and the fix.

    Parameters
    ----------
    path
        The file.
    encoding
        Its encoding.

    Returns
    -------
    str
        The text.

    Raises
    ------
    ExtractionError
        When the file is missing, unreadable or not in *encoding*.

    Examples
    --------
    >>> read_report("no/such/report.txt")
    Traceback (most recent call last):
    ...
    geo.errors.ExtractionError: cannot read report 'no/such/report.txt': ...
    """
    p = Path(path)
    try:
        return p.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        line = p.read_bytes()[: exc.start].count(b"\n") + 1
        raise ExtractionError(
            f"{p}:{line}: byte {exc.object[exc.start]:#04x} is not {encoding}; save the report "
            "as UTF-8 or give its encoding (--encoding cp1252)"
        ) from None
    except LookupError:
        raise ExtractionError(
            f"unknown encoding {encoding!r} for report {str(p)!r}; give a Python codec name "
            "such as utf-8 or cp1252"
        ) from None
    except OSError as exc:
        raise ExtractionError(
            f"cannot read report {str(p)!r}: {exc.strerror or exc}; give the path of a text file"
        ) from None
