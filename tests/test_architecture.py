"""The import rules of docs/architecture.md, enforced on every file of geo/ (parsed with ast).

The flow is one-way: the engine knows no names, maps or CLI; rendering knows no CLI; data
knows no screen; only the CLI imports the CLI.  A lazy import (inside a function) is still an
import: each allowed exception is listed below with its reason.  No function of geo/ is longer
than MAX_FUNCTION_LINES lines of code.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parents[1] / "geo"

ENGINE = ("geo.wgs84", "geo.footprint")
# The lofted-range physics: under the engine's rule, but a site given by name is resolved
# through geo.as_site (a listed lazy exception).
PHYSICS = ("geo.lofted",)
DATA = ("geo.catalog", "geo.gazetteer", "geo.extract")
RENDERING = ("geo.maps", "geo.figure")
# The lexical and file layer under everything: imports nothing of georange but errors.
BASE = ("geo.errors", "geo.resources", "geo.text", "geo.tables")

# module prefix -> what it may not import, and why
RULES: list[tuple[tuple[str, ...], tuple[str, ...], str, bool]] = [
    # (importers, forbidden, reason, whether a listed lazy exception may break the rule)
    (
        ENGINE,
        (*DATA, "geo.reach", *RENDERING, "geo.export", "geo.cli", "folium", "branca"),
        "the engine knows no names, claims, maps or CLI",
        False,
    ),
    (
        PHYSICS,
        (*DATA, "geo.reach", *RENDERING, "geo.export", "geo.cli", "folium", "branca"),
        "the physics knows no claims, maps or CLI (names only through as_site)",
        True,
    ),
    (RENDERING, ("geo.cli",), "rendering knows no CLI", False),
    (DATA, (*RENDERING, "folium", "branca"), "data knows no screen", True),
    (
        BASE,
        ("geo.wgs84", "geo.footprint", *DATA, "geo.reach", *RENDERING, "geo.export", "geo.cli"),
        "the base layer is imported by every package, so it imports none",
        False,
    ),
]

# (importing module, imported module): the reason it is allowed, lazily, inside a function
LAZY_EXCEPTIONS = {
    ("geo.lofted._estimate", "geo.gazetteer"): (
        "standard_trajectory_range(site=...) takes a name as every API does: the one call is "
        "geo.as_site, made lazily so that the physics does not load the gazetteer's tables"
    ),
    ("geo.gazetteer._site", "geo.maps"): (
        "Site._repr_html_ shows its mini-map in Jupyter: rendering lives in geo.maps "
        "(site_map_html), which imports the gazetteer, so the data layer reaches it lazily "
        "and only when a notebook asks for HTML"
    ),
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module (absolute)
    line: int
    lazy: bool  # inside a function or method


def _module_name(path: Path) -> str:
    parts = path.relative_to(GEO.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[Import]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Import] = []

    def visit(node: ast.AST, lazy: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = lazy or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend(Import(module, a.name, child.lineno, inner) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - child.level + 1]
                    target = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    target = child.module or ""
                found.append(Import(module, target, child.lineno, inner))
            visit(child, inner)

    visit(tree, False)
    return found


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


FILES = sorted(GEO.rglob("*.py"))
ALL_IMPORTS = [imp for path in FILES for imp in _imports(path)]


def test_the_files_are_found() -> None:
    assert len(FILES) > 50
    assert any(i.module == "geo.gazetteer._site" and i.target == "geo.maps" for i in ALL_IMPORTS)


@pytest.mark.parametrize(("importers", "forbidden", "reason", "listed_lazy_ok"), RULES)
def test_import_rules(
    importers: tuple[str, ...], forbidden: tuple[str, ...], reason: str, listed_lazy_ok: bool
) -> None:
    broken = [
        f"{i.module}:{i.line} imports {i.target}{' (lazily)' if i.lazy else ''}"
        for i in ALL_IMPORTS
        if _within(i.module, importers)
        and _within(i.target, forbidden)
        and (not listed_lazy_ok or not i.lazy or (i.module, i.target) not in LAZY_EXCEPTIONS)
    ]
    assert not broken, f"{reason}: " + "; ".join(broken)


def test_the_lazy_exceptions_are_lazy_and_still_needed() -> None:
    for module, target in LAZY_EXCEPTIONS:
        hits = [i for i in ALL_IMPORTS if (i.module, i.target) == (module, target)]
        assert hits, f"{module} no longer imports {target}: drop the exception"
        assert all(i.lazy for i in hits), f"{module} imports {target} at module level"


def test_only_the_cli_imports_the_cli() -> None:
    broken = [
        f"{i.module}:{i.line}"
        for i in ALL_IMPORTS
        if _within(i.target, ("geo.cli",)) and not _within(i.module, ("geo.cli",))
    ]
    assert not broken, "only geo.cli may import geo.cli: " + ", ".join(broken)


def test_docs_list_every_file_of_geo() -> None:
    doc = (GEO.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    listed = {line.split("`")[1] for line in doc.splitlines() if line.startswith("- `geo/")}
    files = {
        p.relative_to(GEO.parent).as_posix()
        for p in GEO.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert listed == files, (
        f"missing from docs/architecture.md: {sorted(files - listed)}; "
        f"listed but absent: {sorted(listed - files)}"
    )


# --- function length ------------------------------------------------------------------------

# lines of code (docstrings, comments and blank lines do not count); a nested function's
# lines count in the function around it too
MAX_FUNCTION_LINES = 100
_NOT_CODE = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}


def _function_lengths(source: str) -> dict[str, tuple[int, int]]:
    """Each function's qualified name -> (its first line, its lines of code)."""
    tree = ast.parse(source)
    code: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in _NOT_CODE:
            code.update(range(tok.start[0], tok.end[0] + 1))
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0]
            if ast.get_docstring(node, clean=False) is not None:
                code.difference_update(range(first.lineno, (first.end_lineno or 0) + 1))
    lengths: dict[str, tuple[int, int]] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                name = prefix + child.name
                if not isinstance(child, ast.ClassDef):
                    span = range(child.lineno, (child.end_lineno or 0) + 1)
                    lengths[name] = (child.lineno, sum(line in code for line in span))
                visit(child, name + ".")

    visit(tree, "")
    return lengths


def test_function_length_counts_code_only() -> None:
    source = (
        "def f(x):\n"
        '    """A docstring\n\n    over lines.\n    """\n'
        "    # a comment\n"
        "\n"
        "    y = (x +\n"
        "         1)\n"
        "    def g():\n"
        '        """Inner."""\n'
        "        return 2\n"
        '    s = """a string\n    that is code"""\n'
        "    return y\n"
        "class C:\n"
        '    """Doc."""\n'
        "    def m(self):\n"
        "        return 1  # trailing comment\n"
    )
    assert _function_lengths(source) == {
        "f": (1, 8),  # def, y = ( two lines ), def g, return 2, s = two lines, return y
        "f.g": (10, 2),
        "C.m": (18, 2),
    }


def test_no_function_is_too_long() -> None:
    long = [
        f"{path.relative_to(GEO.parent)}:{line} {name}: {n} lines of code"
        for path in FILES
        for name, (line, n) in _function_lengths(path.read_text(encoding="utf-8")).items()
        if n > MAX_FUNCTION_LINES
    ]
    assert not long, (
        f"functions over {MAX_FUNCTION_LINES} lines of code (split them into named steps): "
        + "; ".join(long)
    )
