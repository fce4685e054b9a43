"""Precompiled servers: ``wacpy compose server --precompile`` / ``wacpy precompile`` write the
``wasmtime compile`` output beside the server, the printed command serves it, and ``wacpy serve``
uses it only while it matches the server, the wasmtime and the timeout, saying why otherwise.

The server is the C test tool behind the framework (compiles in a second), so the whole file runs
in the default suite.
"""

from __future__ import annotations

import json
import os
import shlex
import stat
from pathlib import Path

import pytest

from testkit.components import build_tool, require_components
from testkit.serving import free_port, rpc, running
from wacpy.cli import main
from wacpy.tools import wasmtime_path

pytestmark = pytest.mark.usefixtures("framework_built")


@pytest.fixture(scope="module")
def framework_built() -> None:
    require_components("transport", "context-provider", "method-not-found", "tools-middleware")


@pytest.fixture(scope="module")
def tool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("precompile")
    path = work / "tool.wasm"
    path.write_bytes(build_tool(work))
    return path


def _compose(tool: Path, out: Path, capsys: pytest.CaptureFixture[str], *options: str) -> str:
    assert main(["compose", "server", str(tool), "-o", str(out), *options]) == 0
    return capsys.readouterr().out


def _http_command(printed: str, port: int) -> list[str]:
    line = next(line for line in printed.splitlines() if "# streamable HTTP" in line)
    argv = shlex.split(line.split("#")[0])
    assert argv[:2] == ["wasmtime", "serve"]
    argv[argv.index("--addr") + 1] = f"127.0.0.1:{port}"
    return [wasmtime_path(), *argv[1:]]


def _dry_run(server: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[list[str], str]:
    assert main(["serve", str(server), "--dry-run", *options]) == 0
    said = capsys.readouterr()
    return said.out.split(), said.err


def test_the_printed_command_serves_the_precompiled_server(
    tool: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = tmp_path / "server.wasm"
    printed = _compose(tool, server, capsys, "--precompile")
    cwasm = tmp_path / "server.cwasm"
    record = json.loads((tmp_path / "server.cwasm.json").read_text())
    assert record["epoch-interruption"] is True  # the default 30 s timeout needs it
    argv = _http_command(printed, free_port())
    assert argv[-1] == str(cwasm) and "--allow-precompiled" in argv and "-Wtimeout=30s" in argv
    port = int(argv[argv.index("--addr") + 1].split(":")[1])
    with running(argv, port, tmp_path / "serve.log") as url:
        tools = rpc(url, "tools/list")["result"]["tools"]
    assert "echo" in {t["name"] for t in tools}


def test_serve_uses_a_matching_precompiled_server_and_says_so(
    tool: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = tmp_path / "server.wasm"
    _compose(tool, server, capsys, "--precompile")
    argv, said = _dry_run(server, capsys)
    assert argv[-1] == str(tmp_path / "server.cwasm") and "--allow-precompiled" in argv
    assert "serving the precompiled" in said
    argv, said = _dry_run(server, capsys, "--no-precompiled")
    assert argv[-1] == str(server) and "--allow-precompiled" not in argv and said == ""


def test_precompile_without_a_timeout_serves_without_one(
    tool: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = tmp_path / "server.wasm"
    _compose(tool, server, capsys)
    assert main(["precompile", str(server), "--timeout", "none"]) == 0
    printed = capsys.readouterr().out
    argv = _http_command(printed, free_port())
    assert argv[-1] == str(tmp_path / "server.cwasm") and not any(a.startswith("-Wtimeout") for a in argv)
    port = int(argv[argv.index("--addr") + 1].split(":")[1])
    with running(argv, port, tmp_path / "serve.log") as url:
        assert rpc(url, "ping")["result"] == {}


def _stale_by(
    change: str, server: Path, tool: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = tmp_path / "server.cwasm.json"
    fields = json.loads(record.read_text())
    if change == "server":
        _compose(tool, server, capsys, "--transport", "http")  # another server.wasm, same name
    elif change == "wasmtime":
        major, rest = fields["wasmtime"].split(".", 1)
        fields["wasmtime"] = f"{int(major) - 1}.{rest}"
        record.write_text(json.dumps(fields))
    elif change == "damaged":
        record.write_text("{not json")
    elif change == "missing":
        record.unlink()


@pytest.mark.parametrize(
    ("change", "options", "reason"),
    [
        ("server", (), "was compiled from another server.wasm"),
        ("wasmtime", (), "wasmtime runs code of its own major version only"),
        ("nothing", ("--timeout", "none"), "compiled with a timeout and this serves without one"),
        ("damaged", (), "server.cwasm.json cannot be read"),
        ("missing", (), "server.cwasm.json is missing"),
    ],
)
def test_a_precompiled_server_that_does_not_match_is_passed_over_with_the_reason(
    tool: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: str,
    options: tuple[str, ...],
    reason: str,
) -> None:
    server = tmp_path / "server.wasm"
    _compose(tool, server, capsys, "--precompile")
    _stale_by(change, server, tool, tmp_path, capsys)
    argv, said = _dry_run(server, capsys, *options)
    assert argv[-1] == str(server) and "--allow-precompiled" not in argv
    assert said.startswith("wacpy: note: ") and reason in said and "wacpy precompile" in said
    assert said.count("\n") == 1


def test_a_failed_compile_keeps_the_previous_precompiled_server(
    tool: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """wasmtime writes half a file and fails: the error is one line and the old files stay."""
    server = tmp_path / "server.wasm"
    _compose(tool, server, capsys, "--precompile")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    fake = tmp_path / "fake-wasmtime"
    fake.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = --version ]; then echo "wasmtime 49.0.3 (fake)"; exit 0; fi\n'
        'for a; do last=$a; done; printf partial > "$last"\n'
        'echo "Error: failed to compile" >&2; echo "Caused by: out of fuel" >&2; exit 1\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr("wacpy.cli.wasmtime_path", lambda: str(fake))
    assert main(["precompile", str(server)]) == 2
    progress, error = capsys.readouterr().err.splitlines()
    assert progress.startswith("precompiling")
    assert error.startswith("wacpy: error: wasmtime compile") and error.endswith("Caused by: out of fuel")
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p != fake}
    assert after == before


def test_precompile_refuses_what_is_not_a_component_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "server.wasm"
    junk.write_bytes(b"\0asm\x01\0\0\0")  # a core module, not a component
    assert main(["precompile", str(junk)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"wacpy: error: {junk}:") and err.count("\n") == 1
    assert sorted(os.listdir(tmp_path)) == ["server.wasm"]


def test_precompile_refuses_to_write_over_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = tmp_path / "s.wat"
    server.write_text("(component)")
    assert main(["precompile", str(server), "-o", str(server)]) == 2
    assert "is an input of this command" in capsys.readouterr().err
    assert server.read_text() == "(component)"
