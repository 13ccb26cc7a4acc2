"""The CLI's shared conventions: version, help on every command, atomic outputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import geo
from geo.cli import atomic_path, cli


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and geo.__version__ in result.output


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output and len(result.output) > 200


def test_unknown_option_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["map", "--no-such-option"])
    assert result.exit_code == 2


def test_atomic_path_leaves_nothing_on_failure(tmp_path: Path) -> None:
    # the folder must exist: atomic_path never creates one (it used to make "out/")
    target = tmp_path / "map.html"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_keeps_the_old_file_until_success(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("new")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    with atomic_path(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new"


def test_atomic_path_honours_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "map.html") as tmp:
            tmp.write_text("x")
    finally:
        os.umask(old)
    assert (tmp_path / "map.html").stat().st_mode & 0o777 == 0o644
