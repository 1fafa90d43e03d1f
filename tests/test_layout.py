"""The package's layout, as the README's architecture section draws it: small modules and
functions, and each third-party library used by one stage only.

Read from the source with `ast`, so that a module grown past the limit, or a library imported
where it does not belong (even inside a function), fails here rather than in a review.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "anki_export"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Each library and the only place that may import it.
LIBRARY_HOMES = {
    "anki": "sync/engine.py",
    "click": "cli/",
    "genanki": "write/apkg.py",
    "mistune": "read/items.py",
    "platformdirs": "memo.py",
    "pygments": "read/highlight.py",
    "snowballstemmer": "identity/words.py",
}


def _name(module: Path) -> str:
    return module.relative_to(PACKAGE).as_posix()


def _imports(module: Path) -> set[str]:
    """The top-level names of the absolute imports anywhere in `module`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_package_has_modules_to_check() -> None:
    assert len(MODULES) > 40 and (PACKAGE / "pipeline.py") in MODULES


def _long_functions(text: str) -> list[str]:
    """The functions (methods and nested ones too) of a module's text over the limit."""
    return [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


@pytest.mark.parametrize("module", MODULES, ids=_name)
def test_modules_and_functions_stay_small(module: Path) -> None:
    text = module.read_text("utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{_name(module)}: split it by stage"
    long = _long_functions(text)
    assert not long, f"{_name(module)}: functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_each_library_is_imported_by_its_stage_only() -> None:
    outside = {
        (library, _name(module))
        for module in MODULES
        for library in _imports(module) & LIBRARY_HOMES.keys()
        if not _name(module).startswith(LIBRARY_HOMES[library])
    }
    assert not outside, f"libraries imported outside their stage: {sorted(outside)}"


def test_every_third_party_import_has_a_home() -> None:
    """A library added without a place in the layout is a decision to make, not an accident."""
    third_party = {
        name
        for module in MODULES
        for name in _imports(module)
        if name not in sys.stdlib_module_names and name not in ("anki_export", "__future__")
    }
    assert third_party == LIBRARY_HOMES.keys()


def test_the_checks_see_a_violation(tmp_path: Path) -> None:
    """The import and size checks find what they look for (a check that parses nothing, or
    misreads a nested import, would pass whatever the package holds)."""
    module = tmp_path / "bad.py"
    body = "\n".join(f"        x = {n}" for n in range(MAX_FUNCTION_LINES))
    module.write_text(f"class C:\n    def f(self):\n        import genanki.util\n{body}\n")
    assert _imports(module) == {"genanki"}
    assert _long_functions(module.read_text()) == [f"f ({MAX_FUNCTION_LINES + 2} lines)"]
