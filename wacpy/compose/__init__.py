"""Composition: a type-checked graph of component instances, encoded as one component."""

from .graph import CompositionGraph, NodeId, PackageId
from .graphfile import load_graph
from .plug import compose

__all__ = ["CompositionGraph", "NodeId", "PackageId", "compose", "load_graph"]
