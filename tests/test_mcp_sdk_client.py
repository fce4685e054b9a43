"""A real MCP client, the MCP Python SDK's, against the composed conformance-fixture server.

The SDK is not a dependency of wacpy: it is pip-installed once into a virtual environment under
``.cache/conformance`` (:func:`tests.conformance.harness.sdk_python`), which runs
``tests/conformance/sdk_client.py``. That script initializes a session, lists the tools, calls
several (content, errors, progress and logging notifications), reads a templated resource, gets a
prompt and completes an argument, calls the tools that ask the client to sample and to elicit
(answered by the SDK's sampling and elicitation callbacks), and prints what it saw as JSON. Both
transports: streamable HTTP (``wasmtime serve``, sessions in a store directory) and stdio
(``wasmtime run -Scli -Shttp server.wasm`` spawned by the SDK), where the server keeps no session yet
and says so. And the SDK's high-level ``Client`` speaking MCP 2026-07-28 to the same server
(``tests/conformance/sdk_client_2026.py``), in one process and in two behind a round-robin proxy.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conformance import harness
from wacpy.tools import wasmtime_path

CLIENT = Path(__file__).resolve().parent / "conformance" / "sdk_client.py"
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478da63f8cf"
        "c0000003010100f70341430000000049454e44ae426082"
    )
).decode()


@pytest.fixture(scope="module")
def sdk_python() -> Path:
    try:
        return harness.sdk_python()
    except harness.UnavailableError as err:
        pytest.skip(str(err))


def run_client(python: Path, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [str(python), "-W", "ignore", str(CLIENT), *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-4000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def check(seen: dict[str, Any]) -> None:
    assert seen["protocolVersion"] == "2025-11-25"
    assert seen["serverInfo"] == {"name": "wacpy-server", "version": "0.1.0"}
    assert set(seen["capabilities"]) == {"tools", "resources", "prompts", "completions", "logging"}

    tools = {t["name"]: t for t in seen["tools"]}
    # The union of two C components, in chain order: tools.c, then schema.c.
    assert list(tools)[-1] == "json_schema_2020_12_tool"
    assert len(tools) == 37  # the conformance fixture, with its 2026-07-28 diagnostic, input and task tools
    assert all(t["description"] and t["inputSchema"]["type"] == "object" for t in tools.values())
    schema = tools["json_schema_2020_12_tool"]["inputSchema"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["address"] == {"$ref": "#/$defs/address"}
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["address"]["$anchor"] == "addressDef"
    assert schema["allOf"] == [{"anyOf": [{"required": ["phone"]}, {"required": ["email"]}]}]
    assert (schema["then"], schema["else"]) == ({"required": ["phone"]}, {"required": ["email"]})

    calls = seen["calls"]
    assert calls["test_simple_text"]["content"] == [
        {"type": "text", "text": "This is a simple text response for testing."}
    ]
    assert calls["test_image_content"]["content"] == [{"type": "image", "data": PNG, "mimeType": "image/png"}]
    assert [b["type"] for b in calls["test_multiple_content_types"]["content"]] == [
        "text",
        "image",
        "resource",
    ]
    assert calls["test_error_handling"]["isError"] is True
    assert json.loads(calls["json_schema_2020_12_tool"]["content"][0]["text"]) == {
        "name": "Ann",
        "address": {"city": "Oslo"},
    }
    assert seen["progress"] == [[0, 100], [50, 100], [100, 100]]
    assert [log["data"] for log in seen["logs"]] == [
        "Tool execution started",
        "Tool processing data",
        "Tool execution completed",
    ]
    assert seen["unknown_tool"]["message"] == "Unknown tool: no_such_tool"

    # The Python component.
    assert seen["resources"] == ["test://static-text", "test://static-binary", "test://watched-resource"]
    [contents] = seen["read"]["contents"]
    assert contents["uri"] == "test://template/42/data"
    assert json.loads(contents["text"]) == {"id": "42", "templateTest": True, "data": "Data for ID: 42"}
    assert seen["prompt"]["messages"] == [
        {"role": "user", "content": {"type": "text", "text": "Prompt with arguments: arg1='x', arg2='y'"}}
    ]
    assert seen["completion"] == {"values": ["paris", "park", "party"], "total": 3, "hasMore": False}


def check_requests_to_the_client(seen: dict[str, Any]) -> None:
    """The sampling and elicitation tools asked the client, which answered with its callbacks."""
    calls = seen["calls"]
    # the fixture quotes the JSON it got
    assert calls["test_sampling"]["content"] == [
        {"type": "text", "text": "LLM response: \"hi back to 'Say hi'\""}
    ]
    assert calls["test_elicitation"]["content"][0]["text"] == (
        'User response: action="accept", content={"username":"ada","email":"ada@example.com"}'
    )
    sampled, elicited, named = seen["asked"]
    assert sampled["params"]["messages"][0]["content"]["text"] == "Say hi"
    assert elicited["params"]["message"] == "Who?"
    assert elicited["params"]["requestedSchema"]["required"] == ["username", "email"]
    # the tool that a 2026-07-28 client answers by retrying asks and waits in a 2025 session
    assert calls["test_input_required_result_elicitation"]["content"][0]["text"] == "Hello, Ada!"
    assert named["params"]["message"] == "What is your name?" and "_meta" not in named["params"]


def test_streamable_http(sdk_python: Path) -> None:
    with harness.serve("serve-sdk.log") as url:
        seen = run_client(sdk_python, "http", url)
    check(seen)
    check_requests_to_the_client(seen)


def test_stdio(sdk_python: Path) -> None:
    """stdio is one implicit session: the server's requests go out on stdout and the tool reads the
    client's answers from stdin while it waits (no store is needed)."""
    command = [wasmtime_path(), "run", "-C", f"cache-config={harness.cache_config()}", "-Scli", "-Shttp"]
    seen = run_client(sdk_python, "stdio", *command, str(harness.server_wasm()))
    check(seen)
    check_requests_to_the_client(seen)


CLIENT_2026 = CLIENT.with_name("sdk_client_2026.py")


@pytest.mark.parametrize("behind", ["one process", "two processes", "two processes sharing a store"])
def test_the_sdk_client_speaks_2026_07_28_to_the_same_server(sdk_python: Path, behind: str) -> None:
    """The SDK's high-level client probes ``server/discover``, adopts 2026-07-28 and works without a
    session; behind the round-robin proxy, consecutive requests reach different processes. Where
    the server has one store (one process, or two sharing a directory) a tool also runs as a task."""
    with_tasks = behind != "two processes"
    serving = (
        harness.serve("serve-sdk-2026.log")
        if behind == "one process"
        else harness.serve_behind_proxy(f"sdk-2026-{with_tasks}", shared_store=with_tasks)
    )
    with serving as url:
        done = subprocess.run(
            [str(sdk_python), "-W", "ignore", str(CLIENT_2026), url, *(["--tasks"] if with_tasks else [])],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr[-4000:]
    seen = json.loads(done.stdout)
    assert seen["protocolVersion"] == "2026-07-28"
    assert seen["tools"][0] == "test_simple_text" and seen["tools"][-1] == "json_schema_2020_12_tool"
    calls = seen["calls"]
    assert calls["test_simple_text"]["content"] == [
        {"type": "text", "text": "This is a simple text response for testing."}
    ]
    assert all(call["resultType"] == "complete" for call in calls.values())
    assert calls["test_image_content"]["content"] == [{"type": "image", "data": PNG, "mimeType": "image/png"}]
    # log messages only because the client opted in with _meta logLevel (log_level="debug")
    assert [log["data"] for log in seen["logs"]] == [
        "Tool execution started",
        "Tool processing data",
        "Tool execution completed",
    ]
    assert seen["unknown_tool"] == {"type": "MCPError", "message": "Unknown tool: no_such_tool"}
    assert seen["missing_resource"] == {"type": "MCPError", "message": "Resource not found"}
    assert seen["resources"] == ["test://static-text", "test://static-binary", "test://watched-resource"]
    assert (seen["read"]["ttlMs"], seen["read"]["cacheScope"]) == (0, "private")
    [contents] = seen["read"]["contents"]
    assert json.loads(contents["text"]) == {"id": "42", "templateTest": True, "data": "Data for ID: 42"}
    assert seen["prompt"]["messages"][0]["content"]["text"] == "Prompt with arguments: arg1='x', arg2='y'"
    assert seen["completion"]["values"] == ["paris", "park", "party"]
    # multi round-trip input (SEP-2322): the client's callbacks answered each InputRequiredResult
    # and it retried with the answers and the sealed requestState, through either process
    texts = {name: call["content"][0]["text"] for name, call in seen["input_calls"].items()}
    assert texts == {
        "test_input_required_result_elicitation": "Hello, Alice!",
        "test_input_required_result_multi_round": "name=Alice, color=blue",
        "test_input_required_result_multiple_inputs": (
            'name=Alice, greeting=LLM response: "Hello there", roots=[{"uri":"file:///work","name":"work"}]'
        ),
    }
    assert seen["input_prompt"]["messages"][0]["content"]["text"] == "Use this context: tests"
    messages = [a["params"].get("message") for a in seen["asked"] if a["method"] == "elicitation/create"]
    assert messages == [
        "What is your name?", "Step 1: What is your name?", "Step 2: What is your favorite color?",
        "What is your name?", "What context should the prompt use?",
    ]  # fmt: skip
    # the server's own key for each answer (`_meta["wacpy/input-key"]`) does not reach the client
    assert all("_meta" not in a.get("params", {}) for a in seen["asked"])
    if with_tasks:  # made by one process, polled (tasks/get) through either: it is in the store
        assert seen["task_call"]["content"] == [{"type": "text", "text": "Computed sdk in 1 s"}]
        created, *polled = seen["tasks"]
        assert re.fullmatch(r"[0-9a-f]{32}", created["taskId"]) and created["status"] == "working"
        assert [p["status"] for p in polled][-1] == "completed"
        assert {p["status"] for p in polled[:-1]} <= {"working"}
    else:
        assert "task_call" not in seen
