"""Writers for core and component instance definitions."""

from __future__ import annotations

from ..ast.instances import (
    CoreInlineExport,
    CoreInstance,
    CoreInstantiate,
    CoreInstantiateArg,
    InlineExport,
    Instance,
    Instantiate,
    InstantiateArg,
)
from ._base import Writer
from .common import write_core_sort_index, write_extern_name, write_sort_index


def _write_core_arg(w: Writer, arg: CoreInstantiateArg) -> None:
    w.name(arg.name)
    w.u8(0x12)
    w.u32(arg.instance)


def _write_core_inline_export(w: Writer, export: CoreInlineExport) -> None:
    w.name(export.name)
    write_core_sort_index(w, export.item)


def write_core_instance(w: Writer, instance: CoreInstance) -> None:
    if isinstance(instance, CoreInstantiate):
        w.u8(0x00)
        w.u32(instance.module)
        w.vec(instance.args, _write_core_arg)
    else:
        w.u8(0x01)
        w.vec(instance.exports, _write_core_inline_export)


def _write_arg(w: Writer, arg: InstantiateArg) -> None:
    w.name(arg.name)
    write_sort_index(w, arg.item)


def _write_inline_export(w: Writer, export: InlineExport) -> None:
    write_extern_name(w, export.name)
    write_sort_index(w, export.item)


def write_instance(w: Writer, instance: Instance) -> None:
    if isinstance(instance, Instantiate):
        w.u8(0x00)
        w.u32(instance.component)
        w.vec(instance.args, _write_arg)
    else:
        w.u8(0x01)
        w.vec(instance.exports, _write_inline_export)
