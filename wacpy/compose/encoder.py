"""Write a resolved composition graph as one component binary.

Layout: the imports (ordered so that every resource is introduced before it is used), each
registered component embedded verbatim, the instances in dependency order with the aliases their
arguments need, the exports, and a ``component-name`` section naming instances and components.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..binary.ast import (
    PREAMBLE,
    ComponentExtern,
    ComponentNameSubsection,
    EqBound,
    Export,
    ExportAlias,
    ExternName,
    Import,
    Instantiate,
    InstantiateArg,
    NameAssoc,
    NameSection,
    NameSubsection,
    Section,
    Sort,
    SortIndex,
    SortNamesSubsection,
    SubResource,
    TypeDecl,
    TypeExtern,
)
from ..binary.section_ids import SectionId
from ..binary.writer._base import Writer
from ..binary.writer.aliases import write_alias
from ..binary.writer.components import Chunk, section_chunks, section_header
from ..binary.writer.core_types import write_core_type
from ..binary.writer.exports import write_export
from ..binary.writer.imports import write_import
from ..binary.writer.instances import write_instance
from ..binary.writer.types import write_def_type
from ..errors import InvalidNameError, UnsupportedCompositionError
from ..types.model import (
    ComponentT,
    FuncT,
    InstanceT,
    Resource,
    TypeDefT,
    extern_sort,
    resources_in,
)
from .names import is_valid_name, semver_key
from .nodes import (
    AliasNode,
    GraphImport,
    GraphView,
    ImportNode,
    InstanceNode,
    NodeId,
    Package,
    Resolution,
    name_key,
)
from .typeencoder import NOMINAL, TypeScope

#: Section id and item writer of each kind of item the builder takes one at a time.
_KINDS: dict[str, tuple[SectionId, Callable[[Writer, Any], None]]] = {
    "core type": (SectionId.CORE_TYPE, write_core_type),
    "type": (SectionId.TYPE, write_def_type),
    "import": (SectionId.IMPORT, write_import),
    "alias": (SectionId.ALIAS, write_alias),
    "instance": (SectionId.INSTANCE, write_instance),
    "export": (SectionId.EXPORT, write_export),
}


class _Builder:
    """The component being written, as byte chunks, with a counter per index space. Items of one
    kind added in a row share a section, written when an item of another kind or a whole section
    comes (the wiring of a chain alternates instances and aliases: a hundred tiny sections)."""

    def __init__(self) -> None:
        self.chunks: list[Chunk] = [PREAMBLE]
        self.counts: dict[Sort, int] = dict.fromkeys(Sort, 0)
        self._kind = ""
        self._items: list[Any] = []

    def add(self, kind: str, item: Any, sort: Sort | None) -> int:
        if kind != self._kind:
            self._flush()
            self._kind = kind
        self._items.append(item)
        return self._count(sort)

    def add_section(self, section: Section, sort: Sort | None) -> int:
        self._flush()
        self.chunks += section_chunks(section)
        return self._count(sort)

    def embed(self, component: bytes) -> int:
        """A component section holding ``component`` verbatim (copied once, when joined)."""
        self._flush()
        self.chunks += (section_header(SectionId.COMPONENT, len(component), 0), component)
        return self._count(Sort.COMPONENT)

    def _count(self, sort: Sort | None) -> int:
        if sort is None:
            return -1
        self.counts[sort] += 1
        return self.counts[sort] - 1

    def _flush(self) -> None:
        if self._items:
            section_id, write_item = _KINDS[self._kind]
            body = Writer()
            body.vec(self._items, write_item)
            self.chunks += (section_header(section_id, len(body.out), 0), body.out)
            self._items = []

    def type_decl(self, decl: Any) -> int:
        if not isinstance(decl, TypeDecl):
            raise UnsupportedCompositionError("an outer alias at the top level of a composition")
        return self.add("type", decl.type, Sort.TYPE)

    def encode(self) -> bytes:
        self._flush()
        return b"".join(self.chunks)


def _import_order(imports: list[GraphImport]) -> list[GraphImport]:
    """Imports in wac's order (instances first; implicit ones by the instance first needing
    them, then explicit ones), each moved after the imports whose resources or types it uses."""
    owner: dict[Resource, GraphImport] = {}
    by_key = {semver_key(gi.name): gi for gi in imports}
    for gi in imports:
        for r in gi.introduces:
            owner.setdefault(r, gi)
    ranked = sorted(imports, key=lambda gi: (not isinstance(gi.type, InstanceT), gi.rank))
    ordered: list[GraphImport] = []
    placed: set[int] = set()
    for gi in ranked:
        _place(gi, (), owner, by_key, placed, ordered)
    return ordered


def _place(
    gi: GraphImport,
    trail: tuple[int, ...],
    owner: dict[Resource, GraphImport],
    by_key: dict[str, GraphImport],
    placed: set[int],
    ordered: list[GraphImport],
) -> None:
    """Append ``gi`` to ``ordered`` after the imports owning the resources it uses and those of
    the interfaces it takes types from."""
    if id(gi) in placed:
        return
    if id(gi) in trail:
        raise UnsupportedCompositionError(
            f"imports use each other's resources in a cycle (at `{gi.name}`)", name=gi.name
        )
    used = (
        [by_key.get(semver_key(u.interface)) for u in gi.type.uses.values()]
        if isinstance(gi.type, InstanceT)
        else []
    )
    for dep in (*used, *(owner.get(r) for r in resources_in(gi.type))):
        if dep is not None and dep is not gi:
            _place(dep, (*trail, id(gi)), owner, by_key, placed, ordered)
    placed.add(id(gi))
    ordered.append(gi)


def _encode_import(b: _Builder, scope: TypeScope, gi: GraphImport) -> tuple[Sort, int]:
    name = gi.extern_name or ExternName(gi.name)
    t = gi.type
    if isinstance(t, InstanceT):
        index = b.add("import", Import(name, scope.extern(t)), Sort.INSTANCE)
        for export_name, export in t.exports.items():
            if isinstance(export, TypeDefT) and isinstance(export.type, Resource):
                alias = ExportAlias(Sort.TYPE, index, export_name)
                scope.resources.setdefault(export.type, b.add("alias", alias, Sort.TYPE))
            elif isinstance(export, TypeDefT) and isinstance(export.type, NOMINAL):
                scope.importable.setdefault(export.type, (index, export_name))
        return Sort.INSTANCE, index
    if isinstance(t, TypeDefT):
        target = t.type
        if isinstance(target, Resource):
            new = target in gi.introduces or scope.find_resource(target) is None
            bound: SubResource | EqBound = SubResource() if new else EqBound(scope.resource(target))
            index = b.add("import", Import(name, TypeExtern(bound)), Sort.TYPE)
            scope.resources[target] = index
        elif isinstance(target, FuncT | InstanceT | ComponentT):
            index = b.add("import", Import(name, TypeExtern(EqBound(scope.type_def(target)))), Sort.TYPE)
        else:
            defined = scope.define_named(gi.name, target)
            index = b.add("import", Import(name, TypeExtern(EqBound(defined))), Sort.TYPE)
            scope.values[target] = index
        return Sort.TYPE, index
    sort = extern_sort(t)
    return sort, b.add("import", Import(name, scope.extern(t)), sort)


def encode_graph(graph: GraphView, res: Resolution, *, define_components: bool = True) -> bytes:
    """The binary of a resolved graph (not validated: the caller's :class:`EncodeOptions` decide)."""
    return _GraphWriter(graph, res, define_components).write()


class _GraphWriter:
    """Writes one resolved graph: imports, embedded components, instances with the aliases their
    arguments need, exports and the name section, counting each index space as it goes."""

    def __init__(self, graph: GraphView, res: Resolution, define_components: bool = True) -> None:
        self.graph = graph
        self.res = res
        self.define_components = define_components
        self.b = _Builder()
        self.import_index: dict[str, tuple[Sort, int]] = {}
        self.component_index: dict[int, int] = {}
        self.node_index: dict[int, tuple[Sort, int]] = {}  # by node index
        self.instance_names: list[NameAssoc] = []
        self.scope: TypeScope | None = None

    def write(self) -> bytes:
        self._imports()
        self._components()
        self._instances()
        for export_name, node_id in self.graph.exports.items():
            sort, index = self._index_of(node_id)
            self.b.add("export", Export(ExternName(export_name), SortIndex(sort, index)), sort)
        self._names()
        return self.b.encode()

    def _imports(self) -> None:
        b, res = self.b, self.res

        def import_type(name: str, index: int) -> int:
            return b.add("import", Import(ExternName(name), TypeExtern(EqBound(index))), Sort.TYPE)

        def alias_type(instance: int, name: str) -> int:
            return b.add("alias", ExportAlias(Sort.TYPE, instance, name), Sort.TYPE)

        def core_type(core: Any) -> int:
            return b.add("core type", core, Sort.CORE_TYPE)

        reserved = {gi.name: gi.type for gi in res.imports.values()}
        scope = TypeScope(None, b.type_decl, import_type, reserved, core_type)
        scope.alias_export = alias_type
        self.scope = scope
        key_of = {id(gi): key for key, gi in res.imports.items()}
        for gi in _import_order(list(res.imports.values())):
            self.import_index[key_of[id(gi)]] = _encode_import(b, scope, gi)

    def _components(self) -> None:
        """Each instantiated component, embedded, or imported when it is not to be defined here."""
        graph, scope = self.graph, self.scope
        assert scope is not None
        taken = {name_key(gi.name) for gi in self.res.imports.values()}
        for node_id in self.res.order:
            node = graph.nodes[node_id.index]
            if isinstance(node, InstanceNode) and node.package.index not in self.component_index:
                package = graph.packages[node.package.index]
                if package.embed and self.define_components:
                    self.component_index[node.package.index] = self.b.embed(package.data)
                    continue
                name = _package_import_name(package, taken)
                extern = ComponentExtern(scope.type_def(package.type))
                self.component_index[node.package.index] = self.b.add(
                    "import", Import(ExternName(name), extern), Sort.COMPONENT
                )

    def _instances(self) -> None:
        graph, res = self.graph, self.res
        for node_id in res.order:
            node = graph.nodes[node_id.index]
            if not isinstance(node, InstanceNode):
                continue
            args: list[InstantiateArg] = []
            implicit = res.implicit_args[node_id]
            for arg_name in graph.packages[node.package.index].type.imports:
                if arg_name in node.args:
                    sort, index = self._index_of(node.args[arg_name])
                else:
                    sort, index = self.import_index[implicit[arg_name]]
                args.append(InstantiateArg(arg_name, SortIndex(sort, index)))
            instance = Instantiate(self.component_index[node.package.index], tuple(args))
            index = self.b.add("instance", instance, Sort.INSTANCE)
            self.node_index[node_id.index] = (Sort.INSTANCE, index)
            self.instance_names.append(NameAssoc(index, node.name or f"instance{index}"))

    def _index_of(self, node_id: NodeId) -> tuple[Sort, int]:
        """The index of an import or alias node, aliasing it (after its source) on first use."""
        known = self.node_index.get(node_id.index)
        if known is not None:
            return known
        node = self.graph.nodes[node_id.index]
        if isinstance(node, ImportNode):
            found = self.import_index[semver_key(node.name)]
        elif isinstance(node, AliasNode):
            _, source = self._index_of(node.source)
            sort = extern_sort(self.res.node_types[node_id])
            found = (sort, self.b.add("alias", ExportAlias(sort, source, node.export), sort))
        else:
            raise AssertionError("instances are indexed when they are written")
        self.node_index[node_id.index] = found
        return found

    def _names(self) -> None:
        """The name section: the components (by package name), the instances, and the import and
        alias nodes given names, each sort's names in index order."""
        packages = self.graph.packages
        names: dict[Sort, list[NameAssoc]] = {  # components and instances are indexed in order
            Sort.COMPONENT: [NameAssoc(i, packages[p].key) for p, i in self.component_index.items()],
            Sort.INSTANCE: self.instance_names,
        }
        nodes = self.graph.nodes
        unordered: set[Sort] = set()  # the sorts where named imports and aliases join the names
        for n in sorted(self.graph.named_nodes):
            node = nodes[n]
            name = node.node_name if isinstance(node, ImportNode) else node.name
            if name is None or isinstance(node, InstanceNode):
                continue
            found = self.node_index.get(n)
            if isinstance(node, ImportNode):
                found = self.import_index.get(semver_key(node.name))
            if found is not None:
                names.setdefault(found[0], []).append(NameAssoc(found[1], name))
                unordered.add(found[0])
        subsections: list[NameSubsection] = [ComponentNameSubsection("composition")]
        for sort, assocs in names.items():
            if assocs or sort in (Sort.COMPONENT, Sort.INSTANCE):
                ordered = sorted(assocs, key=_by_index) if sort in unordered else assocs
                subsections.append(SortNamesSubsection(sort, tuple(ordered)))
        self.b.add_section(NameSection(tuple(subsections)), None)


def _by_index(assoc: NameAssoc) -> int:
    return assoc.index


def _package_import_name(package: Package, taken: set[str]) -> str:
    """The import name of a component the composition imports: ``import_name`` when given, else
    its package name made kebab-case (``test:bar`` -> ``test-bar``; the version is left out)."""
    name = package.import_name or "-".join(re.findall(r"[a-z0-9]+", package.name.lower()))
    if not is_valid_name(name) or name_key(name) in taken:
        why = "is not a valid import name" if not is_valid_name(name) else "is already an import name"
        raise InvalidNameError(
            f"package `{package.key}` is imported as `{name}`, which {why}; "
            "register it with import_name= a kebab-case name",
            name=name,
            kind="import",
        )
    taken.add(name_key(name))
    return name
