"""Random sets of provider components in random order, composed into one server and run over stdio.

Each provider (``tests/mcp/provider.c`` built with its own prefix) offers the tools ``<p>-echo``,
``<p>-fail`` and ``<p>-version``; ``<p>-fail`` answers an error whose data names its owner. So the
replies show that ``tools/list`` is the union in chain order and that every call reaches its owner.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testkit.components import REPO
from tests.test_mcp_transport import build_provider
from wacpy.mcp import compose_server
from wacpy.tools import wasmtime_path

POOL = ("ant", "bee", "cat", "dog", "eel")
CACHE = REPO / ".cache" / "chain-properties"


@cache
def provider(prefix: str) -> bytes:
    """The provider component with tools, resources, prompts and completions named ``prefix-*``."""
    work = CACHE / prefix
    if (work / "provider.wasm").exists():
        return (work / "provider.wasm").read_bytes()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data = build_provider(work, prefix)
    (work / "provider.wasm").write_bytes(data)
    return data


def serve_stdio(server: bytes, requests: list[dict[str, Any]], work: Path) -> dict[int, dict[str, Any]]:
    """Replies by request id (notifications dropped) of a server run with ``wasmtime run``."""
    path = work / "server.wasm"
    path.write_bytes(server)
    config = work / "cache.toml"
    config.write_text(f'[cache]\ndirectory = "{work / "wasmtime"}"\n')
    lines = b"\n".join(json.dumps(r).encode() for r in requests) + b"\n"
    done = subprocess.run(
        [wasmtime_path(), "run", "-C", f"cache-config={config}", "-Scli", "-Shttp", str(path)],
        input=lines,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    replies = [json.loads(line) for line in done.stdout.decode().splitlines()]
    return {r["id"]: r for r in replies if "id" in r}


def call(id: int, name: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": name, "arguments": {}}}


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(prefixes=st.lists(st.sampled_from(POOL), min_size=1, max_size=4, unique=True))
def test_tools_list_is_the_union_and_every_call_reaches_its_owner(
    prefixes: list[str], tmp_path: Path
) -> None:
    server = compose_server([provider(p) for p in prefixes], transport="stdio")
    requests = [{"jsonrpc": "2.0", "id": 0, "method": "tools/list"}]
    requests += [call(i + 1, f"{p}-fail") for i, p in enumerate(prefixes)]
    requests.append(call(99, "nobody-echo"))
    replies = serve_stdio(server, requests, tmp_path)
    names = [t["name"] for t in replies[0]["result"]["tools"]]
    assert names == [f"{p}-{tool}" for p in prefixes for tool in ("echo", "fail", "version")]
    for i, p in enumerate(prefixes):
        assert replies[i + 1]["error"]["data"] == {"why": p}
    assert replies[99]["error"]["code"] == -32602
