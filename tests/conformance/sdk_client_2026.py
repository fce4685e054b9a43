"""Drive a server with the MCP Python SDK's high-level ``Client`` in MCP 2026-07-28; print what it
saw as one JSON object.

The client's default ``mode="auto"`` probes ``server/discover`` and speaks 2026-07-28 to a server
that answers it (every request carries its version and capabilities in ``_meta``, no session), or
falls back to ``initialize``. Runs in the virtual environment of ``tests/test_mcp_sdk_client.py``::

    python sdk_client_2026.py http://127.0.0.1:PORT/mcp [--tasks]

``--tasks`` also runs a tool as a task (the server's processes must share a store).
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Sequence
from typing import Any, Literal

import mcp.types as types
from mcp import Client
from mcp.client.extension import ClaimContext, ClientExtension, ResultClaim
from mcp_types import Result
from pydantic import BaseModel, ConfigDict, Field

TASKS = "io.modelcontextprotocol/tasks"


class CreatedTask(Result):
    """A CreateTaskResult (the tasks extension, SEP-2663): the call goes on as a task."""

    result_type: Literal["task"] = Field(alias="resultType")
    task_id: str = Field(alias="taskId")
    status: str


class TaskParams(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    task_id: str = Field(alias="taskId")


class GetTask(types.Request[TaskParams, Literal["tasks/get"]]):
    method: Literal["tasks/get"] = "tasks/get"
    name_param = "taskId"  # SEP-2663: Mcp-Name carries the task id


class DetailedTask(Result):
    model_config = ConfigDict(extra="allow")
    status: str


class Tasks(ClientExtension):
    """The client's side of the tasks extension: a tools/call answered with a task is polled with
    tasks/get until it ends, and its inlined result is the call's result."""

    identifier = TASKS

    def __init__(self, seen: list[Any]) -> None:
        self.seen = seen

    def claims(self) -> Sequence[ResultClaim[Any]]:
        return (ResultClaim(result_type="task", model=CreatedTask, resolve=self.resolve),)

    async def resolve(self, created: CreatedTask, ctx: ClaimContext) -> types.CallToolResult:
        self.seen.append({"taskId": created.task_id, "status": created.status, "tool": ctx.tool_name})
        while True:
            task = await ctx.session.send_request(
                GetTask(params=TaskParams(task_id=created.task_id)), DetailedTask
            )
            self.seen.append({"status": task.status})
            if task.status in ("completed", "failed", "cancelled"):
                return types.CallToolResult.model_validate(
                    (task.model_extra or {}).get("result") or {"content": []}
                )
            await asyncio.sleep(0.2)


def dump(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


async def failure(call: Any) -> dict[str, Any] | None:
    """What a call that should fail raised: its type and message (None if it did not fail)."""
    try:
        result = await call
    except Exception as err:  # the SDK raises an MCPError for a JSON-RPC error
        return {"type": type(err).__name__, "message": str(err)}
    return (
        {"type": "result", "message": json.dumps(dump(result))}
        if getattr(result, "is_error", False)
        else None
    )


async def exercise(client: Client, logs: list[Any], with_tasks: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"protocolVersion": client.protocol_version}
    out["tools"] = [t.name for t in (await client.list_tools()).tools]
    out["calls"] = {
        name: dump(await client.call_tool(name, {}))
        for name in ("test_simple_text", "test_image_content", "test_tool_with_logging")
    }
    out["logs"] = logs
    out["unknown_tool"] = await failure(client.call_tool("no_such_tool", {}))
    out["resources"] = [str(r.uri) for r in (await client.list_resources()).resources]
    out["read"] = dump(await client.read_resource("test://template/42/data"))
    out["missing_resource"] = await failure(client.read_resource("test://no/such/resource"))
    out["prompt"] = dump(await client.get_prompt("test_prompt_with_arguments", {"arg1": "x", "arg2": "y"}))
    ref = types.PromptReference(type="ref/prompt", name="test_prompt_with_arguments")
    out["completion"] = dump((await client.complete(ref, {"name": "arg1", "value": "pa"})).completion)
    # multi round-trip input: the client answers InputRequiredResult with its callbacks and retries
    out["input_calls"] = {
        name: dump(await client.call_tool(name, {}))
        for name in (
            "test_input_required_result_elicitation",
            "test_input_required_result_multi_round",
            "test_input_required_result_multiple_inputs",
        )
    }
    out["input_prompt"] = dump(await client.get_prompt("test_input_required_result_prompt", {}))
    if with_tasks:  # the tasks extension: the call comes back as a task, polled to its end
        out["task_call"] = dump(await client.call_tool("slow_compute", {"seconds": 1, "label": "sdk"}))
    return out


#: What the elicitation callback answers, by the first word of the question.
ANSWERS = {"What": {"name": "Alice", "context": "tests"}, "Step": {"name": "Alice", "color": "blue"}}


async def main(url: str, with_tasks: bool) -> None:
    logs: list[Any] = []
    asked: list[Any] = []
    tasks: list[Any] = []

    async def on_log(params: types.LoggingMessageNotificationParams) -> None:
        logs.append(dump(params))

    async def on_elicit(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append({"method": "elicitation/create", "params": dump(params)})
        properties = dump(params)["requestedSchema"]["properties"]
        given = ANSWERS[params.message.split()[0]]
        return types.ElicitResult(action="accept", content={k: given[k] for k in properties})

    async def on_sample(context: Any, params: types.CreateMessageRequestParams) -> types.CreateMessageResult:
        asked.append({"method": "sampling/createMessage", "params": dump(params)})
        return types.CreateMessageResult(
            role="assistant", content=types.TextContent(type="text", text="Hello there"), model="test-model"
        )

    async def on_roots(context: Any) -> types.ListRootsResult:
        asked.append({"method": "roots/list"})
        return types.ListRootsResult(roots=[types.Root(uri="file:///work", name="work")])

    async with Client(
        url,
        logging_callback=on_log,
        log_level="debug",
        elicitation_callback=on_elicit,
        sampling_callback=on_sample,
        list_roots_callback=on_roots,
        extensions=[Tasks(tasks)],
    ) as client:
        result = await exercise(client, logs, with_tasks)
    result["asked"] = asked
    result["tasks"] = tasks
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], "--tasks" in sys.argv[2:]))
