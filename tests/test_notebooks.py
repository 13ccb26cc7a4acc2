"""The notebooks in notebooks/ run top to bottom on a fresh install and show what they promise.

Each notebook is executed once per session with nbclient, in a kernel that runs this
interpreter (a kernelspec written to a temporary JUPYTER_PATH, so no user kernel is
picked up), from the notebooks/ directory as Jupyter would.  Cells are found by their
tags; the assertions read the outputs: maps that are Leaflet maps with the footprints
asked for, tables with the expected rows (counted independently here), no errors and
no warnings on stderr.  Nothing here touches the network: maps are rendered, not loaded.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
from PIL import Image
from seeds import SEEDS, SKIP_REASON, seed_runs, word_runs

import geo

pytestmark = pytest.mark.notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "georange-test-kernel"
WIDGET = "application/vnd.jupyter.widget-view+json"
TIMINGS: dict[str, float] = {}


# --- running notebooks ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def kernel_name() -> Iterator[str]:
    """A kernelspec for this interpreter, first on JUPYTER_PATH for the session."""
    base = Path(tempfile.mkdtemp(prefix="georange-jupyter-"))
    spec = base / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "georange tests",
                "language": "python",
            }
        )
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(base))
        mp.setenv("JUPYTER_RUNTIME_DIR", str(base / "runtime"))  # connection files
        mp.setenv("IPYTHONDIR", str(base / "ipython"))  # no user profile or startup scripts
        mp.setenv("JUPYTER_PLATFORM_DIRS", "1")  # no deprecation notice from jupyter_core
        mp.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # no debugger notice on stderr
        yield KERNEL
    shutil.rmtree(base, ignore_errors=True)


# Run first in every kernel: any connection or name look-up beyond this machine fails loudly
# (the kernel's own channels are ZeroMQ sockets on the loopback, not Python sockets).
OFFLINE_GUARD = """
import socket as _socket

_LOCAL = {"127.0.0.1", "::1", "localhost"}
_connect, _getaddrinfo = _socket.socket.connect, _socket.getaddrinfo


def _host(address):
    return address[0] if isinstance(address, tuple) else None


def _guarded_connect(self, address, *args):
    host = _host(address)
    if host is not None and str(host) not in _LOCAL:
        raise OSError(f"georange tests: network access refused ({address!r})")
    return _connect(self, address, *args)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if host is not None and str(host) not in _LOCAL:
        raise OSError(f"georange tests: network access refused (look-up of {host!r})")
    return _getaddrinfo(host, *args, **kwargs)


_socket.socket.connect = _guarded_connect
_socket.getaddrinfo = _guarded_getaddrinfo
"""


def execute(
    name: str | nbformat.NotebookNode, kernel: str, *, parameters: dict[str, Any] | None = None
) -> nbformat.NotebookNode:
    """Execute notebooks/<name> offline (after the `parameters` cell, inject *parameters*)."""
    from nbclient import NotebookClient

    nb = name if not isinstance(name, str) else nbformat.read(NOTEBOOKS / name, as_version=4)
    guard = nbformat.v4.new_code_cell(OFFLINE_GUARD.strip())
    guard.metadata["tags"] = ["offline-guard"]
    nb.cells.insert(0, guard)
    if parameters:
        index = next(
            i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])
        )
        source = "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
        injected = nbformat.v4.new_code_cell(source)
        injected.metadata["tags"] = ["injected-parameters"]
        nb.cells.insert(index + 1, injected)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=300,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    if isinstance(name, str):
        TIMINGS[name if not parameters else f"{name} {parameters}"] = time.perf_counter() - start
    return nb


def cell(nb: nbformat.NotebookNode, tag: str) -> nbformat.NotebookNode:
    found = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    assert len(found) == 1, f"one cell tagged {tag!r} expected, found {len(found)}"
    return found[0]


def html_outputs(c: nbformat.NotebookNode) -> list[str]:
    return [
        o["data"]["text/html"]
        for o in c.outputs
        if o.get("output_type") in ("execute_result", "display_data")
        and "text/html" in o.get("data", {})
    ]


def text_output(c: nbformat.NotebookNode) -> str:
    return "".join(
        o.get("text", "")
        for o in c.outputs
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )


def png_outputs(c: nbformat.NotebookNode) -> list[bytes]:
    """The PNG images a cell displayed (a geo.range_figure shows itself as one)."""
    return [
        base64.b64decode(o["data"]["image/png"])
        for o in c.outputs
        if o.get("output_type") in ("execute_result", "display_data")
        and "image/png" in o.get("data", {})
    ]


def assert_figure(png: bytes) -> None:
    """A readable figure: a PNG of a sensible size, not blank."""
    with Image.open(io.BytesIO(png)) as img:
        assert img.format == "PNG"
        width, height = img.size
        assert 500 <= width <= 1200 and 500 <= height <= 1600
        colours = img.convert("RGB").getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 50  # basemap, footprint, text


def leaflet_pages(c: nbformat.NotebookNode) -> list[str]:
    """The HTML pages of the Leaflet maps a cell displayed (folium's iframe srcdoc)."""
    pages = []
    for out in html_outputs(c):
        for srcdoc in re.findall(r'srcdoc="([^"]*)"', out):
            page = html.unescape(srcdoc)
            if "leaflet" in page and re.search(r"L\.map\(", page):
                pages.append(page)
    return pages


def table(c: nbformat.NotebookNode) -> pd.DataFrame:
    """The one pandas table a cell displayed, read back from its HTML."""
    outs = [o for o in html_outputs(c) if 'class="dataframe' in o]
    assert len(outs) == 1, f"one table expected, found {len(outs)}"
    frames = pd.read_html(StringIO(outs[0]))
    assert len(frames) == 1
    frame = frames[0]
    if isinstance(frame.columns, pd.MultiIndex):  # a named index adds a second header row
        frame.columns = [
            " ".join(str(p) for p in col if not str(p).startswith("Unnamed:")) or str(col[0])
            for col in frame.columns
        ]
    return frame


def assert_clean(nb: nbformat.NotebookNode) -> None:
    """No cell wrote a warning or a traceback to stderr; no cell output was an error."""
    for c in nb.cells:
        for o in c.get("outputs", []):
            assert o.get("output_type") != "error", o
            if o.get("output_type") == "stream" and o.get("name") == "stderr":
                assert not re.search(r"Warning|Traceback|Error", o["text"]), o["text"]


def assert_stored_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    for c in nb.cells:
        if c.cell_type == "code":
            assert c.outputs == [] and c.execution_count is None, f"{name}: stored with outputs"


@pytest.fixture(scope="session")
def quickstart(kernel_name: str) -> nbformat.NotebookNode:
    return execute("01-quickstart.ipynb", kernel_name)


@pytest.fixture(scope="session")
def seeds(kernel_name: str) -> nbformat.NotebookNode:
    return execute("02-seed-reports.ipynb", kernel_name)


@pytest.fixture(scope="session")
def cns_synthetic(kernel_name: str) -> nbformat.NotebookNode:
    return execute("03-cns-history.ipynb", kernel_name, parameters={"synthetic": True})


# --- the stored notebooks ------------------------------------------------------------------------


def test_kernels_are_offline(kernel_name: str) -> None:
    """The guard every notebook runs under refuses the network (so passing means offline)."""
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import urllib.request"),
        nbformat.v4.new_code_cell("urllib.request.urlopen('http://example.invalid/', timeout=5)"),
    ]
    with pytest.raises(CellExecutionError, match="network access refused"):
        execute(nb, kernel_name)


@pytest.mark.parametrize(
    "name", ["01-quickstart.ipynb", "02-seed-reports.ipynb", "03-cns-history.ipynb"]
)
def test_stored_without_outputs(name: str) -> None:
    assert_stored_without_outputs(name)


@pytest.mark.skipif(not SEEDS.is_dir(), reason=SKIP_REASON)
def test_notebook_text_is_our_own() -> None:
    """No run of 10 words from the seed articles appears in the notebooks or these tests."""
    seeds = seed_runs()
    assert seeds
    for path in [
        *sorted(NOTEBOOKS.glob("*.ipynb")),
        Path(__file__),
        ROOT / "tests" / "test_api.py",
    ]:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = "\n".join(c.source for c in nbformat.reads(text, as_version=4).cells)
        shared = word_runs(text) & seeds
        assert not shared, f"{path.name} repeats seed wording: {sorted(shared)[:3]}"


def test_cns_notebook_has_a_parameters_cell() -> None:
    nb = nbformat.read(NOTEBOOKS / "03-cns-history.ipynb", as_version=4)
    params = cell(nb, "parameters")
    assert "cns_path = None" in params.source and "synthetic = False" in params.source


# --- 01 quickstart -------------------------------------------------------------------------------


def test_quickstart_maps(quickstart: nbformat.NotebookNode) -> None:
    assert_clean(quickstart)
    shinpo = leaflet_pages(cell(quickstart, "map-shinpo"))
    assert len(shinpo) == 1
    assert shinpo[0].count("georange.footprint(") == 1
    assert "Sinpo: 1,500 km" in shinpo[0]
    assert "Reference targets" in shinpo[0]
    annulus = leaflet_pages(cell(quickstart, "map-annulus"))
    assert len(annulus) == 1 and "minimum range" in annulus[0] and "500 km" in annulus[0]
    sector = leaflet_pages(cell(quickstart, "map-sector"))
    assert len(sector) == 1 and "45° to 135° clockwise" in sector[0]
    icbm = leaflet_pages(cell(quickstart, "map-icbm"))
    assert len(icbm) == 1 and "Pyongyang: 13,000 km" in icbm[0]


def test_quickstart_figure(quickstart: nbformat.NotebookNode) -> None:
    pngs = png_outputs(cell(quickstart, "figure-shinpo"))
    assert len(pngs) == 1
    assert_figure(pngs[0])


def test_quickstart_site_shows_map_and_provenance(quickstart: nbformat.NotebookNode) -> None:
    c = cell(quickstart, "site")
    assert len(leaflet_pages(c)) == 1
    site = geo.geocode("Shinpo")
    out = html_outputs(c)[0]
    assert f"<td>{html.escape(site.name)}</td>" in out
    assert "<td>Shinpo</td>" in out  # the text as given
    assert f"±{site.precision_km:,.3g} km" in out


def test_quickstart_icbm_numbers(quickstart: nbformat.NotebookNode) -> None:
    numbers = table(cell(quickstart, "icbm-numbers"))
    values = numbers.set_index(numbers.columns[0]).iloc[:, 0]
    assert values["North Pole in range"] in (True, "True")
    assert values["antipode in range"] in (False, "False")
    assert int(values["true boundary lines"]) == 1
    assert values["analysis geometry"].startswith("Polygon, bounds (-180.0, ")
    assert values["analysis geometry"].endswith(", 180.0, 90.0)")
    # DESIGN.md's regression case, computed there by another method: 0.7264 of the globe.
    assert float(values["share of the Earth's surface in range"]) == pytest.approx(0.7264, abs=2e-4)


def test_quickstart_explains_the_mercator_picture() -> None:
    nb = nbformat.read(NOTEBOOKS / "01-quickstart.ipynb", as_version=4)
    text = " ".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    for word in ("pole", "mercator", "180°", "band", "top", "rfc 7946", "three times"):
        assert word in text, word


def test_quickstart_dateline(quickstart: nbformat.NotebookNode) -> None:
    out = text_output(cell(quickstart, "dateline"))
    assert "analysis: MultiPolygon in 2 parts" in out
    assert "display:  Polygon" in out


def test_quickstart_lofted_estimate_and_band(quickstart: nbformat.NotebookNode) -> None:
    shown = "".join(html_outputs(cell(quickstart, "lofted-estimate")))
    expected = geo.standard_trajectory_range(4475, 950, 53 * 60)
    assert "Standard-trajectory range (derived)" in shown
    for value in (expected.low_km, expected.central_km, expected.high_km):
        assert f"{value:,.0f} km" in shown
    assert html.escape(expected.warnings[0]) in shown
    [page] = leaflet_pages(cell(quickstart, "map-lofted"))
    assert page.count("georange.footprint(") == 3
    for level in ("low", "central", "high"):
        assert f"apogee 4,475 km, distance 950 km, time 3,180 s; {level}" in page


def test_quickstart_reach_tables(quickstart: nbformat.NotebookNode) -> None:
    site = geo.geocode("Shinpo")
    expected = geo.reach(site, 1500)
    shown = table(cell(quickstart, "reach-table"))
    assert len(shown) == len(expected) > 0
    assert {"name", "distance_km", "in_range", "margin_km"} <= set(shown.columns)
    assert list(shown["distance_km"]) == sorted(shown["distance_km"])
    assert int(shown["in_range"].sum()) == int(expected["in_range"].sum())
    cities = table(cell(quickstart, "cities-table"))
    assert len(cities) == 10 and (cities["distance_km"] <= 1500).all()
    summary = text_output(cell(quickstart, "reach-summary"))
    assert f"{int(expected['in_range'].sum())} of {len(expected)} targets in range" in summary
    assert "cities in range" in summary


# --- 02 seed reports -----------------------------------------------------------------------------


def test_seed_tables(seeds: nbformat.NotebookNode) -> None:
    assert_clean(seeds)
    catalog = geo.load_catalog()
    claims = table(cell(seeds, "claims-table"))
    assert len(claims) == len(catalog) > 0
    assert list(claims["claim_id"]) == list(catalog["claim_id"])
    unlocated = table(cell(seeds, "unlocated-table"))
    assert len(unlocated) == int((~catalog["located"]).sum()) > 0
    assert set(unlocated["claim_id"]) == set(catalog.loc[~catalog["located"], "claim_id"])
    assert set(unlocated["why"]) <= {"no launch site named", "site not located"}


def test_seed_maps(seeds: nbformat.NotebookNode) -> None:
    catalog = geo.load_catalog()
    located = catalog[catalog["located"]]
    pages = leaflet_pages(cell(seeds, "event-maps"))
    assert len(pages) == located["event_id"].nunique() > 0
    drawn = sum(p.count("georange.footprint(") for p in pages)
    assert drawn == int(located["range_km"].notna().sum())
    overview = leaflet_pages(cell(seeds, "overview-map"))
    assert len(overview) == 1 and "georange.slider(" in overview[0]


def test_seed_event_figures(seeds: nbformat.NotebookNode) -> None:
    catalog = geo.load_catalog()
    ranged = catalog[catalog["located"] & catalog["range_km"].notna()]
    pngs = png_outputs(cell(seeds, "event-figures"))
    assert len(pngs) == ranged["event_id"].nunique() > 0
    for png in pngs:
        assert_figure(png)


def test_seed_reach_per_claim(seeds: nbformat.NotebookNode) -> None:
    catalog = geo.load_catalog()
    drawable = catalog[catalog["located"] & catalog["range_km"].notna()]
    shown = table(cell(seeds, "reach-per-claim")).set_index("claim_id")
    assert sorted(shown.index) == sorted(drawable["claim_id"])
    for claim in drawable.itertuples():
        inside = geo.within_range(
            (claim.lat, claim.lon),
            claim.range_km,
            geo.load_targets()["lat"],
            geo.load_targets()["lon"],
        )
        assert shown.loc[claim.claim_id, "targets_in_range"] == int(inside.sum())
        assert shown.loc[claim.claim_id, "population"] > 0


def test_seed_claimants(seeds: nbformat.NotebookNode) -> None:
    catalog = geo.load_catalog()
    kinds = table(cell(seeds, "claimant-kinds"))
    assert len(kinds) == catalog["claimant"].nunique()
    multi = table(cell(seeds, "claimant-events"))
    per_event = catalog.groupby("event_id")["claimant"].nunique()
    assert set(multi["event_id"]) == set(per_event[per_event > 1].index)
    assert len(multi) > 0


# --- 03 CNS history ------------------------------------------------------------------------------


def cns_path_of(nb: nbformat.NotebookNode) -> Path:
    out = text_output(cell(nb, "source"))
    match = re.search(r"CNS file: (.+)", out)
    assert match, out
    path = Path(match.group(1).strip())
    return path if path.is_absolute() else NOTEBOOKS / path


def check_cns(nb: nbformat.NotebookNode) -> geo.CnsImport:
    """Assertions that hold for any CNS file; returns the import redone here."""
    assert_clean(nb)
    path = cns_path_of(nb)
    result = geo.import_cns(path)
    tests = result.events[result.events["range_kind"] == "flown"]
    years = pd.to_numeric(tests["date"].str[:4], errors="coerce").dropna()

    claims = result.total + result.derived  # and the derived standard-trajectory claims
    assert f"{result.total} CNS rows -> {claims} claims" in text_output(cell(nb, "import"))
    # tqdm.auto draws a notebook progress bar (a widget) in Jupyter.
    assert any(WIDGET in o.get("data", {}) for o in cell(nb, "import").outputs)

    per_year = table(cell(nb, "per-year"))
    assert len(per_year) == years.nunique() > 0
    assert int(per_year["tests"].sum()) == len(years)

    per_facility = table(cell(nb, "per-facility"))
    assert int(per_facility["tests"].sum()) == result.total
    assert len(per_facility) == tests["site_name"].replace("", "?").nunique()

    slider = leaflet_pages(cell(nb, "slider-map"))
    assert len(slider) == 1 and "georange.slider(" in slider[0]
    assert slider[0].count("georange.footprint(") == result.located

    farthest = table(cell(nb, "farthest-table"))
    flown = result.events.loc[result.events["range_kind"] == "flown", "range_km"].dropna()
    assert len(farthest) == min(10, len(flown)) > 0
    assert farthest["range_km"].iloc[0] == pytest.approx(flown.max())
    assert list(farthest["range_km"]) == sorted(farthest["range_km"], reverse=True)
    top = leaflet_pages(cell(nb, "farthest-map"))
    assert len(top) == 1 and 1 <= top[0].count("georange.footprint(") <= 3
    return result


def workdir_of(nb: nbformat.NotebookNode) -> Path:
    match = re.search(r"Working files: (.+)", text_output(cell(nb, "source")))
    assert match
    path = Path(match.group(1).strip())
    assert path.name.startswith("georange-cns-")
    return path


def test_cns_synthetic(cns_synthetic: nbformat.NotebookNode) -> None:
    assert "SYNTHETIC" in text_output(cell(cns_synthetic, "source"))
    path = cns_path_of(cns_synthetic)
    assert path.parent == workdir_of(cns_synthetic)
    try:
        assert path.name == "synthetic-cns.csv"
        raw = path.read_bytes()
        assert b"\r\n" in raw  # written in the published layout
        result = check_cns(cns_synthetic)
        assert result.total == 60 and result.unlocated > 0 and result.rangeless > 0
        pngs = png_outputs(cell(cns_synthetic, "farthest-figure"))
        assert len(pngs) == 1
        assert_figure(pngs[0])
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)


def test_cns_reference_file(kernel_name: str, shared_data: Path) -> None:
    reference = shared_data / "cns_nk_missile_test_database_2023-04.csv"
    if not reference.is_file():
        pytest.skip(f"{reference} is absent")
    # No parameters: the notebook finds the reference copy beside the repository by itself.
    nb = execute("03-cns-history.ipynb", kernel_name)
    assert "SYNTHETIC" not in text_output(cell(nb, "source"))
    assert cns_path_of(nb).resolve() == reference.resolve()
    try:
        result = check_cns(nb)
        assert result.total > 200
    finally:
        shutil.rmtree(workdir_of(nb), ignore_errors=True)


def test_cns_path_parameter_xlsx(kernel_name: str, shared_data: Path) -> None:
    """An explicit cns_path (here NTI's workbook) is what the notebook reads."""
    workbook = shared_data / "cns_nk_missile_test_database_2021-03.xlsx"
    if not workbook.is_file():
        pytest.skip(f"{workbook} is absent")
    nb = execute("03-cns-history.ipynb", kernel_name, parameters={"cns_path": str(workbook)})
    assert cns_path_of(nb) == workbook
    try:
        result = check_cns(nb)
        assert result.total > 100
    finally:
        shutil.rmtree(workdir_of(nb), ignore_errors=True)


def test_notebooks_are_fast(
    quickstart: nbformat.NotebookNode,
    seeds: nbformat.NotebookNode,
    cns_synthetic: nbformat.NotebookNode,
) -> None:
    """Each notebook runs within a minute (kernel start included), on this shared machine."""
    slow = {k: round(v, 1) for k, v in TIMINGS.items() if v > 60}
    assert not slow, slow
