"""The errors a server raises: protocol errors with JSON-RPC codes, and tool failures."""

from __future__ import annotations

from typing import Any

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
RESOURCE_NOT_FOUND = -32002


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
