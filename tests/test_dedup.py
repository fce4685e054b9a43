"""Identical core modules stored once (``wacpy.compose.dedup``): the result validates, behaves as
the composition it came from, and is smaller by exactly the copies it dropped.

Link components (``testkit/linkkit.py``) share their allocator module whenever their names put the
heap at the same address, so chains of them share random subsets of modules; the edge cases of
the component model (a module the outer component defines and a nested one defines again, one
module twice in one component, an outer module defined after the first user, an exported nested
component) are written in WAT.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wasmtime import Engine, Store
from wasmtime.component import Component as WasmtimeComponent
from wasmtime.component import Linker

from testkit.linkkit import call_run, link_component
from wacpy import compose, decode, encode
from wacpy.binary.ast.aliases import OuterAlias
from wacpy.binary.ast.common import Sort
from wacpy.binary.ast.sections import AliasSection, Component, ComponentSection, CoreModuleSection
from wacpy.compose.dedup import dedup_binary, dedup_modules, shared_modules
from wacpy.inspection import format_summary, summarize
from wacpy.tools import run_wasm_tools, validate
from wacpy.types.resolve import component_type

LINK = "test:chain/link@1.0.0"


def _iface(i: int) -> str:
    return f"test:chain/l{i}@1.0.0"


def chain(names: list[str]) -> bytes:
    """``names[0]`` -> ``names[1]`` -> ... composed with plugs, one interface per link."""
    parts = [
        link_component(name, (_iface(i + 1),) if i + 1 < len(names) else (), _iface(i))
        for i, name in enumerate(names)
    ]
    return compose(parts[0], parts[1:])


def _modules(component: Component) -> list[bytes]:
    """Every core module defined anywhere in ``component``, as bytes."""
    found = []
    for section in component.sections:
        if isinstance(section, CoreModuleSection):
            found.append(bytes(section.module.data))
        elif isinstance(section, ComponentSection):
            inner = section.component
            found += _modules(inner if isinstance(inner, Component) else decode(bytes(inner)))
    return found


def _check_dedup(data: bytes) -> bytes:
    """Dedup ``data``; check validity, that each distinct module is now defined once per level it
    was shared at, and that the size went down by the dropped copies (plus a few alias bytes)."""
    before = _modules(decode(data))
    out = dedup_binary(data)  # validates
    after = _modules(decode(out))
    assert sorted(set(after)) == sorted(set(before))
    assert len(after) == len(set(before))  # nested, one level: every duplicate went
    dropped = sum(len(m) for m in before) - sum(len(m) for m in after)
    aliases = _module_aliases(decode(out))
    # each alias section is 8 bytes where a module's section header was ~3; sizes' LEBs may shrink
    assert len(data) - dropped - 4 * aliases <= len(out) <= len(data) - dropped + 8 * aliases
    return out


def _module_aliases(component: Component) -> int:
    """How many outer aliases of core modules the nested components of ``component`` hold."""
    return sum(
        1
        for section in component.sections
        if isinstance(section, ComponentSection) and isinstance(section.component, Component)
        for inner in section.component.sections
        if isinstance(inner, AliasSection)
        for alias in inner.aliases
        if isinstance(alias, OuterAlias) and alias.count == 1
    )


def test_a_chain_of_same_length_names_shares_the_allocator_module() -> None:
    data = chain(["aa", "bb", "cc", "dd"])
    out = _check_dedup(data)
    assert call_run(out, _iface(0), "x") == call_run(data, _iface(0), "x") == "aa(bb(cc(dd<x>)))"
    shared = shared_modules(decode(out))
    assert shared and all(len(m.users) >= 2 for m in shared)
    assert len(out) < len(data)


def test_nothing_shared_leaves_the_bytes_as_they_were() -> None:
    data = link_component("solo", (), LINK)
    assert dedup_binary(data) == data
    component = decode(data)
    assert dedup_modules(component) is component


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text("ab", min_size=1, max_size=3), min_size=2, max_size=6))
def test_random_chains_behave_alike_and_shrink_by_their_copies(names: list[str]) -> None:
    data = chain(names)
    out = _check_dedup(data)
    assert call_run(out, _iface(0), "q") == call_run(data, _iface(0), "q")
    component = decode(out)
    assert dedup_modules(component) is component  # nothing left to share
    digests = [hashlib.sha256(m).hexdigest() for m in _modules(decode(data))]
    assert {m.digest for m in shared_modules(component)} == {d for d in digests if digests.count(d) > 1}


MODULE = '(core module $m{n} (func (export "f") (result i32) i32.const {value}))'


def _nested(name: str, values: list[int]) -> str:
    """A nested component defining one module per value and exporting ``run<i>`` for each."""
    modules = "\n".join(MODULE.format(n=i, value=v) for i, v in enumerate(values))
    instances = "\n".join(f"(core instance $i{i} (instantiate $m{i}))" for i in range(len(values)))
    funcs = "\n".join(
        f'(func (export "run{i}") (result u32) (canon lift (core func $i{i} "f")))'
        for i in range(len(values))
    )
    return f"(component ${name}\n{modules}\n{instances}\n{funcs})"


def _run(data: bytes, export: str) -> object:
    engine = Engine()
    compiled = WasmtimeComponent(engine, data)
    store = Store(engine)
    instance = Linker(engine).instantiate(store, compiled)
    index = instance.get_export_index(store, export)
    assert index is not None, export
    func = instance.get_func(store, index)
    assert func is not None
    result = func(store)
    func.post_return(store)
    return result


def _wat(text: str) -> bytes:
    return run_wasm_tools("parse", "-", stdin=text.encode())


EDGE_CASES = {
    # the outer component defines the module, and a nested one defines it again
    "outer-and-nested": f"""(component
        {MODULE.format(n=0, value=7)}
        (core instance $o (instantiate $m0))
        (func (export "outer") (result u32) (canon lift (core func $o "f")))
        {_nested("c", [7, 8])}
        (instance $ci (instantiate $c))
        (export "a" (func $ci "run0")) (export "b" (func $ci "run1")))""",
    # one nested component imports the module (given by the outer one), another defines it
    "imported-and-defined": f"""(component
        {MODULE.format(n=0, value=4)}
        (component $c
            (import "m" (core module $m (export "f" (func (result i32)))))
            (core instance $i (instantiate $m))
            (func (export "run0") (result u32) (canon lift (core func $i "f"))))
        {_nested("d", [4])}
        (instance $ci (instantiate $c (with "m" (core module $m0)))) (instance $di (instantiate $d))
        (export "a" (func $ci "run0")) (export "b" (func $di "run0")))""",
    # one module twice in one component, and again in another
    "twice-in-one": f"""(component
        {_nested("c", [5, 5, 6])}
        {_nested("d", [6])}
        (instance $ci (instantiate $c)) (instance $di (instantiate $d))
        (export "a" (func $ci "run0")) (export "b" (func $ci "run1"))
        (export "c" (func $ci "run2")) (export "d" (func $di "run0")))""",
    # an exported nested component: its type must not change
    "exported-component": f"""(component
        {_nested("c", [3])}
        {_nested("d", [3])}
        (instance $ci (instantiate $c)) (instance $di (instantiate $d))
        (export "a" (func $ci "run0")) (export "b" (func $di "run0"))
        (export "comp" (component $d)))""",
}
EXPECTED = {
    "outer-and-nested": {"outer": 7, "a": 7, "b": 8},
    "twice-in-one": {"a": 5, "b": 5, "c": 6, "d": 6},
    "imported-and-defined": {"a": 4, "b": 4},
    "exported-component": {},  # wasmtime runs no root component exporting a component
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_edge_cases_validate_and_answer_as_before(case: str) -> None:
    data = _wat(EDGE_CASES[case])
    out = _check_dedup(data)
    for export, value in EXPECTED[case].items():
        assert _run(data, export) == _run(out, export) == value
    assert repr(component_type(decode(out))) == repr(component_type(decode(data)))  # exported types too


def test_a_module_the_outer_component_defines_is_aliased_not_added() -> None:
    out = decode(dedup_binary(_wat(EDGE_CASES["outer-and-nested"])))
    assert sum(isinstance(s, CoreModuleSection) for s in out.sections) == 1
    [nested] = [s.component for s in out.sections if isinstance(s, ComponentSection)]
    assert isinstance(nested, Component)
    aliases = [
        a
        for s in nested.sections
        if isinstance(s, AliasSection)
        for a in s.aliases
        if isinstance(a, OuterAlias)
    ]
    assert aliases == [OuterAlias(Sort.CORE_MODULE, 1, 0)]


def test_an_outer_module_after_the_first_user_adds_no_definitions() -> None:
    """Adding a definition before the first user would move the outer module defined after it:
    the pass shares nothing new then, and the result is still valid and the same."""
    data = _wat(f"""(component
        {_nested("c", [1])}
        {_nested("d", [1])}
        {MODULE.format(n=9, value=2)}
        (core instance $o (instantiate $m9))
        (func (export "late") (result u32) (canon lift (core func $o "f")))
        (instance $ci (instantiate $c)) (instance $di (instantiate $d))
        (export "a" (func $ci "run0")) (export "b" (func $di "run0")))""")
    out = dedup_binary(data)
    validate(out)
    assert out == data
    assert _run(out, "late") == 2


def test_inspect_lists_the_shared_modules_with_their_users() -> None:
    out = dedup_binary(chain(["aa", "bb", "cc"]))
    summary = summarize(out)
    assert summary.shared_modules and all(len(m.users) >= 2 for m in summary.shared_modules)
    text = format_summary(summary)
    assert "shared core modules (stored once," in text
    assert encode(decode(out)) == out
