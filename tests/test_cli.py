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
    assert "  test:small/api@1.0.0: interface {" in out
    assert "    resource thing" in out
    assert "    take: func(t: borrow<thing>) -> own<thing>" in out
    assert "  log: func(msg: string)" in out
    assert "  run: func() -> tuple<u8, char>" in out


def test_inspect_json_matches_the_component(small_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "--json", str(small_file)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["size"] == small_file.stat().st_size
    imports = {i["name"]: i for i in summary["imports"]}
    assert imports["log"]["type"] == {
        "kind": "func",
        "async": False,
        "params": [{"name": "msg", "type": "string"}],
        "result": None,
    }
    api = imports["test:small/api@1.0.0"]["type"]
    assert api["kind"] == "instance" and api["exports"]["thing"] == {"kind": "resource", "name": "thing"}
    assert sorted(e["name"] for e in summary["exports"]) == ["run", "test:small/api@1.0.0"]
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
