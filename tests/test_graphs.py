"""Data-driven golden cases for the composition graph, one folder per case under ``tests/graphs/``.

A case folder holds its input components as component WAT (``name.wat``), WIT (``name.wit`` with a
``world name``; made into a component with a dummy core module) or hex bytes (``name.hex``, ``;;``
comments allowed: for malformed binaries, which ``wasm-tools parse`` refuses), and either ``graph.toml`` (a graph
file whose [components] name ``name.wasm``) or ``plug.toml`` (``root = "a.wasm"``,
``plugs = ["b.wasm", ...]``). The expected result is ``expected.wat`` (``wasm-tools print`` of the
composed component) or ``error.txt`` (the error class and message). Set ``WACPY_BLESS=1`` to rewrite
the expected files after a deliberate change, then review the diff.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path

import pytest

from wacpy import WacpyError, compose, load_graph
from wacpy.tools import print_wat, run_wasm_tools

CASES = Path(__file__).parent / "graphs"
BLESS = os.environ.get("WACPY_BLESS") == "1"


def build_inputs(case: Path, into: Path) -> None:
    for source in sorted(case.iterdir()):
        target = into / f"{source.stem}.wasm"
        if source.suffix == ".wat":
            target.write_bytes(run_wasm_tools("parse", str(source)))
        elif source.suffix == ".hex":  # malformed binaries, spelt out in hex with ;; comments
            lines = (line.partition(";;")[0] for line in source.read_text().splitlines())
            target.write_bytes(bytes.fromhex("".join(lines)))
        elif source.suffix == ".wit":
            core = run_wasm_tools("component", "embed", str(source), "--world", source.stem, "--dummy")
            target.write_bytes(run_wasm_tools("component", "new", "-", stdin=core))
        else:
            shutil.copy(source, into / source.name)


def run_case(work: Path) -> tuple[bool, str]:
    """(failed, text): the printed composition, or ``ErrorClass: message`` without the work folder's path."""
    try:
        if (work / "plug.toml").exists():
            spec = tomllib.loads((work / "plug.toml").read_text())
            data = compose(work / spec["root"], [work / p for p in spec["plugs"]])
        else:
            data = load_graph(work / "graph.toml").encode()
    except WacpyError as err:
        return True, f"{type(err).__name__}: {err}".replace(str(work) + "/", "") + "\n"
    return False, print_wat(data)


@pytest.mark.parametrize(
    "case", sorted(p.name for p in CASES.iterdir() if p.is_dir()) if CASES.exists() else []
)
def test_graph_case(case: str, tmp_path: Path) -> None:
    folder = CASES / case
    build_inputs(folder, tmp_path)
    is_error, actual = run_case(tmp_path)
    expected_file = folder / ("error.txt" if is_error else "expected.wat")
    other = folder / ("expected.wat" if is_error else "error.txt")
    if BLESS:
        expected_file.write_text(actual)
        other.unlink(missing_ok=True)
    assert not other.exists(), (
        f"{case}: expected {other.name}, got {'an error' if is_error else 'a component'}:\n{actual}"
    )
    assert expected_file.exists(), f"{case}: no {expected_file.name}; run with WACPY_BLESS=1 to create it"
    assert actual == expected_file.read_text()


PLUG_CASES = sorted(p.name for p in CASES.iterdir() if (p / "plug.toml").exists()) if CASES.exists() else []


def test_the_outline_composition_is_exact_or_declines(tmp_path: Path) -> None:
    """``compose()`` has wasm-tools validate the binary worked out from names and sorts alone while
    it types the composition in full; that outline must give exactly the full result, or nothing."""
    from wacpy.compose.plug import _outline_compose

    exact = 0
    for case in PLUG_CASES:
        work = tmp_path / case
        work.mkdir()
        build_inputs(CASES / case, work)
        spec = tomllib.loads((work / "plug.toml").read_text())
        root, plugs = work / spec["root"], [work / p for p in spec["plugs"]]
        guess = _outline_compose(root, plugs)
        try:
            full = compose(root, plugs, validate=False)
        except WacpyError:
            continue  # an error case: whatever the outline guessed is never returned
        assert guess is None or guess == full, case
        exact += guess is not None
    assert exact >= 2  # plug-simple and plug-semver leave no import unsatisfied: outline = result
