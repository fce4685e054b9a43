"""Composed Python servers: their size with and without module dedup, and the time to the first
answer after start, cold, cached and precompiled.

Run: ``.venv/bin/python -m benches.bench_start [--tools 1 5] [--rounds 2]``. Builds five small
Python tool components (``wacpy build``, cached under ``.cache/bench-start``) and composes 1..5 of
them into one server, with identical core modules stored once (the default) and without: the size
table gives both and the floor, the sum of the distinct core modules plus everything else the
composition holds. For the counts given with ``--tools`` it then times from starting ``wasmtime
serve`` (the command ``wacpy compose server`` prints, 127.0.0.1 only) to the first answered
``tools/call``:

* **cold**: an empty wasmtime compilation cache, so wasmtime compiles every module first;
* **cached**: the same start again with the cache the cold start filled;
* **precompiled**: serving the ``wacpy precompile`` output (``--allow-precompiled``); the time
  ``wasmtime compile`` took is reported beside it.

Beside them, in the same rounds, the MCP Python SDK server (stateless, JSON responses, uvicorn,
from the virtual environment ``benches.bench_mcp`` keeps) serving one tool: the peer's start.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import tempfile
import time
from pathlib import Path

from benches.bench_mcp import SDK_SERVER, running, sdk_python, wait_for_answer
from testkit.serving import free_port
from wacpy.authoring import build_project, new_project
from wacpy.binary import decode
from wacpy.binary.ast.sections import Component, ComponentSection, CoreModuleSection
from wacpy.mcp import ServeOptions, compose_server, serve_argv
from wacpy.mcp.precompile import precompile
from wacpy.tools import wasmtime_path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench-start"
NAMES = ("alpha", "bravo", "charlie", "delta", "echo")
START_LIMIT = 900.0  # seconds: five cold Python components on a busy 2-core machine

TOOL_SOURCE = '''"""bench-{name}: one tool of the start-up benchmark."""

from wacpy_sdk import Server

server = Server("bench-{name}")


@server.tool
def echo{suffix}(text: str) -> str:
    """Echo the text back."""
    return "echo: " + text
'''


def tool_component(name: str, first: bool) -> Path:
    """The built tool project ``bench-NAME`` (its tool is ``echo`` for the first, so the request
    the bench sends is the same for every server)."""
    project = CACHE / f"bench-{name}"
    source = TOOL_SOURCE.format(name=name, suffix="" if first else f"_{name}")
    app = project / "app.py"
    if not project.exists():
        new_project(f"bench-{name}", parent=CACHE)
    if not app.exists() or app.read_text() != source:
        app.write_text(source)
    output = project / f"bench-{name}.wasm"
    if not output.exists() or output.stat().st_mtime < app.stat().st_mtime:
        build_project(project)
    return output


def composed(count: int, work: Path, *, dedup: bool = True) -> Path:
    parts = [tool_component(name, index == 0).read_bytes() for index, name in enumerate(NAMES[:count])]
    target = work / f"server-{count}{'' if dedup else '-nodedup'}.wasm"
    target.write_bytes(compose_server(parts, transport="http", on_duplicate=None, dedup=dedup))
    return target


def floor_size(data: bytes) -> int:
    """The size of a composition with each distinct core module of its nested components once."""
    seen: set[str] = set()
    duplicate_bytes = 0
    for section in decode(data).sections:
        if isinstance(section, ComponentSection):
            inner = (
                section.component if isinstance(section.component, Component) else decode(section.component)
            )
            for module in inner.sections:
                if isinstance(module, CoreModuleSection):
                    digest = hashlib.sha256(module.module.data).hexdigest()
                    duplicate_bytes += len(module.module.data) if digest in seen else 0
                    seen.add(digest)
    return len(data) - duplicate_bytes


def size_table(work: Path) -> None:
    print(
        f"{'tools':>5} {'no dedup MB':>12} {'dedup MB':>9} {'floor MB':>9} {'dedup/none':>11} {'over floor':>11}"
    )
    for count in range(1, len(NAMES) + 1):
        plain = composed(count, work, dedup=False).stat().st_size
        shared = composed(count, work).stat().st_size
        floor = floor_size((work / f"server-{count}-nodedup.wasm").read_bytes())
        print(
            f"{count:>5} {plain / 1e6:>12.2f} {shared / 1e6:>9.2f} {floor / 1e6:>9.2f} "
            f"{shared / plain:>11.3f} {(shared - floor) / floor:>10.4%}"
        )


def first_answer(argv: list[str], port: int) -> float:
    """Seconds from starting ``argv`` (listening on ``port``) to its first answered tools/call."""
    start = time.perf_counter()
    with running(argv):
        wait_for_answer(f"http://127.0.0.1:{port}/mcp", time.perf_counter() + START_LIMIT)
    return time.perf_counter() - start


#: Stands for the port in a command until the start it is measured in picks a free one.
PORT = "{port}"


def wasmtime_command(server: Path, cache: Path | None, cwasm: Path | None) -> list[str]:
    options = ServeOptions(address=f"127.0.0.1:{PORT}")
    argv = serve_argv(
        wasmtime_path(),
        str(server),
        decode(server.read_bytes()),
        options,
        precompiled=None if cwasm is None else str(cwasm),
    )
    if cache is None:
        return [argv[0], argv[1], "-Ccache=n", *argv[2:]]
    config = cache.with_suffix(".toml")
    config.write_text(f'[cache]\ndirectory = "{cache}"\n')
    return [argv[0], argv[1], "-C", f"cache-config={config}", *argv[2:]]


def sdk_command(work: Path) -> list[str]:
    script = work / "sdk_server.py"
    script.write_text(
        SDK_SERVER.format(stateless=True, json_response=True)
    )  # a template since bench_mcp's 2026 rows
    return [str(sdk_python()), str(script), PORT]


ROWS = ("cold", "cached", "precompiled", "cold, no dedup", "precompiled, no dedup", "sdk")


def _precompiled(server: Path) -> tuple[Path, float]:
    started = time.perf_counter()
    record = precompile(server, server.read_bytes(), wasmtime=wasmtime_path(), epoch_interruption=True)
    return record.cwasm, time.perf_counter() - started


def measure(count: int, rounds: int, work: Path) -> dict[str, list[float]]:
    server, plain = composed(count, work), composed(count, work, dedup=False)
    cwasm, compile_seconds = _precompiled(server)
    plain_cwasm, plain_compile_seconds = _precompiled(plain)
    samples: dict[str, list[float]] = {row: [] for row in ROWS}
    for round_ in range(rounds):
        cache = work / f"cache-{count}-{round_}"
        starts = {
            "cold": wasmtime_command(server, cache, None),
            "cached": wasmtime_command(server, cache, None),
            "precompiled": wasmtime_command(server, None, cwasm),
            "cold, no dedup": wasmtime_command(plain, work / f"cache-{count}-{round_}-plain", None),
            "precompiled, no dedup": wasmtime_command(plain, None, plain_cwasm),
            "sdk": sdk_command(work),
        }
        for row, command in starts.items():
            port = free_port()
            samples[row].append(first_answer([part.replace(PORT, str(port)) for part in command], port))
    samples["wasmtime compile"] = [compile_seconds, plain_compile_seconds]
    samples["size MB"] = [
        server.stat().st_size / 1e6,
        cwasm.stat().st_size / 1e6,
        plain_cwasm.stat().st_size / 1e6,
    ]
    return samples


def report(count: int, samples: dict[str, list[float]]) -> None:
    sdk = statistics.median(samples["sdk"])
    size, cwasm_size, plain_cwasm_size = samples["size MB"]
    print(
        f"\n{count} Python tool component(s): server {size:.1f} MB, precompiled {cwasm_size:.1f} MB "
        f"({plain_cwasm_size:.1f} MB without dedup)"
    )
    print(f"  {'start':<22} {'median s':>9} {'min s':>7} {'x SDK start':>12}")
    for name in ROWS:
        values = samples[name]
        median = statistics.median(values)
        print(f"  {name:<22} {median:>9.3f} {min(values):>7.3f} {median / sdk:>12.3f}")
    dedup_s, plain_s = samples["wasmtime compile"]
    print(f"  wasmtime compile: {dedup_s:.1f} s ({plain_s:.1f} s without dedup), once, by wacpy precompile")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tools", type=int, nargs="+", default=[1, 5], choices=range(1, len(NAMES) + 1))
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp:
        size_table(Path(tmp))
        for count in args.tools:
            report(count, measure(count, args.rounds, Path(tmp)))


if __name__ == "__main__":
    main()
