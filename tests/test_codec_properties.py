"""Property tests of the codec over generated ASTs (strategies in ``testkit/strategies.py``).

* every structurally well-formed AST survives ``decode(encode(ast)) == ast``, and its encoding
  survives ``encode(decode(b)) == b`` byte for byte, also with non-minimal LEB128 widths;
* every generated valid component is accepted by ``wasm-tools validate`` and round-trips;
* the strategies really reach every AST class, enum member, flag and optional field;
* the writer refuses ASTs it cannot encode faithfully (``EncodeError``) instead of writing bytes
  that decode to something else or not at all.

The ``slow`` variants (``pytest -m slow``) run the same properties with many more examples.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wacpy.binary.ast as ast
from testkit.strategies import (
    VALIDATE_FEATURES,
    components,
    random_component,
    random_valid_component,
    valid_components,
)
from wacpy import EncodeError, decode, encode
from wacpy.binary.ast import (
    Component,
    ComponentSection,
    CompositeType,
    ConcreteHeapType,
    CoreExportDecl,
    CoreFuncType,
    CoreModuleType,
    CoreTypeSection,
    CustomSection,
    Immediate,
    ListType,
    MemoryType,
    NameSection,
    RecGroup,
    RefType,
    Start,
    StartSection,
    SubType,
    TypeSection,
)
from wacpy.binary.ast.sections import NAME_SECTION, without_sources
from wacpy.binary.reader._base import constructor
from wacpy.binary.wide import widen
from wacpy.tools import ExternalToolError, run_wasm_tools, validate

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALID = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALID_SLOW = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_round_trip(component: Component) -> bytes:
    data = encode(component)
    decoded = decode(data)
    assert decoded == component
    assert encode(decoded) == data, "re-encoding the decoded AST changed the bytes"
    assert encode(without_sources(decoded)) == data, "re-encoding item by item changed the bytes"
    return data


# -- round trips -------------------------------------------------------------------------------
@FAST
@given(components())
def test_components_round_trip(component: Component) -> None:
    assert_round_trip(component)


@FAST
@given(components(widths=True))
def test_components_with_leb_widths_round_trip_byte_for_byte(component: Component) -> None:
    assert_round_trip(component)


@pytest.mark.slow
@SLOW
@given(components(max_depth=3))
def test_components_round_trip_many(component: Component) -> None:
    assert_round_trip(component)


@pytest.mark.slow
@SLOW
@given(components(max_depth=3, widths=True))
def test_components_with_leb_widths_round_trip_many(component: Component) -> None:
    assert_round_trip(component)


@FAST
@given(components(max_depth=1, widths=True))
def test_nested_component_given_as_bytes_encodes_like_the_decoded_one(inner: Component) -> None:
    as_ast = encode(Component((ComponentSection(inner),)))
    as_bytes = encode(Component((ComponentSection(encode(inner)),)))
    assert as_bytes == as_ast


def name_section_payload(component: Component, data: st.DataObject) -> bytes:
    """The payload of a name section in ``component`` (or of an empty one), maybe with a byte
    changed, so that it sometimes parses and sometimes does not."""
    sections = [s for s in component.sections if isinstance(s, NameSection)] or [NameSection(())]
    encoded = encode(Component((sections[0],)))
    payload = bytearray(encoded[encoded.index(b"\x0ecomponent-name") + 15 :])
    if payload and data.draw(st.booleans()):
        payload[data.draw(st.integers(0, len(payload) - 1))] = data.draw(st.integers(0, 255))
    return bytes(payload)


@FAST
@given(
    st.one_of(
        st.binary(max_size=40),
        st.builds(name_section_payload, components(max_depth=0, widths=True, max_sections=8), st.data()),
    )
)
def test_custom_section_named_component_name_re_encodes_exactly(payload: bytes) -> None:
    """Arbitrary data (or a whole component's bytes) in a ``component-name`` custom section is
    either decoded as a name section or kept as custom data; either way it re-encodes exactly."""
    data = encode(Component((CustomSection(NAME_SECTION, payload),)))
    decoded = decode(data)
    assert isinstance(decoded.sections[0], NameSection | CustomSection)
    assert encode(without_sources(decoded)) == data


# -- valid components ----------------------------------------------------------------------------
def check_valid(component: Component) -> None:
    data = assert_round_trip(component)
    validate(data, *VALIDATE_FEATURES)


@VALID
@given(valid_components())
def test_valid_components_pass_wasm_tools_validate_and_round_trip(component: Component) -> None:
    check_valid(component)


@pytest.mark.slow
@VALID_SLOW
@given(valid_components(max_depth=3, max_steps=24))
def test_valid_components_pass_wasm_tools_validate_many(component: Component) -> None:
    check_valid(component)


# -- coverage of the strategies ------------------------------------------------------------------
def ast_classes() -> set[type]:
    return {obj for obj in vars(ast).values() if isinstance(obj, type) and attrs.has(obj)}


def ast_enum_members() -> set[enum.Enum]:
    enums = [
        obj
        for obj in vars(ast).values()
        if isinstance(obj, type) and issubclass(obj, enum.Enum) and obj.__module__.startswith("wacpy.")
    ]
    # ``Immediate`` describes the shape of built-in arguments; it never appears in an AST.
    return {member for e in enums if e is not Immediate for member in e}


def optional_and_bool_fields() -> set[tuple[str, str, object]]:
    """(class, field, variant) for every bool field (True/False) and optional field (None/set)."""
    wanted: set[tuple[str, str, object]] = set()
    for cls in ast_classes():
        for field in attrs.fields(cls):
            if field.type == "bool":
                wanted |= {(cls.__name__, field.name, True), (cls.__name__, field.name, False)}
            elif "None" in str(field.type) and field.init:  # strategies build through __init__
                wanted |= {(cls.__name__, field.name, "none"), (cls.__name__, field.name, "set")}
    return wanted


def walk(node: Any) -> Iterator[object]:
    """Every class, enum member and (class, field, variant) reached in ``node``."""
    if isinstance(node, enum.Enum):
        yield node
    elif isinstance(node, tuple):
        for item in node:
            yield from walk(item)
    elif attrs.has(type(node)):
        yield type(node)
        for field in attrs.fields(type(node)):
            if not field.init:  # set by the reader or on first use, never by a strategy
                continue
            value = getattr(node, field.name)
            if isinstance(value, bool):
                yield (type(node).__name__, field.name, value)
            yield (type(node).__name__, field.name, "none" if value is None else "set")
            yield from walk(value)


def reached(make: Callable[[random.Random], Component], count: int, seed: int = 0) -> set[object]:
    """Everything ``count`` components from ``make`` reach (seeded uniform choices: Hypothesis
    favours small and repeated examples, so it would need far more of them to get everywhere)."""
    rng = random.Random(seed)
    return {item for _ in range(count) for item in walk(make(rng))}


def test_components_reach_every_ast_class_enum_member_flag_and_option() -> None:
    seen = reached(lambda rng: random_component(rng, widths=True), 4000)
    wanted: set[object] = {*ast_classes(), *ast_enum_members(), *optional_and_bool_fields()}
    # A core inline export names an external kind only (as wasm-tools' parser reads it), so the
    # core sorts type, module and instance have no encoding of their own in a CoreSortIndex.
    wanted -= {ast.CoreSort.TYPE, ast.CoreSort.MODULE, ast.CoreSort.INSTANCE}
    assert not wanted - seen, f"never generated: {sorted(map(str, wanted - seen))}"


#: What valid components are expected to reach (everything but what needs other features:
#: values and start need ``cm-values``; continuation, exact and descriptor types, shared types
#: and the GC canonical options need proposals that are off; several built-ins need threads).
VALID_REACH = {
    ast.AliasSection, ast.BorrowType, ast.CanonBuiltin, ast.CanonLift, ast.CanonLower, ast.CanonOption,
    ast.Case, ast.ComponentExtern, ast.ComponentNameSubsection, ast.ComponentSection, ast.ComponentType,
    ast.CoreExportAlias, ast.CoreExportDecl, ast.CoreFuncRef, ast.CoreImport, ast.CoreInlineExports,
    ast.CoreInstantiate, ast.CoreModuleSection, ast.CoreModuleType, ast.CoreOuterAlias, ast.CoreTypeDecl,
    ast.CustomSection, ast.EnumType, ast.EqBound, ast.ExportAlias, ast.ExportDecl, ast.ExportSection,
    ast.ExternalId, ast.FixedListType, ast.FlagsType, ast.FuncExtern, ast.FuncType, ast.FutureType,
    ast.GlobalType, ast.Implements, ast.ImportDecl, ast.ImportSection, ast.InlineExports, ast.InstanceExtern,
    ast.InstanceType, ast.Instantiate, ast.ListType, ast.MapType, ast.MemoryType, ast.ModuleExtern,
    ast.NameSection, ast.OptionType, ast.OuterAlias, ast.OwnType, ast.RecordType, ast.ResourceDrop,
    ast.ResourceNew, ast.ResourceRep, ast.ResourceType, ast.ResultType, ast.SortNamesSubsection,
    ast.StreamType, ast.StructType, ast.ArrayType, ast.SubResource, ast.TableType, ast.TagType,
    ast.TupleType, ast.TypeDecl, ast.TypeExtern, ast.TypeSection, ast.VariantType, ast.VersionSuffix,
    ast.ConcreteHeapType, ast.AbstractHeapType, ast.CanonSection, ast.CoreTypeSection,
    ast.CoreInstanceSection, ast.InstanceSection, ast.AliasDecl,
    ast.NameForm.LEGACY_INTERFACE, ast.NameForm.WITH_ATTRIBUTES,
    ast.CanonOptionKind.UTF8, ast.CanonOptionKind.UTF16, ast.CanonOptionKind.LATIN1_UTF16,
    ast.CanonOptionKind.MEMORY, ast.CanonOptionKind.REALLOC, ast.CanonOptionKind.POST_RETURN,
    ast.CanonOptionKind.ASYNC, ast.CanonOptionKind.CALLBACK,
    ast.Sort.CORE_FUNC, ast.Sort.CORE_MEMORY, ast.Sort.CORE_TABLE, ast.Sort.CORE_GLOBAL, ast.Sort.CORE_TAG,
    ast.Sort.CORE_TYPE, ast.Sort.CORE_MODULE, ast.Sort.FUNC, ast.Sort.TYPE, ast.Sort.INSTANCE,
    ast.Sort.COMPONENT,
    ast.CoreSort.FUNC, ast.CoreSort.MEMORY, ast.CoreSort.TABLE, ast.CoreSort.GLOBAL, ast.CoreSort.TAG,
    ("RecGroup", "explicit", True), ("RecGroup", "explicit", False), ("SubType", "final", False),
    ("SubType", "explicit", False), ("FuncType", "is_async", True), ("RefType", "short", True),
    ("RefType", "nullable", False), ("MemoryType", "memory64", True), ("TableType", "table64", True),
}  # fmt: skip


def test_valid_components_reach_much_of_the_ast() -> None:
    seen = reached(random_valid_component, 400)
    assert not VALID_REACH - seen, f"never generated: {sorted(map(str, VALID_REACH - seen))}"


@pytest.mark.slow
def test_many_random_components_round_trip() -> None:
    """Uniformly random ASTs, many more than Hypothesis gets through in the same time."""
    rng = random.Random(1)
    for _ in range(50_000):
        assert_round_trip(random_component(rng, max_depth=3, widths=rng.random() < 0.5))


@pytest.mark.slow
def test_many_random_valid_components_validate() -> None:
    for seed in range(3000):
        check_valid(random_valid_component(random.Random(seed), max_depth=3, max_steps=24))


@pytest.mark.slow
def test_wasm_tools_rewrites_of_valid_components_round_trip_exactly() -> None:
    """``wasm-tools print | parse`` re-encodes a generated component its own way (other name
    forms, reference type shorthands, ...); wacpy must reproduce those bytes too."""
    checked = 0
    for seed in range(1500):
        data = encode(random_valid_component(random.Random(seed)))
        try:
            rewritten = run_wasm_tools("parse", "-", stdin=run_wasm_tools("print", "-", stdin=data))
        except ExternalToolError:
            continue  # wasm-tools cannot always parse what it printed; not wacpy's business
        assert encode(without_sources(decode(rewritten))) == rewritten, f"seed {seed}"
        checked += 1
    assert checked > 1000


# -- the writer's contract: EncodeError for what it cannot write ---------------------------------
def _u32(width: int) -> Component:
    return Component((StartSection(Start(widen(5, width), (), 0)),))


def _s33(width: int) -> Component:
    return Component((TypeSection((ListType(widen(5, width)),)),))


def _u64(width: int) -> Component:
    decl = CoreExportDecl("m", MemoryType(widen(5, width)))
    return Component((CoreTypeSection((CoreModuleType((decl,)),)),))


def _name(width: int) -> Component:
    return Component((CustomSection(widen("ab", width), b""),))


def _section_size(width: int) -> Component:
    return Component((CustomSection("ab", b"", size_width=width),))


@pytest.mark.parametrize(
    ("make", "width"),
    [(_u32, 6), (_s33, 6), (_u64, 11), (_name, 6), (_section_size, 6), (_u32, 10)],
    ids=["u32", "s33", "u64", "name-length", "section-size", "u32-10"],
)
def test_encode_rejects_leb_widths_beyond_the_maximum(make: Callable[[int], Component], width: int) -> None:
    """A u32/s33 LEB128 takes at most 5 bytes and a u64 at most 10; ``EncodeError`` promises
    to cover "a bad width". Today the writer pads to any width and produces bytes that
    ``decode`` (and wasm-tools) reject: "integer representation too long"."""
    with pytest.raises(EncodeError):
        data = encode(make(width))
        decode(data)  # not reached when the writer refuses; today this raises DecodeError


@pytest.mark.parametrize(
    "component",
    [
        Component((TypeSection((ListType(-1),)),)),
        Component(
            (
                CoreTypeSection(
                    (
                        RecGroup(
                            (
                                SubType(
                                    CompositeType(CoreFuncType((RefType(False, ConcreteHeapType(-16)),), ()))
                                ),
                            )
                        ),
                    )
                ),
            )
        ),
    ],
    ids=["valtype-index", "heap-type-index"],
)
def test_encode_rejects_negative_type_indices(component: Component) -> None:
    """Value and heap type indices are u32s written as s33; a negative one is "a value out of
    range". Today ``ListType(-1)`` is written as ``0x70 0x7f`` and reads back as
    ``ListType(PrimValType.BOOL)``, and ``ConcreteHeapType(-16)`` (``0x70``) as ``funcref``."""
    with pytest.raises(EncodeError):
        data = encode(component)
        assert decode(data) == component


# -- the reader's constructors -------------------------------------------------------------------
def test_the_readers_constructors_build_what_init_builds_field_by_field() -> None:
    """``reader._base.constructor`` skips attrs' ``__init__``; every field (those left out of
    equality too) must come out as ``__init__`` sets it."""
    for cls in sorted(ast_classes(), key=lambda c: c.__name__):
        args = [object() for f in attrs.fields(cls) if f.init]
        made: object = constructor(cls)(*args)
        built = cls(*args[: _positional(cls)], **_keywords(cls, args))
        for field in attrs.fields(cls):
            assert getattr(made, field.name) is getattr(built, field.name), (cls.__name__, field.name)


def _positional(cls: type) -> int:
    return sum(1 for f in attrs.fields(cls) if f.init and not f.kw_only)


def _keywords(cls: type, args: list[object]) -> dict[str, object]:
    init = [f for f in attrs.fields(cls) if f.init]
    return {f.alias: arg for f, arg in zip(init, args, strict=True) if f.kw_only}


def test_a_constructor_refuses_a_class_whose_init_does_more() -> None:
    @attrs.frozen
    class Checked:
        value: int = attrs.field(validator=attrs.validators.instance_of(int))

    with pytest.raises(TypeError, match="does more in __init__"):
        constructor(Checked)
