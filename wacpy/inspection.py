"""A summary of a component binary: its sections with offsets, and its imports and exports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import asdict, field, frozen

from .binary.ast import (
    Component,
    CustomSection,
    NameSection,
    Section,
)
from .binary.ast.common import Sort
from .binary.ast.names import SortNamesSubsection
from .binary.reader._base import Reader
from .binary.reader.components import read_preamble, read_section
from .binary.section_ids import SectionId
from .compose.dedup import shared_modules
from .types.model import ExternT
from .types.resolve import component_type
from .types.wit_text import describe_extern, extern_json, render_extern


@frozen
class SectionSummary:
    id: SectionId
    kind: str
    offset: int
    size: int
    items: int | None
    name: str | None = None


@frozen
class ItemSummary:
    name: str
    kind: str
    type: dict[str, object] = field(eq=False)
    wit: tuple[str, ...] = field(eq=False)


@frozen
class SharedModuleSummary:
    """A core module stored once and used by several nested components (``wacpy compose``'s
    module dedup): its outer index, size, and the names (or indices) of those components."""

    index: int
    size: int
    sha256: str
    users: tuple[str, ...]


@frozen
class ComponentSummary:
    size: int
    sections: tuple[SectionSummary, ...]
    imports: tuple[ItemSummary, ...]
    exports: tuple[ItemSummary, ...]
    shared_modules: tuple[SharedModuleSummary, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self, recurse=True, filter=lambda a, _: a.name != "wit")


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


def _items(items: Mapping[str, ExternT]) -> tuple[ItemSummary, ...]:
    return tuple(
        ItemSummary(
            name,
            describe_extern(t).split("(")[0].split(" ")[0],
            extern_json(t),
            tuple(render_extern(name, t)),
        )
        for name, t in items.items()
    )


def summarize(data: bytes | memoryview) -> ComponentSummary:
    """Decode ``data`` and summarize it; raises :class:`wacpy.DecodeError` on malformed input.

    Tens of thousands of AST nodes and no cycles: callers may pause the cycle collector around
    it (``wacpy.tuning.gc_paused``), as ``wacpy inspect`` does.
    """
    r = Reader(memoryview(data))
    read_preamble(r)
    sections: list[SectionSummary] = []
    all_sections: list[Section] = []
    while not r.at_end():
        start = r.pos
        section_id, section = read_section(r)
        assert section is not None  # the default read options skip nothing
        sections.append(
            SectionSummary(
                section_id,
                section_id.label,
                start,
                r.pos - start,
                _item_count(section),
                _section_name(section),
            )
        )
        all_sections.append(section)
    component = Component(tuple(all_sections))
    ctype = component_type(component)
    return ComponentSummary(
        len(data), tuple(sections), _items(ctype.imports), _items(ctype.exports), _shared(component)
    )


def _component_names(component: Component) -> dict[int, str]:
    return {
        assoc.index: assoc.name
        for section in component.sections
        if isinstance(section, NameSection)
        for sub in section.subsections
        if isinstance(sub, SortNamesSubsection) and sub.sort is Sort.COMPONENT
        for assoc in sub.names
    }


def _shared(component: Component) -> tuple[SharedModuleSummary, ...]:
    names = _component_names(component)
    return tuple(
        SharedModuleSummary(m.index, m.size, m.digest, tuple(names.get(u, f"component {u}") for u in m.users))
        for m in shared_modules(component)
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
        lines += [f"  {line}" for e in entries for line in e.wit] or ["  (none)"]
    if summary.shared_modules:
        total = sum(m.size * (len(m.users) - 1) for m in summary.shared_modules)
        lines += ["", f"shared core modules (stored once, {total} bytes saved):"]
        lines += [
            f"  core module {m.index}: {m.size} bytes, used by {', '.join(m.users)}"
            for m in summary.shared_modules
        ]
    return "\n".join(lines)
