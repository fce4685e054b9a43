"""The MCP framework components built from C (``middleware-src/``, shipped in ``wacpy/mcp/components/``).

Each one is rebuilt and must reproduce the shipped bytes; then they run composed under wasmtime.
Test-only components come from ``tests/mcp/`` (worlds in ``fixtures.wit``) and are built with the
same toolchain: ``provider`` (every capability, item names prefixed ``alpha`` or ``beta``) and
``driver`` (one context whose sink is stdout, to read the notifications the context provider
writes). ``alloc_stress.c`` exercises ``middleware-src/include/wacpy_alloc.h`` as a core module.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wasmtime import Engine, Func, Instance, Module, Store, WasiConfig
from wasmtime.component import Component, Linker, Record, Variant

from testkit import framework
from testkit.components import context_provider
from testkit.values import record
from wacpy import CompositionGraph
from wacpy._zig import zig_cc_argv, zig_env
from wacpy.compose.graph import NodeId
from wacpy.tools import run_wasm_tools, validate

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "middleware-src"
SHIPPED = ROOT / "wacpy" / "mcp" / "components"
FIXTURES = Path(__file__).resolve().parent / "mcp"
FIXTURE_INCLUDE = ROOT / "tests" / "fixtures" / "include"  # the fixtures' hand-flattened ABI
NAMES = (
    "transport",
    "context-provider",
    "method-not-found",
    "tools-middleware",
    "resources-middleware",
    "prompts-middleware",
    "completions-middleware",
    "session-store-filesystem",
    "session-store-keyvalue",
    "session-store-keyvalue-draft",
)
CAPABILITIES = ("tools", "resources", "prompts", "completions")
MAX_SIZE = 50 * 1024
#: Components that carry more: the context provider compiles in Monocypher's XChaCha20-Poly1305
#: (~14 KB), which seals 2026-07-28 requestState; the transport is the chain's only JSON-RPC
#: parser and HTTP server, and its OAuth mode carries BearSSL and Monocypher (~87 KB).
MAX_SIZES = {"context-provider": 72 * 1024, "transport": 192 * 1024}
PROTOCOL = "2025-11-25"


def mcp(interface: str) -> str:
    return f"wacpy:mcp/{interface}@0.1.0"


HANDLER = mcp("handler")
FACTORY = mcp("context-factory")


def run(command: list[str], **kwargs: Any) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}"


# --------------------------------------------------------------------------------------------------
# Building


@pytest.mark.parametrize("name", NAMES)
def test_build_reproduces_the_shipped_component(name: str, tmp_path: Path) -> None:
    """``testkit/framework.py NAME`` in a copy of the sources gives the committed bytes, which validate."""
    shutil.copytree(SOURCES / "include", tmp_path / "middleware-src" / "include")
    shutil.copytree(SOURCES / "shim", tmp_path / "middleware-src" / "shim")
    shutil.copytree(framework.RUNTIME, tmp_path / "wacpy" / "authoring" / "include")
    shutil.copytree(SOURCES / name, tmp_path / "middleware-src" / name)
    (tmp_path / "testkit").mkdir()
    shutil.copy(framework.__file__, tmp_path / "testkit" / "framework.py")
    shutil.copytree(ROOT / "wit", tmp_path / "wit")
    env = {**os.environ, "WACPY_BUILD_CACHE": str(framework.CACHE)}
    run([sys.executable, str(tmp_path / "testkit" / "framework.py"), name], env=env)
    built = (tmp_path / "wacpy" / "mcp" / "components" / f"{name}.wasm").read_bytes()
    assert built == (SHIPPED / f"{name}.wasm").read_bytes(), f"rebuild {name} and commit it"
    validate(built)


@pytest.mark.parametrize("name", NAMES)
def test_shipped_component_is_lean(name: str) -> None:
    assert (SHIPPED / f"{name}.wasm").stat().st_size <= MAX_SIZES.get(name, MAX_SIZE)


def compile_core(source: Path, out: Path, *flags: str) -> Path:
    command = zig_cc_argv(
        [source], out, include=[*framework.INCLUDES, FIXTURE_INCLUDE], flags=(*framework.ZIG_FLAGS, *flags)
    )
    run(command, env=zig_env(framework.CACHE / "zig"), cwd=out.parent)
    return out


@dataclass(frozen=True)
class Fixtures:
    provider_alpha: bytes
    provider_beta: bytes
    driver: bytes
    alloc_stress: Path


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Fixtures:
    work = tmp_path_factory.mktemp("mcp-fixtures")
    wit = work / "wit"
    shutil.copytree(framework.wasi_wit(), wit / "deps")
    (wit / "deps" / "mcp").mkdir()
    for part in sorted((ROOT / "wit").glob("*.wit")):  # mcp.wit and framework.wit
        shutil.copy(part, wit / "deps" / "mcp" / part.name)
    shutil.copy(FIXTURES / "fixtures.wit", wit / "fixtures.wit")

    def component(source: str, world: str, name: str, *flags: str) -> bytes:
        core = compile_core(FIXTURES / source, work / f"{name}.core.wasm", *flags)
        embedded = work / f"{name}.embedded.wasm"
        run_wasm_tools("component", "embed", str(wit), "--world", world, str(core), "-o", str(embedded))
        return run_wasm_tools("component", "new", str(embedded))

    return Fixtures(
        provider_alpha=component("provider.c", "provider", "alpha", '-DPREFIX="alpha"'),
        provider_beta=component("provider.c", "provider", "beta", '-DPREFIX="beta"'),
        driver=component("driver.c", "driver", "driver"),
        alloc_stress=compile_core(FIXTURES / "alloc_stress.c", work / "alloc_stress.wasm"),
    )


# --------------------------------------------------------------------------------------------------
# Running components


def plain(value: Any) -> Any:
    """A value from wasmtime as dicts (records), ``(tag, payload)`` tuples (variants) and lists."""
    if isinstance(value, Record):
        return {name: plain(field) for name, field in vars(value).items()}
    if isinstance(value, Variant):
        return (value.tag, plain(value.payload))
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def request_info(
    *, session_id: str | None = None, progress_token: str | None = None, log_level: str | None = None
) -> Any:
    return record(
        protocol_version=PROTOCOL,
        session_id=session_id,
        progress_token=progress_token,
        log_level=log_level,
        client_capabilities=set(),
    )


class Running:
    """An instance of a composed component in its own store, with WASI and stdout captured."""

    def __init__(self, engine: Engine, component: Any, *, memory_limit: int | None = None) -> None:
        self.stdout = bytearray()
        wasi = WasiConfig()
        wasi.stdout_custom = self.stdout.extend
        self.store = Store(engine)
        self.store.set_wasi(wasi)
        if memory_limit is not None:
            self.store.set_limits(memory_size=memory_limit)
        linker = Linker(engine)
        linker.add_wasip2()
        linker.add_wasi_http()
        self.instance = linker.instantiate(self.store, component)

    def call(self, name: str, *args: Any, interface: str | None = None) -> Any:
        parent = None if interface is None else self.instance.get_export_index(self.store, interface)
        index = self.instance.get_export_index(self.store, name, parent)
        assert index is not None, f"no export {name} in {interface}"
        func = self.instance.get_func(self.store, index)
        assert func is not None
        result = func(self.store, *args)
        func.post_return(self.store)
        return result

    def take_stdout(self) -> str:
        text = self.stdout.decode()
        self.stdout.clear()
        return text


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def compose_chain(providers: dict[str, bytes]) -> bytes:
    """context-provider, then for each provider in order the four middlewares around it, then
    method-not-found; exports the handler of the first link and the context provider's interfaces."""
    graph = CompositionGraph()
    provider_node = context_provider(graph, SHIPPED)

    def with_context(node: NodeId) -> NodeId:
        for interface in ("types", "context"):
            graph.set_argument(node, mcp(interface), graph.alias_export(provider_node, mcp(interface)))
        return node

    link = with_context(
        graph.instantiate(graph.register("method-not-found", SHIPPED / "method-not-found.wasm"))
    )
    packages = {
        cap: graph.register(f"{cap}-middleware", SHIPPED / f"{cap}-middleware.wasm") for cap in CAPABILITIES
    }
    for prefix, data in reversed(providers.items()):
        user = with_context(graph.instantiate(graph.register(f"provider-{prefix}", data)))
        for cap in reversed(CAPABILITIES):
            middleware = with_context(graph.instantiate(packages[cap], f"{cap}-{prefix}"))
            graph.set_argument(middleware, mcp(cap), graph.alias_export(user, mcp(cap)))
            graph.set_argument(middleware, HANDLER, graph.alias_export(link, HANDLER))
            link = middleware
    # The handler's types refer to `types` and `context`: they must be exported beside it.
    for interface in ("types", "context", "context-factory"):
        graph.export(graph.alias_export(provider_node, mcp(interface)), mcp(interface))
    graph.export(graph.alias_export(link, HANDLER), HANDLER)
    return graph.encode()


@pytest.fixture(scope="module")
def chain_component(engine: Engine, fixtures: Fixtures) -> Any:
    data = compose_chain({"alpha": fixtures.provider_alpha, "beta": fixtures.provider_beta})
    return Component(engine, data)


class Chain(Running):
    """The composed chain with one context (no sink) for the handler calls."""

    def __init__(self, engine: Engine, component: Any, *, memory_limit: int | None = None) -> None:
        super().__init__(engine, component, memory_limit=memory_limit)
        self.ctx = self.call(
            "create", request_info(session_id="s-1"), Variant("none", None), "none", interface=FACTORY
        )

    def handler(self, name: str, *args: Any) -> Any:
        return self.call(name, self.ctx, *args, interface=HANDLER)


@pytest.fixture
def chain(engine: Engine, chain_component: Any) -> Chain:
    return Chain(engine, chain_component)


# --------------------------------------------------------------------------------------------------
# The chain: context-provider -> [tools, resources, prompts, completions](alpha) -> same(beta) -> end


def icon(prefix: str) -> dict[str, Any]:
    return {"src": f"https://example.com/{prefix}.png", "mime-type": "image/png", "sizes": ["48x48", "96x96"]}


def test_lists_are_each_components_items_in_chain_order(chain: Chain) -> None:
    tools = plain(chain.handler("list-tools"))
    assert [t["name"] for t in tools] == [
        f"{p}-{t}" for p in ("alpha", "beta") for t in ("echo", "fail", "version")
    ]
    assert tools[3] == {
        "name": "beta-echo",
        "title": "beta echo",
        "description": "Echoes its arguments",
        "input-schema": '{"type":"object"}',
        "output-schema": '{"type":"object"}',
        "annotations": '{"readOnlyHint":true}',
        "icons": [icon("beta")],
    }
    assert plain(chain.handler("list-resources")) == [
        {
            "uri": f"test://{p}/text",
            "name": f"{p}-text",
            "title": f"Text of {p}",
            "description": "Some text",
            "mime-type": "text/plain",
            "size": 1234,
            "icons": [icon(p)],
        }
        for p in ("alpha", "beta")
    ]
    assert plain(chain.handler("list-resource-templates")) == [
        {
            "uri-template": f"test://{p}/{{id}}",
            "name": f"{p}-items",
            "title": "Items",
            "description": None,
            "mime-type": "text/plain",
            "icons": [],
        }
        for p in ("alpha", "beta")
    ]
    prompts = plain(chain.handler("list-prompts"))
    assert [p["name"] for p in prompts] == ["alpha-greet", "beta-greet"]
    assert prompts[1]["arguments"] == [
        {"name": "who", "title": "Who", "description": "Whom to greet", "required": True},
        {"name": "mood", "title": None, "description": None, "required": False},
    ]
    assert prompts[1]["icons"] == [icon("beta")]


def test_call_tool_asks_each_component_in_turn(chain: Chain) -> None:
    result = plain(chain.handler("call-tool", "beta-echo", '{"x":1}'))
    assert result == (
        "ok",
        {
            "content": [
                (
                    "text",
                    {
                        "text": '{"x":1}',
                        "annotations": {
                            "audience": ["user", "assistant"],
                            "priority": 0.5,
                            "last-modified": "2025-01-01T00:00:00Z",
                        },
                    },
                ),
                ("image", {"data": b"\x01\x02\x03", "mime-type": "image/png", "annotations": None}),
            ],
            "structured-content": '{"x":1}',
            "is-error": False,
        },
    )
    assert plain(chain.handler("call-tool", "alpha-fail", "{}")) == (
        "err",
        {"code": -32000, "message": "tool failed", "data": '{"why":"alpha"}'},
    )
    # The tool reads the context it was lent through two middlewares.
    version = plain(chain.handler("call-tool", "beta-version", "{}"))
    assert version[1]["content"] == [("text", {"text": PROTOCOL, "annotations": None})]
    assert chain.handler("call-tool", "gamma-echo", "{}") is None


def test_read_resource_asks_each_component_in_turn(chain: Chain) -> None:
    assert plain(chain.handler("read-resource", "test://beta/text")) == [
        ("text", {"uri": "test://beta/text", "mime-type": "text/plain", "text": "hello from beta"}),
        ("blob", {"uri": "test://beta/text", "mime-type": None, "blob": b"\x00\x01\x02\xff"}),
    ]
    assert chain.handler("read-resource", "test://gamma/text") is None


def test_get_prompt_and_complete_ask_each_component_in_turn(chain: Chain) -> None:
    assert plain(chain.handler("get-prompt", "beta-greet", [("who", "Ada"), ("mood", "glad")])) == (
        "ok",
        {
            "description": "A greeting",
            "messages": [
                {"role": "assistant", "content": ("text", {"text": "Hello, Ada", "annotations": None})}
            ],
        },
    )
    assert chain.handler("get-prompt", "gamma-greet", []) is None
    request = record(
        ref=Variant("prompt", "beta-greet"),
        argument_name="who",
        argument_value="A",
        context_arguments=[("a", "b")],
    )
    assert plain(chain.handler("complete", request)) == (
        "ok",
        {"values": ["A-1", "A-2"], "total": 2, "has-more": False},
    )
    other = record(
        ref=Variant("resource-template", "beta-greet"),
        argument_name="x",
        argument_value="",
        context_arguments=[],
    )
    assert chain.handler("complete", other) is None


def test_initialize_adds_every_capability_and_keeps_the_rest(chain: Chain) -> None:
    info = record(
        name="server", version="1.2.3", title=None, instructions="Be nice", capabilities={"logging"}
    )
    assert plain(chain.handler("initialize", info)) == {
        "name": "server",
        "version": "1.2.3",
        "title": None,
        "instructions": "Be nice",
        "capabilities": {"logging", "tools", "resources", "prompts", "completions"},
    }


def test_other_requests_reach_the_end_of_the_chain(chain: Chain) -> None:
    assert plain(chain.handler("handle", "foo/bar", '{"a":1}')) == {
        "code": -32601,
        "message": "Method not found: foo/bar",
        "data": None,
    }
    assert chain.handler("handle", "notifications/x", None) is None
    # wasmtime tags this option: a payload-less `ok` would look like `none`.
    assert plain(chain.handler("subscribe", "test://alpha/text", True)) == ("none", None)
    assert chain.handler("set-log-level", "debug") is None


def test_context_answers_from_its_request_info(chain: Chain) -> None:
    context = mcp("context")
    assert chain.call("[method]context.protocol-version", chain.ctx, interface=context) == PROTOCOL
    assert chain.call("[method]context.session-id", chain.ctx, interface=context) == "s-1"
    finished = chain.call("finish", chain.ctx, interface=FACTORY)
    assert (finished.sink.tag, finished.sink.payload) == ("none", None)  # no sink to give back
    assert (getattr(finished.events, "stream-id"), finished.events.next) == ("", 0)  # nothing was streamed


def test_memory_stays_bounded_over_many_calls(engine: Engine, chain_component: Any) -> None:
    """Every component resets its arena after each call: 200 calls moving 3 x 256 KB each would need
    150 MB in one memory otherwise."""
    chain = Chain(engine, chain_component, memory_limit=8 << 20)
    arguments = json.dumps({"pad": "x" * (256 << 10)})
    for _ in range(200):
        result = chain.handler("call-tool", "beta-echo", arguments)
        assert result.payload.content[0].payload.text == arguments


# --------------------------------------------------------------------------------------------------
# Notifications, through the driver: a context whose sink is stdout


@pytest.fixture(scope="module")
def driver_component(engine: Engine, fixtures: Fixtures) -> Any:
    graph = CompositionGraph()
    provider = context_provider(graph, SHIPPED)
    driver = graph.instantiate(graph.register("driver", fixtures.driver))
    for interface in ("types", "context", "context-factory"):
        graph.set_argument(driver, mcp(interface), graph.alias_export(provider, mcp(interface)))
    for name in ("open", "protocol-version", "session-id", "log", "progress", "notify", "request", "close"):
        graph.export(graph.alias_export(driver, name), name)
    return Component(engine, graph.encode())


@pytest.fixture
def driver(engine: Engine, driver_component: Any) -> Running:
    return Running(engine, driver_component)


@pytest.fixture(scope="module")
def shared_driver(engine: Engine, driver_component: Any) -> Running:
    """One instance for a property test: each example opens and closes its own context."""
    return Running(engine, driver_component)


def messages(text: str, framing: str) -> list[Any]:
    """The JSON messages of SSE events or JSON lines, checking the framing on the way."""
    if framing == "ndjson":
        assert text.endswith("\n") or not text
        lines = text.splitlines()
    else:
        events = text.split("\n\n")
        assert events.pop() == ""
        lines = []
        for event in events:
            head, data = event.split("\n")
            assert head == "event: message" and data.startswith("data: ")
            lines.append(data.removeprefix("data: "))
    return [json.loads(line) for line in lines]


def sent(driver: Running, framing: str, actions: Callable[[], None], **info: str | None) -> list[Any]:
    driver.call("open", request_info(**info), framing, True)
    actions()
    assert driver.call("close") is True
    return messages(driver.take_stdout(), framing)


@pytest.mark.parametrize("framing", ["sse", "ndjson"])
def test_notifications_are_framed_json_rpc(driver: Running, framing: str) -> None:
    def actions() -> None:
        driver.call("log", "info", "db", '{"rows":\n 3}')
        driver.call("progress", 1.0, 4.0, "a quarter")
        driver.call("progress", 0.5, None, None)
        driver.call("notify", "notifications/tools/list_changed", None)
        driver.call("notify", "notifications/custom", '{"k":[1,2]}')

    assert sent(driver, framing, actions, progress_token='"tok-1"') == [
        {
            "jsonrpc": "2.0",
            "method": "notifications/message",
            "params": {"level": "info", "logger": "db", "data": {"rows": 3}},
        },
        {
            "jsonrpc": "2.0",
            "method": "notifications/progress",
            "params": {"progressToken": "tok-1", "progress": 1, "total": 4, "message": "a quarter"},
        },
        {
            "jsonrpc": "2.0",
            "method": "notifications/progress",
            "params": {"progressToken": "tok-1", "progress": 0.5},
        },
        {"jsonrpc": "2.0", "method": "notifications/tools/list_changed"},
        {"jsonrpc": "2.0", "method": "notifications/custom", "params": {"k": [1, 2]}},
    ]


def test_notification_bytes(driver: Running) -> None:
    driver.call("open", request_info(progress_token="7"), "sse", True)
    driver.call("progress", 2.0, 10.0, None)
    driver.call("log", "error", None, '"boom"')
    assert driver.call("close") is True
    assert driver.take_stdout() == (
        'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress",'
        '"params":{"progressToken":7,"progress":2,"total":10}}\n\n'
        'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/message",'
        '"params":{"level":"error","data":"boom"}}\n\n'
    )


def test_log_is_filtered_by_the_requested_level(driver: Running) -> None:
    levels = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]

    def actions() -> None:
        for level in levels:
            driver.call("log", level, None, "1")

    sent_levels = [m["params"]["level"] for m in sent(driver, "ndjson", actions, log_level="warning")]
    assert sent_levels == levels[3:]
    assert [m["params"]["level"] for m in sent(driver, "ndjson", actions)] == levels


def test_nothing_is_written_without_framing_sink_or_token(driver: Running) -> None:
    def everything() -> None:
        driver.call("log", "emergency", None, "1")
        driver.call("progress", 1.0, None, None)
        driver.call("notify", "notifications/x", None)

    assert sent(driver, "none", everything, progress_token="1") == []
    driver.call("open", request_info(progress_token="1"), "sse", False)
    everything()
    assert driver.call("close") is False
    assert driver.take_stdout() == ""
    assert sent(driver, "ndjson", lambda: driver.call("progress", 1.0, None, None)) == []


def test_context_request_needs_a_session_and_the_clients_capability(driver: Running) -> None:
    driver.call("open", request_info(), "none", False)
    error = plain(driver.call("request", "sampling/createMessage", "{}"))
    assert error["code"] == -32601 and "need a session" in error["message"]
    assert "sampling/createMessage" in error["message"]
    driver.call("close")
    driver.call("open", request_info(session_id="abc"), "none", False)
    assert driver.call("protocol-version") == PROTOCOL
    assert driver.call("session-id") == "abc"
    error = plain(driver.call("request", "sampling/createMessage", "{}"))
    assert (
        error["code"] == -32601 and "did not declare" in error["message"] and "sampling" in error["message"]
    )
    driver.call("close")


STRINGS = [
    "",
    'quote " backslash \\ slash /',
    "controls \x00\x01\x08\t\n\x0b\x0c\r\x1f\x7f",
    "unicode é 日本 \u2028 \U0001f600",
    "x" * 10_000,  # more than one 4096-byte write
]


@pytest.mark.parametrize("text", STRINGS, ids=range(len(STRINGS)))
def test_strings_are_escaped(driver: Running, text: str) -> None:
    def actions() -> None:
        driver.call("log", "info", text, json.dumps(text))
        driver.call("notify", text, None)

    log, notify = sent(driver, "sse", actions)
    assert log["params"]["logger"] == text and log["params"]["data"] == text
    assert notify["method"] == text


def test_control_characters_use_short_escapes_where_json_has_them(driver: Running) -> None:
    driver.call("open", request_info(), "ndjson", True)
    driver.call("notify", '\x01\b\t\n\f\r"\\', None)
    driver.call("close")
    assert driver.take_stdout() == '{"jsonrpc":"2.0","method":"\\u0001\\b\\t\\n\\f\\r\\"\\\\"}\n'


# -- numbers ----------------------------------------------------------------------------------------


def javascript_number(x: float) -> str:
    """``x`` as JSON: integers below 2^64 exactly, else JavaScript's ``Number.prototype.toString``."""
    if math.isnan(x) or math.isinf(x):
        return "null"
    if x == 0:
        return "0"
    sign, x = ("-", -x) if x < 0 else ("", x)
    if x < 2**64 and x == int(x):
        return sign + str(int(x))
    _, digit_tuple, exponent = Decimal(repr(x)).as_tuple()  # repr: the shortest round-trip digits
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    assert isinstance(exponent, int)
    point = len("".join(map(str, digit_tuple))) + exponent  # x = 0.DIGITS * 10^point
    if 0 < point <= 21:
        whole = digits.ljust(point, "0")
        return sign + whole[:point] + ("." + digits[point:] if len(digits) > point else "")
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{mantissa}e{'-' if point - 1 < 0 else '+'}{abs(point - 1)}"


def progress_numbers(driver: Running, values: list[float]) -> list[str]:
    """The `progress` field of one notification per value, as the text the provider wrote."""
    driver.call("open", request_info(progress_token="0"), "ndjson", True)
    for value in values:
        driver.call("progress", value, None, None)
    driver.call("close")
    prefix = '{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":0,"progress":'
    lines = driver.take_stdout().splitlines()
    assert all(line.startswith(prefix) and line.endswith("}}") for line in lines)
    return [line.removeprefix(prefix).removesuffix("}}") for line in lines]


EDGE_NUMBERS = [
    0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1 / 3, 2 / 3, 100 / 3, 123.456, -7.25, 1e-7, 1.5e-6, 1e-6, 123e-20,
    5e-324, 1e-323, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308,
    2.0**53, 2.0**53 + 2, 2.0**63, 2.0**64, 2.0**64 + 2**12, 1e20, 1e21, 1.5e21, 1e22, 9007199254740993.0,
    0.30000000000000004, 5e-5, 4.35, 2.0**-1022, 2.0**-1074 * 3, 1e300, 1.2345678901234567e-300,
    math.inf, -math.inf, math.nan, 18446744073709549568.0,
]  # fmt: skip


def test_numbers_edge_cases(driver: Running) -> None:
    assert progress_numbers(driver, EDGE_NUMBERS) == [javascript_number(x) for x in EDGE_NUMBERS]


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=20))
def test_numbers_are_shortest_round_trip(shared_driver: Running, values: list[float]) -> None:
    written = progress_numbers(shared_driver, values)
    assert written == [javascript_number(x) for x in values]
    assert [float(text) for text in written] == values


# --------------------------------------------------------------------------------------------------
# The allocator


def test_allocator_keeps_contents_and_coalesces(fixtures: Fixtures) -> None:
    engine = Engine()
    store = Store(engine)
    instance = Instance(store, Module.from_file(engine, str(fixtures.alloc_stress)), [])
    stress, pages = instance.exports(store)["stress"], instance.exports(store)["pages"]
    assert isinstance(stress, Func) and isinstance(pages, Func)
    for seed in (1, 2, 3):
        assert stress(store, seed, 4000) == 0
    assert pages(store) < 64  # 64 live blocks of at most 100 KB, and fragments: well under 4 MB
