"""Identical core modules stored once: a pass over a composed component.

A composition embeds each component verbatim, so components built by the same toolchain carry the
same core modules again and again (every componentize-py component has its own 6 MB libpython,
libc, the WASI adapter and shims, 7.1 MB in all). :func:`dedup_modules` keeps one copy: a core
module defined, byte for byte, more than once among the composition's nested components (or
defined by the outer component and again inside one) is defined once in the outer component, and
each nested component that had it refers to that definition with an outer alias,
``(alias outer 1 N (core module))``, in the place of its own definition.

Why an outer alias and not a core-module import given by each instantiation: the alias needs no
module type (an import must declare the module's whole type; componentize-py's libpython and libc
have ~3,000 imports and exports, ~145 KB of glue per component), it leaves the nested component's
type as it was (so a component that is exported, or instantiated from elsewhere, stays valid),
and wasmtime compiles the one definition once. Nothing is renumbered: the alias takes the place of
the definition it replaces, so every core module index inside the nested component stays; the
outer component's new definitions go after its own core modules, before the first nested
component that refers to them. Where that would move an outer index (the outer component defines
or imports core modules after that point), only modules the outer component already defines are
shared, so the result is always a valid composition of the same behaviour.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from attrs import evolve, frozen

from ..binary import decode, encode
from ..binary.ast.aliases import OuterAlias
from ..binary.ast.common import Sort
from ..binary.ast.sections import (
    AliasSection,
    Component,
    ComponentSection,
    CoreModuleSection,
    CoreTypeSection,
    ExportSection,
    ImportSection,
    Section,
)
from ..binary.ast.types import ComponentExtern, ModuleExtern
from .options import WasmToolsValidator

__all__ = ["SharedModule", "dedup_binary", "dedup_modules", "shared_modules"]


@frozen
class SharedModule:
    """A core module of the outer component that nested components refer to: its index in the
    outer core module space, its size, digest, and the outer indices of those components."""

    index: int
    size: int
    digest: str
    users: tuple[int, ...]


def _digest(module: CoreModuleSection) -> str:
    return hashlib.sha256(module.module.data).hexdigest()


def _nested(section: ComponentSection) -> Component:
    inner = section.component
    return inner if isinstance(inner, Component) else decode(bytes(inner))


# --------------------------------------------------------------------------------------------------
# Index spaces


def _adds(section: Section, sort: Sort) -> int:
    """How many items of ``sort`` the section adds to its component's index space."""
    if sort is Sort.CORE_MODULE and isinstance(section, CoreModuleSection):
        return 1
    if sort is Sort.COMPONENT and isinstance(section, ComponentSection):
        return 1
    if sort is Sort.CORE_TYPE and isinstance(section, CoreTypeSection):
        return len(section.types)
    if isinstance(section, ImportSection):
        extern = {Sort.CORE_MODULE: ModuleExtern, Sort.COMPONENT: ComponentExtern}.get(sort)
        return sum(1 for imp in section.imports if extern is not None and isinstance(imp.type, extern))
    if isinstance(section, AliasSection):
        return sum(1 for alias in section.aliases if alias.sort is sort)
    if isinstance(section, ExportSection):
        return sum(1 for export in section.exports if export.item.sort is sort)
    return 0


# --------------------------------------------------------------------------------------------------
# The pass


def _module_aliases(component: Component) -> set[int]:
    """The outer core module indices that ``component`` (nested one level) aliases."""
    return {
        alias.index
        for section in component.sections
        if isinstance(section, AliasSection)
        for alias in section.aliases
        if isinstance(alias, OuterAlias) and alias.sort is Sort.CORE_MODULE and alias.count == 1
    }


def _outer_modules(outer: Component) -> tuple[dict[str, int], int]:
    """The digest of each module the outer component defines (first definition's index) and how
    many core modules its index space holds."""
    defined: dict[str, int] = {}
    count = 0
    for section in outer.sections:
        if isinstance(section, CoreModuleSection):
            defined.setdefault(_digest(section), count)
        count += _adds(section, Sort.CORE_MODULE)
    return defined, count


def _nested_digests(outer: Component) -> list[tuple[int, Component, list[tuple[int, str]]]]:
    """Each nested component: its section position, itself, and its modules (position, digest)."""
    found = []
    for position, section in enumerate(outer.sections):
        if isinstance(section, ComponentSection):
            inner = _nested(section)
            modules = [
                (at, _digest(s)) for at, s in enumerate(inner.sections) if isinstance(s, CoreModuleSection)
            ]
            found.append((position, inner, modules))
    return found


def dedup_modules(component: Component) -> Component:
    """``component`` with every core module defined more than once among its nested components
    (or by it and again inside one of them) defined once in ``component`` and referred to by
    outer aliases. Returns ``component`` itself when there is nothing to share."""
    nested = _nested_digests(component)
    defined, module_count = _outer_modules(component)
    counts: defaultdict[str, int] = defaultdict(int)
    for digest in defined:
        counts[digest] += 1
    for _, _, modules in nested:
        for _, digest in modules:
            counts[digest] += 1
    shared = {digest for digest, count in counts.items() if count > 1}
    if not shared:
        return component
    return _share(component, nested, shared, defined, module_count)


def _share(
    outer: Component,
    nested: list[tuple[int, Component, list[tuple[int, str]]]],
    shared: set[str],
    defined: dict[str, int],
    module_count: int,
) -> Component:
    first_user = min(position for position, _, modules in nested if any(d in shared for _, d in modules))
    can_add = not any(_adds(section, Sort.CORE_MODULE) for section in outer.sections[first_user:])
    added: dict[str, CoreModuleSection] = {}
    index_of = dict(defined)
    sections = list(outer.sections)
    for position, inner, modules in nested:
        inner_sections = list(inner.sections)
        for at, digest in modules:
            if digest not in shared:
                continue
            if digest not in index_of:
                if not can_add:
                    continue
                index_of[digest] = module_count + len(added)
                module = inner_sections[at]
                assert isinstance(module, CoreModuleSection)
                added[digest] = module
            elif digest in defined and _defined_after(outer, defined[digest], position):
                continue
            inner_sections[at] = AliasSection((OuterAlias(Sort.CORE_MODULE, 1, index_of[digest]),))
        if inner_sections != list(inner.sections):
            section = outer.sections[position]
            assert isinstance(section, ComponentSection)
            sections[position] = evolve(section, component=evolve(inner, sections=tuple(inner_sections)))
    if added:
        sections[first_user:first_user] = list(added.values())
    return evolve(outer, sections=tuple(sections))


def _defined_after(outer: Component, index: int, position: int) -> bool:
    """Whether the outer core module ``index`` is defined after section ``position``."""
    count = 0
    for section in outer.sections[:position]:
        count += _adds(section, Sort.CORE_MODULE)
        if count > index:
            return False
    return True


def shared_modules(component: Component) -> tuple[SharedModule, ...]:
    """The core modules ``component`` defines that its nested components refer to by outer alias
    (what :func:`dedup_modules` makes)."""
    modules: dict[int, CoreModuleSection] = {}
    users: defaultdict[int, list[int]] = defaultdict(list)
    module_index = component_index = 0
    for section in component.sections:
        if isinstance(section, CoreModuleSection):
            modules[module_index] = section
        elif isinstance(section, ComponentSection):
            for index in sorted(_module_aliases(_nested(section))):
                users[index].append(component_index)
        module_index += _adds(section, Sort.CORE_MODULE)
        component_index += _adds(section, Sort.COMPONENT)
    return tuple(
        SharedModule(i, len(modules[i].module.data), _digest(modules[i]), tuple(users[i]))
        for i in sorted(modules)
        if users[i]
    )


def dedup_binary(data: bytes, *, validate: bool = True) -> bytes:
    """:func:`dedup_modules` on the component binary ``data``: ``data`` itself when nothing is
    shared, else the smaller binary; either is checked with ``wasm-tools validate`` unless
    ``validate`` is false (a failure is a :class:`~wacpy.errors.ValidationError`)."""
    component = decode(data)
    shared = dedup_modules(component)
    out = data if shared is component else encode(shared)
    if validate:
        WasmToolsValidator().validate(out)
    return out
