"""Authoring MCP components: the Python SDK (schemas, argument checks, results), its adapter to the
bindings componentize-py generates, ``wacpy new`` and ``wacpy build``, and built components answering
through the framework chain under wasmtime.

Python builds take 10-20 s; their outputs are cached in ``.cache/authoring`` keyed by everything that
goes into them. The default suite builds and runs one Python and one C component (the examples);
``-m slow`` builds every language x template.
"""

from __future__ import annotations

import enum
import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any, Literal, NewType, NotRequired, Optional, TypedDict, Union

import pytest
from wasmtime import Config, Engine, Store, WasiConfig
from wasmtime.component import Component, Linker, Record, Variant

from testkit.components import context_provider
from testkit.values import record
from wacpy import CompositionGraph
from wacpy.authoring import (
    LANGUAGES,
    TEMPLATE_EXPORTS,
    TEMPLATES,
    AuthoringError,
    Language,
    Template,
    build_project,
    load_project,
    new_project,
    provider_wit,
)
from wacpy.authoring.project import C_HEADERS
from wacpy.authoring.wit import mcp_wit
from wacpy.cli import main
from wacpy.compose.graph import NodeId
from wacpy.inspection import summarize
from wacpy.tools import run_wasm_tools
from wacpy_sdk import (
    Annotations,
    Audio,
    BlobResourceContents,
    Caller,
    Completion,
    Context,
    EmbeddedResource,
    Field,
    Icon,
    Image,
    McpError,
    Message,
    PromptArgument,
    PromptResult,
    ResourceLink,
    Server,
    Text,
    TextResourceContents,
    ToolError,
    ToolResult,
    json_schema,
)
from wacpy_sdk._guest import exports
from wacpy_sdk._schema import ArgumentError, convert, to_json

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
COMPONENTS = ROOT / "wacpy" / "mcp" / "components"
CACHE = ROOT / ".cache" / "authoring"
# Bump when the way a build is keyed or run changes.
RECIPE = "1"


# --------------------------------------------------------------------------------------------------
# JSON Schema from type hints


class Color(enum.Enum):
    """A primary colour."""

    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


@dataclass
class Place:
    """A place on Earth."""

    name: str
    lat: float = 0.0
    tags: list[str] = field(default_factory=list)
    note: str = field(default="", metadata={"description": "Anything else"})


class Options(TypedDict):
    verbose: bool
    depth: NotRequired[int]


class Partial(TypedDict, total=False):
    a: int


@dataclass
class Tree:
    value: int
    children: list[Tree] = field(default_factory=list)


@dataclass
class Forest:
    trees: list[Tree]
    biggest: Tree | None = None


UserId = NewType("UserId", int)

SCHEMAS: list[tuple[Any, dict[str, Any]]] = [
    (str, {"type": "string"}),
    (int, {"type": "integer"}),
    (float, {"type": "number"}),
    (bool, {"type": "boolean"}),
    (None, {"type": "null"}),
    (Any, {}),
    (UserId, {"type": "integer"}),
    (list[int], {"type": "array", "items": {"type": "integer"}}),
    (Sequence[str], {"type": "array", "items": {"type": "string"}}),
    (list, {"type": "array"}),
    (tuple[int, ...], {"type": "array", "items": {"type": "integer"}}),
    (
        tuple[int, str],
        {
            "type": "array",
            "prefixItems": [{"type": "integer"}, {"type": "string"}],
            "minItems": 2,
            "maxItems": 2,
        },
    ),
    (set[str], {"type": "array", "items": {"type": "string"}, "uniqueItems": True}),
    (frozenset[int], {"type": "array", "items": {"type": "integer"}, "uniqueItems": True}),
    (dict[str, int], {"type": "object", "additionalProperties": {"type": "integer"}}),
    (
        Mapping[str, list[str]],
        {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    ),
    (dict, {"type": "object"}),
    (Optional[int], {"anyOf": [{"type": "integer"}, {"type": "null"}]}),  # noqa: UP045
    (str | None, {"anyOf": [{"type": "string"}, {"type": "null"}]}),
    (Union[int, str], {"anyOf": [{"type": "integer"}, {"type": "string"}]}),  # noqa: UP007
    (Literal["a", "b"], {"type": "string", "enum": ["a", "b"]}),
    (Literal[1, "x"], {"enum": [1, "x"]}),
    (Literal[True], {"type": "boolean", "enum": [True]}),
    (
        Color,
        {"title": "Color", "type": "string", "enum": ["red", "green"], "description": "A primary colour."},
    ),
    (Level, {"title": "Level", "type": "integer", "enum": [1, 2]}),
    (Annotated[int, "How many"], {"type": "integer", "description": "How many"}),
    (
        Annotated[
            str, Field(description="A code", title="Code", min_length=2, max_length=4, pattern="^[A-Z]+$")
        ],
        {
            "type": "string",
            "title": "Code",
            "description": "A code",
            "minLength": 2,
            "maxLength": 4,
            "pattern": "^[A-Z]+$",
        },
    ),
    (
        Annotated[float, Field(ge=0, lt=1)],
        {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
    ),
    (
        Annotated[list[int], Field(min_length=1)],
        {"type": "array", "items": {"type": "integer"}, "minItems": 1},
    ),
    (
        Place,
        {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "lat": {"type": "number", "default": 0.0},
                "tags": {"type": "array", "items": {"type": "string"}},
                "note": {"type": "string", "default": "", "description": "Anything else"},
            },
            "required": ["name"],
            "description": "A place on Earth.",
        },
    ),
    (
        Options,
        {
            "type": "object",
            "properties": {"verbose": {"type": "boolean"}, "depth": {"type": "integer"}},
            "required": ["verbose"],
        },
    ),
    (Partial, {"type": "object", "properties": {"a": {"type": "integer"}}}),
    (
        Forest,
        {
            "type": "object",
            "properties": {
                "trees": {"type": "array", "items": {"$ref": "#/$defs/Tree"}},
                "biggest": {"anyOf": [{"$ref": "#/$defs/Tree"}, {"type": "null"}], "default": None},
            },
            "required": ["trees"],
            "$defs": {
                "Tree": {
                    "type": "object",
                    "properties": {
                        "value": {"type": "integer"},
                        "children": {"type": "array", "items": {"$ref": "#/$defs/Tree"}},
                    },
                    "required": ["value"],
                }
            },
        },
    ),
]


def hint_id(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "").replace(f"{__name__}.", "")


@pytest.mark.parametrize(("hint", "schema"), SCHEMAS, ids=[hint_id(h) for h, _ in SCHEMAS])
def test_json_schema_of_type_hints(hint: Any, schema: dict[str, Any]) -> None:
    assert json_schema(hint) == schema


@pytest.mark.parametrize("hint", [bytes, dict[int, str], complex, object.__class__])
def test_types_without_a_json_schema_are_refused(hint: Any) -> None:
    with pytest.raises(TypeError):
        json_schema(hint)


# --------------------------------------------------------------------------------------------------
# JSON values checked and converted to the hinted types

CONVERSIONS: list[tuple[Any, Any, Any]] = [
    (int, 3, 3),
    (int, 3.0, 3),
    (float, 2, 2.0),
    (str, "x", "x"),
    (bool, False, False),
    (Optional[int], None, None),  # noqa: UP045
    (int | str, "a", "a"),
    (Literal["a", "b"], "b", "b"),
    (Color, "green", Color.GREEN),
    (Level, 2, Level.HIGH),
    (list[float], [1, 2.5], [1.0, 2.5]),
    (tuple[int, str], [1, "a"], (1, "a")),
    (set[int], [1, 1, 2], {1, 2}),
    (dict[str, Color], {"a": "red"}, {"a": Color.RED}),
    (Place, {"name": "Oslo", "lat": 60, "extra": 1}, Place("Oslo", 60.0)),
    (Options, {"verbose": True}, {"verbose": True}),
    (Tree, {"value": 1, "children": [{"value": 2}]}, Tree(1, [Tree(2)])),
    (Any, {"anything": [1]}, {"anything": [1]}),
]


@pytest.mark.parametrize(
    ("hint", "value", "expected"), CONVERSIONS, ids=[hint_id(h) for h, _, _ in CONVERSIONS]
)
def test_convert_accepts_what_the_schema_describes(hint: Any, value: Any, expected: Any) -> None:
    result = convert(value, hint)
    assert result == expected and type(result) is type(expected)


REJECTIONS: list[tuple[Any, Any, str]] = [
    (int, True, "expected integer, got boolean"),
    (int, 1.5, "expected integer, got number"),
    (int, "3", "expected integer, got string"),
    (float, None, "expected number, got null"),
    (str, 1, "expected string, got integer"),
    (Literal[1], True, "expected one of 1, got True"),
    (Color, "blue", "expected one of 'red', 'green', got 'blue'"),
    (int | None, "x", "expected integer or null, got string"),
    (list[int], [1, "2"], "[1]: expected integer, got string"),
    (tuple[int, int], [1], "expected 2 items, got 1"),
    (dict[str, int], [], "expected object, got array"),
    (Place, {"lat": 1}, "name: missing required argument"),
    (Place, {"name": "x", "lat": "north"}, "lat: expected number, got string"),
    (Tree, {"value": 1, "children": [{"value": "2"}]}, "children[0].value: expected integer, got string"),
    (Options, {"depth": 1}, "verbose: missing required argument"),
    (Annotated[int, Field(ge=1, le=7)], 9, "must be <= 7"),
    (Annotated[int, Field(gt=0)], 0, "must be > 0"),
    (Annotated[str, Field(min_length=2)], "a", "must have at least 2 characters"),
    (Annotated[list[int], Field(max_length=1)], [1, 2], "must have at most 1 item"),
    (Annotated[str, Field(pattern="^[a-z]+$")], "A", "must match '^[a-z]+$'"),
    # A union says what failed inside the arm the JSON type chose.
    (list[int] | None, [1, 2, "x"], "[2]: expected integer, got string"),
    (int | list[str], [1], "[0]: expected string, got integer"),
    (Place | None, {"name": 1}, "name: expected string, got integer"),
    (Optional[Literal["a", "b"]], "c", "expected one of 'a', 'b', got 'c'"),  # noqa: UP045
    (float | str, None, "expected number or string, got null"),
    # JSON numbers are finite.
    (float, float("inf"), "expected a finite number, got inf"),
    (list[float], [1.0, float("nan")], "[1]: expected a finite number, got nan"),
    (float, 10**400, "number out of range (beyond a 64-bit float)"),
    (Literal[1, 2], 10**5000, "expected one of 1, 2, got an integer too large to show"),
]


@pytest.mark.parametrize(("hint", "value", "message"), REJECTIONS, ids=[hint_id(h) for h, _, _ in REJECTIONS])
def test_convert_rejects_values_with_their_path(hint: Any, value: Any, message: str) -> None:
    with pytest.raises(ArgumentError) as caught:
        convert(value, hint)
    assert str(caught.value) == message


def test_to_json_of_python_values() -> None:
    assert to_json({"place": Place("x"), "color": Color.RED, "levels": (Level.LOW,), "set": {1}}) == {
        "place": {"name": "x", "lat": 0.0, "tags": [], "note": ""},
        "color": "red",
        "levels": [1],
        "set": [1],
    }
    with pytest.raises(ValueError):
        to_json(float("nan"))
    with pytest.raises(TypeError):
        to_json(object())


# --------------------------------------------------------------------------------------------------
# Tools


@dataclass
class Forecast:
    city: str
    temperatures: list[float]


class Total(TypedDict):
    total: int


def weather_server() -> Server:
    server = Server("weather")

    @server.tool
    def forecast(
        city: Annotated[str, "City name"],
        days: int = Field(3, ge=1, le=7, description="How many days"),
        unit: Literal["c", "f"] = "c",
        ctx: Context | None = None,
    ) -> Forecast:
        """Forecast for a city.

        Uses made-up numbers.
        """
        if ctx is not None:
            ctx.info(f"forecast for {city}")
            ctx.progress(1, 2, "halfway")
        return Forecast(city, [20.0 if unit == "c" else 68.0] * days)

    @server.tool(
        title="Add", annotations={"readOnlyHint": True}, icons=[Icon("https://x/add.png", "image/png")]
    )
    def add(a: float, b: float, ctx: Context) -> float:
        ctx.log("debug", {"a": a, "b": b}, logger="math")
        return a + b

    @server.tool
    def greet(name: str) -> str:
        """Say hello."""
        return f"Hello, {name}"

    @server.tool
    def count(items: list[str]) -> Total:
        return {"total": len(items)}

    @server.tool
    def histogram(words: list[str]) -> dict[str, int]:
        return {w: words.count(w) for w in words}

    @server.tool
    def names() -> list[str]:
        return ["a", "b"]

    @server.tool
    def nothing() -> None:
        return None

    @server.tool
    def picture() -> list[Image | Text]:
        return [Image(b"\x89PNG", "image/png"), Text("a pixel")]

    @server.tool
    def media(kind: str) -> Any:
        if kind == "audio":
            return Audio(b"RIFF", "audio/wav")
        if kind == "link":
            return ResourceLink("file:///a.txt", "a", mime_type="text/plain")
        if kind == "dict":
            return {"k": 1}
        if kind == "number":
            return 7
        return EmbeddedResource(BlobResourceContents("file:///b", b"\x00\x01", "application/octet-stream"))

    @server.tool
    def raw() -> ToolResult:
        return ToolResult([Text("custom")], {"x": 1}, is_error=True)

    @server.tool
    def fail(why: str) -> str:
        if why == "tool":
            raise ToolError("no such city")
        if why == "protocol":
            raise McpError(-32001, "quota exceeded", {"retry": 60})
        raise KeyError(why)

    @server.tool(structured_output=False)
    def plain(n: int) -> dict[str, int]:
        return {"n": n}

    return server


def test_tools_list_describes_each_tool() -> None:
    tools = {t.name: t for t in weather_server().list_tools()}
    assert list(tools)[:3] == ["forecast", "add", "greet"]
    forecast = tools["forecast"]
    assert forecast.description == "Forecast for a city.\n\nUses made-up numbers."
    assert forecast.title is None
    assert forecast.input_schema == {
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": "City name"},
            "days": {
                "type": "integer",
                "description": "How many days",
                "minimum": 1,
                "maximum": 7,
                "default": 3,
            },
            "unit": {"type": "string", "enum": ["c", "f"], "default": "c"},
        },
        "required": ["city"],
    }
    assert forecast.output_schema == json_schema(Forecast)
    add = tools["add"]
    assert (add.title, add.description, add.annotations) == ("Add", None, {"readOnlyHint": True})
    assert add.icons == (Icon("https://x/add.png", "image/png"),)
    assert add.input_schema["required"] == ["a", "b"]  # the context is not an argument
    assert add.output_schema == {
        "type": "object",
        "properties": {"result": {"type": "number"}},
        "required": ["result"],
    }
    assert tools["greet"].output_schema is None
    assert tools["count"].output_schema == json_schema(Total)
    assert tools["histogram"].output_schema == {"type": "object", "additionalProperties": {"type": "integer"}}
    for name in ("nothing", "picture", "media", "raw", "plain"):
        assert tools[name].output_schema is None, name
    assert tools["nothing"].input_schema == {"type": "object", "properties": {}}


def test_structured_results_carry_json_text_and_structured_content() -> None:
    server = weather_server()
    result = server.call_tool("forecast", {"city": "Oslo", "days": 2})
    assert result == ToolResult(
        [Text('{"city":"Oslo","temperatures":[20.0,20.0]}')], {"city": "Oslo", "temperatures": [20.0, 20.0]}
    )
    assert server.call_tool("add", '{"a": 1, "b": 2.5}') == ToolResult([Text("3.5")], {"result": 3.5})
    assert server.call_tool("count", {"items": ["x", "y"]}) == ToolResult([Text('{"total":2}')], {"total": 2})
    assert server.call_tool("names") == ToolResult([Text('["a","b"]')], {"result": ["a", "b"]})
    assert server.call_tool("plain", {"n": 1}) == ToolResult([Text('{"n":1}')], {"n": 1})


def test_text_and_rich_results_are_content_blocks() -> None:
    server = weather_server()
    assert server.call_tool("greet", {"name": "Ada"}) == ToolResult([Text("Hello, Ada")])
    assert server.call_tool("nothing") == ToolResult([])
    assert server.call_tool("picture") == ToolResult([Image(b"\x89PNG", "image/png"), Text("a pixel")])
    assert server.call_tool("media", {"kind": "audio"}) == ToolResult([Audio(b"RIFF", "audio/wav")])
    link = ResourceLink("file:///a.txt", "a", mime_type="text/plain")
    assert server.call_tool("media", {"kind": "link"}) == ToolResult([link])
    embedded = server.call_tool("media", {"kind": "embedded"})
    assert embedded is not None and isinstance(embedded.content[0], EmbeddedResource)
    # Without a return annotation the value decides: objects are structured, other JSON is text.
    assert server.call_tool("media", {"kind": "dict"}) == ToolResult([Text('{"k":1}')], {"k": 1})
    assert server.call_tool("media", {"kind": "number"}) == ToolResult([Text("7")])
    assert server.call_tool("raw") == ToolResult([Text("custom")], {"x": 1}, is_error=True)


def test_a_failing_tool_gives_an_error_result_not_a_protocol_error() -> None:
    server = weather_server()
    assert server.call_tool("fail", {"why": "tool"}) == ToolResult([Text("no such city")], is_error=True)
    assert server.call_tool("fail", {"why": "x"}) == ToolResult([Text("KeyError: 'x'")], is_error=True)
    with pytest.raises(McpError) as caught:
        server.call_tool("fail", {"why": "protocol"})
    assert (caught.value.code, caught.value.message, caught.value.data) == (
        -32001,
        "quota exceeded",
        {"retry": 60},
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"days": 2}, "Invalid arguments for tool forecast: city: missing required argument"),
        ({"city": 1}, "Invalid arguments for tool forecast: city: expected string, got integer"),
        ({"city": "x", "days": 8}, "Invalid arguments for tool forecast: days: must be <= 7"),
        ({"city": "x", "unit": "k"}, "Invalid arguments for tool forecast: unit: expected one of 'c', 'f', got 'k'"),
        ("[1, 2]", "Invalid arguments for tool forecast: expected an object"),
        ("{", "Invalid arguments for tool forecast: not JSON (Expecting property name enclosed in double quotes: "
         "line 1 column 2 (char 1))"),
    ],
)  # fmt: skip
def test_bad_arguments_are_invalid_params(arguments: Any, message: str) -> None:
    with pytest.raises(McpError) as caught:
        weather_server().call_tool("forecast", arguments)
    assert caught.value.code == -32602
    assert caught.value.message == message


def numbers_server() -> Server:
    server = Server("numbers")

    @server.tool
    def measure(
        count: int, factor: float, samples: list[float] | None = None, place: Place | None = None
    ) -> str:
        return f"{count * factor}"

    @server.prompt
    def repeat(text: str, times: int) -> str:
        return text * times

    return server


HUGE = "1" + "0" * 5000  # past CPython's 4300-digit limit for int(str)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ('{"count": 1, "factor": 1e400}', "factor: number out of range (beyond a 64-bit float)"),
        ('{"count": 1, "factor": -1e400}', "factor: number out of range (beyond a 64-bit float)"),
        ('{"count": 1, "factor": 1, "samples": [1, 2, 1e999]}', "samples[2]: number out of range"),
        (
            '{"count": 1, "factor": 1, "place": {"name": "x", "lat": 1E+400}}',
            "place.lat: number out of range",
        ),
        ('{"count": ' + HUGE + ', "factor": 1}', "count: integer too large (5001 digits)"),
        (
            '{"count": 1, "factor": 1, "samples": [-' + HUGE + "]}",
            "samples[0]: integer too large (5001 digits)",
        ),
        ('{"count": 1, "factor": NaN}', "not JSON (NaN is not a JSON value)"),
        ('{"count": 1, "factor": -Infinity}', "not JSON (-Infinity is not a JSON value)"),
        ('{"count": 1, "factor": 1, "samples": [1, "2"]}', "samples[1]: expected number, got string"),
        ('{"count": ' + "[" * 100_000, "not JSON (nested too deeply)"),
    ],
    ids=lambda v: v[:40],
)
def test_numbers_json_cannot_carry_are_invalid_params(arguments: str, message: str) -> None:
    with pytest.raises(McpError) as caught:
        numbers_server().call_tool("measure", arguments)
    assert caught.value.code == -32602
    assert caught.value.message.startswith(f"Invalid arguments for tool measure: {message}")
    assert "digits" not in message or "set_int_max_str_digits" not in caught.value.message
    assert numbers_server().call_tool("measure", '{"count": 2, "factor": 1.5e2}') == ToolResult(
        [Text("300.0")]
    )


def test_prompt_arguments_past_the_digit_limit_get_our_message() -> None:
    with pytest.raises(McpError) as caught:
        numbers_server().get_prompt("repeat", {"text": "a", "times": HUGE})
    assert "times: integer too large (5001 digits)" in caught.value.message
    assert "Exceeds the limit" not in caught.value.message


def test_unknown_tools_are_not_ours_and_defaults_apply() -> None:
    server = weather_server()
    assert server.call_tool("nope", {}) is None
    result = server.call_tool("forecast", '{"city": "Rome", "ignored": true}')
    assert result is not None and result.structured_content == {"city": "Rome", "temperatures": [20.0] * 3}
    assert server.call_tool("nothing", "") == ToolResult([])


def test_tools_talk_to_the_client_through_the_context() -> None:
    server, ctx = weather_server(), Context()
    server.call_tool("forecast", {"city": "Oslo", "days": 1}, ctx)
    server.call_tool("add", {"a": 1, "b": 2}, ctx)
    assert ctx.sent == [
        {"method": "notifications/message", "params": {"level": "info", "data": "forecast for Oslo"}},
        {"method": "notifications/progress", "params": {"progress": 1.0, "total": 2.0, "message": "halfway"}},
        {"method": "notifications/message", "params": {"level": "debug", "logger": "math", "data": {"a": 1.0, "b": 2.0}}},
    ]  # fmt: skip
    assert ctx.protocol_version == "2025-11-25" and ctx.session_id is None
    ctx.notify("notifications/tools/list_changed")
    assert ctx.sent[-1] == {"method": "notifications/tools/list_changed"}
    ctx.list_changed("prompts")
    ctx.resource_updated("file:///notes.txt")
    assert ctx.sent[-2:] == [
        {"method": "notifications/prompts/list_changed"},
        {"method": "notifications/resources/updated", "params": {"uri": "file:///notes.txt"}},
    ]
    with pytest.raises(ValueError, match="'tool' is not one of tools, resources, prompts"):
        ctx.list_changed("tool")  # type: ignore[arg-type]
    with pytest.raises(McpError) as caught:
        ctx.request("roots/list", {})
    assert caught.value.code == -32601
    with pytest.raises(ValueError):
        ctx.log("loud", "x")  # type: ignore[arg-type]


def test_declaring_tools_wrongly_fails_early() -> None:
    server = Server("s")

    @server.tool
    def one() -> str:
        return ""

    with pytest.raises(ValueError, match="declared twice"):
        server.tool(name="one")(lambda: "")
    with pytest.raises(ValueError, match="tool name"):
        server.tool(name="has space")(lambda: "")

    async def later() -> str:
        return ""

    with pytest.raises(TypeError, match="async"):
        server.tool(later)

    def star(*args: int) -> int:
        return 0

    with pytest.raises(TypeError, match="plain named parameter"):
        server.tool(star)

    def raw_bytes(data: bytes) -> int:
        return 0

    with pytest.raises(TypeError, match="no JSON Schema"):
        server.tool(raw_bytes)
    with pytest.raises(TypeError, match="structured_output"):
        server.tool(name="untyped", structured_output=True)(lambda x: x)


# --------------------------------------------------------------------------------------------------
# Resources, prompts, completions


def library_server() -> Server:
    server = Server("library")

    @server.resource("file:///readme", title="Read me")
    def readme() -> str:
        """The read-me."""
        return "hello"

    @server.resource("file:///logo", mime_type="image/png", size=4)
    def logo() -> bytes:
        return b"\x89PNG"

    @server.resource("books://{shelf}/{number}")
    def book(shelf: str, number: int) -> dict[str, Any]:
        """A book."""
        return {"shelf": shelf, "number": number}

    @server.resource("notes://{+path}", mime_type="text/markdown")
    def note(path: str, ctx: Context) -> list[TextResourceContents]:
        ctx.debug(path)
        return [TextResourceContents(f"notes://{path}", f"# {path}", "text/markdown")]

    @server.resource("broken://x")
    def broken() -> str:
        raise OSError("disk on fire")

    @server.prompt(title="Review")
    def review(
        code: Annotated[str, Field(description="The code", title="Code")], language: str = "python"
    ) -> str:
        """Review some code."""
        return f"Review this {language}: {code}"

    @server.prompt
    def chat(turns: int) -> list[Message]:
        return [Message("hi", role="user" if i % 2 == 0 else "assistant") for i in range(turns)]

    @server.prompt(name="custom")
    def custom_prompt() -> PromptResult:
        return PromptResult([Message(Image(b"x", "image/gif"))], "custom description")

    @server.completion(prompt="review", argument="language")
    def languages(value: str) -> list[str]:
        return [x for x in ("c", "python", "perl") if x.startswith(value)]

    @server.completion(resource_template="books://{shelf}/{number}", argument="number")
    def numbers(value: str, arguments: dict[str, str]) -> list[str]:
        return [f"{arguments.get('shelf', '?')}-{i}" for i in range(150)]

    return server


def test_resources_and_templates_are_listed() -> None:
    server = library_server()
    resources = server.list_resources()
    assert [(r.uri, r.name, r.title, r.description, r.mime_type, r.size) for r in resources] == [
        ("file:///readme", "readme", "Read me", "The read-me.", "text/plain", None),
        ("file:///logo", "logo", None, None, "image/png", 4),
        ("broken://x", "broken", None, None, "text/plain", None),
    ]
    templates = server.list_resource_templates()
    assert [(t.uri_template, t.name, t.description, t.mime_type) for t in templates] == [
        ("books://{shelf}/{number}", "book", "A book.", "application/json"),
        ("notes://{+path}", "note", None, "text/markdown"),
    ]


def test_read_resource_by_uri_or_template() -> None:
    server = library_server()
    assert server.read_resource("file:///readme") == [
        TextResourceContents("file:///readme", "hello", "text/plain")
    ]
    assert server.read_resource("file:///logo") == [
        BlobResourceContents("file:///logo", b"\x89PNG", "image/png")
    ]
    assert server.read_resource("books://sci%20fi/42") == [
        TextResourceContents("books://sci%20fi/42", '{"shelf":"sci fi","number":42}', "application/json")
    ]
    assert server.read_resource("notes://a/b/c.md") == [
        TextResourceContents("notes://a/b/c.md", "# a/b/c.md", "text/markdown")
    ]
    assert server.read_resource("books://a/b/c") is None  # {number} is one segment
    assert server.read_resource("file:///other") is None
    with pytest.raises(McpError) as caught:
        server.read_resource("books://a/x")
    assert caught.value.code == -32602 and "number: expected integer" in caught.value.message
    with pytest.raises(McpError) as caught:
        server.read_resource("broken://x")
    assert (caught.value.code, caught.value.message) == (
        -32603,
        "Reading broken://x failed: OSError: disk on fire",
    )


def test_template_variables_must_be_the_parameters() -> None:
    server = Server("s")
    with pytest.raises(TypeError, match="must be its variables"):
        server.resource("x://{a}")(lambda b: "")
    with pytest.raises(ValueError, match="unsupported expression"):
        server.resource("x://{?q}")(lambda q: "")
    with pytest.raises(TypeError, match="takes no arguments"):
        server.resource("x://static")(lambda a: "")


def test_prompts_list_their_arguments_and_fill_in() -> None:
    server = library_server()
    prompts = {p.name: p for p in server.list_prompts()}
    assert list(prompts) == ["review", "chat", "custom"]
    assert prompts["review"].title == "Review" and prompts["review"].description == "Review some code."
    assert prompts["review"].arguments == (
        PromptArgument("code", True, "Code", "The code"),
        PromptArgument("language", False),
    )
    assert server.get_prompt("review", {"code": "x = 1"}) == PromptResult(
        [Message("Review this python: x = 1")], "Review some code."
    )
    chat = server.get_prompt("chat", [("turns", "3")])  # converted from the string
    assert chat is not None and [m.role for m in chat.messages] == ["user", "assistant", "user"]
    assert server.get_prompt("custom") == PromptResult(
        [Message(Image(b"x", "image/gif"))], "custom description"
    )
    assert server.get_prompt("nope") is None
    with pytest.raises(McpError) as caught:
        server.get_prompt("review", {})
    assert (caught.value.code, caught.value.message) == (
        -32602,
        "Missing required argument 'code' for prompt review",
    )
    with pytest.raises(McpError, match="turns: expected integer"):
        server.get_prompt("chat", {"turns": "many"})


def test_completions() -> None:
    server = library_server()
    assert server.complete(("prompt", "review"), "language", "p") == Completion(["python", "perl"], 2, False)
    numbers = server.complete(("resource-template", "books://{shelf}/{number}"), "number", "", {"shelf": "s"})
    assert numbers is not None and len(numbers.values) == 100 and numbers.values[0] == "s-0"
    assert (numbers.total, numbers.has_more) == (150, True)
    assert server.complete(("prompt", "review"), "code", "") == Completion([])  # ours, nothing to offer
    assert server.complete(("prompt", "other"), "x", "") is None


# --------------------------------------------------------------------------------------------------
# The adapter to componentize-py's bindings


@pytest.fixture(scope="module")
def bindings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    """``wit_world.imports.types`` and ``componentize_py_types`` generated for a world exporting every
    capability (``componentize-py bindings``: the same code a build generates)."""
    work = tmp_path_factory.mktemp("bindings")
    wit = work / "wit"
    (wit / "deps" / "wacpy-mcp").mkdir(parents=True)
    (wit / "deps" / "wacpy-mcp" / "mcp.wit").write_text(provider_wit())
    lines = [f"  export wacpy:mcp/{c}@0.1.0;" for c in ("tools", "resources", "prompts", "completions")]
    (wit / "world.wit").write_text(
        "package local:all;\nworld all {\n  import wacpy:mcp/context@0.1.0;\n" + "\n".join(lines) + "\n}\n"
    )
    tool = shutil.which("componentize-py", path=str(Path(sys.executable).parent)) or "componentize-py"
    subprocess.run(
        [tool, "-d", str(wit), "-w", "all", "bindings", str(work / "out")], check=True, timeout=120
    )
    sys.path.insert(0, str(work / "out"))
    try:
        yield (
            importlib.import_module("wit_world.imports.types"),
            importlib.import_module("componentize_py_types"),
        )
    finally:
        sys.path.remove(str(work / "out"))
        for name in [m for m in sys.modules if m.split(".")[0] in ("wit_world", "componentize_py_types")]:
            del sys.modules[name]


class FakeContext:
    """A borrowed ``context`` as the bindings present it; ``request`` raises ``Err`` like them."""

    def __init__(self, err: Any, wit: ModuleType) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.err, self.wit = err, wit

    def protocol_version(self) -> str:
        return "2025-06-18"

    def session_id(self) -> str | None:
        return "s-1"

    def log(self, *args: Any) -> None:
        self.calls.append(("log", args))

    def progress(self, *args: Any) -> None:
        self.calls.append(("progress", args))

    def notify(self, *args: Any) -> None:
        self.calls.append(("notify", args))

    def request(self, method: str, params: str) -> str:
        if method == "roots/list":
            return '{"roots":[]}'
        raise self.err(self.wit.Error(-32601, "no sessions", '{"method":"x"}'))


def adapter_server() -> Server:
    server = Server("adapter")

    @server.tool
    def ask(method: str, ctx: Context) -> dict[str, Any]:
        ctx.log("warning", "asking", logger="a")
        ctx.progress(0.5)
        ctx.notify("notifications/x", {"y": 1})
        answer: dict[str, Any] = ctx.request(method, {})
        return {**answer, "version": ctx.protocol_version, "session": ctx.session_id}

    @server.tool
    def rich() -> list[Any]:
        return [
            Text("t", Annotations(("user", "assistant"), 0.5, "2025-01-01T00:00:00Z")),
            Image(b"\x01", "image/png"),
            Audio(b"\x02", "audio/wav"),
            ResourceLink("file:///a", "a", "A", "the a", "text/plain", 3),
            EmbeddedResource(TextResourceContents("file:///e", "e", None)),
            EmbeddedResource(BlobResourceContents("file:///b", b"\x03", "x/y")),
        ]

    return server


def test_adapter_lists_and_calls_tools_with_generated_types(bindings: tuple[ModuleType, ModuleType]) -> None:
    wit, results = bindings
    tools_cls, _, _, _ = exports(weather_server(), wit, results)
    tools = tools_cls()
    ctx = FakeContext(results.Err, wit)
    listed = {t.name: t for t in tools.list_tools(ctx)}
    add = listed["add"]
    assert isinstance(add, wit.Tool)
    assert json.loads(add.input_schema)["required"] == ["a", "b"]
    assert json.loads(add.output_schema) == {
        "type": "object",
        "properties": {"result": {"type": "number"}},
        "required": ["result"],
    }
    assert (add.title, add.annotations, add.icons) == (
        "Add",
        '{"readOnlyHint":true}',
        [wit.Icon("https://x/add.png", "image/png", [])],
    )
    assert listed["greet"].output_schema is None
    assert tools.call_tool(ctx, "add", '{"a": 1, "b": 2}') == results.Ok(
        wit.CallToolResult([wit.ContentBlock_Text(wit.TextContent("3.0", None))], '{"result":3.0}', False)
    )
    assert ctx.calls == [("log", (wit.LogLevel.DEBUG, "math", '{"a":1.0,"b":2.0}'))]
    assert tools.call_tool(ctx, "nope", "{}") is None
    assert tools.call_tool(ctx, "add", '{"a": "x"}') == results.Err(
        wit.Error(-32602, "Invalid arguments for tool add: a: expected number, got string", None)
    )
    assert tools.call_tool(ctx, "fail", '{"why": "protocol"}') == results.Err(
        wit.Error(-32001, "quota exceeded", '{"retry":60}')
    )  # fmt: skip
    failed = tools.call_tool(ctx, "fail", '{"why": "tool"}')
    assert failed.value.is_error and failed.value.content[0].value.text == "no such city"


def test_adapter_bridges_the_context(bindings: tuple[ModuleType, ModuleType]) -> None:
    wit, results = bindings
    tools = exports(adapter_server(), wit, results)[0]()
    ctx = FakeContext(results.Err, wit)
    ok = tools.call_tool(ctx, "ask", '{"method": "roots/list"}')
    assert json.loads(ok.value.structured_content) == {"roots": [], "version": "2025-06-18", "session": "s-1"}
    assert ctx.calls == [
        ("log", (wit.LogLevel.WARNING, "a", '"asking"')),
        ("progress", (0.5, None, None)),
        ("notify", ("notifications/x", '{"y":1}')),
    ]
    # The client's error surfaces as an McpError in the tool and goes back as the call's error.
    assert tools.call_tool(ctx, "ask", '{"method": "sampling/createMessage"}') == results.Err(
        wit.Error(-32601, "no sessions", '{"method":"x"}')
    )


class AskingContext(FakeContext):
    """A 2026-07-28 context: every request to the client is INPUT_REQUIRED until answered."""

    def __init__(self, err: Any, wit: ModuleType, answers: dict[str, str]) -> None:
        super().__init__(err, wit)
        self.answers = answers

    def request(self, method: str, params: str) -> str:
        self.calls.append(("request", (method, params)))
        key = json.loads(params)["_meta"]["wacpy/input-key"]
        if key in self.answers:
            return self.answers[key]
        raise self.err(self.wit.Error(-32090, f"Input required: {method}", None))


def test_input_required_passes_through_a_tools_own_error_handling(
    bindings: tuple[ModuleType, ModuleType],
) -> None:
    """``ctx.elicit`` in a 2026-07-28 request raises InputRequired, which ``except Exception`` does
    not catch; the call's error is INPUT_REQUIRED, which the transport turns into InputRequiredResult."""
    wit, results = bindings
    server = Server("asking")

    @server.tool
    def greet(ctx: Context) -> str:
        try:
            answer = ctx.elicit("Name?", {"name": {"type": "string"}}, key="user_name")
        except Exception:  # a tool's own error handling must not swallow the question
            return "swallowed"
        return f"Hello, {(answer.content or {})['name']}!"

    tools = exports(server, wit, results)[0]()
    asking = AskingContext(results.Err, wit, {})
    assert tools.call_tool(asking, "greet", "{}") == results.Err(
        wit.Error(-32090, "Input required: elicitation/create", None)
    )
    [(_, (method, params))] = asking.calls
    assert method == "elicitation/create" and json.loads(params)["_meta"] == {"wacpy/input-key": "user_name"}
    answered = AskingContext(results.Err, wit, {"user_name": '{"action":"accept","content":{"name":"Ada"}}'})
    assert tools.call_tool(answered, "greet", "{}").value.content[0].value.text == "Hello, Ada!"


class TaskContext(FakeContext):
    """A 2026-07-28 context whose client takes tasks (``can``) or does not."""

    def __init__(self, err: Any, wit: ModuleType, can: bool) -> None:
        super().__init__(err, wit)
        self.can = can

    def run_as_task(self, required: bool) -> bool:
        self.calls.append(("run_as_task", (required,)))
        if not self.can and required:
            raise self.err(self.wit.Error(-32021, "Missing required client capability: extensions.x", None))
        return self.can


def test_a_tool_declared_as_a_task_asks_to_run_as_one_first(bindings: tuple[ModuleType, ModuleType]) -> None:
    wit, results = bindings
    server = Server("tasks")
    ran: list[str] = []

    @server.tool(task="optional")
    def crunch(n: int) -> str:
        ran.append("crunch")
        return f"crunched {n}"

    @server.tool(task="required")
    def batch() -> str:
        ran.append("batch")
        return "done"

    tools = exports(server, wit, results)[0]()
    able, unable = TaskContext(results.Err, wit, True), TaskContext(results.Err, wit, False)
    assert tools.call_tool(able, "crunch", '{"n": 2}').value.content[0].value.text == "crunched 2"
    assert tools.call_tool(unable, "crunch", '{"n": 3}').value.content[0].value.text == "crunched 3"
    assert able.calls == unable.calls == [("run_as_task", (False,))]
    refused = tools.call_tool(unable, "batch", "{}")
    assert refused == results.Err(wit.Error(-32021, "Missing required client capability: extensions.x", None))
    assert ran == ["crunch", "crunch"]  # the required task never ran for a client without tasks
    with pytest.raises(ValueError, match="task must be"):
        server.tool(name="bad", task="sometimes")(lambda: "")  # type: ignore[call-overload]
    # locally (no client) an optional task runs as a plain call; a required one cannot run
    assert server.call_tool("crunch", {"n": 1}, Context()) == ToolResult([Text("crunched 1")])
    with pytest.raises(McpError) as caught:
        server.call_tool("batch", {}, Context())
    assert caught.value.code == -32021


def test_a_resource_gives_caching_hints_through_its_context(bindings: tuple[ModuleType, ModuleType]) -> None:
    server = Server("hints")

    @server.resource("file:///daily")
    def daily(ctx: Context) -> str:
        ctx.cache_hint(86_400_000, shared=True)
        return "today"

    local = Context()
    assert server.read_resource("file:///daily", local) is not None
    assert local.cache_hints == [(86_400_000, True)]
    with pytest.raises(ValueError, match="ttl_ms"):
        local.cache_hint(-1)
    wit, results = bindings
    recorded: list[tuple[int, bool]] = []

    class HintContext(FakeContext):
        def cache_hint(self, ttl_ms: int, shared: bool) -> None:
            recorded.append((ttl_ms, shared))

    resources = exports(server, wit, results)[1]()
    assert (
        resources.read_resource(HintContext(results.Err, wit), "file:///daily").value[0].value.text == "today"
    )
    assert recorded == [(86_400_000, True)]


def test_adapter_converts_every_content_block(bindings: tuple[ModuleType, ModuleType]) -> None:
    wit, results = bindings
    tools = exports(adapter_server(), wit, results)[0]()
    content = tools.call_tool(FakeContext(results.Err, wit), "rich", "{}").value.content
    annotations = wit.Annotations([wit.Role.USER, wit.Role.ASSISTANT], 0.5, "2025-01-01T00:00:00Z")
    assert content == [
        wit.ContentBlock_Text(wit.TextContent("t", annotations)),
        wit.ContentBlock_Image(wit.MediaContent(b"\x01", "image/png", None)),
        wit.ContentBlock_Audio(wit.MediaContent(b"\x02", "audio/wav", None)),
        wit.ContentBlock_ResourceLink(wit.ResourceLink("file:///a", "a", "A", "the a", "text/plain", 3)),
        wit.ContentBlock_EmbeddedResource(
            wit.EmbeddedResource(
                wit.ResourceContents_Text(wit.TextResourceContents("file:///e", None, "e")), None
            )
        ),
        wit.ContentBlock_EmbeddedResource(
            wit.EmbeddedResource(
                wit.ResourceContents_Blob(wit.BlobResourceContents("file:///b", "x/y", b"\x03")), None
            )
        ),
    ]


def test_adapter_serves_resources_prompts_and_completions(bindings: tuple[ModuleType, ModuleType]) -> None:
    wit, results = bindings
    _, resources_cls, prompts_cls, completions_cls = exports(library_server(), wit, results)
    ctx = FakeContext(results.Err, wit)
    resources, prompts, completions = resources_cls(), prompts_cls(), completions_cls()
    assert resources.list_resources(ctx)[1] == wit.Resource(
        "file:///logo", "logo", None, None, "image/png", 4, []
    )
    assert resources.list_resource_templates(ctx)[0] == wit.ResourceTemplate(
        "books://{shelf}/{number}", "book", None, "A book.", "application/json", []
    )
    assert resources.read_resource(ctx, "file:///logo") == results.Ok(
        [wit.ResourceContents_Blob(wit.BlobResourceContents("file:///logo", "image/png", b"\x89PNG"))]
    )
    assert resources.read_resource(ctx, "file:///none") is None
    assert resources.read_resource(ctx, "broken://x").value.code == -32603
    assert prompts.list_prompts(ctx)[0] == wit.Prompt(
        "review",
        "Review",
        "Review some code.",
        [
            wit.PromptArgument("code", "Code", "The code", True),
            wit.PromptArgument("language", None, None, False),
        ],
        [],
    )
    assert prompts.get_prompt(ctx, "chat", [("turns", "2")]) == results.Ok(
        wit.GetPromptResult(
            None,
            [
                wit.PromptMessage(wit.Role.USER, wit.ContentBlock_Text(wit.TextContent("hi", None))),
                wit.PromptMessage(wit.Role.ASSISTANT, wit.ContentBlock_Text(wit.TextContent("hi", None))),
            ],
        )
    )
    assert prompts.get_prompt(ctx, "review", []).value.code == -32602
    request = wit.CompletionRequest(wit.CompletionRef_Prompt("review"), "language", "c", [("code", "x")])
    assert completions.complete(ctx, request) == results.Ok(wit.Completion(["c"], 1, False))
    other = wit.CompletionRequest(
        wit.CompletionRef_ResourceTemplate("books://{shelf}/{number}"), "number", "", []
    )
    assert completions.complete(ctx, other).value.values[0] == "?-0"


def test_adapter_imports_the_generated_modules_itself(bindings: tuple[ModuleType, ModuleType]) -> None:
    wit, results = bindings
    tools = exports(weather_server())[0]()  # finds wit_world and componentize_py_types on sys.path
    assert tools.call_tool(FakeContext(results.Err, wit), "greet", '{"name": "x"}') == results.Ok(
        wit.CallToolResult([wit.ContentBlock_Text(wit.TextContent("Hello, x", None))], None, False)
    )


# --------------------------------------------------------------------------------------------------
# The WIT user components build against


def test_provider_wit_is_the_shipped_authors_file_and_resolves_alone(tmp_path: Path) -> None:
    """User builds read wit/mcp.wit as shipped: the capability interfaces and their worlds, no WASI;
    the framework's interfaces and worlds live in wit/framework.wit."""
    wit = provider_wit()
    assert wit == mcp_wit() == (ROOT / "wit" / "mcp.wit").read_text()
    assert not (ROOT / "wacpy" / "wit" / "mcp.wit").is_symlink()
    (tmp_path / "mcp.wit").write_text(wit)
    printed = run_wasm_tools("component", "wit", str(tmp_path / "mcp.wit")).decode()
    for interface in ("types", "context", "tools", "resources", "prompts", "completions"):
        assert f"interface {interface} {{" in printed
    assert "world tools-provider {" in printed and "wasi:" not in printed
    framework = (ROOT / "wit" / "framework.wit").read_text()
    for item in ("interface context-factory {", "interface handler {", "world transport {"):
        assert item in framework and item not in wit


# --------------------------------------------------------------------------------------------------
# wacpy new


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_new_project_files(tmp_path: Path, language: Language, template: Template) -> None:
    root = new_project("my-server", language=language, template=template, parent=tmp_path)
    assert root == tmp_path / "my-server"
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    main_file = "app.py" if language == "python" else "component.c"
    expected = [".gitignore", "README.md", main_file, "wacpy.toml", "wit/world.wit"]
    if language == "c":
        expected += [f"include/{h}" for h in C_HEADERS]
    assert files == sorted(expected)
    project = load_project(root)
    assert (project.name, project.language, project.world) == ("my-server", language, "my-server")
    assert project.output == root.resolve() / "my-server.wasm"
    world = (root / "wit" / "world.wit").read_text()
    assert "world my-server {" in world
    for capability in TEMPLATE_EXPORTS[language, template]:
        assert f"export wacpy:mcp/{capability}@0.1.0;" in world
    readme = (root / "README.md").read_text()
    assert "wacpy build" in readme and "wacpy compose server my-server.wasm -o server.wasm" in readme
    assert "@" + "NAME@" not in (root / main_file).read_text() + readme + world
    if language == "c":
        shipped = ROOT / "wacpy" / "authoring" / "include" / "wacpy_mcp.h"
        assert (root / "include" / "wacpy_mcp.h").read_bytes() == shipped.read_bytes()


def test_new_project_refuses_bad_names_and_existing_folders(tmp_path: Path) -> None:
    for name in ("My_Tools", "1tools", "tools-", ""):
        with pytest.raises(AuthoringError, match="cannot name a component"):
            new_project(name, parent=tmp_path)
    new_project("taken", parent=tmp_path)
    with pytest.raises(AuthoringError, match="not empty"):
        new_project("taken", parent=tmp_path)
    with pytest.raises(AuthoringError, match=r"no wacpy\.toml"):
        build_project(tmp_path)


def test_cli_new_and_build_a_c_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "cli-tools", "--language", "c", "--template", "tools", "--dir", str(tmp_path)]) == 0
    assert "wacpy build" in capsys.readouterr().out
    assert main(["build", str(tmp_path / "cli-tools")]) == 0
    out = capsys.readouterr().out
    assert "exports: wacpy:mcp/tools@0.1.0" in out and "wacpy compose server" in out
    assert (tmp_path / "cli-tools" / "cli-tools.wasm").is_file()
    assert main(["new", "Bad", "--dir", str(tmp_path)]) == 2
    assert "cannot name a component" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------------
# Builds, cached


def _project_files(root: Path) -> list[Path]:
    skip = {"build", "__pycache__"}
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not skip.intersection(p.relative_to(root).parts) and p.suffix != ".wasm"
    )


def _build_key(root: Path) -> str:
    """Everything a build reads: the project, the SDK, the WIT, the headers and the tools."""
    digest = hashlib.sha256(RECIPE.encode())
    sdk = ROOT / "wacpy" / "sdk"
    headers = ROOT / "wacpy" / "authoring" / "include"
    inputs = [(p.relative_to(root).as_posix(), p) for p in _project_files(root)]
    inputs += [(f"sdk/{p.name}", p) for p in sorted(sdk.glob("*.py"))]
    inputs += [(f"include/{p.name}", p) for p in sorted(headers.glob("*.h"))]
    for name, path in inputs:
        digest.update(f"{name}\0".encode() + path.read_bytes() + b"\0")
    digest.update(provider_wit().encode())
    digest.update(importlib.metadata.version("componentize-py").encode())
    for recipe in ("build.py", "pyapp.py"):
        digest.update((ROOT / "wacpy" / "authoring" / recipe).read_bytes())
    return digest.hexdigest()[:32]


def built(root: Path, work: Path) -> bytes:
    """The component of the project at ``root``, built in a copy under ``work``; Python builds are
    cached (C builds take a fraction of a second and always run)."""
    language = load_project(root).language
    key = _build_key(root)
    cached = CACHE / f"{root.name}-{key}.wasm"
    if language == "python" and cached.is_file():
        return cached.read_bytes()
    copy = work / root.name
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", "*.wasm", "__pycache__"))
    result = build_project(copy)
    data = result.output.read_bytes()
    assert result.size == len(data)
    if language == "python":
        CACHE.mkdir(parents=True, exist_ok=True)
        for old in CACHE.glob(f"{root.name}-*.wasm"):
            old.unlink()
        cached.write_bytes(data)
    return data


# --------------------------------------------------------------------------------------------------
# Built components, composed with the framework components and run under wasmtime


def mcp(interface: str) -> str:
    return f"wacpy:mcp/{interface}@0.1.0"


def plain(value: Any) -> Any:
    """A wasmtime value as dicts (records), ``(tag, payload)`` (variants) and lists."""
    if isinstance(value, Record):
        return {name: plain(item) for name, item in vars(value).items()}
    if isinstance(value, Variant):
        return (value.tag, plain(value.payload))
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def compose_chain(user: bytes, capabilities: Sequence[str]) -> bytes:
    """context-provider, the middleware of each capability around the user component, then
    method-not-found; exports the handler beside the context provider's interfaces."""
    graph = CompositionGraph()
    provider = context_provider(graph, COMPONENTS)

    def with_context(node: NodeId) -> NodeId:
        for interface in ("types", "context"):
            graph.set_argument(node, mcp(interface), graph.alias_export(provider, mcp(interface)))
        return node

    link = with_context(
        graph.instantiate(graph.register("method-not-found", COMPONENTS / "method-not-found.wasm"))
    )
    component = with_context(graph.instantiate(graph.register("user", user)))
    for capability in reversed(capabilities):
        package = graph.register(f"{capability}-middleware", COMPONENTS / f"{capability}-middleware.wasm")
        middleware = with_context(graph.instantiate(package))
        graph.set_argument(middleware, mcp(capability), graph.alias_export(component, mcp(capability)))
        graph.set_argument(middleware, mcp("handler"), graph.alias_export(link, mcp("handler")))
        link = middleware
    for interface in ("types", "context", "context-factory"):
        graph.export(graph.alias_export(provider, mcp(interface)), mcp(interface))
    graph.export(graph.alias_export(link, mcp("handler")), mcp("handler"))
    return graph.encode()


@pytest.fixture(scope="module")
def engine() -> Engine:
    """An engine caching compiled code in ``.cache/``: compiling an 18 MB Python component takes ~10 s."""
    CACHE.mkdir(parents=True, exist_ok=True)
    settings = CACHE / "wasmtime-cache.toml"
    settings.write_text(f"[cache]\ndirectory = {json.dumps(str(CACHE / 'wasmtime'))}\n")
    config = Config()
    config.cache = str(settings)
    return Engine(config)


class ComposedServer:
    """A composed chain instantiated with WASI, and one request context to lend to the handler."""

    def __init__(self, engine: Engine, data: bytes) -> None:
        self.store = Store(engine)
        self.store.set_wasi(WasiConfig())
        linker = Linker(engine)
        linker.add_wasip2()
        linker.add_wasi_http()
        self.instance = linker.instantiate(self.store, Component(engine, data))
        info = record(
            protocol_version="2025-11-25",
            session_id=None,
            progress_token='"p"',
            log_level=None,
            client_capabilities=set(),
        )
        self.ctx = self.call(mcp("context-factory"), "create", info, Variant("none", None), "none")

    def call(self, interface: str, name: str, *args: Any) -> Any:
        parent = self.instance.get_export_index(self.store, interface)
        index = self.instance.get_export_index(self.store, name, parent)
        assert index is not None, f"no export {interface}#{name}"
        func = self.instance.get_func(self.store, index)
        assert func is not None, f"no {interface}#{name}"
        result = func(self.store, *args)
        func.post_return(self.store)
        return result

    def handler(self, name: str, *args: Any) -> Any:
        return plain(self.call(mcp("handler"), name, self.ctx, *args))

    def call_tool(self, name: str, arguments: Any) -> Any:
        return self.handler("call-tool", name, json.dumps(arguments))


def text_result(text: str, structured: Any = None, is_error: bool = False) -> Any:
    return (
        "ok",
        {
            "content": [("text", {"text": text, "annotations": None})],
            "structured-content": None
            if structured is None
            else json.dumps(structured, separators=(",", ":")),
            "is-error": is_error,
        },
    )


def running(engine: Engine, data: bytes, capabilities: Sequence[str]) -> ComposedServer:
    exported = [e.name for e in summarize(data).exports if e.name.startswith("wacpy:mcp/")]
    assert exported == [mcp(c) for c in capabilities]
    return ComposedServer(engine, compose_chain(data, capabilities))


def example_server(name: str) -> Server:
    """The ``server`` of ``examples/NAME/app.py``, imported on the host."""
    spec = importlib.util.spec_from_file_location(
        f"example_{name.replace('-', '_')}", EXAMPLES / name / "app.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    server: Server = module.server
    return server


def test_python_example_answers_through_the_chain(engine: Engine, tmp_path: Path) -> None:
    server = running(engine, built(EXAMPLES / "python-tools", tmp_path), ["tools"])
    tools = server.handler("list-tools")
    assert [t["name"] for t in tools] == ["calculate", "summarize", "convert_temperature"]
    # The component's interpreter (CPython 3.14) describes the tools exactly as the host does.
    on_host = example_server("python-tools").list_tools()
    assert [json.loads(t["input-schema"]) for t in tools] == [t.input_schema for t in on_host]
    assert [json.loads(t["output-schema"]) for t in tools] == [t.output_schema for t in on_host]
    assert [t["description"] for t in tools] == [t.description for t in on_host]
    calculate = tools[0]
    assert (calculate["title"], calculate["annotations"]) == ("Calculator", '{"readOnlyHint":true}')
    assert json.loads(calculate["input-schema"])["properties"]["operation"] == {
        "type": "string",
        "enum": ["add", "subtract", "multiply", "divide"],
    }
    assert json.loads(tools[1]["output-schema"])["required"] == ["count", "mean", "minimum", "maximum"]
    assert server.call_tool("calculate", {"operation": "multiply", "a": 6, "b": 7}) == text_result(
        "42.0", {"result": 42.0}
    )
    summary = {"count": 3, "mean": 2.0, "minimum": 1.0, "maximum": 3.0}
    assert server.call_tool("summarize", {"numbers": [1, 2, 3]}) == text_result(
        json.dumps(summary, separators=(",", ":")), summary
    )
    assert server.call_tool("convert_temperature", {"value": 212, "from_unit": "fahrenheit"}) == text_result(
        "100.0", {"result": 100.0}
    )
    assert server.call_tool("calculate", {"operation": "divide", "a": 1, "b": 0}) == text_result(
        "cannot divide by zero", is_error=True
    )
    assert server.call_tool("summarize", {"numbers": []}) == (
        "err",
        {
            "code": -32602,
            "message": "Invalid arguments for tool summarize: numbers: must have at least 1 item",
            "data": None,
        },
    )
    assert server.call_tool("unknown", {}) is None
    # The guest parses the arguments: numbers JSON cannot carry are refused there, with their path.
    for raw, problem in [
        ('{"operation": "add", "a": 1e400, "b": 1}', "a: number out of range (beyond a 64-bit float)"),
        ('{"operation": "add", "a": 1, "b": ' + HUGE + "}", "b: integer too large (5001 digits)"),
    ]:
        assert server.handler("call-tool", "calculate", raw) == (
            "err",
            {"code": -32602, "message": f"Invalid arguments for tool calculate: {problem}", "data": None},
        )


def test_c_example_answers_through_the_chain(engine: Engine, tmp_path: Path) -> None:
    server = running(engine, built(EXAMPLES / "c-tools", tmp_path), ["tools"])
    tools = server.handler("list-tools")
    assert [t["name"] for t in tools] == ["echo", "word-count"]
    assert json.loads(tools[1]["output-schema"])["required"] == ["words", "lines", "characters"]
    assert server.call_tool("echo", {"text": 'h\u00e9 "quoted" \U0001f600'}) == text_result(
        'h\u00e9 "quoted" \U0001f600'
    )
    counts = {"words": 5, "lines": 2, "characters": 24}
    assert server.call_tool("word-count", {"text": "one two  thr\u00e9e\nfour five"}) == text_result(
        json.dumps(counts, separators=(",", ":")), counts
    )
    assert server.call_tool("echo", {"text": 1}) == (
        "err",
        {"code": -32602, "message": "Invalid arguments: `text` must be a string", "data": None},
    )
    assert server.call_tool("unknown", {}) is None


INT64_MAX = 2**63 - 1
C_ARGUMENTS: list[tuple[str, str, str]] = [
    # (tool, arguments JSON, the text read)
    ("int", '{"n": 42}', "42"),
    ("int", '{"n": -7}', "-7"),
    ("int", '{"n": 0}', "0"),
    ("int", '{"n": -0}', "0"),
    ("int", '{"n": 2.0}', "2"),
    ("int", '{"n": 1e3}', "1000"),
    ("int", '{"n": 1.5E3}', "1500"),
    ("int", '{"n": 1000000000000000000}', "1000000000000000000"),  # 10^18: refused before
    ("int", f'{{"n": {INT64_MAX}}}', str(INT64_MAX)),
    ("int", f'{{"n": {-(2**63)}}}', str(-(2**63))),
    ("int", '{"n": 9.223372036854775807e18}', str(INT64_MAX)),
    ("int", '{"n": 0.000e99999999999999999999}', "0"),
    ("int", '{"n": 120000e-4}', "12"),
]
C_ARGUMENT_ERRORS: list[tuple[str, str, str]] = [
    ("int", '{"n": 2.5}', "n: expected integer, got 2.5"),
    ("int", '{"n": 25e-1}', "n: expected integer, got 25e-1"),
    ("int", '{"n": 1e-99999999999999999999}', "n: expected integer, got 1e-99999999999999999999"),
    ("int", f'{{"n": {INT64_MAX + 1}}}', f"n: integer out of range for 64 bits: {INT64_MAX + 1}"),
    ("int", f'{{"n": {-(2**63) - 1}}}', f"n: integer out of range for 64 bits: {-(2**63) - 1}"),
    ("int", '{"n": 1e19}', "n: integer out of range for 64 bits: 1e19"),
    ("int", '{"n": 1e400}', "n: integer out of range for 64 bits: 1e400"),
    ("int", '{"n": "3"}', "n: expected integer, got string"),
    ("int", '{"n": true}', "n: expected integer, got boolean"),
    ("int", '{"n": null}', "n: expected integer, got null"),
    ("int", '{"n": [1]}', "n: expected integer, got array"),
    ("int", "{}", "n: missing required argument"),
    ("int", '{"n": 1' + "0" * 60 + "}", "n: integer out of range for 64 bits: 1" + "0" * 39 + "..."),
    ("bool", '{"flag": 1}', "flag: expected boolean, got number"),
    ("bool", "{}", "flag: missing required argument"),
    ("string", '{"text": {}}', "text: expected string, got object"),
]


def test_c_argument_readers(engine: Engine, tmp_path: Path) -> None:
    """wacpy_arg_int reads any integral JSON number within 64 bits, as the Python SDK reads ``3.0``,
    and every reader's refusal becomes a -32602 error naming the argument and the problem."""
    root = new_project("c-arguments", language="c", parent=tmp_path / "project")
    shutil.copy(ROOT / "tests" / "fixtures" / "c-arguments" / "component.c", root / "component.c")
    server = running(engine, built(root, tmp_path), ["tools"])
    tools = {t["name"]: t for t in server.handler("list-tools")}
    assert tools["int"]["output-schema"] is None
    assert json.loads(tools["string"]["output-schema"])["required"] == ["text"]
    read = [(raw, server.handler("call-tool", tool, raw)) for tool, raw, _ in C_ARGUMENTS]
    assert read == [(raw, text_result(text)) for _, raw, text in C_ARGUMENTS]
    refused = [(raw, server.handler("call-tool", tool, raw)) for tool, raw, _ in C_ARGUMENT_ERRORS]
    assert refused == [
        (
            raw,
            (
                "err",
                {"code": -32602, "message": f"Invalid arguments for tool {tool}: {message}", "data": None},
            ),
        )
        for tool, raw, message in C_ARGUMENT_ERRORS
    ]
    assert server.handler("call-tool", "bool", '{"flag": true}') == text_result("yes")
    assert server.handler("call-tool", "string", '{"text": "h\\u00e9"}') == text_result("h\u00e9")


# --------------------------------------------------------------------------------------------------
# Every language x template (slow: three Python builds when the cache is cold)


def check_template(server: ComposedServer, language: Language, template: Template, name: str) -> None:
    if template == "tools" and language == "python":
        assert [t["name"] for t in server.handler("list-tools")] == ["greet", "divide"]
        assert server.call_tool("greet", {"name": "Ada", "excited": True}) == text_result("Hello, Ada!")
        assert server.call_tool("divide", {"a": 1, "b": 4}) == text_result("0.25", {"result": 0.25})
        assert server.call_tool("divide", {"a": 1, "b": 0}) == text_result(
            "cannot divide by zero", is_error=True
        )
    elif template == "tools":
        tools = server.handler("list-tools")
        assert [t["name"] for t in tools] == ["echo", "add"]
        assert json.loads(tools[1]["output-schema"])["required"] == ["sum"]
        assert server.call_tool("echo", {"text": "hi"}) == text_result("hi")
        assert server.call_tool("echo", {})[1]["message"] == (
            "Invalid arguments for tool echo: text: missing required argument"
        )
        assert server.call_tool("add", {"a": 2**62, "b": 2.0}) == text_result(
            f'{{"sum":{2**62 + 2}}}', {"sum": 2**62 + 2}
        )
        assert server.call_tool("add", {"a": 2**62, "b": 2**62}) == text_result(
            "the sum does not fit in 64 bits", is_error=True
        )
    elif template == "resources":
        assert [r["uri"] for r in server.handler("list-resources")] == [f"{name}://readme"]
        contents = server.handler("read-resource", f"{name}://readme")
        assert contents[0][1]["text"].startswith(f"# {name}\n")
        assert server.handler("read-resource", "other://x") is None
        if language == "python":
            assert (
                server.handler("list-resource-templates")[0]["uri-template"] == f"{name}://items/{{number}}"
            )
            item = server.handler("read-resource", f"{name}://items/4")
            assert json.loads(item[0][1]["text"]) == {"number": 4, "square": 16}
    elif language == "python":
        assert server.handler("list-prompts")[0]["name"] == "review"
        result = server.handler("get-prompt", "review", [("code", "x = 1")])
        assert result[1]["messages"][0]["content"][1]["text"] == "Please review this python code:\n\nx = 1"
        request = record(
            ref=Variant("prompt", "review"),
            argument_name="language",
            argument_value="p",
            context_arguments=[],
        )
        assert server.handler("complete", request) == (
            "ok",
            {"values": ["python"], "total": 1, "has-more": False},
        )
    else:
        assert server.handler("list-prompts")[0]["arguments"][0]["name"] == "name"
        result = server.handler("get-prompt", "greet", [("name", "Ada")])
        assert result[1]["messages"][0]["content"][1]["text"] == "Write a warm greeting for Ada."
        assert server.handler("get-prompt", "greet", [])[1]["code"] == -32602


@pytest.mark.parametrize(
    "language",
    # C builds take a second: in the default suite (they caught a macro of the C SDK that expanded an
    # argument before pasting it); Python builds take ~15 s each: slow.
    [pytest.param(lang, marks=pytest.mark.slow) if lang == "python" else lang for lang in LANGUAGES],
)
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_builds_and_answers(
    engine: Engine, tmp_path: Path, language: Language, template: Template
) -> None:
    name = f"{language}-{template}".replace("python", "py")
    source = new_project(name, language=language, template=template, parent=tmp_path / "source")
    data = built(source, tmp_path)
    server = running(engine, data, TEMPLATE_EXPORTS[language, template])
    check_template(server, language, template, name)


@pytest.mark.slow
def test_python_templates_and_example_type_check(tmp_path: Path) -> None:
    """What users start from passes ``mypy --strict``."""
    sources = {f"{t}_app": new_project(f"py-{t}", template=t, parent=tmp_path) / "app.py" for t in TEMPLATES}
    sources["example_app"] = EXAMPLES / "python-tools" / "app.py"
    checked = tmp_path / "checked"
    checked.mkdir()
    for module, source in sources.items():  # one folder, distinct module names
        shutil.copy(source, checked / f"{module}.py")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--follow-imports=silent",
            str(checked),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(ROOT)},  # mypy cannot follow the editable install
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_build_records_what_goes_into_a_cached_build(tmp_path: Path) -> None:
    """The cache key changes with the project's sources and ignores build outputs."""
    root = new_project("keyed", parent=tmp_path)
    key = _build_key(root)
    (root / "build").mkdir()
    (root / "build" / "x").write_text("ignored")
    (root / "keyed.wasm").write_bytes(b"ignored")
    assert _build_key(root) == key
    (root / "app.py").write_text((root / "app.py").read_text() + "\n# changed\n")
    assert _build_key(root) != key


def test_a_tool_with_scopes_is_for_callers_whose_token_has_them() -> None:
    server = Server("scoped")

    @server.tool(scopes=["files:write"])
    def delete(path: str) -> str:
        return f"deleted {path}"

    @server.tool
    def read(path: str, ctx: Context) -> str:
        who = ctx.auth
        return f"{path} for {who.subject if who else 'anyone'}"

    public = Context()  # public mode: no caller, nothing enforced
    assert server.call_tool("delete", {"path": "a"}, public) == ToolResult([Text("deleted a")])
    assert [t.name for t in server.list_tools(public)] == ["delete", "read"]
    reader = Context(auth=Caller("ada", ("files:read",), {"sub": "ada"}))
    writer = Context(auth=Caller("bob", ("files:read", "files:write"), {"sub": "bob"}))
    assert [t.name for t in server.list_tools(reader)] == ["read"]  # hidden from who cannot call it
    with pytest.raises(McpError) as refused:
        server.call_tool("delete", {"path": "a"}, reader)
    assert (refused.value.code, refused.value.data) == (-32092, {"scope": "files:write"})
    assert server.call_tool("delete", {"path": "b"}, writer) == ToolResult([Text("deleted b")])
    assert server.call_tool("read", {"path": "c"}, reader) == ToolResult([Text("c for ada")])
    assert reader.auth is not None and reader.auth.claims == {"sub": "ada"}


def test_adapter_hands_the_caller_to_tools(bindings: tuple[ModuleType, ModuleType]) -> None:
    """Through componentize-py's bindings: `context.caller` becomes `ctx.auth`, and a scoped tool
    refuses a caller without its scope with -32092 (the transport answers HTTP 403)."""
    wit, results = bindings
    server = Server("whoami")

    @server.tool
    def whoami(ctx: Context) -> str:
        who = ctx.auth
        return "anyone" if who is None else f"{who.subject} {' '.join(who.scopes)} {who.claims['tenant']}"

    @server.tool(scopes=["admin"])
    def purge() -> str:
        return "purged"

    class CallerContext(FakeContext):
        def caller(self) -> Any:
            return wit.Caller("ada", ["files:read"], '{"sub":"ada","tenant":7}')

    tools = exports(server, wit, results)[0]()
    ctx = CallerContext(results.Err, wit)
    assert tools.call_tool(ctx, "whoami", "{}").value.content[0].value.text == "ada files:read 7"
    assert [t.name for t in tools.list_tools(ctx)] == ["whoami"]
    refused = tools.call_tool(ctx, "purge", "{}")
    assert refused.value.code == -32092 and json.loads(refused.value.data) == {"scope": "admin"}
