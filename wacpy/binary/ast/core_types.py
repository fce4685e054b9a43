"""Core WebAssembly types as they appear inside components: value, heap, GC and extern types."""

from __future__ import annotations

from attrs import frozen

from .common import IdentityEnum


class NumType(IdentityEnum):
    """Numeric and vector core value types; the value is the type's byte."""

    I32 = 0x7F
    I64 = 0x7E
    F32 = 0x7D
    F64 = 0x7C
    V128 = 0x7B


class PackedType(IdentityEnum):
    """Packed storage types of GC fields."""

    I8 = 0x78
    I16 = 0x77


class AbstractHeapKind(IdentityEnum):
    """Abstract heap types; the value is the type's byte."""

    FUNC = 0x70
    EXTERN = 0x6F
    ANY = 0x6E
    NONE = 0x71
    NOEXTERN = 0x72
    NOFUNC = 0x73
    EQ = 0x6D
    STRUCT = 0x6B
    ARRAY = 0x6A
    I31 = 0x6C
    EXN = 0x69
    NOEXN = 0x74
    CONT = 0x68
    NOCONT = 0x75


@frozen
class AbstractHeapType:
    kind: AbstractHeapKind
    shared: bool = False


@frozen
class ConcreteHeapType:
    """A heap type naming a core type index (encoded as a non-negative s33)."""

    index: int


@frozen
class ExactHeapType:
    """``(exact idx)`` from the custom-descriptors proposal."""

    index: int


HeapType = AbstractHeapType | ConcreteHeapType | ExactHeapType


@frozen
class RefType:
    """``(ref null? ht)``; ``short`` marks the one-byte abbreviation of a nullable abstract type."""

    nullable: bool
    heap: HeapType
    short: bool = False


CoreValType = NumType | RefType
StorageType = NumType | RefType | PackedType


@frozen
class FieldType:
    storage: StorageType
    mutable: bool


@frozen
class CoreFuncType:
    params: tuple[CoreValType, ...]
    results: tuple[CoreValType, ...]


@frozen
class StructType:
    fields: tuple[FieldType, ...]


@frozen
class ArrayType:
    field: FieldType


@frozen
class ContType:
    """A stack-switching continuation type over a function type index."""

    index: int


@frozen
class CompositeType:
    """A function, struct, array or continuation type with its GC prefixes."""

    inner: CoreFuncType | StructType | ArrayType | ContType
    shared: bool = False
    describes: int | None = None
    descriptor: int | None = None


@frozen
class SubType:
    """A GC subtype; ``explicit`` is False for the bare form (final, no supertypes)."""

    composite: CompositeType
    final: bool = True
    supertypes: tuple[int, ...] = ()
    explicit: bool = False


@frozen
class RecGroup:
    """A recursion group; ``explicit`` marks the ``0x4e`` form (else one implicit subtype)."""

    types: tuple[SubType, ...]
    explicit: bool = False


@frozen
class CoreFuncRef:
    """A function of the given core type (``exact`` for the 0x20 exact-func kind)."""

    type_index: int
    exact: bool = False


@frozen
class TableType:
    element: RefType
    minimum: int
    maximum: int | None = None
    shared: bool = False
    table64: bool = False


@frozen
class MemoryType:
    minimum: int
    maximum: int | None = None
    shared: bool = False
    memory64: bool = False
    page_size_log2: int | None = None


@frozen
class GlobalType:
    content: CoreValType
    mutable: bool = False
    shared: bool = False


@frozen
class TagType:
    """An exception tag of the given function type index."""

    type_index: int


CoreExternType = CoreFuncRef | TableType | MemoryType | GlobalType | TagType


@frozen
class CoreImport:
    module: str
    name: str
    type: CoreExternType


@frozen
class CoreExportDecl:
    name: str
    type: CoreExternType


@frozen
class CoreOuterAlias:
    """``(alias outer count index (type))`` inside a module type."""

    count: int
    index: int


ModuleDecl = CoreImport | RecGroup | CoreOuterAlias | CoreExportDecl


@frozen
class CoreModuleType:
    decls: tuple[ModuleDecl, ...]


CoreType = RecGroup | CoreModuleType
