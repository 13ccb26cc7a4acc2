"""The click group, its logging options, the error handler and atomic outputs."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from geo import __version__
from geo.errors import GeorangeError, OutputPathError
from geo.files import check_output_path

log = logging.getLogger("geo")

F = TypeVar("F", bound=Callable[..., Any])


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, what: str = "output file") -> Iterator[Path]:
    """Yield a temporary path beside *path*; move it into place only if the block succeeds.

    The path is checked first (:func:`geo.files.check_output_path`): its folder must
    exist and be writable, and it must not be a folder; no folder is ever created.
    """
    target = check_output_path(path, what=what, stdout_ok=False)
    assert target is not None  # '-' is refused above
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise OutputPathError(
            str(path),
            f"cannot write {what} {str(path)!r} ({exc.strerror or exc}); give a path in a "
            "folder you can write to",
        ) from None
    os.close(fd)
    tmp_path = Path(tmp)
    # mkstemp creates the file 0600; give the output the permissions a plain open() would
    umask = os.umask(0)
    os.umask(umask)
    tmp_path.chmod(0o666 & ~umask)
    try:
        yield tmp_path
        try:
            os.replace(tmp_path, target)
        except OSError as exc:
            raise OutputPathError(
                str(path),
                f"cannot write {what} {str(path)!r} ({exc.strerror or exc}); give another path",
            ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


@contextlib.contextmanager
def _errors_reported() -> Iterator[None]:
    """Report an error of the user's input as one line on stderr and exit with status 1.

    A :class:`GeorangeError` carries its own message.  An :class:`OSError` that
    escapes the library's checks (a disk that fills up, a file removed while it
    is read) is reported with its file name.  No other exception is caught, so
    programming errors still show their traceback.
    """
    try:
        yield
    except GeorangeError as exc:
        click.echo(f"georange: error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        log.debug("OSError", exc_info=True)
        where = f" {exc.filename!r}" if exc.filename else ""
        click.echo(
            f"georange: error: cannot read or write{where}: {exc.strerror or exc}; check "
            "the path, its permissions and the free space (-vv shows the traceback)",
            err=True,
        )
        sys.exit(1)


def handle_errors(func: F) -> F:
    """Turn a :class:`GeorangeError` (or an :class:`OSError`) into one line and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _errors_reported():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class _Group(click.Group):
    """The group reports errors of its commands' option callbacks and bodies alike."""

    def invoke(self, ctx: click.Context) -> Any:
        with _errors_reported():
            return super().invoke(ctx)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="georange")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (repeatable).")
@click.option("-q", "--quiet", count=True, help="Less log output on stderr (repeatable).")
def cli(verbose: int, quiet: int) -> None:
    """georange: true geodesic range footprints of reported missile launches."""
    level = logging.WARNING - 10 * verbose + 10 * quiet
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("georange: %(levelname)s: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(max(logging.DEBUG, min(level, logging.CRITICAL)))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="georange")
