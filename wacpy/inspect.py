"""A summary of a component binary: its sections with offsets, and its imports and exports."""

from __future__ import annotations

from typing import Any

from attrs import asdict, frozen

from .binary.ast import (
    ComponentExtern,
    CustomSection,
    Export,
    ExternType,
    FuncExtern,
    Import,
    InstanceExtern,
    ModuleExtern,
    NameSection,
    Section,
    Sort,
    TypeExtern,
    ValueExtern,
)
from .binary.reader._base import Reader
from .binary.reader.components import read_preamble, read_section

_SECTION_KINDS = {
    0: "custom",
    1: "core module",
    2: "core instance",
    3: "core type",
    4: "component",
    5: "instance",
    6: "alias",
    7: "type",
    8: "canon",
    9: "start",
    10: "import",
    11: "export",
    12: "value",
}
_EXTERN_KINDS: dict[type[Any], str] = {
    ModuleExtern: "core module",
    FuncExtern: "func",
    ValueExtern: "value",
    TypeExtern: "type",
    ComponentExtern: "component",
    InstanceExtern: "instance",
}
_SORT_KINDS = {
    Sort.CORE_MODULE: "core module",
    Sort.FUNC: "func",
    Sort.VALUE: "value",
    Sort.TYPE: "type",
    Sort.COMPONENT: "component",
    Sort.INSTANCE: "instance",
}


@frozen
class SectionSummary:
    id: int
    kind: str
    offset: int
    size: int
    items: int | None
    name: str | None = None


@frozen
class ItemSummary:
    name: str
    kind: str


@frozen
class ComponentSummary:
    size: int
    sections: tuple[SectionSummary, ...]
    imports: tuple[ItemSummary, ...]
    exports: tuple[ItemSummary, ...]

    def to_json(self) -> dict[str, Any]:
        return asdict(self, recurse=True)


def extern_kind(extern: ExternType) -> str:
    """``func``, ``instance``, ... for an import's or export's declared type."""
    return _EXTERN_KINDS[type(extern)]


def _item_count(section: Section) -> int | None:
    for attribute in ("types", "instances", "aliases", "functions", "imports", "exports", "values"):
        items = getattr(section, attribute, None)
        if isinstance(items, tuple):
            return len(items)
    return None


def _section_name(section: Section) -> str | None:
    if isinstance(section, CustomSection):
        return section.name
    if isinstance(section, NameSection):
        return "component-name"
    return None


def summarize(data: bytes | memoryview) -> ComponentSummary:
    """Decode ``data`` and summarize it; raises :class:`wacpy.DecodeError` on malformed input."""
    r = Reader(memoryview(data))
    read_preamble(r)
    sections: list[SectionSummary] = []
    imports: list[Import] = []
    exports: list[Export] = []
    while not r.at_end():
        start = r.pos
        section_id, section = read_section(r)
        sections.append(
            SectionSummary(
                section_id,
                _SECTION_KINDS[section_id],
                start,
                r.pos - start,
                _item_count(section),
                _section_name(section),
            )
        )
        imports.extend(getattr(section, "imports", ()))
        exports.extend(getattr(section, "exports", ()))
    return ComponentSummary(
        size=len(data),
        sections=tuple(sections),
        imports=tuple(ItemSummary(i.name.name, extern_kind(i.type)) for i in imports),
        exports=tuple(ItemSummary(e.name.name, _SORT_KINDS.get(e.item.sort, "core")) for e in exports),
    )


def format_summary(summary: ComponentSummary) -> str:
    """Human-readable text for ``wacpy inspect``."""
    lines = [
        f"component: {summary.size} bytes, {len(summary.sections)} sections",
        "",
        "sections:",
        f"  {'offset':>10}  {'bytes':>9}  {'kind':<14} items",
    ]
    for s in summary.sections:
        items = "" if s.items is None else str(s.items)
        label = f"{s.kind} {s.name!r}" if s.name else s.kind
        lines.append(f"  {s.offset:>#10x}  {s.size:>9}  {label:<14} {items}".rstrip())
    for title, entries in (("imports", summary.imports), ("exports", summary.exports)):
        lines += ["", f"{title}:"]
        lines += [f"  {e.kind:<12} {e.name}" for e in entries] or ["  (none)"]
    return "\n".join(lines)
