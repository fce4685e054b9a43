"""Who may import what: only tests import from ``tests/``; what benches and fuzz targets share with
the tests lives in ``testkit/``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
#: The trees that must not import from ``tests``.
OUTSIDE_TESTS = ("wacpy", "testkit", "benches", "fuzz")


def imported_modules(source: str, filename: str) -> Iterator[tuple[int, str]]:
    """``(line, module)`` for every absolute import in ``source``, at any depth (function bodies too)."""
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module is not None:
            yield node.lineno, node.module


def imports_of_tests(tree: Path) -> list[str]:
    """``file:line: module`` for each import of ``tests`` or ``tests.*`` under ``tree``."""
    found = []
    for path in sorted(tree.rglob("*.py")):
        shown = path.relative_to(REPO)
        for line, module in imported_modules(path.read_text(encoding="utf-8"), str(shown)):
            if module == "tests" or module.startswith("tests."):
                found.append(f"{shown}:{line}: {module}")
    return found


def test_the_scan_sees_imports_in_function_bodies() -> None:
    source = "import os\ndef f():\n    from tests.x import y\n    import tests\nfrom .tests import z\n"
    assert list(imported_modules(source, "t.py")) == [(1, "os"), (3, "tests.x"), (4, "tests")]


@pytest.mark.parametrize("tree", OUTSIDE_TESTS)
def test_nothing_outside_tests_imports_from_tests(tree: str) -> None:
    assert (REPO / tree).is_dir()
    assert imports_of_tests(REPO / tree) == []
