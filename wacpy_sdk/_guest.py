"""Connect a :class:`Server` to the bindings componentize-py generates for a ``wacpy:mcp`` world.

componentize-py turns ``wacpy:mcp/types`` into dataclasses in ``wit_world.imports.types`` (a variant
case ``content-block.text`` is ``ContentBlock_Text(value)``, an enum a Python ``Enum``, an ``option``
``None`` or the value), ``result`` values into ``componentize_py_types.Ok``/``Err``, and the
borrowed ``context`` into an object whose methods raise ``Err`` for a ``result`` error. It calls
the exports on instances of classes named after the exported interfaces (``Tools``, ...), found in
the app module; ``wacpy build`` writes that module::

    from app import server
    from wacpy_sdk._guest import exports
    Tools, Resources, Prompts, Completions = exports(server)

Everything here converts; the behaviour lives in :class:`Server`.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from ._content import (
    Annotations,
    Audio,
    BlobResourceContents,
    Completion,
    ContentBlock,
    EmbeddedResource,
    Image,
    Message,
    PromptResult,
    ResourceContents,
    ResourceLink,
    Text,
    ToolResult,
)
from ._context import Context, Listing, LogLevel
from ._errors import INPUT_REQUIRED, InputRequired, McpError
from ._server import CompletionRef, Server
from ._session import Kind, Stored


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Converter:
    """SDK values to the generated dataclasses of ``wacpy:mcp/types``."""

    def __init__(self, wit: Any) -> None:
        self.wit = wit

    def icons(self, icons: Any) -> list[Any]:
        return [self.wit.Icon(i.src, i.mime_type, list(i.sizes)) for i in icons]

    def annotations(self, a: Annotations | None) -> Any:
        if a is None:
            return None
        return self.wit.Annotations(
            [self.wit.Role[r.upper()] for r in a.audience], a.priority, a.last_modified
        )

    def contents(self, c: ResourceContents) -> Any:
        wit = self.wit
        if isinstance(c, BlobResourceContents):
            return wit.ResourceContents_Blob(wit.BlobResourceContents(c.uri, c.mime_type, bytes(c.blob)))
        return wit.ResourceContents_Text(wit.TextResourceContents(c.uri, c.mime_type, c.text))

    def block(self, b: ContentBlock | str) -> Any:
        wit = self.wit
        if isinstance(b, str):
            b = Text(b)
        if isinstance(b, Text):
            return wit.ContentBlock_Text(wit.TextContent(b.text, self.annotations(b.annotations)))
        if isinstance(b, Image):
            return wit.ContentBlock_Image(
                wit.MediaContent(bytes(b.data), b.mime_type, self.annotations(b.annotations))
            )
        if isinstance(b, Audio):
            return wit.ContentBlock_Audio(
                wit.MediaContent(bytes(b.data), b.mime_type, self.annotations(b.annotations))
            )
        if isinstance(b, ResourceLink):
            link = wit.ResourceLink(b.uri, b.name, b.title, b.description, b.mime_type, b.size)
            return wit.ContentBlock_ResourceLink(link)
        if isinstance(b, EmbeddedResource):
            embedded = wit.EmbeddedResource(self.contents(b.resource), self.annotations(b.annotations))
            return wit.ContentBlock_EmbeddedResource(embedded)
        raise TypeError(f"not a content block: {type(b).__name__}")

    def tool_result(self, r: ToolResult) -> Any:
        structured = _json(r.structured_content)
        return self.wit.CallToolResult([self.block(b) for b in r.content], structured, r.is_error)

    def prompt_result(self, r: PromptResult) -> Any:
        wit = self.wit

        def message(m: Message) -> Any:
            return wit.PromptMessage(wit.Role[m.role.upper()], self.block(m.content))

        return wit.GetPromptResult(r.description, [message(m) for m in r.messages])

    def completion(self, c: Completion) -> Any:
        return self.wit.Completion(list(c.values), c.total, c.has_more)

    def error(self, e: McpError) -> Any:
        return self.wit.Error(e.code, e.message, _json(e.data))


class _WitContext:
    """The :class:`ContextBackend` over a borrowed ``wacpy:mcp/context.context``."""

    def __init__(self, ctx: Any, wit: Any, err: type[Exception]) -> None:
        self._ctx, self._wit, self._err = ctx, wit, err

    def protocol_version(self) -> str:
        return str(self._ctx.protocol_version())

    def session_id(self) -> str | None:
        session: str | None = self._ctx.session_id()
        return session

    def log(self, level: LogLevel, logger: str | None, data: str) -> None:
        self._ctx.log(self._wit.LogLevel[level.upper()], logger, data)

    def progress(self, progress: float, total: float | None, message: str | None) -> None:
        self._ctx.progress(progress, total, message)

    def notify(self, method: str, params: str | None) -> None:
        self._ctx.notify(method, params)

    def _call(self, method: Any, *args: Any) -> Any:
        """``method(*args)``; the WIT error it raises becomes an :class:`McpError`."""
        try:
            return method(*args)
        except self._err as err:
            error = err.value  # type: ignore[attr-defined]
            if error.code == INPUT_REQUIRED:
                raise InputRequired(error.message) from None
            raise McpError(
                error.code, error.message, json.loads(error.data) if error.data else None
            ) from None

    def request(self, method: str, params: str) -> str:
        return str(self._call(self._ctx.request, method, params))

    def close_stream(self) -> None:
        self._ctx.close_stream()

    def run_as_task(self, required: bool) -> bool:
        return bool(self._call(self._ctx.run_as_task, required))

    def cache_hint(self, ttl_ms: int, shared: bool) -> None:
        self._ctx.cache_hint(ttl_ms, shared)

    def caller(self) -> tuple[str, list[str], str] | None:
        who = self._ctx.caller()
        return None if who is None else (str(who.subject), [str(s) for s in who.scopes], str(who.claims))

    def resource_updated(self, uri: str) -> None:
        self._ctx.resource_updated(uri)

    def list_changed(self, which: Listing) -> None:
        self._ctx.list_changed(self._wit.Listing[which.upper()])

    def session_get(self, key: str) -> Stored | None:
        value = self._call(self._ctx.session_get, key)
        if value is None:
            return None
        kind = _VALUE_KINDS[type(value).__name__]
        return kind, value.value

    def session_set(self, key: str, kind: Kind, value: Any) -> None:
        case = getattr(self._wit, _VALUE_CASES[kind])
        self._call(self._ctx.session_set, key, case(value))

    def session_delete(self, key: str) -> None:
        self._call(self._ctx.session_delete, key)

    def session_keys(self, prefix: str) -> list[str]:
        return [str(k) for k in self._call(self._ctx.session_keys, prefix)]


#: componentize-py's classes of the WIT `value` cases, by stored kind.
_VALUE_CASES: dict[Kind, str] = {
    "string": "Value_String",
    "s64": "Value_S64",
    "f64": "Value_F64",
    "bool": "Value_Bool",
    "bytes": "Value_Bytes",
    "json": "Value_Json",
}
_VALUE_KINDS = {name: kind for kind, name in _VALUE_CASES.items()}


def exports(server: Server, wit: Any = None, results: Any = None) -> tuple[type, type, type, type]:
    """The ``Tools``, ``Resources``, ``Prompts`` and ``Completions`` export classes for ``server``.

    ``wit`` and ``results`` are the generated ``wit_world.imports.types`` and ``componentize_py_types``
    modules, imported here when not given.
    """
    if wit is None:
        wit = importlib.import_module("wit_world.imports.types")
    if results is None:
        results = importlib.import_module("componentize_py_types")
    ok, err = results.Ok, results.Err
    to = _Converter(wit)

    def context(ctx: Any) -> Context:
        return Context(_WitContext(ctx, wit, err), namespace=server.name)

    def answer(compute: Any, convert: Any) -> Any:
        """``none`` for ``None``, ``ok`` with the converted value, ``err`` for an :class:`McpError`."""
        try:
            value = compute()
        except McpError as e:
            return err(to.error(e))
        except InputRequired as e:  # the transport answers InputRequiredResult in its place
            return err(to.error(McpError(INPUT_REQUIRED, e.message)))
        return None if value is None else ok(convert(value))

    class Tools:
        def list_tools(self, ctx: Any) -> list[Any]:
            return [
                wit.Tool(
                    t.name,
                    t.title,
                    t.description,
                    _json(t.input_schema),
                    _json(t.output_schema),
                    _json(t.annotations),
                    to.icons(t.icons),
                )
                for t in server.list_tools(context(ctx))
            ]

        def call_tool(self, ctx: Any, name: str, arguments: str) -> Any:
            return answer(lambda: server.call_tool(name, arguments, context(ctx)), to.tool_result)

    class Resources:
        def list_resources(self, ctx: Any) -> list[Any]:
            return [
                wit.Resource(r.uri, r.name, r.title, r.description, r.mime_type, r.size, to.icons(r.icons))
                for r in server.list_resources()
            ]

        def list_resource_templates(self, ctx: Any) -> list[Any]:
            return [
                wit.ResourceTemplate(
                    t.uri_template, t.name, t.title, t.description, t.mime_type, to.icons(t.icons)
                )
                for t in server.list_resource_templates()
            ]

        def read_resource(self, ctx: Any, uri: str) -> Any:
            return answer(
                lambda: server.read_resource(uri, context(ctx)), lambda cs: [to.contents(c) for c in cs]
            )

    class Prompts:
        def list_prompts(self, ctx: Any) -> list[Any]:
            return [
                wit.Prompt(
                    p.name,
                    p.title,
                    p.description,
                    [wit.PromptArgument(a.name, a.title, a.description, a.required) for a in p.arguments],
                    to.icons(p.icons),
                )
                for p in server.list_prompts()
            ]

        def get_prompt(self, ctx: Any, name: str, arguments: list[tuple[str, str]]) -> Any:
            return answer(lambda: server.get_prompt(name, arguments, context(ctx)), to.prompt_result)

    class Completions:
        def complete(self, ctx: Any, request: Any) -> Any:
            ref: CompletionRef = (
                ("prompt", request.ref.value)
                if isinstance(request.ref, wit.CompletionRef_Prompt)
                else ("resource-template", request.ref.value)
            )
            return answer(
                lambda: server.complete(
                    ref,
                    request.argument_name,
                    request.argument_value,
                    request.context_arguments,
                    context(ctx),
                ),
                to.completion,
            )

    return Tools, Resources, Prompts, Completions


__all__ = ["exports"]
