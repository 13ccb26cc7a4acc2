"""`georange map -o FILE.png|svg|pdf` and `georange build --figures`."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cli_run import run
from PIL import Image


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_map_writes_a_figure_by_suffix(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"sinpo{suffix}"
    code, _, err = run("map", "--site", "Shinpo", "--range-km", "1500", "-o", str(out))
    assert code == 0, err
    data = out.read_bytes()
    if suffix == ".png":
        with Image.open(out) as img:
            assert img.format == "PNG"
            assert round(img.info["dpi"][0]) == 300
            assert img.size[0] == 2100  # 7 in at 300 dpi
    elif suffix == ".svg":
        root = ET.fromstring(data)
        assert root.tag.endswith("svg")
        assert b"Sinpo" in data
    else:
        assert data.startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left


def test_map_figure_dpi_and_world_projection(tmp_path: Path) -> None:
    out = tmp_path / "world.png"
    code, _, err = run(
        "map", "--site", "Pyongyang", "--range-km", "13000", "--projection", "world",
        "--dpi", "100", "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    with Image.open(out) as img:
        assert img.size[0] == 700
        assert round(img.info["dpi"][0]) == 100


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--report", "REPORT"], "a figure (-o FILE.png/.svg/.pdf) is drawn for --site"),
        (["--site", "Shinpo"], "a figure (-o FILE.png/.svg/.pdf) is drawn for --site"),
        (
            ["--site", "Shinpo", "--range-km", "1500", "--self-contained"],
            "--self-contained and --assets-dir apply to .html maps",
        ),
    ],
)
def test_map_figure_usage_errors(tmp_path: Path, args: list[str], fragment: str) -> None:
    report = tmp_path / "r.txt"
    report.write_text("North Korea fired a missile from Sinpo that flew 600 km.\n")
    args = [str(report) if a == "REPORT" else a for a in args]
    out = tmp_path / "x.png"
    code, _, err = run("map", *args, "-o", str(out))
    assert code == 2
    assert fragment in err
    assert not out.exists()


def test_build_figures_beside_event_pages(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    code, _, err = run("build", "--figures", "--no-targets", "-o", str(out))
    assert code == 0, err
    pngs = sorted(p.name for p in out.glob("*.png"))
    events = sorted(p.name for p in out.glob("event-*.html"))
    assert pngs == [e.removesuffix(".html") + ".png" for e in events]
    assert "figures" in err
    with Image.open(out / pngs[0]) as img:
        assert round(img.info["dpi"][0]) == 300


def test_build_without_figures_writes_no_png(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    code, _, err = run("build", "--no-targets", "-o", str(out))
    assert code == 0, err
    assert not list(out.glob("*.png"))
