"""User files: one funnel from the errors of reading and writing to a :class:`GeorangeError`.

Every file a user names passes through here.  Inputs are read inside :func:`reading`,
which turns the operating system's errors (missing, a folder, permission denied),
decoding errors and the readers' format errors (pandas, pyogrio/GDAL, openpyxl and
zipfile, pyarrow, csv) into one :class:`~geo.errors.InputFileError` that names the
path and the fix.  Outputs are checked by :func:`check_output_path` before any work
is done: the parent folder must exist, be a folder and be writable, the target must
not be a folder, and ``""`` is no path.  Folders are never created unasked.

Programming errors are not swallowed: only the exception families above are
translated, and only around the reading of the file.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import logging
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from geo.errors import GeorangeError, InputFileError, OutputPathError

__all__ = ["check_input_file", "check_output_path", "format_errors", "reading"]

log = logging.getLogger(__name__)

#: How much of a file is read again to find the line of an undecodable byte.
_DECODE_SCAN_BYTES = 64 * 1024 * 1024


def format_errors() -> tuple[type[BaseException], ...]:
    """The exception classes the file readers raise for a file in the wrong format.

    Returns
    -------
    tuple of type
        :class:`csv.Error`, :class:`zipfile.BadZipFile` and, when the libraries
        are installed, pandas' ``ParserError`` and ``EmptyDataError``, pyogrio's
        ``DataSourceError`` and ``DataLayerError``, openpyxl's
        ``InvalidFileException`` and pyarrow's ``ArrowInvalid``.

    Examples
    --------
    >>> import zipfile
    >>> zipfile.BadZipFile in format_errors()
    True
    """
    found: list[type[BaseException]] = [csv.Error, zipfile.BadZipFile]
    with contextlib.suppress(ImportError):
        import pandas.errors

        found += [pandas.errors.ParserError, pandas.errors.EmptyDataError]
    with contextlib.suppress(ImportError):
        import pyogrio.errors

        found += [pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError]
    with contextlib.suppress(ImportError):
        from openpyxl.utils.exceptions import InvalidFileException

        found.append(InvalidFileException)
    with contextlib.suppress(ImportError):
        import pyarrow

        found.append(pyarrow.ArrowInvalid)
    return tuple(found)


def check_input_file(
    path: str | os.PathLike[str], *, what: str = "input file", expected: str = "a file"
) -> Path:
    """Check that *path* names an existing, readable file (not a folder).

    Parameters
    ----------
    path
        The file as the user gave it.
    what
        What the file is for, as the message calls it ("sites file").
    expected
        What would be accepted instead ("a sites CSV file").

    Returns
    -------
    pathlib.Path
        The path.

    Raises
    ------
    InputFileError
        When the path is empty, missing, a folder or not readable.

    Examples
    --------
    >>> check_input_file("no/such.csv", what="sites file", expected="a CSV")
    Traceback (most recent call last):
    ...
    geo.errors.InputFileError: sites file 'no/such.csv' cannot be read: no such file; give a CSV
    """
    shown = str(os.fspath(path))
    p = Path(shown)
    if not shown.strip():
        raise InputFileError(shown, f"{what} path is empty; give {expected}")
    if p.is_dir():
        reason = "it is a folder, not a file"
    elif not p.exists():
        reason = "no such file"
    elif not os.access(p, os.R_OK):
        reason = "permission denied (make it readable)"
    else:
        return p
    raise InputFileError(shown, f"{what} {shown!r} cannot be read: {reason}; give {expected}")


@contextlib.contextmanager
def reading(
    path: str | os.PathLike[str],
    *,
    what: str = "input file",
    expected: str = "a file",
    encoding: str | None = None,
) -> Iterator[Path]:
    """Check *path* and translate the errors raised while reading it in the block.

    Parameters
    ----------
    path, what, expected
        As for :func:`check_input_file` ("targets file", "a CSV or GeoJSON file of points").
    encoding
        The text encoding the block decodes with, if any: checked first, and named
        in the message when a byte does not decode.

    Yields
    ------
    pathlib.Path
        The checked path, to read inside the block.

    Raises
    ------
    InputFileError
        For a missing, unreadable or empty file, a folder, an unknown encoding, a
        byte that does not decode, or a file the reader cannot parse.  Errors that
        are already a :class:`~geo.errors.GeorangeError` pass unchanged.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "sites.csv")
    ...     _ = p.write_bytes(b"name,lat\\n\\xff\\n")
    ...     with reading(p, what="sites file", expected="a UTF-8 CSV file") as f:
    ...         f.read_text(encoding="utf-8")
    Traceback (most recent call last):
    ...
    geo.errors.InputFileError: sites file '...' is not utf-8 text (byte 0xff at line 2); ...
    """
    shown = str(os.fspath(path))
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputFileError(
                shown,
                f"unknown encoding {encoding!r} for {what} {shown!r}; give a Python codec "
                "name such as utf-8 or cp1252",
            ) from None
    checked = check_input_file(path, what=what, expected=expected)
    try:
        yield checked
    except GeorangeError:
        raise
    except UnicodeDecodeError as exc:
        where = _undecodable(checked, exc, encoding or exc.encoding)
        raise InputFileError(
            shown,
            f"{what} {shown!r} is not {encoding or exc.encoding} text ({where}); give {expected}",
        ) from None
    except UnicodeError as exc:
        raise InputFileError(
            shown, f"{what} {shown!r} cannot be decoded ({exc}); give {expected}"
        ) from None
    except OSError as exc:
        log.debug("reading %s failed", shown, exc_info=True)
        raise InputFileError(
            shown, f"{what} {shown!r} cannot be read ({exc.strerror or exc}); give {expected}"
        ) from None
    except format_errors() as exc:
        log.debug("reading %s failed", shown, exc_info=True)
        if _is_empty(checked):
            raise InputFileError(shown, f"{what} {shown!r} is empty; give {expected}") from None
        raise InputFileError(
            shown, f"{what} {shown!r} cannot be read ({_detail(exc)}); give {expected}"
        ) from None


def _is_empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:
        return False


def _detail(exc: BaseException) -> str:
    """The first clause of a reader's message, short (GDAL appends advice after a ';')."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0].split(";")[0].strip()
    text = text.rstrip(".") or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _undecodable(path: Path, exc: UnicodeDecodeError, encoding: str) -> str:
    """'byte 0x87 at line 3' for the first byte of *path* that does not decode."""
    byte = exc.object[exc.start : exc.start + 1]
    try:
        with path.open("rb") as fh:
            raw = fh.read(_DECODE_SCAN_BYTES)
        raw.decode(encoding)
    except UnicodeDecodeError as first:
        line = raw[: first.start].count(b"\n") + 1
        return f"byte {raw[first.start]:#04x} at line {line}"
    except (OSError, LookupError):
        pass
    return f"byte {byte[0]:#04x}" if byte else "a byte that does not decode"


def check_output_path(
    path: str | os.PathLike[str],
    *,
    what: str = "output file",
    stdout_ok: bool = True,
    folder: bool = False,
) -> Path | None:
    """Check, before any work, that *path* can be written; never create a folder.

    Parameters
    ----------
    path
        The output as the user gave it.
    what
        What the output is, as the message calls it ("map file").
    stdout_ok
        Whether ``'-'`` (standard output) is allowed.
    folder
        The output is a folder that receives several files (``georange build``):
        it must be a folder if it exists, and otherwise its parent must exist and
        be writable (the caller creates this one folder, and no parent, when it
        writes).

    Returns
    -------
    pathlib.Path or None
        The path, or ``None`` for standard output.

    Raises
    ------
    OutputPathError
        For ``""``, ``'-'`` where not allowed, a folder where a file is wanted, a
        file where a folder is wanted, a parent folder that does not exist, or a
        folder where files cannot be created (read-only, ``/proc`` and the like).

    Examples
    --------
    >>> check_output_path("-") is None
    True
    >>> check_output_path("no/such/folder/map.html", what="map file")
    Traceback (most recent call last):
    ...
    geo.errors.OutputPathError: cannot write map file 'no/such/folder/map.html': folder ...
    """
    shown = str(os.fspath(path))
    stdout = ", or '-' for standard output" if stdout_ok else ""
    if shown == "-":
        if stdout_ok:
            return None
        raise OutputPathError(shown, f"{what} cannot be standard output ('-'); give a path")
    if not shown.strip():
        raise OutputPathError(shown, f"{what} path is empty; give a path{stdout}")
    target = Path(shown)
    if folder:
        if target.exists() and not target.is_dir():
            raise OutputPathError(
                shown,
                f"cannot write {what} {shown!r}: it is a file, not a folder; give a folder "
                "(an existing one, or a new one inside an existing folder)",
            )
        where = target if target.is_dir() else target.parent
    else:
        if target.is_dir():
            raise OutputPathError(
                shown,
                f"cannot write {what} {shown!r}: it is a folder; give a file name inside it "
                f"(e.g. {str(target / 'out')!r}){stdout}",
            )
        where = target.parent
    _check_folder(where, shown, what)
    return target


def _check_folder(where: Path, shown: str, what: str) -> None:
    """The folder an output goes into exists, is a folder and takes new files."""
    head = f"cannot write {what} {shown!r}"
    if not where.exists():
        ancestor = next((a for a in where.parents if a.exists()), None)
        if ancestor is not None and not ancestor.is_dir():
            raise OutputPathError(
                shown, f"{head}: {str(ancestor)!r} is a file, not a folder; give another path"
            )
        raise OutputPathError(
            shown,
            f"{head}: folder {str(where)!r} does not exist; create it first (mkdir -p "
            f"{where}) or give another path (georange never creates folders unasked)",
        )
    if not where.is_dir():
        raise OutputPathError(
            shown, f"{head}: {str(where)!r} is a file, not a folder; give another path"
        )
    if not os.access(where, os.W_OK | os.X_OK):
        raise OutputPathError(
            shown,
            f"{head}: folder {str(where)!r} is not writable; give a path in a folder you can "
            "write to",
        )
    # os.access trusts the permission bits (and root passes them all): a probe file
    # finds read-only and immutable folders and pseudo-file systems such as /proc
    try:
        fd, probe = tempfile.mkstemp(prefix=".georange-", suffix=".probe", dir=where)
    except OSError as exc:
        raise OutputPathError(
            shown,
            f"{head}: no file can be created in folder {str(where)!r} "
            f"({exc.strerror or exc}); give a path in a folder you can write to",
        ) from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)
