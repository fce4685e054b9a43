"""MCP 2026-07-28 beside 2025-11-25 from one composed server: a request names its revision in the
MCP-Protocol-Version header and its ``_meta``; a 2026 request needs no session and is checked
against its headers before the chain sees it. The cases are data (``tests/mcp/stateless-requests.json``);
each is sent to the conformance fixture server, which keeps sessions for 2025 clients.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from testkit.components import require_components
from testkit.serving import JSON, request
from tests.conformance import harness

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "mcp" / "stateless-requests.json").read_text(encoding="utf-8")
)["cases"]
VERSION = "2026-07-28"
META: JSON = {
    "io.modelcontextprotocol/protocolVersion": VERSION,
    "io.modelcontextprotocol/clientInfo": {"name": "wacpy-tests", "version": "1"},
    "io.modelcontextprotocol/clientCapabilities": {},
}


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    require_components("transport", "context-provider", "session-store-filesystem")
    with harness.serve("serve-stateless.log") as url:
        yield url


def headers_for(case: dict[str, Any]) -> dict[str, str]:
    """The headers a 2026 client sends for the case's request, changed as the case says."""
    params = case.get("params", {})
    headers = {"MCP-Protocol-Version": VERSION, "Mcp-Method": case["method"]}
    name = params.get("uri") if case["method"] == "resources/read" else params.get("name")
    if case["method"] in ("tools/call", "prompts/get", "resources/read") and name is not None:
        headers["Mcp-Name"] = name
    for key, value in case.get("headers", {}).items():
        headers.pop(key, None)
        if value is not None:
            headers[key] = value
    return headers


def body_for(case: dict[str, Any], id: int) -> dict[str, JSON]:
    params = dict(case.get("params", {}))
    meta = case.get("meta", META)
    if meta is not None:
        params["_meta"] = meta
    return {"jsonrpc": "2.0", "id": id, "method": case["method"], "params": params}


def test_the_table_has_unique_names() -> None:
    assert len({case["name"] for case in CASES}) == len(CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_a_stateless_request_is_answered_as_its_revision_says(url: str, case: dict[str, Any]) -> None:
    reply = request(url, body_for(case, 41), headers=headers_for(case))
    assert reply.status == case["status"], reply.body[:400]
    answer = reply.message()
    assert answer["id"] == 41  # every answer, errors too, carries the request's id
    if case["code"] is None:
        result = answer["result"]
        assert {k: result.get(k) for k in case.get("result", {})} == case.get("result", {})
        assert set(case.get("has", [])) <= set(result)
    else:
        error = answer["error"]
        assert error["code"] == case["code"] and error["message"], answer
        for key, value in case.get("data", {}).items():
            assert error["data"][key] == value


def test_discover_lists_the_capabilities_the_chain_serves(url: str) -> None:
    case = {"method": "server/discover"}
    result = request(url, body_for(case, 1), headers=headers_for(case)).message()["result"]
    assert {"2026-07-28", "2025-11-25"} <= set(result["supportedVersions"])
    assert {"tools", "resources", "prompts", "completions"} <= set(result["capabilities"])
    # with a store, list changes and resource updates reach 2026 clients on subscriptions/listen
    assert result["capabilities"]["tools"] == {"listChanged": True}
    assert result["capabilities"]["resources"] == {"listChanged": True, "subscribe": True}
    assert result["capabilities"]["extensions"] == {"io.modelcontextprotocol/tasks": {}}
    assert result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"]


def test_without_a_header_the_meta_names_the_revision(url: str) -> None:
    case = {"method": "tools/list"}
    reply = request(url, body_for(case, 3), headers={"Mcp-Method": "tools/list"})
    assert reply.status == 400 and reply.message()["error"]["code"] == -32020


def test_a_2025_client_of_the_same_server_still_needs_its_session(url: str) -> None:
    listed = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
    refused = request(url, listed, headers={"MCP-Protocol-Version": "2025-11-25"})
    opened = request(url, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})  # fmt: skip
    session = opened.headers["mcp-session-id"]
    served = request(url, listed, headers={"MCP-Protocol-Version": "2025-11-25", "Mcp-Session-Id": session})
    assert refused.status == 400
    assert opened.message()["result"]["protocolVersion"] == "2025-11-25"
    assert "resultType" not in served.message()["result"] and served.message()["result"]["tools"]


@pytest.mark.parametrize(("level", "logged"), [(None, False), ("debug", True), ("error", False)])
def test_a_tool_logs_only_at_the_level_the_request_names(url: str, level: str | None, logged: bool) -> None:
    case = {"method": "tools/call", "params": {"name": "test_logging_tool"}}
    body = body_for(case, 5)
    if level is not None:
        body["params"]["_meta"] = {**META, "io.modelcontextprotocol/logLevel": level}
    reply = request(url, body, headers=headers_for(case))
    assert reply.status == 200
    assert (b"notifications/message" in reply.body) is logged
    assert reply.message()["result"]["content"][0]["text"] == "Logging tool executed"
