"""Exact round-trips over the corpus built at test time (WAT, wit-smith, C, componentize-py)."""

from __future__ import annotations

import attrs
import pytest

from testkit.corpus.build import WAT_DIR, c_component, python_component, wat_components, wit_smith_components
from wacpy import decode, encode
from wacpy.binary.ast import ComponentSection, CoreModuleSection, ExportSection, without_sources
from wacpy.binary.modules import module_info
from wacpy.tools import print_wat

WIT_SMITH_COUNT = 60


@pytest.fixture(scope="session")
def wat_corpus() -> dict[str, tuple[bytes, list[str]]]:
    return wat_components()


@pytest.fixture(scope="session")
def wit_smith_corpus() -> dict[str, bytes]:
    return wit_smith_components(WIT_SMITH_COUNT)


def assert_exact_round_trip(name: str, data: bytes) -> None:
    component = decode(data)
    again = encode(component)
    assert again == data, f"{name}: re-encoding differs from the input"
    assert encode(without_sources(component)) == data, f"{name}: the writer's encoding differs"
    assert decode(again) == component
    assert print_wat(again) == print_wat(data)


@pytest.mark.parametrize("stem", sorted(p.stem for p in WAT_DIR.glob("*.wat")))
def test_hand_written_wat_round_trips_exactly(
    stem: str, wat_corpus: dict[str, tuple[bytes, list[str]]]
) -> None:
    data, _features = wat_corpus[stem]
    assert_exact_round_trip(stem, data)


def test_wit_smith_components_round_trip_exactly(wit_smith_corpus: dict[str, bytes]) -> None:
    assert len(wit_smith_corpus) >= 50
    for name, data in wit_smith_corpus.items():
        assert_exact_round_trip(name, data)


def test_c_component_round_trips_exactly() -> None:
    assert_exact_round_trip("c", c_component())


def test_componentize_py_component_round_trips_without_copying_modules() -> None:
    data = python_component()
    component = decode(data)
    assert encode(component) == data
    assert encode(without_sources(component)) == data
    modules = [s.module for s in component.sections if isinstance(s, CoreModuleSection)]
    assert modules and all(isinstance(m.data, memoryview) and m.data.obj is data for m in modules)
    assert sum(len(m.data) for m in modules) > 10_000_000
    assert any(module_info(m).exports for m in modules)


def test_nested_components_are_decoded(wat_corpus: dict[str, tuple[bytes, list[str]]]) -> None:
    component = decode(wat_corpus["nested"][0])

    def depth(c: object) -> int:
        inner = [s.component for s in getattr(c, "sections", ()) if isinstance(s, ComponentSection)]
        return 1 + max((depth(i) for i in inner), default=0)

    assert depth(component) >= 3


@pytest.mark.slow
def test_many_wit_smith_components_round_trip_exactly() -> None:
    corpus = wit_smith_components(600, seed=1000)
    assert len(set(corpus.values())) >= 200
    for name, data in corpus.items():
        assert_exact_round_trip(name, data)


def test_decoded_sections_are_written_back_as_read_and_changed_ones_anew(
    wat_corpus: dict[str, tuple[bytes, list[str]]],
) -> None:
    data = wat_corpus["nested"][0]
    component = decode(data)
    assert all(s.source is not None and s.source.obj is data for s in component.sections)
    assert b"".join(bytes(s.source) for s in component.sections if s.source is not None) == data[8:]
    exports = next(i for i, s in enumerate(component.sections) if isinstance(s, ExportSection))
    section = component.sections[exports]
    assert isinstance(section, ExportSection)
    renamed = attrs.evolve(
        section,
        exports=tuple(
            attrs.evolve(e, name=attrs.evolve(e.name, name=f"x{e.name.name}")) for e in section.exports
        ),
    )
    assert renamed.source is None
    changed = attrs.evolve(
        component, sections=(*component.sections[:exports], renamed, *component.sections[exports + 1 :])
    )
    assert decode(encode(changed)) == changed
    assert encode(changed) != data
