"""Load a composition graph from a small TOML file.

.. code-block:: toml

    [components]                       # name = path (relative to this file), .wasm or .wat;
                                       # with the CLI, any component spec (alias, OCI package)
    greeter = "greeter.wasm"
    "test:logger@1.0.0" = "logger.wasm" # a package name may carry a version
    # or a table: imported by the composition instead of embedded (see define-components)
    # store = { path = "store.wasm", embed = false, import-name = "store" }

    [[import]]                         # an explicit import, typed like an import or export of
    name = "test:log/sink@1.0.0"       # a component (`import = ...` or `export = ...`)
    from = { component = "greeter", import = "test:log/sink@1.0.0" }
    node-name = "sink"                 # optional: its name in the name section

    [[instance]]
    name = "log"
    component = "test:logger@1.0.0"

    [[instance]]
    name = "greet"
    component = "greeter"
    # an import satisfied by a whole instance, or by one export of an instance (`name`: the
    # alias's name in the name section), or by an [[import]] (`import = "..."`)
    arguments = { "test:log/sink@1.0.0" = { instance = "log", export = "test:log/sink@1.0.0" } }

    [[export]]
    name = "run"                       # the composed component's export name
    instance = "greet"
    export = "run"                     # optional: the whole instance when omitted

    [options]
    allow-imports = false              # make an unsatisfied import an error (default: true)
    allow-no-exports = true            # compose a graph without [[export]] (default: an error)
    define-components = false          # import every component instead of embedding it

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
from .graph import CompositionGraph, NodeId, PackageId

__all__ = ["ComponentEntry", "GraphFile", "load_graph", "read_graph_file"]

_TOP_LEVEL = ("components", "import", "instance", "export", "options")
_OPTIONS = ("allow-imports", "allow-no-exports", "define-components")
_COMPONENT = ("path", "version", "embed", "import-name")
_IMPORT = ("name", "from", "node-name")
_IMPORT_FROM = ("component", "import", "export")
_INSTANCE = ("name", "component", "arguments")
_EXPORT = ("name", "instance", "import", "export")
_REFERENCE = ("instance", "import", "export", "name")


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise GraphFileError(
            f"{where}: expected {names.replace('str', 'a string').replace('dict', 'a table')}"
        )
    return value


def _optional(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    return _expect(table[key], kind, f"{where}.{key}") if key in table else None


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
class ComponentEntry:
    """One ``[components]`` value: where the component comes from (a path relative to the file, or
    for the CLI a spec) and how it is registered."""

    source: str
    version: str | None = None
    embed: bool = True
    import_name: str | None = None


def _component_entry(doc: TomlText, name: str, value: Any) -> ComponentEntry:
    where = f"components.{name}"
    if isinstance(value, str):
        return ComponentEntry(value)
    table = _expect(value, dict, where)
    doc.check_keys(table, _COMPONENT, ("components", name), where, GraphFileError)
    return ComponentEntry(
        _expect(table.get("path"), str, f"{where}.path"),
        version=_optional(table, "version", str, where),
        embed=_expect(table.get("embed", True), bool, f"{where}.embed"),
        import_name=_optional(table, "import-name", str, where),
    )


class _Nodes:
    """The instance and import nodes a graph file has defined so far, by name."""

    def __init__(self) -> None:
        self.instances: dict[str, NodeId] = {}
        self.imports: dict[str, NodeId] = {}


@frozen
class GraphFile:
    """A graph file read and checked for shape (keys and types) before any component is loaded;
    :meth:`to_graph` builds the graph (which must have an instance and export something)."""

    doc: TomlText
    components: dict[str, ComponentEntry]
    imports: list[dict[str, Any]]
    instances: list[dict[str, Any]]
    exports: list[dict[str, Any]]
    allow_imports: bool
    allow_no_exports: bool
    define_components: bool

    @property
    def folder(self) -> Path:
        return Path(self.doc.path).parent

    @property
    def inputs(self) -> list[Path]:
        """Every file the graph reads: the graph file and each component it names by a path."""
        paths = (self.folder / entry.source for entry in self.components.values())
        return [Path(self.doc.path), *(p for p in paths if p.exists())]

    def _reference(
        self, graph: CompositionGraph, nodes: _Nodes, value: Any, where: str, table: tuple[str | int, ...]
    ) -> NodeId:
        if isinstance(value, str):
            value = {"instance": value}
        reference = _expect(value, dict, where)
        self.doc.check_keys(reference, _REFERENCE, table, where, GraphFileError)
        kind = "import" if "import" in reference else "instance"
        name = _expect(reference.get(kind), str, f"{where}.{kind}")
        node = (nodes.imports if kind == "import" else nodes.instances).get(name)
        if node is None:
            raise GraphFileError(f"{where}.{kind}: no {kind} named `{name}` is defined before it")
        if "export" in reference:
            alias_name = _optional(reference, "name", str, where)
            return graph.alias_export(
                node, _expect(reference["export"], str, f"{where}.export"), name=alias_name
            )
        return node

    def _register(self, graph: CompositionGraph, read: ComponentSource) -> dict[str, PackageId]:
        packages = {}
        for name, entry in self.components.items():
            try:
                data = read(entry.source, self.folder)
            except WacpyError as err:
                raise GraphFileError(f"components.{name}: {err}") from err
            packages[name] = graph.register(
                name, data, version=entry.version, embed=entry.embed, import_name=entry.import_name
            )
        return packages

    def _import(
        self, graph: CompositionGraph, packages: dict[str, PackageId], entry: dict[str, Any], i: int
    ) -> tuple[str, NodeId]:
        where = f"import[{i}]"
        name = _expect(entry.get("name"), str, f"{where}.name")
        source = _expect(entry.get("from"), dict, f"{where}.from")
        self.doc.check_keys(source, _IMPORT_FROM, ("import", i, "from"), f"{where}.from", GraphFileError)
        component = _expect(source.get("component"), str, f"{where}.from.component")
        if component not in packages:
            raise GraphFileError(f"{where}.from.component: no component named `{component}` in [components]")
        ctype = graph.package(packages[component]).type
        side = "import" if "import" in source else "export"
        item = _expect(source.get(side), str, f"{where}.from.{side}")
        types = ctype.imports if side == "import" else ctype.exports
        if item not in types:
            raise GraphFileError(f"{where}.from.{side}: component `{component}` has no {side} `{item}`")
        node_name = _optional(entry, "node-name", str, where)
        return name, graph.import_(name, types[item], node_name=node_name)

    def to_graph(self, read: ComponentSource = read_relative) -> CompositionGraph:
        """Register the components (each value read by ``read``), add the imports, instantiate and
        wire the instances, and declare the exports."""
        graph = CompositionGraph()
        graph.allow_imports = self.allow_imports
        graph.define_components = self.define_components
        packages = self._register(graph, read)
        nodes = _Nodes()
        for i, entry in enumerate(self.imports):
            name, node = self._import(graph, packages, entry, i)
            nodes.imports[name] = node
        if not self.instances and not self.imports:  # last so far: a bad component or import says more
            raise GraphFileError(
                f"{self.doc.path}: the graph has no [[instance]]: an empty graph composes nothing"
            )
        for i, entry in enumerate(self.instances):
            where = f"instance[{i}]"
            component = _expect(entry.get("component"), str, f"{where}.component")
            if component not in packages:
                raise GraphFileError(f"{where}.component: no component named `{component}` in [components]")
            name = _expect(entry.get("name", component), str, f"{where}.name")
            if name in nodes.instances:
                raise GraphFileError(f"{where}.name: instance `{name}` is defined twice")
            node = graph.instantiate(packages[component], name)
            for arg, value in _expect(entry.get("arguments", {}), dict, f"{where}.arguments").items():
                reference = self._reference(graph, nodes, value, f"{where}.arguments.{arg}", ("instance", i))
                graph.set_argument(node, arg, reference)
            nodes.instances[name] = node
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
    components = {
        name: _component_entry(doc, name, value)
        for name, value in _expect(doc.data.get("components", {}), dict, "components").items()
    }
    imports = _entries(doc, "import", _IMPORT)
    instances = _entries(doc, "instance", _INSTANCE)
    exports = _entries(doc, "export", _EXPORT)
    return GraphFile(
        doc,
        components,
        imports,
        instances,
        exports,
        allow_imports=_expect(options.get("allow-imports", True), bool, "options.allow-imports"),
        allow_no_exports=_expect(options.get("allow-no-exports", False), bool, "options.allow-no-exports"),
        define_components=_expect(options.get("define-components", True), bool, "options.define-components"),
    )


def load_graph(path: str | Path, *, components: ComponentSource = read_relative) -> CompositionGraph:
    """Build a :class:`CompositionGraph` from a graph file (see the module docstring); each
    ``[components]`` value is read by ``components``."""
    return read_graph_file(path).to_graph(components)
