"""The three floors, checked in pytest as well as by import-linter: no module of ``healing/`` or
``interviews/`` imports a higher floor, at module level or inside a function; and no module of
the three imports a project module inside a function (except ``AppConfig.ready()``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLOORS = {"healing": 0, "interviews": 1, "coding": 2}
# The root URL tables and the settings name the apps they serve (pyproject.toml says why).
EXCEPTIONS = {"healing/urls.py", "healing/api/urls.py", "healing/settings.py"}


def _modules(package: str) -> list[Path]:
    return sorted(
        path
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    return []


def _in_function_imports(tree: ast.AST) -> list[tuple[str, ast.AST]]:
    found = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            found += [(function.name, node) for node in ast.walk(function) if _imported(node)]
    return found


@pytest.mark.parametrize("package", ["healing", "interviews"])
def test_no_module_imports_a_higher_floor(package: str) -> None:
    floor = FLOORS[package]
    upward = []
    for path in _modules(package):
        name = str(path.relative_to(ROOT))
        if name in EXCEPTIONS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for module in _imported(node):
                top = module.split(".")[0]
                if FLOORS.get(top, -1) > floor:
                    upward.append(f"{name}:{node.lineno} imports {module}")
    assert upward == []


def test_no_project_import_hides_in_a_function() -> None:
    """An import inside a function is how a cycle gets dodged; registration replaces it. Only
    ``AppConfig.ready()`` imports (Django's registration point), and third-party libraries may
    load lazily (openpyxl, playwright...)."""
    hidden = []
    for package in FLOORS:
        for path in _modules(package):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for function, node in _in_function_imports(tree):
                if function == "ready" and path.name == "apps.py":
                    continue
                for module in _imported(node):
                    if module.split(".")[0] in FLOORS:
                        name = path.relative_to(ROOT)
                        hidden.append(f"{name}:{node.lineno} in {function}() imports {module}")
    assert hidden == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The walker finds an upward import at any depth (a guard for the guard)."""
    source = "def f():\n    if True:\n        from coding.models import Coding\n"
    tree = ast.parse(source)
    assert [m for n in ast.walk(tree) for m in _imported(n)] == ["coding.models"]
