"""The one way the CLI tests run a command in process: ``run(*args) -> (code, stdout, stderr)``."""

from __future__ import annotations

from click.testing import CliRunner

from geo.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    """Run ``georange ARGS``; an exception the CLI did not turn into an exit is raised here.

    A command that fails as designed exits with a code and a message (``SystemExit``); any
    other exception is a traceback the user would have seen, so the test fails on it.
    """
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr
