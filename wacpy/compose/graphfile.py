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

Imports no argument satisfies become imports of the composed component.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import GraphFileError, WacpyError
from ..tools import ToolError, run_wasm_tools
from .graph import CompositionGraph, NodeId


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise GraphFileError(
            f"{where}: expected {names.replace('str', 'a string').replace('dict', 'a table')}"
        )
    return value


def read_component_file(path: Path) -> bytes:
    """A component file's bytes; ``.wat`` text is assembled with wasm-tools."""
    try:
        if path.suffix == ".wat":
            return run_wasm_tools("parse", str(path))
        return path.read_bytes()
    except OSError as err:
        raise GraphFileError(f"cannot read {path}: {err.strerror or err}") from err
    except ToolError as err:
        raise GraphFileError(f"{path}: {err}") from err


#: How a graph file's ``[components]`` values become bytes: ``(value, the file's folder) -> bytes``.
#: The default reads paths; the CLI passes the registry resolver, so values may be any spec.
ComponentSource = Callable[[str, Path], bytes]


def read_relative(source: str, folder: Path) -> bytes:
    """The default :data:`ComponentSource`: ``source`` is a path relative to ``folder``."""
    return read_component_file(folder / source)


def _reference(graph: CompositionGraph, instances: dict[str, NodeId], value: Any, where: str) -> NodeId:
    if isinstance(value, str):
        value = {"instance": value}
    table = _expect(value, dict, where)
    unknown = set(table) - {"instance", "export"}
    if unknown:
        raise GraphFileError(f"{where}: unknown key `{sorted(unknown)[0]}` (expected instance, export)")
    name = _expect(table.get("instance"), str, f"{where}.instance")
    node = instances.get(name)
    if node is None:
        raise GraphFileError(f"{where}.instance: no instance named `{name}` is defined before it")
    if "export" in table:
        return graph.alias_export(node, _expect(table["export"], str, f"{where}.export"))
    return node


def load_graph(path: str | Path, *, components: ComponentSource = read_relative) -> CompositionGraph:
    """Build a :class:`CompositionGraph` from a graph file (see the module docstring); each
    ``[components]`` value is read by ``components``."""
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise GraphFileError(f"cannot read {path}: {err.strerror or err}") from err
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise GraphFileError(f"{path}: not valid TOML: {err}") from err
    unknown = set(doc) - {"components", "instance", "export", "options"}
    if unknown:
        raise GraphFileError(f"{path}: unknown top-level key `{sorted(unknown)[0]}`")
    graph = CompositionGraph()
    options = _expect(doc.get("options", {}), dict, "options")
    unknown = set(options) - {"allow-imports"}
    if unknown:
        raise GraphFileError(f"options: unknown key `{sorted(unknown)[0]}` (expected allow-imports)")
    graph.allow_imports = _expect(options.get("allow-imports", True), bool, "options.allow-imports")
    packages = {}
    for name, source in _expect(doc.get("components", {}), dict, "components").items():
        where = f"components.{name}"
        try:
            data = components(_expect(source, str, where), path.parent)
        except WacpyError as err:
            raise GraphFileError(f"{where}: {err}") from err
        packages[name] = graph.register(name, data)
    instances: dict[str, NodeId] = {}
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
            graph.set_argument(node, arg, _reference(graph, instances, value, f"{where}.arguments.{arg}"))
        instances[name] = node
    for i, entry in enumerate(_expect(doc.get("export", []), list, "export")):
        where = f"export[{i}]"
        _expect(entry, dict, where)
        name = _expect(entry.get("name"), str, f"{where}.name")
        graph.export(
            _reference(graph, instances, {k: v for k, v in entry.items() if k != "name"}, where), name
        )
    return graph
