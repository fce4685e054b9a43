"""The errors a server raises: protocol errors with JSON-RPC codes, and tool failures."""

from __future__ import annotations

from typing import Any

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
RESOURCE_NOT_FOUND = -32002
#: Not on the wire: the context's answer to a request a 2026-07-28 client must be asked first.
INPUT_REQUIRED = -32090
#: A tool the caller's token lacks scopes for (OAuth mode): the transport answers HTTP 403.
INSUFFICIENT_SCOPE = -32092


class McpError(Exception):
    """A JSON-RPC error the client receives as is: ``code``, ``message`` and optional JSON ``data``.

    >>> McpError(-32602, "Unknown city", {"city": "Atlantis"}).code
    -32602
    """

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


class ToolError(Exception):
    """Raised by a tool that failed on its own terms: the model sees the message as an error result.

    Any other exception a tool raises is reported the same way, prefixed with its class name.
    """


class InputRequired(BaseException):
    """Raised by :meth:`Context.request` (and ``elicit``, ``sample``, ``roots``) when the client
    speaks MCP 2026-07-28 and has not answered yet: the server answers ``InputRequiredResult`` and
    the client retries the request with the answer, which the same call then returns (SEP-2322).

    A ``BaseException``, so a tool's ``except Exception`` does not swallow it; let it propagate.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
