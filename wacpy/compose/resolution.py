"""Resolution: the types of every node of a graph, with unsatisfied arguments made into imports.

Nodes are typed in dependency order. An argument nobody passed becomes a graph import: the first
instance needing it creates it, later instances needing the same (or a semver-compatible) name
widen it, sharing resources through each instance's mapping.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import (
    ArgumentTypeMismatchError,
    CycleError,
    ImplicitImportConflictError,
    ImportMergeConflictError,
    ImportUsesLocalResourceError,
    TypeMismatchError,
    UnsupportedCompositionError,
)
from ..types.model import ComponentT, ExternT, InstanceT, Resource, TypeDefT, resources_in
from ..types.substitute import substitute
from ..types.subtype import check_subtype
from .names import higher_version, semver_key
from .nodes import (
    AliasNode,
    GraphImport,
    GraphView,
    ImportNode,
    InstanceNode,
    NodeId,
    Resolution,
    dependencies,
    dependencies_of,
)


def topological_order(graph: GraphView, roots: Iterable[NodeId] | None = None) -> list[NodeId]:
    """Nodes in dependency order (arguments before the instances they are passed to)."""
    nodes = graph.nodes
    wanted: Iterable[int] = (
        range(len(nodes))
        if roots is None
        else sorted({r.index for r in roots} | {d.index for r in roots for d in dependencies(nodes, r)})
    )
    order: list[NodeId] = []
    state = [0] * len(nodes)  # 1: on the current path, 2: placed
    for root in wanted:
        if state[root] == 2:
            continue
        stack = [(root, iter(dependencies_of(nodes[root])))]
        state[root] = 1
        while stack:
            index, pending = stack[-1]
            dep = next(pending, None)
            if dep is None:
                stack.pop()
                state[index] = 2
                order.append(NodeId(index))
            elif state[dep.index] == 1:
                raise CycleError(f"the graph has a cycle through {graph.describe(dep)}", node=dep)
            elif not state[dep.index]:
                state[dep.index] = 1
                stack.append((dep.index, iter(dependencies_of(nodes[dep.index]))))
    return order


def resolve(graph: GraphView, roots: Iterable[NodeId] | None = None) -> Resolution:
    """Type every node in dependency order, turning unsatisfied arguments into merged imports."""
    res = Resolution()
    order = topological_order(graph, roots)
    for node_id in order:  # explicit imports first: implicit ones of the same name must fit them
        node = graph.nodes[node_id.index]
        if isinstance(node, ImportNode):
            key = semver_key(node.name)
            introduces = list(_introduced(node.type, res))
            rank = (1, node_id.index, 0)
            res.imports[key] = GraphImport(node.name, node.type, introduces, node_id, rank=rank)
            res.node_types[node_id] = node.type
    add_dependencies(res)  # before instances: their same-named imports merge into these
    for node_id in order:
        res.order.append(node_id)
        node = graph.nodes[node_id.index]
        if isinstance(node, ImportNode):
            continue
        if isinstance(node, AliasNode):
            source = res.node_types[node.source]
            assert isinstance(source, InstanceT)
            res.node_types[node_id] = source.exports[node.export]
        else:
            res.node_types[node_id] = _instantiate(graph, node_id, node, res)
    add_dependencies(res)
    return res


def _instantiate(graph: GraphView, node_id: NodeId, node: InstanceNode, res: Resolution) -> InstanceT:
    ctype = graph.packages[node.package.index].type
    mapping: dict[Resource, Resource] = {}
    implicit: dict[str, str] = {}
    for name, expected in ctype.imports.items():
        arg = node.args.get(name)
        if arg is not None:
            if graph.checked_arguments.get((node_id.index, name)) is res.node_types[arg]:
                continue  # set_argument checked this very type and there is nothing to bind
            try:
                check_subtype(
                    res.node_types[arg], expected, bindable=ctype.params, mapping=mapping, path=[name]
                )
            except TypeMismatchError as err:
                raise ArgumentTypeMismatchError(
                    f"{graph.describe(node_id)}: argument {err}", node=node_id, name=name, path=err.path
                ) from err
        else:
            rank = (0, node_id.index, len(implicit))
            implicit[name] = _implicit_import(graph, name, expected, ctype, mapping, res, node_id, rank)
    res.implicit_args[node_id] = implicit
    if not mapping and not ctype.fresh:  # nothing bound or made: the type its component declares
        return graph.packages[node.package.index].instance_type
    mapping.update({r: Resource(r.name) for r in ctype.fresh})
    exports = {n: substitute(t, mapping) for n, t in ctype.exports.items()}
    return InstanceT(exports, names=ctype.export_names)


def _implicit_import(
    graph: GraphView,
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
        _check_resources_importable(graph, graph_type, outside, res, node_id, name)
        mapping.update(fresh)
        attributed = ctype.import_names.get(name)
        res.imports[key] = GraphImport(
            name, graph_type, list(fresh.values()), extern_name=attributed, rank=rank
        )
        return key
    where = f"{graph.describe(node_id)}: import `{name}`"
    if existing.node is not None:
        try:
            check_subtype(existing.type, expected, bindable=ctype.params, mapping=mapping, path=[name])
        except TypeMismatchError as err:
            package = graph.packages[graph.nodes[node_id.index].package.index]  # type: ignore[union-attr]
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
    graph: GraphView, t: ExternT, outside: list[Resource], res: Resolution, node_id: NodeId, name: str
) -> None:
    """An import may use only resources that imports introduce, never one an instance defines
    (``outside``: the resources ``t`` uses that it does not introduce itself)."""
    if isinstance(t, TypeDefT) and isinstance(t.type, InstanceT) and t.type.introduces:
        raise UnsupportedCompositionError(
            f"{graph.describe(node_id)}: import `{name}` is left unsatisfied, but it is a type equal to "
            "an instance type that declares resources, and such a type is equal only to its own "
            "definition (wasm-tools compares its resources by identity): no import can satisfy it",
            node=node_id,
            name=name,
        )
    if not outside:
        return
    importable = {r for gi in res.imports.values() for r in gi.introduces}
    for r in outside:
        if r not in importable:
            owner = next(
                (graph.describe(n) for n, nt in res.node_types.items() if r in set(resources_in(nt))),
                "an instance",
            )
            raise ImportUsesLocalResourceError(
                f"{graph.describe(node_id)}: import `{name}` is left unsatisfied but uses resource `{r.name}` "
                f"defined by {owner}; the composed component cannot import it, so pass `{name}` explicitly",
                node=node_id,
                name=name,
                resource=r.name,
            )


def _introduced(t: ExternT, res: Resolution) -> Iterable[Resource]:
    """The resources an explicit import introduces (a resource type already imported is not new)."""
    if isinstance(t, InstanceT):
        return t.introduces
    if isinstance(t, TypeDefT) and isinstance(t.type, Resource):
        known = {r for gi in res.imports.values() for r in gi.introduces}
        return () if t.type in known else (t.type,)
    return ()


def add_dependencies(res: Resolution) -> None:
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
            _check_mergeable(have, export_type, bindable, mapping, [export_name], (where, name, node))
        names = {**expected.names, **current.names}
        return InstanceT(exports, tuple(existing.introduces), names, {**expected.uses, **current.uses})
    _check_mergeable(current, expected, bindable, mapping, [], (where, name, node))
    return current


def _check_mergeable(
    have: ExternT,
    wanted: ExternT,
    bindable: tuple[Resource, ...],
    mapping: dict[Resource, Resource],
    path: list[str],
    context: tuple[str, str, NodeId],
) -> None:
    """``have`` satisfies ``wanted``, else an :class:`ImportMergeConflictError` (``context``: where
    it is said, the import's name, the instance needing it)."""
    try:
        check_subtype(have, wanted, bindable=bindable, mapping=mapping, path=path)
    except TypeMismatchError as err:
        where, name, node = context
        raise ImportMergeConflictError(
            f"{where} cannot be merged with the same import of another instance: {err}",
            name=name,
            node=node,
            path=err.path,
        ) from err
