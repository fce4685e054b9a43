"""Readers for component types: value types, functions, resources, component and instance types."""

from __future__ import annotations

from ..ast.types import (
    AliasDecl,
    BorrowType,
    Case,
    ComponentDecl,
    ComponentExtern,
    ComponentType,
    CoreTypeDecl,
    DefType,
    DefValType,
    EnumType,
    EqBound,
    ExportDecl,
    ExternType,
    FixedListType,
    FlagsType,
    FuncExtern,
    FuncType,
    FutureType,
    ImportDecl,
    InstanceDecl,
    InstanceExtern,
    InstanceType,
    LabeledValType,
    ListType,
    MapType,
    ModuleExtern,
    OptionType,
    OwnType,
    PrimValType,
    RecordType,
    ResourceType,
    ResultType,
    StreamType,
    SubResource,
    TupleType,
    TypeBound,
    TypeDecl,
    TypeExtern,
    ValType,
    ValueExtern,
    VariantType,
)
from ..wide import WideInt
from . import limits
from ._base import Reader, constructor, shared
from .aliases import read_alias
from .common import read_extern_name
from .core_types import read_core_type, read_core_valtype

_PRIMITIVES = {p.value: p for p in PrimValType}


def read_valtype(r: Reader) -> ValType:
    pos = r.pos
    if pos < r.end:  # the common case: a primitive
        byte = r.data[pos]
        prim = _PRIMITIVES.get(byte)
        if prim is not None or byte < 0x40:  # a primitive, or a one-byte type index
            r.pos = pos + 1
            return byte if prim is None else prim
    byte = r.peek("a value type")
    start = r.pos
    index = r.s33("a value type index")
    if index < 0:
        r.invalid(byte, "value type", start)
    return index


def _read_label(r: Reader) -> str:
    return r.name("a label")


_LABELED: dict[tuple[str, ValType], LabeledValType] = {}


def _read_labeled(r: Reader) -> LabeledValType:
    label = _read_label(r)
    valtype = read_valtype(r)
    if type(label) is not str or type(valtype) is WideInt:  # padded: keeps its own width
        return LabeledValType(label, valtype)
    item = _LABELED.get((label, valtype))
    return item if item is not None else shared(_LABELED, (label, valtype), LabeledValType(label, valtype))


def _read_case(r: Reader) -> Case:
    label = _read_label(r)
    case = Case(label, r.optional(read_valtype, "a case type"))
    zero = r.u8("the end of a variant case")
    if zero != 0x00:
        r.invalid(zero, "variant case (0x00 required)")
    return case


def _read_result(r: Reader) -> ResultType:
    ok = r.optional(read_valtype, "a result's ok type")
    return ResultType(ok, r.optional(read_valtype, "a result's error type"))


def _read_defvaltype(r: Reader, opcode: int) -> DefValType:
    if opcode == 0x72:
        return RecordType(r.vec(_read_labeled, "record fields", limits.RECORD_FIELDS))
    if opcode == 0x71:
        return VariantType(r.vec(_read_case, "variant cases", limits.VARIANT_CASES))
    if opcode == 0x70:
        return ListType(read_valtype(r))
    if opcode == 0x67:
        element = read_valtype(r)
        return FixedListType(element, r.u32("a fixed list length"))
    if opcode == 0x6F:
        return TupleType(r.vec(read_valtype, "tuple types", limits.TUPLE_TYPES))
    if opcode == 0x6E:
        return FlagsType(r.vec(_read_label, "flags", limits.FLAG_NAMES))
    if opcode == 0x6D:
        return EnumType(r.vec(_read_label, "enum cases", limits.ENUM_CASES))
    if opcode == 0x6B:
        return OptionType(read_valtype(r))
    if opcode == 0x6A:
        return _read_result(r)
    if opcode == 0x69:
        return OwnType(r.u32("a resource type index"))
    if opcode == 0x68:
        return BorrowType(r.u32("a resource type index"))
    if opcode == 0x66:
        return StreamType(r.optional(read_valtype, "a stream element type"))
    if opcode == 0x65:
        return FutureType(r.optional(read_valtype, "a future element type"))
    if opcode == 0x63:
        key = read_valtype(r)
        return MapType(key, read_valtype(r))
    r.invalid(opcode, "component type")


def read_result_list(r: Reader) -> ValType | None:
    """``resultlist``: one result type, or none."""
    byte = r.u8("a function result list")
    if byte == 0x00:
        return read_valtype(r)
    if byte == 0x01:
        zero = r.u8("an empty result list")
        if zero != 0x00:
            r.invalid(zero, "number of results")
        return None
    r.invalid(byte, "function results")


def read_def_type(r: Reader) -> DefType:
    opcode = r.u8("a type definition")
    prim = _PRIMITIVES.get(opcode)
    if prim is not None:
        return prim
    if opcode == 0x3F:
        rep = read_core_valtype(r)
        dtor = r.u8("a resource destructor flag")
        if dtor > 1:
            r.invalid(dtor, "resource destructor")
        return ResourceType(rep, r.u32("a destructor function index") if dtor else None)
    if opcode in (0x40, 0x43):
        params = r.vec(_read_labeled, "function parameters", limits.FUNCTION_PARAMS)
        return FuncType(params, read_result_list(r), is_async=opcode == 0x43)
    if opcode == 0x41:
        inner = r.nested("component type")
        ctype = ComponentType(
            inner.vec(_read_component_decl, "component type declarations", limits.COMPONENT_TYPE_DECLS)
        )
        r.pos = inner.pos
        return ctype
    if opcode == 0x42:
        inner = r.nested("instance type")
        itype = InstanceType(
            inner.vec(_read_instance_decl, "instance type declarations", limits.INSTANCE_TYPE_DECLS)
        )
        r.pos = inner.pos
        return itype
    return _read_defvaltype(r, opcode)


def _read_type_bound(r: Reader) -> TypeBound:
    byte = r.u8("a type bound")
    if byte == 0x00:
        return EqBound(r.u32("a type index"))
    if byte == 0x01:
        return SubResource()
    r.invalid(byte, "type bound")


#: Extern types that are one byte and a minimal index, by those two numbers.
_INDEXED_EXTERNS: dict[tuple[int, int], ExternType] = {}
_INDEXED_EXTERN_CLASSES: dict[int, type[FuncExtern | ComponentExtern | InstanceExtern]] = {
    0x01: FuncExtern,
    0x04: ComponentExtern,
    0x05: InstanceExtern,
}


def read_extern_type(r: Reader) -> ExternType:
    pos = r.pos
    if pos + 1 < r.end:  # the common case: a function, component or instance type index
        cls = _INDEXED_EXTERN_CLASSES.get(r.data[pos])
        if cls is not None and r.data[pos + 1] < 0x80:
            r.pos = pos + 2
            key = (r.data[pos], r.data[pos + 1])
            item = _INDEXED_EXTERNS.get(key)
            return item if item is not None else shared(_INDEXED_EXTERNS, key, cls(key[1]))
    byte = r.u8("an extern type")
    if byte == 0x00:
        core = r.u8("a core module sort")
        if core != 0x11:
            r.invalid(core, "core extern type (only module)")
        return ModuleExtern(r.u32("a core type index"))
    if byte == 0x01:
        return FuncExtern(r.u32("a type index"))
    if byte == 0x02:
        return ValueExtern(read_valtype(r))
    if byte == 0x03:
        return TypeExtern(_read_type_bound(r))
    if byte == 0x04:
        return ComponentExtern(r.u32("a type index"))
    if byte == 0x05:
        return InstanceExtern(r.u32("a type index"))
    r.invalid(byte, "extern type")


_new_type_decl = constructor(TypeDecl)
_new_export_decl = constructor(ExportDecl)


def _read_instance_decl(r: Reader) -> InstanceDecl:
    byte = r.u8("an instance type declaration")
    if byte == 0x00:
        return CoreTypeDecl(read_core_type(r))
    if byte == 0x01:
        return _new_type_decl(read_def_type(r))
    if byte == 0x02:
        return AliasDecl(read_alias(r))
    if byte == 0x04:
        name = read_extern_name(r)
        return _new_export_decl(name, read_extern_type(r))
    r.invalid(byte, "component or instance type declaration")


def _read_component_decl(r: Reader) -> ComponentDecl:
    if r.peek("a component type declaration") == 0x03:
        r.u8()
        name = read_extern_name(r)
        return ImportDecl(name, read_extern_type(r))
    return _read_instance_decl(r)
