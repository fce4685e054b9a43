"""The MCP transport (``middleware-src/transport``) in real compositions, over HTTP and stdio.

Chains are composed with :class:`wacpy.CompositionGraph` from the shipped framework components
(``wacpy/mcp/components``), every part importing ``types`` and ``context`` from one
context-provider:

* transport -> tools-middleware(test tool) -> method-not-found, with the test tool of
  ``testkit/fixtures/mcp_tool/tool.c`` (every content block, notifications, errors); served by
  ``wasmtime serve`` on a free loopback port and driven with ``urllib``, and run over stdio;
* transport -> {tools,resources,prompts,completions}-middleware(provider) -> method-not-found, with
  the framework tests' ``tests/mcp/provider.c``, run over stdio for every other MCP method.

The C fixtures are built with zig and the framework's flags and WIT (``testkit.framework``,
``testkit.components``).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wacpy
from testkit import framework
from testkit.components import (
    COMPONENTS,
    REPO,
    build_tool,
    compile_c,
    context_provider,
    require_components,
    session_store,
)
from testkit.serving import JSON, call_tool, request, rpc, serving
from wacpy.compose.graph import NodeId
from wacpy.mcp import ServerCompositionWarning, compose_server
from wacpy.tools import run_wasm_tools, wasmtime_path

PROVIDER_SOURCE = Path(__file__).resolve().parent / "mcp" / "provider.c"
CAPABILITIES = ("tools", "resources", "prompts", "completions")
HTTP_EXPORT = "wasi:http/incoming-handler@0.2.12"
RUN_EXPORT = "wasi:cli/run@0.2.12"


def mcp(name: str) -> str:
    return f"wacpy:mcp/{name}@0.1.0"


# --------------------------------------------------------------------------------------------------
# Building and composing


def build_provider(work: Path, prefix: str = "alpha") -> bytes:
    """``tests/mcp/provider.c`` (every capability, items prefixed ``prefix``), as the framework tests build it."""
    wit = work / "provider-wit"
    shutil.copytree(framework.wasi_wit(), wit / "deps")
    (wit / "deps" / "mcp").mkdir()
    for part in sorted((REPO / "wit").glob("*.wit")):  # mcp.wit and framework.wit
        shutil.copy(part, wit / "deps" / "mcp" / part.name)
    shutil.copy(PROVIDER_SOURCE.parent / "fixtures.wit", wit / "fixtures.wit")
    core = work / "provider.core.wasm"
    compile_c(
        PROVIDER_SOURCE,
        core,
        f"-I{REPO / 'middleware-src' / 'include'}",
        f"-I{framework.RUNTIME}",
        f"-I{REPO / 'tests' / 'fixtures' / 'include'}",
        f'-DPREFIX="{prefix}"',
    )
    embedded = run_wasm_tools("component", "embed", str(wit), "--world", "provider", str(core))
    return run_wasm_tools("component", "new", "-", stdin=embedded)


def compose_chain(user_component: bytes, capabilities: tuple[str, ...]) -> bytes:
    """transport -> one middleware per capability around the component -> method-not-found, all
    sharing one context-provider."""
    graph = wacpy.CompositionGraph()
    names = ("transport", "method-not-found", *(f"{c}-middleware" for c in capabilities))
    packages = {name: graph.register(name, COMPONENTS / f"{name}.wasm") for name in names}
    packages["user"] = graph.register("user", user_component)
    store = session_store(graph)
    context = context_provider(graph, store=store)

    def instance(name: str) -> NodeId:
        node = graph.instantiate(packages[name])
        for shared in (mcp("types"), mcp("context")):
            if shared in graph.package(packages[name]).type.imports:
                graph.set_argument(node, shared, graph.alias_export(context, shared))
        return node

    handler = graph.alias_export(instance("method-not-found"), mcp("handler"))
    user = instance("user")
    for capability in reversed(capabilities):
        middleware = instance(f"{capability}-middleware")
        graph.set_argument(middleware, mcp(capability), graph.alias_export(user, mcp(capability)))
        graph.set_argument(middleware, mcp("handler"), handler)
        handler = graph.alias_export(middleware, mcp("handler"))
    transport = instance("transport")
    graph.set_argument(transport, mcp("handler"), handler)
    graph.set_argument(transport, mcp("context-factory"), graph.alias_export(context, mcp("context-factory")))
    graph.set_argument(transport, mcp("store"), store)
    for export in (HTTP_EXPORT, RUN_EXPORT):
        graph.export(graph.alias_export(transport, export), export)
    return graph.encode()


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mcp-transport")


@pytest.fixture(scope="module")
def composed(work: Path) -> Path:
    """The test tool behind the transport."""
    require_components("transport", "context-provider", "method-not-found", "tools-middleware")
    path = work / "composed.wasm"
    path.write_bytes(compose_chain(build_tool(work), ("tools",)))
    return path


@pytest.fixture(scope="module")
def composed_full(work: Path) -> Path:
    """The framework tests' provider (tools, resources, prompts, completions) behind the transport."""
    require_components(
        "transport", "context-provider", "method-not-found", *(f"{c}-middleware" for c in CAPABILITIES)
    )
    if not PROVIDER_SOURCE.is_file():
        pytest.skip("tests/mcp/provider.c is not there")
    path = work / "composed-full.wasm"
    path.write_bytes(compose_chain(build_provider(work), CAPABILITIES))
    return path


@pytest.fixture(scope="module")
def cache_config(work: Path) -> Path:
    config = work / "wasmtime-cache.toml"
    config.write_text(f"[cache]\ndirectory = {json.dumps(str(work / 'wasmtime-cache'))}\n")
    return config


# --------------------------------------------------------------------------------------------------
# Serving over HTTP


@pytest.fixture(scope="module")
def url(composed: Path, cache_config: Path, work: Path) -> Iterator[str]:
    with serving(composed, cache_config, work / "serve.log") as found:
        yield found


# --------------------------------------------------------------------------------------------------
# Size


def test_transport_is_small() -> None:
    path = COMPONENTS / "transport.wasm"
    if not path.is_file():
        pytest.skip("transport not built")
    assert path.stat().st_size < 200_000


# --------------------------------------------------------------------------------------------------
# Lifecycle


@pytest.mark.parametrize("version", ["2025-11-25", "2025-06-18", "2025-03-26"])
def test_initialize_answers_with_a_supported_client_version(url: str, version: str) -> None:
    reply = rpc(
        url,
        "initialize",
        {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    )
    assert reply["id"] == 1
    result = reply["result"]
    assert result["protocolVersion"] == version
    assert result["serverInfo"] == {"name": "wacpy-server", "version": "0.1.0"}
    assert result["capabilities"] == {"tools": {}, "logging": {}}


def test_initialize_offers_the_latest_version_for_an_unknown_one(url: str) -> None:
    assert (
        rpc(url, "initialize", {"protocolVersion": "2024-11-05"})["result"]["protocolVersion"] == "2025-11-25"
    )


def test_initialize_without_a_version_is_invalid_params(url: str) -> None:
    assert rpc(url, "initialize", {})["error"]["code"] == -32602


def test_ping(url: str) -> None:
    assert rpc(url, "ping", id="p") == {"jsonrpc": "2.0", "id": "p", "result": {}}


def test_notifications_and_responses_are_accepted_without_a_body(url: str) -> None:
    for message in (
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 7, "result": {}},
        {"jsonrpc": "2.0", "id": 8, "error": {"code": -1, "message": "no"}},
    ):
        reply = request(url, message)
        assert (reply.status, reply.body) == (202, b"")


# --------------------------------------------------------------------------------------------------
# Tools


def test_tools_list_inserts_schemas_verbatim_minified(url: str) -> None:
    tools = rpc(url, "tools/list")["result"]["tools"]
    assert [t["name"] for t in tools] == ["echo", "media", "notify", "fail"]
    echo = tools[0]
    assert echo == {
        "name": "echo",
        "title": "Echo",
        "description": "Echo the arguments back",
        "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}},
        "annotations": {"readOnlyHint": True},
    }


def test_tools_call_that_notifies_nothing_is_answered_as_json(url: str) -> None:
    """The response head waits for the first notification (so a trap before it is a 5xx, not an
    empty 200); a call that sends none is answered with plain JSON."""
    reply = request(
        url,
        {
            "jsonrpc": "2.0",
            "id": 3,
            "method": "tools/call",
            "params": {"name": "echo", "arguments": {"text": 'hé "x"'}},
        },
    )
    assert reply.status == 200
    assert reply.headers["content-type"] == "application/json"
    message = reply.json()
    assert message["id"] == 3
    [block] = message["result"]["content"]
    assert block["type"] == "text"
    assert json.loads(block["text"].removeprefix("echo: ")) == {"text": 'hé "x"'}
    assert message["result"]["isError"] is False


def test_tools_call_answers_json_to_a_client_accepting_anything(url: str) -> None:
    reply = request(
        url,
        {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "echo"}},
        headers={"Accept": "*/*"},
    )
    assert reply.headers["content-type"] == "application/json"
    assert reply.json()["result"]["content"][0]["text"] == "echo: {}"


def test_tools_call_every_content_block(url: str) -> None:
    result = call_tool(url, "media")["result"]
    image, audio, text, link, embedded = result["content"]
    assert image == {"type": "image", "data": "iVBOR/8A", "mimeType": "image/png"}
    assert audio == {"type": "audio", "data": "iVBORw==", "mimeType": "audio/wav"}
    assert text == {
        "type": "text",
        "text": 'line one\nline "two"\té',
        "annotations": {"audience": ["user"], "priority": 0.5, "lastModified": "2025-01-01T00:00:00Z"},
    }
    assert link == {
        "type": "resource_link", "uri": "test://file", "name": "file", "description": "A file",
        "mimeType": "text/plain", "size": 42,
    }  # fmt: skip
    assert embedded == {
        "type": "resource",
        "resource": {"uri": "test://blob", "mimeType": "application/octet-stream", "blob": "iVBO"},
    }
    assert result["structuredContent"] == {"kinds": 5}


def test_tools_call_streams_notifications_before_the_result(url: str) -> None:
    params = {"name": "notify", "_meta": {"progressToken": "tok-1"}}
    reply = request(url, {"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": params})
    assert reply.headers["content-type"] == "text/event-stream"
    assert reply.headers["cache-control"] == "no-cache"
    log, progress, result = reply.events()
    assert log == {
        "jsonrpc": "2.0",
        "method": "notifications/message",
        "params": {"level": "info", "logger": "fixture", "data": "working"},
    }
    assert progress["method"] == "notifications/progress"
    assert progress["params"]["progressToken"] == "tok-1"
    assert progress["params"]["progress"] == 0.5
    assert result["id"] == 9
    assert result["result"]["content"] == [{"type": "text", "text": "done"}]


# --------------------------------------------------------------------------------------------------
# Lists across components: the first in chain order wins a name; one bad item hides no other


@pytest.fixture(scope="module")
def doubled(work: Path, cache_config: Path) -> Iterator[tuple[str, Path]]:
    """The test tool twice, the second copy with three more tools (``strict``, and two whose
    ``inputSchema`` cannot be listed); yields the URL and the server's log."""
    plain, extra = build_tool(work), build_tool(work, "-DEXTRA_TOOLS")
    path = work / "doubled.wasm"
    with pytest.warns(ServerCompositionWarning):
        path.write_bytes(compose_server([plain, extra]))
    log = work / "doubled.log"
    with serving(path, cache_config, log) as found:
        yield found, log


def test_a_name_listed_twice_is_the_first_components_and_reported(doubled: tuple[str, Path]) -> None:
    url, log = doubled
    names = [tool["name"] for tool in rpc(url, "tools/list")["result"]["tools"]]
    assert names == ["echo", "media", "notify", "fail", "strict"]
    reported = log.read_text()
    for name in ("echo", "media", "notify", "fail"):
        assert (
            f"wacpy: tools/list: skipped tool `{name}`: listed earlier in the chain (the first wins)"
            in reported
        )


def test_a_tool_whose_schema_cannot_be_listed_is_left_out_and_reported(doubled: tuple[str, Path]) -> None:
    url, log = doubled
    assert "broken" not in {tool["name"] for tool in rpc(url, "tools/list")["result"]["tools"]}
    reported = log.read_text()
    assert "wacpy: tools/list: skipped tool `broken`: its inputSchema is not valid JSON" in reported
    assert "wacpy: tools/list: skipped tool `listy`: its inputSchema is not a JSON object" in reported


@pytest.mark.parametrize(
    ("version", "tool_error"), [("2025-11-25", True), ("2025-06-18", False), (None, False)]
)
def test_rejected_arguments_follow_the_negotiated_revision(
    doubled: tuple[str, Path], version: str | None, tool_error: bool
) -> None:
    """SEP-1303 (2025-11-25): arguments a tool rejects come back as a tool error the model can read;
    earlier revisions keep the JSON-RPC error -32602. An unknown tool stays -32602 in every one."""
    url, _ = doubled
    headers = {"MCP-Protocol-Version": version} if version else {}
    answer = call_tool(url, "strict", {"y": 1}, headers=headers)
    message = "Invalid arguments: x: a required property is missing"
    if tool_error:
        assert answer["result"] == {"content": [{"type": "text", "text": message}], "isError": True}
    else:
        assert answer["error"] == {"code": -32602, "message": message}
    assert call_tool(url, "strict", {"x": 1}, headers=headers)["result"]["content"][0]["text"] == "ok"
    assert call_tool(url, "nope", headers=headers)["error"]["code"] == -32602


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("resources/list", None),
        ("resources/templates/list", None),
        ("resources/read", {"uri": "test://x"}),
        ("resources/subscribe", {"uri": "test://x"}),
        ("prompts/list", None),
        ("prompts/get", {"name": "p"}),
        (
            "completion/complete",
            {"ref": {"type": "ref/prompt", "name": "p"}, "argument": {"name": "a", "value": ""}},
        ),
    ],
)
def test_methods_of_a_capability_the_server_lacks_are_not_found(url: str, method: str, params: JSON) -> None:
    """The tools-only server advertises no resources, prompts or completions: their methods do not
    exist for it (-32601), as for any method it does not know."""
    reply = request(
        url, {"jsonrpc": "2.0", "id": 5, "method": method, **({"params": params} if params else {})}
    )
    assert reply.status == 200
    error = reply.message()["error"]
    assert error["code"] == -32601
    assert method in error["message"]
    assert rpc(url, "tools/list")["result"]["tools"]  # and the server goes on serving


def test_unknown_tool_is_invalid_params(url: str) -> None:
    error = call_tool(url, "nope")["error"]
    assert error == {"code": -32602, "message": "Unknown tool: nope"}


def test_tool_error_keeps_its_code_and_data(url: str) -> None:
    error = call_tool(url, "fail")["error"]
    assert error == {"code": -32050, "message": "tool failed", "data": {"reason": "test"}}


def test_tool_arguments_must_be_an_object(url: str) -> None:
    assert call_tool(url, "echo", [1])["error"]["code"] == -32602
    assert rpc(url, "tools/call", {"arguments": {}})["error"]["code"] == -32602


def test_string_escapes_are_decoded_exactly(url: str) -> None:
    body = b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x\\ud83d\\ude00\\u00e9\\ud800\\n\\/"}}'
    error = request(url, body).message()["error"]
    assert error["message"] == "Unknown tool: x\U0001f600é\ufffd\n/"


# --------------------------------------------------------------------------------------------------
# JSON-RPC errors


def test_unknown_method_is_method_not_found(url: str) -> None:
    error = rpc(url, "foo/bar")["error"]
    assert error["code"] == -32601


@pytest.mark.parametrize(
    "body",
    [b"{bad", b"", b'{"a":1,}', b"[1 2]", b'"\xff"', b'"\xed\xa0\x80"', b"[" * 200 + b"]" * 200, b"{} {}"],
)
def test_malformed_json_is_a_parse_error_and_the_server_keeps_serving(url: str, body: bytes) -> None:
    reply = request(url, body)
    assert reply.status == 400
    assert reply.json() == {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}}
    assert rpc(url, "ping")["result"] == {}


def test_deep_but_bounded_nesting_is_accepted(url: str) -> None:
    arguments: JSON = {"x": 1}
    for _ in range(100):
        arguments = {"x": arguments}
    text = call_tool(url, "echo", arguments)["result"]["content"][0]["text"]
    assert json.loads(text.removeprefix("echo: ")) == arguments


@pytest.mark.parametrize(
    ("body", "id"),
    [
        (b"[]", None),
        (b"42", None),
        (b'{"id":1,"method":"ping"}', 1),
        (b'{"jsonrpc":"1.0","id":1,"method":"ping"}', 1),
        (b'{"jsonrpc":"2.0","id":null,"method":"ping"}', None),
        (b'{"jsonrpc":"2.0","id":{},"method":"ping"}', None),
        (b'{"jsonrpc":"2.0","id":"a","method":5}', "a"),
        (b'{"jsonrpc":"2.0","id":2,"method":"ping","params":3}', 2),
    ],
)
def test_wrong_shapes_are_invalid_requests(url: str, body: bytes, id: JSON) -> None:
    reply = request(url, body)
    assert reply.status == 400
    assert reply.json()["error"]["code"] == -32600
    assert reply.json()["id"] == id


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(
    arguments=st.dictionaries(st.text(max_size=8), json_values, max_size=4),
    ascii=st.booleans(),
    indent=st.none() | st.integers(0, 2),
)
def test_any_json_arguments_reach_the_tool_verbatim(
    url: str, arguments: JSON, ascii: bool, indent: int | None
) -> None:
    message = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "echo", "arguments": arguments},
    }
    body = json.dumps(message, ensure_ascii=ascii, indent=indent).encode()
    text = request(url, body).message()["result"]["content"][0]["text"]
    assert json.loads(text.removeprefix("echo: ")) == arguments


@settings(max_examples=150, deadline=None)
@given(
    body=st.binary(max_size=64)
    | st.text(alphabet='{}[]",:\\u0123456789abcdeflnrstu \n', max_size=64).map(str.encode)
)
def test_arbitrary_bodies_get_an_answer(url: str, body: bytes) -> None:
    reply = request(url, body)
    assert reply.status in (200, 202, 400), reply.body
    if reply.status == 400:
        assert reply.json()["error"]["code"] in (-32700, -32600)


# --------------------------------------------------------------------------------------------------
# The bad-request table (tests/mcp/bad-requests.json): each hostile or broken request gets its HTTP
# status and JSON-RPC error code, and the server answers a normal call right after it.

BAD_REQUESTS = Path(__file__).resolve().parent / "mcp" / "bad-requests.json"
BAD_CASES: list[dict[str, Any]] = json.loads(BAD_REQUESTS.read_text(encoding="utf-8"))["cases"]
PING_BODY = b'{"jsonrpc":"2.0","id":1,"method":"ping"}'


def body_of(case: dict[str, Any]) -> bytes | None:
    if "repeat" in case:
        r = case["repeat"]
        text: str = (
            r["prefix"] + r["unit"] * r["times"] + r.get("middle", "") + r.get("close", "") * r["times"]
        )
        return str(text + r["suffix"]).encode()
    if "body_bytes" in case:
        return bytes.fromhex(case["body_bytes"])
    if "body" in case:
        return None if case["body"] is None else str(case["body"]).encode()
    return PING_BODY


def test_the_table_has_unique_names() -> None:
    names = [case["name"] for case in BAD_CASES]
    assert len(names) == len(set(names)) and len(names) >= 90


@pytest.mark.parametrize("case", BAD_CASES, ids=[case["name"] for case in BAD_CASES])
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


# --------------------------------------------------------------------------------------------------
# HTTP


def test_accept_must_list_json_and_event_stream(url: str) -> None:
    for accept in ("text/html", "application/json", "text/event-stream"):
        reply = request(url, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, headers={"Accept": accept})
        assert reply.status == 406, accept
        assert reply.json()["id"] == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "evil.example.com"},
        {"Origin": "http://evil.example.com"},
        {"Origin": "http://localhost.evil.com"},
        {"Host": "localhost:1:2"},
    ],
)
def test_foreign_host_or_origin_is_forbidden(url: str, headers: dict[str, str]) -> None:
    assert request(url, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, headers=headers).status == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "localhost:3000", "Origin": "http://localhost:3000"},
        {"Host": "[::1]:8080", "Origin": "https://127.0.0.1"},
    ],
)
def test_loopback_host_and_origin_are_allowed(url: str, headers: dict[str, str]) -> None:
    assert request(url, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, headers=headers).status == 200


def test_more_hosts_can_be_allowed_through_the_environment(
    composed: Path, cache_config: Path, work: Path
) -> None:
    hosts = "WACPY_MCP_ALLOWED_HOSTS=mcp.example.org, Other.Example"
    with serving(composed, cache_config, work / "serve-env.log", "--env", hosts) as url:
        ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
        for host, status in [
            ("mcp.example.org", 200),
            ("other.example:8443", 200),
            ("evil.example.com", 403),
        ]:
            assert request(url, ping, headers={"Host": host}).status == status, host
        assert request(url, ping, headers={"Origin": "https://mcp.example.org"}).status == 200


def raw_post(url: str, head: bytes, body: bytes) -> bytes:
    """POST over a plain socket (urllib would fail on the early answer while still sending)."""
    port = int(url.split(":")[2].split("/")[0])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(
            b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Accept: application/json, text/event-stream\r\n" + head + b"\r\n" + body
        )
        return conn.recv(1 << 16)


def padded_ping(size: int) -> bytes:
    """A ping of exactly ``size`` bytes."""
    frame = b'{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":""}}'
    return frame.replace(b'""', b'"' + b"x" * (size - len(frame)) + b'"')


def test_declared_oversized_body_is_rejected_before_it_is_read(url: str) -> None:
    reply = raw_post(url, b"Content-Length: %d\r\n" % (5 << 20), padded_ping(5 << 20)[:1000])
    assert reply.startswith(b"HTTP/1.1 413 ")
    assert rpc(url, "ping")["result"] == {}


def test_streamed_body_over_the_limit_is_rejected(url: str) -> None:
    body = padded_ping((4 << 20) + 1)
    chunks = b"".join(
        b"%x\r\n%s\r\n" % (len(body[i : i + 65536]), body[i : i + 65536]) for i in range(0, len(body), 65536)
    )
    reply = raw_post(url, b"Transfer-Encoding: chunked\r\n", chunks + b"0\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 413 ")


def test_body_at_the_limit_is_served(url: str) -> None:
    reply = request(url, padded_ping(4 << 20))
    assert (reply.status, reply.json()["result"]) == (200, {})


def test_large_body_under_the_limit_round_trips(url: str) -> None:
    text = 'é"\n\\' * (400 << 10)  # 3.3 MB of JSON, as UTF-8
    message = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "echo", "arguments": {"t": text}},
    }
    result = request(url, json.dumps(message, ensure_ascii=False).encode()).message()["result"]
    assert json.loads(result["content"][0]["text"].removeprefix("echo: ")) == {"t": text}


def test_get_and_delete_are_not_allowed(url: str) -> None:
    for method in ("GET", "DELETE"):
        reply = request(url, method=method)
        assert reply.status == 405
        assert reply.headers["allow"] == "POST"


def test_only_the_mcp_path_is_served(url: str) -> None:
    assert request(url.removesuffix("/mcp") + "/other", {}).status == 404


def test_content_type_must_be_json(url: str) -> None:
    assert request(url, b"{}", headers={"Content-Type": "text/plain"}).status == 415
    reply = request(
        url,
        {"jsonrpc": "2.0", "id": 1, "method": "ping"},
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert reply.status == 200


def test_protocol_version_header_must_be_supported(url: str) -> None:
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    assert request(url, ping, headers={"MCP-Protocol-Version": "1999-01-01"}).status == 400
    assert request(url, ping, headers={"MCP-Protocol-Version": "2025-06-18"}).status == 200


# --------------------------------------------------------------------------------------------------
# stdio


def run_stdio(composed: Path, cache_config: Path, lines: list[bytes], *options: str) -> list[JSON]:
    argv = [
        wasmtime_path(),
        "run",
        "-C",
        f"cache-config={cache_config}",
        "-Scli",
        "-Shttp",
        *options,
        str(composed),
    ]
    done = subprocess.run(argv, input=b"\n".join(lines), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return [json.loads(line) for line in done.stdout.decode().splitlines()]


def test_stdio_serves_lines_until_eof(composed: Path, cache_config: Path) -> None:
    lines = [
        json.dumps(
            {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18"}}
        ).encode(),
        b'{"jsonrpc":"2.0","method":"notifications/initialized"}',
        b"",
        b"not json",
        b'{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"a":[1,2]}}}\r',
        b'{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"notify","_meta":{"progressToken":7}}}',
        b'{"jsonrpc":"2.0","id":4,"method":"nope"}',
        b'{"jsonrpc":"2.0","id":5,"method":"ping"}',  # the last line has no newline
    ]
    initialize, parse_error, echo, log, progress, notify, unknown, ping = run_stdio(
        composed, cache_config, lines
    )
    assert initialize["result"]["protocolVersion"] == "2025-06-18"
    assert parse_error == {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}}
    assert echo["result"]["content"][0]["text"] == 'echo: {"a":[1,2]}'
    assert log["method"] == "notifications/message"
    assert progress["params"]["progressToken"] == 7
    assert notify["id"] == 3
    assert unknown["error"]["code"] == -32601
    assert ping == {"jsonrpc": "2.0", "id": 5, "result": {}}


def test_stdio_with_no_input_exits_cleanly(composed: Path, cache_config: Path) -> None:
    assert run_stdio(composed, cache_config, []) == []


def test_stdio_memory_stays_bounded_over_many_lines(composed: Path, cache_config: Path) -> None:
    pad = "y" * 100_000
    message = {
        "jsonrpc": "2.0",
        "id": 0,
        "method": "tools/call",
        "params": {"name": "echo", "arguments": {"p": pad}},
    }
    lines = [json.dumps({**message, "id": i}).encode() for i in range(300)]
    # 30 MB in all, through memories capped at 8 MiB: the arena must be reused line after line.
    replies = run_stdio(composed, cache_config, lines, "-W", f"max-memory-size={8 << 20}")
    assert [r["id"] for r in replies] == list(range(300))
    assert all(cast(str, r["result"]["content"][0]["text"]).endswith(pad + '"}') for r in replies)


def test_stdio_overlong_line_is_refused_and_skipped(composed: Path, cache_config: Path) -> None:
    overlong = b'{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"' + b"z" * (5 << 20) + b'"}}'
    refused, ping = run_stdio(composed, cache_config, [overlong, b'{"jsonrpc":"2.0","id":2,"method":"ping"}'])
    assert refused["error"]["code"] == -32600
    assert ping == {"jsonrpc": "2.0", "id": 2, "result": {}}


# --------------------------------------------------------------------------------------------------
# Every capability (stdio, through the framework tests' provider)


def line(id: int, method: str, params: JSON = None) -> bytes:
    message: dict[str, JSON] = {"jsonrpc": "2.0", "id": id, "method": method}
    if params is not None:
        message["params"] = params
    return json.dumps(message).encode()


ICONS = [{"src": "https://example.com/alpha.png", "mimeType": "image/png", "sizes": ["48x48", "96x96"]}]


def test_every_capability_is_served(composed_full: Path, cache_config: Path) -> None:
    greet = {"name": "alpha-greet"}
    echo = {"name": "alpha-echo", "arguments": {"x": 1}}
    replies = run_stdio(
        composed_full,
        cache_config,
        [
            line(1, "initialize", {"protocolVersion": "2025-06-18"}),
            line(2, "resources/list"),
            line(3, "resources/templates/list"),
            line(4, "resources/read", {"uri": "test://alpha/text"}),
            line(5, "resources/read", {"uri": "test://nope"}),
            line(6, "resources/read", {}),
            line(7, "resources/subscribe", {"uri": "test://alpha/text"}),
            line(8, "prompts/list"),
            line(9, "prompts/get", {**greet, "arguments": {"who": "Ann"}}),
            line(10, "prompts/get", {**greet, "arguments": {"who": 1}}),
            line(11, "prompts/get", {"name": "nope"}),
            line(
                12,
                "completion/complete",
                {"ref": {"type": "ref/prompt", **greet}, "argument": {"name": "who", "value": "A"}},
            ),
            line(
                13,
                "completion/complete",
                {"ref": {"type": "ref/resource", "uri": "x"}, "argument": {"name": "a", "value": ""}},
            ),
            line(14, "completion/complete", {"ref": {"type": "ref/prompt", **greet}}),
            line(15, "tools/call", echo),
            line(16, "logging/setLevel", {"level": "warning"}),
            line(17, "tools/call", echo),
            line(18, "logging/setLevel", {"level": "loud"}),
            line(19, "tools/call", {"name": "alpha-version"}),
            line(20, "resources/list", []),
        ],
    )
    by_id: dict[int, JSON] = {}
    notifications: list[tuple[int, JSON]] = []
    for reply in replies:
        if "id" in reply:
            by_id[reply["id"]] = reply
        else:
            notifications.append((len(by_id), reply))

    capabilities = by_id[1]["result"]["capabilities"]
    # stdio is one session: it takes subscriptions, and a change of any list reaches its client
    changes = {"listChanged": True}
    assert capabilities == {
        "tools": changes, "resources": {"subscribe": True, **changes}, "prompts": changes,
        "completions": {}, "logging": {},
    }  # fmt: skip
    assert by_id[2]["result"] == {
        "resources": [
            {
                "uri": "test://alpha/text", "name": "alpha-text", "title": "Text of alpha",
                "description": "Some text", "mimeType": "text/plain", "size": 1234, "icons": ICONS,
            }
        ]
    }  # fmt: skip
    assert by_id[3]["result"] == {
        "resourceTemplates": [
            {
                "uriTemplate": "test://alpha/{id}",
                "name": "alpha-items",
                "title": "Items",
                "mimeType": "text/plain",
            }
        ]
    }
    assert by_id[4]["result"] == {
        "contents": [
            {"uri": "test://alpha/text", "mimeType": "text/plain", "text": "hello from alpha"},
            {"uri": "test://alpha/text", "blob": "AAEC/w=="},
        ]
    }
    assert by_id[5]["error"] == {
        "code": -32002,
        "message": "Resource not found",
        "data": {"uri": "test://nope"},
    }
    assert by_id[6]["error"]["code"] == -32602
    assert by_id[7]["result"] == {}  # stdio is a session, which keeps the subscription
    assert by_id[8]["result"] == {
        "prompts": [
            {
                "name": "alpha-greet",
                "title": "Greeting",
                "description": "Greets someone",
                "arguments": [
                    {"name": "who", "title": "Who", "description": "Whom to greet", "required": True},
                    {"name": "mood", "required": False},
                ],
                "icons": ICONS,
            }
        ]
    }
    assert by_id[9]["result"] == {
        "description": "A greeting",
        "messages": [{"role": "assistant", "content": {"type": "text", "text": "Hello, Ann"}}],
    }
    assert by_id[10]["error"]["code"] == -32602
    assert by_id[11]["error"] == {"code": -32602, "message": "Unknown prompt: nope"}
    assert by_id[12]["result"] == {"completion": {"values": ["A-1", "A-2"], "total": 2, "hasMore": False}}
    assert by_id[13]["error"]["code"] == -32602
    assert by_id[14]["error"]["code"] == -32602
    assert by_id[15]["result"] == {
        "content": [
            {
                "type": "text",
                "text": '{"x": 1}',
                "annotations": {
                    "audience": ["user", "assistant"],
                    "priority": 0.5,
                    "lastModified": "2025-01-01T00:00:00Z",
                },
            },
            {"type": "image", "data": "AQID", "mimeType": "image/png"},
        ],
        "structuredContent": {"x": 1},
        "isError": False,
    }
    assert by_id[16]["result"] == {}
    assert by_id[17]["result"] == by_id[15]["result"]
    assert by_id[18]["error"]["code"] == -32602
    assert by_id[19]["result"]["content"] == [{"type": "text", "text": "2025-06-18"}]
    assert by_id[20]["error"]["code"] == -32602
    # The first echo logs at info; after `logging/setLevel warning` the second one does not.
    assert notifications == [
        (
            14,
            {
                "jsonrpc": "2.0",
                "method": "notifications/message",
                "params": {"level": "info", "logger": "alpha", "data": {"x": 1}},
            },
        )
    ]


# --------------------------------------------------------------------------------------------------
# Instance reuse: `wasmtime serve --max-instance-reuse-count N` sends many requests to one instance.
# The framework components must then answer exactly as fresh instances do, and free what they take.

GREET = {"name": "alpha-greet"}
REUSE_MIX: list[tuple[str, bytes]] = [
    ("POST", line(1, "initialize", {"protocolVersion": "2025-11-25"})),
    ("POST", json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}).encode()),
    ("POST", line(2, "logging/setLevel", {"level": "error"})),  # must not outlive its request
    ("POST", line(3, "tools/call", {"name": "alpha-echo", "arguments": {"x": "y" * 200}})),
    ("POST", line(4, "tools/call", {"name": "alpha-fail"})),
    ("POST", line(5, "tools/call", {"name": "nope"})),
    ("POST", line(6, "tools/list")),
    ("POST", line(7, "resources/read", {"uri": "test://alpha/text"})),
    ("POST", line(8, "resources/templates/list")),
    ("POST", line(9, "prompts/get", {**GREET, "arguments": {"who": "Ann"}})),
    ("POST", line(10, "completion/complete", {"ref": {"type": "ref/prompt", **GREET}, "argument": {"name": "who", "value": "A"}})),
    ("POST", line(11, "no/such/method")),
    ("POST", b'{"jsonrpc": "2.0", "id": 12, "method": '),
    ("POST", b'{"jsonrpc": "2.0", "id": 13}'),
    ("GET", b""),
]  # fmt: skip
REUSE = ("--max-instance-reuse-count", "1000000")


def _answers(url: str, mix: list[tuple[str, bytes]]) -> list[tuple[int, str, bytes]]:
    replies = [request(url, body or None, method=method) for method, body in mix]
    return [(r.status, r.headers.get("content-type", ""), r.body) for r in replies]


def test_a_reused_instance_answers_exactly_like_fresh_ones(
    composed_full: Path, cache_config: Path, work: Path
) -> None:
    big = [("POST", line(14, "tools/call", {"name": "alpha-echo", "arguments": {"x": "z" * 300_000}}))]
    mix = REUSE_MIX + big
    with serving(composed_full, cache_config, work / "fresh.log") as fresh:
        expected = _answers(fresh, mix)
    with serving(composed_full, cache_config, work / "reused.log", *REUSE) as reused:
        for _ in range(3):
            assert _answers(reused, mix) == expected
    assert "failed" not in (work / "reused.log").read_text()


def test_a_reused_instance_frees_what_each_request_takes(
    composed_full: Path, cache_config: Path, work: Path
) -> None:
    # Every memory is capped at 3 pages (the components need 2-3): one instance serving 100 rounds of
    # the mix (1,500 requests) would trap if any component kept even ~40 bytes a request.
    with serving(composed_full, cache_config, work / "fresh-small.log") as fresh:
        expected = _answers(fresh, REUSE_MIX)
    log = work / "capped.log"
    with serving(composed_full, cache_config, log, *REUSE, "-W", "max-memory-size=196608") as capped:
        for round in range(100):
            assert _answers(capped, REUSE_MIX) == expected, f"round {round}"
    assert "failed" not in log.read_text()
