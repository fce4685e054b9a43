"""``compose(root, plugs)``: satisfy a root component's imports with the exports of plug components.

Each import of the root, and of every plug in use, is matched against the plugs' exports: an export
with exactly the import's name first, then a semver-compatible one. When several plugs export it,
the nearest plug *after* the importer in the given order wins (the root counts as position -1), then
the nearest before it. So plugs listed as ``a b c`` that each import and export the same interface
form the chain ``root -> a -> b -> c``. Imports nobody satisfies become imports of the result.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from pathlib import Path

from ..errors import UnusedPlugError, WacpyError
from ..tools import usable_cpus
from .graph import CompositionGraph
from .names import semver_key
from .nodes import NodeId, PackageId
from .options import EarlyValidator, EncodeOptions, WasmToolsValidator
from .typer import OutlineTyper

Source = bytes | bytearray | memoryview | str | Path


def _package_name(source: Source, fallback: str, taken: set[str]) -> str:
    name = Path(source).stem if isinstance(source, str | Path) else fallback
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}-{n}", n + 1
    taken.add(candidate)
    return candidate


class _Providers:
    """Which plug serves an import: the nearest after the importer, else the nearest before it,
    among plugs exporting the import's name or a semver-compatible one (the exact name preferred)."""

    def __init__(self, exports: list[list[str]]) -> None:
        self._exports = exports
        #: semver key -> positions of the plugs exporting a name with that key, ascending.
        self._positions: dict[str, list[int]] = {}
        for position, names in enumerate(exports):
            for key in dict.fromkeys(semver_key(n) for n in names):
                self._positions.setdefault(key, []).append(position)

    def nearest(self, position: int, name: str) -> tuple[int, str] | None:
        """The plug serving import ``name`` of the plug at ``position`` (-1: the root), and its export."""
        key = semver_key(name)
        positions = self._positions.get(key)
        if not positions:
            return None
        after = bisect_right(positions, position)
        if after < len(positions):
            j = positions[after]
        else:
            before = bisect_left(positions, position) - 1
            if before < 0:
                return None
            j = positions[before]
        names = self._exports[j]
        if name in names:
            return j, name
        return j, next(n for n in names if semver_key(n) == key)


def compose(root: Source, plugs: Sequence[Source], *, validate: bool = True) -> bytes:
    """Compose ``root`` with ``plugs`` (bytes or paths) into one component and return its bytes."""
    if not validate:
        return _compose(root, plugs, None)
    with EarlyValidator() as early:  # wasm-tools starts up while the graph is built
        guess = _outline_compose(root, plugs) if usable_cpus() > 1 else None  # one CPU: no gain
        if guess is not None:  # validated while the typed composition runs beside it
            early.send(guess)
        data = _compose(root, plugs, early if guess is None else None)
        if guess is not None and data != guess:  # the outline misread the wiring: not expected
            early.close()
            WasmToolsValidator().validate(data)
            return data
        early.wait()
        return data


def _outline_compose(root: Source, plugs: Sequence[Source]) -> bytes | None:
    """The bytes :func:`compose` returns, worked out from the names and sorts of the components'
    imports and exports alone (typed by :class:`OutlineTyper`), or None when that cannot tell them.

    The wiring, the instances, the aliases, the exports and the name section depend on nothing
    else, so unless an import is left for the composed component (its type must be written) the
    outline gives the exact binary, and wasm-tools can validate it while the composition is typed
    and checked in full. The caller still compares the two binaries.
    """
    try:  # an import left unsatisfied is refused: writing it would take its type
        return _compose(root, plugs, None, CompositionGraph(typer=OutlineTyper()), _OUTLINE)
    except WacpyError:
        return None  # the full composition finds the same problem, or needs the types


#: The composed binary is validated by the caller of :func:`_compose`.
_UNVALIDATED = EncodeOptions(validate=False)
#: The outline is encoded unvalidated and with no import left for the composed component.
_OUTLINE = EncodeOptions(validate=False, allow_imports=False)


def _compose(
    root: Source,
    plugs: Sequence[Source],
    early: EarlyValidator | None,
    graph: CompositionGraph | None = None,
    options: EncodeOptions | None = None,
) -> bytes:
    """The composed binary, handed to ``early`` (when given) before the graph is let go: the tool
    validates while the graph is freed."""
    graph = CompositionGraph() if graph is None else graph
    taken: set[str] = set()
    root_pkg = graph.register(_package_name(root, "root", taken), root)
    plug_pkgs = [graph.register(_package_name(p, f"plug{i}", taken), p) for i, p in enumerate(plugs)]
    wiring = _Wiring(graph, plug_pkgs)
    root_node = wiring.instance_of(-1, root_pkg, ())
    unused = [graph.package(p).name for j, p in enumerate(plug_pkgs) if j not in wiring.used]
    if unused:
        raise UnusedPlugError(
            f"no import of the root or of another plug matches an export of: {', '.join(unused)}",
            plugs=unused,
        )
    for export_name in graph.package(root_pkg).type.exports:
        graph.export(graph.alias_export(root_node, export_name), export_name)
    data = graph.encode(options or _UNVALIDATED)
    if early is not None:
        early.send(data)
    return data


class _Wiring:
    """Instantiates the root and, depth first, each plug serving an import (a plug already on the
    path from the root is skipped: that import is left for the composed component)."""

    def __init__(self, graph: CompositionGraph, plug_pkgs: list[PackageId]) -> None:
        self.graph = graph
        self.plug_pkgs = plug_pkgs
        self.providers = _Providers([list(graph.package(p).type.exports) for p in plug_pkgs])
        self.instances: dict[int, NodeId] = {}
        self.used: set[int] = set()

    def instance_of(self, position: int, package: PackageId, stack: tuple[int, ...]) -> NodeId:
        """The instance of the plug at ``position`` (-1: the root), made and wired on first use."""
        if position in self.instances:
            return self.instances[position]
        graph = self.graph
        node = graph.instantiate(package)
        self.instances[position] = node
        for import_name in graph.packages[package.index].type.imports:
            match = self.providers.nearest(position, import_name)
            if match is None or match[0] in stack:
                continue  # left for the composed component to import
            j, export_name = match
            self.used.add(j)
            source = self.instance_of(j, self.plug_pkgs[j], (*stack, position))
            graph.set_argument(node, import_name, graph.alias_export(source, export_name))
        return node
