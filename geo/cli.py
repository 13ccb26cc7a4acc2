"""The ``georange`` command: a thin click layer over the library.

Conventions (after mercantile/rio): a click group; ``-v/-q`` set the log level
on stderr; data goes to ``-o PATH`` (or stdout where noted); errors go to
stderr as one line that names the bad value and the fix, with exit status 1
(2 for usage errors, as click does); files are written atomically so a failed
run leaves no partial output.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from geo import __version__
from geo.errors import GeorangeError

log = logging.getLogger("geo")

F = TypeVar("F", bound=Callable[..., Any])


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside *path*; move it into place only if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def handle_errors(func: F) -> F:
    """Turn a :class:`GeorangeError` into a one-line message on stderr and exit status 1."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GeorangeError as exc:
            click.echo(f"georange: error: {exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


# --- commands -----------------------------------------------------------------
# Each command lives in its own section below, grouped by the module it wraps.
