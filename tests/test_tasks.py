"""Tasks (the MCP 2026-07-28 tasks extension, SEP-2663) beyond what the conformance scenarios check:
the errors of `tasks/*`, a cancelled task that stays cancelled when its run ends, a protocol
error's `failed` shape, and answers that are not results. The conformance fixture server (a
filesystem store) and its task tools (`tests/conformance/fixtures/tools.c`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from testkit.components import require_components
from testkit.serving import JSON, request
from tests.conformance import harness

TASKS = "io.modelcontextprotocol/tasks"
WITH_TASKS: JSON = {"elicitation": {}, "extensions": {TASKS: {}}}


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    require_components("transport", "context-provider", "session-store-filesystem")
    with harness.serve("serve-tasks.log", "--max-instance-reuse-count", "1000") as url:
        yield url


def send(
    url: str, method: str, params: dict[str, Any], caps: JSON = WITH_TASKS, name: str | None = None
) -> Any:
    """A 2026-07-28 request with the routing headers a client sends (``name`` overrides Mcp-Name)."""
    meta = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": caps,
    }
    headers = {"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method}
    named = name if name is not None else params.get("taskId", params.get("name"))
    if named is not None:
        headers["Mcp-Name"] = named
    reply = request(
        url,
        {"jsonrpc": "2.0", "id": 3, "method": method, "params": {**params, "_meta": meta}},
        headers=headers,
    )
    return reply.status, reply.message()


def start(url: str, tool: str, arguments: JSON = None) -> str:
    status, answer = send(url, "tools/call", {"name": tool, "arguments": arguments or {}})
    assert status == 200 and answer["result"]["resultType"] == "task", answer
    task_id: str = answer["result"]["taskId"]
    return task_id


def until(url: str, task_id: str, *statuses: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while True:
        task: dict[str, Any] = send(url, "tasks/get", {"taskId": task_id})[1]["result"]
        if task["status"] in statuses or time.monotonic() > deadline:
            return task
        time.sleep(0.1)


def test_an_unknown_task_is_invalid_params(url: str) -> None:
    for method in ("tasks/get", "tasks/cancel"):
        status, answer = send(url, method, {"taskId": "0" * 32})
        assert (status, answer["error"]["code"]) == (200, -32602), answer
    answer = send(url, "tasks/update", {"taskId": "0" * 32, "inputResponses": {}})[1]
    assert answer["error"]["code"] == -32602


def test_the_task_methods_need_the_extension(url: str) -> None:
    status, answer = send(url, "tasks/get", {"taskId": "0" * 32}, caps={})
    assert (status, answer["error"]["code"]) == (400, -32021)
    assert answer["error"]["data"] == {"requiredCapabilities": {"extensions": {TASKS: {}}}}
    # without the extension a task-supporting tool answers at once, a task-requiring one refuses
    answer = send(url, "tools/call", {"name": "slow_compute", "arguments": {"seconds": 1}}, caps={})[1]
    assert answer["result"]["resultType"] == "complete"
    status, answer = send(url, "tools/call", {"name": "failing_job", "arguments": {}}, caps={})
    assert (status, answer["error"]["code"]) == (400, -32021)


def test_mcp_name_must_be_the_task_id(url: str) -> None:
    task_id = start(url, "slow_compute", {"seconds": 1})
    status, answer = send(url, "tasks/get", {"taskId": task_id}, name="another-task")
    assert (status, answer["error"]["code"]) == (400, -32020)
    status, answer = send(url, "tasks/get", {"taskId": task_id}, name="")
    assert (status, answer["error"]["code"]) == (400, -32020)


def test_removed_task_methods_are_not_found(url: str) -> None:
    for method in ("tasks/result", "tasks/list"):
        status, answer = send(url, method, {"taskId": "0" * 32})
        assert (status, answer["error"]["code"]) == (404, -32601), method


def test_a_cancelled_task_stays_cancelled_when_its_run_ends(url: str) -> None:
    task_id = start(url, "slow_compute", {"seconds": 1, "label": "c"})
    assert send(url, "tasks/cancel", {"taskId": task_id})[1]["result"] == {"resultType": "complete"}
    time.sleep(1.5)  # the run has ended by now
    task = send(url, "tasks/get", {"taskId": task_id})[1]["result"]
    assert task["status"] == "cancelled" and "result" not in task


def test_a_protocol_error_fails_the_task_with_its_error(url: str) -> None:
    task = until(url, start(url, "protocol_error_job"), "failed", "completed")
    assert task["status"] == "failed" and "result" not in task
    assert task["error"] == {"code": -32603, "message": "Internal error: the job crashed"}
    assert not any(key.startswith("wacpy/") for key in task)  # private members stay in the store


def test_answers_to_a_task_must_be_results(url: str) -> None:
    task_id = start(url, "confirm_delete", {"filename": "a.txt"})
    asked = until(url, task_id, "input_required")
    assert list(asked["inputRequests"]) == ["confirm"] and "requestState" not in asked
    responses: JSON
    for responses in ({"confirm": True}, [], None):
        answer = send(url, "tasks/update", {"taskId": task_id, "inputResponses": responses})[1]
        assert answer["error"]["code"] == -32602, responses
    assert send(url, "tasks/get", {"taskId": task_id})[1]["result"]["status"] == "input_required"
    declined = {"confirm": {"action": "accept", "content": {"confirm": False}}}
    assert send(url, "tasks/update", {"taskId": task_id, "inputResponses": declined})[1]["result"] == {
        "resultType": "complete"
    }
    done = until(url, task_id, "completed", "failed")
    assert done["result"]["content"] == [{"type": "text", "text": "Kept a.txt"}]
