"""Writers for core types; each mirrors its reader in ``reader/core_types.py``."""

from __future__ import annotations

from ...errors import EncodeError
from ..ast.core_types import (
    AbstractHeapType,
    ArrayType,
    CompositeType,
    CoreExternType,
    CoreFuncRef,
    CoreFuncType,
    CoreImport,
    CoreModuleType,
    CoreOuterAlias,
    CoreType,
    CoreValType,
    ExactHeapType,
    FieldType,
    GlobalType,
    HeapType,
    MemoryType,
    ModuleDecl,
    NumType,
    PackedType,
    RecGroup,
    RefType,
    StorageType,
    StructType,
    SubType,
    TableType,
    TagType,
)
from ._base import Writer, nonnegative_index


def _write_abstract_heap(w: Writer, heap: AbstractHeapType) -> None:
    if heap.shared:
        w.u8(0x65)
    w.u8(heap.kind.value)


def write_heap_type(w: Writer, heap: HeapType) -> None:
    if isinstance(heap, AbstractHeapType):
        _write_abstract_heap(w, heap)
    elif isinstance(heap, ExactHeapType):
        w.u8(0x62)
        w.u32(heap.index)
    else:
        w.s33(nonnegative_index(heap.index, "heap type index"))


def write_ref_type(w: Writer, ref: RefType) -> None:
    if ref.short:
        if not (ref.nullable and isinstance(ref.heap, AbstractHeapType)):
            raise EncodeError("only a nullable abstract reference type has a short form")
        _write_abstract_heap(w, ref.heap)
        return
    w.u8(0x63 if ref.nullable else 0x64)
    write_heap_type(w, ref.heap)


def write_core_valtype(w: Writer, vtype: CoreValType) -> None:
    if isinstance(vtype, NumType):
        w.u8(vtype.value)
    else:
        write_ref_type(w, vtype)


def _write_storage_type(w: Writer, storage: StorageType) -> None:
    if isinstance(storage, PackedType):
        w.u8(storage.value)
    else:
        write_core_valtype(w, storage)


def _write_field(w: Writer, field: FieldType) -> None:
    _write_storage_type(w, field.storage)
    w.flag(field.mutable)


def _write_composite(w: Writer, composite: CompositeType) -> None:
    if composite.shared:
        w.u8(0x65)
    if composite.describes is not None:
        w.u8(0x4C)
        w.u32(composite.describes)
    if composite.descriptor is not None:
        w.u8(0x4D)
        w.u32(composite.descriptor)
    inner = composite.inner
    if isinstance(inner, CoreFuncType):
        w.u8(0x60)
        w.vec(inner.params, write_core_valtype)
        w.vec(inner.results, write_core_valtype)
    elif isinstance(inner, StructType):
        w.u8(0x5F)
        w.vec(inner.fields, _write_field)
    elif isinstance(inner, ArrayType):
        w.u8(0x5E)
        _write_field(w, inner.field)
    else:
        w.u8(0x5D)
        w.s33(nonnegative_index(inner.index, "continuation type index"))


def write_sub_type(w: Writer, sub: SubType) -> None:
    if sub.explicit:
        w.u8(0x4F if sub.final else 0x50)
        w.vec(sub.supertypes, Writer.u32)
    elif not sub.final or sub.supertypes:
        raise EncodeError("a non-final subtype or one with supertypes needs the explicit form")
    _write_composite(w, sub.composite)


def write_rec_group(w: Writer, group: RecGroup) -> None:
    if group.explicit:
        w.u8(0x4E)
        w.vec(group.types, write_sub_type)
    elif len(group.types) != 1:
        raise EncodeError("an implicit rec group holds exactly one subtype")
    else:
        write_sub_type(w, group.types[0])


def _write_limits(w: Writer, flags: int, minimum: int, maximum: int | None) -> None:
    w.u8(flags | (0x01 if maximum is not None else 0))
    w.u64(minimum)
    if maximum is not None:
        w.u64(maximum)


def write_table_type(w: Writer, table: TableType) -> None:
    write_ref_type(w, table.element)
    _write_limits(
        w, (0x02 if table.shared else 0) | (0x04 if table.table64 else 0), table.minimum, table.maximum
    )


def write_memory_type(w: Writer, memory: MemoryType) -> None:
    flags = (0x02 if memory.shared else 0) | (0x04 if memory.memory64 else 0)
    flags |= 0x08 if memory.page_size_log2 is not None else 0
    _write_limits(w, flags, memory.minimum, memory.maximum)
    if memory.page_size_log2 is not None:
        w.u32(memory.page_size_log2)


def write_global_type(w: Writer, glob: GlobalType) -> None:
    write_core_valtype(w, glob.content)
    w.u8((0x01 if glob.mutable else 0) | (0x02 if glob.shared else 0))


def write_core_extern_type(w: Writer, extern: CoreExternType) -> None:
    if isinstance(extern, CoreFuncRef):
        w.u8(0x20 if extern.exact else 0x00)
        w.u32(extern.type_index)
    elif isinstance(extern, TableType):
        w.u8(0x01)
        write_table_type(w, extern)
    elif isinstance(extern, MemoryType):
        w.u8(0x02)
        write_memory_type(w, extern)
    elif isinstance(extern, GlobalType):
        w.u8(0x03)
        write_global_type(w, extern)
    else:
        w.u8(0x04)
        _write_tag_type(w, extern)


def _write_tag_type(w: Writer, tag: TagType) -> None:
    w.u8(0x00)
    w.u32(tag.type_index)


def write_core_import(w: Writer, imp: CoreImport) -> None:
    w.name(imp.module)
    w.name(imp.name)
    write_core_extern_type(w, imp.type)


def _write_module_decl(w: Writer, decl: ModuleDecl) -> None:
    if isinstance(decl, CoreImport):
        w.u8(0x00)
        write_core_import(w, decl)
    elif isinstance(decl, RecGroup):
        w.u8(0x01)
        write_rec_group(w, decl)
    elif isinstance(decl, CoreOuterAlias):
        w.raw(b"\x02\x10\x01")
        w.u32(decl.count)
        w.u32(decl.index)
    else:
        w.u8(0x03)
        w.name(decl.name)
        write_core_extern_type(w, decl.type)


def write_core_type(w: Writer, ctype: CoreType) -> None:
    """A component-level ``core:type``; an implicit non-final ``sub`` gets its 0x00 prefix."""
    if isinstance(ctype, CoreModuleType):
        w.u8(0x50)
        w.vec(ctype.decls, _write_module_decl)
        return
    if not ctype.explicit and ctype.types and ctype.types[0].explicit and not ctype.types[0].final:
        w.u8(0x00)
    write_rec_group(w, ctype)
