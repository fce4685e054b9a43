"""The wacpy command line: output for good input, one line and exit 2 for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wacpy.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wacpy", *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def small_file(tmp_path: Path, small_component: bytes) -> Path:
    path = tmp_path / "small.wasm"
    path.write_bytes(small_component)
    return path


def test_inspect_lists_sections_imports_and_exports(
    small_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inspect", str(small_file)]) == 0
    out = capsys.readouterr().out
    assert "core module" in out
    assert "instance     test:small/api@1.0.0" in out
    assert "func         log" in out
    assert "func         run" in out


def test_inspect_json_matches_the_component(small_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "--json", str(small_file)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["size"] == small_file.stat().st_size
    assert {"name": "log", "kind": "func"} in summary["imports"]
    assert {"name": "run", "kind": "func"} in summary["exports"]
    ends = [s["offset"] + s["size"] for s in summary["sections"]]
    assert ends[-1] == summary["size"]
    assert [s["offset"] for s in summary["sections"][1:]] == ends[:-1]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"not wasm at all", "bad magic number"),
        (b"\x00asm\x0d\x00\x01\x00\x07\x05\x01", "byte offset 10"),
        (b"\x00asm\x01\x00\x00\x00", "core module"),
    ],
)
def test_bad_input_prints_one_line_and_exits_2(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "bad.wasm"
    path.write_bytes(content)
    done = run_cli("inspect", str(path))
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("wacpy: error: ") and fragment in lines[0] and str(path) in lines[0]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    done = run_cli("inspect", str(tmp_path / "nope.wasm"))
    assert done.returncode == 2
    assert "cannot read" in done.stderr and "nope.wasm" in done.stderr
    assert "Traceback" not in done.stderr
