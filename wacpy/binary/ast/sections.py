"""A component as a sequence of sections, and the sections themselves."""

from __future__ import annotations

from typing import Any

from attrs import evolve, field, frozen

from .aliases import Alias
from .canonicals import Canon
from .core_types import CoreType
from .exports import Export
from .imports import Import
from .instances import CoreInstance, Instance
from .names import NameSubsection
from .start import Start
from .types import DefType
from .values import Value

#: The component preamble: magic, version 0x0d, layer 1.
PREAMBLE = b"\x00asm\x0d\x00\x01\x00"
NAME_SECTION = "component-name"


def _size_width() -> Any:
    return field(default=0, eq=False, kw_only=True)


# Every section's ``source`` field holds the bytes it was decoded from (header included), which
# the writer emits as they are. It is no ``__init__`` argument, so a section built or changed with
# ``attrs.evolve`` has none and is encoded item by item: exact by construction, as the AST is
# immutable.


@frozen
class CoreModule:
    """A core module kept as a view of its bytes; ``binary.modules.module_info`` reads its
    interface on demand."""

    data: bytes | memoryview = field(hash=False)
    #: Where the module starts in the decoded file, for the offsets of errors found reading it.
    offset: int = field(default=0, eq=False, repr=False, kw_only=True)


@frozen
class CustomSection:
    name: str
    data: bytes | memoryview = field(hash=False)
    size_width: int = _size_width()
    source: memoryview | None = field(default=None, init=False, eq=False, repr=False)


@frozen
class NameSection:
    """The ``component-name`` custom section, decoded."""

    subsections: tuple[NameSubsection, ...]
    size_width: int = _size_width()
    source: memoryview | None = field(default=None, init=False, eq=False, repr=False)


@frozen
class CoreModuleSection:
    module: CoreModule
    size_width: int = _size_width()
    source: memoryview | None = field(default=None, init=False, eq=False, repr=False)


@frozen
class CoreInstanceSection:
    instances: tuple[CoreInstance, ...]
    size_width: int = _size_width()
    source: memoryview | None = field(default=None, init=False, eq=False, repr=False)


@frozen
class CoreTypeSection:
    types: tuple[CoreType, ...]
    size_width: int = _size_width()
    source: memoryview | None = field(default=None, init=False, eq=False, repr=False)


@frozen
class ComponentSection:
    """A nested component: decoded, or raw bytes embedded as they are (``Component | bytes``)."""

    component: Component | bytes | memoryview = field(hash=False)
    size_width: int = _size_width()
    source: memoryview | None = field(default=None, init=False, eq=False, repr=False)


@frozen
class InstanceSection:
    instances: tuple[Instance, ...]
    size_width: int = _size_width()
    source: memoryview | None = field(default=None, init=False, eq=False, repr=False)


@frozen
class AliasSection:
    aliases: tuple[Alias, ...]
    size_width: int = _size_width()
    source: memoryview | None = field(default=None, init=False, eq=False, repr=False)


@frozen
class TypeSection:
    types: tuple[DefType, ...]
    size_width: int = _size_width()
    source: memoryview | None = field(default=None, init=False, eq=False, repr=False)


@frozen
class CanonSection:
    functions: tuple[Canon, ...]
    size_width: int = _size_width()
    source: memoryview | None = field(default=None, init=False, eq=False, repr=False)


@frozen
class StartSection:
    start: Start
    size_width: int = _size_width()
    source: memoryview | None = field(default=None, init=False, eq=False, repr=False)


@frozen
class ImportSection:
    imports: tuple[Import, ...]
    size_width: int = _size_width()
    source: memoryview | None = field(default=None, init=False, eq=False, repr=False)


@frozen
class ExportSection:
    exports: tuple[Export, ...]
    size_width: int = _size_width()
    source: memoryview | None = field(default=None, init=False, eq=False, repr=False)


@frozen
class ValueSection:
    values: tuple[Value, ...]
    size_width: int = _size_width()
    source: memoryview | None = field(default=None, init=False, eq=False, repr=False)


Section = (
    CustomSection
    | NameSection
    | CoreModuleSection
    | CoreInstanceSection
    | CoreTypeSection
    | ComponentSection
    | InstanceSection
    | AliasSection
    | TypeSection
    | CanonSection
    | StartSection
    | ImportSection
    | ExportSection
    | ValueSection
)


@frozen
class Component:
    """A component: its sections in binary order."""

    sections: tuple[Section, ...]

    def imports(self) -> tuple[Import, ...]:
        """Every top-level import, in order."""
        return tuple(i for s in self.sections if isinstance(s, ImportSection) for i in s.imports)

    def exports(self) -> tuple[Export, ...]:
        """Every top-level export, in order."""
        return tuple(e for s in self.sections if isinstance(s, ExportSection) for e in s.exports)


def without_sources(component: Component) -> Component:
    """``component`` with sections that remember no input bytes (nested components too), so that
    ``encode`` writes every item anew: how tests and benchmarks exercise the writer on decoded input."""
    sections = tuple(
        evolve(s, component=without_sources(s.component))
        if isinstance(s, ComponentSection) and isinstance(s.component, Component)
        else evolve(s)
        for s in component.sections
    )
    return Component(sections)
