"""What one instance of a component needs from the runtime, and the wasmtime limits that fit it.

``wasmtime serve`` allocates instances from a pool whose limits are fixed when it starts: the
metadata of one component instance (``VMComponentContext`` plus every core instance's
``VMContext``, 1 MiB by default), one core instance's metadata (1 MiB), and totals of core
instances, memories and tables shared by all live instances (1,000 each). A composition of three
componentize-py components needs ~1.25 MB of metadata and is refused at start. :func:`runtime_needs`
counts what an instance holds by walking the component (nested components as often as they are
instantiated; core modules read for their item counts only), and :func:`pooling_options` turns
that into the ``-O pooling-*`` options that lift the limits it would exceed.

The byte sizes follow wasmtime 49's layout (measured: ``tests/test_runtime.py`` compares them with
the sizes wasmtime reports) and err on the large side; the limits only bound what an instance may
use, so a generous limit costs nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from attrs import frozen

from .binary import decode
from .binary.ast.aliases import ExportAlias, OuterAlias
from .binary.ast.canonicals import CanonLift, CanonLower
from .binary.ast.common import Sort
from .binary.ast.instances import CoreInstantiate, Instantiate
from .binary.ast.sections import (
    AliasSection,
    CanonSection,
    Component,
    ComponentSection,
    CoreInstanceSection,
    CoreModuleSection,
    ExportSection,
    ImportSection,
    InstanceSection,
)
from .binary.ast.types import ComponentExtern, ModuleExtern
from .binary.module_layout import ModuleLayout, read_module_layout

__all__ = ["WASMTIME_DEFAULTS", "RuntimeNeeds", "pooling_options", "runtime_needs"]

# Bytes of wasmtime's per-instance records (64-bit host), measured against wasmtime 49.
_CORE_INSTANCE_BASE = 176
_PER_ESCAPED_FUNCTION = 32
_PER_IMPORTED_FUNCTION = 64
_PER_OTHER_IMPORT = 32
_PER_DEFINED_MEMORY = 32
_PER_DEFINED_TABLE = 16
_PER_DEFINED_GLOBAL = 16
_PER_DEFINED_TAG = 16
_COMPONENT_BASE = 64
_PER_LOWERING = 48
_PER_LIFT = 8
_PER_BUILTIN = 32
_PER_CORE_INSTANCE_IN_COMPONENT = 16

#: wasmtime's pooling-allocator defaults for the limits :func:`pooling_options` may raise.
WASMTIME_DEFAULTS = {
    "pooling-max-component-instance-size": 1 << 20,
    "pooling-max-core-instance-size": 1 << 20,
    "pooling-total-core-instances": 1000,
    "pooling-total-memories": 1000,
    "pooling-total-tables": 1000,
}
#: Headroom on the byte estimates, for runtime versions that lay instances out differently.
_MARGIN = 1.25


def core_instance_bytes(layout: ModuleLayout) -> int:
    """The metadata one instance of a module with ``layout`` takes (rounded up to 16 bytes)."""
    size = (
        _CORE_INSTANCE_BASE
        + _PER_ESCAPED_FUNCTION * layout.escaped_functions
        + _PER_IMPORTED_FUNCTION * layout.imported_functions
        + _PER_OTHER_IMPORT
        * (layout.imported_tables + layout.imported_memories + layout.imported_globals + layout.imported_tags)
        + _PER_DEFINED_MEMORY * layout.defined_memories
        + _PER_DEFINED_TABLE * layout.defined_tables
        + _PER_DEFINED_GLOBAL * layout.defined_globals
        + _PER_DEFINED_TAG * layout.defined_tags
    )
    return -(-size // 16) * 16


@frozen
class RuntimeNeeds:
    """What one instance of a component holds: counts, and metadata sizes in bytes (estimates)."""

    core_instances: int
    memories: int
    tables: int
    #: The component-level metadata (``VMComponentContext``): lowerings, lifts, built-ins.
    component_bytes: int
    #: All core instances' metadata together.
    core_bytes: int
    #: The largest single core instance's metadata.
    largest_core_instance_bytes: int
    #: Instantiations of modules or components this walk could not see into (imported, or reached
    #: through an instance export); their needs are not counted.
    unknown_instantiations: int = 0

    @property
    def instance_bytes(self) -> int:
        """What the pooling allocator compares with ``pooling-max-component-instance-size``."""
        return self.component_bytes + self.core_bytes


@dataclass
class _Totals:
    core_instances: int = 0
    memories: int = 0
    tables: int = 0
    component_bytes: int = _COMPONENT_BASE
    core_bytes: int = 0
    largest: int = 0
    unknown: int = 0
    layouts: dict[int, ModuleLayout] = field(default_factory=dict)

    def instantiate_module(self, layout: ModuleLayout | None) -> None:
        self.core_instances += 1
        self.component_bytes += _PER_CORE_INSTANCE_IN_COMPONENT
        if layout is None:
            self.unknown += 1
            return
        size = core_instance_bytes(layout)
        self.core_bytes += size
        self.largest = max(self.largest, size)
        self.memories += layout.defined_memories
        self.tables += layout.defined_tables


#: An item of the core-module or component index space: known, or ``None`` (imported, or reached
#: through an instance export).
_Module = ModuleLayout | None
_Nested = Component | bytes | memoryview | None


@dataclass
class _Scope:
    modules: list[_Module] = field(default_factory=list)
    components: list[_Nested] = field(default_factory=list)
    parent: _Scope | None = None

    def outer(self, count: int) -> _Scope:
        scope = self
        for _ in range(count):
            assert scope.parent is not None, "outer alias checked by the decoder"
            scope = scope.parent
        return scope


def _module_layout(module: CoreModuleSection, totals: _Totals) -> ModuleLayout:
    key = id(module.module.data)
    layout = totals.layouts.get(key)
    if layout is None:
        layout = totals.layouts[key] = read_module_layout(module.module.data, module.module.offset)
    return layout


def _add_items(scope: _Scope, sort: Sort, module: _Module = None, component: _Nested = None) -> None:
    if sort is Sort.CORE_MODULE:
        scope.modules.append(module)
    elif sort is Sort.COMPONENT:
        scope.components.append(component)


def _aliases(scope: _Scope, section: AliasSection) -> None:
    for alias in section.aliases:
        if isinstance(alias, OuterAlias) and alias.sort in (Sort.CORE_MODULE, Sort.COMPONENT):
            target = scope.outer(alias.count)
            space: list[object] = target.modules if alias.sort is Sort.CORE_MODULE else target.components  # type: ignore[assignment]
            item = space[alias.index] if alias.index < len(space) else None
            _add_items(scope, alias.sort, item, item)  # type: ignore[arg-type]
        elif isinstance(alias, ExportAlias):
            _add_items(scope, alias.sort)


def _exports(scope: _Scope, section: ExportSection) -> None:
    for export in section.exports:
        sort, index = export.item.sort, export.item.index
        if sort is Sort.CORE_MODULE:
            scope.modules.append(scope.modules[index] if index < len(scope.modules) else None)
        elif sort is Sort.COMPONENT:
            scope.components.append(scope.components[index] if index < len(scope.components) else None)


def _imports(scope: _Scope, section: ImportSection) -> None:
    for imp in section.imports:
        if isinstance(imp.type, ModuleExtern):
            scope.modules.append(None)
        elif isinstance(imp.type, ComponentExtern):
            scope.components.append(None)


def _canons(totals: _Totals, section: CanonSection) -> None:
    for canon in section.functions:
        if isinstance(canon, CanonLower):
            totals.component_bytes += _PER_LOWERING
        elif isinstance(canon, CanonLift):
            totals.component_bytes += _PER_LIFT
        else:
            totals.component_bytes += _PER_BUILTIN


def _walk(component: Component, totals: _Totals, parent: _Scope | None) -> None:
    """Count one instantiation of ``component``: its core instances, and every nested component
    it instantiates (as often as it does)."""
    scope = _Scope(parent=parent)
    for section in component.sections:
        if isinstance(section, CoreModuleSection):
            scope.modules.append(_module_layout(section, totals))
        elif isinstance(section, ComponentSection):
            scope.components.append(section.component)
        elif isinstance(section, CoreInstanceSection):
            for core in section.instances:
                if isinstance(core, CoreInstantiate):
                    totals.instantiate_module(scope.modules[core.module])
        elif isinstance(section, InstanceSection):
            for instance in section.instances:
                if isinstance(instance, Instantiate):
                    _instantiate(scope.components[instance.component], totals, scope)
        elif isinstance(section, CanonSection):
            _canons(totals, section)
        elif isinstance(section, AliasSection):
            _aliases(scope, section)
        elif isinstance(section, ImportSection):
            _imports(scope, section)
        elif isinstance(section, ExportSection):
            _exports(scope, section)


def _instantiate(nested: _Nested, totals: _Totals, scope: _Scope) -> None:
    if nested is None:
        totals.unknown += 1
        return
    component = nested if isinstance(nested, Component) else decode(nested)
    _walk(component, totals, scope)


def runtime_needs(data: bytes | bytearray | memoryview | Component) -> RuntimeNeeds:
    """What one instance of the component in ``data`` holds.

    >>> needs = runtime_needs(bytes.fromhex("0061736d0d000100"))  # an empty component
    >>> needs.core_instances, needs.instance_bytes
    (0, 64)
    """
    component = data if isinstance(data, Component) else decode(data)
    totals = _Totals()
    _walk(component, totals, None)
    return RuntimeNeeds(
        core_instances=totals.core_instances,
        memories=totals.memories,
        tables=totals.tables,
        component_bytes=totals.component_bytes,
        core_bytes=totals.core_bytes,
        largest_core_instance_bytes=totals.largest,
        unknown_instantiations=totals.unknown,
    )


def _round_up_mib(size: float) -> int:
    mib = 1 << 20
    return math.ceil(size / mib) * mib


def _limits(needs: RuntimeNeeds, concurrency: int) -> Iterator[tuple[str, int]]:
    yield "pooling-max-component-instance-size", _round_up_mib(needs.instance_bytes * _MARGIN)
    yield "pooling-max-core-instance-size", _round_up_mib(needs.largest_core_instance_bytes * _MARGIN)
    yield "pooling-total-core-instances", needs.core_instances * concurrency
    yield "pooling-total-memories", needs.memories * concurrency
    yield "pooling-total-tables", needs.tables * concurrency


def pooling_options(needs: RuntimeNeeds, *, concurrency: int = 100) -> list[str]:
    """The ``-O`` options (``pooling-...=N``) that let ``wasmtime serve`` hold ``concurrency`` live
    instances of a component with ``needs``; empty when wasmtime's defaults already do.

    >>> pooling_options(RuntimeNeeds(92, 13, 25, 34_000, 2_120_000, 430_000))
    ['pooling-max-component-instance-size=3145728', 'pooling-total-core-instances=9200', \
'pooling-total-memories=1300', 'pooling-total-tables=2500']
    """
    return [f"{key}={value}" for key, value in _limits(needs, concurrency) if value > WASMTIME_DEFAULTS[key]]
