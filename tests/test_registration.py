"""Registration fast paths: the interface-only decode, the section and nested-type memos, and the
validation started before the graph is built. Each must give exactly what the plain path gives."""

from __future__ import annotations

import pytest

from tests.conftest import component_from_wit
from wacpy import ComponentTypeError, CompositionGraph, DecodeError, decode, encode
from wacpy.binary.ast import (
    AliasSection,
    CoreExportAlias,
    CoreInstanceSection,
    CustomSection,
    NameSection,
    PrimValType,
    Sort,
)
from wacpy.binary.reader.components import decode_interface
from wacpy.compose.options import EarlyValidator, EncodeOptions, WasmToolsValidator
from wacpy.tools import EarlyValidation, ExternalToolError, run_wasm_tools
from wacpy.types import component_type
from wacpy.types.model import ComponentT, FuncT, InstanceT, TypeDefT
from wacpy.types.wit_text import render_component

WIT = """
package test:reg;
interface api {{ record point {{ x: u32, y: u32 }} resource handle; move: func(p: point) -> point; }}
world w{n} {{ import api; export run{n}: func(s: string) -> string; }}
"""


def wat(text: str) -> bytes:
    return run_wasm_tools("parse", "-", stdin=text.encode())


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """Two wit-component outputs that share most of their sections byte for byte."""
    tmp = tmp_path_factory.mktemp("twins")
    return component_from_wit(tmp, WIT.format(n=1), "w1"), component_from_wit(tmp, WIT.format(n=2), "w2")


def test_interface_decode_keeps_every_section_but_custom_and_core_instances(
    twins: tuple[bytes, bytes],
) -> None:
    full = decode(twins[0], names=False)
    dropped = (CustomSection, NameSection, CoreInstanceSection)
    assert any(isinstance(s, dropped) for s in full.sections)
    kept = tuple(_without_core_export_aliases(s) for s in full.sections if not isinstance(s, dropped))
    assert kept != tuple(s for s in full.sections if not isinstance(s, dropped))  # some were dropped
    assert decode_interface(twins[0]).sections == kept


def _without_core_export_aliases(section: object) -> object:
    """An alias section keeps its instance-export and outer aliases and core-module aliases."""
    if not isinstance(section, AliasSection):
        return section
    untracked = [
        a for a in section.aliases if isinstance(a, CoreExportAlias) and a.sort is not Sort.CORE_MODULE
    ]
    return AliasSection(tuple(a for a in section.aliases if a not in untracked))


def test_interface_decode_steps_over_core_export_aliases_with_the_same_errors() -> None:
    """Stepped-over aliases are still bounds-checked, and anything but a core-export alias of a
    function, table, memory, global or tag is read in full: malformed input fails at the same
    offset with the same message either way."""
    preamble = bytes.fromhex("0061736d0d000100")
    cases = [
        "06070100000100056162",  # core func alias whose 5-byte name has 2 bytes
        "060801001101000161",  # core module: not a core-export alias sort
        "060701000003000161",  # core func with an unknown alias target
    ]
    for body in cases:
        data = preamble + bytes.fromhex(body)
        with pytest.raises(DecodeError) as fast:
            decode_interface(data)
        with pytest.raises(DecodeError) as full:
            decode(data)
        assert (fast.value.offset, fast.value.message) == (full.value.offset, full.value.message), body


def test_the_memo_shares_identical_sections_and_changes_no_type(twins: tuple[bytes, bytes]) -> None:
    memo: dict[object, object] = {}
    first, second = (decode_interface(data, memo) for data in twins)
    shared = [a for a in first.sections if any(a is b for b in second.sections)]
    assert shared, "wit-component output repeats sections; the memo should share them"
    for data, with_memo in zip(twins, (first, second), strict=True):
        plain = component_type(decode(data))
        assert render_component(component_type(with_memo, {})) == render_component(plain)


def test_the_memo_keeps_sections_apart_whose_size_is_encoded_differently() -> None:
    preamble = bytes.fromhex("0061736d0d000100")
    minimal = preamble + bytes.fromhex("070100")  # a type section holding no types
    padded = preamble + bytes.fromhex("07810000")  # the same section, its size in two bytes
    memo: dict[object, object] = {}
    for data in (minimal, padded, minimal):
        assert encode(decode_interface(data, memo)) == data


def test_malformed_input_fails_at_the_same_offset_with_or_without_the_memo(
    twins: tuple[bytes, bytes],
) -> None:
    cut = twins[0][: len(twins[0]) // 2]
    with pytest.raises(DecodeError) as plain:
        decode(cut, names=False)
    with pytest.raises(DecodeError) as fast:
        decode_interface(cut, {})
    assert fast.value.offset == plain.value.offset


# A nested component that outer-aliases type 0 of its parent: the same bytes mean a different
# type in each parent, so its type must not be reused between them.
NESTED = """(component
  (type {outer_type})
  (component $inner
    (alias outer 1 0 (type $t))
    (import "x" (func (type $t)))
    (export "x" (func 0)))
  (import "f" (func $f (type 0)))
  (instance $i (instantiate $inner (with "x" (func $f))))
  (export "g" (func $i "x")))"""


def test_nested_components_that_alias_outward_get_their_type_from_each_parent() -> None:
    graph = CompositionGraph()
    takes_u32 = graph.register("a", wat(NESTED.format(outer_type='(func (param "n" u32))')))
    returns_str = graph.register("b", wat(NESTED.format(outer_type="(func (result string))")))
    rendered = [render_component(graph.package(p).type) for p in (takes_u32, returns_str)]
    assert "g: func(n: u32)" in rendered[0]
    assert "g: func() -> string" in rendered[1]


CLOSED = """(component
  (component $inner (import "x" (func)) (export "y" (func 0)))
  (import "f{n}" (func $f))
  (instance $i (instantiate $inner (with "x" (func $f))))
  (export "g{n}" (func $i "y")))"""


def test_nested_components_without_outer_aliases_share_one_type() -> None:
    section_memo: dict[object, object] = {}
    type_memo: dict[object, object] = {}
    types = [
        component_type(decode_interface(wat(CLOSED.format(n=n)), section_memo), type_memo) for n in (1, 2)
    ]
    nested = [v for v in type_memo.values() if isinstance(v, tuple) and isinstance(v[1], ComponentT)]
    assert len(nested) == 1  # the nested component was resolved once
    assert [sorted(t.exports) for t in types] == [["g1"], ["g2"]]


def test_function_types_naming_only_primitives_are_one_object_per_memo() -> None:
    first = wat('(component (type (func (param "a" u32) (result string))) (import "x" (func (type 0))))')
    second = wat(
        '(component (type (func)) (type (func (param "a" u32) (result string))) (import "x" (func (type 1))))'
    )
    section_memo: dict[object, object] = {}
    type_memo: dict[object, object] = {}
    a, b = (
        component_type(decode_interface(d, section_memo), type_memo).imports["x"] for d in (first, second)
    )
    assert isinstance(a, FuncT) and a is b  # different definitions, equal types: interned
    fresh = component_type(decode_interface(second, {}), {}).imports["x"]
    assert fresh == a and fresh is not a  # without a shared memo each resolution makes its own


def test_a_shared_function_type_naming_a_type_index_is_typed_in_each_component() -> None:
    """Found by the decode fuzzer: a type section shared byte for byte names type index 1, a u32 in
    one component and a record in the other; the second must not reuse the first's function type."""
    body = '(import "i" (type (eq 0))) (type (func (param "a" 1))) (import "f" (func (type 2)))'
    prim, record = (wat(f"(component (type {t}) {body})") for t in ("u32", '(record (field "x" u32))'))
    section_memo: dict[object, object] = {}
    type_memo: dict[object, object] = {}
    for data in (prim, record, prim):
        shared = render_component(component_type(decode_interface(data, section_memo), type_memo))
        assert shared == render_component(component_type(decode(data)))
    assert "func(a: i)" in render_component(component_type(decode_interface(record, section_memo), type_memo))


def test_package_component_is_the_full_ast(twins: tuple[bytes, bytes]) -> None:
    graph = CompositionGraph()
    package = graph.package(graph.register("one", twins[0]))
    assert package.component == decode(twins[0])


def test_early_validation_accepts_valid_and_reports_invalid_binaries(twins: tuple[bytes, bytes]) -> None:
    with EarlyValidation() as early:
        early.check(twins[0])
    with (
        EarlyValidation() as early,
        pytest.raises(ExternalToolError, match=r"wasm-tools validate failed: .*offset"),
    ):
        early.check(twins[0][:-3])
    with EarlyValidation() as early:
        pass  # never used: closed without waiting for input
    with pytest.raises(ExternalToolError, match="already used"):
        early.check(twins[0])


def test_early_validation_split_into_send_and_wait(
    twins: tuple[bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    with EarlyValidation() as early:
        early.send(twins[0])
        early.wait()
    with EarlyValidation() as early:
        early.send(twins[0][:-3])  # the verdict comes from wait(), not send()
        with pytest.raises(ExternalToolError, match=r"wasm-tools validate failed: .*offset"):
            early.wait()
    with EarlyValidation() as early:
        with pytest.raises(ExternalToolError, match="nothing was sent"):
            early.wait()
        process = early._process
        assert process is not None and process.poll() is None  # still there for close() to stop
    assert process.poll() is not None
    with EarlyValidation() as early:
        early.check(twins[0])
        with pytest.raises(ExternalToolError, match="already used"):
            early.wait()
    with EarlyValidation() as early:
        early.send(twins[0])
        with pytest.raises(ExternalToolError, match="already used"):
            early.send(twins[0])
    import wacpy.tools as tools

    monkeypatch.setattr(tools, "_widen", lambda fd: 0)  # a pipe that cannot hold the binary
    with EarlyValidation() as early:
        early.send(twins[0])  # kept, and streamed to the tool while wait() reads its verdict
        early.wait()
    with EarlyValidation() as early:
        early.send(twins[0][:-3])
        with pytest.raises(ExternalToolError, match=r"wasm-tools validate failed: .*offset"):
            early.wait()


def test_compose_leaves_no_cyclic_garbage(twins: tuple[bytes, bytes]) -> None:
    """The graph is freed by reference counting as compose() returns (while wasm-tools validates),
    not left for the cycle collector to find later."""
    import gc

    from wacpy import compose

    compose(twins[0], [], validate=False)  # imports and caches warmed up before counting
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        assert compose(twins[0], [], validate=False)
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


def test_early_validation_of_large_binaries_goes_through_a_file(
    twins: tuple[bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    import wacpy.tools as tools

    seen: list[int] = []
    monkeypatch.setattr(tools, "PIPE_LIMIT", 10)
    monkeypatch.setattr(tools, "validate", lambda data, *features: seen.append(len(data)))
    with EarlyValidation() as early:
        early.check(twins[0])
    assert seen == [len(twins[0])]


def test_an_early_validation_leaves_the_output_unchanged(twins: tuple[bytes, bytes]) -> None:
    graph = CompositionGraph()
    for i, data in enumerate(twins):
        node = graph.instantiate(graph.register(f"p{i}", data))
        export = f"run{i + 1}"
        graph.export(graph.alias_export(node, export), export)
    with EarlyValidator() as early:
        fast = graph.encode(EncodeOptions(validator=early))
    assert fast == graph.encode(validate=False)


def test_errors_in_a_core_module_of_a_repeated_nested_component_name_their_own_file() -> None:
    # The same nested component (exporting a core module whose export index is out of bounds) at
    # different offsets of two components: each error names the offset in its own component.
    module = bytes.fromhex("0061736d0100000007050101660005")
    nested = bytes.fromhex("0061736d0d000100") + b"\x01" + bytes([len(module)]) + module
    nested += bytes.fromhex("0b080100016d00110000")  # (export "m" (core module 0))
    outer = bytes.fromhex("0061736d0d000100") + b"\x04" + bytes([len(nested)]) + nested
    outer += bytes.fromhex("050401000000") + bytes.fromhex("0b070100016d050000")  # instantiate, export it
    padded = outer[:8] + bytes.fromhex("000401780000") + outer[8:]  # a 6-byte custom section first
    graph = CompositionGraph()
    offsets = []
    for name, data in (("a", outer), ("b", padded)):
        with pytest.raises(DecodeError) as err:
            graph.register(name, data)
        offsets.append(err.value.offset)
    assert offsets[1] == offsets[0] + 6
    assert offsets[0] == 8 + 2 + 8 + 2 + 8 + 3  # outer and nested preambles and headers, the export


LINK_WIT = """
package test:out;
interface api {{ run: func(s: {param}) -> string; }}
world {world} {{ {direction} api; }}
"""


@pytest.fixture(scope="module")
def outline_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes, bytes]:
    """A root importing ``api``, a plug exporting it, and a plug exporting it with another type."""
    tmp = tmp_path_factory.mktemp("outline")
    root = component_from_wit(tmp, LINK_WIT.format(param="string", world="root", direction="import"), "root")
    plug = component_from_wit(tmp, LINK_WIT.format(param="string", world="plug", direction="export"), "plug")
    other = component_from_wit(tmp, LINK_WIT.format(param="u32", world="plug", direction="export"), "plug")
    return root, plug, other


def test_compose_returns_the_full_result_when_the_outline_guessed_wrong(
    outline_pair: tuple[bytes, bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    from wacpy import compose

    plug_module = importlib.import_module("wacpy.compose.plug")  # wacpy.compose is also a function

    root, plug, _ = outline_pair
    expected = compose(root, [plug], validate=False)
    assert plug_module._outline_compose(root, [plug]) == expected  # nothing left unsatisfied
    checked: list[bytes] = []
    monkeypatch.setattr(plug_module, "_outline_compose", lambda root, plugs: b"\0asm\x0d\0\x01\0")
    monkeypatch.setattr(WasmToolsValidator, "validate", lambda self, data: checked.append(data))
    assert compose(root, [plug]) == expected
    assert checked == [expected]  # what is returned is what was validated


def test_a_type_mismatch_the_outline_cannot_see_is_still_a_typed_error(
    outline_pair: tuple[bytes, bytes, bytes],
) -> None:
    from wacpy import ArgumentTypeMismatchError, compose
    from wacpy.compose.plug import _outline_compose

    root, _, other = outline_pair
    assert _outline_compose(root, [other]) is not None  # same names and sorts: the outline wires it
    with pytest.raises(ArgumentTypeMismatchError, match=r"run: param `s`|expected string, found u32"):
        compose(root, [other])


def test_compose_skips_the_outline_with_one_cpu(
    outline_pair: tuple[bytes, bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outline only pays when validation runs beside the typed composition on another CPU."""
    import importlib

    from wacpy import compose

    plug_module = importlib.import_module("wacpy.compose.plug")
    root, plug, _ = outline_pair
    calls: list[int] = []
    real = plug_module._outline_compose

    def counted(root: bytes, plugs: list[bytes]) -> bytes | None:
        calls.append(1)
        return real(root, plugs)  # type: ignore[no-any-return]

    monkeypatch.setattr(plug_module, "_outline_compose", counted)
    monkeypatch.setattr(plug_module, "usable_cpus", lambda: 1)
    alone = compose(root, [plug])
    monkeypatch.setattr(plug_module, "usable_cpus", lambda: 2)
    assert compose(root, [plug]) == alone
    assert calls == [1]  # only the two-CPU composition outlined


SUBTYPED_MODULE = """(component
  (core module $m {provides})
  (component $c (import "m" (core module {needs})))
  (instance (instantiate $c (with "m" (core module $m)))))"""


@pytest.mark.parametrize(
    ("provides", "needs", "refusal"),
    [
        (
            '(table (export "t") 1 funcref)',
            '(export "t" (table 2 funcref))',
            "table limits 1.. do not fit 2..",
        ),
        (
            '(table (export "t") 2 funcref)',
            '(export "t" (table 1 5 funcref))',
            "table limits 2.. do not fit 1..5",
        ),
        ('(memory (export "m") 1 9)', '(export "m" (memory 1 8))', "memory limits 1..9 do not fit 1..8"),
        ('(import "" "m" (memory 2))', '(import "" "m" (memory 1))', "memory limits 1.. do not fit 2.."),
        ('(global (export "g") i32 (i32.const 0))', '(export "g" (global (mut i32)))', "global types differ"),
        ('(import "" "f" (func))', "", "not among the imports expected"),
        ('(func (export "f"))', '(export "f" (global i32))', "expected a core global, found a core func"),
    ],
)
def test_core_module_arguments_are_checked_by_subtyping(provides: str, needs: str, refusal: str) -> None:
    """Limits may be wider on the export side and narrower on the import side, nothing else."""
    data = wat(SUBTYPED_MODULE.format(provides=provides, needs=needs))
    with pytest.raises(ComponentTypeError, match=refusal.replace(".", r"\.")):
        CompositionGraph().register("m", data)


def test_types_of_every_kind_are_exported_and_imported() -> None:
    data = wat("""(component
      (type $f (func (param "x" u32)))
      (type $i (instance (export "r" (type (sub resource))) (export "g" (func))))
      (import "f" (type $if (eq $f)))
      (import "call" (func (type $if)))
      (export "i" (type $i)))""")
    graph = CompositionGraph()
    ctype = graph.package(graph.register("t", data)).type
    assert ctype.imports["f"] == TypeDefT(FuncT((("x", PrimValType.U32),)))
    exported = ctype.exports["i"]
    assert isinstance(exported, TypeDefT) and isinstance(exported.type, InstanceT)
    assert list(exported.type.exports) == ["r", "g"] and len(exported.type.introduces) == 1
    assert ctype.params == () and ctype.fresh == ()  # a type's resources are its own, not the component's
