"""The project's promises about itself: dependencies in step, data in the wheel, README true."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].strip().lower()


def _floor(requirement: str) -> str | None:
    m = re.search(r">=\s*([0-9.]+)", requirement)
    return m.group(1) if m else None


def test_environment_yml_mirrors_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = {_name(d): _floor(d) for d in project["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"][0] == "conda-forge"
    conda = {}
    pip_section = None
    for item in env["dependencies"]:
        if isinstance(item, dict):
            pip_section = item["pip"]
            continue
        conda[_name(item)] = _floor(item)
    assert pip_section == ["-e ."], "environment.yml must end with pip: [-e .]"
    py_floor = project["requires-python"].removeprefix(">=")
    assert conda.pop("python") == py_floor
    conda.pop("pip", None)
    assert conda == deps, "environment.yml and pyproject.toml [project.dependencies] differ"


def test_console_script_and_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == "georange"
    assert project["scripts"]["georange"] == "geo.cli:main"


def test_bundled_data_is_found() -> None:
    from geo.resources import data_path

    for name in ("sites.csv", "events.csv", "missiles.csv", "targets.csv"):
        assert data_path(name).is_file(), name


@pytest.mark.slow
def test_wheel_ships_data_and_works_outside_the_repository(tmp_path: Path) -> None:
    """Build the wheel (hatchling, no network), install it elsewhere, use it outside the repo."""
    pytest.importorskip("hatchling")
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("georange-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("sites.csv", "events.csv", "missiles.csv", "targets.csv"):
        assert f"geo/_data/{name}" in names
    assert "geo/py.typed" in names
    for name in ("georange.js", "georange.css"):  # the map's own script and stylesheet
        assert f"geo/maps/static/{name}" in names
    # what offline pages need: Leaflet and the fullscreen control with their licences, the
    # Natural Earth basemap and the derived town index
    for name in (
        "vendor/leaflet@1.9.3/leaflet.js",
        "vendor/leaflet@1.9.3/leaflet.css",
        "vendor/leaflet@1.9.3/LICENSE",
        "vendor/leaflet@1.9.3/images/layers.png",
        "vendor/leaflet.fullscreen@3.0.0/Control.FullScreen.js",
        "vendor/leaflet.fullscreen@3.0.0/LICENSE",
    ):
        assert f"geo/maps/static/{name}" in names
    for name in ("basemap/land.json", "basemap/coastline.json", "towns5000.bin.gz"):
        assert f"geo/_data/{name}" in names
    # install it beside the current environment's packages and use it from an empty folder
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    code = (
        "import geo, geo.resources as r; print(r.data_dir()); "
        "print(geo.footprint(40.0347, 128.1856, 1500).geom_type)"
    )
    env_path = f"{target}"
    done = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {env_path!r}); {code}"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    )
    data_dir, geom_type = done.stdout.split()
    assert data_dir.startswith(str(target)) and geom_type == "Polygon"


def test_readme_python_example_runs() -> None:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "README.md has no Python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def test_readme_names_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    assert "make maps" in text and "make test" in text


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()
