"""Time to the first answer after start: composed Python servers cold, cached and precompiled.

Run: ``.venv/bin/python -m benches.bench_start [--tools 1 5] [--rounds 2]``. Builds up to five small
Python tool components (``wacpy build``, cached under ``.cache/bench-start``), composes 1..N of
them into one server, and times from starting ``wasmtime serve`` (the command ``wacpy compose
server`` prints, 127.0.0.1 only) to the first answered ``tools/call``:

* **cold**: an empty wasmtime compilation cache, so wasmtime compiles every module first;
* **cached**: the same start again with the cache the cold start filled;
* **precompiled**: serving the ``wacpy precompile`` output (``--allow-precompiled``); the time
  ``wasmtime compile`` took is reported beside it.

Beside them, in the same rounds, the MCP Python SDK server (stateless, JSON responses, uvicorn,
from the virtual environment ``benches.bench_mcp`` keeps) serving one tool: the peer's start.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from benches.bench_mcp import SDK_SERVER, free_port, running, sdk_python, wait_for_answer
from wacpy.authoring import build_project, new_project
from wacpy.binary import decode
from wacpy.mcp import ServeOptions, compose_server, serve_argv
from wacpy.mcp.precompile import precompile
from wacpy.tools import wasmtime_path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench-start"
NAMES = ("alpha", "bravo", "charlie", "delta", "echo")
START_LIMIT = 900.0  # seconds: five cold Python components on a busy 2-core machine

TOOL_SOURCE = '''"""bench-{name}: one tool of the start-up benchmark."""

from wacpy.sdk import Server

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


def composed(count: int, work: Path) -> Path:
    parts = [tool_component(name, index == 0).read_bytes() for index, name in enumerate(NAMES[:count])]
    target = work / f"server-{count}.wasm"
    target.write_bytes(compose_server(parts, transport="http", on_duplicate=None))
    return target


def first_answer(argv: list[str], port: int) -> float:
    """Seconds from starting ``argv`` (listening on ``port``) to its first answered tools/call."""
    start = time.perf_counter()
    with running(argv):
        wait_for_answer(f"http://127.0.0.1:{port}/mcp", time.perf_counter() + START_LIMIT)
    return time.perf_counter() - start


def wasmtime_command(server: Path, port: int, cache: Path | None, cwasm: Path | None) -> list[str]:
    options = ServeOptions(address=f"127.0.0.1:{port}")
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


def sdk_command(port: int, work: Path) -> list[str]:
    script = work / "sdk_server.py"
    script.write_text(SDK_SERVER)
    return [str(sdk_python()), str(script), str(port)]


def measure(count: int, rounds: int, work: Path) -> dict[str, list[float]]:
    server = composed(count, work)
    started = time.perf_counter()
    record = precompile(server, server.read_bytes(), wasmtime=wasmtime_path(), epoch_interruption=True)
    compile_seconds = time.perf_counter() - started
    samples: dict[str, list[float]] = {"cold": [], "cached": [], "precompiled": [], "sdk": []}
    for round_ in range(rounds):
        cache = work / f"cache-{count}-{round_}"
        port = free_port()
        samples["cold"].append(first_answer(wasmtime_command(server, port, cache, None), port))
        port = free_port()
        samples["cached"].append(first_answer(wasmtime_command(server, port, cache, None), port))
        port = free_port()
        argv = wasmtime_command(server, port, None, record.cwasm)
        samples["precompiled"].append(first_answer(argv, port))
        port = free_port()
        samples["sdk"].append(first_answer(sdk_command(port, work), port))
    samples["wasmtime compile"] = [compile_seconds]
    samples["size MB"] = [server.stat().st_size / 1e6, record.cwasm.stat().st_size / 1e6]
    return samples


def report(count: int, samples: dict[str, list[float]]) -> None:
    sdk = statistics.median(samples["sdk"])
    size, cwasm_size = samples["size MB"]
    print(f"\n{count} Python tool component(s): server {size:.1f} MB, precompiled {cwasm_size:.1f} MB")
    print(f"  {'start':<18} {'median s':>9} {'min s':>7} {'x SDK start':>12}")
    for name in ("cold", "cached", "precompiled", "sdk"):
        values = samples[name]
        median = statistics.median(values)
        print(f"  {name:<18} {median:>9.3f} {min(values):>7.3f} {median / sdk:>12.2f}")
    print(f"  {'wasmtime compile':<18} {samples['wasmtime compile'][0]:>9.1f}   (once, by wacpy precompile)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tools", type=int, nargs="+", default=[1, 5], choices=range(1, len(NAMES) + 1))
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp:
        for count in args.tools:
            report(count, measure(count, args.rounds, Path(tmp)))


if __name__ == "__main__":
    main()
