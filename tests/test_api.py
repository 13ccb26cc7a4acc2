"""The public facade `geo`: exactly the names of `__all__`, numpydoc docstrings with runnable
examples, and objects that display themselves in Jupyter (maps, sites, reach tables)."""

from __future__ import annotations
import __future__

import doctest
import html
import inspect
import re
import socket
import subprocess
import sys
import types
from collections.abc import Callable
from io import StringIO
from typing import Any

import pandas as pd
import pytest

import geo
from geo.gazetteer import Site

SECTIONS = (
    "Parameters",
    "Returns",
    "Yields",
    "Raises",
    "Warns",
    "See Also",
    "Notes",
    "References",
    "Examples",
    "Attributes",
    "Methods",
)
PUBLIC = [n for n in geo.__all__ if n != "__version__"]
FUNCTIONS = [n for n in PUBLIC if inspect.isfunction(getattr(geo, n))]
CLASSES = [n for n in PUBLIC if inspect.isclass(getattr(geo, n))]


# --- __all__ ------------------------------------------------------------------------------------


def test_figure_names_load_on_first_use_without_matplotlib_at_start_up() -> None:
    code = (
        "import sys, geo, geo.cli; assert 'matplotlib' not in sys.modules; "
        "f = geo.range_figure; assert 'matplotlib' in sys.modules; "
        "from geo.figure import range_figure; assert f is range_figure is geo.range_figure; "
        "assert geo.figure.event_figures"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_all_lists_exactly_the_public_names() -> None:
    assert len(geo.__all__) == len(set(geo.__all__)), "a name is listed twice in geo.__all__"
    assert "__version__" in geo.__all__
    public = {
        name
        for name, value in vars(geo).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)  # submodules: geo.maps, geo.errors...
        and not isinstance(value, __future__._Feature)  # `from __future__ import annotations`
    } | set(geo._ON_FIRST_USE)  # loaded on first use (matplotlib)
    assert public == set(PUBLIC), (
        f"public but not in __all__: {sorted(public - set(PUBLIC))}; "
        f"in __all__ but absent: {sorted(set(PUBLIC) - public)}"
    )


def test_every_error_is_exported_from_geo_and_geo_errors() -> None:
    # a caller catches what georange raises without importing a submodule
    import geo.errors

    errors = {
        name
        for name, value in vars(geo.errors).items()
        if inspect.isclass(value) and issubclass(value, geo.GeorangeError)
    }
    assert {"SiteMismatchError", "InputFileError", "OutputPathError"} <= errors
    assert errors <= set(geo.__all__), f"not in geo.__all__: {sorted(errors - set(geo.__all__))}"
    assert errors <= set(geo.errors.__all__), (
        f"not in geo.errors.__all__: {sorted(errors - set(geo.errors.__all__))}"
    )
    assert all(getattr(geo, name) is getattr(geo.errors, name) for name in errors)


def test_star_import_gives_the_facade() -> None:
    namespace: dict[str, Any] = {}
    exec("from geo import *", namespace)
    assert {n for n in namespace if n != "__builtins__"} == set(geo.__all__)


def test_everything_public_is_a_function_or_a_class() -> None:
    assert set(FUNCTIONS) | set(CLASSES) == set(PUBLIC)
    assert {"footprint", "footprints", "geocode", "reach", "range_map"} <= set(FUNCTIONS)


def test_function_and_module_name_clashes_resolve_to_the_functions() -> None:
    # `geo.footprint` and `geo.reach` are functions; their modules stay importable by name.
    from geo.footprint import ANTIPODAL_KM
    from geo.reach import load_cities

    assert inspect.isfunction(geo.footprint) and inspect.isfunction(geo.reach)
    assert pytest.approx(20003.93, abs=0.01) == ANTIPODAL_KM
    assert callable(load_cities)


# --- numpydoc docstrings ------------------------------------------------------------------------


def sections(doc: str) -> dict[str, str]:
    """numpydoc sections of a docstring: title -> body (underline checked)."""
    lines = doc.splitlines()
    found: dict[str, str] = {}
    current: str | None = None
    body: list[str] = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() in SECTIONS and re.fullmatch(r"-{3,}", nxt.strip()):
            assert len(nxt.strip()) == len(line.strip()), f"underline of {line!r}"
            if current:
                found[current] = "\n".join(body)
            current, body = line.strip(), []
        elif current and not re.fullmatch(r"-{3,}", line.strip()):
            body.append(line)
    if current:
        found[current] = "\n".join(body)
    return found


def documented_parameters(text: str) -> set[str]:
    """Names listed in a Parameters section (``a, b : type`` lines at the left margin)."""
    names: set[str] = set()
    for line in text.splitlines():
        if line and not line[0].isspace():
            for part in line.split(" : ")[0].split(","):
                names.add(part.strip().lstrip("*"))
    return names


def summary_line(doc: str) -> str:
    return doc.strip().split("\n\n")[0]


def test_sections_parser_reads_numpydoc() -> None:
    doc = inspect.getdoc(geo.footprint) or ""
    found = sections(doc)
    assert {"Parameters", "Returns", "Examples"} <= set(found)
    assert {"lat", "lon", "range_km", "bearing"} <= documented_parameters(found["Parameters"])


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_docstring(name: str) -> None:
    func: Callable[..., Any] = getattr(geo, name)
    doc = inspect.getdoc(func)
    assert doc, f"geo.{name} has no docstring"
    summary = summary_line(doc)
    assert "\n" not in summary and summary.endswith("."), (
        f"geo.{name}: one-line summary: {summary!r}"
    )
    found = sections(doc)
    assert "Examples" in found, f"geo.{name} has no Examples section"
    assert ">>> " in found["Examples"], f"geo.{name}: the Examples section has no example"
    params = [
        p.name
        for p in inspect.signature(func).parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    if params and "Parameters" not in found:
        # A docstring may delegate: "Parameters are those of :func:`footprint`."
        ref = re.search(r"Parameters are those of :func:`(?:geo\.)?(\w+)`", doc)
        assert ref, f"geo.{name} documents none of its parameters {params}"
        other = inspect.getdoc(getattr(geo, ref.group(1))) or ""
        listed = documented_parameters(sections(other).get("Parameters", ""))
    else:
        listed = documented_parameters(found.get("Parameters", ""))
    missing = [p for p in params if p not in listed]
    assert not missing, f"geo.{name}: parameters not documented: {missing}"


@pytest.mark.parametrize("name", CLASSES)
def test_class_docstring(name: str) -> None:
    cls = getattr(geo, name)
    doc = inspect.getdoc(cls)
    assert doc and summary_line(doc).endswith("."), f"geo.{name} needs a one-line summary"
    for attr, value in vars(cls).items():
        func = value.__func__ if isinstance(value, classmethod | staticmethod) else value
        if attr.startswith("_") or not inspect.isfunction(func):
            continue
        mdoc = inspect.getdoc(func) or ""
        assert "Examples" in sections(mdoc), f"geo.{name}.{attr} has no Examples section"


def test_examples_are_collected_as_doctests() -> None:
    """pytest runs examples with --doctest-modules; each public function's must be found."""
    finder = doctest.DocTestFinder(recurse=False)
    for name in FUNCTIONS:
        tests = finder.find(getattr(geo, name), name=name, globs={})
        assert tests and tests[0].examples, f"geo.{name}: no doctest examples found"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError(f"network access attempted: {args[1:]!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_no_network_fixture_refuses(no_network: None) -> None:
    import urllib.request

    with pytest.raises(OSError, match="network access attempted"):
        urllib.request.urlopen("http://example.invalid/", timeout=5)


@pytest.mark.parametrize(
    "name", ["footprint", "footprints", "geocode", "reach", "reach_summary", "range_map"]
)
def test_core_examples_run_offline(name: str, no_network: None) -> None:
    """The examples a new user copies first pass with every socket connection refused."""
    from _pytest.doctest import _get_checker  # pytest's checker: the NUMBER option flag

    finder = doctest.DocTestFinder(recurse=False)
    number = doctest.register_optionflag("NUMBER")
    runner = doctest.DocTestRunner(
        checker=_get_checker(),
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | number,
    )
    module = inspect.getmodule(getattr(geo, name))
    for test in finder.find(getattr(geo, name), name=name, globs=dict(vars(module))):
        result = runner.run(test, out=lambda s: None)
        assert result.failed == 0, f"geo.{name}: {result.failed} example(s) failed offline"
        assert result.attempted > 0


# --- rich display -------------------------------------------------------------------------------


def srcdoc(page: str) -> str:
    found = re.findall(r'srcdoc="([^"]*)"', page)
    assert len(found) == 1
    return html.unescape(found[0])


def test_site_repr_html_shows_map_and_provenance() -> None:
    site = geo.geocode("Shinpo")
    out = site._repr_html_()
    for value in (site.name, site.query, site.match, f"±{site.precision_km:,.3g} km"):
        assert f"<td>{html.escape(value)}</td>" in out
    for source in site.source.split("|"):
        assert html.escape(source) in out
    page = srcdoc(out)
    assert re.search(r"L\.map\(", page) and "leaflet" in page
    assert "L.polygon(" in page  # the precision disk
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()


def test_site_precision_disk_is_geodesic() -> None:
    """The disk drawn is the geodesic footprint of the precision radius, checked by Geod.inv."""
    from pyproj import Geod

    site = geo.geocode("Pyongyang")
    page = srcdoc(site._repr_html_())
    coords = re.search(r"L\.polygon\(\s*(\[\[.*?\]\])", page, re.S)
    assert coords
    ring = [tuple(map(float, p)) for p in re.findall(r"\[([-\d.]+), ([-\d.]+)\]", coords[1])]
    assert len(ring) > 16
    lats, lons = zip(*ring, strict=True)
    n = len(ring)
    _, _, dist = Geod(ellps="WGS84").inv([site.lon] * n, [site.lat] * n, lons, lats)
    assert max(abs(d / 1000 - site.precision_km) for d in dist) < 0.01


def test_site_repr_html_escapes_every_string() -> None:
    hostile = "<script>alert(1)</script> `${alert(2)}` \\"
    site = Site(
        id="<b>id</b>",
        name=hostile,
        lat=39.0,
        lon=125.75,
        precision_km=5.0,
        kind="<i>kind</i>",
        source="<img src=x onerror=alert(3)>|second",
        match="name",
        query=hostile,
        aliases=("<u>alias</u>",),
        note="<a href='javascript:x'>note</a>",
    )
    out = site._repr_html_()
    table = out.split("</iframe>", 1)[1]
    for raw in ("<script>alert", "<b>id", "<i>kind", "<img src", "<u>alias", "<a href="):
        assert raw not in table
        assert raw not in srcdoc(out)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table
    page = srcdoc(out)
    assert "${alert" not in page and "`${" not in page  # nothing a template literal would run


def test_site_repr_html_without_precision() -> None:
    site = Site(None, "a point", 39.0, 125.75, 0.0, "coordinates", "given", "coordinates", "x")
    out = site._repr_html_()
    page = srcdoc(out)
    assert re.search(r"L\.map\(", page) and "L.polygon(" not in page
    assert "circle_marker" in page


def test_maps_render_inline() -> None:
    m = geo.range_map("Pyongyang", 13000, targets=False)
    page = srcdoc(m._repr_html_())
    assert re.search(r"L\.map\(", page)
    assert page.count("georange.footprint(") == 1
    assert "Pyongyang: 13,000 km" in page


def test_reach_table_displays_as_a_table() -> None:
    table = geo.reach("Shinpo", 1500)
    assert isinstance(table, pd.DataFrame)
    shown = pd.read_html(StringIO(table._repr_html_()))[0]
    assert len(shown) == len(table) > 0
    assert {"name", "distance_km", "in_range", "margin_km"} <= set(shown.columns)


def test_range_map_is_what_the_cli_writes(tmp_path: Any) -> None:
    """The map a notebook shows is the page `georange map` writes, byte for byte."""
    from click.testing import CliRunner

    from geo.cli import cli

    out = tmp_path / "map.html"
    args = ["map", "--site", "Shinpo", "--range-km", "1500", "--range-km", "500"]
    args += ["--bearing", "45:135", "--no-targets", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    m = geo.range_map("Shinpo", [1500, 500], bearing=(45, 135), targets=False)
    assert out.read_text(encoding="utf-8") == geo.render_html(m)
