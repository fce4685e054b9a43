"""Writer for whole components; mirrors ``reader/components.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...errors import EncodeError
from ..ast.sections import (
    NAME_SECTION,
    PREAMBLE,
    AliasSection,
    CanonSection,
    Component,
    ComponentSection,
    CoreInstanceSection,
    CoreModuleSection,
    CoreTypeSection,
    CustomSection,
    ExportSection,
    ImportSection,
    InstanceSection,
    NameSection,
    Section,
    StartSection,
    TypeSection,
    ValueSection,
)
from ..section_ids import SectionId
from ._base import Writer
from .aliases import write_alias
from .canonicals import write_canon
from .core_types import write_core_type
from .exports import write_export
from .imports import write_import
from .instances import write_core_instance, write_instance
from .names import write_name_subsection
from .start import write_start
from .types import write_def_type
from .values import write_value

#: Sections holding ``vec(item)``: class -> (section id, attribute, item writer).
_VECTOR_SECTIONS: dict[type[Any], tuple[SectionId, str, Callable[[Writer, Any], None]]] = {
    CoreInstanceSection: (SectionId.CORE_INSTANCE, "instances", write_core_instance),
    CoreTypeSection: (SectionId.CORE_TYPE, "types", write_core_type),
    InstanceSection: (SectionId.INSTANCE, "instances", write_instance),
    AliasSection: (SectionId.ALIAS, "aliases", write_alias),
    TypeSection: (SectionId.TYPE, "types", write_def_type),
    CanonSection: (SectionId.CANON, "functions", write_canon),
    ImportSection: (SectionId.IMPORT, "imports", write_import),
    ExportSection: (SectionId.EXPORT, "exports", write_export),
    ValueSection: (SectionId.VALUE, "values", write_value),
}


Chunk = bytes | bytearray | memoryview


def _section_body(section: Section) -> tuple[SectionId, list[Chunk]]:
    vector = _VECTOR_SECTIONS.get(type(section))
    if vector is not None:
        section_id, attribute, write_item = vector
        body = Writer()
        body.vec(getattr(section, attribute), write_item)
        return section_id, [body.out]
    if isinstance(section, CoreModuleSection):
        return SectionId.CORE_MODULE, [section.module.data]
    if isinstance(section, ComponentSection):
        inner = section.component
        return SectionId.COMPONENT, _component_chunks(inner) if isinstance(inner, Component) else [inner]
    if isinstance(section, StartSection):
        body = Writer()
        write_start(body, section.start)
        return SectionId.START, [body.out]
    body = Writer()
    if isinstance(section, NameSection):
        body.name(NAME_SECTION)
        for subsection in section.subsections:
            write_name_subsection(body, subsection)
    elif isinstance(section, CustomSection):
        body.name(section.name)
        body.raw(section.data)
    else:
        raise EncodeError(f"not a section: {type(section).__name__}")
    return SectionId.CUSTOM, [body.out]


def section_header(section_id: SectionId, size: int, width: int) -> bytes:
    """A section id and its size (``width`` bytes; 0: minimal)."""
    if size < 0x80 and width <= 1:
        return bytes((section_id, size))
    if 0x80 <= size < 0x4000 and width <= 2:  # a minimal 2-byte size
        return bytes((section_id, (size & 0x7F) | 0x80, size >> 7))
    header = Writer()
    header.u8(section_id)
    header.length(size, width)
    return header.getvalue()


def section_chunks(section: Section) -> list[Chunk]:
    """One section as byte chunks (its header first), joined by the caller."""
    if section.source is not None:
        return [section.source]
    section_id, body = _section_body(section)
    size = len(body[0]) if len(body) == 1 else sum(map(len, body))
    return [section_header(section_id, size, section.size_width), *body]


def _component_chunks(component: Component) -> list[Chunk]:
    chunks: list[Chunk] = [PREAMBLE]
    for section in component.sections:
        if section.source is not None:  # decoded and unchanged: the bytes it was read from
            chunks.append(section.source)
            continue
        section_id, body = _section_body(section)
        size = len(body[0]) if len(body) == 1 else sum(map(len, body))
        chunks.append(section_header(section_id, size, section.size_width))
        chunks += body
    return chunks


def encode(component: Component) -> bytes:
    """Encode a component AST as a binary; ``encode(decode(b)) == b`` for every valid ``b``.

    Sections, nested components included, are gathered as chunks and joined once, so large core
    modules are copied exactly once. A section that was decoded (and so never changed: the AST is
    immutable) is written as the bytes it was read from.
    """
    return b"".join(_component_chunks(component))
