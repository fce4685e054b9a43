"""tools/call throughput and latency: a composed wacpy server (C tool) beside an MCP Python SDK server.

Run: ``.venv/bin/python -m benches.bench_mcp [--seconds 10] [--connections 4]``. Needs ``wrk``
(``apt-get install wrk``). Both servers serve the same `echo` tool on 127.0.0.1, are driven by the
same wrk run configuration one after the other, and are stopped at the end. The SDK server runs
from a throwaway virtual environment under ``.cache/bench-mcp`` (``pip install mcp uvicorn``),
stateless with JSON responses, under uvicorn with one worker. Also reports the composed server's
size and the time from starting ``wasmtime serve`` to the first answered request. The composed server
runs twice: with ``wasmtime serve``'s defaults (a fresh instance per request) and with instance reuse.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from testkit.components import build_tool
from testkit.serving import free_port
from wacpy.mcp import compose_server
from wacpy.tools import wasmtime_path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench-mcp"
BODY = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "tools/call",
    "params": {"name": "echo", "arguments": {"text": "hi"}},
}
HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json, text/event-stream",
    "MCP-Protocol-Version": "2025-11-25",
}
SDK_SERVER = """
import sys
import uvicorn
from mcp.server.mcpserver import MCPServer

server = MCPServer("bench")


@server.tool(description="Echo the arguments back")
def echo(text: str) -> str:
    return "echo: " + text


app = server.streamable_http_app(stateless_http=True, json_response=True)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", workers=1)
"""


#: How ``wasmtime serve`` runs the composed server: its default (a fresh instance for every request)
#: and with instance reuse (one instance answers many requests; the framework components are built
#: and tested for it, see tests/test_mcp_transport.py).
MODES: dict[str, list[str]] = {
    "fresh instance per request": [],
    "--max-instance-reuse-count 1000": ["--max-instance-reuse-count", "1000"],
}


def post(url: str, timeout: float = 2.0) -> bytes:
    request = urllib.request.Request(url, json.dumps(BODY).encode(), HEADERS, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return bytes(response.read())


def wait_for_answer(url: str, deadline: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() < deadline:
        try:
            post(url)
            return time.perf_counter() - start
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"no answer from {url}")


@contextmanager
def running(command: list[str], env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f"wrk.method = 'POST'\nwrk.body = {json.dumps(json.dumps(BODY))}\n")
        for key, value in HEADERS.items():
            script.write(f"wrk.headers[{json.dumps(key)}] = {json.dumps(value)}\n")
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    )
    os.unlink(script.name)
    out = done.stdout

    def latency(percent: str) -> float:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if match is None:
            return float("nan")
        return float(match[1]) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[match[2]]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),  # type: ignore[index]
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": float(errors[1]) if errors else 0.0,
    }


def sdk_python() -> Path:
    python = CACHE / "sdk-venv" / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(python.parent.parent)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "mcp", "uvicorn"], check=True)
    return python


def composed_server(work: Path) -> Path:
    target = work / "server.wasm"
    target.write_bytes(compose_server([build_tool(work)], transport="http"))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench_mcp needs wrk: apt-get install wrk")
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        server = composed_server(work)
        cache = work / "cache.toml"
        cache.write_text(f'[cache]\ndirectory = "{work / "wasmtime-cache"}"\n')
        base = [wasmtime_path(), "serve", "-Scli", "-Shttp", "-C", f"cache-config={cache}"]
        ours: dict[str, dict[str, float]] = {}
        first = 0.0
        for mode, extra in MODES.items():
            port = free_port()
            url = f"http://127.0.0.1:{port}/mcp"
            with running([*base, *extra, "--addr", f"127.0.0.1:{port}", str(server)]):
                started = wait_for_answer(url, time.perf_counter() + 60)
                first = first or started
                ours[mode] = wrk(url, args.seconds, args.connections)
        sdk_port = free_port()
        sdk_url = f"http://127.0.0.1:{sdk_port}/mcp"
        (work / "sdk_server.py").write_text(SDK_SERVER)
        with running([str(sdk_python()), str(work / "sdk_server.py"), str(sdk_port)]):
            wait_for_answer(sdk_url, time.perf_counter() + 60)
            theirs = wrk(sdk_url, args.seconds, args.connections)
        print(
            f"composed server: {server.stat().st_size} bytes, first answer {first * 1e3:.0f} ms after start (cold)"
        )
        print(f"{'server':<40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'ratio':>6}")
        rows = [*((f"wacpy, {mode}", row) for mode, row in ours.items()), ("MCP Python SDK", theirs)]
        for name, row in rows:
            print(
                f"{name:<40} {row['rps']:>9.0f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
                f"{row['errors']:>8.0f} {row['rps'] / theirs['rps']:>5.1f}x"
            )
        print("target: ratio >= 5x")


if __name__ == "__main__":
    main()
