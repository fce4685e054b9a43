"""Readers for core types: value, heap, GC composite, rec groups, module types, extern types."""

from __future__ import annotations

from ..ast.core_types import (
    AbstractHeapKind,
    AbstractHeapType,
    ArrayType,
    CompositeType,
    ConcreteHeapType,
    ContType,
    CoreExportDecl,
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
from . import limits
from ._base import Reader

_NUM_TYPES = {t.value: t for t in NumType}
_PACKED_TYPES = {t.value: t for t in PackedType}
_ABSTRACT_HEAP = {k.value: k for k in AbstractHeapKind}
_SHARED = 0x65
_EXACT = 0x62
_REF, _REF_NULL = 0x64, 0x63


def _read_abstract_heap(r: Reader, what: str) -> AbstractHeapType:
    shared = r.peek(what) == _SHARED
    if shared:
        r.u8()
    byte = r.u8(what)
    kind = _ABSTRACT_HEAP.get(byte)
    if kind is None:
        r.invalid(byte, what)
    return AbstractHeapType(kind, shared)


def read_heap_type(r: Reader) -> HeapType:
    byte = r.peek("a heap type")
    if byte == _SHARED or byte in _ABSTRACT_HEAP:
        return _read_abstract_heap(r, "heap type")
    if byte == _EXACT:
        r.u8()
        return ExactHeapType(r.u32("an exact type index"))
    start = r.pos
    index = r.s33("a heap type index")
    if index < 0:
        r.invalid(byte, "heap type", start)
    return ConcreteHeapType(index)


def read_ref_type(r: Reader) -> RefType:
    byte = r.peek("a reference type")
    if byte in (_REF, _REF_NULL):
        r.u8()
        return RefType(byte == _REF_NULL, read_heap_type(r))
    return RefType(True, _read_abstract_heap(r, "reference type"), short=True)


def read_core_valtype(r: Reader) -> CoreValType:
    byte = r.peek("a core value type")
    num = _NUM_TYPES.get(byte)
    if num is not None:
        r.u8()
        return num
    if byte in (_REF, _REF_NULL, _SHARED) or byte in _ABSTRACT_HEAP:
        return read_ref_type(r)
    r.u8()
    r.invalid(byte, "core value type")


def _read_storage_type(r: Reader) -> StorageType:
    packed = _PACKED_TYPES.get(r.peek("a storage type"))
    if packed is not None:
        r.u8()
        return packed
    return read_core_valtype(r)


def _read_field(r: Reader) -> FieldType:
    storage = _read_storage_type(r)
    return FieldType(storage, r.flag("field mutability"))


def _read_composite(r: Reader, opcode: int) -> CompositeType:
    shared = opcode == _SHARED
    if shared:
        opcode = r.u8("a composite type")
    describes = descriptor = None
    if opcode == 0x4C:
        describes = r.u32("a described type index")
        opcode = r.u8("a composite type")
    if opcode == 0x4D:
        descriptor = r.u32("a descriptor type index")
        opcode = r.u8("a composite type")
    inner: CoreFuncType | StructType | ArrayType | ContType
    if opcode == 0x60:
        inner = CoreFuncType(
            r.vec(read_core_valtype, "function parameters", limits.FUNCTION_PARAMS),
            r.vec(read_core_valtype, "function results", limits.FUNCTION_RESULTS),
        )
    elif opcode == 0x5F:
        inner = StructType(r.vec(_read_field, "struct fields", limits.STRUCT_FIELDS))
    elif opcode == 0x5E:
        inner = ArrayType(_read_field(r))
    elif opcode == 0x5D:
        start = r.pos
        index = r.s33("a continuation type index")
        if index < 0:
            r.fail("invalid continuation type", start)
        inner = ContType(index)
    else:
        r.invalid(opcode, "core type")
    return CompositeType(inner, shared, describes, descriptor)


def read_sub_type(r: Reader) -> SubType:
    opcode = r.u8("a core type")
    if opcode in (0x4F, 0x50):
        supertypes = r.vec(lambda rr: rr.u32("a supertype index"), "supertypes", limits.SUPERTYPES)
        composite = _read_composite(r, r.u8("a composite type"))
        return SubType(composite, opcode == 0x4F, supertypes, explicit=True)
    return SubType(_read_composite(r, opcode))


def read_rec_group(r: Reader) -> RecGroup:
    if r.peek("a core type") == 0x4E:
        r.u8()
        return RecGroup(r.vec(read_sub_type, "rec group types", limits.REC_GROUP_TYPES), explicit=True)
    return RecGroup((read_sub_type(r),))


def _read_limits(r: Reader, flags: int) -> tuple[int, int | None]:
    minimum = r.u64("a minimum size")
    maximum = r.u64("a maximum size") if flags & 0x01 else None
    return minimum, maximum


def read_table_type(r: Reader) -> TableType:
    element = read_ref_type(r)
    start = r.pos
    flags = r.u8("table limits flags")
    if flags & ~0b111:
        r.fail(f"invalid table limits flags {flags:#04x}", start)
    minimum, maximum = _read_limits(r, flags)
    return TableType(element, minimum, maximum, bool(flags & 0x02), bool(flags & 0x04))


def read_memory_type(r: Reader) -> MemoryType:
    start = r.pos
    flags = r.u8("memory limits flags")
    if flags & ~0b1111:
        r.fail(f"invalid memory limits flags {flags:#04x}", start)
    minimum, maximum = _read_limits(r, flags)
    page_size = r.u32("a page size exponent") if flags & 0x08 else None
    return MemoryType(minimum, maximum, bool(flags & 0x02), bool(flags & 0x04), page_size)


def read_global_type(r: Reader) -> GlobalType:
    content = read_core_valtype(r)
    start = r.pos
    flags = r.u8("global flags")
    if flags > 0b11:
        r.fail(f"invalid global flags {flags:#04x}", start)
    return GlobalType(content, bool(flags & 0x01), bool(flags & 0x02))


def read_tag_type(r: Reader) -> TagType:
    attribute = r.u8("a tag attribute")
    if attribute != 0:
        r.invalid(attribute, "tag attribute")
    return TagType(r.u32("a tag type index"))


def read_core_extern_type(r: Reader) -> CoreExternType:
    kind = r.u8("a core extern kind")
    if kind == 0x00 or kind == 0x20:
        return CoreFuncRef(r.u32("a function type index"), exact=kind == 0x20)
    if kind == 0x01:
        return read_table_type(r)
    if kind == 0x02:
        return read_memory_type(r)
    if kind == 0x03:
        return read_global_type(r)
    if kind == 0x04:
        return read_tag_type(r)
    r.invalid(kind, "core extern kind")


def read_core_import(r: Reader) -> CoreImport:
    module = r.name("an import module name")
    name = r.name("an import name")
    return CoreImport(module, name, read_core_extern_type(r))


def _read_module_decl(r: Reader) -> ModuleDecl:
    byte = r.u8("a module type declaration")
    if byte == 0x00:
        return read_core_import(r)
    if byte == 0x01:
        return read_rec_group(r)
    if byte == 0x02:
        sort = r.u8("an outer alias sort")
        if sort != 0x10:
            r.invalid(sort, "outer alias sort (only type)")
        kind = r.u8("an outer alias kind")
        if kind != 0x01:
            r.invalid(kind, "outer alias kind")
        return CoreOuterAlias(r.u32("an outer count"), r.u32("an outer index"))
    if byte == 0x03:
        name = r.name("an export name")
        return CoreExportDecl(name, read_core_extern_type(r))
    r.invalid(byte, "module type declaration")


def read_core_type(r: Reader) -> CoreType:
    """A ``core:type`` at component level (module type, rec group, or 0x00-prefixed ``sub``)."""
    byte = r.peek("a core type")
    if byte == 0x50:
        r.u8()
        return CoreModuleType(r.vec(_read_module_decl, "module type declarations", limits.MODULE_TYPE_DECLS))
    if byte == 0x00:
        r.u8()
        if r.peek("a non-final sub type") != 0x50:
            r.invalid(r.u8(), "non-final sub type")
    return read_rec_group(r)
