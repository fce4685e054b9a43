"""A composition graph: register components, instantiate them, wire arguments, export, encode.

Modelled on wac-graph. Nodes are imports, instantiations and aliases of instance exports. When the
graph is encoded, arguments left unsatisfied become imports of the composed component: same-named
ones (and semver-compatible ones, kept at the highest version) are merged into one import whose type
is the union of what every instance needs, with resources shared.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from attrs import Factory, define, field, frozen

from ..binary import decode
from ..binary.ast import Component, ExternName
from ..binary.reader.components import decode_interface
from ..errors import (
    ArgumentAlreadyPassedError,
    ArgumentTypeMismatchError,
    ComponentTypeError,
    CycleError,
    DecodeError,
    ExportNameClashError,
    ImplicitImportConflictError,
    ImportAlreadyExistsError,
    ImportMergeConflictError,
    ImportUsesLocalResourceError,
    InvalidNameError,
    MissingArgumentError,
    NotAnInstanceError,
    PackageAlreadyRegisteredError,
    TypeMismatchError,
    UnknownArgumentError,
    UnknownItemError,
    UnsupportedCompositionError,
)
from ..tools import EarlyValidation
from ..types.model import ComponentT, ExternT, InstanceT, Resource, TypeDefT, resources_in
from ..types.resolve import component_type
from ..types.substitute import substitute
from ..types.subtype import check_subtype
from ..types.wit_text import describe_extern
from .names import check_name, higher_version, is_semver, semver_key


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
    #: uses its types comes with the first import using it (see :func:`_add_dependencies`).
    rank: tuple[int, int, int] = (0, 0, 0)


@define(eq=False)
class Resolution:
    """The types of every node once all arguments, explicit and implicit, are known."""

    imports: dict[str, GraphImport] = field(factory=dict)  # semver key -> import
    node_types: dict[NodeId, ExternT] = field(factory=dict)
    implicit_args: dict[NodeId, dict[str, str]] = field(factory=dict)  # instance -> arg name -> import key
    order: list[NodeId] = field(factory=list)


class CompositionGraph:
    """Build a composed component step by step, then :meth:`encode` it.

    >>> graph = CompositionGraph()
    >>> graph.nodes
    []
    """

    def __init__(self) -> None:
        self.packages: list[Package] = []
        self._package_keys: dict[str, PackageId] = {}
        self.nodes: list[Node] = []
        self.exports: dict[str, NodeId] = {}
        #: Whether unsatisfied arguments may become imports of the composed component.
        self.allow_imports = True
        #: Whether instantiated components are embedded (else imported; see :meth:`encode`).
        self.define_components = True
        #: Decoded small sections shared between the registered components (see ``decode_interface``).
        self._section_memo: dict[Any, Any] = {}
        #: Types of nested components shared between the registered components (see ``component_type``).
        self._type_memo: dict[Any, Any] = {}
        #: Import and alias nodes given a name (see :meth:`set_node_name`), for the name section.
        self._named: set[int] = set()
        #: Nodes some other node uses (as an argument or an alias source): only they can close a cycle.
        self._used: set[int] = set()
        #: (instance, argument name) -> the argument type :meth:`set_argument` checked, when the
        #: instance's component binds no resources: :meth:`resolve` need not check that type again.
        self._checked: dict[tuple[int, str], ExternT] = {}

    # -- registration ------------------------------------------------------------------------
    def register(
        self,
        name: str,
        source: bytes | bytearray | memoryview | str | Path,
        *,
        version: str | None = None,
        embed: bool = True,
        import_name: str | None = None,
    ) -> PackageId:
        """Register a component (its bytes, or a path to it) under ``name`` (``name@1.2.3`` or
        ``version=`` give it a version); a name and version may be registered once.

        ``embed=False``: the composed component imports this component, as ``import_name``
        (default: the name made kebab-case), instead of embedding it.
        """
        if version is not None or "@" in name or not name:
            name, version = _split_version(name, version)
        key = name if version is None else f"{name}@{version}"
        existing = self._package_keys.get(key)
        if existing is not None:
            raise PackageAlreadyRegisteredError(
                f"package `{key}` is already registered", package=key, existing=existing
            )
        if import_name is not None:
            check_name(import_name, "import")
        if isinstance(source, str | Path):
            try:
                data = Path(source).read_bytes()
            except OSError as err:
                raise UnknownItemError(
                    f"cannot read component `{name}` from {source}: {err.strerror or err}", item=str(source)
                ) from err
        else:
            data = bytes(source)
        try:
            ctype = self._type_of(data)
        except DecodeError as err:
            raise DecodeError(f"component `{name}`: {err.message}", err.offset) from err
        except ComponentTypeError as err:
            raise ComponentTypeError(f"component `{name}`: {err}") from err
        self.packages.append(Package(name, data, ctype, version, embed, import_name))
        package = PackageId(len(self.packages) - 1)
        self._package_keys[key] = package
        return package

    def package_named(self, name: str, version: str | None = None) -> PackageId:
        """The package registered under ``name`` (and ``version``)."""
        name, version = _split_version(name, version)
        key = name if version is None else f"{name}@{version}"
        found = self._package_keys.get(key)
        if found is None:
            raise UnknownItemError(f"no package `{key}` is registered", item=key)
        return found

    def _type_of(self, data: bytes) -> ComponentT:
        return component_type(decode_interface(data, self._section_memo), self._type_memo)

    def package(self, package: PackageId) -> Package:
        if not 0 <= package.index < len(self.packages):
            raise UnknownItemError(f"no package {package.index} in the graph", item=package)
        return self.packages[package.index]

    def node(self, node: NodeId) -> Node:
        if not 0 <= node.index < len(self.nodes):
            raise UnknownItemError(f"no node {node.index} in the graph", item=node)
        return self.nodes[node.index]

    def _add(self, node: Node) -> NodeId:
        self.nodes.append(node)
        return NodeId(len(self.nodes) - 1)

    # -- nodes -------------------------------------------------------------------------------
    def import_(self, name: str, type: ExternT, *, node_name: str | None = None) -> NodeId:
        """An explicit import of the composed component (pass it as an argument).

        An instance type that uses types of other interfaces (WIT ``use``) brings the imports of
        those interfaces with it, unless the graph imports them already.
        """
        check_name(name, "import")
        for i, existing in enumerate(self.nodes):
            if isinstance(existing, ImportNode) and existing.name == name:
                raise ImportAlreadyExistsError(
                    f"the graph already imports `{name}`", name=name, node=NodeId(i)
                )
        node = self._add(ImportNode(name, type, node_name))
        if node_name is not None:
            self._named.add(node.index)
        return node

    def instantiate(self, package: PackageId, name: str | None = None) -> NodeId:
        """A new instance of a registered package; its imports are filled by :meth:`set_argument`."""
        pkg = self.package(package)
        return self._add(InstanceNode(package, name=name or pkg.name))

    def alias_export(self, node: NodeId, export: str, *, name: str | None = None) -> NodeId:
        """An export of an instance node (or of an instance-typed import or alias); ``name``
        names the alias in the composed component's name section."""
        source_type = self._declared_type(node)
        if not isinstance(source_type, InstanceT):
            kind = describe_extern(source_type)
            raise NotAnInstanceError(
                f"{self.describe(node)} is a {kind}, not an instance", node=node, kind=kind
            )
        if export not in source_type.exports:
            raise UnknownItemError(f"{self.describe(node)} has no export `{export}`", item=export)
        self._used.add(node.index)
        alias = self._add(AliasNode(node, export, name))
        if name is not None:
            self._named.add(alias.index)
        return alias

    def set_node_name(self, node: NodeId, name: str) -> None:
        """Name an import, instance or alias node in the composed component's name section."""
        n = self.node(node)
        if isinstance(n, ImportNode):
            n.node_name = name
        else:
            n.name = name
        self._named.add(node.index)

    def set_argument(self, instance: NodeId, name: str, argument: NodeId) -> None:
        """Satisfy import ``name`` of ``instance`` with ``argument``; type-checked now and when encoding."""
        node = self.node(instance)
        if not isinstance(node, InstanceNode):
            kind = "an import" if isinstance(node, ImportNode) else "an alias"
            raise NotAnInstanceError(
                f"{self.describe(instance)} is not an instantiation", node=instance, kind=kind
            )
        package = self.packages[node.package.index]
        ctype = package.type
        expected = ctype.imports.get(name)
        if expected is None:
            known = ", ".join(ctype.imports) or "none"
            raise UnknownArgumentError(
                f"{self.describe(instance)} has no import `{name}` (its imports: {known})",
                node=instance,
                name=name,
                package=package.key,
            )
        if name in node.args:
            raise ArgumentAlreadyPassedError(
                f"argument `{name}` of {self.describe(instance)} is already passed", node=instance, name=name
            )
        if self._would_cycle(instance, argument):
            raise CycleError(
                f"passing {self.describe(argument)} to {self.describe(instance)} makes a cycle",
                node=instance,
                argument=argument,
            )
        actual = self._declared_type(argument)
        try:
            check_subtype(actual, expected, bindable=ctype.params, mapping={}, path=[name])
        except TypeMismatchError as err:
            raise ArgumentTypeMismatchError(
                f"{self.describe(instance)}: argument {err}", node=instance, name=name, path=err.path
            ) from err
        node.args[name] = argument
        self._used.add(argument.index)
        if not ctype.params:  # nothing to bind: the check holds as long as the type stays this object
            self._checked[(instance.index, name)] = actual

    def export(self, node: NodeId, name: str) -> None:
        """Export a node from the composed component under ``name``."""
        check_name(name, "export")
        self.node(node)
        clash = next((e for e in self.exports if _name_key(e) == _name_key(name)), None)
        if clash is not None:
            same = "" if clash == name else f" (`{clash}`: names equal up to case and dashes clash)"
            raise ExportNameClashError(
                f"the graph already exports `{name}`{same}",
                name=name,
                existing=clash,
                node=self.exports[clash],
            )
        self.exports[name] = node

    # -- queries -----------------------------------------------------------------------------
    def describe(self, node: NodeId) -> str:
        n = self.node(node)
        if isinstance(n, InstanceNode):
            return f"instance `{n.name}`"
        if isinstance(n, ImportNode):
            return f"import `{n.name}`"
        return f"export `{n.export}` of {self.describe(n.source)}"

    def _would_cycle(self, instance: NodeId, argument: NodeId) -> bool:
        """Whether passing ``argument`` to ``instance`` closes a cycle (no node uses ``instance`` yet: never)."""
        if instance.index == argument.index:
            return True
        return instance.index in self._used and instance in self._dependencies(argument)

    def _dependencies(self, node: NodeId) -> set[NodeId]:
        """Every node ``node`` depends on, transitively."""
        seen: set[int] = set()
        stack = [node.index]
        nodes = self.nodes
        while stack:
            for child in _dependencies_of(nodes[stack.pop()]):
                if child.index not in seen:
                    seen.add(child.index)
                    stack.append(child.index)
        return {NodeId(i) for i in seen}

    def _declared_type(self, node: NodeId) -> ExternT:
        """A node's type as its component declares it, before arguments bind its resources.

        Enough for the checks made while the graph is built; :meth:`resolve` computes exact types.
        """
        n = self.node(node)
        if isinstance(n, ImportNode):
            return n.type
        if isinstance(n, InstanceNode):
            return self.packages[n.package.index].instance_type
        source = self._declared_type(n.source)
        assert isinstance(source, InstanceT)
        return source.exports[n.export]

    def node_type(self, node: NodeId) -> ExternT:
        """The type of a node given the arguments passed so far (unsatisfied imports stay abstract)."""
        return self.resolve(roots=[node]).node_types[node]

    # -- resolution --------------------------------------------------------------------------
    def topological_order(self, roots: Iterable[NodeId] | None = None) -> list[NodeId]:
        """Nodes in dependency order (arguments before the instances they are passed to)."""
        nodes = self.nodes
        wanted: Iterable[int] = (
            range(len(nodes))
            if roots is None
            else sorted({r.index for r in roots} | {d.index for r in roots for d in self._dependencies(r)})
        )
        order: list[NodeId] = []
        state = [0] * len(nodes)  # 1: on the current path, 2: placed
        for root in wanted:
            if state[root] == 2:
                continue
            stack = [(root, iter(_dependencies_of(nodes[root])))]
            state[root] = 1
            while stack:
                index, pending = stack[-1]
                dep = next(pending, None)
                if dep is None:
                    stack.pop()
                    state[index] = 2
                    order.append(NodeId(index))
                elif state[dep.index] == 1:
                    raise CycleError(f"the graph has a cycle through {self.describe(dep)}", node=dep)
                elif not state[dep.index]:
                    state[dep.index] = 1
                    stack.append((dep.index, iter(_dependencies_of(nodes[dep.index]))))
        return order

    def resolve(self, roots: Iterable[NodeId] | None = None) -> Resolution:
        """Type every node in dependency order, turning unsatisfied arguments into merged imports."""
        res = Resolution()
        order = self.topological_order(roots)
        for node_id in order:  # explicit imports first: implicit ones of the same name must fit them
            node = self.nodes[node_id.index]
            if isinstance(node, ImportNode):
                key = semver_key(node.name)
                introduces = list(_introduced(node.type, res))
                rank = (1, node_id.index, 0)
                res.imports[key] = GraphImport(node.name, node.type, introduces, node_id, rank=rank)
                res.node_types[node_id] = node.type
        _add_dependencies(res)  # before instances: their same-named imports merge into these
        for node_id in order:
            res.order.append(node_id)
            node = self.nodes[node_id.index]
            if isinstance(node, ImportNode):
                continue
            if isinstance(node, AliasNode):
                source = res.node_types[node.source]
                assert isinstance(source, InstanceT)
                res.node_types[node_id] = source.exports[node.export]
            else:
                res.node_types[node_id] = self._instantiate(node_id, node, res)
        _add_dependencies(res)
        return res

    def _instantiate(self, node_id: NodeId, node: InstanceNode, res: Resolution) -> InstanceT:
        ctype = self.packages[node.package.index].type
        mapping: dict[Resource, Resource] = {}
        implicit: dict[str, str] = {}
        for name, expected in ctype.imports.items():
            arg = node.args.get(name)
            if arg is not None:
                if self._checked.get((node_id.index, name)) is res.node_types[arg]:
                    continue  # set_argument checked this very type and there is nothing to bind
                try:
                    check_subtype(
                        res.node_types[arg], expected, bindable=ctype.params, mapping=mapping, path=[name]
                    )
                except TypeMismatchError as err:
                    raise ArgumentTypeMismatchError(
                        f"{self.describe(node_id)}: argument {err}", node=node_id, name=name, path=err.path
                    ) from err
            else:
                rank = (0, node_id.index, len(implicit))
                implicit[name] = self._implicit_import(name, expected, ctype, mapping, res, node_id, rank)
        res.implicit_args[node_id] = implicit
        if not mapping and not ctype.fresh:  # nothing bound or made: the type its component declares
            return self.packages[node.package.index].instance_type
        mapping.update({r: Resource(r.name) for r in ctype.fresh})
        exports = {n: substitute(t, mapping) for n, t in ctype.exports.items()}
        return InstanceT(exports, names=ctype.export_names)

    def _implicit_import(
        self,
        name: str,
        expected: ExternT,
        ctype: ComponentT,
        mapping: dict[Resource, Resource],
        res: Resolution,
        node_id: NodeId,
        rank: tuple[int, int, int],
    ) -> str:
        """Satisfy ``name`` from a graph import, creating or widening the import; returns its key.

        An explicit import of the same (or a semver-compatible) name satisfies it when its type
        does: a component has one import per name, so the two are one import (see
        docs/architecture.md); when its type does not, that is an :class:`ImplicitImportConflictError`.
        """
        key = semver_key(name)
        existing = res.imports.get(key)
        own = substitute(expected, mapping)
        if existing is None:
            used = dict.fromkeys(resources_in(own))
            fresh = {r: Resource(r.name) for r in used if r in ctype.params}
            graph_type = substitute(own, fresh)
            outside = [r for r in used if r not in fresh]  # the resources not new with this import
            self._check_resources_importable(graph_type, outside, res, node_id, name)
            mapping.update(fresh)
            attributed = ctype.import_names.get(name)
            res.imports[key] = GraphImport(
                name, graph_type, list(fresh.values()), extern_name=attributed, rank=rank
            )
            return key
        where = f"{self.describe(node_id)}: import `{name}`"
        if existing.node is not None:
            try:
                check_subtype(existing.type, expected, bindable=ctype.params, mapping=mapping, path=[name])
            except TypeMismatchError as err:
                package = self.package(self.nodes[node_id.index].package)  # type: ignore[union-attr]
                raise ImplicitImportConflictError(
                    f"{where} conflicts with the explicit import `{existing.name}`: {err}",
                    name=name,
                    node=node_id,
                    package=package.key,
                    import_node=existing.node,
                    path=err.path,
                ) from err
            return key
        existing.type = _merge(existing, own, ctype.params, mapping, where, name, node_id)
        existing.rank = min(existing.rank, rank)
        higher = higher_version(existing.name, name)
        if higher != existing.name:
            existing.name, existing.extern_name = higher, ctype.import_names.get(name)
        return key

    def _check_resources_importable(
        self, t: ExternT, outside: list[Resource], res: Resolution, node_id: NodeId, name: str
    ) -> None:
        """An import may use only resources that imports introduce, never one an instance defines
        (``outside``: the resources ``t`` uses that it does not introduce itself)."""
        if isinstance(t, TypeDefT) and isinstance(t.type, InstanceT) and t.type.introduces:
            raise UnsupportedCompositionError(
                f"{self.describe(node_id)}: import `{name}` is left unsatisfied, but it is a type equal to "
                "an instance type that declares resources, and such a type is equal only to its own "
                "definition (wasm-tools compares its resources by identity): no import can satisfy it"
            )
        if not outside:
            return
        importable = {r for gi in res.imports.values() for r in gi.introduces}
        for r in outside:
            if r not in importable:
                owner = next(
                    (self.describe(n) for n, nt in res.node_types.items() if r in set(resources_in(nt))),
                    "an instance",
                )
                raise ImportUsesLocalResourceError(
                    f"{self.describe(node_id)}: import `{name}` is left unsatisfied but uses resource `{r.name}` "
                    f"defined by {owner}; the composed component cannot import it, so pass `{name}` explicitly",
                    node=node_id,
                    name=name,
                    resource=r.name,
                )

    # -- encoding ----------------------------------------------------------------------------
    def encode(
        self,
        *,
        validate: bool = True,
        allow_imports: bool | None = None,
        define_components: bool | None = None,
        early: EarlyValidation | None = None,
    ) -> bytes:
        """Encode the graph as one component; validated with ``wasm-tools validate`` unless told not to.

        ``allow_imports=False`` (default: :attr:`allow_imports`) makes an unsatisfied argument an error.
        ``define_components=False`` (default: :attr:`define_components`) imports every
        instantiated component instead of embedding it (as wac's option of that name; per
        package: ``register(..., embed=False)``).
        ``early``: a validation started before the graph was built, used instead of starting one now.
        """
        from .encoder import encode_graph

        res = self.resolve()
        if not (self.allow_imports if allow_imports is None else allow_imports):
            pairs = [(n, a) for n, args in res.implicit_args.items() for a in args]
            if pairs:
                listed = "; ".join(f"{self.describe(n)}: `{a}`" for n, a in pairs)
                raise MissingArgumentError(f"unsatisfied imports: {listed}", missing=pairs)
        define = self.define_components if define_components is None else define_components
        return encode_graph(self, res, validate=validate, early=early, define_components=define)


def _dependencies_of(node: Node) -> Iterable[NodeId]:
    """The nodes ``node`` uses directly: an instance's arguments, an alias's source."""
    if isinstance(node, InstanceNode):
        return node.args.values()
    if isinstance(node, AliasNode):
        return (node.source,)
    return ()


def _name_key(name: str) -> str:
    """Names a component may not hold twice: wasm-tools compares them ignoring case and dashes."""
    return name.lower().replace("-", "")


def _introduced(t: ExternT, res: Resolution) -> Iterable[Resource]:
    """The resources an explicit import introduces (a resource type already imported is not new)."""
    if isinstance(t, InstanceT):
        return t.introduces
    if isinstance(t, TypeDefT) and isinstance(t.type, Resource):
        known = {r for gi in res.imports.values() for r in gi.introduces}
        return () if t.type in known else (t.type,)
    return ()


def _split_version(name: str, version: str | None) -> tuple[str, str | None]:
    """A package name and version from ``name@version`` (when the suffix is a semver) or ``version``."""
    if version is None and "@" not in name and name:
        return name, None
    base, at, suffix = name.rpartition("@")
    if version is None and at and base and is_semver(suffix):
        name, version = base, suffix
    if not name:
        raise InvalidNameError("a package name must not be empty", name=name, kind="package")
    if version is not None and not is_semver(version):
        raise InvalidNameError(
            f"package `{name}`: version `{version}` is not a semantic version", name=version, kind="package"
        )
    return name, version


def _add_dependencies(res: Resolution) -> None:
    """Import the interfaces whose types the graph's instance imports use and that no import
    brings yet (an explicit import of ``defs``, which uses ``ext.point``, brings ``ext``)."""
    pending = list(res.imports.values())
    while pending:
        gi = pending.pop(0)
        if not isinstance(gi.type, InstanceT):
            continue
        for use in gi.type.uses.values():
            key = semver_key(use.interface)
            if key not in res.imports:
                dep = GraphImport(use.interface, use.instance, list(use.instance.introduces), rank=gi.rank)
                res.imports[key] = dep
                pending.append(dep)


def _merge(
    existing: GraphImport,
    expected: ExternT,
    params: Iterable[Resource],
    mapping: dict[Resource, Resource],
    where: str,
    name: str,
    node: NodeId,
) -> ExternT:
    """``existing.type`` widened so that it also satisfies ``expected``; binds ``params`` in ``mapping``."""
    current = existing.type
    bindable = tuple(params)
    if isinstance(current, InstanceT) and isinstance(expected, InstanceT):
        exports = dict(current.exports)
        for export_name, export_type in expected.exports.items():
            have = exports.get(export_name)
            if have is None:
                fresh = {
                    r: Resource(r.name)
                    for r in dict.fromkeys(resources_in(export_type))
                    if r in bindable and r not in mapping
                }
                mapping.update(fresh)
                existing.introduces += fresh.values()
                exports[export_name] = substitute(export_type, mapping)
                continue
            try:
                check_subtype(have, export_type, bindable=bindable, mapping=mapping, path=[export_name])
            except TypeMismatchError as err:
                raise ImportMergeConflictError(
                    f"{where} cannot be merged with the same import of another instance: {err}",
                    name=name,
                    node=node,
                    path=err.path,
                ) from err
        names = {**expected.names, **current.names}
        return InstanceT(exports, tuple(existing.introduces), names, {**expected.uses, **current.uses})
    try:
        check_subtype(current, expected, bindable=bindable, mapping=mapping)
    except TypeMismatchError as err:
        raise ImportMergeConflictError(
            f"{where} cannot be merged with the same import of another instance: {err}",
            name=name,
            node=node,
            path=err.path,
        ) from err
    return current
