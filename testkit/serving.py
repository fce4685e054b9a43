"""Serving a composed server in tests and benches: a free loopback port, ``wasmtime serve`` until a
block ends, and a small HTTP client for MCP over streamable HTTP (JSON or SSE answers, and SSE
streams read event by event)."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from wacpy.runtime import pooling_options, runtime_needs
from wacpy.tools import wasmtime_path

__all__ = [
    "ACCEPT_BOTH",
    "JSON",
    "EventStream",
    "START_TIMEOUT",
    "Reply",
    "call_tool",
    "free_port",
    "request",
    "rpc",
    "running",
    "serving",
    "wait_until_listening",
]

ACCEPT_BOTH = "application/json, text/event-stream"
START_TIMEOUT = 300.0  # seconds: wasmtime compiles the server before it listens (slow on a busy machine)

JSON = Any  # a decoded JSON value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_listening(port: int, server: subprocess.Popen[bytes], timeout: float = START_TIMEOUT) -> None:
    """Wait until something accepts connections on loopback ``port``; fail when ``server`` exits first."""
    name = Path(str(server.args[0] if isinstance(server.args, list) else server.args)).name
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{name} exited with {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not listen on port {port} within {timeout} s")


@contextmanager
def serving(composed: Path, cache_config: Path, log: Path, *options: str) -> Iterator[str]:
    """``wasmtime serve`` on a free loopback port; yields the ``/mcp`` URL and stops the server.
    The pooling limits are the ones ``wacpy serve`` sets (room for 100 live instances: a session's
    ``GET /mcp`` stream holds one while it waits)."""
    port = free_port()
    pooling = [f"-O{option}" for option in pooling_options(runtime_needs(composed.read_bytes()))]
    argv = [
        wasmtime_path(), "serve", "-C", f"cache-config={cache_config}", "-Scli", "-Shttp", *pooling, *options,
        "--addr", f"127.0.0.1:{port}", str(composed),
    ]  # fmt: skip
    with running(argv, port, log) as url:
        yield url


@contextmanager
def running(argv: list[str], port: int, log: Path, start_timeout: float = START_TIMEOUT) -> Iterator[str]:
    """Run the server command ``argv`` (which listens on loopback ``port``) until the block ends;
    yields the ``/mcp`` URL. Its output goes to ``log``."""
    with log.open("wb") as out:
        server = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            wait_until_listening(port, server, start_timeout)
            yield f"http://127.0.0.1:{port}/mcp"
        finally:
            server.terminate()
            server.wait(timeout=10)


class Reply:
    """An HTTP response: status, headers (lower-case names) and body."""

    def __init__(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
        self.status = status
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body

    def json(self) -> JSON:
        return json.loads(self.body)

    def events(self) -> list[JSON]:
        """The JSON payloads of the SSE events in the body (a priming event, with empty data, has none)."""
        found = []
        for event in self.body.decode().split("\n\n"):
            data = "\n".join(line[5:].lstrip() for line in event.split("\n") if line.startswith("data:"))
            if data.strip():
                found.append(json.loads(data))
        return found

    def message(self) -> JSON:
        """The JSON-RPC response, whether sent as JSON or as the last SSE event."""
        if self.headers.get("content-type", "").startswith("text/event-stream"):
            return self.events()[-1]
        return self.json()


def request(
    url: str,
    body: bytes | JSON = None,
    *,
    method: str = "POST",
    headers: Mapping[str, str] | None = None,
) -> Reply:
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    sent = {"Content-Type": "application/json", "Accept": ACCEPT_BOTH, **(headers or {})}
    req = urllib.request.Request(url, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return Reply(resp.status, dict(resp.headers), resp.read())
    except urllib.error.HTTPError as err:
        return Reply(err.code, dict(err.headers), err.read())


def rpc(url: str, method: str, params: JSON = None, *, id: int | str = 1, **kwargs: Any) -> JSON:
    message: dict[str, JSON] = {"jsonrpc": "2.0", "id": id, "method": method}
    if params is not None:
        message["params"] = params
    reply = request(url, message, **kwargs)
    assert reply.status == 200, reply.body
    return reply.message()


def call_tool(url: str, name: str, arguments: JSON = None, **kwargs: Any) -> JSON:
    params: dict[str, JSON] = {"name": name}
    if arguments is not None:
        params["arguments"] = arguments
    return rpc(url, "tools/call", params, **kwargs)


class EventStream:
    """A POST whose SSE answer is read event by event while the caller answers the server; on
    ``connection`` (kept alive for the next stream after :meth:`finish`) or a new one."""

    def __init__(
        self,
        url: str,
        body: JSON,
        headers: Mapping[str, str],
        connection: http.client.HTTPConnection | None = None,
    ) -> None:
        parts = urlsplit(url)
        self.connection = connection or http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=30
        )
        sent = {"Content-Type": "application/json", "Accept": ACCEPT_BOTH, **headers}
        self.connection.request("POST", parts.path, json.dumps(body), sent)
        self.response = self.connection.getresponse()

    def next_event(self) -> JSON:
        """The next event's JSON payload (events without data, or with empty data like a session
        stream's priming event, are skipped)."""
        data: list[str] = []
        while True:
            line = self.response.readline().decode()
            if not line:
                raise EOFError("the stream ended")
            if line.startswith("data:"):
                data.append(line[5:].strip())
            elif line in ("\n", "\r\n") and data:
                if "".join(data):
                    return json.loads("\n".join(data))
                data = []

    def finish(self) -> None:
        """Read the rest of the stream, so its connection can carry another request."""
        self.response.read()

    def close(self) -> None:
        self.connection.close()
