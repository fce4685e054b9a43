"""Component-level types: value types, functions, resources, component and instance types."""

from __future__ import annotations

from attrs import frozen

from .aliases import Alias
from .common import ExternName, IdentityEnum
from .core_types import CoreType, CoreValType


class PrimValType(IdentityEnum):
    """Primitive value types; the value is the type's byte."""

    BOOL = 0x7F
    S8 = 0x7E
    U8 = 0x7D
    S16 = 0x7C
    U16 = 0x7B
    S32 = 0x7A
    U32 = 0x79
    S64 = 0x78
    U64 = 0x77
    F32 = 0x76
    F64 = 0x75
    CHAR = 0x74
    STRING = 0x73
    ERROR_CONTEXT = 0x64


#: A value type: a primitive, or the index of a defined value type.
ValType = PrimValType | int


@frozen
class LabeledValType:
    label: str
    type: ValType


@frozen
class RecordType:
    fields: tuple[LabeledValType, ...]


@frozen
class Case:
    label: str
    type: ValType | None = None


@frozen
class VariantType:
    cases: tuple[Case, ...]


@frozen
class ListType:
    element: ValType


@frozen
class FixedListType:
    element: ValType
    length: int


@frozen
class TupleType:
    types: tuple[ValType, ...]


@frozen
class FlagsType:
    labels: tuple[str, ...]


@frozen
class EnumType:
    labels: tuple[str, ...]


@frozen
class OptionType:
    type: ValType


@frozen
class ResultType:
    ok: ValType | None = None
    err: ValType | None = None


@frozen
class OwnType:
    type_index: int


@frozen
class BorrowType:
    type_index: int


@frozen
class StreamType:
    element: ValType | None = None


@frozen
class FutureType:
    element: ValType | None = None


@frozen
class MapType:
    key: ValType
    value: ValType


DefValType = (
    PrimValType
    | RecordType
    | VariantType
    | ListType
    | FixedListType
    | TupleType
    | FlagsType
    | EnumType
    | OptionType
    | ResultType
    | OwnType
    | BorrowType
    | StreamType
    | FutureType
    | MapType
)


@frozen
class FuncType:
    params: tuple[LabeledValType, ...]
    result: ValType | None = None
    is_async: bool = False


@frozen
class ResourceType:
    """A resource with its core representation and optional destructor (a core func index)."""

    rep: CoreValType
    dtor: int | None = None


# -- extern types (what an import or export declares) -------------------------------------
@frozen
class EqBound:
    """``(eq i)``: the type is the same as type ``i``."""

    type_index: int


@frozen
class SubResource:
    """``(sub resource)``: a fresh abstract resource type."""


TypeBound = EqBound | SubResource


@frozen
class ModuleExtern:
    type_index: int


@frozen
class FuncExtern:
    type_index: int


@frozen
class ValueExtern:
    """A value import or export (wasm-tools encodes the value type directly, with no bound byte)."""

    type: ValType


@frozen
class TypeExtern:
    bound: TypeBound


@frozen
class ComponentExtern:
    type_index: int


@frozen
class InstanceExtern:
    type_index: int


ExternType = ModuleExtern | FuncExtern | ValueExtern | TypeExtern | ComponentExtern | InstanceExtern


# -- declarations inside component and instance types -------------------------------------
@frozen
class CoreTypeDecl:
    type: CoreType


@frozen
class TypeDecl:
    type: DefType


@frozen
class AliasDecl:
    alias: Alias


@frozen
class ExportDecl:
    name: ExternName
    type: ExternType


@frozen
class ImportDecl:
    name: ExternName
    type: ExternType


InstanceDecl = CoreTypeDecl | TypeDecl | AliasDecl | ExportDecl
ComponentDecl = InstanceDecl | ImportDecl


@frozen
class ComponentType:
    decls: tuple[ComponentDecl, ...]


@frozen
class InstanceType:
    decls: tuple[InstanceDecl, ...]


DefType = DefValType | FuncType | ComponentType | InstanceType | ResourceType
