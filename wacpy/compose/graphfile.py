"""Load a composition graph from a small TOML file.

.. code-block:: toml

    [components]                       # name = path (relative to this file), .wasm or .wat;
                                       # with the CLI, any component spec (alias, OCI package)
    greeter = "greeter.wasm"
    logger = "logger.wasm"

    [[instance]]
    name = "log"
    component = "logger"

    [[instance]]
    name = "greet"
    component = "greeter"
    # an import satisfied by a whole instance, or by one export of an instance
    arguments = { "test:log/sink@1.0.0" = { instance = "log", export = "test:log/sink@1.0.0" } }

    [[export]]
    name = "run"                       # the composed component's export name
    instance = "greet"
    export = "run"                     # optional: the whole instance when omitted

    [options]
    allow-imports = false              # make an unsatisfied import an error (default: true)
    allow-no-exports = true            # compose a graph without [[export]] (default: an error)

Imports no argument satisfies become imports of the composed component. Unknown keys are errors
naming the key and its line; a graph without instances is an error, and so is one without exports
unless ``allow-no-exports`` says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from attrs import frozen

from .._files import read_component
from .._toml import TomlText, load_toml
from ..errors import GraphFileError, WacpyError
from .graph import CompositionGraph, NodeId

__all__ = ["GraphFile", "load_graph", "read_graph_file"]

_TOP_LEVEL = ("components", "instance", "export", "options")
_OPTIONS = ("allow-imports", "allow-no-exports")
_INSTANCE = ("name", "component", "arguments")
_EXPORT = ("name", "instance", "export")
_REFERENCE = ("instance", "export")


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise GraphFileError(
            f"{where}: expected {names.replace('str', 'a string').replace('dict', 'a table')}"
        )
    return value


def _entries(doc: TomlText, key: str, allowed: tuple[str, ...]) -> list[dict[str, Any]]:
    """The ``[[key]]`` tables, each checked to be a table with only ``allowed`` keys."""
    entries: list[dict[str, Any]] = _expect(doc.data.get(key, []), list, key)
    for i, entry in enumerate(entries):
        _expect(entry, dict, f"{key}[{i}]")
        doc.check_keys(entry, allowed, (key, i), f"{key}[{i}]", GraphFileError)
    return entries


def read_component_file(path: Path) -> bytes:
    """A component file's bytes; ``.wat`` text is assembled with wasm-tools."""
    try:
        return read_component(path)
    except WacpyError as err:
        raise GraphFileError(str(err)) from err


#: How a graph file's ``[components]`` values become bytes: ``(value, the file's folder) -> bytes``.
#: The default reads paths; the CLI passes the registry resolver, so values may be any spec.
ComponentSource = Callable[[str, Path], bytes]


def read_relative(source: str, folder: Path) -> bytes:
    """The default :data:`ComponentSource`: ``source`` is a path relative to ``folder``."""
    return read_component_file(folder / source)


@frozen
class GraphFile:
    """A graph file read and checked for shape (keys, types, at least one instance) before any
    component is loaded; :meth:`to_graph` builds the graph (which must export something)."""

    doc: TomlText
    #: Each ``[components]`` value as written: a path relative to the file, or (for the CLI) a spec.
    components: dict[str, str]
    instances: list[dict[str, Any]]
    exports: list[dict[str, Any]]
    allow_imports: bool
    allow_no_exports: bool

    @property
    def folder(self) -> Path:
        return Path(self.doc.path).parent

    @property
    def inputs(self) -> list[Path]:
        """Every file the graph reads: the graph file and each component it names by a path."""
        paths = (self.folder / value for value in self.components.values())
        return [Path(self.doc.path), *(p for p in paths if p.exists())]

    def _reference(
        self,
        graph: CompositionGraph,
        nodes: dict[str, NodeId],
        value: Any,
        where: str,
        table: tuple[str | int, ...],
    ) -> NodeId:
        if isinstance(value, str):
            value = {"instance": value}
        reference = _expect(value, dict, where)
        self.doc.check_keys(reference, _REFERENCE, table, where, GraphFileError)
        name = _expect(reference.get("instance"), str, f"{where}.instance")
        node = nodes.get(name)
        if node is None:
            raise GraphFileError(f"{where}.instance: no instance named `{name}` is defined before it")
        if "export" in reference:
            return graph.alias_export(node, _expect(reference["export"], str, f"{where}.export"))
        return node

    def to_graph(self, read: ComponentSource = read_relative) -> CompositionGraph:
        """Register the components (each value read by ``read``), instantiate and wire them, and
        declare the exports."""
        graph = CompositionGraph()
        graph.allow_imports = self.allow_imports
        packages = {}
        for name, value in self.components.items():
            try:
                data = read(value, self.folder)
            except WacpyError as err:
                raise GraphFileError(f"components.{name}: {err}") from err
            packages[name] = graph.register(name, data)
        nodes: dict[str, NodeId] = {}
        for i, entry in enumerate(self.instances):
            where = f"instance[{i}]"
            component = _expect(entry.get("component"), str, f"{where}.component")
            if component not in packages:
                raise GraphFileError(f"{where}.component: no component named `{component}` in [components]")
            name = _expect(entry.get("name", component), str, f"{where}.name")
            if name in nodes:
                raise GraphFileError(f"{where}.name: instance `{name}` is defined twice")
            node = graph.instantiate(packages[component], name)
            for arg, value in _expect(entry.get("arguments", {}), dict, f"{where}.arguments").items():
                reference = self._reference(graph, nodes, value, f"{where}.arguments.{arg}", ("instance", i))
                graph.set_argument(node, arg, reference)
            nodes[name] = node
        for i, entry in enumerate(self.exports):
            where = f"export[{i}]"
            name = _expect(entry.get("name"), str, f"{where}.name")
            target = {k: v for k, v in entry.items() if k != "name"}
            graph.export(self._reference(graph, nodes, target, where, ("export", i)), name)
        if not self.exports and not self.allow_no_exports:  # last: an error in the wiring says more
            raise GraphFileError(
                f"{self.doc.path}: the graph has no [[export]]: the composed component would export "
                "nothing (allow-no-exports = true in [options] composes it anyway)"
            )
        return graph


def read_graph_file(path: str | Path) -> GraphFile:
    """Read a graph file (see the module docstring) and check its shape; no component is read yet."""
    doc = load_toml(path, GraphFileError)
    doc.check_keys(doc.data, _TOP_LEVEL, (), "", GraphFileError)
    options = _expect(doc.data.get("options", {}), dict, "options")
    doc.check_keys(options, _OPTIONS, ("options",), "options", GraphFileError)
    allow_imports = _expect(options.get("allow-imports", True), bool, "options.allow-imports")
    allow_no_exports = _expect(options.get("allow-no-exports", False), bool, "options.allow-no-exports")
    components = {
        name: _expect(source, str, f"components.{name}")
        for name, source in _expect(doc.data.get("components", {}), dict, "components").items()
    }
    instances = _entries(doc, "instance", _INSTANCE)
    exports = _entries(doc, "export", _EXPORT)
    if not instances:
        raise GraphFileError(f"{path}: the graph has no [[instance]]: an empty graph composes nothing")
    return GraphFile(doc, components, instances, exports, allow_imports, allow_no_exports)


def load_graph(path: str | Path, *, components: ComponentSource = read_relative) -> CompositionGraph:
    """Build a :class:`CompositionGraph` from a graph file (see the module docstring); each
    ``[components]`` value is read by ``components``."""
    return read_graph_file(path).to_graph(components)
