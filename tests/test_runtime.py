"""What a component needs from the runtime (``wacpy.runtime``) and the serve commands built from it
(``wacpy.mcp.serve``). That the estimates cover what wasmtime really allocates, and that the
printed commands serve compositions of several Python tools, is checked in ``test_serving.py``."""

from __future__ import annotations

import pytest

from wacpy.binary.module_layout import ModuleLayout, read_module_layout
from wacpy.errors import DecodeError
from wacpy.mcp import ServeOptions, parse_timeout, serve_argv, stdio_argv
from wacpy.mcp.serve import ServeOptionError
from wacpy.runtime import RuntimeNeeds, core_instance_bytes, pooling_options, runtime_needs
from wacpy.tools import run_wasm_tools


def wat(text: str) -> bytes:
    return run_wasm_tools("parse", "-", stdin=text.encode())


MODULE = """(module
  (import "env" "f" (func $imported))
  (import "env" "t" (table 1 funcref))
  (import "env" "m" (memory 1))
  (import "env" "g" (global i32))
  (func $a) (func $b) (func $c) (func $d) (func $e) (func $unused)
  (table $own 4 funcref)
  (memory 1)
  (global (mut i32) (i32.const 0))
  (global funcref (ref.func $e))
  (export "a" (func $a))
  (export "a-again" (func $a))
  (elem (i32.const 0) func $b $a)
  (elem (table $own) (i32.const 1) funcref (ref.func $c) (ref.null func))
  (elem declare func $d)
  (elem func $imported)
)"""


def test_module_layout_counts_imports_definitions_and_escaping_functions() -> None:
    layout = read_module_layout(wat(MODULE))
    assert layout == ModuleLayout(
        imported_functions=1,
        imported_tables=1,
        imported_memories=1,
        imported_globals=1,
        defined_functions=6,
        defined_tables=1,
        defined_memories=1,
        defined_globals=2,
        # $a (exported twice, in an element too), $b, $c, $d, $e (a global's initializer) and the
        # import (a passive segment); $unused stays inside
        escaped_functions=6,
    )


def test_a_module_with_nothing_escaping_costs_the_base_size() -> None:
    layout = read_module_layout(wat("(module (func) (func))"))
    assert layout.escaped_functions == 0
    assert core_instance_bytes(layout) == core_instance_bytes(ModuleLayout())


def test_bad_element_flags_are_a_decode_error_with_the_offset() -> None:
    # preamble, then section 9 (size 2): one segment with flags 8
    data = bytes.fromhex("0061736d01000000") + bytes([9, 2, 1, 8])
    with pytest.raises(DecodeError, match=r"invalid element segment flags 8") as caught:
        read_module_layout(data)
    assert caught.value.offset == 11


COMPONENT = """(component
  (core module $m (memory (export "mem") 1) (table 1 funcref) (func (export "f")))
  (core module $n (func (export "g")))
  (component $inner
    (core module $x (memory 1))
    (core instance (instantiate $x))
    (core instance (instantiate $x))
  )
  (core instance $one (instantiate $m))
  (core instance (instantiate $n))
  (instance (instantiate $inner))
  (instance (instantiate $inner))
  (type $t (func))
  (func (canon lift (core func $one "f")))
)"""


def test_runtime_needs_count_nested_components_as_often_as_they_are_instantiated() -> None:
    needs = runtime_needs(wat(COMPONENT))
    assert needs.core_instances == 2 + 2 * 2
    assert needs.memories == 1 + 2 * 2
    assert needs.tables == 1
    assert needs.unknown_instantiations == 0
    layouts = [ModuleLayout(defined_functions=1, defined_tables=1, defined_memories=1, escaped_functions=1)]
    layouts += [ModuleLayout(defined_functions=1, escaped_functions=1)]
    layouts += [ModuleLayout(defined_memories=1)] * 4
    assert needs.core_bytes == sum(core_instance_bytes(layout) for layout in layouts)
    assert needs.largest_core_instance_bytes == core_instance_bytes(layouts[0])


def test_an_imported_component_is_an_instantiation_the_count_cannot_see() -> None:
    needs = runtime_needs(wat('(component (import "c" (component $c)) (instance (instantiate $c)))'))
    assert needs.unknown_instantiations == 1


def test_small_components_need_no_pooling_options() -> None:
    assert pooling_options(runtime_needs(wat(COMPONENT))) == []


def test_pooling_options_raise_only_the_limits_an_instance_would_exceed() -> None:
    needs = RuntimeNeeds(
        core_instances=30,
        memories=4,
        tables=5,
        component_bytes=20_000,
        core_bytes=1_500_000,
        largest_core_instance_bytes=1_000_000,
    )
    assert pooling_options(needs, concurrency=10) == [
        "pooling-max-component-instance-size=2097152",  # 1.52 MB with its margin, in whole MiB
        "pooling-max-core-instance-size=2097152",
    ]
    assert "pooling-total-core-instances=3000" in pooling_options(needs, concurrency=100)
    assert "pooling-total-memories=400" not in pooling_options(needs, concurrency=100)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", "30s"),
        ("30", "30s"),
        ("1.5s", "1.5s"),
        ("250ms", "250ms"),
        ("2m", "120s"),
        ("0", None),
        ("none", None),
        ("Off", None),
        (" 5s ", "5s"),
    ],
)
def test_timeouts_are_written_as_wasmtime_reads_them(text: str, expected: str | None) -> None:
    assert parse_timeout(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "5h", "-1s", "1e3s", "s"])
def test_a_timeout_that_is_no_duration_names_the_option(text: str) -> None:
    with pytest.raises(ServeOptionError, match=r"--timeout: .* is not a duration"):
        parse_timeout(text)


SERVER_SHAPE = """(component
  (import "wasi:cli/environment@0.2.12" (instance))
  (import "wasi:keyvalue/store@0.2.0-draft" (instance))
  (import "wasi:http/types@0.2.12" (instance))
)"""


def test_serve_flags_come_from_the_imports_and_the_options() -> None:
    from wacpy import decode

    component = decode(wat(SERVER_SHAPE))
    options = ServeOptions(timeout="5s", reuse=10, address="127.0.0.1:9000")
    assert serve_argv("wasmtime", "s.wasm", component, options) == [
        "wasmtime", "serve", "-Scli", "-Shttp", "-Skeyvalue", "-Wtimeout=5s",
        "--max-instance-reuse-count", "10", "--addr", "127.0.0.1:9000", "s.wasm",
    ]  # fmt: skip
    fresh = ServeOptions(timeout=None, reuse=1)
    assert serve_argv("wasmtime", "s.wasm", component, fresh) == [
        "wasmtime", "serve", "-Scli", "-Shttp", "-Skeyvalue", "--addr", "127.0.0.1:8080", "s.wasm",
    ]  # fmt: skip
    assert stdio_argv("wasmtime", "s.wasm", component) == [
        "wasmtime", "run", "-Scli", "-Shttp", "-Skeyvalue", "s.wasm",
    ]  # fmt: skip
