"""A composition graph: register components, instantiate them, wire arguments, export, encode.

Modelled on wac-graph. Nodes are imports, instantiations and aliases of instance exports. When the
graph is encoded, arguments left unsatisfied become imports of the composed component: same-named
ones (and semver-compatible ones, kept at the highest version) are merged into one import whose type
is the union of what every instance needs, with resources shared.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import (
    ArgumentAlreadyPassedError,
    ArgumentTypeMismatchError,
    ComponentTypeError,
    CycleError,
    DecodeError,
    ExportNameClashError,
    ImportAlreadyExistsError,
    InvalidNameError,
    MissingArgumentError,
    NotAnInstanceError,
    PackageAlreadyRegisteredError,
    TypeMismatchError,
    UnknownArgumentError,
    UnknownItemError,
)
from ..types.model import ExternT, InstanceT
from ..types.subtype import check_subtype
from ..types.wit_text import describe_extern
from . import resolution
from .encoder import encode_graph
from .names import check_name, is_semver
from .nodes import (
    AliasNode,
    GraphImport,
    ImportNode,
    InstanceNode,
    Node,
    NodeId,
    Package,
    PackageId,
    Resolution,
    dependencies,
    name_key,
)
from .options import EncodeOptions
from .typer import ComponentTyper, InterfaceTyper

__all__ = [
    "AliasNode",
    "CompositionGraph",
    "GraphImport",
    "ImportNode",
    "InstanceNode",
    "Node",
    "NodeId",
    "Package",
    "PackageId",
    "Resolution",
]


class CompositionGraph:
    """Build a composed component step by step, then :meth:`encode` it.

    ``typer`` types each registered component (default: :class:`InterfaceTyper`, exact types).

    >>> graph = CompositionGraph()
    >>> graph.nodes
    []
    """

    def __init__(self, *, typer: ComponentTyper | None = None) -> None:
        self.packages: list[Package] = []
        self._package_keys: dict[str, PackageId] = {}
        self.nodes: list[Node] = []
        self.exports: dict[str, NodeId] = {}
        #: Whether unsatisfied arguments may become imports of the composed component.
        self.allow_imports = True
        #: Whether instantiated components are embedded (else imported; see :meth:`encode`).
        self.define_components = True
        self._typer: ComponentTyper = InterfaceTyper() if typer is None else typer
        #: Import and alias nodes given a name (see :meth:`set_node_name`), for the name section.
        self.named_nodes: set[int] = set()
        #: Nodes some other node uses (as an argument or an alias source): only they can close a cycle.
        self._used: set[int] = set()
        #: (instance, argument name) -> the argument type :meth:`set_argument` checked, when the
        #: instance's component binds no resources: :meth:`resolve` need not check that type again.
        self.checked_arguments: dict[tuple[int, str], ExternT] = {}

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
            ctype = self._typer.component_type(data)
        except DecodeError as err:
            raise DecodeError(f"component `{name}`: {err.message}", err.offset, component=name) from err
        except ComponentTypeError as err:
            raise ComponentTypeError(f"component `{name}`: {err}", component=name) from err
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
            self.named_nodes.add(node.index)
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
            self.named_nodes.add(alias.index)
        return alias

    def set_node_name(self, node: NodeId, name: str) -> None:
        """Name an import, instance or alias node in the composed component's name section."""
        n = self.node(node)
        if isinstance(n, ImportNode):
            n.node_name = name
        else:
            n.name = name
        self.named_nodes.add(node.index)

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
            self.checked_arguments[(instance.index, name)] = actual

    def export(self, node: NodeId, name: str) -> None:
        """Export a node from the composed component under ``name``."""
        check_name(name, "export")
        self.node(node)
        clash = next((e for e in self.exports if name_key(e) == name_key(name)), None)
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
        return instance.index in self._used and instance in dependencies(self.nodes, argument)

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

    # -- resolution (see ``resolution.py``) ---------------------------------------------------
    def topological_order(self, roots: Iterable[NodeId] | None = None) -> list[NodeId]:
        """Nodes in dependency order (arguments before the instances they are passed to)."""
        return resolution.topological_order(self, roots)

    def resolve(self, roots: Iterable[NodeId] | None = None) -> Resolution:
        """Type every node in dependency order, turning unsatisfied arguments into merged imports."""
        return resolution.resolve(self, roots)

    # -- encoding ----------------------------------------------------------------------------
    def encode(
        self,
        options: EncodeOptions | None = None,
        *,
        validate: bool | None = None,
        allow_imports: bool | None = None,
        define_components: bool | None = None,
    ) -> bytes:
        """Encode the graph as one component, validated unless told not to (see :class:`EncodeOptions`;
        a keyword given here overrides the option of that name).

        ``allow_imports=False`` (default: :attr:`allow_imports`) makes an unsatisfied argument an error.
        ``define_components=False`` (default: :attr:`define_components`) imports every
        instantiated component instead of embedding it (as wac's option of that name; per
        package: ``register(..., embed=False)``).
        """
        options = options or _DEFAULT_OPTIONS
        res = self.resolve()
        if not _first_set(allow_imports, options.allow_imports, self.allow_imports):
            pairs = [(n, a) for n, args in res.implicit_args.items() for a in args]
            if pairs:
                listed = "; ".join(f"{self.describe(n)}: `{a}`" for n, a in pairs)
                raise MissingArgumentError(f"unsatisfied imports: {listed}", missing=pairs)
        define = _first_set(define_components, options.define_components, self.define_components)
        data = encode_graph(self, res, define_components=define)
        if _first_set(validate, options.validate):
            options.validator.validate(data)
        return data


_DEFAULT_OPTIONS = EncodeOptions()


def _first_set(*choices: bool | None) -> bool:
    """The first choice made (a keyword, then an option, then the graph's attribute)."""
    return next(c for c in choices if c is not None)


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
