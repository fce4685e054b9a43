"""The data of a composition graph: packages, nodes, the imports and types resolution computes.

The graph (``graph.py``) builds these, resolution (``resolution.py``) types them and the encoder
(``encoder.py``) writes them; each of the three reads a graph through :class:`GraphView`, so none
imports another's module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set
from typing import Protocol

from attrs import Factory, define, field, frozen

from ..binary import decode
from ..binary.ast import Component, ExternName
from ..types.model import ComponentT, ExternT, InstanceT, Resource


@frozen(hash=False)
class PackageId:
    index: int

    def __hash__(self) -> int:
        return self.index


@frozen(hash=False)
class NodeId:
    """A node of a :class:`CompositionGraph`; hashes as its index (node ids key the graph's dicts)."""

    index: int

    def __hash__(self) -> int:
        return self.index


@frozen(eq=False)
class Package:
    """A registered component: its name (and version), bytes and type.

    ``embed`` False: the composed component imports this component (under ``import_name``)
    instead of embedding its bytes, and instantiates the import.
    """

    name: str
    data: bytes
    type: ComponentT
    version: str | None = None
    embed: bool = True
    import_name: str | None = None
    #: The type of an instance of this package, as its component declares it.
    instance_type: InstanceT = field(
        init=False,
        default=Factory(
            lambda self: InstanceT(self.type.exports, names=self.type.export_names), takes_self=True
        ),
    )

    @property
    def key(self) -> str:
        """``name@version``, or the name alone: what :meth:`CompositionGraph.register` keeps unique."""
        return self.name if self.version is None else f"{self.name}@{self.version}"

    @property
    def component(self) -> Component:
        """The component's full AST (decoded anew on each use: registration reads only its type)."""
        return decode(self.data)


@define(eq=False)
class ImportNode:
    name: str
    type: ExternT
    #: The node's name in the composed component's name section (none by default).
    node_name: str | None = None


@define(eq=False)
class InstanceNode:
    package: PackageId
    args: dict[str, NodeId] = field(factory=dict)
    name: str | None = None


@define(eq=False)
class AliasNode:
    source: NodeId
    export: str
    #: The node's name in the composed component's name section (none by default).
    name: str | None = None


Node = ImportNode | InstanceNode | AliasNode


@define(eq=False)
class GraphImport:
    """An import of the composed component: explicit (a node) or implicit (merged from instances)."""

    name: str
    type: ExternT
    introduces: list[Resource] = field(factory=list)
    node: NodeId | None = None
    #: The name with the attributes (``implements``, ...) the import was declared with, if any.
    extern_name: ExternName | None = None
    #: Where wac would list it: implicit imports by the instance first needing them (node index,
    #: then import position), then explicit ones; an interface imported because another import
    #: uses its types comes with the first import using it (see ``resolution.add_dependencies``).
    rank: tuple[int, int, int] = (0, 0, 0)


@define(eq=False)
class Resolution:
    """The types of every node once all arguments, explicit and implicit, are known."""

    imports: dict[str, GraphImport] = field(factory=dict)  # semver key -> import
    node_types: dict[NodeId, ExternT] = field(factory=dict)
    implicit_args: dict[NodeId, dict[str, str]] = field(factory=dict)  # instance -> arg name -> import key
    order: list[NodeId] = field(factory=list)


class GraphView(Protocol):
    """What resolution and the encoder read of a graph (a :class:`CompositionGraph` is one)."""

    @property
    def packages(self) -> Sequence[Package]: ...

    @property
    def nodes(self) -> Sequence[Node]: ...

    @property
    def exports(self) -> Mapping[str, NodeId]: ...

    @property
    def named_nodes(self) -> Set[int]:
        """The indices of the import and alias nodes given a name, for the name section."""
        ...

    @property
    def checked_arguments(self) -> Mapping[tuple[int, str], ExternT]:
        """(instance, argument name) -> the argument type already checked with nothing to bind."""
        ...

    def describe(self, node: NodeId) -> str: ...


def dependencies_of(node: Node) -> Iterable[NodeId]:
    """The nodes ``node`` uses directly: an instance's arguments, an alias's source."""
    if isinstance(node, InstanceNode):
        return node.args.values()
    if isinstance(node, AliasNode):
        return (node.source,)
    return ()


def dependencies(nodes: Sequence[Node], node: NodeId) -> set[NodeId]:
    """Every node ``node`` depends on, transitively."""
    seen: set[int] = set()
    stack = [node.index]
    while stack:
        for child in dependencies_of(nodes[stack.pop()]):
            if child.index not in seen:
                seen.add(child.index)
                stack.append(child.index)
    return {NodeId(i) for i in seen}


def name_key(name: str) -> str:
    """Names a component may not hold twice: wasm-tools compares them ignoring case and dashes."""
    return name.lower().replace("-", "")
