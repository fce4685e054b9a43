"""The request context a tool, resource or prompt function may ask for: talk to the client while working."""

from __future__ import annotations

import json
from typing import Any, Literal, Protocol

from ._errors import METHOD_NOT_FOUND, McpError
from ._schema import to_json

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

    def __init__(self, backend: ContextBackend | None = None) -> None:
        self._local: _LocalBackend | None = None
        if backend is None:
            self._local = backend = _LocalBackend()
        self._backend: ContextBackend = backend

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
        """Send any notification, e.g. ``notifications/tools/list_changed``."""
        self._backend.notify(method, None if params is None else _dumps(params))

    def request(self, method: str, params: Any) -> Any:
        """Ask the client (``sampling/createMessage``, ``elicitation/create``, ``roots/list``) and
        return its answer; raises :class:`McpError` with the client's error, or -32601 where the
        transport keeps no sessions."""
        return json.loads(self._backend.request(method, _dumps(params)))


class _LocalBackend:
    """Records notifications as the JSON-RPC messages a transport would send."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

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
