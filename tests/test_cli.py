"""The wacpy command line: output for good input, one line and exit 2 for bad input."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wacpy.authoring import new_project
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


# --------------------------------------------------------------------------------------------------
# Errors: one line, exit 2; --verbose for the whole story


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("wacpy: error: "), err
    return lines[0]


@pytest.fixture
def workdir(tmp_path: Path, small_file: Path) -> Path:
    """A folder with a component, a graph file using it, a C project and a plain file."""
    (tmp_path / "graph.toml").write_text(
        '[components]\nsmall = "small.wasm"\n\n[[instance]]\nname = "s"\ncomponent = "small"\n\n'
        '[[export]]\nname = "run"\ninstance = "s"\nexport = "run"\n'
    )
    (tmp_path / "notes.txt").write_text("not a folder")
    (tmp_path / "existing").write_text("a file named like a project")
    new_project("c-proj", language="c", parent=tmp_path)
    return tmp_path


BAD_COMMANDS = [
    (["new", "world"], "`world` cannot name a component: it is a WIT keyword"),
    (["new", "interface"], "it is a WIT keyword"),
    (["new", "x" * 300], "300 characters, at most 64"),
    (["new", "notes.txt"], "cannot name a component"),
    (["new", "existing"], "existing exists and is not a folder"),
    (["new", "my-tools", "--dir", "notes.txt"], "notes.txt is a file, not a folder"),
    (["new", "Bad_Name"], "cannot name a component: use lowercase words"),
    (["build", "nonexist/x"], "nonexist/x: no such file or folder"),
    (["build", "notes.txt"], "notes.txt: not valid TOML"),
    (["build", "c-proj", "-o", "c-proj/component.c"], "is an input of this command"),
    (["build", "c-proj", "-o", "c-proj/wacpy.toml"], "is an input of this command"),
    (["build", "c-proj", "-o", "c-proj/include/wacpy_provider.h"], "is an input of this command"),
    (["build", "c-proj", "-o", "c-proj"], "is a folder"),
    (["plug", "small.wasm", "small.wasm", "-o", "small.wasm"], "output small.wasm is an input"),
    (["compose", "graph", "graph.toml", "-o", "graph.toml"], "output graph.toml is an input"),
    (["compose", "graph", "graph.toml", "-o", "small.wasm"], "output small.wasm is an input"),
    (["compose", "server", "small.wasm", "-o", "small.wasm"], "output small.wasm is an input"),
    (["compose", "handler", "small.wasm", "-o", "./small.wasm"], "output ./small.wasm is an input"),
    (["compose", "graph", "missing.toml", "-o", "out.wasm"], "cannot read missing.toml"),
    (["inspect"], "the following arguments are required: file"),
    (["inspect", "small.wasm", "--bogus"], "unrecognized arguments: --bogus"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
]


@pytest.mark.parametrize(
    ("args", "fragment"), BAD_COMMANDS, ids=lambda v: " ".join(v)[:40] if isinstance(v, list) else ""
)
def test_bad_commands_print_one_line_and_exit_2(
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    fragment: str,
) -> None:
    monkeypatch.chdir(workdir)
    before = {p: p.read_bytes() for p in workdir.rglob("*") if p.is_file()}
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2
    assert fragment in one_error_line(err)
    assert {p: p.read_bytes() for p in workdir.rglob("*") if p.is_file()} == before  # nothing written
    assert not (workdir / "c-proj" / "build").exists()  # refused before any work


def test_verbose_shows_the_tool_output_and_the_traceback(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = workdir / "c-proj" / "component.c"
    source.write_text(source.read_text() + "\nint broken(void) { return undeclared_name; }\n")
    assert main(["build", str(workdir / "c-proj")]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "zig cc failed: component.c:" in line and "undeclared_name" in line and "(and" not in line
    for argv in (
        ["--verbose", "build", str(workdir / "c-proj")],
        ["build", "--verbose", str(workdir / "c-proj")],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "Traceback (most recent call last)" in err and "AuthoringError" in err
        assert "return undeclared_name;" in err  # the compiler's own output, with its source excerpt
        assert err.strip().splitlines()[-1] == line
    monkeypatch.setenv("WACPY_DEBUG", "1")
    assert main(["build", str(workdir / "c-proj")]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_a_bug_is_one_line_too_and_exits_70(
    small_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(data: bytes) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("wacpy.cli.summarize", broken)
    assert main(["inspect", str(small_file)]) == 70
    line = one_error_line(capsys.readouterr().err)
    assert line == "wacpy: error: internal error: RuntimeError: boom (run with --verbose for a traceback)"
    assert main(["--verbose", "inspect", str(small_file)]) == 70
    assert "Traceback" in capsys.readouterr().err


def test_multi_line_tool_errors_become_one_line() -> None:
    from wacpy.cli import one_line

    message = "wasm-tools validate failed: error: func 2 failed\n\nCaused by:\n    0: type mismatch (at offset 0x2a)"
    assert (
        one_line(message)
        == "wasm-tools validate failed: error: func 2 failed: type mismatch (at offset 0x2a)"
    )
    assert one_line("x" * 1000).endswith("... (--verbose shows all)") and len(one_line("x" * 1000)) <= 400


def test_inspect_reads_wat_like_graph_files_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "c.wat").write_text('(component (import "log" (func (param "msg" string))))')
    assert main(["inspect", str(tmp_path / "c.wat")]) == 0
    assert "log: func(msg: string)" in capsys.readouterr().out
    (tmp_path / "bad.wat").write_text("(component (nope))")
    assert main(["inspect", str(tmp_path / "bad.wat")]) == 2
    assert "bad.wat: wasm-tools parse failed" in one_error_line(capsys.readouterr().err)


# --------------------------------------------------------------------------------------------------
# Output files: a full disk or Ctrl-C keeps the previous output


def test_a_full_disk_keeps_the_previous_output(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """compose, build and new all write through one helper: a failed write changes nothing."""
    composed, built = workdir / "out.wasm", workdir / "c-proj" / "c-proj.wasm"
    assert main(["compose", "graph", str(workdir / "graph.toml"), "-o", str(composed)]) == 0
    assert main(["build", str(workdir / "c-proj")]) == 0
    previous = {path: path.read_bytes() for path in (composed, built)}
    capsys.readouterr()

    def full_disk(fd: int, data: bytes) -> None:
        os.write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("wacpy._files._write_all", full_disk)
    for argv, target in [
        (["compose", "graph", str(workdir / "graph.toml"), "-o", str(composed)], composed),
        (["build", str(workdir / "c-proj")], built),
        (["new", "fresh", "--dir", str(workdir)], workdir / "fresh" / "wacpy.toml"),
    ]:
        assert main(argv) == 2
        line = one_error_line(capsys.readouterr().err)
        assert line == f"wacpy: error: cannot write {target}: No space left on device"
        assert {path: path.read_bytes() for path in (composed, built)} == previous
        hidden = [
            p for folder in (workdir, built.parent) for p in folder.iterdir() if p.name.endswith(".tmp")
        ]
        assert hidden == []
    assert not (workdir / "fresh").exists()


def test_ctrl_c_during_a_command_prints_interrupted(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = workdir / "out.wasm"
    out.write_bytes(b"previous")

    def interrupted(fd: int, data: bytes) -> None:
        os.write(fd, data[:10])
        raise KeyboardInterrupt

    monkeypatch.setattr("wacpy._files._write_all", interrupted)
    assert main(["compose", "graph", str(workdir / "graph.toml"), "-o", str(out)]) == 130
    assert capsys.readouterr().err == "wacpy: interrupted\n"
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in workdir.iterdir() if p.name.startswith(".")) == []


def test_sigint_during_a_build_exits_130_without_an_output(tmp_path: Path) -> None:
    """A real SIGINT while componentize-py runs: one line, status 130, no component, no temporary."""
    pytest.importorskip("componentize_py")
    root = new_project("slow-build", parent=tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "wacpy", "build", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    entry = root / "build" / "python" / "wacpy_component_entry.py"
    deadline = time.monotonic() + 30
    while not entry.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert entry.exists(), "the build did not reach componentize-py"
    time.sleep(0.5)  # componentize-py is running
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert err == "wacpy: interrupted\n"
    assert not (root / "slow-build.wasm").exists()
    assert [p.name for p in root.iterdir() if p.name.startswith(".") and p.name != ".gitignore"] == []


def test_a_reader_that_leaves_early_is_no_error(tmp_path: Path) -> None:
    """`wacpy inspect big.wasm | head -1`: the pipe closes while wacpy still writes."""
    import subprocess
    import sys

    big = tmp_path / "big.wat"
    big.write_text("(component " + " ".join(f'(import "i{n}" (func))' for n in range(3000)) + ")")
    script = "import sys; from wacpy.cli import main; sys.exit(main(['inspect', sys.argv[1]]))"
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    writer = subprocess.run(
        [sys.executable, "-c", script, str(big)], stdout=reader.stdin, stderr=subprocess.PIPE, timeout=120
    )
    assert reader.stdin is not None
    reader.stdin.close()
    reader.wait(timeout=30)
    assert writer.returncode == 0
    assert writer.stderr.decode().strip() == ""


def test_serve_prints_the_command_it_runs_with_wasmtime_options_after_a_double_dash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = tmp_path / "s.wat"
    server.write_text('(component (import "wasi:cli/environment@0.2.12" (instance)))')
    assert (
        main(["serve", str(server), "--dry-run", "--timeout", "2m", "--reuse", "1", "--", "--env", "A=B"])
        == 0
    )
    argv = capsys.readouterr().out.split()
    assert argv[1:] == [
        "serve",
        "--env",
        "A=B",
        "-Scli",
        "-Shttp",
        "-Wtimeout=120s",
        "--addr",
        "127.0.0.1:8080",
        str(server),
    ]
    assert main(["serve", str(server), "--dry-run", "--stdio"]) == 0
    assert capsys.readouterr().out.split()[1:] == ["run", "-Scli", str(server)]
    assert main(["inspect", str(server), "--", "x"]) == 2
    assert "only `wacpy serve` takes options after `--`" in capsys.readouterr().err
