"""testkit.proxy.round_robin: haproxy in front of two small loopback HTTP servers alternates them per
request (also on one keep-alive client connection), forwards event streams chunk by chunk and passes
request and response headers through unchanged (haproxy writes header names in lower case; HTTP
names are case-insensitive, the values are compared exactly)."""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from testkit.proxy import round_robin

STREAM_EVENTS = 3
WAIT = 5.0  # seconds: the longest a backend or the client waits for the other side


@dataclass
class Backend:
    """A loopback HTTP server answering with its own name; records the request headers it saw."""

    name: str
    url: str = ""
    seen: list[Message] = field(default_factory=list)  # names case-insensitive, as in HTTP
    release: threading.Event = field(default_factory=threading.Event)  # lets a stream send its rest
    finished: threading.Event = field(default_factory=threading.Event)  # set after a stream's last event


def sse_event(number: int) -> bytes:
    return f"id: {number}\ndata: {json.dumps({'event': number})}\n\n".encode()


class NamedHandler(BaseHTTPRequestHandler):
    """POST: the backend's name as JSON. GET: an event stream that pauses after its first event until
    the test releases it."""

    protocol_version = "HTTP/1.1"
    server: BackendServer

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass

    def do_POST(self) -> None:
        backend = self.server.backend
        backend.seen.append(self.headers)
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = json.dumps({"backend": backend.name}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Backend", backend.name)
        self.send_header("Mcp-Session-Id", f"session-of-{backend.name}")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        backend = self.server.backend
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("X-Backend", backend.name)
        self.end_headers()
        self.write_chunk(sse_event(1))
        backend.release.wait(WAIT)
        for number in range(2, STREAM_EVENTS + 1):
            time.sleep(0.05)
            self.write_chunk(sse_event(number))
        self.write_chunk(b"")
        backend.finished.set()

    def write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))


class BackendServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, backend: Backend) -> None:
        super().__init__(("127.0.0.1", 0), NamedHandler)
        self.backend = backend
        backend.url = f"http://127.0.0.1:{self.server_address[1]}/mcp"


@pytest.fixture(scope="module")
def backends() -> Iterator[dict[str, Backend]]:
    servers = [BackendServer(Backend(name)) for name in ("left", "right")]
    threads = [threading.Thread(target=server.serve_forever, daemon=True) for server in servers]
    for thread in threads:
        thread.start()
    yield {server.backend.name: server.backend for server in servers}
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def proxy(backends: dict[str, Backend], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("proxy") / "haproxy.log"
    with round_robin([backend.url for backend in backends.values()], log) as url:
        yield url


def connect(url: str) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    assert parts.hostname is not None
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=2 * WAIT), parts.path


def post(
    connection: http.client.HTTPConnection, path: str, headers: dict[str, str] | None = None
) -> http.client.HTTPResponse:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "ping"})
    connection.request("POST", path, body, {"Content-Type": "application/json", **(headers or {})})
    return connection.getresponse()


def test_the_proxy_url_keeps_the_backends_path(proxy: str, backends: dict[str, Backend]) -> None:
    assert urlsplit(proxy).path == "/mcp"
    assert urlsplit(proxy).port not in {urlsplit(backend.url).port for backend in backends.values()}


def test_requests_on_one_keep_alive_connection_alternate_backends(proxy: str) -> None:
    connection, path = connect(proxy)
    answered_by, local_ends = [], set()
    for _ in range(6):
        response = post(connection, path)
        assert response.status == 200
        answered_by.append(json.loads(response.read())["backend"])
        assert connection.sock is not None
        local_ends.add(connection.sock.getsockname())
    connection.close()
    assert len(local_ends) == 1, "the client connection was not kept alive"
    assert sorted(answered_by) == ["left"] * 3 + ["right"] * 3
    assert all(first != second for first, second in itertools.pairwise(answered_by))


def test_an_event_stream_arrives_before_the_backend_finishes(
    proxy: str, backends: dict[str, Backend]
) -> None:
    for backend in backends.values():
        backend.release.clear()
        backend.finished.clear()
    connection, path = connect(proxy)
    connection.request("GET", path, headers={"Accept": "text/event-stream"})
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/event-stream"
    streaming = backends[response.getheader("X-Backend", "")]
    first = read_event(response)
    assert not streaming.finished.is_set()
    streaming.release.set()
    rest = [read_event(response) for _ in range(STREAM_EVENTS - 1)]
    assert [first, *rest] == [sse_event(number) for number in range(1, STREAM_EVENTS + 1)]
    assert response.read() == b""
    assert streaming.finished.wait(5)  # the backend marks it just after its last write
    connection.close()


def read_event(response: http.client.HTTPResponse) -> bytes:
    """One server-sent event: lines up to and including the blank line ending it."""
    lines: list[bytes] = []
    while not lines or lines[-1] != b"\n":
        line = response.readline()
        assert line, "the stream ended inside an event"
        lines.append(line)
    return b"".join(lines)


def test_request_and_response_headers_pass_through(proxy: str, backends: dict[str, Backend]) -> None:
    sent = {"Mcp-Session-Id": "3f2a-session", "MCP-Protocol-Version": "2025-11-25"}
    connection, path = connect(proxy)
    response = post(connection, path, sent)
    name = json.loads(response.read())["backend"]
    connection.close()
    received = backends[name].seen[-1]
    assert {key: received.get(key) for key in sent} == sent
    assert response.getheader("Mcp-Session-Id") == f"session-of-{name}"
    assert response.getheader("X-Backend") == name
    assert response.getheader("Content-Type") == "application/json"


def test_backends_with_different_paths_are_refused(tmp_path: Path) -> None:
    with (
        pytest.raises(ValueError, match="share one path"),
        round_robin(["http://127.0.0.1:1/mcp", "http://127.0.0.1:2/other"], tmp_path / "log"),
    ):
        pass
