"""``CompositionGraph.register`` refuses no component that ``wasm-tools validate`` accepts.

Over the corpus built here (hand-written WAT, wit-smith worlds, C and componentize-py components)
by default, and over the public test suites (``testkit/corpus/public.py``: wasm-tools' and the
component model's ``.wast`` files, wit-component, wasm-compose, wac and wit-parser inputs) when
``WACPY_PUBLIC_SUITES`` names checkouts of them. Malformed input must fail to decode; invalid
input may be refused or accepted (typing checks less than validation), but only ever with a
wacpy error.
"""

from __future__ import annotations

import pytest

from testkit.corpus.build import c_component, python_component, wat_components, wit_smith_components
from testkit.corpus.public import PublicCorpus, public_corpus
from wacpy import CompositionGraph, DecodeError, ValidationError, WacpyError, decode


def refusals(components: dict[str, bytes]) -> list[str]:
    """``name: error`` for every component ``register`` refuses (one graph each: names may repeat)."""
    refused = []
    for name, data in components.items():
        try:
            CompositionGraph().register("c", data)
        except WacpyError as err:
            refused.append(f"{name}: {type(err).__name__}: {err}")
    return refused


def test_every_component_of_the_local_corpus_registers() -> None:
    corpus = {f"wat/{name}": data for name, (data, _) in wat_components().items()}
    corpus |= {f"wit-smith/{name}": data for name, data in wit_smith_components(60).items()}
    corpus |= {"c": c_component(), "componentize-py": python_component()}
    assert len(corpus) > 150
    assert refusals(corpus) == []


@pytest.fixture(scope="module")
def public() -> PublicCorpus:
    corpus = public_corpus()
    if corpus is None:
        pytest.skip("WACPY_PUBLIC_SUITES names no checkout of the public test suites")
    return corpus


@pytest.mark.slow
def test_every_valid_component_of_the_public_suites_registers(public: PublicCorpus) -> None:
    valid = public.components["valid"]
    assert len(valid) > 500
    assert refusals(valid) == []


@pytest.mark.slow
def test_every_malformed_binary_of_the_public_suites_fails_to_decode(public: PublicCorpus) -> None:
    """``decode`` refuses each; ``register`` too, or, for bytes its interface-only decode steps
    over (core module sections, core instances, custom sections), the validated composition."""
    accepted = []
    for name, data in public.components["malformed"].items():
        try:
            decode(data)
            accepted.append(f"decode: {name}")
        except DecodeError:
            pass
        graph = CompositionGraph()
        try:
            graph.instantiate(graph.register("c", data))
            graph.encode()
            accepted.append(f"register: {name}")
        except (DecodeError, ValidationError):
            pass
    assert len(public.components["malformed"]) > 50
    assert accepted == []


@pytest.mark.slow
def test_invalid_components_of_the_public_suites_raise_only_wacpy_errors(public: PublicCorpus) -> None:
    for data in public.components["invalid"].values():
        try:
            decode(data)
            CompositionGraph().register("c", data)
        except WacpyError:
            pass
