"""Hypothesis strategies for component ASTs.

:func:`components`
    Structurally well-formed ASTs that are not necessarily *valid*: indices point anywhere and
    names are any text. They reach every AST class and every enum member and respect the
    invariants that make an AST encodable one way only (see :func:`components`), so
    ``decode(encode(ast)) == ast`` must hold for each of them. With ``widths=True`` integers,
    names, vectors, value payloads and section sizes may carry a non-minimal LEB128 width
    (:func:`wacpy.binary.wide.widen`), which the byte-exact re-encoding must reproduce.

:func:`valid_components`
    Components that ``wasm-tools validate --features`` :data:`VALIDATE_FEATURES` accepts. A small
    model of the validator's index spaces and of its "named type" rules (a record used by an
    import must itself be imported, resources must be named, ...) decides what may be built
    next; see :class:`_ValidBuilder`. It follows wasm-tools 1.262 where that differs from the
    spec text or older wasm-tools: names compare without case *and dashes* (``a-b`` = ``ab``);
    ``(eq i)`` cannot import a type that only an export named; exporting a function type keeps
    its identity; map keys are non-float primitives; the ``cancellable`` flag of
    ``waitable-set.wait``/``poll`` and ``thread.yield`` must be 0; a ``versionsuffix`` completes
    the canonical version track of an interface name (``a:b/c@1`` + ``.2.3``).

:func:`random_component`, :func:`random_valid_component`
    The same generators driven by a seeded ``random.Random`` instead of Hypothesis: uniform
    choices and far more examples per second (no shrinking), for coverage checks and fuzzing.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from hypothesis import strategies as st

from wacpy.binary.ast import (
    AbstractHeapKind,
    AbstractHeapType,
    Alias,
    AliasDecl,
    AliasSection,
    ArrayType,
    BorrowType,
    Builtin,
    Canon,
    CanonBuiltin,
    CanonLift,
    CanonLower,
    CanonOption,
    CanonOptionKind,
    CanonSection,
    Case,
    Component,
    ComponentDecl,
    ComponentExtern,
    ComponentNameSubsection,
    ComponentSection,
    ComponentType,
    CompositeType,
    ConcreteHeapType,
    ContType,
    CoreExportAlias,
    CoreExportDecl,
    CoreExternType,
    CoreFuncRef,
    CoreFuncType,
    CoreImport,
    CoreInlineExport,
    CoreInlineExports,
    CoreInstance,
    CoreInstanceSection,
    CoreInstantiate,
    CoreInstantiateArg,
    CoreModule,
    CoreModuleSection,
    CoreModuleType,
    CoreOuterAlias,
    CoreSort,
    CoreSortIndex,
    CoreType,
    CoreTypeDecl,
    CoreTypeSection,
    CoreValType,
    CustomSection,
    DefType,
    DefValType,
    EnumType,
    EqBound,
    ExactHeapType,
    Export,
    ExportAlias,
    ExportDecl,
    ExportSection,
    ExternalId,
    ExternName,
    ExternType,
    FieldType,
    FixedListType,
    FlagsType,
    FuncExtern,
    FuncType,
    FutureType,
    GlobalType,
    HeapType,
    Immediate,
    ImmediateValue,
    Implements,
    Import,
    ImportDecl,
    ImportSection,
    InlineExport,
    InlineExports,
    Instance,
    InstanceDecl,
    InstanceExtern,
    InstanceSection,
    InstanceType,
    Instantiate,
    InstantiateArg,
    LabeledValType,
    ListType,
    MapType,
    MemoryType,
    ModuleDecl,
    ModuleExtern,
    NameAssoc,
    NameAttribute,
    NameForm,
    NameSection,
    NameSubsection,
    NumType,
    OptionType,
    OuterAlias,
    OwnType,
    PackedType,
    PrimValType,
    RecGroup,
    RecordType,
    RefType,
    ResourceDrop,
    ResourceNew,
    ResourceRep,
    ResourceType,
    ResultType,
    Section,
    Sort,
    SortIndex,
    SortNamesSubsection,
    Start,
    StartSection,
    StorageType,
    StreamType,
    StructType,
    SubResource,
    SubType,
    TableType,
    TagType,
    TupleType,
    TypeDecl,
    TypeExtern,
    TypeSection,
    ValType,
    Value,
    ValueExtern,
    ValueSection,
    VariantType,
    VersionSuffix,
)
from wacpy.binary.ast.sections import NAME_SECTION
from wacpy.binary.wide import widen

__all__ = [
    "VALIDATE_FEATURES",
    "components",
    "random_component",
    "random_valid_component",
    "valid_components",
]

T = TypeVar("T")

U32_MAX = 2**32 - 1
U64_MAX = 2**64 - 1
#: Most bytes an LEB128 of each kind may take.
U32_WIDTH, U64_WIDTH, S33_WIDTH = 5, 10, 5


def _uleb_len(value: int) -> int:
    """Bytes in the minimal unsigned LEB128 of ``value``."""
    return max(1, (value.bit_length() + 6) // 7)


def _sleb_len(value: int) -> int:
    """Bytes in the minimal signed LEB128 of a non-negative ``value`` (one more bit for the sign)."""
    return (value.bit_length() + 7) // 7


# ==========================================================================================
# Where choices come from: Hypothesis (shrinkable) or a seeded random.Random (fast, uniform)
# ==========================================================================================
EXPORT_ALIAS_SORTS = [Sort.CORE_MODULE, Sort.FUNC, Sort.VALUE, Sort.TYPE, Sort.COMPONENT, Sort.INSTANCE]
EXTERNAL_SORTS = EXPORT_ALIAS_SORTS  # component external kinds: the same six sorts
CORE_EXPORT_ALIAS_SORTS = [Sort.CORE_FUNC, Sort.CORE_TABLE, Sort.CORE_MEMORY, Sort.CORE_GLOBAL, Sort.CORE_TAG]
OUTER_ALIAS_SORTS = [Sort.CORE_MODULE, Sort.CORE_TYPE, Sort.TYPE, Sort.COMPONENT]


class _Source(Protocol):
    def integer(self, low: int, high: int) -> int: ...
    def text(self, max_size: int) -> str: ...
    def binary(self, max_size: int) -> bytes: ...


class _HypothesisSource:
    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw

    def integer(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))

    def text(self, max_size: int) -> str:
        return self.draw(st.text(max_size=max_size))

    def binary(self, max_size: int) -> bytes:
        return self.draw(st.binary(max_size=max_size))


class _RandomSource:
    """Uniform choices from ``rng``: many more distinct examples per second than Hypothesis,
    which makes it the right tool for checking that the generators reach everything."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def text(self, max_size: int) -> str:
        return "".join(self._char() for _ in range(self.rng.randint(0, max_size)))

    def _char(self) -> str:
        kind = self.rng.randint(0, 9)
        if kind < 7:
            return chr(self.rng.randint(0x20, 0x7E))
        if kind < 9:
            code = self.rng.randint(0x80, 0xFFFD)
            return chr(code) if not 0xD800 <= code <= 0xDFFF else "\u00e9"
        return chr(self.rng.randint(0x10000, 0x10FFFF))

    def binary(self, max_size: int) -> bytes:
        return self.rng.randbytes(self.rng.randint(0, max_size))


class _Chooser:
    """Choice helpers over a :class:`_Source`; both generators build on these."""

    def __init__(self, source: _Source) -> None:
        self.source = source

    def num(self, low: int, high: int) -> int:
        return self.source.integer(low, high)

    def coin(self, odds: int = 2) -> bool:
        """True one time in ``odds``."""
        return self.num(0, odds - 1) == odds - 1

    def pick(self, options: Sequence[T]) -> T:
        return options[self.num(0, len(options) - 1)]

    def text(self, max_size: int) -> str:
        return self.source.text(max_size)

    def binary(self, max_size: int) -> bytes:
        return self.source.binary(max_size)

    def permutation(self, items: Sequence[T]) -> list[T]:
        rest, out = list(items), []
        while rest:
            out.append(rest.pop(self.num(0, len(rest) - 1)))
        return out

    def some(self, options: Sequence[T], max_size: int) -> list[T]:
        """Up to ``max_size`` choices from ``options`` (repeats allowed)."""
        return [self.pick(options) for _ in range(self.num(0, max_size))]

    def sample(self, options: Sequence[T], max_size: int, min_size: int = 0) -> list[T]:
        """Distinct choices from ``options``."""
        rest = list(options)
        count = self.num(min(min_size, len(rest)), min(max_size, len(rest)))
        return [rest.pop(self.num(0, len(rest) - 1)) for _ in range(count)]

    def u32_value(self) -> int:
        return self.num(0, U32_MAX) if self.coin() else self.num(0, 140)

    def u64_value(self) -> int:
        return self.num(0, self.pick([140, U32_MAX, U64_MAX]))


# ==========================================================================================
# Part 1: structurally well-formed component ASTs
# ==========================================================================================
class _Arbitrary(_Chooser):
    """Makes one AST node at a time; every method is a small generator for one grammar rule."""

    def __init__(self, source: _Source, widths: bool, max_sections: int = 5, max_items: int = 3) -> None:
        super().__init__(source)
        self.widths = widths
        self.max_sections = max_sections
        self.max_items = max_items

    # -- LEB128 widths -----------------------------------------------------------------------
    def _wide(self, value: Any, minimum: int, maximum: int) -> Any:
        """``value`` as it is, or (a quarter of the time, with widths on) with a padded width."""
        if self.widths and minimum <= maximum and self.num(0, 3) == 3:
            return widen(value, self.num(minimum, maximum))
        return value

    def u32(self) -> int:
        value = self.u32_value()
        result: int = self._wide(value, _uleb_len(value), U32_WIDTH)
        return result

    def u64(self) -> int:
        value = self.u64_value()
        result: int = self._wide(value, _uleb_len(value), U64_WIDTH)
        return result

    def s33(self) -> int:
        """A non-negative s33 below 2**32: a value type, heap type or continuation index."""
        value = self.u32_value()
        result: int = self._wide(value, _sleb_len(value), S33_WIDTH)
        return result

    def wide_text(self, value: str) -> str:
        """``value`` with (maybe) a padded length prefix."""
        result: str = self._wide(value, _uleb_len(len(value.encode())), U32_WIDTH)
        return result

    def name(self) -> str:
        return self.wide_text(self.text(8))

    def vec(self, items: Sequence[T]) -> tuple[T, ...]:
        """``vec(items)`` with (maybe) a padded count."""
        result: tuple[T, ...] = self._wide(tuple(items), _uleb_len(len(items)), U32_WIDTH)
        return result

    def many(self, make: Callable[[], T]) -> tuple[T, ...]:
        return self.vec([make() for _ in range(self.num(0, self.max_items))])

    def optional(self, make: Callable[[], T]) -> T | None:
        return make() if self.coin() else None

    def one_of(self, *makers: Callable[[], Any]) -> Any:
        """The result of one of ``makers`` (callers annotate what they get)."""
        return self.pick(makers)()

    def size_width(self) -> int:
        """A section or subsection size width: 0 (minimal) or 1..5 (ignored when too small)."""
        if self.widths and self.num(0, 3) == 3:
            return self.num(1, U32_WIDTH)
        return 0

    # -- sorts and names -----------------------------------------------------------------------
    def sort(self) -> Sort:
        return self.pick(list(Sort))

    def core_sort(self) -> CoreSort:
        return self.pick(list(CoreSort))

    def external_kind(self) -> CoreSort:
        """A core sort a core inline export may name: func, table, memory, global or tag."""
        return self.pick([s for s in CoreSort if s.value < 0x10])

    def sort_index(self) -> SortIndex:
        """An external kind (exports, instantiation arguments, inline exports): no core sort but module."""
        return SortIndex(self.pick(EXTERNAL_SORTS), self.u32())

    def name_attribute(self) -> NameAttribute:
        made: NameAttribute = self.one_of(
            lambda: Implements(self.name()),
            lambda: VersionSuffix(self.name()),
            lambda: ExternalId(self.name()),
        )
        return made

    def extern_name(self) -> ExternName:
        form = self.pick(list(NameForm))
        name = self.name()
        if form is NameForm.WITH_ATTRIBUTES:
            return ExternName(name, self.many(self.name_attribute), form)
        return ExternName(name, (), form)

    # -- component value types -----------------------------------------------------------------
    def valtype(self) -> ValType:
        if self.coin():
            return self.pick(list(PrimValType))
        return self.s33()

    def labeled(self) -> LabeledValType:
        return LabeledValType(self.name(), self.valtype())

    def defvaltype(self) -> DefValType:
        made: DefValType = self.one_of(
            lambda: self.pick(list(PrimValType)),
            lambda: RecordType(self.many(self.labeled)),
            lambda: VariantType(self.many(lambda: Case(self.name(), self.optional(self.valtype)))),
            lambda: ListType(self.valtype()),
            lambda: FixedListType(self.valtype(), self.u32()),
            lambda: TupleType(self.many(self.valtype)),
            lambda: FlagsType(self.many(self.name)),
            lambda: EnumType(self.many(self.name)),
            lambda: OptionType(self.valtype()),
            lambda: ResultType(self.optional(self.valtype), self.optional(self.valtype)),
            lambda: OwnType(self.u32()),
            lambda: BorrowType(self.u32()),
            lambda: StreamType(self.optional(self.valtype)),
            lambda: FutureType(self.optional(self.valtype)),
            lambda: MapType(self.valtype(), self.valtype()),
        )
        return made

    def deftype(self, depth: int) -> DefType:
        makers: list[Callable[[], DefType]] = [
            self.defvaltype,
            lambda: FuncType(self.many(self.labeled), self.optional(self.valtype), self.coin()),
            lambda: ResourceType(self.core_valtype(), self.optional(self.u32)),
        ]
        if depth > 0:
            makers += [
                lambda: ComponentType(self.many(lambda: self.component_decl(depth - 1))),
                lambda: InstanceType(self.many(lambda: self.instance_decl(depth - 1))),
            ]
        made: DefType = self.one_of(*makers)
        return made

    def instance_decl(self, depth: int) -> InstanceDecl:
        made: InstanceDecl = self.one_of(
            lambda: CoreTypeDecl(self.core_type()),
            lambda: TypeDecl(self.deftype(depth)),
            lambda: AliasDecl(self.alias()),
            lambda: ExportDecl(self.extern_name(), self.extern_type()),
        )
        return made

    def component_decl(self, depth: int) -> ComponentDecl:
        if self.num(0, 4) == 4:
            return ImportDecl(self.extern_name(), self.extern_type())
        return self.instance_decl(depth)

    def extern_type(self) -> ExternType:
        made: ExternType = self.one_of(
            lambda: ModuleExtern(self.u32()),
            lambda: FuncExtern(self.u32()),
            lambda: ValueExtern(self.valtype()),
            lambda: TypeExtern(EqBound(self.u32())),
            lambda: TypeExtern(SubResource()),
            lambda: ComponentExtern(self.u32()),
            lambda: InstanceExtern(self.u32()),
        )
        return made

    def alias(self) -> Alias:
        # Each alias target takes only some sorts (as wasm-tools' parser reads them).
        made: Alias = self.one_of(
            lambda: ExportAlias(self.pick(EXPORT_ALIAS_SORTS), self.u32(), self.name()),
            lambda: CoreExportAlias(self.pick(CORE_EXPORT_ALIAS_SORTS), self.u32(), self.name()),
            lambda: OuterAlias(self.pick(OUTER_ALIAS_SORTS), self.u32(), self.u32()),
        )
        return made

    # -- core types -------------------------------------------------------------------------------
    def abstract_heap(self) -> AbstractHeapType:
        return AbstractHeapType(self.pick(list(AbstractHeapKind)), self.coin())

    def heap_type(self) -> HeapType:
        made: HeapType = self.one_of(
            self.abstract_heap,
            lambda: ConcreteHeapType(self.s33()),
            lambda: ExactHeapType(self.u32()),
        )
        return made

    def ref_type(self) -> RefType:
        if self.coin():
            return RefType(True, self.abstract_heap(), short=True)
        return RefType(self.coin(), self.heap_type())

    def core_valtype(self) -> CoreValType:
        if self.coin():
            return self.pick(list(NumType))
        return self.ref_type()

    def storage_type(self) -> StorageType:
        if self.num(0, 2) == 2:
            return self.pick(list(PackedType))
        return self.core_valtype()

    def field_type(self) -> FieldType:
        return FieldType(self.storage_type(), self.coin())

    def composite(self) -> CompositeType:
        inner = self.one_of(
            lambda: CoreFuncType(self.many(self.core_valtype), self.many(self.core_valtype)),
            lambda: StructType(self.many(self.field_type)),
            lambda: ArrayType(self.field_type()),
            lambda: ContType(self.s33()),
        )
        return CompositeType(inner, self.coin(), self.optional(self.u32), self.optional(self.u32))

    def sub_type(self) -> SubType:
        if self.coin():
            return SubType(
                self.composite(),
                self.coin(),
                self.vec([self.u32() for _ in range(self.num(0, 1))]),
                explicit=True,
            )
        return SubType(self.composite())

    def rec_group(self) -> RecGroup:
        if self.coin():
            return RecGroup(self.many(self.sub_type), explicit=True)
        return RecGroup((self.sub_type(),))

    def limits(self) -> tuple[int, int | None]:
        return self.u64(), self.optional(self.u64)

    def core_extern_type(self) -> CoreExternType:
        def table() -> TableType:
            minimum, maximum = self.limits()
            return TableType(self.ref_type(), minimum, maximum, self.coin(), self.coin())

        def memory() -> MemoryType:
            minimum, maximum = self.limits()
            return MemoryType(minimum, maximum, self.coin(), self.coin(), self.optional(self.u32))

        made: MemoryType = self.one_of(
            lambda: CoreFuncRef(self.u32(), self.coin()),
            table,
            memory,
            lambda: GlobalType(self.core_valtype(), self.coin(), self.coin()),
            lambda: TagType(self.u32()),
        )
        return made

    def module_decl(self) -> ModuleDecl:
        made: ModuleDecl = self.one_of(
            lambda: CoreImport(self.name(), self.name(), self.core_extern_type()),
            self.rec_group,
            lambda: CoreOuterAlias(self.u32(), self.u32()),
            lambda: CoreExportDecl(self.name(), self.core_extern_type()),
        )
        return made

    def core_type(self) -> CoreType:
        if self.num(0, 3) == 3:
            return CoreModuleType(self.many(self.module_decl))
        return self.rec_group()

    # -- canonical functions -------------------------------------------------------------------
    def canon_option(self) -> CanonOption:
        kind = self.pick(list(CanonOptionKind))
        return CanonOption(kind, self.u32() if kind.takes_index else None)

    def immediate(self, immediate: Immediate) -> ImmediateValue:
        if immediate is Immediate.INDEX:
            return self.u32()
        if immediate is Immediate.FLAG:
            return self.coin()
        if immediate is Immediate.OPTIONS:
            return self.many(self.canon_option)
        if immediate is Immediate.CORE_VALTYPE:
            return self.core_valtype()
        return self.optional(self.valtype)

    def canon(self) -> Canon:
        def builtin() -> CanonBuiltin:
            which = self.pick(list(Builtin))
            return CanonBuiltin(which, tuple(self.immediate(i) for i in which.immediates))

        made: CanonBuiltin = self.one_of(
            lambda: CanonLift(self.u32(), self.many(self.canon_option), self.u32()),
            lambda: CanonLower(self.u32(), self.many(self.canon_option)),
            lambda: ResourceNew(self.u32()),
            lambda: ResourceDrop(self.u32()),
            lambda: ResourceRep(self.u32()),
            builtin,
            builtin,
            builtin,
        )
        return made

    # -- instances ---------------------------------------------------------------------------------
    def core_instance(self) -> CoreInstance:
        made: CoreInstance = self.one_of(
            lambda: CoreInstantiate(
                self.u32(), self.many(lambda: CoreInstantiateArg(self.name(), self.u32()))
            ),
            lambda: CoreInlineExports(
                self.many(
                    lambda: CoreInlineExport(self.name(), CoreSortIndex(self.external_kind(), self.u32()))
                )
            ),
        )
        return made

    def instance(self) -> Instance:
        made: Instance = self.one_of(
            lambda: Instantiate(
                self.u32(), self.many(lambda: InstantiateArg(self.name(), self.sort_index()))
            ),
            lambda: InlineExports(self.many(lambda: InlineExport(self.extern_name(), self.sort_index()))),
        )
        return made

    # -- sections -------------------------------------------------------------------------------
    def name_subsection(self) -> NameSubsection:
        if self.coin():
            return ComponentNameSubsection(self.name(), size_width=self.size_width())
        names = self.many(lambda: NameAssoc(self.u32(), self.name()))
        return SortNamesSubsection(self.sort(), names, size_width=self.size_width())

    def custom_name(self) -> str:
        """A custom section name that does not read back as the name section."""
        if self.widths and self.num(0, 7) == 7:
            # A padded length prefix keeps even this name a plain custom section.
            padded: str = widen(NAME_SECTION, self.num(2, U32_WIDTH))
            return padded
        name = self.name()
        return name + "!" if name == NAME_SECTION else name

    def core_module_outline(self) -> bytes:
        """A core module the decoder's outline check accepts: its preamble, then sections in
        order (custom ones anywhere) with arbitrary bodies; none that must agree on counts."""
        out = bytearray(b"\x00asm\x01\x00\x00\x00")
        for section_id in (1, 2, 4, 5, 13, 6, 7, 8, 9):
            if self.coin(5):
                custom = _str(self.name()) + self.binary(4)
                out += b"\x00" + _leb(len(custom)) + custom
            if self.coin(3):
                body = self.binary(6)
                out += bytes([section_id]) + _leb(len(body)) + body
        return bytes(out)

    def section(self, depth: int) -> Section:
        w = self.size_width
        makers: list[Callable[[], Section]] = [
            lambda: CustomSection(self.custom_name(), self.binary(12), size_width=w()),
            lambda: NameSection(tuple(self.name_subsection() for _ in range(self.num(0, 3))), size_width=w()),
            lambda: CoreModuleSection(CoreModule(self.core_module_outline()), size_width=w()),
            lambda: CoreInstanceSection(self.many(self.core_instance), size_width=w()),
            lambda: CoreTypeSection(self.many(self.core_type), size_width=w()),
            lambda: InstanceSection(self.many(self.instance), size_width=w()),
            lambda: AliasSection(self.many(self.alias), size_width=w()),
            lambda: TypeSection(self.many(lambda: self.deftype(depth)), size_width=w()),
            lambda: CanonSection(self.many(self.canon), size_width=w()),
            lambda: StartSection(Start(self.u32(), self.many(self.u32), self.num(0, 1000)), size_width=w()),
            lambda: ImportSection(
                self.many(lambda: Import(self.extern_name(), self.extern_type())), size_width=w()
            ),
            lambda: ExportSection(
                self.many(
                    lambda: Export(self.extern_name(), self.sort_index(), self.optional(self.extern_type))
                ),
                size_width=w(),
            ),
            lambda: ValueSection(self.many(self.value), size_width=w()),
        ]
        if depth > 0:
            makers.append(lambda: ComponentSection(self.component(depth - 1), size_width=w()))
        made: Section = self.one_of(*makers)
        return made

    def value(self) -> Value:
        data = self.binary(10)
        return Value(self.valtype(), self._wide(data, _uleb_len(len(data)), U32_WIDTH))

    def component(self, depth: int) -> Component:
        return Component(tuple(self.section(depth) for _ in range(self.num(0, self.max_sections))))


@st.composite
def components(
    draw: st.DrawFn, max_depth: int = 2, widths: bool = False, max_sections: int = 5, max_items: int = 3
) -> Component:
    """Structurally well-formed component ASTs, not necessarily valid.

    Every AST class and enum member can appear (nested components and component/instance types
    up to ``max_depth`` levels). The generated ASTs keep the invariants under which an AST has
    exactly one encoding: an implicit ``RecGroup`` holds one ``SubType``; a non-explicit
    ``SubType`` is final without supertypes; ``RefType.short`` only for a nullable abstract heap
    type; ``CanonOption.index`` is set exactly for the kinds that take one; built-in arguments
    follow ``Builtin.immediates``; ``ExternName.attributes`` is empty unless the form is
    ``WITH_ATTRIBUTES``; a custom section named ``component-name`` only with a padded length
    (anything else named so would read back as a ``NameSection``); value type, heap type and
    continuation indices are non-negative s33 below 2**32; u32 fields below 2**32, limits below
    2**64; names are any text without surrogates.

    A component has up to ``max_sections`` sections and a vector up to ``max_items`` items.
    With ``widths``, ints, names, vectors and value payloads are sometimes wrapped with
    :func:`~wacpy.binary.wide.widen` using a width between the minimal one and the most the
    LEB128 kind allows (u32: 5, u64: 10, s33: 5), and sections and name subsections get random
    ``size_width``s.
    """
    return _Arbitrary(_HypothesisSource(draw), widths, max_sections, max_items).component(max_depth)


def random_component(
    rng: random.Random, max_depth: int = 2, widths: bool = False, max_sections: int = 5, max_items: int = 3
) -> Component:
    """What :func:`components` generates, drawn uniformly from ``rng`` (no shrinking)."""
    return _Arbitrary(_RandomSource(rng), widths, max_sections, max_items).component(max_depth)


# ==========================================================================================
# Part 2: components that wasm-tools validates
# ==========================================================================================
#: Features passed to ``wasm-tools validate --features`` (on top of its defaults, which include
#: component-model async types and built-ins, GC and exceptions): fixed-length lists, maps, and
#: the ``implements`` / ``versionsuffix`` / ``external-id`` name attributes.
VALIDATE_FEATURES = ("cm-fixed-length-lists", "cm-map", "cm-implements", "cm-canon-names")

#: Primitive value types valid with the default features (``error-context`` needs a feature).
_PRIMS = tuple(p for p in PrimValType if p is not PrimValType.ERROR_CONTEXT)
_VAL_KINDS = frozenset(
    {"prim", "record", "variant", "flags", "enum", "list", "fixed", "tuple", "option", "result"}
    | {"own", "borrow", "stream", "future", "map"}
)
_NOMINAL = frozenset({"record", "variant", "flags", "enum"})

I32, I64, F32, F64 = NumType.I32, NumType.I64, NumType.F32, NumType.F64
#: A core function signature: (params, results).
Sig = tuple[tuple[NumType, ...], tuple[NumType, ...]]


class _T:
    """A component type as the validator sees it.

    Identity matters: the validator tells two records (or two resources) apart by identity, and
    a record is "named" when that very type was imported or exported. ``a`` holds the structure:
    ``prim``: a PrimValType; ``record``/``variant``: ((label, V or None), ...); ``flags``/``enum``:
    labels; ``list``/``option``: V; ``fixed``: (V, n); ``tuple``: (V, ...); ``result``: (V?, V?);
    ``own``/``borrow``: a resource _T; ``stream``/``future``: V?; ``map``: (V, V); ``func``:
    (((label, V), ...), V?, is_async); ``resource``: None; ``instance``: [(name, _E)];
    ``component``: ([(name, _E)] imports, [(name, _E)] exports). V is a PrimValType or a _T.
    """

    __slots__ = ("a", "base", "kind", "local")

    def __init__(self, kind: str, a: Any = None, *, local: bool = False) -> None:
        self.kind = kind
        self.a = a
        self.local = local  # a resource defined by a concrete component (not imported)
        self.base = self

    def unique(self) -> _T:
        """A fresh identity for the same type (what importing or exporting a type creates)."""
        copy = _T(self.kind, self.a, local=self.local)
        copy.base = self.base
        return copy


V = PrimValType | _T


class _E:
    """What an import, export or alias adds to an index space: ``sort`` and its type(s)."""

    __slots__ = ("created", "referenced", "sort", "type_index")

    def __init__(
        self, sort: str, created: Any, referenced: Any = None, type_index: int | None = None
    ) -> None:
        self.sort = sort  # "func", "type", "instance", "component", "module"
        self.created = created
        self.referenced = created if referenced is None else referenced
        self.type_index = type_index  # the type index it was declared with, when there is one


def _children(t: _T) -> list[V]:
    """The value types directly inside a defined value type."""
    k, a = t.kind, t.a
    if k == "record":
        return [v for _, v in a]
    if k == "variant":
        return [v for _, v in a if v is not None]
    if k in ("list", "option"):
        return [a]
    if k == "fixed":
        return [a[0]]
    if k in ("tuple", "map"):
        return list(a)
    if k == "result":
        return [v for v in a if v is not None]
    if k in ("stream", "future"):
        return [] if a is None else [a]
    return []


def _named_val(v: V, named: set[_T]) -> bool:
    """Whether using ``v`` in an import/export is allowed when ``named`` are the named types."""
    if isinstance(v, PrimValType):
        return True
    if v.kind in _NOMINAL:
        return v in named
    if v.kind in ("own", "borrow"):
        return bool(v.a in named)
    return all(_named_val(c, named) for c in _children(v))


def _all_named(t: _T, named: set[_T]) -> bool:
    """Whether everything ``t`` refers to is named (wasmparser's ``all_valtypes_named``)."""
    if t.kind in ("resource", "component"):
        return True
    if t.kind == "func":
        params, result, _ = t.a
        return all(_named_val(v, named) for _, v in params) and (result is None or _named_val(result, named))
    if t.kind == "instance":
        for _, e in t.a:
            if e.sort in ("func", "instance") and not _all_named(e.created, named):
                return False
            if e.sort == "type" and not _all_named(e.created, named):
                return False
        return True
    if t.kind in ("own", "borrow"):
        return bool(t.a in named)
    return all(_named_val(c, named) for c in _children(t))


def _register(e: _E, imported: set[_T], exported: set[_T], importing: bool, export_only: set[_T]) -> bool:
    """Check an import (or export) of ``e`` and record the types it names, like wasmparser's
    ``validate_and_register_named_types``; the sets are updated even when the check fails.

    wasm-tools 1.262 also refuses to import ``(eq i)`` of a type only an export named
    (``export_only``), even from inside an imported instance type.
    """
    named = imported if importing else exported
    if e.sort == "type":
        if not _all_named(e.referenced, named) or (importing and e.referenced in export_only):
            return False
        exported.add(e.created)
        if importing:
            imported.add(e.created)
        return True
    if e.sort == "instance":
        return all(_register(sub, imported, exported, importing, export_only) for _, sub in e.created.a)
    if e.sort == "func":
        return _all_named(e.created, named)
    return True


def _has_borrow(v: V) -> bool:
    if isinstance(v, PrimValType):
        return False
    return v.kind == "borrow" or any(_has_borrow(c) for c in _children(v))


def _mentions_resources(t: Any, seen: set[int] | None = None) -> bool:
    """Whether a type refers to any resource at all (conservative "free resource variables")."""
    if not isinstance(t, _T):
        return False
    seen = set() if seen is None else seen
    if id(t) in seen:
        return False
    seen.add(id(t))
    if t.kind in ("resource", "own", "borrow"):
        return True
    if t.kind == "func":
        params, result, _ = t.a
        return any(_mentions_resources(v, seen) for _, v in params) or _mentions_resources(result, seen)
    if t.kind == "instance":
        return any(_mentions_resources(e.created, seen) for _, e in t.a)
    if t.kind == "component":
        return any(_mentions_resources(e.created, seen) for _, e in [*t.a[0], *t.a[1]])
    return any(_mentions_resources(c, seen) for c in _children(t))


def _shape(v: Any) -> Any:
    """A structural key for subtype-free matching of function types (None: has resources)."""
    if v is None or isinstance(v, PrimValType):
        return v
    assert isinstance(v, _T)
    if v.kind in ("own", "borrow", "resource"):
        return None
    if v.kind == "func":
        params, result, is_async = v.a
        parts = [(label, _shape(p)) for label, p in params]
        res = _shape(result)
        if any(s is None for _, s in parts) or (result is not None and res is None):
            return None
        return ("func", tuple(parts), res, is_async)
    if v.kind in ("record", "variant"):
        inner = tuple((label, _shape(c)) for label, c in v.a)
        if any(c is not None and s is None for (_, c), (_, s) in zip(v.a, inner, strict=True)):
            return None
        return (v.kind, inner)
    if v.kind in ("flags", "enum", "prim"):
        return (v.kind, v.a)
    kids = [_shape(c) for c in _children(v)]
    if any(k is None for k in kids):
        return None
    extra = v.a[1] if v.kind == "fixed" else None
    layout = (
        tuple(c is None for c in v.a)
        if v.kind == "result"
        else v.a is None
        if v.kind in ("stream", "future")
        else None
    )
    return (v.kind, tuple(kids), extra, layout)


# -- the canonical ABI, as far as lifting and lowering need it ----------------------------------
_PRIM_FLAT = {
    PrimValType.S64: (I64,),
    PrimValType.U64: (I64,),
    PrimValType.F32: (F32,),
    PrimValType.F64: (F64,),
    PrimValType.STRING: (I32, I32),
}


def _join(a: NumType, b: NumType) -> NumType:
    if a == b:
        return a
    if {a, b} == {I32, F32}:
        return I32
    return I64


def _flat(v: V) -> list[NumType]:
    """The flattened core types of a value type."""
    if isinstance(v, PrimValType):
        return list(_PRIM_FLAT.get(v, (I32,)))
    k = v.kind
    if k == "prim":
        return _flat(v.a)
    if k in ("record", "tuple"):
        return [f for c in _children(v) for f in _flat(c)]
    if k in ("list", "map"):
        return [I32, I32]
    if k == "fixed":
        element: list[NumType] = _flat(v.a[0])
        return element * int(v.a[1])
    if k == "flags":
        return [I32] * ((len(v.a) + 31) // 32)
    if k in ("variant", "option", "result"):
        payload: list[NumType] = []
        for case in _children(v):
            for i, t in enumerate(_flat(case)):
                if i < len(payload):
                    payload[i] = _join(payload[i], t)
                else:
                    payload.append(t)
        return [I32, *payload]
    return [I32]  # enum, own, borrow, stream, future


def _contains_ptr(v: V) -> bool:
    if isinstance(v, PrimValType):
        return v is PrimValType.STRING
    if v.kind in ("list", "map"):
        return True
    if v.kind == "prim":
        return _contains_ptr(v.a)
    return any(_contains_ptr(c) for c in _children(v))


# -- a tiny core module assembler ----------------------------------------------------------------
def _leb(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _vec(items: Sequence[bytes]) -> bytes:
    return _leb(len(items)) + b"".join(items)


def _str(text: str) -> bytes:
    return _leb(len(text.encode())) + text.encode()


def _section(section_id: int, items: Sequence[bytes]) -> bytes:
    body = _vec(items)
    return bytes([section_id]) + _leb(len(body)) + body


def _functype(sig: Sig) -> bytes:
    return b"\x60" + _vec([bytes([t.value]) for t in sig[0]]) + _vec([bytes([t.value]) for t in sig[1]])


_UNIT: Sig = ((), ())
#: Core items the "kit" module exports: name -> (sort, signature of a function or None).
_KIT_EXPORTS: dict[str, tuple[CoreSort, Sig | None]] = {
    "mem": (CoreSort.MEMORY, None),
    "realloc": (CoreSort.FUNC, ((I32, I32, I32, I32), (I32,))),
    "cb": (CoreSort.FUNC, ((I32, I32, I32), (I32,))),
    "dtor": (CoreSort.FUNC, ((I32,), ())),
    "g": (CoreSort.GLOBAL, None),
    "t": (CoreSort.TABLE, None),
    "e": (CoreSort.TAG, None),
}


def _core_module(
    imports: Sequence[tuple[str, str, CoreSort, Sig | None]],
    funcs: Sequence[tuple[str, Sig]],
    *,
    kit: bool = False,
) -> bytes:
    """A core module with ``imports`` and exported functions that trap; ``kit`` adds a memory,
    a global, a table and a tag (exported as ``mem``, ``g``, ``t``, ``e``)."""
    sigs: list[Sig] = [_UNIT]
    for _, _, sort, sig in imports:
        if sort is CoreSort.FUNC and sig is not None and sig not in sigs:
            sigs.append(sig)
    for _, sig in funcs:
        if sig not in sigs:
            sigs.append(sig)
    import_items = []
    for module, name, sort, sig in imports:
        if sort is CoreSort.FUNC:
            desc = b"\x00" + _leb(sigs.index(sig or _UNIT))
        elif sort is CoreSort.MEMORY:
            desc = b"\x02\x00\x00"
        elif sort is CoreSort.GLOBAL:
            desc = b"\x03\x7f\x00"
        elif sort is CoreSort.TABLE:
            desc = b"\x01\x70\x00\x00"
        else:
            desc = b"\x04\x00\x00"
        import_items.append(_str(module) + _str(name) + desc)
    imported_funcs = sum(1 for _, _, sort, _ in imports if sort is CoreSort.FUNC)
    out = b"\x00asm\x01\x00\x00\x00" + _section(1, [_functype(s) for s in sigs])
    if import_items:
        out += _section(2, import_items)
    out += _section(3, [_leb(sigs.index(sig)) for _, sig in funcs])
    exports = [_str(name) + b"\x00" + _leb(imported_funcs + i) for i, (name, _) in enumerate(funcs)]
    if kit:
        out += _section(4, [b"\x70\x00\x00"])  # table funcref 0
        out += _section(5, [b"\x00\x01"])  # memory 1
        out += _section(13, [b"\x00\x00"])  # tag of type 0: () -> ()
        out += _section(6, [b"\x7f\x00\x41\x00\x0b"])  # global i32 = 0
        exports += [
            _str("t") + b"\x01\x00",
            _str("mem") + b"\x02\x00",
            _str("e") + b"\x04\x00",
            _str("g") + b"\x03\x00",
        ]
    out += _section(7, exports)
    out += _section(10, [_leb(3) + b"\x00\x00\x0b" for _ in funcs])  # no locals; unreachable; end
    return out


# -- index spaces ----------------------------------------------------------------------------------
_SORT_OF = {
    "func": Sort.FUNC,
    "type": Sort.TYPE,
    "instance": Sort.INSTANCE,
    "component": Sort.COMPONENT,
    "module": Sort.CORE_MODULE,
}
_VECTOR_SECTIONS: dict[type[Any], str] = {
    CoreInstanceSection: "instances",
    CoreTypeSection: "types",
    InstanceSection: "instances",
    AliasSection: "aliases",
    TypeSection: "types",
    CanonSection: "functions",
    ImportSection: "imports",
    ExportSection: "exports",
}
#: GC abstract heap types valid with the default features (no stack switching, no sharing).
_GC_HEAP_KINDS = tuple(
    k for k in AbstractHeapKind if k not in (AbstractHeapKind.CONT, AbstractHeapKind.NOCONT)
)


class _Ctx:
    """One scope of index spaces: a concrete component, an instance type or a component type.

    ``imported``/``exported`` are the validator's sets of named types. An instance type has no
    such sets of its own (wasmparser checks names only when the instance type is imported), so
    its ``exported`` set stands for the importer's: it starts from the enclosing scope's names
    and grows with the instance type's exports, which keeps every instance type importable.
    """

    def __init__(self, kind: str, parent: _Ctx | None) -> None:
        self.kind = kind  # "component", "instance" or "component-type"
        self.parent = parent
        self.items: list[Any] = []  # sections (component) or declarations (types)
        self.types: list[_T] = []
        self.funcs: list[_E] = []
        self.instances: list[_E] = []
        self.components: list[_T] = []
        # ("func", Sig) | ("gc", SubType) | ("gc-outer", SubType) | ("module", (imports, exports))
        self.core_types: list[tuple[str, Any]] = []
        self.core_modules: list[Any] = []  # (imports, exports) of each module
        self.core_instances: list[dict[str, tuple[CoreSort, Sig | None]]] = []
        self.core_funcs: list[Sig] = []
        self.core_counts = dict.fromkeys((CoreSort.TABLE, CoreSort.MEMORY, CoreSort.GLOBAL, CoreSort.TAG), 0)
        self.imported: set[_T] = set()
        self.exported: set[_T] = set()
        self.export_only: set[_T] = set()  # instance types: what the importer named by exports only
        self.names: dict[bool, set[str]] = {True: set(), False: set()}  # importing -> name keys
        self.resource_names: dict[bool, dict[str, _T]] = {True: {}, False: {}}
        self.imports: list[tuple[str, _E]] = []
        self.exports: list[tuple[str, _E]] = []
        self.local_resources: set[_T] = set()
        self.kit: dict[str, int] = {}  # kit export name -> its core index here
        self.kit_instance: int | None = None
        self.instantiated: set[int] = set()

    @property
    def is_type(self) -> bool:
        return self.kind != "component"

    # -- emitting ------------------------------------------------------------------------------
    def emit(self, item: Any) -> None:
        self.items.append(item)

    def define_type(self, deftype: DefType, t: _T) -> int:
        self.emit(TypeDecl(deftype) if self.is_type else TypeSection((deftype,)))
        self.types.append(t)
        return len(self.types) - 1

    def define_core_type(self, core_type: CoreType, desc: tuple[str, Any]) -> int:
        self.emit(CoreTypeDecl(core_type) if self.is_type else CoreTypeSection((core_type,)))
        self.core_types.append(desc)
        return len(self.core_types) - 1

    def alias(self, alias: Alias) -> None:
        self.emit(AliasDecl(alias) if self.is_type else AliasSection((alias,)))

    def canon(self, canon: Canon, sig: Sig | None) -> int:
        """Emit a canonical definition; ``sig`` is the core function it defines (None for lift)."""
        self.emit(CanonSection((canon,)))
        if sig is None:
            return -1
        self.core_funcs.append(sig)
        return len(self.core_funcs) - 1

    def push(self, e: _E) -> None:
        """Add what an import, export or alias introduces to its index space."""
        if e.sort == "type":
            self.types.append(e.created)
        elif e.sort == "func":
            self.funcs.append(e)
        elif e.sort == "instance":
            self.instances.append(e)
        elif e.sort == "component":
            self.components.append(e.created)
        else:
            self.core_modules.append(e.created)

    def register(self, e: _E, importing: bool) -> bool:
        """Check that ``e`` may be imported/exported (names) and, if so, record what it names."""
        if self.kind == "instance":  # checked as part of the future import of the instance type
            trial = set(self.exported)
            if not _register(e, trial, trial, True, self.export_only):
                return False
            self.exported = trial
            return True
        imported, exported = set(self.imported), set(self.exported)
        if not _register(e, imported, exported, importing, exported - imported):
            return False
        self.imported, self.exported = imported, exported
        return True

    def named(self, importing: bool) -> set[_T]:
        return self.imported if importing and self.kind != "instance" else self.exported

    def extern(self, name: ExternName, extern: ExternType, e: _E, importing: bool) -> None:
        """Emit an import or a type-context export declaration of ``e`` (already registered)."""
        if importing:
            self.emit(ImportDecl(name, extern) if self.is_type else ImportSection((Import(name, extern),)))
            self.imports.append((name.name, e))
        else:
            assert self.is_type
            self.emit(ExportDecl(name, extern))
            self.exports.append((name.name, e))
        if e.sort == "type" and e.created.kind == "resource" and ":" not in name.name:
            self.resource_names[importing][name.name] = e.created
        self.push(e)

    def index_of(self, t: _T) -> int:
        return next(i for i, u in enumerate(self.types) if u is t)

    def sections(self, merge: Callable[[], bool]) -> tuple[Section, ...]:
        """The emitted sections, with neighbours of the same kind merged when ``merge()`` says so."""
        out: list[Any] = []
        for section in self.items:
            attr = _VECTOR_SECTIONS.get(type(section))
            if attr and out and type(out[-1]) is type(section) and merge():
                out[-1] = type(section)(getattr(out[-1], attr) + getattr(section, attr))
            else:
                out.append(section)
        return tuple(out)


_LOWER = "abcdefghijklmnopqrstuvwxyz"


def _key(name: str) -> str:
    """What wasm-tools 1.262 compares names by: case and dashes do not count (``a-b`` = ``AB``)."""
    return name.lower().replace("-", "")


class _ValidBuilder(_Chooser):
    """Builds a valid component one self-contained step ("action") at a time.

    Each action looks at the current scope, picks what it may use (only types that are named
    where names are needed, only resources where resources are needed, ...), emits sections or
    declarations, and updates the index spaces. An action that finds nothing to work on does
    nothing.
    """

    # -- names ----------------------------------------------------------------------------------------
    def word(self) -> str:
        word = self.pick(_LOWER) + "".join(self.pick(_LOWER + "0123456789") for _ in range(self.num(0, 4)))
        return word.upper() if self.coin(6) else word

    def label(self) -> str:
        return "-".join(self.word() for _ in range(self.num(1, 3)))

    def fresh_label(self, used: set[str], prefix: str = "l:") -> str:
        label = self.label()
        n = 0
        while prefix + _key(label) in used:
            n += 1
            label = f"{label}-n{n}"
        used.add(prefix + _key(label))
        return label

    def interface(self, version: str | None = None) -> str:
        """``ns:pkg/iface``, with ``version`` or (sometimes) a random full semver."""
        name = f"{self.word().lower()}:{self.label().lower()}/{self.label().lower()}"
        if version is None and self.coin():
            version = "{}.{}.{}".format(*(self.num(0, 12) for _ in range(3)))
        return name if version is None else f"{name}@{version}"

    def version_track(self) -> tuple[str, str]:
        """A canonical version track and the suffix completing it (``1`` + ``.2.3``, ``0.2`` + ``.3``)."""
        major, minor, patch = (self.num(0, 12) for _ in range(3))
        if major or not minor:
            return str(major or 1), f".{minor}.{patch}"
        return f"0.{minor}", f".{patch}"

    def extern_name(self, used: set[str], sort: str) -> ExternName:
        """A fresh import/export name (a kebab label or an interface name) with valid attributes.

        ``implements`` needs a label naming an instance; ``versionsuffix`` needs an instance
        named by an interface (or implementing one) whose version is the canonical track of
        the version the suffix completes.
        """
        track, suffix = self.version_track() if sort == "instance" and self.coin(4) else (None, None)
        attributes: list[NameAttribute] = []
        if self.coin(3):
            name = self.interface(track)
            n = 0
            while "i:" + _key(name) in used:
                n += 1
                name = (
                    name.replace("/", f"/n{n}-", 1) if n == 1 else name.replace(f"/n{n - 1}-", f"/n{n}-", 1)
                )
            used.add("i:" + _key(name))
        else:
            name = self.fresh_label(used)
            if sort == "instance" and (track is not None or self.coin(4)):
                attributes.append(Implements(self.interface(track)))
        if suffix is not None:
            attributes.append(VersionSuffix(suffix))
        if self.coin(4):
            attributes.append(ExternalId(self.text(6)))
        if not attributes and not self.coin(8):
            return ExternName(
                name, (), self.pick([NameForm.PLAIN, NameForm.PLAIN, NameForm.LEGACY_INTERFACE])
            )
        return ExternName(name, tuple(self.permutation(attributes)), NameForm.WITH_ATTRIBUTES)

    # -- value and function types ------------------------------------------------------------------
    def pick_val(self, ctx: _Ctx, named: set[_T] | None, *, no_borrow: bool = False) -> tuple[ValType, V]:
        options = [
            (i, t)
            for i, t in enumerate(ctx.types)
            if t.kind in _VAL_KINDS
            and not (no_borrow and _has_borrow(t))
            and (named is None or _named_val(t, named))
        ]
        if options and not self.coin(3):
            index, t = self.pick(options)
            return index, t
        prim = self.pick(_PRIMS)
        return prim, prim

    def naming(self, ctx: _Ctx) -> set[_T] | None:
        """Which named types new types should (mostly) be built from, to stay importable."""
        if ctx.kind == "instance":
            return ctx.exported if not self.coin(4) else None
        return self.pick([ctx.imported, ctx.imported, ctx.exported, None])

    def defval(self, ctx: _Ctx) -> tuple[DefValType, _T]:
        named = self.naming(ctx)

        def val(no_borrow: bool = False) -> tuple[ValType, V]:
            return self.pick_val(ctx, named, no_borrow=no_borrow)

        def labels(low: int, high: int) -> list[str]:
            used: set[str] = set()
            return [self.fresh_label(used) for _ in range(self.num(low, high))]

        resources = [i for i, t in enumerate(ctx.types) if t.kind == "resource"]
        kinds = ["prim", "record", "variant", "list", "fixed", "tuple", "flags", "enum", "option", "result"]
        kinds += ["stream", "future", "map"] + (["own", "borrow"] if resources else [])
        kind = self.pick(kinds)
        if kind == "prim":
            prim = self.pick(_PRIMS)
            return prim, _T("prim", prim)
        if kind == "record":
            fields = [(label, val()) for label in labels(1, 4)]
            return RecordType(tuple(LabeledValType(lb, v[0]) for lb, v in fields)), _T(
                "record", tuple((lb, v[1]) for lb, v in fields)
            )
        if kind == "variant":
            cases = [(label, val() if self.coin() else None) for label in labels(1, 4)]
            return VariantType(tuple(Case(lb, None if v is None else v[0]) for lb, v in cases)), _T(
                "variant", tuple((lb, None if v is None else v[1]) for lb, v in cases)
            )
        if kind in ("list", "option"):
            ast, desc = val()
            return (ListType(ast) if kind == "list" else OptionType(ast)), _T(kind, desc)
        if kind == "fixed":
            ast, desc = val()
            length = self.num(1, 4)
            return FixedListType(ast, length), _T("fixed", (desc, length))
        if kind == "tuple":
            items = [val() for _ in range(self.num(1, 4))]
            return TupleType(tuple(a for a, _ in items)), _T("tuple", tuple(d for _, d in items))
        if kind == "flags":
            names = labels(1, 32 if self.coin(8) else 5)
            return FlagsType(tuple(names)), _T("flags", tuple(names))
        if kind == "enum":
            names = labels(1, 5)
            return EnumType(tuple(names)), _T("enum", tuple(names))
        if kind == "result":
            ok, err = (val() if self.coin() else None), (val() if self.coin() else None)
            return ResultType(ok and ok[0], err and err[0]), _T("result", (ok and ok[1], err and err[1]))
        if kind in ("own", "borrow"):
            index = self.pick(resources)
            return (OwnType(index) if kind == "own" else BorrowType(index)), _T(kind, ctx.types[index])
        if kind == "map":
            (k_ast, k_desc), (v_ast, v_desc) = val(), val()
            key = k_desc.a if isinstance(k_desc, _T) and k_desc.kind == "prim" else k_desc
            if not isinstance(key, PrimValType) or key in (PrimValType.F32, PrimValType.F64):
                k_ast, k_desc = PrimValType.STRING, PrimValType.STRING  # keys: non-float primitives
            return MapType(k_ast, v_ast), _T("map", (k_desc, v_desc))
        element = val(no_borrow=True) if self.coin(3) or kind == "future" else None
        if kind == "stream" and element is not None:
            desc = element[1]
            if desc is PrimValType.CHAR or (
                isinstance(desc, _T) and desc.kind == "prim" and desc.a is PrimValType.CHAR
            ):
                element = None  # stream<char> is rejected
        ast_el, desc_el = (None, None) if element is None else element
        return (StreamType(ast_el) if kind == "stream" else FutureType(ast_el)), _T(kind, desc_el)

    def functype(
        self,
        ctx: _Ctx,
        first: tuple[str, ValType, V] | None = None,
        result: tuple[ValType, V] | None = None,
        *,
        constructor: bool = False,
    ) -> tuple[FuncType, _T]:
        named = self.naming(ctx)
        used: set[str] = set()
        params: list[tuple[str, ValType, V]] = []
        if first is not None:
            used.add("l:" + first[0])
            params.append(first)
        for _ in range(self.num(0, 4)):
            ast, desc = self.pick_val(ctx, named)
            params.append((self.fresh_label(used), ast, desc))
        if result is None and self.coin():
            result = self.pick_val(ctx, named, no_borrow=True)
        is_async = first is None and not constructor and self.coin(3)
        ast_t = FuncType(tuple(LabeledValType(n, a) for n, a, _ in params), result and result[0], is_async)
        return ast_t, _T("func", (tuple((n, d) for n, _, d in params), result and result[1], is_async))

    # -- actions available in every scope ---------------------------------------------------------
    def act_valtype(self, ctx: _Ctx, depth: int) -> None:
        ctx.define_type(*self.defval(ctx))

    def act_functype(self, ctx: _Ctx, depth: int) -> None:
        ctx.define_type(*self.functype(ctx))

    def act_name_type(self, ctx: _Ctx, depth: int) -> None:
        """Import ``(type (eq i))`` or export a type, which names it (and its copy is then usable)."""
        importing = ctx.kind != "instance" and self.coin()
        named = ctx.named(importing)
        options = [
            i
            for i, t in enumerate(ctx.types)
            if (t.kind in _VAL_KINDS or t.kind == "func" or (t.kind == "resource" and not importing))
            and _all_named(t, named)
        ]
        if not options:
            return
        index = self.pick(options)
        t = ctx.types[index]
        # wasm-tools 1.262 gives a value type or resource a fresh identity when it is imported
        # or exported, but not a function type (it stays "the exported type").
        e = _E("type", t if t.kind == "func" else t.unique(), t)
        if not ctx.register(e, importing):
            return
        name = self.extern_name(ctx.names[importing], "type")
        if ctx.is_type or importing:
            ctx.extern(name, TypeExtern(EqBound(index)), e, importing)
            return
        ascription = TypeExtern(EqBound(index)) if self.coin(3) else None
        self.export(ctx, name, SortIndex(Sort.TYPE, index), ascription, e)

    def act_resource(self, ctx: _Ctx, depth: int) -> None:
        """Import or export ``(type (sub resource))`` (or define a resource in a component)."""
        if ctx.kind == "component" and self.coin():
            dtors = [i for i, sig in enumerate(ctx.core_funcs) if sig == ((I32,), ())]
            dtor = self.pick(dtors) if dtors and self.coin() else None
            r = _T("resource", local=True)
            ctx.local_resources.add(r)
            ctx.define_type(ResourceType(I32, dtor), r)
            return
        importing = ctx.kind == "component" or (ctx.kind == "component-type" and self.coin())
        # A component type's exported resources are its own (defined) ones.
        r = _T("resource", local=ctx.kind == "component-type" and not importing)
        e = _E("type", r)
        ctx.register(e, importing)
        ctx.extern(
            ExternName(self.fresh_label(ctx.names[importing])), TypeExtern(SubResource()), e, importing
        )

    def act_func(self, ctx: _Ctx, depth: int) -> None:
        """Import a function (or, in a type, export one) of a named function type."""
        importing = ctx.kind == "component" or (ctx.kind == "component-type" and self.coin())
        named = ctx.named(importing)
        options = [i for i, t in enumerate(ctx.types) if t.kind == "func" and _all_named(t, named)]
        if not options:
            if not self.coin(3):
                return
            ctx.define_type(*self.functype(ctx))
            options = [len(ctx.types) - 1] if _all_named(ctx.types[-1], named) else []
            if not options:
                return
        index = self.pick(options)
        e = _E("func", ctx.types[index], type_index=index)
        ctx.register(e, importing)
        ctx.extern(self.extern_name(ctx.names[importing], "func"), FuncExtern(index), e, importing)

    def act_resource_func(self, ctx: _Ctx, depth: int) -> None:
        """A ``[constructor]r``, ``[method]r.m`` or ``[static]r.m`` function for a named resource."""
        importing = ctx.kind == "component" or (ctx.kind == "component-type" and self.coin())
        resources = sorted(ctx.resource_names[importing].items())
        if not resources:
            return
        rname, r = self.pick(resources)
        rindex = ctx.index_of(r)
        used = ctx.names[importing]
        style = self.pick(["constructor", "method", "static"])
        if style == "constructor":
            if "c:" + _key(rname) in used:
                return
            used.add("c:" + _key(rname))
            own = ctx.define_type(OwnType(rindex), _T("own", r))
            result: tuple[ValType, V] = (own, ctx.types[own])
            if self.coin(3):
                err, err_desc = self.pick_val(ctx, ctx.named(importing), no_borrow=True)
                result = (
                    ctx.define_type(ResultType(own, err), _T("result", (ctx.types[own], err_desc))),
                    ctx.types[-1],
                )
            ft, t = self.functype(ctx, result=result, constructor=True)
            name = f"[constructor]{rname}"
        else:
            method = self.label()
            while _key(method) == _key(rname) or "m:" + _key(f"{rname}.{method}") in used:
                method += "-x"
            used.add("m:" + _key(f"{rname}.{method}"))
            first = None
            if style == "method":
                borrow = ctx.define_type(BorrowType(rindex), _T("borrow", r))
                first = ("self", borrow, ctx.types[borrow])
            ft, t = self.functype(ctx, first=first)
            name = f"[{style}]{rname}.{method}"
        index = ctx.define_type(ft, t)
        e = _E("func", t, type_index=index)
        if not ctx.register(e, importing):
            return  # another parameter is not named; the types stay defined, unused
        ctx.extern(ExternName(name), FuncExtern(index), e, importing)

    def act_instance_type(self, ctx: _Ctx, depth: int) -> None:
        """Define an instance type, then import it (or export it from a type)."""
        if depth <= 0:
            return
        inner = _Ctx("instance", ctx)
        inner.exported = set(ctx.named(ctx.kind != "instance"))
        inner.export_only = ctx.export_only if ctx.kind == "instance" else ctx.exported - ctx.imported
        self.fill(inner, depth - 1, 6)
        index = ctx.define_type(InstanceType(tuple(inner.items)), _T("instance", inner.exports))
        if not self.coin(3):
            self.use_instance_type(ctx, index)

    def act_instance(self, ctx: _Ctx, depth: int) -> None:
        options = [i for i, t in enumerate(ctx.types) if t.kind == "instance"]
        if options:
            self.use_instance_type(ctx, self.pick(options))

    def use_instance_type(self, ctx: _Ctx, index: int) -> None:
        importing = ctx.kind == "component" or (ctx.kind == "component-type" and self.coin())
        e = _E("instance", ctx.types[index], type_index=index)
        if ctx.register(e, importing):
            ctx.extern(
                self.extern_name(ctx.names[importing], "instance"), InstanceExtern(index), e, importing
            )

    def act_component_type(self, ctx: _Ctx, depth: int) -> None:
        """Define a component type, then import it (or export it from a type)."""
        if depth <= 0:
            return
        inner = _Ctx("component-type", ctx)
        self.fill(inner, depth - 1, 6)
        t = _T("component", (inner.imports, inner.exports))
        index = ctx.define_type(ComponentType(tuple(inner.items)), t)
        if self.coin(3):
            return
        importing = ctx.kind == "component" or (ctx.kind == "component-type" and self.coin())
        e = _E("component", t, type_index=index)
        ctx.extern(self.extern_name(ctx.names[importing], "component"), ComponentExtern(index), e, importing)

    def act_alias_export(self, ctx: _Ctx, depth: int) -> None:
        """``(alias export i "name" (sort))`` from an instance in scope."""
        options = [
            (i, name, e)
            for i, inst in enumerate(ctx.instances)
            for name, e in inst.created.a
            if not ctx.is_type or e.sort in ("type", "instance")
        ]
        if not options:
            return
        i, name, e = self.pick(options)
        ctx.alias(ExportAlias(_SORT_OF[e.sort], i, name))
        ctx.push(_E(e.sort, e.created, e.referenced))

    def act_alias_outer(self, ctx: _Ctx, depth: int) -> None:
        """``(alias outer n i (sort))`` of a type (or a component, core module or core type)."""
        options: list[tuple[Sort, int, int, Any]] = []
        inside, outer, count = ctx, ctx.parent, 1
        while outer is not None:
            crossing = inside.kind == "component"  # leaving a concrete component: no free resources
            for i, t in enumerate(outer.types):
                if not _mentions_local(t) and not (crossing and _mentions_resources(t)):
                    options.append((Sort.TYPE, count, i, t))
            for i, desc in enumerate(outer.core_types):
                options.append((Sort.CORE_TYPE, count, i, desc))
            if ctx.kind == "component":
                options += [(Sort.COMPONENT, count, i, c) for i, c in enumerate(outer.components)]
                options += [(Sort.CORE_MODULE, count, i, m) for i, m in enumerate(outer.core_modules)]
            inside, outer, count = outer, outer.parent, count + 1
        if not options:
            return
        sort, count, index, item = self.pick(options)
        ctx.alias(OuterAlias(sort, count, index))
        if sort is Sort.TYPE:
            ctx.types.append(item)
        elif sort is Sort.CORE_TYPE:
            # A GC type's concrete references mean other types out here: never copy it.
            ctx.core_types.append(("gc-outer", item[1]) if item[0] == "gc" else item)
        elif sort is Sort.COMPONENT:
            ctx.components.append(item)
        else:
            ctx.core_modules.append(item)

    def act_core_type(self, ctx: _Ctx, depth: int) -> None:
        """A core function type, a GC recursion group, or a module type."""
        choice = self.num(0, 2)
        if choice == 0:
            sig = self.core_sig()
            sub = SubType(CompositeType(CoreFuncType(*sig)))
            ctx.define_core_type(RecGroup((sub,)), ("func", sig))
        elif choice == 1:
            self.gc_rec_group(ctx)
        else:
            self.module_type(ctx)

    def act_module(self, ctx: _Ctx, depth: int) -> None:
        """Import (or, in a type, export) a core module of a module type."""
        options = [i for i, (kind, _) in enumerate(ctx.core_types) if kind == "module"]
        if not options:
            return
        index = self.pick(options)
        importing = ctx.kind == "component" or (ctx.kind == "component-type" and self.coin())
        e = _E("module", ctx.core_types[index][1], type_index=index)
        ctx.extern(self.extern_name(ctx.names[importing], "module"), ModuleExtern(index), e, importing)

    # -- core types ------------------------------------------------------------------------------
    def core_sig(self, max_params: int = 3) -> Sig:
        nums = (I32, I64, F32, F64)
        params = tuple(self.pick(nums) for _ in range(self.num(0, max_params)))
        results = tuple(self.pick(nums) for _ in range(self.num(0, 2)))
        return params, results

    def gc_ref(self, limit: int, subs: Sequence[int]) -> RefType:
        """A reference to an abstract heap type, or to a sub type below ``limit``."""
        concrete = [i for i in subs if i < limit]
        if concrete and self.coin():
            return RefType(self.coin(), ConcreteHeapType(self.pick(concrete)))
        heap = AbstractHeapType(self.pick(_GC_HEAP_KINDS))
        if self.coin():
            return RefType(True, heap, short=True)
        return RefType(self.coin(), heap)

    def gc_rec_group(self, ctx: _Ctx) -> None:
        """An explicit or implicit recursion group of struct, array and function types; a sub type
        may extend an earlier non-final one of the same kind (width subtyping of structs)."""
        base = len(ctx.core_types)
        count = self.num(1, 3) if self.coin() else 1
        explicit = count > 1 or self.coin()
        limit = base + count
        subs = [i for i, (kind, _) in enumerate(ctx.core_types) if kind != "module"] + list(
            range(base, limit)
        )
        made: list[SubType] = []

        def storage() -> StorageType:
            choice = self.num(0, 2)
            if choice == 0:
                return self.pick(list(NumType))
            if choice == 1:
                return self.pick(list(PackedType))
            return self.gc_ref(limit, subs)

        def valtype() -> CoreValType:
            return self.pick(list(NumType)) if self.coin() else self.gc_ref(limit, subs)

        for _ in range(count):
            candidates = [
                (j, sub)
                for j, sub in [
                    *((j, d) for j, (k, d) in enumerate(ctx.core_types) if k == "gc"),
                    *((base + n, s) for n, s in enumerate(made)),
                ]
                if not sub.final
            ]
            supers: tuple[int, ...] = ()
            inner: CoreFuncType | StructType | ArrayType | ContType
            if candidates and self.coin():
                j, parent = self.pick(candidates)
                supers = (j,)
                inner = parent.composite.inner
                if isinstance(inner, StructType):
                    extra = tuple(FieldType(storage(), self.coin()) for _ in range(self.num(0, 2)))
                    inner = StructType(inner.fields + extra)
            else:
                kind = self.num(0, 2)
                if kind == 0:
                    inner = StructType(
                        tuple(FieldType(storage(), self.coin()) for _ in range(self.num(0, 3)))
                    )
                elif kind == 1:
                    inner = ArrayType(FieldType(storage(), self.coin()))
                else:
                    inner = CoreFuncType(
                        tuple(valtype() for _ in range(self.num(0, 2))),
                        tuple(valtype() for _ in range(self.num(0, 2))),
                    )
            final = not self.coin()
            sub_explicit = bool(supers) or not final or self.coin(3)
            made.append(SubType(CompositeType(inner), final, supers, explicit=sub_explicit))
        group = RecGroup(tuple(made), explicit=explicit)
        if explicit:
            ctx.emit(CoreTypeDecl(group) if ctx.is_type else CoreTypeSection((group,)))
            ctx.core_types += [("gc", sub) for sub in made]
        else:
            ctx.define_core_type(group, ("gc", made[0]))

    def module_type(self, ctx: _Ctx) -> None:
        """A module type with local function types, an outer alias, imports and exports."""
        decls: list[ModuleDecl] = []
        local: list[Sig | None] = []  # None: an aliased non-function type
        outer = [i for i, (kind, _) in enumerate(ctx.core_types) if kind != "module"]
        if outer and self.coin():
            index = self.pick(outer)
            decls.append(CoreOuterAlias(1, index))
            kind, desc = ctx.core_types[index]
            local.append(desc if kind == "func" else None)
        for _ in range(self.num(0, 2)):
            sig = self.core_sig()
            decls.append(RecGroup((SubType(CompositeType(CoreFuncType(*sig))),)))
            local.append(sig)
        funcs = [i for i, sig in enumerate(local) if sig is not None]
        tags = [i for i, sig in enumerate(local) if sig is not None and not sig[1]]  # no results

        def extern() -> tuple[CoreExternType, tuple[CoreSort, Sig | None]]:
            choice = self.num(0, 4)
            if choice == 0 and funcs:
                index = self.pick(funcs)
                return CoreFuncRef(index), (CoreSort.FUNC, local[index])
            if choice == 1:
                minimum = self.num(0, 3)
                maximum = self.num(minimum, 10) if self.coin() else None
                return MemoryType(minimum, maximum, memory64=self.coin(4)), (CoreSort.MEMORY, None)
            if choice == 2:
                return GlobalType(self.pick(list(NumType)), self.coin()), (CoreSort.GLOBAL, None)
            if choice == 3 and tags:
                return TagType(self.pick(tags)), (CoreSort.TAG, None)
            element = RefType(True, AbstractHeapType(AbstractHeapKind.FUNC), short=self.coin())
            return TableType(element, self.num(0, 2), None, table64=self.coin(4)), (
                CoreSort.TABLE,
                None,
            )

        imports: list[tuple[str, str, tuple[CoreSort, Sig | None]]] = []
        for _ in range(self.num(0, 2)):
            ext, desc = extern()
            module, name = self.label(), f"{self.label()}{len(imports)}"
            decls.append(CoreImport(module, name, ext))
            imports.append((module, name, desc))
        exports: dict[str, tuple[CoreSort, Sig | None]] = {}
        for _ in range(self.num(0, 3)):
            ext, desc = extern()
            name = f"{self.label()}{len(exports)}"
            decls.append(CoreExportDecl(name, ext))
            exports[name] = desc
        ctx.define_core_type(CoreModuleType(tuple(decls)), ("module", (tuple(imports), exports)))

    # -- actions of concrete components --------------------------------------------------------
    def export(
        self, ctx: _Ctx, name: ExternName, item: SortIndex, ascription: ExternType | None, e: _E
    ) -> None:
        """Emit an export section entry of an already registered ``e``; exports add an index."""
        ctx.emit(ExportSection((Export(name, item, ascription),)))
        ctx.exports.append((name.name, e))
        if e.sort == "type" and e.created.kind == "resource" and ":" not in name.name:
            ctx.resource_names[False][name.name] = e.created
        ctx.push(e)

    def act_export(self, ctx: _Ctx, depth: int) -> None:
        """Export a function, instance, component or core module in scope."""
        options: list[tuple[str, int]] = [("func", i) for i in range(len(ctx.funcs))]
        options += [("instance", i) for i in range(len(ctx.instances))]
        options += [("component", i) for i in range(len(ctx.components))]
        options += [("module", i) for i in range(len(ctx.core_modules))]
        if not options:
            return
        sort, index = self.pick(options)
        ascription: ExternType | None = None
        if sort == "func":
            f = ctx.funcs[index]
            e = _E("func", f.created, type_index=f.type_index)
            if f.type_index is not None and self.coin():
                ascription = FuncExtern(f.type_index)
        elif sort == "instance":
            inst = ctx.instances[index]
            e = _E("instance", inst.created, type_index=inst.type_index)
            if inst.type_index is not None and not _mentions_resources(inst.created) and self.coin():
                ascription = InstanceExtern(inst.type_index)
        elif sort == "component":
            e = _E("component", ctx.components[index])
        else:
            e = _E("module", ctx.core_modules[index])
        if not ctx.register(e, importing=False):
            return
        self.export(
            ctx, self.extern_name(ctx.names[False], sort), SortIndex(_SORT_OF[sort], index), ascription, e
        )

    def act_bag(self, ctx: _Ctx, depth: int) -> None:
        """An instance made of existing items: ``(instance (export "a" (func 0)) ...)``."""
        options: list[tuple[str, int]] = [("func", i) for i in range(len(ctx.funcs))]
        options += [
            ("type", i) for i, t in enumerate(ctx.types) if t.kind in _VAL_KINDS | {"func", "resource"}
        ]
        options += [("instance", i) for i in range(len(ctx.instances))]
        options += [("component", i) for i in range(len(ctx.components))]
        options += [("module", i) for i in range(len(ctx.core_modules))]
        chosen = self.some(options, 4) if options else []
        used: set[str] = set()
        exports: list[InlineExport] = []
        entities: list[tuple[str, _E]] = []
        for sort, index in chosen:
            if sort == "func":
                e = _E("func", ctx.funcs[index].created)
            elif sort == "type":
                e = _E("type", ctx.types[index])
            elif sort == "instance":
                e = ctx.instances[index]
            elif sort == "component":
                e = _E("component", ctx.components[index])
            else:
                e = _E("module", ctx.core_modules[index])
            name = self.extern_name(used, sort)
            exports.append(InlineExport(name, SortIndex(_SORT_OF[sort], index)))
            entities.append((name.name, e))
        ctx.emit(InstanceSection((InlineExports(tuple(exports)),)))
        ctx.instances.append(_E("instance", _T("instance", entities)))

    def act_nested(self, ctx: _Ctx, depth: int) -> None:
        """A nested component (which may alias outer types, components and modules)."""
        if depth <= 0:
            return
        inner = _Ctx("component", ctx)
        self.fill(inner, depth - 1, 8)
        ctx.emit(ComponentSection(Component(inner.sections(self.coin))))
        ctx.components.append(_T("component", (inner.imports, inner.exports)))

    def act_instantiate(self, ctx: _Ctx, depth: int) -> None:
        """Instantiate a component whose imports are all functions that match ones in scope."""
        by_shape: dict[Any, int] = {}
        for i, f in enumerate(ctx.funcs):
            by_shape.setdefault(_shape(f.created), i)
        options: list[tuple[int, tuple[InstantiateArg, ...], list[tuple[str, _E]]]] = []
        for ci, c in enumerate(ctx.components):
            imports, exports = c.a
            if ci in ctx.instantiated or any(_mentions_resources(e.created) for _, e in exports):
                continue
            args: list[InstantiateArg] = []
            for name, e in imports:
                shape = _shape(e.created) if e.sort == "func" else None
                if shape is None or shape not in by_shape:
                    break
                args.append(InstantiateArg(name, SortIndex(Sort.FUNC, by_shape[shape])))
            else:
                options.append((ci, tuple(args), exports))
        if not options:
            return
        ci, chosen, exports = self.pick(options)
        ctx.instantiated.add(ci)
        ctx.emit(InstanceSection((Instantiate(ci, chosen),)))
        ctx.instances.append(_E("instance", _T("instance", list(exports))))

    def kit_item(self, ctx: _Ctx, name: str) -> int:
        """The core index of an item of the kit module (instantiated and aliased on first use)."""
        if ctx.kit_instance is None:
            funcs = [(n, sig) for n, (sort, sig) in _KIT_EXPORTS.items() if sort is CoreSort.FUNC and sig]
            ctx.emit(CoreModuleSection(CoreModule(_core_module([], funcs, kit=True))))
            ctx.core_modules.append(((), dict(_KIT_EXPORTS)))
            ctx.kit_instance = self.instantiate_module(ctx, len(ctx.core_modules) - 1, ())
        if name not in ctx.kit:
            ctx.kit[name] = self.alias_core(ctx, ctx.kit_instance, name)
        return ctx.kit[name]

    def instantiate_module(self, ctx: _Ctx, module: int, args: tuple[CoreInstantiateArg, ...]) -> int:
        ctx.emit(CoreInstanceSection((CoreInstantiate(module, args),)))
        ctx.core_instances.append(dict(ctx.core_modules[module][1]))
        return len(ctx.core_instances) - 1

    def alias_core(self, ctx: _Ctx, instance: int, name: str) -> int:
        """``(alias core export instance "name" (core sort))``; returns the new core index."""
        sort, sig = ctx.core_instances[instance][name]
        ctx.alias(CoreExportAlias(Sort.of_core(sort), instance, name))
        if sort is CoreSort.FUNC:
            assert sig is not None
            ctx.core_funcs.append(sig)
            return len(ctx.core_funcs) - 1
        ctx.core_counts[sort] += 1
        return ctx.core_counts[sort] - 1

    def options(
        self,
        ctx: _Ctx,
        *,
        memory: bool,
        realloc: bool,
        post_return: int | None = None,
        callback: bool = False,
    ) -> tuple[CanonOption, ...]:
        """Canonical options in a random order: needed ones plus (sometimes) harmless extras."""
        memory = memory or realloc or self.coin(4)
        opts = []
        if self.coin():
            opts.append(
                CanonOption(
                    self.pick([CanonOptionKind.UTF8, CanonOptionKind.UTF16, CanonOptionKind.LATIN1_UTF16])
                )
            )
        if memory:
            opts.append(CanonOption(CanonOptionKind.MEMORY, self.kit_item(ctx, "mem")))
        if realloc or (memory and self.coin(4)):
            opts.append(CanonOption(CanonOptionKind.REALLOC, self.kit_item(ctx, "realloc")))
        if post_return is not None:
            opts.append(CanonOption(CanonOptionKind.POST_RETURN, post_return))
        if callback:
            opts.append(CanonOption(CanonOptionKind.ASYNC))
            opts.append(CanonOption(CanonOptionKind.CALLBACK, self.kit_item(ctx, "cb")))
        return tuple(self.permutation(opts))

    def act_lift(self, ctx: _Ctx, depth: int) -> None:
        """``canon lift`` of a function exported by a generated core module."""
        options = [i for i, t in enumerate(ctx.types) if t.kind == "func"]
        if not options:
            return
        index = self.pick(options)
        params, result, is_async = ctx.types[index].a
        use_async = is_async and self.coin()
        flat = [f for _, v in params for f in _flat(v)]
        realloc = any(_contains_ptr(v) for _, v in params)
        memory = realloc
        if len(flat) > 16:
            flat, memory, realloc = [I32], True, True
        results: list[NumType] = []
        if use_async:
            results = [I32]
            memory = memory or (result is not None and (len(_flat(result)) > 16 or _contains_ptr(result)))
        elif result is not None:
            results = _flat(result)
            if len(results) > 1:
                results, memory = [I32], True
        sig: Sig = (tuple(flat), tuple(results))
        post = not use_async and self.coin(3)
        funcs = [("f", sig)] + ([("post", (sig[1], ()))] if post else [])
        ctx.emit(CoreModuleSection(CoreModule(_core_module([], funcs))))
        ctx.core_modules.append(((), {n: (CoreSort.FUNC, s) for n, s in funcs}))
        instance = self.instantiate_module(ctx, len(ctx.core_modules) - 1, ())
        core_func = self.alias_core(ctx, instance, "f")
        post_index = self.alias_core(ctx, instance, "post") if post else None
        opts = self.options(ctx, memory=memory, realloc=realloc, post_return=post_index, callback=use_async)
        ctx.canon(CanonLift(core_func, opts, index), None)
        ctx.funcs.append(_E("func", ctx.types[index], type_index=index))

    def act_lower(self, ctx: _Ctx, depth: int) -> None:
        """``canon lower`` of a function, sometimes passed on to a module that imports it."""
        if not ctx.funcs:
            return
        index = self.pick(range(len(ctx.funcs)))
        params, result, is_async = ctx.funcs[index].created.a
        use_async = is_async and self.coin()
        flat = [f for _, v in params for f in _flat(v)]
        memory = any(_contains_ptr(v) for _, v in params)
        realloc = result is not None and _contains_ptr(result)
        results: list[NumType] = []
        if len(flat) > (4 if use_async else 16):
            flat, memory = [I32], True
        if use_async:
            results = [I32]
            if result is not None:
                flat, memory = [*flat, I32], True
        elif result is not None:
            results = _flat(result)
            if len(results) > 1:
                flat, results, memory = [*flat, I32], [], True
        opts = self.options(ctx, memory=memory, realloc=realloc)
        if use_async:
            opts = tuple(self.permutation([*opts, CanonOption(CanonOptionKind.ASYNC)]))
        sig: Sig = (tuple(flat), tuple(results))
        core_func = ctx.canon(CanonLower(index, opts), sig)
        if self.coin():
            self.use_core_funcs(ctx, [core_func])

    def use_core_funcs(self, ctx: _Ctx, funcs: Sequence[int]) -> None:
        """Bundle core functions into a core instance and instantiate a module importing them."""
        names = [f"f{i}" for i in range(len(funcs))]
        exports = tuple(
            CoreInlineExport(n, CoreSortIndex(CoreSort.FUNC, f)) for n, f in zip(names, funcs, strict=True)
        )
        ctx.emit(CoreInstanceSection((CoreInlineExports(exports),)))
        ctx.core_instances.append(
            {n: (CoreSort.FUNC, ctx.core_funcs[f]) for n, f in zip(names, funcs, strict=True)}
        )
        bag = len(ctx.core_instances) - 1
        imports = [("env", n, CoreSort.FUNC, ctx.core_funcs[f]) for n, f in zip(names, funcs, strict=True)]
        ctx.emit(CoreModuleSection(CoreModule(_core_module(imports, []))))
        ctx.core_modules.append((tuple(imports), {}))
        self.instantiate_module(ctx, len(ctx.core_modules) - 1, (CoreInstantiateArg("env", bag),))

    def act_core_bag(self, ctx: _Ctx, depth: int) -> None:
        """A core instance of kit items of every core sort, imported by a module instantiation."""
        names = self.sample(sorted(_KIT_EXPORTS), 4, min_size=1)
        items = [(n, _KIT_EXPORTS[n][0], self.kit_item(ctx, n)) for n in names]
        exports = tuple(CoreInlineExport(f"x-{n}", CoreSortIndex(sort, i)) for n, sort, i in items)
        ctx.emit(CoreInstanceSection((CoreInlineExports(exports),)))
        ctx.core_instances.append({f"x-{n}": _KIT_EXPORTS[n] for n in names})
        bag = len(ctx.core_instances) - 1
        if self.coin(3):
            return
        imports = [("env", f"x-{n}", sort, _KIT_EXPORTS[n][1]) for n, sort, _ in items if self.coin()]
        ctx.emit(CoreModuleSection(CoreModule(_core_module(imports, []))))
        ctx.core_modules.append((tuple(imports), {}))
        self.instantiate_module(ctx, len(ctx.core_modules) - 1, (CoreInstantiateArg("env", bag),))

    def act_module_instance(self, ctx: _Ctx, depth: int) -> None:
        """Instantiate an imported module that has no imports and alias its exports."""
        options = [i for i, (imports, _) in enumerate(ctx.core_modules) if not imports]
        if not options:
            return
        instance = self.instantiate_module(ctx, self.pick(options), ())
        for name in sorted(ctx.core_instances[instance]):
            if self.coin():
                self.alias_core(ctx, instance, name)

    def act_resource_builtin(self, ctx: _Ctx, depth: int) -> None:
        """``resource.new``/``rep`` of a local resource, ``resource.drop`` of any resource."""
        resources = [i for i, t in enumerate(ctx.types) if t.kind == "resource"]
        if not resources:
            return
        index = self.pick(resources)
        if ctx.types[index].base in ctx.local_resources and self.coin():
            if self.coin():
                ctx.canon(ResourceNew(index), ((I32,), (I32,)))
            else:
                ctx.canon(ResourceRep(index), ((I32,), (I32,)))
        else:
            ctx.canon(ResourceDrop(index), ((I32,), ()))

    def act_async_builtin(self, ctx: _Ctx, depth: int) -> None:
        """One of the async built-ins valid with the default features."""
        simple: list[tuple[Builtin, tuple[ImmediateValue, ...], Sig]] = [
            (Builtin.BACKPRESSURE_INC, (), ((), ())),
            (Builtin.BACKPRESSURE_DEC, (), ((), ())),
            (Builtin.TASK_CANCEL, (), ((), ())),
            (Builtin.SUBTASK_DROP, (), ((I32,), ())),
            (Builtin.SUBTASK_CANCEL, (False,), ((I32,), (I32,))),
            (Builtin.CONTEXT_GET, (I32, 0), ((), (I32,))),
            (Builtin.CONTEXT_SET, (I32, 0), ((I32,), ())),
            (Builtin.WAITABLE_SET_NEW, (), ((), (I32,))),
            (Builtin.WAITABLE_SET_DROP, (), ((I32,), ())),
            (Builtin.WAITABLE_JOIN, (), ((I32, I32), ())),
            # wasm-tools 1.262 rejects the old `cancellable` flag (component-model#716).
            (Builtin.THREAD_YIELD, (False,), ((), (I32,))),
        ]
        choice = self.num(0, 3)
        if choice == 0:
            builtin, args, sig = self.pick(simple)
            ctx.canon(CanonBuiltin(builtin, args), sig)
            return
        if choice == 1:
            which = self.pick([Builtin.WAITABLE_SET_WAIT, Builtin.WAITABLE_SET_POLL])
            memory = self.kit_item(ctx, "mem")
            ctx.canon(CanonBuiltin(which, (False, memory)), ((I32, I32), (I32,)))
            return
        if choice == 2:
            result_ast, result = self.pick_val(ctx, None, no_borrow=True) if self.coin() else (None, None)
            flat = [] if result is None else _flat(result)
            memory = result is not None and _contains_ptr(result)
            if len(flat) > 16:
                flat, memory = [I32], True
            opts = self.options(ctx, memory=memory, realloc=False)
            opts = tuple(o for o in opts if o.kind is not CanonOptionKind.REALLOC)
            ctx.canon(CanonBuiltin(Builtin.TASK_RETURN, (result_ast, opts)), (tuple(flat), ()))
            return
        streams = [(i, t.kind) for i, t in enumerate(ctx.types) if t.kind in ("stream", "future")]
        if not streams:
            return
        index, kind = self.pick(streams)
        s = kind == "stream"
        ops: list[tuple[Builtin, tuple[ImmediateValue, ...], Sig]] = [
            (Builtin.STREAM_NEW if s else Builtin.FUTURE_NEW, (index,), ((), (I64,))),
            (Builtin.STREAM_DROP_READABLE if s else Builtin.FUTURE_DROP_READABLE, (index,), ((I32,), ())),
            (Builtin.STREAM_DROP_WRITABLE if s else Builtin.FUTURE_DROP_WRITABLE, (index,), ((I32,), ())),
            (
                Builtin.STREAM_CANCEL_READ if s else Builtin.FUTURE_CANCEL_READ,
                (index, False),
                ((I32,), (I32,)),
            ),
            (
                Builtin.STREAM_CANCEL_WRITE if s else Builtin.FUTURE_CANCEL_WRITE,
                (index, False),
                ((I32,), (I32,)),
            ),
        ]
        builtin, args, sig = self.pick(ops)
        ctx.canon(CanonBuiltin(builtin, args), sig)

    def act_custom(self, ctx: _Ctx, depth: int) -> None:
        """A custom section, or a ``component-name`` section naming items in scope."""
        if self.coin():
            name = self.text(8)
            ctx.emit(CustomSection(name + "!" if name == NAME_SECTION else name, self.binary(8)))
            return
        spaces = [
            (Sort.TYPE, len(ctx.types)),
            (Sort.FUNC, len(ctx.funcs)),
            (Sort.INSTANCE, len(ctx.instances)),
            (Sort.COMPONENT, len(ctx.components)),
            (Sort.CORE_FUNC, len(ctx.core_funcs)),
            (Sort.CORE_MODULE, len(ctx.core_modules)),
        ]
        subsections: list[NameSubsection] = []
        if self.coin():
            subsections.append(ComponentNameSubsection(self.label()))
        for sort, count in spaces:
            if count and self.coin():
                indices = self.sample(range(count), 3)
                names = tuple(NameAssoc(i, self.text(6)) for i in sorted(indices))
                subsections.append(SortNamesSubsection(sort, names))
        ctx.emit(NameSection(tuple(subsections)))

    # -- driving ------------------------------------------------------------------------------
    def actions(self, ctx: _Ctx) -> list[Callable[[_Ctx, int], None]]:
        common: list[Callable[[_Ctx, int], None]] = [
            self.act_valtype,
            self.act_functype,
            self.act_func,
            self.act_name_type,
            self.act_resource,
            self.act_resource_func,
            self.act_instance_type,
            self.act_instance,
            self.act_alias_export,
            self.act_component_type,
            self.act_core_type,
            self.act_module,
        ]
        if ctx.parent is not None:
            common.append(self.act_alias_outer)
        if ctx.kind != "component":
            return common
        return [
            *common,
            self.act_export,
            self.act_bag,
            self.act_nested,
            self.act_instantiate,
            self.act_lift,
            self.act_lower,
            self.act_core_bag,
            self.act_module_instance,
            self.act_resource_builtin,
            self.act_async_builtin,
            self.act_custom,
        ]

    def component(self, max_depth: int, max_steps: int) -> Component:
        ctx = _Ctx("component", None)
        self.fill(ctx, max_depth, max_steps)
        return Component(ctx.sections(self.coin))

    def fill(self, ctx: _Ctx, depth: int, budget: int) -> None:
        steps = self.some(self.actions(ctx), budget)
        for step in steps:
            step(ctx, depth)


def _mentions_local(t: Any, seen: set[int] | None = None) -> bool:
    """Whether a type refers to a resource defined by a concrete component (or a component type)."""
    if not isinstance(t, _T):
        return False
    seen = set() if seen is None else seen
    if id(t) in seen:
        return False
    seen.add(id(t))
    if t.kind == "resource":
        return t.base.local
    if t.kind in ("own", "borrow"):
        return _mentions_local(t.a, seen)
    if t.kind == "func":
        params, result, _ = t.a
        return any(_mentions_local(v, seen) for _, v in params) or _mentions_local(result, seen)
    if t.kind == "instance":
        return any(_mentions_local(e.created, seen) for _, e in t.a)
    if t.kind == "component":
        return any(_mentions_local(e.created, seen) for _, e in [*t.a[0], *t.a[1]])
    return any(_mentions_local(c, seen) for c in _children(t))


@st.composite
def valid_components(draw: st.DrawFn, max_depth: int = 2, max_steps: int = 16) -> Component:
    """Components that ``wasm-tools validate --features`` :data:`VALIDATE_FEATURES` accepts.

    Built by up to ``max_steps`` random actions per scope (fewer in nested scopes, which go
    ``max_depth`` levels deep): defined value types (records, variants, enums, flags, lists,
    fixed-length lists, tuples, options, results, own/borrow, streams, futures, maps) over
    earlier types; function types (async too, no borrow in results); resources imported with
    ``(sub resource)``, defined locally, or exported from types, with ``[constructor]``,
    ``[method]`` and ``[static]`` functions; types named by ``(eq i)`` imports or exports;
    instance and component types (with outer aliases, nested instance/component types, core
    types) imported or exported; function, instance, component and module imports under unique
    kebab or interface (``ns:pkg/iface@1.2.3``) names, some with ``implements``,
    ``versionsuffix`` and ``external-id`` attributes; aliases of instance exports; exports (with
    ascriptions) of whatever is in scope; instances made of exports; nested components that
    import and export, instantiated with matching functions; core modules (generated bytes),
    core instances, ``canon lift``/``lower`` with options, resource and async built-ins; core
    function, GC and module types; custom and name sections.
    """
    return _ValidBuilder(_HypothesisSource(draw)).component(max_depth, max_steps)


def random_valid_component(rng: random.Random, max_depth: int = 2, max_steps: int = 16) -> Component:
    """What :func:`valid_components` generates, drawn uniformly from ``rng`` (no shrinking)."""
    return _ValidBuilder(_RandomSource(rng)).component(max_depth, max_steps)
