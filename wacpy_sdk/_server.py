"""``Server``: declare tools, resources, prompts and completions with decorators, and answer MCP for them.

The answers are plain Python values (:class:`ToolInfo`, :class:`ToolResult`, ...), so a server can
be tested without WebAssembly; ``wacpy build`` connects it to the component's exports.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, TypeVar, overload
from urllib.parse import unquote

from ._content import (
    CONTENT_TYPES,
    BlobResourceContents,
    Completion,
    ContentBlock,
    Icon,
    Message,
    PromptArgument,
    PromptInfo,
    PromptResult,
    ResourceContents,
    ResourceInfo,
    ResourceTemplateInfo,
    Text,
    TextResourceContents,
    ToolInfo,
    ToolResult,
)
from ._context import Context
from ._errors import INSUFFICIENT_SCOPE, INTERNAL_ERROR, INVALID_PARAMS, McpError, ToolError
from ._schema import (
    _UNION_TYPES,
    MISSING,
    ArgumentError,
    FieldInfo,
    SchemaBuilder,
    _split,
    convert,
    convert_fields,
    is_object_type,
    parse_json,
    to_json,
)

F = TypeVar("F", bound=Callable[..., Any])
CompletionRef = tuple[Literal["prompt", "resource-template"], str]
_TOOL_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
_MAX_COMPLETIONS = 100


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _doc(fn: Callable[..., Any]) -> str | None:
    return inspect.cleandoc(fn.__doc__) if fn.__doc__ else None


def _failure(err: Exception) -> str:
    return str(err) if isinstance(err, ToolError) else f"{type(err).__name__}: {err}"


# --------------------------------------------------------------------------------------------------
# Parameters


@dataclasses.dataclass(frozen=True)
class _Parameters:
    """A function's JSON parameters as ``(name, hint, default, description)`` fields, the name of its
    :class:`Context` parameter, and the defaults given with :func:`Field`."""

    fields: list[tuple[str, Any, Any, str | None]]
    context: str | None
    field_defaults: dict[str, Any]

    def call(self, fn: Callable[..., Any], values: Mapping[str, Any], ctx: Context | None) -> Any:
        kwargs = {**{k: v for k, v in self.field_defaults.items() if k not in values}, **values}
        if self.context is not None:
            kwargs[self.context] = ctx if ctx is not None else Context()
        return fn(**kwargs)

    def description(self, name: str) -> tuple[str | None, str | None]:
        """The title and description a parameter's ``Annotated`` metadata gives."""
        hint = next(h for n, h, _, _ in self.fields if n == name)
        title = description = None
        for item in _split(hint)[1]:
            if isinstance(item, str):
                description = item
            elif isinstance(item, FieldInfo):
                title = item.title if item.title is not None else title
                description = item.description if item.description is not None else description
        return title, description


def _is_context(hint: Any) -> bool:
    tp = _split(hint)[0]
    if typing.get_origin(tp) in _UNION_TYPES:
        return any(_split(a)[0] is Context for a in typing.get_args(tp))
    return tp is Context


def _parameters(fn: Callable[..., Any], what: str) -> _Parameters:
    if inspect.iscoroutinefunction(fn):
        raise TypeError(f"{what} `{fn.__name__}`: async functions are not supported; use a plain def")
    hints = typing.get_type_hints(fn, include_extras=True)
    fields: list[tuple[str, Any, Any, str | None]] = []
    context = None
    field_defaults: dict[str, Any] = {}
    for param in inspect.signature(fn).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD, param.POSITIONAL_ONLY):
            raise TypeError(
                f"{what} `{fn.__name__}`: parameter `{param.name}` must be a plain named parameter"
            )
        hint = hints.get(param.name, Any)
        if _is_context(hint):
            context = param.name
            continue
        default = MISSING if param.default is param.empty else param.default
        if isinstance(default, FieldInfo):
            hint = typing.Annotated[hint, default]
            if default.default is not MISSING:
                field_defaults[param.name] = default.default
            default = default.default
        fields.append((param.name, hint, default, None))
    return _Parameters(fields, context, field_defaults)


def _from_string(text: str, hint: Any, path: str) -> Any:
    """A string argument (prompt argument, URI template variable) as ``hint``: as is where a string
    fits, else parsed as JSON (``"3"`` for an int)."""
    try:
        return convert(text, hint, path)
    except ArgumentError as err:
        try:
            parsed = parse_json(text, path)
        except ArgumentError:
            raise
        except ValueError:
            raise err from None
        return convert(parsed, hint, path)


# --------------------------------------------------------------------------------------------------
# Tools


def _is_content_hint(hint: Any) -> bool:
    tp = _split(hint)[0]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp in CONTENT_TYPES or tp is ToolResult:
        return True
    if origin in _UNION_TYPES:
        return all(_is_content_hint(a) for a in args)
    if origin in (list, tuple, Sequence) and args:
        return _is_content_hint(args[0])
    return False


Mode = Literal["text", "content", "structured", "wrapped", "none", "dynamic"]
#: Whether a tool runs as a task (MCP 2026-07-28 tasks extension): never, when the client can, always.
TaskSupport = Literal["forbidden", "optional", "required"]


def _output(fn: Callable[..., Any], structured: bool | None, builder: SchemaBuilder) -> tuple[Mode, Any]:
    """How a tool's return value becomes its result, and its output schema."""
    hints = typing.get_type_hints(fn, include_extras=True)
    if "return" not in hints or _split(hints["return"])[0] is Any:
        if structured:
            raise TypeError(f"tool `{fn.__name__}`: structured_output needs a return type annotation")
        return "dynamic", None
    hint = hints["return"]
    tp = _split(hint)[0]
    if tp is None or tp is type(None):
        return "none", None
    if tp is str and not structured:
        return "text", None
    if _is_content_hint(hint):
        if structured:
            raise TypeError(f"tool `{fn.__name__}`: content blocks have no output schema")
        return "content", None
    if structured is False or (
        typing.get_origin(tp) in (list, Sequence) and _split(typing.get_args(tp)[0])[0] is Any
    ):
        return "dynamic", None  # e.g. list[Any]: content blocks or JSON, as the value says
    schema = builder.schema(hint)
    if is_object_type(tp) or tp is dict or typing.get_origin(tp) in (dict, Mapping):
        return "structured", builder.document({"type": "object", **schema} if "$ref" in schema else schema)
    wrapped = {"type": "object", "properties": {"result": schema}, "required": ["result"]}
    return "wrapped", builder.document(wrapped)


def _blocks(value: Any) -> list[ContentBlock] | None:
    """``value`` as content blocks, if it is a block or a sequence of blocks."""
    if isinstance(value, CONTENT_TYPES):
        return [value]
    if isinstance(value, list | tuple) and value and all(isinstance(v, CONTENT_TYPES) for v in value):
        return list(value)
    return None


def _result(value: Any, mode: Mode) -> ToolResult:
    if isinstance(value, ToolResult):
        return value
    blocks = _blocks(value)
    if blocks is not None:
        return ToolResult(blocks)
    if mode == "wrapped":
        data = to_json(value)
        return ToolResult([Text(_dumps(data))], {"result": data})
    if mode == "structured":
        data = to_json(value)
        return ToolResult([Text(_dumps(data))], data)
    if value is None:
        return ToolResult([])
    if isinstance(value, str):
        return ToolResult([Text(value)])
    data = to_json(value)
    structured = data if isinstance(data, dict) and mode == "dynamic" else None
    return ToolResult([Text(_dumps(data))], structured)


@dataclasses.dataclass(frozen=True)
class _Tool:
    info: ToolInfo
    fn: Callable[..., Any]
    params: _Parameters
    mode: Mode
    task: TaskSupport = "forbidden"
    scopes: tuple[str, ...] = ()

    def call(self, arguments: Mapping[str, Any], ctx: Context | None) -> ToolResult:
        try:
            values = convert_fields(arguments, self.params.fields)
        except ArgumentError as err:
            raise McpError(INVALID_PARAMS, f"Invalid arguments for tool {self.info.name}: {err}") from None
        caller = ctx.auth if ctx is not None and self.scopes else None
        if caller is not None and not caller.has_scopes(*self.scopes):
            needed = " ".join(self.scopes)
            raise McpError(
                INSUFFICIENT_SCOPE, f"Insufficient scope: {self.info.name} needs {needed}", {"scope": needed}
            )
        if self.task != "forbidden" and ctx is not None:
            ctx.run_as_task(required=self.task == "required")
        try:
            result = _result(self.params.call(self.fn, values, ctx), self.mode)
        except McpError:
            raise
        except Exception as err:
            return ToolResult([Text(_failure(err))], is_error=True)
        return result


# --------------------------------------------------------------------------------------------------
# Resources

_TEMPLATE_EXPRESSION = re.compile(r"\{([^}]*)\}")
_TEMPLATE_VARIABLE = re.compile(r"^(\+?)([A-Za-z_][A-Za-z0-9_]*)$")


def _template_pattern(template: str) -> tuple[re.Pattern[str], list[str]]:
    """A regular expression matching the URIs of a template with ``{name}`` (one path segment) and
    ``{+name}`` (any text) expressions, and the variable names."""
    parts, names, last = [], [], 0
    for match in _TEMPLATE_EXPRESSION.finditer(template):
        variable = _TEMPLATE_VARIABLE.match(match.group(1))
        if variable is None:
            raise ValueError(f"resource template {template!r}: unsupported expression {match.group(0)!r}")
        parts.append(re.escape(template[last : match.start()]))
        parts.append(f"(?P<{variable.group(2)}>{'.+' if variable.group(1) else '[^/]+'})")
        names.append(variable.group(2))
        last = match.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts)), names


def _default_mime(fn: Callable[..., Any]) -> str | None:
    tp = _split(typing.get_type_hints(fn).get("return", Any))[0]
    if tp is str:
        return "text/plain"
    if tp is bytes:
        return "application/octet-stream"
    if is_object_type(tp) or tp is dict or typing.get_origin(tp) in (dict, list, Mapping):
        return "application/json"
    return None


def _contents(value: Any, uri: str, mime_type: str | None) -> list[ResourceContents]:
    if isinstance(value, TextResourceContents | BlobResourceContents):
        return [value]
    if (
        isinstance(value, list | tuple)
        and value
        and all(isinstance(v, TextResourceContents | BlobResourceContents) for v in value)
    ):
        return list(value)
    if isinstance(value, str):
        return [TextResourceContents(uri, value, mime_type or "text/plain")]
    if isinstance(value, bytes | bytearray):
        return [BlobResourceContents(uri, bytes(value), mime_type or "application/octet-stream")]
    return [TextResourceContents(uri, _dumps(to_json(value)), mime_type or "application/json")]


@dataclasses.dataclass(frozen=True)
class _Resource:
    uri: str
    mime_type: str | None
    fn: Callable[..., Any]
    params: _Parameters
    pattern: re.Pattern[str] | None = None

    def read(self, uri: str, ctx: Context | None) -> list[ResourceContents] | None:
        if self.pattern is None:
            if uri != self.uri:
                return None
            values: dict[str, Any] = {}
        else:
            match = self.pattern.fullmatch(uri)
            if match is None:
                return None
            try:
                values = {
                    name: _from_string(unquote(match.group(name)), hint, name)
                    for name, hint, _, _ in self.params.fields
                }
            except ArgumentError as err:
                raise McpError(INVALID_PARAMS, f"Invalid resource URI {uri}: {err}") from None
        try:
            return _contents(self.params.call(self.fn, values, ctx), uri, self.mime_type)
        except McpError:
            raise
        except Exception as err:
            raise McpError(INTERNAL_ERROR, f"Reading {uri} failed: {_failure(err)}") from err


# --------------------------------------------------------------------------------------------------
# Prompts and completions


def _messages(value: Any) -> list[Message]:
    items = value if isinstance(value, list | tuple) else [value]
    out = []
    for item in items:
        if isinstance(item, Message):
            out.append(item)
        elif isinstance(item, (str, *CONTENT_TYPES)):
            out.append(Message(item))
        else:
            raise TypeError(
                f"a prompt returns str, Message, content blocks or a list of them, not {type(item).__name__}"
            )
    return out


@dataclasses.dataclass(frozen=True)
class _Prompt:
    info: PromptInfo
    fn: Callable[..., Any]
    params: _Parameters

    def get(self, arguments: Mapping[str, str], ctx: Context | None) -> PromptResult:
        values = {}
        for name, hint, default, _ in self.params.fields:
            if name in arguments:
                try:
                    values[name] = _from_string(arguments[name], hint, name)
                except ArgumentError as err:
                    raise McpError(
                        INVALID_PARAMS, f"Invalid arguments for prompt {self.info.name}: {err}"
                    ) from None
            elif default is MISSING:
                raise McpError(
                    INVALID_PARAMS, f"Missing required argument {name!r} for prompt {self.info.name}"
                )
        try:
            value = self.params.call(self.fn, values, ctx)
            if isinstance(value, PromptResult):
                return value
            return PromptResult(_messages(value), self.info.description)
        except McpError:
            raise
        except Exception as err:
            raise McpError(INTERNAL_ERROR, f"Prompt {self.info.name} failed: {_failure(err)}") from err


@dataclasses.dataclass(frozen=True)
class _Completer:
    fn: Callable[..., Any]
    params: _Parameters

    def complete(self, value: str, context: Mapping[str, str], ctx: Context | None) -> Completion:
        names = [name for name, _, _, _ in self.params.fields]
        values: dict[str, Any] = {names[0]: value}
        if len(names) > 1:
            values[names[1]] = dict(context)
        try:
            result = self.params.call(self.fn, values, ctx)
        except McpError:
            raise
        except Exception as err:
            raise McpError(INTERNAL_ERROR, f"Completion failed: {_failure(err)}") from err
        if isinstance(result, Completion):
            return result
        options = [str(v) for v in result]
        return Completion(options[:_MAX_COMPLETIONS], len(options), len(options) > _MAX_COMPLETIONS)


# --------------------------------------------------------------------------------------------------
# The server


class Server:
    """An MCP server's tools, resources, prompts and completions, declared with decorators.

    >>> server = Server("demo")
    >>> @server.tool
    ... def add(a: int, b: int = 1) -> int:
    ...     '''Add two numbers.'''
    ...     return a + b
    >>> server.list_tools()[0].input_schema["required"]
    ['a']
    >>> server.call_tool("add", {"a": 2}).structured_content
    {'result': 3}
    """

    def __init__(self, name: str, *, version: str = "0.1.0", instructions: str | None = None) -> None:
        self.name = name
        self.version = version
        self.instructions = instructions
        self._tools: dict[str, _Tool] = {}
        self._resources: dict[str, _Resource] = {}
        self._templates: dict[str, _Resource] = {}
        self._template_infos: list[ResourceTemplateInfo] = []
        self._resource_infos: list[ResourceInfo] = []
        self._prompts: dict[str, _Prompt] = {}
        self._completers: dict[tuple[str, str, str], _Completer] = {}

    # -- declaring ---------------------------------------------------------------------------------

    @overload
    def tool(self, fn: F, /) -> F: ...
    @overload
    def tool(
        self,
        fn: None = None,
        /,
        *,
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        annotations: Mapping[str, Any] | None = None,
        icons: Sequence[Icon] = (),
        structured_output: bool | None = None,
        task: TaskSupport = "forbidden",
        scopes: Sequence[str] = (),
    ) -> Callable[[F], F]: ...
    def tool(
        self,
        fn: F | None = None,
        /,
        *,
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        annotations: Mapping[str, Any] | None = None,
        icons: Sequence[Icon] = (),
        structured_output: bool | None = None,
        task: TaskSupport = "forbidden",
        scopes: Sequence[str] = (),
    ) -> F | Callable[[F], F]:
        """Declare a tool: its input schema comes from the parameters' type hints, its description
        from the docstring, its output schema from the return type (for structured results).
        ``scopes=[...]``: in OAuth mode only callers whose token has them may see and call it
        (others get HTTP 403 ``insufficient_scope``). ``task="optional"`` runs each call as a task when the client can take one (MCP 2026-07-28
        tasks extension), ``"required"`` refuses calls from clients that cannot; see
        :meth:`Context.run_as_task` to decide within the tool instead."""

        def register(fn: F) -> F:
            tool_name = name or fn.__name__
            if not _TOOL_NAME.match(tool_name):
                raise ValueError(f"tool name {tool_name!r}: use 1-128 letters, digits, '_', '-' or '.'")
            if tool_name in self._tools:
                raise ValueError(f"tool {tool_name!r} is declared twice")
            params = _parameters(fn, "tool")
            builder = SchemaBuilder()
            input_schema = builder.document(builder.object_schema(params.fields))
            mode, output_schema = _output(fn, structured_output, SchemaBuilder())
            info = ToolInfo(
                name=tool_name,
                title=title,
                description=description if description is not None else _doc(fn),
                input_schema=input_schema,
                output_schema=output_schema,
                annotations=dict(annotations) if annotations is not None else None,
                icons=tuple(icons),
            )
            if task not in ("forbidden", "optional", "required"):
                raise ValueError(
                    f"tool {tool_name!r}: task must be forbidden, optional or required, not {task!r}"
                )
            self._tools[tool_name] = _Tool(info, fn, params, mode, task, tuple(scopes))
            return fn

        return register(fn) if fn is not None else register

    def resource(
        self,
        uri: str,
        *,
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        mime_type: str | None = None,
        size: int | None = None,
        icons: Sequence[Icon] = (),
    ) -> Callable[[F], F]:
        """Declare a resource, or a resource template when ``uri`` has ``{variables}``: the function
        takes them as parameters and returns ``str`` (text), ``bytes`` (a blob), resource contents,
        or a JSON value."""

        def register(fn: F) -> F:
            params = _parameters(fn, "resource")
            mime = mime_type or _default_mime(fn)
            resource_name = name or fn.__name__
            doc = description if description is not None else _doc(fn)
            if "{" not in uri:
                if params.fields and any(d is MISSING for _, _, d, _ in params.fields):
                    raise TypeError(
                        f"resource `{fn.__name__}`: a resource without {{variables}} takes no arguments"
                    )
                if uri in self._resources:
                    raise ValueError(f"resource {uri!r} is declared twice")
                self._resources[uri] = _Resource(uri, mime, fn, params)
                self._resource_infos.append(
                    ResourceInfo(uri, resource_name, title, doc, mime, size, tuple(icons))
                )
                return fn
            pattern, variables = _template_pattern(uri)
            if sorted(variables) != sorted(n for n, _, _, _ in params.fields):
                raise TypeError(
                    f"resource template {uri!r}: the parameters of `{fn.__name__}` must be its variables "
                    f"({', '.join(variables)})"
                )
            if uri in self._templates:
                raise ValueError(f"resource template {uri!r} is declared twice")
            self._templates[uri] = _Resource(uri, mime, fn, params, pattern)
            self._template_infos.append(
                ResourceTemplateInfo(uri, resource_name, title, doc, mime, tuple(icons))
            )
            return fn

        return register

    @overload
    def prompt(self, fn: F, /) -> F: ...
    @overload
    def prompt(
        self,
        fn: None = None,
        /,
        *,
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        icons: Sequence[Icon] = (),
    ) -> Callable[[F], F]: ...
    def prompt(
        self,
        fn: F | None = None,
        /,
        *,
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        icons: Sequence[Icon] = (),
    ) -> F | Callable[[F], F]:
        """Declare a prompt: its arguments are the parameters (strings on the wire, converted to the
        hinted types); it returns a string (one user message), messages, or a :class:`PromptResult`."""

        def register(fn: F) -> F:
            prompt_name = name or fn.__name__
            if prompt_name in self._prompts:
                raise ValueError(f"prompt {prompt_name!r} is declared twice")
            params = _parameters(fn, "prompt")
            arguments = []
            for arg, _, default, _ in params.fields:
                arg_title, arg_description = params.description(arg)
                arguments.append(PromptArgument(arg, default is MISSING, arg_title, arg_description))
            doc = description if description is not None else _doc(fn)
            info = PromptInfo(prompt_name, title, doc, tuple(arguments), tuple(icons))
            self._prompts[prompt_name] = _Prompt(info, fn, params)
            return fn

        return register(fn) if fn is not None else register

    def completion(
        self, *, argument: str, prompt: str | None = None, resource_template: str | None = None
    ) -> Callable[[F], F]:
        """Declare how to complete a prompt argument or a resource template variable: the function
        takes the partial value (and, if it has a second parameter, the other arguments as a dict)
        and returns candidate strings or a :class:`Completion`."""
        if (prompt is None) == (resource_template is None):
            raise TypeError("completion: give exactly one of prompt= and resource_template=")
        key = (
            ("prompt", prompt, argument)
            if prompt is not None
            else ("resource-template", resource_template, argument)
        )

        def register(fn: F) -> F:
            params = _parameters(fn, "completion")
            if not 1 <= len(params.fields) <= 2:
                raise TypeError(
                    f"completion `{fn.__name__}`: takes the value, and optionally the other arguments"
                )
            self._completers[typing.cast(tuple[str, str, str], key)] = _Completer(fn, params)
            return fn

        return register

    # -- answering ---------------------------------------------------------------------------------

    def list_tools(self, ctx: Context | None = None) -> list[ToolInfo]:
        """The tools; in OAuth mode only those the caller's scopes allow (the others are hidden)."""
        scoped = ctx is not None and any(t.scopes for t in self._tools.values())
        caller = ctx.auth if ctx is not None and scoped else None
        return [t.info for t in self._tools.values() if caller is None or caller.has_scopes(*t.scopes)]

    def call_tool(
        self, name: str, arguments: str | Mapping[str, Any] | None = None, ctx: Context | None = None
    ) -> ToolResult | None:
        """Call a tool with JSON arguments (text or parsed); ``None`` if it is not one of ours.

        Bad arguments raise :class:`McpError` -32602; a tool that raises gives ``is_error`` results.
        """
        tool = self._tools.get(name)
        if tool is None:
            return None
        if isinstance(arguments, str):
            try:
                arguments = parse_json(arguments) if arguments.strip() else {}
            except ArgumentError as err:
                raise McpError(INVALID_PARAMS, f"Invalid arguments for tool {name}: {err}") from None
            except ValueError as err:
                raise McpError(
                    INVALID_PARAMS, f"Invalid arguments for tool {name}: not JSON ({err})"
                ) from None
        if arguments is None:
            arguments = {}
        if not isinstance(arguments, Mapping):
            raise McpError(INVALID_PARAMS, f"Invalid arguments for tool {name}: expected an object")
        return tool.call(arguments, ctx)

    def list_resources(self) -> list[ResourceInfo]:
        return list(self._resource_infos)

    def list_resource_templates(self) -> list[ResourceTemplateInfo]:
        return list(self._template_infos)

    def read_resource(self, uri: str, ctx: Context | None = None) -> list[ResourceContents] | None:
        """The contents of a resource, or of the first template matching ``uri``; ``None`` if none."""
        resource = self._resources.get(uri)
        if resource is not None:
            return resource.read(uri, ctx)
        for template in self._templates.values():
            contents = template.read(uri, ctx)
            if contents is not None:
                return contents
        return None

    def list_prompts(self) -> list[PromptInfo]:
        return [p.info for p in self._prompts.values()]

    def get_prompt(
        self,
        name: str,
        arguments: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        ctx: Context | None = None,
    ) -> PromptResult | None:
        prompt = self._prompts.get(name)
        if prompt is None:
            return None
        return prompt.get(dict(arguments or {}), ctx)

    def complete(
        self,
        ref: CompletionRef,
        argument: str,
        value: str,
        context: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        ctx: Context | None = None,
    ) -> Completion | None:
        """Complete ``argument`` of a prompt or resource template; ``None`` if neither is ours."""
        completer = self._completers.get((ref[0], ref[1], argument))
        if completer is None:
            ours = ref[1] in (self._prompts if ref[0] == "prompt" else self._templates)
            return Completion([]) if ours else None
        return completer.complete(value, dict(context or {}), ctx)
