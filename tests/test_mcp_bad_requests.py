"""The bad-request table (``tests/mcp/bad-requests.json``): each hostile or broken request gets its
HTTP status and JSON-RPC error code, and the server answers a normal call right after it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.test_mcp_transport import JSON, request, rpc
from tests.test_mcp_transport import cache_config, composed, url, work  # noqa: F401 (fixtures)

TABLE = Path(__file__).resolve().parent / "mcp" / "bad-requests.json"
CASES: list[dict[str, Any]] = json.loads(TABLE.read_text(encoding="utf-8"))["cases"]
PING = b'{"jsonrpc":"2.0","id":1,"method":"ping"}'


def body_of(case: dict[str, Any]) -> bytes | None:
    if "repeat" in case:
        r = case["repeat"]
        text = r["prefix"] + r["unit"] * r["times"] + r.get("middle", "") + r.get("close", "") * r["times"]
        return (text + r["suffix"]).encode()
    if "body_bytes" in case:
        return bytes.fromhex(case["body_bytes"])
    if "body" in case:
        return None if case["body"] is None else str(case["body"]).encode()
    return PING


def test_the_table_has_unique_names() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)) and len(names) >= 90


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_a_bad_request_gets_its_answer_and_the_server_goes_on(url: str, case: dict[str, Any]) -> None:
    base = url.removesuffix("/mcp")
    reply = request(
        base + case.get("path", "/mcp"),
        body_of(case),
        method=case.get("method", "POST"),
        headers=case.get("headers"),
    )
    assert reply.status == case["status"], reply.body[:300]
    if reply.status == 202:
        assert reply.body == b""
    else:
        answer: JSON = reply.message()
        assert isinstance(answer, dict) and answer.get("jsonrpc") == "2.0"
        error = answer.get("error")
        if case["code"] is None:
            assert error is None, answer
        else:
            assert isinstance(error, dict) and error["code"] == case["code"], answer
            assert isinstance(error.get("message"), str) and error["message"]
        if "id" in case:
            assert answer["id"] == case["id"]
    assert rpc(url, "ping")["result"] == {}
