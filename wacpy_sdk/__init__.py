"""Write MCP tools, resources and prompts in Python; ``wacpy build`` makes them a component.

The guest SDK: a top-level package of pure Python without dependencies, importing nothing of the
host package ``wacpy`` (a test checks it), so it runs inside a componentize-py component as well as
in tests.

>>> from wacpy_sdk import Context, Server
>>> server = Server("weather")
>>> @server.tool
... def forecast(city: str, days: int = 3) -> str:
...     '''Forecast for a city.'''
...     return f"sunny in {city} for {days} days"
>>> server.call_tool("forecast", '{"city": "Oslo"}').content
[Text(text='sunny in Oslo for 3 days', annotations=None)]
"""

from ._content import (
    Annotations,
    Audio,
    BlobResourceContents,
    Completion,
    ContentBlock,
    EmbeddedResource,
    Icon,
    Image,
    Message,
    PromptArgument,
    PromptInfo,
    PromptResult,
    ResourceContents,
    ResourceInfo,
    ResourceLink,
    ResourceTemplateInfo,
    Text,
    TextResourceContents,
    ToolInfo,
    ToolResult,
)
from ._context import Caller, Context, ContextBackend, Elicitation, Listing, LogLevel, Root, Sampled
from ._errors import InputRequired, McpError, ToolError
from ._schema import ArgumentError, Field, json_schema
from ._server import Server
from ._session import Session

__all__ = [
    "Annotations",
    "ArgumentError",
    "Audio",
    "BlobResourceContents",
    "Caller",
    "Completion",
    "ContentBlock",
    "Context",
    "ContextBackend",
    "Elicitation",
    "EmbeddedResource",
    "Field",
    "Icon",
    "Image",
    "InputRequired",
    "Listing",
    "LogLevel",
    "McpError",
    "Message",
    "PromptArgument",
    "PromptInfo",
    "PromptResult",
    "ResourceContents",
    "ResourceInfo",
    "ResourceLink",
    "ResourceTemplateInfo",
    "Server",
    "Text",
    "TextResourceContents",
    "Root",
    "Sampled",
    "Session",
    "ToolError",
    "ToolInfo",
    "ToolResult",
    "json_schema",
]
