"""Random composition graphs of small link components: wiring, runtime behaviour, differential.

Every link component ``n<i>`` exports ``test:chain/link-<i>`` with ``run(s)``: a leaf answers
``n<i><s>``, a link with imports answers ``n<i>(`` + the answers of its imports in order + ``)``.
So the string a composed graph returns spells out exactly how it was wired.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.targets.compose import _plug_program, run_program
from testkit.linkkit import call_run, link_component
from wacpy import ArgumentTypeMismatchError, CompositionGraph, compose
from wacpy.compose.plug import _outline_compose
from wacpy.tools import run_wasm_tools

Dag = list[list[int]]  # node i -> the nodes it imports (all greater than i)


def iface(i: int) -> str:
    return f"test:chain/link-{i}@1.0.0"


@st.composite
def dags(draw: st.DrawFn, max_nodes: int = 5) -> Dag:
    n = draw(st.integers(1, max_nodes))
    return [
        sorted(draw(st.sets(st.integers(i + 1, n - 1), max_size=2))) if i + 1 < n else [] for i in range(n)
    ]


def expected(dag: Dag, node: int, arg: str) -> str:
    if not dag[node]:
        return f"n{node}<{arg}>"
    return f"n{node}(" + ",".join(expected(dag, j, arg) for j in dag[node]) + ")"


def components(dag: Dag) -> list[bytes]:
    return [link_component(f"n{i}", tuple(iface(j) for j in deps), iface(i)) for i, deps in enumerate(dag)]


def build_graph(dag: Dag, comps: list[bytes]) -> CompositionGraph:
    graph = CompositionGraph()
    packages = [graph.register(f"n{i}", c) for i, c in enumerate(comps)]
    instances = [graph.instantiate(p) for p in packages]
    for i in reversed(range(len(dag))):
        for j in dag[i]:
            graph.set_argument(instances[i], iface(j), graph.alias_export(instances[j], iface(j)))
    graph.export(graph.alias_export(instances[0], iface(0)), iface(0))
    return graph


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags(), st.text("abc", max_size=3))
def test_random_dags_run_with_exactly_their_wiring(dag: Dag, arg: str) -> None:
    data = build_graph(dag, components(dag)).encode(allow_imports=False)
    assert call_run(data, iface(0), arg) == expected(dag, 0, arg)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from("pqrstuvw"), min_size=1, max_size=5, unique=True))
def test_plugs_exporting_one_interface_chain_in_order(names: list[str]) -> None:
    link = "test:chain/link@1.0.0"
    root = link_component("root", (link,), link)
    plugs = [link_component(n, (link,) if i + 1 < len(names) else (), link) for i, n in enumerate(names)]
    want = "root(" + "".join(f"{n}(" for n in names[:-1]) + f"{names[-1]}<x>" + ")" * len(names)
    data = compose(root, plugs)
    assert call_run(data, link, "x") == want
    assert _outline_compose(root, plugs) == data  # every import satisfied: the outline is exact


@settings(max_examples=15, deadline=None)
@given(dags(max_nodes=4).filter(lambda d: any(d)), st.data())
def test_type_incompatible_wiring_is_rejected_before_encoding(dag: Dag, data: st.DataObject) -> None:
    edges = [(i, j) for i, deps in enumerate(dag) for j in deps]
    _, bad = data.draw(st.sampled_from(edges))
    comps = components(dag)
    deps = tuple(iface(j) for j in dag[bad])
    comps[bad] = link_component(f"n{bad}", deps, iface(bad), result_type="u32")
    with pytest.raises(ArgumentTypeMismatchError, match=r"run: result: expected string, found u32"):
        build_graph(dag, comps)


def wasm_tools_compose(dag: Dag, comps: list[bytes], work: Path) -> bytes:
    """The same wiring through ``wasm-tools compose`` with an explicit instantiation config."""
    lines = ["dependencies:"]
    for i, c in enumerate(comps):
        (work / f"n{i}.wasm").write_bytes(c)
        if i:
            lines.append(f"  n{i}: n{i}.wasm")
    lines.append("instantiations:")
    for i, deps in enumerate(dag):
        if deps:
            lines.append(f"  {'root' if i == 0 else f'n{i}'}:")
            lines.append("    arguments:")
            lines += [f'      "{iface(j)}": {{ instance: n{j}, export: "{iface(j)}" }}' for j in deps]
    (work / "compose.yml").write_text("\n".join(lines) + "\n")
    return run_wasm_tools("compose", str(work / "n0.wasm"), "-c", str(work / "compose.yml"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags(max_nodes=4).filter(lambda d: bool(d[0])))  # wasm-tools compose refuses a root importing nothing
def test_differential_against_wasm_tools_compose(dag: Dag) -> None:
    comps = components(dag)
    ours = build_graph(dag, comps).encode()
    with tempfile.TemporaryDirectory() as tmp:
        theirs = wasm_tools_compose(dag, comps, Path(tmp))
    assert call_run(ours, iface(0), "d") == call_run(theirs, iface(0), "d") == expected(dag, 0, "d")


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags(max_nodes=8), st.text("abc", max_size=3))
def test_random_dags_exhaustive(dag: Dag, arg: str) -> None:
    data = build_graph(dag, components(dag)).encode(allow_imports=False)
    assert call_run(data, iface(0), arg) == expected(dag, 0, arg)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags(max_nodes=6).filter(lambda d: bool(d[0])))
def test_differential_exhaustive(dag: Dag) -> None:
    test_differential_against_wasm_tools_compose.hypothesis.inner_test(dag)  # type: ignore[attr-defined]


def _check_plug_program(seed: int) -> None:
    """A random ``compose(root, plugs)`` program of the fuzzer's compose target: outline exact or
    declined, validation changing nothing but the check, the outcome and every answer the
    nearest-plug model's (see ``fuzz/targets/compose.py``)."""
    outcome = run_program(_plug_program(random.Random(seed)), 5.0)
    assert outcome.problem is None, outcome.problem


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32))
def test_plug_compositions_follow_the_model_and_the_outline(seed: int) -> None:
    _check_plug_program(seed)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32))
def test_plug_compositions_exhaustive(seed: int) -> None:
    _check_plug_program(seed)
