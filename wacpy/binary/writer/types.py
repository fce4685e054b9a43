"""Writers for component types; each mirrors its reader in ``reader/types.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..ast.types import (
    AliasDecl,
    BorrowType,
    Case,
    ComponentDecl,
    ComponentExtern,
    ComponentType,
    CoreTypeDecl,
    DefType,
    EnumType,
    EqBound,
    ExternType,
    FixedListType,
    FlagsType,
    FuncExtern,
    FuncType,
    FutureType,
    ImportDecl,
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
    TupleType,
    TypeBound,
    TypeDecl,
    TypeExtern,
    ValType,
    ValueExtern,
    VariantType,
)
from ._base import Writer, nonnegative_index
from .aliases import write_alias
from .common import write_extern_name
from .core_types import write_core_type, write_core_valtype


def write_valtype(w: Writer, vtype: ValType) -> None:
    if isinstance(vtype, PrimValType):
        w.u8(vtype.value)
    else:
        w.s33(nonnegative_index(vtype, "value type index"))


def _write_label(w: Writer, label: str) -> None:
    w.name(label)


def _write_labeled(w: Writer, item: LabeledValType) -> None:
    w.name(item.label)
    write_valtype(w, item.type)


def _write_case(w: Writer, case: Case) -> None:
    w.name(case.label)
    w.optional(write_valtype, case.type)
    w.u8(0x00)


def write_result_list(w: Writer, result: ValType | None) -> None:
    if result is None:
        w.raw(b"\x01\x00")
    else:
        w.u8(0x00)
        write_valtype(w, result)


def write_def_type(w: Writer, dtype: DefType) -> None:
    """One type definition; the defined value types are dispatched by class."""
    if isinstance(dtype, PrimValType):
        w.u8(dtype.value)
    elif isinstance(dtype, ResourceType):
        w.u8(0x3F)
        write_core_valtype(w, dtype.rep)
        w.optional(Writer.u32, dtype.dtor)
    elif isinstance(dtype, FuncType):
        w.u8(0x43 if dtype.is_async else 0x40)
        w.vec(dtype.params, _write_labeled)
        write_result_list(w, dtype.result)
    elif isinstance(dtype, ComponentType):
        w.u8(0x41)
        w.vec(dtype.decls, _write_component_decl)
    elif isinstance(dtype, InstanceType):
        w.u8(0x42)
        w.vec(dtype.decls, _write_component_decl)
    else:
        _DEFVAL_WRITERS[type(dtype)](w, dtype)


def _record(w: Writer, t: RecordType) -> None:
    w.u8(0x72)
    w.vec(t.fields, _write_labeled)


def _variant(w: Writer, t: VariantType) -> None:
    w.u8(0x71)
    w.vec(t.cases, _write_case)


def _list(w: Writer, t: ListType) -> None:
    w.u8(0x70)
    write_valtype(w, t.element)


def _fixed_list(w: Writer, t: FixedListType) -> None:
    w.u8(0x67)
    write_valtype(w, t.element)
    w.u32(t.length)


def _tuple(w: Writer, t: TupleType) -> None:
    w.u8(0x6F)
    w.vec(t.types, write_valtype)


def _flags(w: Writer, t: FlagsType) -> None:
    w.u8(0x6E)
    w.vec(t.labels, _write_label)


def _enum(w: Writer, t: EnumType) -> None:
    w.u8(0x6D)
    w.vec(t.labels, _write_label)


def _option(w: Writer, t: OptionType) -> None:
    w.u8(0x6B)
    write_valtype(w, t.type)


def _result(w: Writer, t: ResultType) -> None:
    w.u8(0x6A)
    w.optional(write_valtype, t.ok)
    w.optional(write_valtype, t.err)


def _own(w: Writer, t: OwnType) -> None:
    w.u8(0x69)
    w.u32(t.type_index)


def _borrow(w: Writer, t: BorrowType) -> None:
    w.u8(0x68)
    w.u32(t.type_index)


def _stream(w: Writer, t: StreamType) -> None:
    w.u8(0x66)
    w.optional(write_valtype, t.element)


def _future(w: Writer, t: FutureType) -> None:
    w.u8(0x65)
    w.optional(write_valtype, t.element)


def _map(w: Writer, t: MapType) -> None:
    w.u8(0x63)
    write_valtype(w, t.key)
    write_valtype(w, t.value)


_DEFVAL_WRITERS: dict[type[Any], Callable[[Writer, Any], None]] = {
    RecordType: _record,
    VariantType: _variant,
    ListType: _list,
    FixedListType: _fixed_list,
    TupleType: _tuple,
    FlagsType: _flags,
    EnumType: _enum,
    OptionType: _option,
    ResultType: _result,
    OwnType: _own,
    BorrowType: _borrow,
    StreamType: _stream,
    FutureType: _future,
    MapType: _map,
}


def _write_type_bound(w: Writer, bound: TypeBound) -> None:
    if isinstance(bound, EqBound):
        w.u8(0x00)
        w.u32(bound.type_index)
    else:
        w.u8(0x01)


def write_extern_type(w: Writer, extern: ExternType) -> None:
    if isinstance(extern, ModuleExtern):
        w.raw(b"\x00\x11")
        w.u32(extern.type_index)
    elif isinstance(extern, FuncExtern):
        w.u8(0x01)
        w.u32(extern.type_index)
    elif isinstance(extern, ValueExtern):
        w.u8(0x02)
        write_valtype(w, extern.type)
    elif isinstance(extern, TypeExtern):
        w.u8(0x03)
        _write_type_bound(w, extern.bound)
    elif isinstance(extern, ComponentExtern):
        w.u8(0x04)
        w.u32(extern.type_index)
    else:
        w.u8(0x05)
        w.u32(extern.type_index)


def _write_component_decl(w: Writer, decl: ComponentDecl) -> None:
    if isinstance(decl, ImportDecl):
        w.u8(0x03)
        write_extern_name(w, decl.name)
        write_extern_type(w, decl.type)
    elif isinstance(decl, CoreTypeDecl):
        w.u8(0x00)
        write_core_type(w, decl.type)
    elif isinstance(decl, TypeDecl):
        w.u8(0x01)
        write_def_type(w, decl.type)
    elif isinstance(decl, AliasDecl):
        w.u8(0x02)
        write_alias(w, decl.alias)
    else:
        w.u8(0x04)
        write_extern_name(w, decl.name)
        write_extern_type(w, decl.type)
