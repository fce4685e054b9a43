"""Composed servers of several Python tool components start with the command ``wacpy compose server``
prints, and stock wasmtime serves them; a runaway tool is stopped while others are served.

Five small tool projects (``tool-alpha`` ... ``tool-echo``, two distinct tools each) are built with
``wacpy build`` (cached in ``.cache/authoring`` like every Python build of the suite) and composed
1, 3 and 5 at a time. Without the pooling options of the printed command, wasmtime refuses the
3-component server at start; that pins that the options are what makes it serve. The estimates
behind them are checked against the sizes wasmtime itself reports.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

from testkit.serving import call_tool, free_port, request, rpc, running
from tests.test_authoring import built
from wacpy.authoring import new_project
from wacpy.mcp import ServeOptions, compose_server, run_commands
from wacpy.runtime import runtime_needs
from wacpy.tools import wasmtime_path

ROOT = Path(__file__).resolve().parent.parent
#: A cold start compiles ~90 MB of Python components (over a minute on a busy 2-core machine).
START_SECONDS = 600.0
SIZES = (1, 3, 5)
NAMES = ("alpha", "bravo", "charlie", "delta", "echo")

TOOL_SOURCE = '''"""tool-{name}: two tools of a served composition."""

import time

from wacpy_sdk import Server

server = Server("tool-{name}")


@server.tool
def square_{name}(x: int) -> int:
    """The square of x, plus {n}."""
    return x * x + {n}


@server.tool
def spin_{name}(seconds: float) -> str:
    """Busy-wait for a while, or for ever when seconds is negative."""
    end = time.monotonic() + seconds
    while seconds < 0 or time.monotonic() < end:
        pass
    return "done"
'''


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serving")


def _tool_project(parent: Path, n: int) -> Path:
    root = new_project(f"tool-{NAMES[n - 1]}", language="python", template="tools", parent=parent)
    (root / "app.py").write_text(TOOL_SOURCE.format(n=n, name=NAMES[n - 1]))
    return root


@pytest.fixture(scope="module")
def tools(work: Path) -> list[bytes]:
    projects = [_tool_project(work / "projects", n) for n in range(1, max(SIZES) + 1)]
    with ThreadPoolExecutor(max_workers=2) as pool:  # each build is one componentize-py process
        return list(pool.map(lambda root: built(root, work / "builds"), projects))


@pytest.fixture(scope="module")
def cache_config(work: Path) -> Path:
    """A wasmtime compilation cache for this module's servers (each is compiled once)."""
    config = work / "wasmtime-cache.toml"
    config.write_text(f"[cache]\ndirectory = {json.dumps(str(ROOT / '.cache' / 'serving-wasmtime'))}\n")
    return config


@cache
def _composed(work: Path, count: int, tools: tuple[bytes, ...]) -> Path:
    path = work / f"server-{count}.wasm"
    path.write_bytes(compose_server(list(tools[:count])))
    return path


def printed_command(server: Path, port: int, cache_config: Path) -> list[str]:
    """The HTTP command ``wacpy compose server`` prints for ``server``, run with this module's
    wasmtime binary and compilation cache."""
    options = ServeOptions(address=f"127.0.0.1:{port}")
    [http, _stdio] = run_commands(str(server), server.read_bytes(), options)
    argv = shlex.split(http.split("   # ")[0])
    assert argv[:2] == ["wasmtime", "serve"]
    return [wasmtime_path(), "serve", "-C", f"cache-config={cache_config}", *argv[2:]]


@pytest.mark.parametrize("count", SIZES)
def test_the_printed_command_serves_a_composition_of_python_tools(
    count: int, tools: list[bytes], work: Path, cache_config: Path
) -> None:
    server = _composed(work, count, tuple(tools))
    port = free_port()
    with running(
        printed_command(server, port, cache_config), port, work / f"serve-{count}.log", START_SECONDS
    ) as url:
        names = {tool["name"] for tool in rpc(url, "tools/list")["result"]["tools"]}
        assert names == {f"{kind}_{name}" for name in NAMES[:count] for kind in ("square", "spin")}
        result = call_tool(url, f"square_{NAMES[count - 1]}", {"x": 7})["result"]
        assert result["content"] == [{"type": "text", "text": str(49 + count)}]


def test_without_the_pooling_options_wasmtime_refuses_three_python_tools(
    tools: list[bytes], work: Path, cache_config: Path
) -> None:
    server = _composed(work, 3, tuple(tools))
    argv = [a for a in printed_command(server, free_port(), cache_config) if not a.startswith("-Opooling-")]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode != 0
    assert "does not fit in pooling allocator requirements" in done.stderr


def test_the_estimates_cover_what_wasmtime_allocates(
    tools: list[bytes], work: Path, cache_config: Path
) -> None:
    """wasmtime reports the metadata an instance needs when it exceeds a 1-byte limit; the estimate
    must be at least that and within 30% of it."""
    server = _composed(work, 3, tuple(tools))
    argv = printed_command(server, free_port(), cache_config)
    probe = [a for a in argv if not a.startswith("-Opooling-")]
    probe.insert(2, "-Opooling-max-component-instance-size=1")
    done = subprocess.run(probe, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    found = re.search(
        r"`VMComponentContext` used (\d+) bytes, `core module instances` used (\d+) bytes",
        done.stderr.replace("\n", " "),
    )
    assert found, done.stderr[-2000:]
    component, core = map(int, found.groups())
    needs = runtime_needs(server.read_bytes())
    assert component <= needs.component_bytes <= 1.3 * component
    assert core <= needs.core_bytes <= 1.3 * core


def test_a_runaway_tool_is_stopped_and_others_are_served_meanwhile(
    tools: list[bytes], work: Path, cache_config: Path
) -> None:
    """Two calls that never return (one per core of a 2-core machine) are ended by the timeout with
    an error status; a normal call made while they run is answered before they end."""
    server = _composed(work, 1, tuple(tools))
    port = free_port()
    argv = [
        a if a != "-Wtimeout=30s" else "-Wtimeout=8s" for a in printed_command(server, port, cache_config)
    ]
    assert "-Wtimeout=8s" in argv
    with running(argv, port, work / "runaway.log", START_SECONDS) as url:
        statuses: list[int] = []

        def runaway() -> None:
            reply = request(url, _call("spin_alpha", {"seconds": -1}))
            statuses.append(reply.status)

        threads = [threading.Thread(target=runaway) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        answer = call_tool(url, "square_alpha", {"x": 3})
        still_running = sum(thread.is_alive() for thread in threads)
        for thread in threads:
            thread.join(timeout=60)
        assert answer["result"]["content"] == [{"type": "text", "text": "10"}]
        assert still_running == 2, "the normal call was answered only after the runaway ones ended"
        assert statuses == [500, 500]  # the head was not sent: the runtime's error status
        assert call_tool(url, "square_alpha", {"x": 4})["result"]["content"][0]["text"] == "17"


def _call(name: str, arguments: dict[str, object]) -> dict[str, object]:
    return {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": name, "arguments": arguments},
    }


#: A request mix for comparing two servers byte for byte: lists, calls, bad arguments, unknown
#: names, a notification and a malformed body.
MIX: list[bytes] = [
    json.dumps(body).encode()
    for body in (
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-11-25",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        _call("square_alpha", {"x": 5}),
        _call("square_charlie", {"x": -2}),
        _call("square_bravo", {"x": "five"}),
        _call("spin_bravo", {"seconds": 0}),
        _call("nope", {}),
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 3, "method": "ping"},
    )
] + [b"{not json"]


@pytest.mark.parametrize("reuse", [False, True], ids=["fresh", "reuse"])
def test_deduplicated_and_plain_servers_answer_the_mix_byte_for_byte(
    tools: list[bytes], work: Path, cache_config: Path, reuse: bool
) -> None:
    dedup = _composed(work, 3, tuple(tools))
    plain = work / "server-3-plain.wasm"
    if not plain.exists():
        plain.write_bytes(compose_server(list(tools[:3]), dedup=False))
    assert dedup.stat().st_size < 0.8 * plain.stat().st_size
    answers = []
    for server in (dedup, plain):
        port = free_port()
        argv = printed_command(server, port, cache_config)
        if not reuse:
            at = argv.index("--max-instance-reuse-count")
            del argv[at : at + 2]
        with running(argv, port, work / f"mix-{server.stem}.log", START_SECONDS) as url:
            answers.append([(r.status, r.body) for r in (request(url, body) for body in MIX)])
    assert answers[0] == answers[1]
    assert [status for status, _ in answers[0]].count(200) >= 7
