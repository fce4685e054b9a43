"""The request context a tool, resource or prompt function may ask for: talk to the client while working."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ._content import Role
from ._errors import METHOD_NOT_FOUND, McpError
from ._schema import to_json
from ._session import Kind, LocalSession, Session, SessionBackend, Stored

LogLevel = Literal["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]
LOG_LEVELS: tuple[LogLevel, ...] = (
    "debug",
    "info",
    "notice",
    "warning",
    "error",
    "critical",
    "alert",
    "emergency",
)
DEFAULT_PROTOCOL = "2025-11-25"
#: The lists whose changes a server announces.
Listing = Literal["tools", "resources", "prompts"]
LISTINGS: tuple[Listing, ...] = ("tools", "resources", "prompts")


class ContextBackend(Protocol):
    """What a :class:`Context` needs from its host; JSON travels as text."""

    def protocol_version(self) -> str: ...
    def session_id(self) -> str | None: ...
    def log(self, level: LogLevel, logger: str | None, data: str) -> None: ...
    def progress(self, progress: float, total: float | None, message: str | None) -> None: ...
    def notify(self, method: str, params: str | None) -> None: ...
    def request(self, method: str, params: str) -> str:
        """The client's answer as JSON text; raises :class:`McpError` with the client's error."""
        ...

    def session_get(self, key: str) -> Stored | None: ...
    def session_set(self, key: str, kind: Kind, value: Any) -> None: ...
    def session_delete(self, key: str) -> None: ...
    def session_keys(self, prefix: str) -> list[str]: ...
    def close_stream(self) -> None: ...
    def run_as_task(self, required: bool) -> bool: ...
    def cache_hint(self, ttl_ms: int, shared: bool) -> None: ...
    def caller(self) -> tuple[str, list[str], str] | None:
        """(subject, scopes, claims as JSON text), or None in public mode."""
        ...

    def resource_updated(self, uri: str) -> None: ...
    def list_changed(self, which: Listing) -> None: ...


@dataclass(frozen=True)
class Caller:
    """Who sent the request, in OAuth mode: the verified token's ``sub``, scopes and claims."""

    subject: str
    scopes: tuple[str, ...]
    claims: dict[str, Any]

    def has_scopes(self, *needed: str) -> bool:
        """Whether the token carries every scope in ``needed``."""
        return all(scope in self.scopes for scope in needed)


@dataclass(frozen=True)
class Elicitation:
    """The user's answer to :meth:`Context.elicit`: ``accept`` (with ``content``), ``decline`` or
    ``cancel``. Declining is an answer, not an error."""

    action: Literal["accept", "decline", "cancel"]
    content: Mapping[str, Any] | None = None

    @property
    def accepted(self) -> bool:
        return self.action == "accept"


@dataclass(frozen=True)
class Sampled:
    """The client's answer to :meth:`Context.sample`: one message from a model. ``content`` is
    the content block as JSON (``{"type": "text", "text": ...}``); :attr:`text` its text."""

    role: Role
    content: Mapping[str, Any]
    model: str
    stop_reason: str | None = None

    @property
    def text(self) -> str | None:
        text = self.content.get("text")
        return text if isinstance(text, str) else None


@dataclass(frozen=True)
class Root:
    """A root the client exposes (``roots/list``): a ``file://`` URI and an optional name."""

    uri: str
    name: str | None = None


def _object(answer: Any, method: str) -> Mapping[str, Any]:
    if not isinstance(answer, dict):
        raise McpError(-32603, f"the client answered {method} with {type(answer).__name__}, not an object")
    return answer


def _dumps(value: Any) -> str:
    return json.dumps(to_json(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class Context:
    """The context of one request: logging, progress, notifications and requests to the client.

    Declare a parameter of this type and the server passes it in (it is left out of the schema).
    Made without a backend, it is a local context for tests: it records what it would send in
    :attr:`sent` and answers :meth:`request` with -32601.

    >>> ctx = Context()
    >>> ctx.info({"step": 1})
    >>> ctx.sent
    [{'method': 'notifications/message', 'params': {'level': 'info', 'data': {'step': 1}}}]
    """

    def __init__(
        self, backend: ContextBackend | None = None, *, namespace: str = "local", auth: Caller | None = None
    ) -> None:
        """``auth``: who a local context says is calling (to test tools with scopes)."""
        self._local: _LocalBackend | None = None
        if backend is None:
            self._local = backend = _LocalBackend()
            if auth is not None:
                backend.as_caller = (auth.subject, list(auth.scopes), json.dumps(auth.claims))
        self._backend: ContextBackend = backend
        self._namespace = namespace

    @property
    def session(self) -> Session:
        """This component's values in the client's session (see :class:`Session`); its
        ``shared`` attribute holds those of the whole server. On a server without sessions,
        reading or writing raises :class:`McpError`."""
        backend: SessionBackend = self._backend
        return Session(backend, self._namespace)

    @property
    def protocol_version(self) -> str:
        """The protocol version negotiated with the client."""
        return self._backend.protocol_version()

    @property
    def session_id(self) -> str | None:
        """The session of the request, when the transport keeps sessions."""
        return self._backend.session_id()

    @property
    def sent(self) -> list[dict[str, Any]]:
        """The notifications a local context recorded (always empty for a real one)."""
        return self._local.sent if self._local is not None else []

    @property
    def auth(self) -> Caller | None:
        """Who is calling, when the server runs in OAuth mode (``WACPY_AUTH_MODE=oauth``) and the
        request's token verified; ``None`` in public mode, where anyone may call."""
        given = self._backend.caller()
        if given is None:
            return None
        subject, scopes, claims = given
        parsed = json.loads(claims) if claims else {}
        return Caller(subject, tuple(scopes), parsed if isinstance(parsed, dict) else {})

    @property
    def cache_hints(self) -> list[tuple[int, bool]]:
        """The caching hints (ttl in ms, shared) a local context recorded (empty for a real one)."""
        return self._local.hints if self._local is not None else []

    def log(self, level: LogLevel, data: Any, *, logger: str | None = None) -> None:
        """Send a log message (any JSON value) if the client asked for ``level`` or lower."""
        if level not in LOG_LEVELS:
            raise ValueError(f"unknown log level {level!r} (one of {', '.join(LOG_LEVELS)})")
        self._backend.log(level, logger, _dumps(data))

    def debug(self, data: Any, *, logger: str | None = None) -> None:
        self.log("debug", data, logger=logger)

    def info(self, data: Any, *, logger: str | None = None) -> None:
        self.log("info", data, logger=logger)

    def warning(self, data: Any, *, logger: str | None = None) -> None:
        self.log("warning", data, logger=logger)

    def error(self, data: Any, *, logger: str | None = None) -> None:
        self.log("error", data, logger=logger)

    def progress(self, progress: float, total: float | None = None, message: str | None = None) -> None:
        """Report progress (sent only when the client asked for it with a progress token)."""
        self._backend.progress(float(progress), None if total is None else float(total), message)

    def notify(self, method: str, params: Any = None) -> None:
        """Send any notification on this request's stream."""
        self._backend.notify(method, None if params is None else _dumps(params))

    def resource_updated(self, uri: str) -> None:
        """Tell every session subscribed to ``uri`` that the resource changed; each gets
        ``notifications/resources/updated`` on its ``GET /mcp`` stream."""
        self._backend.resource_updated(uri)

    def list_changed(self, which: Listing) -> None:
        """Tell every session that the server's tools, resources or prompts changed
        (``notifications/<which>/list_changed``; on stdio, to the one client at once)."""
        if which not in LISTINGS:
            raise ValueError(f"list_changed: {which!r} is not one of {', '.join(LISTINGS)}")
        self._backend.list_changed(which)

    def close_stream(self) -> None:
        """End this request's SSE stream now (SEP-1699): the client reconnects with
        ``Last-Event-ID`` and gets what the request sends afterwards, its answer too. Frees the
        client's connection during a long call; does nothing without a session."""
        self._backend.close_stream()

    def cache_hint(self, ttl_ms: int, *, shared: bool = False) -> None:
        """Say how long the client may reuse the list or resource this request answers
        (``ttlMs``, MCP 2026-07-28) and whether it may share it between users (``shared``:
        ``cacheScope: "public"``). The server merges every component's hints: the smallest TTL
        and a private one win; without any the result is stale at once and private."""
        if ttl_ms < 0:
            raise ValueError(f"ttl_ms must be >= 0, not {ttl_ms}")
        self._backend.cache_hint(ttl_ms, shared)

    def run_as_task(self, *, required: bool = False) -> bool:
        """Go on as a task (MCP 2026-07-28 tasks extension): the client gets a ``CreateTaskResult``
        now and fetches what this tool returns later with ``tasks/get``. ``True`` when the call is
        a task from here on; ``False`` when it cannot be one (the client did not declare the
        extension, no store is composed, or another revision): then it simply goes on. With
        ``required``, that case raises :class:`McpError` (-32021 naming the extension). Questions
        asked after it (``elicit``, ...) park the task in ``input_required`` until the client
        answers with ``tasks/update``; the tool then runs again from the start with the answers."""
        return self._backend.run_as_task(required)

    def request(self, method: str, params: Any, *, key: str | None = None) -> Any:
        """Ask the client (``sampling/createMessage``, ``elicitation/create``, ``roots/list``) and
        return its answer; raises :class:`McpError` with the client's error, or -32601 where the
        transport keeps no sessions.

        In a 2025 session the call waits for the answer. A 2026-07-28 client is asked by the
        answer itself (``InputRequiredResult``, SEP-2322): the call raises :class:`InputRequired`,
        the client retries the whole request with its answers, and on the retry the same call
        returns the answer. ``key`` names the answer in ``inputRequests`` (default ``input-<n>``
        for the n-th request of the run, which is stable while the tool asks in the same order)."""
        if key is not None:
            given = dict(params)
            given["_meta"] = {**dict(given.get("_meta") or {}), "wacpy/input-key": key}
            params = given
        return json.loads(self._backend.request(method, _dumps(params)))

    def elicit(self, message: str, schema: Mapping[str, Any], *, key: str | None = None) -> Elicitation:
        """Ask the user to fill in a form (``elicitation/create``, form mode). ``schema`` is the
        requested JSON Schema: an object of flat properties (strings, numbers, booleans, enums),
        or just its ``properties``."""
        requested = (
            dict(schema) if schema.get("type") == "object" else {"type": "object", "properties": dict(schema)}
        )
        return self._elicitation({"message": message, "requestedSchema": requested}, key)

    def elicit_url(
        self, message: str, url: str, elicitation_id: str, *, key: str | None = None
    ) -> Elicitation:
        """Ask the user to visit ``url`` (``elicitation/create``, URL mode, 2025-11-25)."""
        return self._elicitation(
            {"mode": "url", "message": message, "url": url, "elicitationId": elicitation_id}, key
        )

    def _elicitation(self, params: dict[str, Any], key: str | None) -> Elicitation:
        answer = _object(self.request("elicitation/create", params, key=key), "elicitation/create")
        action = answer.get("action")
        if action not in ("accept", "decline", "cancel"):
            raise McpError(-32603, f"the client answered elicitation/create with action {action!r}")
        content = answer.get("content")
        return Elicitation(action, content if isinstance(content, dict) else None)

    def sample(
        self,
        messages: str | Sequence[str | Mapping[str, Any]],
        *,
        max_tokens: int = 1000,
        system_prompt: str | None = None,
        temperature: float | None = None,
        stop_sequences: Sequence[str] = (),
        model_preferences: Mapping[str, Any] | None = None,
        key: str | None = None,
    ) -> Sampled:
        """Ask the client's model for a message (``sampling/createMessage``). A message given as
        text is the user's."""
        items = [messages] if isinstance(messages, str) else list(messages)
        wire = [
            {"role": "user", "content": {"type": "text", "text": m}} if isinstance(m, str) else dict(m)
            for m in items
        ]
        params: dict[str, Any] = {"messages": wire, "maxTokens": max_tokens}
        for key, value in (
            ("systemPrompt", system_prompt),
            ("temperature", temperature),
            ("stopSequences", list(stop_sequences) or None),
            ("modelPreferences", None if model_preferences is None else dict(model_preferences)),
        ):
            if value is not None:
                params[key] = value
        answer = _object(self.request("sampling/createMessage", params, key=key), "sampling/createMessage")
        content = answer.get("content")
        role = answer.get("role")
        return Sampled(
            role if role in ("user", "assistant") else "assistant",
            content if isinstance(content, dict) else {},
            str(answer.get("model", "")),
            answer.get("stopReason") if isinstance(answer.get("stopReason"), str) else None,
        )

    def roots(self, *, key: str | None = None) -> list[Root]:
        """The client's roots (``roots/list``)."""
        answer = _object(self.request("roots/list", {}, key=key), "roots/list")
        found = answer.get("roots")
        return [
            Root(str(r["uri"]), r.get("name") if isinstance(r.get("name"), str) else None)
            for r in (found if isinstance(found, list) else [])
            if isinstance(r, dict) and "uri" in r
        ]


class _LocalBackend(LocalSession):
    """Records notifications as the JSON-RPC messages a transport would send; keeps session
    values in a dict."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[dict[str, Any]] = []
        self.stream_closed = False
        self.hints: list[tuple[int, bool]] = []
        #: what :attr:`Context.auth` gives locally: set it to test a tool's scopes
        self.as_caller: tuple[str, list[str], str] | None = None

    def protocol_version(self) -> str:
        return DEFAULT_PROTOCOL

    def session_id(self) -> str | None:
        return None

    def log(self, level: LogLevel, logger: str | None, data: str) -> None:
        params: dict[str, Any] = {"level": level}
        if logger is not None:
            params["logger"] = logger
        params["data"] = json.loads(data)
        self.sent.append({"method": "notifications/message", "params": params})

    def progress(self, progress: float, total: float | None, message: str | None) -> None:
        params: dict[str, Any] = {"progress": progress}
        if total is not None:
            params["total"] = total
        if message is not None:
            params["message"] = message
        self.sent.append({"method": "notifications/progress", "params": params})

    def notify(self, method: str, params: str | None) -> None:
        self.sent.append({"method": method, **({} if params is None else {"params": json.loads(params)})})

    def request(self, method: str, params: str) -> str:
        raise McpError(METHOD_NOT_FOUND, f"a local context cannot send {method} to a client")

    def close_stream(self) -> None:
        self.stream_closed = True

    def cache_hint(self, ttl_ms: int, shared: bool) -> None:
        self.hints.append((ttl_ms, shared))

    def caller(self) -> tuple[str, list[str], str] | None:
        return self.as_caller

    def run_as_task(self, required: bool) -> bool:
        if required:
            raise McpError(-32021, "a local context cannot run a tool as a task")
        return False

    def resource_updated(self, uri: str) -> None:
        self.sent.append({"method": "notifications/resources/updated", "params": {"uri": uri}})

    def list_changed(self, which: Listing) -> None:
        self.sent.append({"method": f"notifications/{which}/list_changed"})
