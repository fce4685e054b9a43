"""Readers for core and component instance definitions."""

from __future__ import annotations

from ..ast.common import CoreSort
from ..ast.instances import (
    CoreInlineExport,
    CoreInlineExports,
    CoreInstance,
    CoreInstantiate,
    CoreInstantiateArg,
    InlineExport,
    InlineExports,
    Instance,
    Instantiate,
    InstantiateArg,
)
from . import limits
from ._base import Reader, constructor
from .common import read_core_sort_index, read_extern_name, read_sort_index


def _read_core_arg(r: Reader) -> CoreInstantiateArg:
    name = r.name("an instantiation argument name")
    kind = r.u8("an instantiation argument kind")
    if kind != 0x12:
        r.invalid(kind, "instantiation arg kind (only instance)")
    return CoreInstantiateArg(name, r.u32("a core instance index"))


_EXTERNAL_KINDS = frozenset({CoreSort.FUNC, CoreSort.TABLE, CoreSort.MEMORY, CoreSort.GLOBAL, CoreSort.TAG})


_new_core_inline_export = constructor(CoreInlineExport)
_new_arg = constructor(InstantiateArg)


def _read_core_inline_export(r: Reader) -> CoreInlineExport:
    name = r.name("an export name")
    start = r.pos
    item = read_core_sort_index(r)
    if item.sort not in _EXTERNAL_KINDS:  # core instances export only what core modules can
        r.invalid(item.sort.value, "external kind", start)
    return _new_core_inline_export(name, item)


def read_core_instance(r: Reader) -> CoreInstance:
    byte = r.u8("a core instance")
    if byte == 0x00:
        module = r.u32("a module index")
        return CoreInstantiate(
            module, r.vec(_read_core_arg, "core instantiation arguments", limits.INSTANTIATION_ARGS)
        )
    if byte == 0x01:
        return CoreInlineExports(
            r.vec(_read_core_inline_export, "core inline exports", limits.INSTANTIATION_ARGS)
        )
    r.invalid(byte, "core instance")


def _read_arg(r: Reader) -> InstantiateArg:
    name = r.name("an instantiation argument name")
    return _new_arg(name, read_sort_index(r))


def _read_inline_export(r: Reader) -> InlineExport:
    name = read_extern_name(r)
    return InlineExport(name, read_sort_index(r))


def read_instance(r: Reader) -> Instance:
    byte = r.u8("an instance")
    if byte == 0x00:
        component = r.u32("a component index")
        return Instantiate(component, r.vec(_read_arg, "instantiation arguments", limits.INSTANTIATION_ARGS))
    if byte == 0x01:
        return InlineExports(r.vec(_read_inline_export, "inline exports", limits.INLINE_EXPORTS))
    r.invalid(byte, "instance")
