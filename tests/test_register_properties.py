"""Every valid component the codec strategies make registers, and, instantiated alone in a graph
with each of its exports exported, composes into a component ``wasm-tools validate`` accepts.

Its imports become the composition's imports, so this checks that the type model carries every
kind of import and export (types of all kinds, components, core modules, values, resources, names
with attributes) and that the type encoder writes each back validly. A component that imports an
item typed by a resource it defines itself cannot be composed alone (its import would need a
resource that exists only once it is instantiated): that must be the typed error saying so.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings

from testkit.strategies import VALIDATE_FEATURES, random_valid_component, valid_components
from wacpy import CompositionGraph, encode
from wacpy.binary.ast import Component
from wacpy.compose.names import is_valid_name
from wacpy.tools import run_wasm_tools, validate

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def compose_alone(data: bytes) -> bytes:
    """``data`` registered, instantiated once, every export aliased and exported (under its own
    name, or ``e<i>`` for a name that is valid only with its attributes), encoded."""
    graph = CompositionGraph()
    package = graph.register("c", data)
    instance = graph.instantiate(package)
    for i, name in enumerate(graph.package(package).type.exports):
        graph.export(graph.alias_export(instance, name), name if is_valid_name(name) else f"e{i}")
    return graph.encode(validate=False)


def check_registers_and_composes(component: Component) -> None:
    validate(compose_alone(encode(component)), *VALIDATE_FEATURES)


@FAST
@given(valid_components())
def test_valid_components_register_and_compose_alone(component: Component) -> None:
    check_registers_and_composes(component)


@pytest.mark.slow
@SLOW
@given(valid_components(max_depth=3, max_steps=24))
def test_many_valid_components_register_and_compose_alone(component: Component) -> None:
    check_registers_and_composes(component)


def test_uniformly_drawn_valid_components_register_and_compose_alone() -> None:
    """Uniform draws reach further than Hypothesis' in the same time; 150 of them, all must pass."""
    rng = random.Random(12)
    for _ in range(150):
        check_registers_and_composes(random_valid_component(rng))


ALIASED_RESOURCE = """(component
  (type (instance
    (export "aa" (type (sub resource)))
    (export "a" (type (eq 0)))
    (type (own 1))
    (type (func (result 2)))
    (export "[constructor]a" (func (type 3)))))
  (import "x" (instance (type 0))))"""


def test_a_resource_exported_under_two_names_keeps_its_constructors_name() -> None:
    """Found by the slow property test: a handle in a ``[constructor]R`` must name ``R``, not the
    resource's first exported name; wasm-tools accepts the input and must accept its composition."""
    data = run_wasm_tools("parse", "-", stdin=ALIASED_RESOURCE.encode())
    validate(data, *VALIDATE_FEATURES)
    validate(compose_alone(data), *VALIDATE_FEATURES)
