"""`subscriptions/listen` (MCP 2026-07-28): the stream of notifications outside any request, which
replaces the GET stream and `resources/subscribe` for 2026 clients. Its first event acknowledges the
filter (only what the server has), the notifications it asked for follow tagged with the
subscription's id, the rest never arrive, and after the hold the stream ends with the request's
result. The conformance fixture server (a filesystem store) and its trigger tools.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from testkit.components import require_components
from testkit.serving import JSON, request
from tests.conformance import harness

META: JSON = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": {},
}
SUBSCRIPTION = "io.modelcontextprotocol/subscriptionId"
WATCHED = "test://watched-resource"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    require_components("transport", "context-provider", "session-store-filesystem")
    with harness.serve("serve-listen.log", "--env", "WACPY_MCP_STREAM_HOLD=2") as url:
        yield url


def call_tool(url: str, name: str, arguments: JSON = None) -> Any:
    headers = {"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": name}
    body = {
        "jsonrpc": "2.0",
        "id": 9,
        "method": "tools/call",
        "params": {"name": name, "arguments": arguments or {}, "_meta": META},
    }
    return request(url, body, headers=headers).message()


def listen(url: str, notifications: JSON, then: list[tuple[str, JSON]]) -> list[Any]:
    """Every message of a listen stream (id 77) opened with filter `notifications`; once its
    acknowledgement has arrived, each tool of `then` is called (from another connection)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    body = {
        "jsonrpc": "2.0",
        "id": 77,
        "method": "subscriptions/listen",
        "params": {"notifications": notifications, "_meta": META},
    }
    headers = {
        "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "subscriptions/listen",
    }  # fmt: skip
    connection.request("POST", parts.path, json.dumps(body), headers)
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
    messages: list[Any] = []
    triggers = threading.Thread(target=lambda: [call_tool(url, name, args) for name, args in then])
    for line in response:
        if line.startswith(b"data: "):
            messages.append(json.loads(line[6:]))
            if len(messages) == 1:
                triggers.start()
    triggers.join()
    connection.close()
    return messages


def test_the_stream_acknowledges_delivers_what_was_asked_and_ends(url: str) -> None:
    started = time.monotonic()
    messages = listen(
        url,
        {"toolsListChanged": True, "promptsListChanged": False, "resourceSubscriptions": [WATCHED]},
        [("test_trigger_prompt_change", None), ("test_trigger_tool_change", None),
         ("test_trigger_resource_update", {"uri": "test://static-text"}),
         ("test_trigger_resource_update", {"uri": WATCHED})],
    )  # fmt: skip
    ack, *notes, end = messages
    assert ack == {
        "jsonrpc": "2.0",
        "method": "notifications/subscriptions/acknowledged",
        "params": {
            "notifications": {"toolsListChanged": True, "resourceSubscriptions": [WATCHED]},
            "_meta": {SUBSCRIPTION: 77},
        },
    }
    # not the prompt list (not asked for), not a resource nobody watches
    assert [(n["method"], n["params"]) for n in notes] == [
        ("notifications/tools/list_changed", {"_meta": {SUBSCRIPTION: 77}}),
        ("notifications/resources/updated", {"uri": WATCHED, "_meta": {SUBSCRIPTION: 77}}),
    ]
    assert end == {
        "jsonrpc": "2.0",
        "id": 77,
        "result": {"resultType": "complete", "_meta": {SUBSCRIPTION: 77}},
    }
    assert time.monotonic() - started < 10  # the hold (2 s here) ends it


def test_only_what_the_server_has_is_acknowledged(url: str) -> None:
    [ack, end] = listen(
        url, {"toolsListChanged": "yes", "resourcesListChanged": True, "somethingElse": True}, []
    )
    assert ack["params"]["notifications"] == {"resourcesListChanged": True}
    assert end["result"]["resultType"] == "complete"


def test_a_listen_request_needs_a_filter(url: str) -> None:
    headers = {"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "subscriptions/listen"}
    body = {"jsonrpc": "2.0", "id": 5, "method": "subscriptions/listen", "params": {"_meta": META}}
    answer = request(url, body, headers=headers).message()
    assert answer["id"] == 5 and answer["error"]["code"] == -32602
