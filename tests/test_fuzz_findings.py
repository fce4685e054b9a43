"""Bugs the fuzzing harness (``python -m fuzz``) found, each pinned by a minimal reproduction.

Each test states the correct behaviour. A bug not fixed yet is marked
``xfail(strict=True, reason=...)``: its fix makes the test pass, which fails the suite until the
marker is removed. All of the ones below are fixed (7ac2dbb, 374f4f8, 1bed548, cc8a889 and the commit after it): plain regression tests now.
"""

from __future__ import annotations

import pytest

from testkit.linkkit import link_component
from wacpy import (
    ComponentTypeError,
    CompositionGraph,
    DecodeError,
    EncodeError,
    ExportNameClashError,
    decode,
    encode,
)
from wacpy.binary.ast import Component, Export, ExportSection, ExternName, Sort, SortIndex
from wacpy.binary.modules import read_module_info
from wacpy.tools import ExternalToolError, print_wat, run_wasm_tools

PRE = bytes.fromhex("0061736d0d000100")


# differential target: the decoder accepted core sorts type/module/instance (0x10-0x12) in a core
# inline export, which wasm-tools' parser rejects as an external kind. Fixed in 7ac2dbb.
@pytest.mark.parametrize("sort", [0x10, 0x11, 0x12])
def test_core_inline_export_takes_only_external_kinds(sort: int) -> None:
    # (core instance (export "a" <sort> 0)): one core instance section, inline exports form.
    body = bytes([0x01, 0x01, 0x01, 0x01, ord("a"), sort, 0x00])
    data = PRE + bytes([0x02, len(body)]) + body
    with pytest.raises(ExternalToolError, match="for external kind"):
        print_wat(data)
    with pytest.raises(DecodeError):
        decode(data)


# roundtrip target (wasm-tools smith): CoreModule.info() rejected ref.i31_shared (0xfe 0x72), a
# shared-everything-threads constant instruction, in a global's initializer. Fixed in 7ac2dbb.
def test_module_info_reads_ref_i31_shared_in_constant_expressions() -> None:
    module = run_wasm_tools(
        "parse", "-", stdin=b"(module (global (ref null (shared i31)) (ref.i31_shared (i32.const 0))))"
    )
    run_wasm_tools("validate", "--features", "all", "-", stdin=module)
    info = read_module_info(module)
    assert len(info.globals) == 1


# compose target: export names equal up to case and dashes (out-a, outa, OUT-A) clash in wasm-tools;
# CompositionGraph.export accepted both and encode failed validation. Fixed in 7ac2dbb.
@pytest.mark.parametrize("second", ["outa", "OUT-A"])
def test_exports_equal_up_to_case_and_dashes_clash(second: str) -> None:
    graph = CompositionGraph()
    package = graph.register("n0", link_component("n0", (), "test:chain/link@1.0.0"))
    run = graph.alias_export(graph.instantiate(package), "test:chain/link@1.0.0")
    graph.export(run, "out-a")
    with pytest.raises(ExportNameClashError):
        graph.export(run, second)


# differential target: an alias names its sort, and wasm-tools' parser allows only some sorts for
# each alias target; the decoder accepted any sort for every target (fixed in 374f4f8). Each case:
# the alias section's body (one alias) and the error wasm-tools 1.262 gives.
ALIAS_SORT_CASES = [
    # (alias export 0 "x" (core memory)): an instance export alias takes component sorts and core module
    ("export alias of a core memory", b"\x01\x00\x02\x00\x00\x01x", "for component external kind"),
    # (alias outer 1 0 (value)): outer aliases take core type/module, type and component only
    ("outer alias of a value", b"\x01\x02\x02\x01\x00", "for component outer alias kind"),
    ("outer alias of a core func", b"\x01\x00\x00\x02\x01\x00", "for component outer alias kind"),
    # (alias core export 0 "x" (value)): a core export alias takes core sorts only
    ("core export alias of a value", b"\x01\x02\x01\x00\x01x", "for core instance export kind"),
    # (alias core export 0 "x" (core type | core module)): and only the external kinds among them
    ("core export alias of a core type", b"\x01\x00\x10\x01\x00\x01x", "for external kind"),
    ("core export alias of a core module", b"\x01\x00\x11\x01\x00\x01x", "for external kind"),
]


@pytest.mark.parametrize(
    ("body", "message"), [c[1:] for c in ALIAS_SORT_CASES], ids=[c[0] for c in ALIAS_SORT_CASES]
)
def test_alias_sorts_are_those_wasm_tools_parses(body: bytes, message: str) -> None:
    data = PRE + bytes([0x06, len(body)]) + body
    with pytest.raises(ExternalToolError, match=message):
        print_wat(data)
    with pytest.raises(DecodeError):
        decode(data)


# roundtrip target (the registration fast-path check): an outer alias whose count is a huge u32
# made type resolution walk the scope chain that many times (minutes) before failing. Now the walk
# stops at the outermost scope.
def test_a_huge_outer_alias_count_fails_at_once() -> None:
    huge = bytes.fromhex("e5d7d6e00c")  # 3,423,972,325 as a u32 LEB128
    component = PRE + b"\x06\x09\x01\x03\x02" + huge + b"\x00"  # alias outer <huge> 0 (type)
    graph = CompositionGraph()
    with pytest.raises(ComponentTypeError, match="outer alias count 3423972325 reaches past"):
        graph.register("huge", component)


# decode target (the fast-path check types every decoded component): a core module exporting a
# function index past its function space made CoreModule.info() users fail with IndexError. The
# module reader now checks export indices and names the export, at its offset in the file.
def test_a_core_export_index_out_of_bounds_is_a_decode_error_at_its_offset() -> None:
    module = bytes.fromhex("0061736d0100000007050101660005")  # (export "f" (func 5)), no funcs
    component = PRE + b"\x01" + bytes([len(module)]) + module + bytes.fromhex("0b080100016d00110000")
    with pytest.raises(DecodeError, match=r"export `f`: func index 5 is out of bounds \(0 defined\)") as err:
        CompositionGraph().register("m", component)
    assert err.value.offset == 0x15  # where wasm-tools validate reports it too
    with pytest.raises(ExternalToolError, match=r"out of bounds \(at offset 0x15\)"):
        run_wasm_tools("validate", "-", stdin=component)


# differential target: an export (likewise an instantiation argument or inline export) of a core
# sort other than module decoded, where wasm-tools' parser rejects it as a component external kind.
# The reader now rejects it at the same byte as wasm-tools, and the writer refuses to write it.
def test_only_core_modules_are_component_external_kinds() -> None:
    export_core_table = PRE + bytes.fromhex("0b080100016300010000")  # (export "c" (core table 0))
    with pytest.raises(DecodeError, match=r"invalid leading byte 0x01 for component external kind") as err:
        decode(export_core_table)
    assert err.value.offset == 0x0F
    with pytest.raises(
        ExternalToolError, match=r"invalid leading byte \(0x1\) for component external kind \(at offset 0xf\)"
    ):
        print_wat(export_core_table)
    table_export = Export(ExternName("c"), SortIndex(Sort.CORE_TABLE, 0))
    with pytest.raises(EncodeError, match="sort core_table cannot be exported"):
        encode(Component((ExportSection((table_export,)),)))


# decode target: an `alias export` naming a func export as an instance decoded, and typing put the
# function in the instance index space; the next alias out of it crashed (AttributeError). Typing
# now checks that an export alias's sort is its export's, and says which it is.
def test_an_export_alias_of_the_wrong_sort_is_a_type_error() -> None:
    data = run_wasm_tools(
        "parse",
        "-",
        stdin=b"""(component
          (import "i" (instance (export "f" (func)) (export "inner" (instance (export "g" (func))))))
          (alias export 0 "f" (instance))
          (alias export 1 "g" (func)))""",
    )
    with pytest.raises(
        ComponentTypeError, match=r"export `f` of instance 0 is a func, but an alias takes it as an instance"
    ):
        CompositionGraph().register("a", data)
    with pytest.raises(ExternalToolError, match="export `f` for instance 0 is not a"):
        run_wasm_tools("validate", "-", stdin=data)
