"""Composition: a type-checked graph of component instances, encoded as one component."""

from .graph import CompositionGraph, NodeId, PackageId
from .graphfile import load_graph
from .options import EarlyValidator, EncodeOptions, Validator, WasmToolsValidator
from .plug import compose
from .typer import ComponentTyper, InterfaceTyper, OutlineTyper

__all__ = [
    "ComponentTyper",
    "CompositionGraph",
    "EarlyValidator",
    "EncodeOptions",
    "InterfaceTyper",
    "NodeId",
    "OutlineTyper",
    "PackageId",
    "Validator",
    "WasmToolsValidator",
    "compose",
    "load_graph",
]
