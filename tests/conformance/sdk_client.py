"""Drive a server with the MCP Python SDK's client; print what it saw as one JSON object.

Runs in the throwaway virtual environment ``tests/test_mcp_sdk_client.py`` creates (the SDK is not
a dependency of wacpy)::

    python sdk_client.py http http://127.0.0.1:PORT/mcp
    python sdk_client.py stdio COMMAND [ARG ...]
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from contextlib import AbstractAsyncContextManager
from typing import Any

import mcp.types as types
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client


def dump(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


async def exercise(session: ClientSession, logs: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    init = await session.initialize()
    out["protocolVersion"] = init.protocol_version
    out["serverInfo"] = dump(init.server_info)
    out["capabilities"] = dump(init.capabilities)
    out["tools"] = [dump(t) for t in (await session.list_tools()).tools]
    out["calls"] = {
        name: dump(await session.call_tool(name, {}))
        for name in (
            "test_simple_text",
            "test_image_content",
            "test_multiple_content_types",
            "test_error_handling",
        )
    }
    out["calls"]["json_schema_2020_12_tool"] = dump(
        await session.call_tool("json_schema_2020_12_tool", {"name": "Ann", "address": {"city": "Oslo"}})
    )
    progress: list[list[Any]] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append([value, total])

    await session.set_logging_level("debug")
    out["calls"]["test_tool_with_progress"] = dump(
        await session.call_tool("test_tool_with_progress", {}, progress_callback=on_progress)
    )
    out["progress"] = progress
    out["calls"]["test_tool_with_logging"] = dump(await session.call_tool("test_tool_with_logging", {}))
    out["logs"] = logs
    try:
        await session.call_tool("no_such_tool", {})
        out["unknown_tool"] = None
    except Exception as err:  # the SDK raises an McpError for a JSON-RPC error
        out["unknown_tool"] = {"type": type(err).__name__, "message": str(err)}
    out["resources"] = [str(r.uri) for r in (await session.list_resources()).resources]
    out["read"] = dump(await session.read_resource("test://template/42/data"))
    out["prompt"] = dump(await session.get_prompt("test_prompt_with_arguments", {"arg1": "x", "arg2": "y"}))
    ref = types.PromptReference(type="ref/prompt", name="test_prompt_with_arguments")
    out["completion"] = dump((await session.complete(ref, {"name": "arg1", "value": "pa"})).completion)
    # Requests the server sends back while a tool runs; the callbacks below answer them.
    out["calls"]["test_sampling"] = dump(await session.call_tool("test_sampling", {"prompt": "Say hi"}))
    out["calls"]["test_elicitation"] = dump(await session.call_tool("test_elicitation", {"message": "Who?"}))
    # the tool a 2026-07-28 client answers by retrying: in a session it asks and waits, same code
    name = "test_input_required_result_elicitation"
    out["calls"][name] = dump(await session.call_tool(name, {}))
    out["asked"] = asked
    return out


asked: list[Any] = []


async def on_sampling(context: Any, params: types.CreateMessageRequestParams) -> types.CreateMessageResult:
    asked.append({"method": "sampling/createMessage", "params": dump(params)})
    text = params.messages[0].content.text  # type: ignore[union-attr]
    return types.CreateMessageResult(
        role="assistant",
        content=types.TextContent(type="text", text=f"hi back to {text!r}"),
        model="stub-model",
    )


async def on_elicitation(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
    asked.append({"method": "elicitation/create", "params": dump(params)})
    given = {"username": "ada", "email": "ada@example.com", "name": "Ada"}
    properties = dump(params)["requestedSchema"]["properties"]
    return types.ElicitResult(action="accept", content={k: v for k, v in given.items() if k in properties})


async def main(argv: list[str]) -> None:
    logs: list[Any] = []

    async def on_log(params: types.LoggingMessageNotificationParams) -> None:
        logs.append(dump(params))

    transport: AbstractAsyncContextManager[Any]
    if argv[0] == "http":
        # WACPY_TEST_BEARER: a token to send (a server in OAuth mode)
        token = os.environ.get("WACPY_TEST_BEARER")
        client = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"}) if token else None
        transport = streamable_http_client(argv[1], http_client=client)
    else:
        transport = stdio_client(StdioServerParameters(command=argv[1], args=argv[2:]))
    async with (
        transport as streams,
        ClientSession(
            streams[0],
            streams[1],
            logging_callback=on_log,
            sampling_callback=on_sampling,
            elicitation_callback=on_elicitation,
        ) as session,
    ):
        result = await exercise(session, logs)
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
