"""What tools, resources and prompts return: content blocks, resource contents, messages, results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Annotations:
    """Who a content block is for and how much it matters (MCP ``Annotations``)."""

    audience: Sequence[Role] = ()
    priority: float | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Icon:
    """An icon clients may show beside a tool, resource or prompt."""

    src: str
    mime_type: str | None = None
    sizes: Sequence[str] = ()


@dataclass(frozen=True)
class Text:
    """A text content block."""

    text: str
    annotations: Annotations | None = None


@dataclass(frozen=True)
class Image:
    """An image content block: raw bytes (base64 on the wire) and their MIME type."""

    data: bytes
    mime_type: str = "image/png"
    annotations: Annotations | None = None


@dataclass(frozen=True)
class Audio:
    """An audio content block: raw bytes (base64 on the wire) and their MIME type."""

    data: bytes
    mime_type: str = "audio/wav"
    annotations: Annotations | None = None


@dataclass(frozen=True)
class ResourceLink:
    """A link to a resource the client can read."""

    uri: str
    name: str
    title: str | None = None
    description: str | None = None
    mime_type: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class TextResourceContents:
    """The contents of a text resource."""

    uri: str
    text: str
    mime_type: str | None = None


@dataclass(frozen=True)
class BlobResourceContents:
    """The contents of a binary resource (base64 on the wire)."""

    uri: str
    blob: bytes
    mime_type: str | None = None


ResourceContents = TextResourceContents | BlobResourceContents


@dataclass(frozen=True)
class EmbeddedResource:
    """A content block carrying a resource's contents."""

    resource: ResourceContents
    annotations: Annotations | None = None


ContentBlock = Text | Image | Audio | ResourceLink | EmbeddedResource
CONTENT_TYPES = (Text, Image, Audio, ResourceLink, EmbeddedResource)


@dataclass(frozen=True)
class ToolResult:
    """A tool result spelled out: content blocks, structured content, and whether the tool failed.

    Return one from a tool to control every field; plain return values are converted for you.
    """

    content: Sequence[ContentBlock] = ()
    structured_content: Any = None
    is_error: bool = False


@dataclass(frozen=True)
class Message:
    """One message of a prompt; a string becomes a text block."""

    content: ContentBlock | str
    role: Role = "user"


@dataclass(frozen=True)
class PromptResult:
    """What ``prompts/get`` answers."""

    messages: Sequence[Message]
    description: str | None = None


@dataclass(frozen=True)
class Completion:
    """Completion values for a prompt argument or a resource template variable."""

    values: Sequence[str]
    total: int | None = None
    has_more: bool = False


@dataclass(frozen=True)
class ToolInfo:
    """A tool as ``tools/list`` describes it; the schemas are JSON values."""

    name: str
    description: str | None
    input_schema: dict[str, Any]
    title: str | None = None
    output_schema: dict[str, Any] | None = None
    annotations: dict[str, Any] | None = None
    icons: Sequence[Icon] = ()


@dataclass(frozen=True)
class ResourceInfo:
    """A resource as ``resources/list`` describes it."""

    uri: str
    name: str
    title: str | None = None
    description: str | None = None
    mime_type: str | None = None
    size: int | None = None
    icons: Sequence[Icon] = ()


@dataclass(frozen=True)
class ResourceTemplateInfo:
    """A resource template as ``resources/templates/list`` describes it."""

    uri_template: str
    name: str
    title: str | None = None
    description: str | None = None
    mime_type: str | None = None
    icons: Sequence[Icon] = ()


@dataclass(frozen=True)
class PromptArgument:
    """One argument of a prompt."""

    name: str
    required: bool
    title: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class PromptInfo:
    """A prompt as ``prompts/list`` describes it."""

    name: str
    title: str | None = None
    description: str | None = None
    arguments: Sequence[PromptArgument] = ()
    icons: Sequence[Icon] = field(default=())
