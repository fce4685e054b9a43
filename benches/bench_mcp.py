"""tools/call throughput and latency: a composed wacpy server (C tool) beside an MCP Python SDK server.

Run: ``.venv/bin/python -m benches.bench_mcp [--seconds 10] [--connections 4]``. Needs ``wrk``
(``apt-get install wrk``). Both servers serve the same `echo` tool on 127.0.0.1, are driven by the
same wrk run configuration one after the other, and are stopped at the end. The SDK server runs
from a throwaway virtual environment under ``.cache/bench-mcp`` (``pip install mcp uvicorn``),
stateless with JSON responses, under uvicorn with one worker. Also reports the composed server's
size and the time from starting ``wasmtime serve`` to the first answered request. The composed server
runs twice: with ``wasmtime serve``'s defaults (a fresh instance per request) and with instance reuse.

A second table measures stateful servers, which hand out an ``Mcp-Session-Id`` at ``initialize``:
each wrk connection (one per wrk thread) first initializes a session (``initialize``, then
``notifications/initialized``) and then sends its tool calls with that header. It lists the composed
server built with the filesystem store (``compose_server(..., store="filesystem")``, served with a
fresh state directory preopened at ``/state`` for each row) in both modes, each beside the same
build mode without a store driven with the same wrk shape, and the SDK server with
``stateless_http=False``. The "store overhead" (how much longer a call takes with sessions) is the
median over ``--rounds`` rounds in which wrk alternates between the two servers of a mode.

A third table times elicitation round trips in Python (``--round-trips``, one after the other on one
session): a tool that sends ``elicitation/create`` to the client on its SSE stream, the client's
answer POSTed on a second connection, the tool's result on the first stream. The composed server's
tool is C (``testkit/fixtures/session_tools``, ``ask``), the SDK's awaits ``ctx.elicit``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from testkit.components import build_session_tools, build_tool
from testkit.serving import EventStream, free_port
from wacpy import decode
from wacpy.mcp import compose_server
from wacpy.mcp.serve import STATE_GUEST_DIR, keeps_state
from wacpy.mcp.server import Store
from wacpy.tools import wasmtime_path

Row = tuple[str, dict[str, float]]  # a server's name and its wrk results
Latency = tuple[str, dict[str, float]]  # a server's name and its round trips' p50_ms, p99_ms and n

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
#: The same call in MCP 2026-07-28: version and capabilities in ``_meta``, the routing headers.
REVISION_2026 = "2026-07-28"
BODY_2026 = {
    **BODY,
    "params": {
        "name": "echo",
        "arguments": {"text": "hi"},
        "_meta": {
            "io.modelcontextprotocol/protocolVersion": REVISION_2026,
            "io.modelcontextprotocol/clientCapabilities": {},
        },
    },
}
HEADERS_2026 = {
    **HEADERS,
    "MCP-Protocol-Version": REVISION_2026,
    "Mcp-Method": "tools/call",
    "Mcp-Name": "echo",
}


def initialize(capabilities: dict[str, object]) -> dict[str, object]:
    """An ``initialize`` request from a client with ``capabilities``."""
    return {
        "jsonrpc": "2.0",
        "id": 0,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": capabilities,
            "clientInfo": {"name": "bench-mcp", "version": "1.0"},
        },
    }


INITIALIZE = initialize({})
ELICITING = initialize({"elicitation": {}})
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
ASK = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "ask", "arguments": {}}}
ACCEPTED = {"action": "accept", "content": {"name": "x"}}
SDK = "MCP Python SDK"
SDK_STATEFUL = "MCP Python SDK (stateful)"
SDK_2026 = f"MCP Python SDK ({REVISION_2026} request)"
#: ``json_response``: the stateful and stateless rows answer with JSON; the elicitation server
#: streams (the SDK sends a tool's requests to the client on the call's SSE stream only).
SDK_SERVER = """
import json
import sys
import uvicorn
from pydantic import BaseModel
from mcp.server.mcpserver import Context, MCPServer

server = MCPServer("bench")


@server.tool(description="Echo the arguments back")
def echo(text: str) -> str:
    return "echo: " + text


class Name(BaseModel):
    name: str


@server.tool(description="Ask the user for a name")
async def ask(ctx: Context) -> str:
    answer = await ctx.elicit("Your name?", Name)
    content = answer.data.model_dump() if answer.action == "accept" else None
    return json.dumps({{"action": answer.action, "content": content}})


app = server.streamable_http_app(stateless_http={stateless}, json_response={json_response})
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", workers=1)
"""


#: How ``wasmtime serve`` runs the composed server: its default (a fresh instance for every request)
#: and with instance reuse (one instance answers many requests; the framework components are built
#: and tested for it, see tests/test_mcp_transport.py).
MODES: dict[str, list[str]] = {
    "fresh instance per request": [],
    "--max-instance-reuse-count 1000": ["--max-instance-reuse-count", "1000"],
}


NO_STORE = "store none"
FILESYSTEM_STORE = "filesystem store"

#: wrk script for stateless servers: every request is the same tool call.
STATELESS_LUA = """
wrk.method = "POST"
wrk.body = {body}
{headers}
"""

#: wrk script for stateful servers, run with one connection per wrk thread (wrk keeps one Lua state
#: per thread, so this is a session per connection): initialize until a response carries the session
#: id, then one ``notifications/initialized``, then only tool calls with that id. ``done`` reports
#: the JSON-RPC errors inside 2xx answers and how many threads got a session.
SESSION_LUA = """
local base = {{}}
{session_headers}
session = nil
local notified = false
local call = nil
rpc_errors = 0

local function post(body, session_id)
  local headers = {{}}
  for key, value in pairs(base) do headers[key] = value end
  headers["Mcp-Session-Id"] = session_id
  return wrk.format("POST", nil, headers, body)
end

local function session_header(headers)
  for key, value in pairs(headers) do
    if string.lower(key) == "mcp-session-id" then return value end
  end
  return nil
end

local threads = {{}}
function setup(thread)
  table.insert(threads, thread)
end

function request()
  if session == nil then return post({initialize}, nil) end
  if not notified then
    notified = true
    call = post({body}, session)
    return post({initialized}, session)
  end
  return call
end

function response(status, headers, body)
  if session == nil then
    session = session_header(headers)
  elseif string.find(body, '"error":', 1, true) or string.find(body, '"isError":true', 1, true) then
    rpc_errors = rpc_errors + 1
  end
end

function done(summary, latency, requests)
  local errors, sessions = 0, 0
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("rpc_errors")
    if thread:get("session") ~= nil then sessions = sessions + 1 end
  end
  io.write(string.format("JSON-RPC errors: %d\\nSessions: %d\\n", errors, sessions))
end
"""


def lua_string(value: object) -> str:
    """``value`` as JSON, quoted as a Lua string literal (JSON string escapes are valid in Lua)."""
    return json.dumps(json.dumps(value))


@dataclass(frozen=True)
class WrkScript:
    """A wrk Lua script; ``session_per_connection`` runs wrk with one connection per thread and
    checks that each got a session, ``thread_per_connection`` only the former."""

    lua: str
    session_per_connection: bool = False
    thread_per_connection: bool = False


def stateless_script(
    *, thread_per_connection: bool = False, body: object = BODY, headers: dict[str, str] = HEADERS
) -> WrkScript:
    """Every request the same tool call; ``thread_per_connection`` gives it the shape of
    ``session_script()`` (the baseline of the store overhead)."""
    lines = "\n".join(
        f"wrk.headers[{json.dumps(key)}] = {json.dumps(value)}" for key, value in headers.items()
    )
    lua = STATELESS_LUA.format(body=lua_string(body), headers=lines)
    return WrkScript(lua, thread_per_connection=thread_per_connection)


def session_script() -> WrkScript:
    """The MCP Python SDK answers the requests of one session one at a time (with 4 connections of
    one wrk thread sharing a session, wrk saw one request in flight), hence a session per connection."""
    headers = "\n".join(f"base[{json.dumps(key)}] = {json.dumps(value)}" for key, value in HEADERS.items())
    lua = SESSION_LUA.format(
        session_headers=headers,
        initialize=lua_string(INITIALIZE),
        initialized=lua_string(INITIALIZED),
        body=lua_string(BODY),
    )
    return WrkScript(lua, session_per_connection=True)


def post(url: str, body: object = BODY, timeout: float = 2.0) -> bytes:
    request = urllib.request.Request(url, json.dumps(body).encode(), HEADERS, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return bytes(response.read())


def wait_for_answer(url: str, deadline: float, body: object = BODY) -> float:
    """Seconds until ``url`` answers ``body`` (a stateful server answers ``INITIALIZE`` without a session)."""
    start = time.perf_counter()
    while time.perf_counter() < deadline:
        try:
            post(url, body)
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


def wrk(url: str, seconds: int, connections: int, script: WrkScript) -> dict[str, float]:
    """Drive ``url`` with wrk running ``script`` (``stateless_script()`` or ``session_script()``)."""
    per_connection = script.session_per_connection or script.thread_per_connection
    threads = connections if per_connection else 2
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script.lua)
    done = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", lua.name, url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    )
    os.unlink(lua.name)
    out = done.stdout
    sessions = re.search(r"Sessions: (\d+)", out)
    if script.session_per_connection and (sessions is None or int(sessions[1]) < threads):
        raise RuntimeError(f"{url} did not give every wrk connection a session id:\n{out}")

    def latency(percent: str) -> float:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if match is None:
            return float("nan")
        return float(match[1]) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[match[2]]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rpc_errors = re.search(r"JSON-RPC errors: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),  # type: ignore[index]
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": float(errors[1]) if errors else 0.0,
        "rpc_errors": float(rpc_errors[1]) if rpc_errors else float("nan"),  # counted by the session script
    }


def sdk_python() -> Path:
    python = CACHE / "sdk-venv" / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(python.parent.parent)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "mcp", "uvicorn"], check=True)
    return python


def composed_server(work: Path, store: Store = "none", tools: bytes | None = None) -> Path:
    """The test tool (or ``tools``) composed into an HTTP server with ``store``, written once to ``work``."""
    target = work / f"server-{store}{'' if tools is None else '-session-tools'}.wasm"
    if not target.exists():
        tool = build_tool(work) if tools is None else tools
        target.write_bytes(compose_server([tool], transport="http", store=store))
    return target


def sdk_row(work: Path, args: argparse.Namespace, *, stateless: bool) -> dict[str, float]:
    """The SDK server, stateless or stateful (then driven by ``session_script()``), under wrk."""
    with sdk_served(work, stateless=stateless, json_response=True) as url:
        return wrk(url, args.seconds, args.connections, stateless_script() if stateless else session_script())


@contextmanager
def sdk_served(work: Path, *, stateless: bool, json_response: bool) -> Iterator[str]:
    """The SDK server on a free loopback port; yields its URL once it answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    script = work / f"sdk_server_{'stateless' if stateless else 'stateful'}_{json_response}.py"
    script.write_text(SDK_SERVER.format(stateless=stateless, json_response=json_response))
    with running([str(sdk_python()), str(script), str(port)]):
        wait_for_answer(url, time.perf_counter() + 60, BODY if stateless else INITIALIZE)
        yield url


@contextmanager
def wacpy_served(work: Path, server: Path, mode: str) -> Iterator[tuple[str, float]]:
    """``server`` under ``wasmtime serve`` in ``mode`` (one of ``MODES``), with a fresh state
    directory preopened at ``/state`` if it keeps sessions; yields its URL and the seconds from
    start to its first answer."""
    cache = work / "cache.toml"
    cache.write_text(f'[cache]\ndirectory = "{work / "wasmtime-cache"}"\n')
    argv = [wasmtime_path(), "serve", "-Scli", "-Shttp", "-C", f"cache-config={cache}", *MODES[mode]]
    stateful = keeps_state(decode(server.read_bytes()))
    if stateful:
        state = Path(tempfile.mkdtemp(prefix="state-", dir=work))
        argv += ["--dir", f"{state}::{STATE_GUEST_DIR}"]
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    with running([*argv, "--addr", f"127.0.0.1:{port}", str(server)]):
        yield url, wait_for_answer(url, time.perf_counter() + 60, INITIALIZE if stateful else BODY)


def wacpy_rows(work: Path, args: argparse.Namespace) -> list[Row]:
    """The composed server in each of ``MODES``; prints its size and cold start time."""
    server = composed_server(work)
    rows: list[Row] = []
    first = 0.0
    for mode in MODES:
        with wacpy_served(work, server, mode) as (url, started):
            first = first or started
            rows.append((f"wacpy, {mode}", wrk(url, args.seconds, args.connections, stateless_script())))
    print(
        f"composed server: {server.stat().st_size} bytes, first answer {first * 1e3:.0f} ms after start (cold)"
    )
    return rows


def stateless_rows(work: Path, args: argparse.Namespace) -> list[Row]:
    return [*wacpy_rows(work, args), (SDK, sdk_row(work, args, stateless=True))]


def revision_2026_rows(work: Path, args: argparse.Namespace) -> list[Row]:
    """The same server and the SDK's stateless one, each called in MCP 2026-07-28, same wrk run."""
    script = stateless_script(body=BODY_2026, headers=HEADERS_2026)
    server = composed_server(work)
    rows: list[Row] = []
    for mode in MODES:
        with wacpy_served(work, server, mode) as (url, _):
            rows.append((f"wacpy {REVISION_2026}, {mode}", wrk(url, args.seconds, args.connections, script)))
    with sdk_served(work, stateless=True, json_response=True) as url:
        rows.append((SDK_2026, wrk(url, args.seconds, args.connections, script)))
    return rows


def wacpy_stateful_rows(work: Path, args: argparse.Namespace) -> tuple[list[Row], dict[str, list[float]]]:
    """In each of ``MODES``: the composed server without a store under ``stateless_script()``
    with a thread per connection and with the filesystem store under ``session_script()``, both
    serving while wrk alternates between them for ``args.rounds`` rounds (so that a neighbour's
    load on a shared machine falls on both). The rows are the medians over the rounds; the store
    overheads, per mode, how much longer a call took with the store than without one in each round
    (from req/s, measured with the same connections and threads)."""
    stateless, stateful = composed_server(work), composed_server(work, "filesystem")
    rows: list[Row] = []
    overheads: dict[str, list[float]] = {}
    for mode in MODES:
        nones, kepts = [], []
        with (
            wacpy_served(work, stateless, mode) as (none_url, _),
            wacpy_served(work, stateful, mode) as (url, _),
        ):
            for _ in range(args.rounds):
                nones.append(
                    wrk(
                        none_url, args.seconds, args.connections, stateless_script(thread_per_connection=True)
                    )
                )
                kepts.append(wrk(url, args.seconds, args.connections, session_script()))
        overheads[mode] = [none["rps"] / kept["rps"] - 1 for none, kept in zip(nones, kepts, strict=True)]
        rows += [
            (f"wacpy, {mode}, {NO_STORE}", medians(nones)),
            (f"wacpy, {mode}, {FILESYSTEM_STORE}", medians(kepts)),
        ]
    return rows, overheads


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    """The median of each wrk figure over ``runs``, and their error counts summed."""
    summed = ("errors", "rpc_errors")
    return {
        key: math.fsum(run[key] for run in runs)
        if key in summed
        else statistics.median(run[key] for run in runs)
        for key in runs[0]
    }


def stateful_rows(work: Path, args: argparse.Namespace) -> tuple[list[Row], dict[str, list[float]]]:
    """Servers that keep a session per client, driven by ``session_script()``, the composed
    server's stateless baselines, and the store overheads (see ``wacpy_stateful_rows``)."""
    rows, overheads = wacpy_stateful_rows(work, args)
    return [*rows, (SDK_STATEFUL, sdk_row(work, args, stateless=False))], overheads


class Client:
    """One MCP session over a kept-alive loopback connection (``http.client``)."""

    def __init__(self, url: str, opening: object) -> None:
        parts = urlsplit(url)
        self.url = url
        self.path = parts.path
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        self.headers = dict(HEADERS)
        status, headers, body = self.post(opening)
        session = headers.get("mcp-session-id")
        if status != 200 or session is None:
            raise RuntimeError(f"{url} gave no session: {status} {body[:200]!r}")
        self.headers["Mcp-Session-Id"] = session
        self.post(INITIALIZED)

    def post(self, body: object) -> tuple[int, dict[str, str], bytes]:
        self.connection.request("POST", self.path, json.dumps(body), self.headers)
        response = self.connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()

    def close(self) -> None:
        self.connection.close()


def elicitation_round_trips(url: str, count: int, warm_up: int = 3) -> list[float]:
    """Seconds from posting ``ASK`` to its tool result, ``count`` times on one session: the
    server's ``elicitation/create`` arrives on the call's stream, the answer goes on a second
    connection."""
    answers = Client(url, ELICITING)
    calls = http.client.HTTPConnection(answers.connection.host, answers.connection.port, timeout=30)
    times = []
    try:
        for _ in range(warm_up + count):
            started = time.perf_counter()
            stream = EventStream(url, ASK, answers.headers, calls)
            asked = stream.next_event()
            if asked.get("method") != "elicitation/create":
                raise RuntimeError(f"expected elicitation/create from {url}, got {asked}")
            status, _, body = answers.post({"jsonrpc": "2.0", "id": asked["id"], "result": ACCEPTED})
            if status != 202:
                raise RuntimeError(f"{url} refused the answer: {status} {body[:200]!r}")
            final = stream.next_event()
            times.append(time.perf_counter() - started)
            stream.finish()
            result = final.get("result", {})
            if result.get("isError") or '"x"' not in result.get("content", [{}])[0].get("text", ""):
                raise RuntimeError(f"{url} answered the elicitation with {final}")
    finally:
        calls.close()
        answers.close()
    return times[warm_up:]


def percentile(values: list[float], percent: float) -> float:
    """Nearest rank."""
    ranked = sorted(values)
    return ranked[max(0, math.ceil(percent / 100 * len(ranked)) - 1)]


def latency_row(name: str, times: list[float]) -> Latency:
    return name, {
        "p50_ms": percentile(times, 50) * 1e3,
        "p99_ms": percentile(times, 99) * 1e3,
        "n": len(times),
    }


def wacpy_elicitation_rows(work: Path, args: argparse.Namespace) -> list[Latency]:
    """The session tools composed with the filesystem store, in each of ``MODES``."""
    server = composed_server(work, "filesystem", build_session_tools(work))
    rows = []
    for mode in MODES:
        with wacpy_served(work, server, mode) as (url, _):
            rows.append(latency_row(f"wacpy, {mode}", elicitation_round_trips(url, args.round_trips)))
    return rows


def elicitation_rows(work: Path, args: argparse.Namespace) -> list[Latency]:
    with sdk_served(work, stateless=False, json_response=False) as url:
        sdk = latency_row(SDK_STATEFUL, elicitation_round_trips(url, args.round_trips))
    return [*wacpy_elicitation_rows(work, args), sdk]


def print_table(rows: list[Row], baseline: str) -> None:
    """One line per row; ratio is req/s over the ``baseline`` row's; rpc err is only counted by the
    session script."""
    reference = dict(rows)[baseline]["rps"]
    width = max(40, *(len(name) for name, _ in rows))
    print(
        f"{'server':<{width}} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'rpc err':>8} {'ratio':>6}"
    )
    for name, row in rows:
        rpc_errors = "-" if math.isnan(row["rpc_errors"]) else f"{row['rpc_errors']:.0f}"
        print(
            f"{name:<{width}} {row['rps']:>9.0f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
            f"{row['errors']:>8.0f} {rpc_errors:>8} {row['rps'] / reference:>5.1f}x"
        )


def print_overheads(overheads: dict[str, list[float]]) -> None:
    """The median of each mode's rounds, and their range."""
    for mode, rounds in overheads.items():
        spread = ", ".join(f"{r * 100:+.0f}%" for r in rounds)
        print(
            f"store overhead, {mode}: {statistics.median(rounds) * 100:+.0f}% per call "
            f"(median of {len(rounds)} rounds: {spread}; target: <= +30%)"
        )


def print_latencies(rows: list[Latency], baseline: str) -> None:
    """One line per row; ratio is the ``baseline`` row's p50 over this row's (above 1: faster)."""
    reference = dict(rows)[baseline]["p50_ms"]
    width = max(40, *(len(name) for name, _ in rows))
    print(f"{'server':<{width}} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}")
    for name, row in rows:
        print(
            f"{name:<{width}} {row['n']:>6.0f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
            f"{reference / row['p50_ms']:>5.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="alternating wrk runs for the store overhead")
    parser.add_argument("--round-trips", type=int, default=300, help="elicitation round trips per server")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench_mcp needs wrk: apt-get install wrk")
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        stateless = stateless_rows(work, args)
        stateful, overheads = stateful_rows(work, args)
        elicitation = elicitation_rows(work, args)
        revision_2026 = revision_2026_rows(work, args)
    print("stateless:")
    print_table(stateless, SDK)
    print("target: ratio >= 5x")
    print(f"{REVISION_2026} (stateless by design; non-2xx counts requests a server refused):")
    print_table(revision_2026, SDK_2026)
    print("target: ratio >= 10x with reuse")
    print("stateful (a session per connection; store none: the same calls without sessions):")
    print_table(stateful, SDK_STATEFUL)
    print_overheads(overheads)
    print("elicitation round trip (tools/call out, elicitation/create in, answer out, result in):")
    print_latencies(elicitation, SDK_STATEFUL)


if __name__ == "__main__":
    main()
