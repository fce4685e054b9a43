"""Who may import what: only tests import from ``tests/``; what benches and fuzz targets share with
the tests lives in ``testkit/``."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
#: Tree -> the top-level packages it must not import: only tests import from ``tests``, the host
#: package imports neither the test kit nor the guest SDK (it copies its files into builds), and the
#: guest SDK imports nothing of the others.
FORBIDDEN = {
    "wacpy": ("tests", "testkit", "wacpy_sdk"),
    "wacpy_sdk": ("tests", "testkit", "wacpy"),
    "testkit": ("tests",),
    "benches": ("tests",),
    "fuzz": ("tests",),
}


def imported_modules(source: str, filename: str) -> Iterator[tuple[int, str]]:
    """``(line, module)`` for every absolute import in ``source``, at any depth (function bodies too)."""
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module is not None:
            yield node.lineno, node.module


def forbidden_imports(tree: Path, packages: tuple[str, ...]) -> list[str]:
    """``file:line: module`` for each import under ``tree`` of one of ``packages`` or a submodule."""
    found = []
    for path in sorted(tree.rglob("*.py")):
        shown = path.relative_to(REPO)
        for line, module in imported_modules(path.read_text(encoding="utf-8"), str(shown)):
            if module.split(".")[0] in packages:
                found.append(f"{shown}:{line}: {module}")
    return found


def test_the_scan_sees_imports_in_function_bodies() -> None:
    source = "import os\ndef f():\n    from tests.x import y\n    import tests\nfrom .tests import z\n"
    assert list(imported_modules(source, "t.py")) == [(1, "os"), (3, "tests.x"), (4, "tests")]


def test_the_scan_names_file_line_and_module() -> None:
    found = forbidden_imports(REPO / "tests", ("testkit",))  # the tests do use the kit
    assert "tests/test_linkkit.py:13: testkit.linkkit" in found


@pytest.mark.parametrize(("tree", "packages"), FORBIDDEN.items())
def test_nothing_imports_what_its_layer_may_not(tree: str, packages: tuple[str, ...]) -> None:
    assert (REPO / tree).is_dir()
    assert forbidden_imports(REPO / tree, packages) == []


# --------------------------------------------------------------------------------------------------
# The guest SDK stands alone

#: Run in a fresh interpreter: ``wacpy`` and ``attrs`` cannot be imported, then the whole SDK is
#: imported and used; prints the modules that importing it added.
SDK_ALONE = """
import importlib, json, pkgutil, sys

class Blocked:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("wacpy", "attr", "attrs"):
            raise ImportError(f"{name} is blocked")
        return None

sys.meta_path.insert(0, Blocked())
before = set(sys.modules)
import wacpy_sdk
for info in pkgutil.iter_modules(wacpy_sdk.__path__):
    importlib.import_module(f"wacpy_sdk.{info.name}")
server = wacpy_sdk.Server("alone")

@server.tool
def double(n: int) -> int:
    return 2 * n

assert server.call_tool("double", '{"n": 21}').structured_content == {"result": 42}
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_the_guest_sdk_imports_nothing_of_the_host() -> None:
    done = subprocess.run(
        [sys.executable, "-I", "-c", SDK_ALONE], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    added = json.loads(done.stdout)
    assert "wacpy_sdk._guest" in added
    foreign = [
        m for m in added if m.split(".")[0] not in sys.stdlib_module_names and m.split(".")[0] != "wacpy_sdk"
    ]
    assert foreign == []
