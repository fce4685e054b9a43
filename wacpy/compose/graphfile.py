"""Load a composition graph from a small TOML file.

.. code-block:: toml

    [components]                       # name = path (relative to this file), .wasm or .wat
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
    component = "logger"

    [[instance]]
    name = "greet"
    component = "greeter"
    # an import satisfied by a whole instance, by one export of an instance (`name` names the
    # alias in the name section), or by an explicit import (`{ import = "..." }`)
    arguments = { "test:log/sink@1.0.0" = { instance = "log", export = "test:log/sink@1.0.0" } }

    [[export]]
    name = "run"                       # the composed component's export name
    instance = "greet"
    export = "run"                     # optional: the whole instance when omitted

    [options]
    allow-imports = false              # make an unsatisfied import an error (default: true)
    define-components = false          # import every component instead of embedding it

Imports no argument satisfies become imports of the composed component.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ..errors import GraphFileError
from ..tools import ToolError, run_wasm_tools
from .graph import CompositionGraph, NodeId, PackageId


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise GraphFileError(
            f"{where}: expected {names.replace('str', 'a string').replace('dict', 'a table')}"
        )
    return value


def _component_bytes(path: Path, where: str) -> bytes:
    try:
        if path.suffix == ".wat":
            return run_wasm_tools("parse", str(path))
        return path.read_bytes()
    except OSError as err:
        raise GraphFileError(f"{where}: cannot read {path}: {err.strerror or err}") from err
    except ToolError as err:
        raise GraphFileError(f"{where}: {err}") from err


def _reference(graph: CompositionGraph, nodes: _Nodes, value: Any, where: str) -> NodeId:
    if isinstance(value, str):
        value = {"instance": value}
    table = _expect(value, dict, where)
    unknown = set(table) - {"instance", "import", "export", "name"}
    if unknown:
        raise GraphFileError(
            f"{where}: unknown key `{sorted(unknown)[0]}` (expected instance or import, export, name)"
        )
    kind = "import" if "import" in table else "instance"
    name = _expect(table.get(kind), str, f"{where}.{kind}")
    node = (nodes.imports if kind == "import" else nodes.instances).get(name)
    if node is None:
        raise GraphFileError(f"{where}.{kind}: no {kind} named `{name}` is defined before it")
    if "export" in table:
        alias_name = _expect(table["name"], str, f"{where}.name") if "name" in table else None
        return graph.alias_export(node, _expect(table["export"], str, f"{where}.export"), name=alias_name)
    return node


class _Nodes:
    """The instance and import nodes a graph file has defined so far, by name."""

    def __init__(self) -> None:
        self.instances: dict[str, NodeId] = {}
        self.imports: dict[str, NodeId] = {}


def _register(graph: CompositionGraph, base: Path, name: str, source: Any) -> PackageId:
    where = f"components.{name}"
    if isinstance(source, str):
        return graph.register(name, _component_bytes(base / source, where))
    table = _expect(source, dict, where)
    unknown = set(table) - {"path", "embed", "import-name", "version"}
    if unknown:
        raise GraphFileError(
            f"{where}: unknown key `{sorted(unknown)[0]}` (expected path, version, embed, import-name)"
        )
    path = _expect(table.get("path"), str, f"{where}.path")
    return graph.register(
        name,
        _component_bytes(base / path, where),
        version=_expect(table["version"], str, f"{where}.version") if "version" in table else None,
        embed=_expect(table.get("embed", True), bool, f"{where}.embed"),
        import_name=_expect(table["import-name"], str, f"{where}.import-name")
        if "import-name" in table
        else None,
    )


def _import(
    graph: CompositionGraph, packages: dict[str, PackageId], entry: Any, where: str
) -> tuple[str, NodeId]:
    _expect(entry, dict, where)
    unknown = set(entry) - {"name", "from", "node-name"}
    if unknown:
        raise GraphFileError(f"{where}: unknown key `{sorted(unknown)[0]}` (expected name, from, node-name)")
    name = _expect(entry.get("name"), str, f"{where}.name")
    source = _expect(entry.get("from"), dict, f"{where}.from")
    component = _expect(source.get("component"), str, f"{where}.from.component")
    if component not in packages:
        raise GraphFileError(f"{where}.from.component: no component named `{component}` in [components]")
    ctype = graph.package(packages[component]).type
    side = "import" if "import" in source else "export"
    item = _expect(source.get(side), str, f"{where}.from.{side}")
    types = ctype.imports if side == "import" else ctype.exports
    if item not in types:
        raise GraphFileError(f"{where}.from.{side}: component `{component}` has no {side} `{item}`")
    node_name = _expect(entry["node-name"], str, f"{where}.node-name") if "node-name" in entry else None
    return name, graph.import_(name, types[item], node_name=node_name)


def load_graph(path: str | Path) -> CompositionGraph:
    """Build a :class:`CompositionGraph` from a graph file (see the module docstring)."""
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise GraphFileError(f"cannot read {path}: {err.strerror or err}") from err
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise GraphFileError(f"{path}: not valid TOML: {err}") from err
    unknown = set(doc) - {"components", "import", "instance", "export", "options"}
    if unknown:
        raise GraphFileError(f"{path}: unknown top-level key `{sorted(unknown)[0]}`")
    graph = CompositionGraph()
    options = _expect(doc.get("options", {}), dict, "options")
    unknown = set(options) - {"allow-imports", "define-components"}
    if unknown:
        raise GraphFileError(
            f"options: unknown key `{sorted(unknown)[0]}` (expected allow-imports, define-components)"
        )
    graph.allow_imports = _expect(options.get("allow-imports", True), bool, "options.allow-imports")
    graph.define_components = _expect(
        options.get("define-components", True), bool, "options.define-components"
    )
    packages = {}
    for name, source in _expect(doc.get("components", {}), dict, "components").items():
        packages[name] = _register(graph, path.parent, name, source)
    nodes = _Nodes()
    for i, entry in enumerate(_expect(doc.get("import", []), list, "import")):
        name, node = _import(graph, packages, entry, f"import[{i}]")
        nodes.imports[name] = node
    instances = nodes.instances
    for i, entry in enumerate(_expect(doc.get("instance", []), list, "instance")):
        where = f"instance[{i}]"
        _expect(entry, dict, where)
        component = _expect(entry.get("component"), str, f"{where}.component")
        if component not in packages:
            raise GraphFileError(f"{where}.component: no component named `{component}` in [components]")
        name = _expect(entry.get("name", component), str, f"{where}.name")
        if name in instances:
            raise GraphFileError(f"{where}.name: instance `{name}` is defined twice")
        node = graph.instantiate(packages[component], name)
        for arg, value in _expect(entry.get("arguments", {}), dict, f"{where}.arguments").items():
            graph.set_argument(node, arg, _reference(graph, nodes, value, f"{where}.arguments.{arg}"))
        instances[name] = node
    for i, entry in enumerate(_expect(doc.get("export", []), list, "export")):
        where = f"export[{i}]"
        _expect(entry, dict, where)
        name = _expect(entry.get("name"), str, f"{where}.name")
        graph.export(_reference(graph, nodes, {k: v for k, v in entry.items() if k != "name"}, where), name)
    return graph
