"""``compose``: random composition graphs; accepted ones must validate and run as wired.

An input is a JSON *program*: components (link components from ``testkit/linkkit.py``, described by
their parameters, or component binaries in base64) and a list of graph operations
(``instantiate``, ``alias``, ``arg``, ``export``, ``import``) ending in ``encode``. Two kinds:

* **link** programs: random DAGs of link components with random mistakes mixed in (unknown
  import or export names, arguments passed twice, cycles, u32-returning links, invalid or
  clashing export names, explicit imports). A small model predicts each operation's outcome
  and each export's answer; the encoded graph is run under wasmtime (imports answered by the
  host) and must answer exactly as wired.
* **generated** programs: components made by wit-smith from one WIT package (from the corpus),
  instantiated and wired by matching import and export names (or at random).
* **plug** programs: ``compose(root, plugs)`` over link components (semver-varied names, several
  plugs serving one interface, imports nobody serves, unused plugs, u32 results). A model of the
  nearest-plug rule of its own predicts the outcome and the answers; the outline composition must
  be the result or decline, and validation must change nothing but the check.

Findings: an exception that is not a typed ``CompositionError`` (``crash``, ``untyped-error``),
an encoded graph ``wasm-tools validate`` rejects (``invalid-output``), a registration that fails
on a valid component (``register-rejects-valid``), an operation or encoding whose outcome the
model did not predict (``model-disagrees``), an export answering differently from its wiring
(``wrong-wiring``), a composition wasmtime cannot run (``runtime-error``), an outline that is
neither the result nor declined (``outline-mismatch``) and a validated ``compose()`` whose result
differs from the unvalidated one (``validate-disagrees``).
"""

from __future__ import annotations

import base64
import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from wacpy import CompositionError, CompositionGraph, DecodeError, WacpyError
from wacpy.compose.graph import NodeId
from wacpy.types.model import ExternT

from ..findings import Problem, crash_problem
from ..minimize import ddmin
from ..seeds import corpus_components, read_corpus, write_seeds
from ..target import Case, Target, WorkerContext
from ..timelimit import SlowInput, time_limit
from ..tools import wasm_tools

__all__ = ["ComposeTarget", "Program", "run_program"]

Program = dict[str, Any]

#: Export names: (name, valid?). ``outa`` and ``out-a`` are one name to wasm-tools (dashes and case
#: do not count), which the model leaves to the validator.
_EXPORT_NAMES = (
    ("out-a", True),
    ("out-b", True),
    ("outa", True),
    ("run", True),
    ("test:chain/out@1.0.0", True),
    ("test:chain/link-0@1.0.0", True),
    ("Out_A", False),
    ("", False),
    ("9lives", False),
    ("out--a", False),
    ("a:b", False),
)
_IMPORT_NAMES = (
    ("test:chain/host@1.0.0", True),
    ("host-a", True),
    ("test:chain/link-1@1.0.0", True),
    ("Host_A", False),
)
_NORMAL = re.compile(r"[-]")


def iface(i: int) -> str:
    return f"test:chain/link-{i}@1.0.0"


def _normal(name: str) -> str:
    return _NORMAL.sub("", name).lower()


# --------------------------------------------------------------------------------------------------
# The model of link programs: types, outcomes and answers


RUN_STRING: Any = ("inst", (("run", ("func", "string")),))


def _run_type(result: str) -> Any:
    return ("inst", (("run", ("func", result)),))


@dataclass
class _Model:
    """What the graph should do, node by node, for a program of link components only."""

    links: list[dict[str, Any]]
    nodes: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    args: dict[int, dict[str, int]] = field(default_factory=dict)
    exports: dict[str, int] = field(default_factory=dict)
    imports: set[str] = field(default_factory=set)
    uncertain: bool = False

    def type_of(self, node: int) -> Any:
        kind = self.nodes[node]
        if kind[0] == "instance":
            link = self.links[kind[1]]
            return ("inst", ((link["export"], _run_type(link["result_type"])),))
        if kind[0] == "import":
            return RUN_STRING
        source = self.type_of(kind[1])
        return dict(source[1])[kind[2]]

    def dependencies(self, node: int) -> set[int]:
        """Every node ``node`` depends on, transitively (instances through their arguments)."""
        seen: set[int] = set()
        stack = [node]
        while stack:
            current = stack.pop()
            kind = self.nodes[current]
            children = list(self.args.get(current, {}).values()) if kind[0] == "instance" else []
            if kind[0] == "alias":
                children = [kind[1]]
            for child in children:
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen

    def predict(self, op: dict[str, Any]) -> str:
        """``ok``, the name of the error class expected, or ``?`` when the model cannot say."""
        kind = op["op"]
        if kind == "instantiate":
            return "ok"
        if kind == "alias":
            source = self.type_of(op["node"])
            if source[0] != "inst":
                return "NotAnInstanceError"
            return "ok" if op["export"] in dict(source[1]) else "UnknownItemError"
        if kind == "arg":
            target = self.nodes[op["instance"]]
            if target[0] != "instance":
                return "NotAnInstanceError"
            if op["name"] not in self.links[target[1]]["imports"]:
                return "UnknownArgumentError"
            if op["name"] in self.args.get(op["instance"], {}):
                return "ArgumentAlreadyPassedError"
            if op["instance"] == op["node"] or op["instance"] in self.dependencies(op["node"]):
                return "CycleError"
            actual = self.type_of(op["node"])
            if actual[0] != "inst" or dict(actual[1]).get("run") != ("func", "string"):
                return "ArgumentTypeMismatchError"
            return "ok"
        if kind == "export":
            if not op["valid"]:
                return "InvalidNameError"
            if op["name"] in self.exports:
                return "ExportNameClashError"
            if any(_normal(n) == _normal(op["name"]) for n in self.exports):
                return "?"
            return "ok"
        if kind == "import":
            if not op["valid"]:
                return "InvalidNameError"
            return "ImportMergeConflictError" if op["name"] in self.imports else "ok"
        raise ValueError(f"unknown op {kind!r}")

    def apply(self, op: dict[str, Any]) -> None:
        """Record a successful operation."""
        kind = op["op"]
        if kind == "instantiate":
            self.nodes[op["id"]] = ("instance", op["package"])
            self.args[op["id"]] = {}
        elif kind == "alias":
            self.nodes[op["id"]] = ("alias", op["node"], op["export"])
        elif kind == "arg":
            self.args[op["instance"]][op["name"]] = op["node"]
        elif kind == "export":
            self.exports[op["name"]] = op["node"]
        elif kind == "import":
            self.nodes[op["id"]] = ("import", op["name"])
            self.imports.add(op["name"])

    def unsatisfied(self) -> list[str]:
        return [
            name
            for node, kind in self.nodes.items()
            if kind[0] == "instance"
            for name in self.links[kind[1]]["imports"]
            if name not in self.args[node]
        ]

    def answer(self, node: int, arg: str) -> str:
        """What ``run(arg)`` answers through ``node`` (as a string, before any u32 length)."""
        kind = self.nodes[node]
        if kind[0] == "import":
            return host_answer(kind[1], arg)
        if kind[0] == "alias":
            return self.answer(kind[1], arg)
        link = self.links[kind[1]]
        if not link["imports"]:
            return f"{link['name']}<{arg}>"
        parts = []
        for name in link["imports"]:
            passed = self.args[node].get(name)
            parts.append(self.answer(passed, arg) if passed is not None else host_answer(name, arg))
        return f"{link['name']}(" + ",".join(parts) + ")"

    def result_type(self, node: int) -> str:
        kind = self.nodes[node]
        if kind[0] == "import":
            return "string"
        if kind[0] == "alias":
            return self.result_type(kind[1])
        return str(self.links[kind[1]]["result_type"])

    def export_path(self, node: int, name: str) -> list[str]:
        """The export names leading from the composed component to ``run``."""
        kind = self.nodes[node]
        if kind[0] == "instance":
            return [name, self.links[kind[1]]["export"], "run"]
        exported = self.type_of(node)
        return [name, "run"] if exported[0] == "inst" else [name]


def host_answer(import_name: str, arg: str) -> str:
    return f"H[{import_name}]<{arg}>"


# --------------------------------------------------------------------------------------------------
# Running a program


@cache
def _link(name: str, imports: tuple[str, ...], export: str, result_type: str) -> bytes:
    from testkit.linkkit import link_component

    return link_component(name, imports, export, result_type=result_type)


def _component_bytes(spec: dict[str, Any]) -> bytes:
    if "link" in spec:
        link = spec["link"]
        return _link(link["name"], tuple(link["imports"]), link["export"], link["result_type"])
    return base64.b64decode(spec["wasm"])


@dataclass
class Outcome:
    """What running a program did: the composed bytes (if encoded) and the problem (if any)."""

    data: bytes | None
    problem: Problem | None
    log: list[str]
    #: How many exports were called under wasmtime and answered as wired.
    checked: int = 0


def _error_problem(err: BaseException, where: str, log: list[str]) -> Problem | None:
    """``None`` for a typed CompositionError; a problem for anything else."""
    if isinstance(err, CompositionError) and type(err) is not CompositionError:
        return None
    if isinstance(err, CompositionError):
        return Problem(
            "untyped-error",
            f"{where}: the bare CompositionError base class was raised: {err}",
            f"untyped-error:{where.split(' ')[0]}",
            {"wacpy": f"CompositionError: {err}", "log": " | ".join(log[-6:])},
        )
    return crash_problem(
        "crash", err, {"wacpy": f"{where}: {type(err).__name__}: {err}", "log": " | ".join(log[-6:])}
    )


def run_program(program: Program, limit: float) -> Outcome:
    """Build and encode the program's graph, checking every step against the model (if any)."""
    if program["kind"] == "plug":
        return _run_plug_program(program, limit)
    log: list[str] = []
    links = [c["link"] for c in program["components"] if "link" in c]
    model = _Model(links) if len(links) == len(program["components"]) else None
    graph = CompositionGraph()
    packages = []
    for index, spec in enumerate(program["components"]):
        data = _component_bytes(spec)
        try:
            packages.append(graph.register(spec["name"], data))
        except WacpyError as err:
            return Outcome(
                None,
                Problem(
                    "register-rejects-valid",
                    f"registering component {index} ({spec['name']}) failed: {type(err).__name__}: {err}",
                    f"register-rejects-valid:{type(err).__name__}:{re.sub(r'[0-9]+', 'N', str(err))[:120]}",
                    {
                        "wacpy": f"{type(err).__name__}: {err}",
                        "wasm-tools validate": "accepted (corpus/linkkit)",
                    },
                ),
                log,
            )
        except Exception as err:
            return Outcome(None, crash_problem("crash", err, {"wacpy": f"register: {err}"}), log)
    nodes: dict[int, NodeId] = {}
    for op in program["ops"]:
        refs = [op[k] for k in ("node", "instance") if k in op]
        if any(r not in nodes for r in refs):
            log.append(f"{op['id']}: skipped ({op['op']} refers to a node that does not exist)")
            continue
        predicted = model.predict(op) if model is not None else "?"
        try:
            with time_limit(limit):
                made = _apply(graph, packages, nodes, op)
        except SlowInput:
            return Outcome(
                None, Problem("slow", f"op {op} took more than {limit} s", f"slow:{op['op']}"), log
            )
        except BaseException as err:
            if isinstance(err, KeyboardInterrupt):
                raise
            log.append(f"{op['id']}: {op['op']} -> {type(err).__name__}: {err}")
            problem = _error_problem(err, f"{op['op']} (op {op['id']})", log)
            if problem is not None:
                return Outcome(None, problem, log)
            if predicted not in ("?", type(err).__name__):
                return Outcome(None, _disagreement(op, predicted, type(err).__name__, str(err), log), log)
            continue
        log.append(f"{op['id']}: {op['op']} -> ok")
        if predicted not in ("?", "ok"):
            return Outcome(None, _disagreement(op, predicted, "ok", "", log), log)
        if made is not None:
            nodes[op["id"]] = made
        if model is not None:
            model.apply(op)
            if predicted == "?":
                model.uncertain = True
    allow = bool(program.get("allow_imports", True))
    predicted = "ok"
    if model is not None:
        missing = model.unsatisfied()
        if not allow and missing:
            predicted = "MissingArgumentError"
        elif set(missing) & model.imports:
            predicted = "?"  # an explicit import and an implicit one of one name: merged or refused
    try:
        with time_limit(limit * 5):
            data = graph.encode(validate=False, allow_imports=allow)
    except SlowInput:
        return Outcome(None, Problem("slow", f"encode took more than {limit * 5} s", "slow:encode"), log)
    except BaseException as err:
        if isinstance(err, KeyboardInterrupt):
            raise
        log.append(f"encode -> {type(err).__name__}: {err}")
        problem = _error_problem(err, "encode", log)
        if problem is None and model is not None and predicted not in ("?", type(err).__name__):
            problem = _disagreement(
                {"op": "encode", "id": "end"}, predicted, type(err).__name__, str(err), log
            )
        return Outcome(None, problem, log)
    log.append("encode -> ok")
    if model is not None and predicted not in ("?", "ok"):
        return Outcome(data, _disagreement({"op": "encode", "id": "end"}, predicted, "ok", "", log), log)
    verdict = wasm_tools("validate", "-", stdin=data)
    if not verdict.ok:
        return Outcome(
            data,
            Problem(
                "invalid-output",
                f"the encoded graph does not validate: {verdict.error}",
                "invalid-output:" + re.sub(r"0x[0-9a-f]+|[0-9]+", "N", verdict.error)[:160],
                {"wacpy": "encoded", "wasm-tools validate": verdict.describe(), "log": " | ".join(log[-8:])},
            ),
            log,
        )
    if model is not None and not model.uncertain:
        problem = _check_answers(data, model, program.get("arg", "x"), log)
        if problem is not None:
            return Outcome(data, problem, log)
        if not log[-1].startswith("wasmtime:"):
            return Outcome(data, None, log, checked=len(model.exports))
    return Outcome(data, None, log)


def _apply(
    graph: CompositionGraph, packages: list[Any], nodes: dict[int, NodeId], op: dict[str, Any]
) -> NodeId | None:
    kind = op["op"]
    if kind == "instantiate":
        return graph.instantiate(packages[op["package"]])
    if kind == "alias":
        return graph.alias_export(nodes[op["node"]], op["export"])
    if kind == "arg":
        graph.set_argument(nodes[op["instance"]], op["name"], nodes[op["node"]])
        return None
    if kind == "export":
        graph.export(nodes[op["node"]], op["name"])
        return None
    if kind == "import":
        package, name = op["like"]
        extern: ExternT = graph.package(packages[package]).type.imports[name]
        return graph.import_(op["name"], extern)
    raise ValueError(f"unknown op {kind!r}")


def _disagreement(op: dict[str, Any], predicted: str, actual: str, message: str, log: list[str]) -> Problem:
    return Problem(
        "model-disagrees",
        f"{op['op']} (op {op['id']}): the model expected {predicted}, wacpy gave {actual} {message}".strip(),
        f"model-disagrees:{op['op']}:{predicted}:{actual}",
        {"model": predicted, "wacpy": f"{actual} {message}".strip(), "log": " | ".join(log[-8:])},
    )


def _check_answers(data: bytes, model: _Model, arg: str, log: list[str]) -> Problem | None:
    from wasmtime import Store
    from wasmtime.component import Component, Linker

    from testkit.linkkit import shared_engine

    engine = shared_engine()
    try:
        compiled = Component(engine, data)
        linker = Linker(engine)
        with linker.root() as root:
            for name in sorted(compiled.type.imports(engine)):
                with root.add_instance(name) as instance:
                    instance.add_func("run", _host_run(name))
        store = Store(engine)
        instance = linker.instantiate(store, compiled)
    except Exception as err:
        if "not implemented" in str(err):  # wasmtime's limits (re-exported imports), not ours
            log.append(f"wasmtime: cannot run it: {str(err).splitlines()[-1].strip()}")
            return None
        return Problem(
            "runtime-error",
            f"wasmtime could not instantiate the composition: {err}",
            "runtime-error:instantiate:"
            + re.sub(r"[0-9]+", "N", str(err).splitlines()[0] if str(err) else "")[:120],
            {
                "wacpy": "encoded",
                "wasm-tools validate": "accepted",
                "wasmtime": str(err)[:500],
                "log": " | ".join(log[-8:]),
            },
        )
    for export, node in model.exports.items():
        path = model.export_path(node, export)
        want: str | int = model.answer(node, arg)
        if model.result_type(node) == "u32":
            want = len(str(want).encode())
        index = None
        for step in path:
            index = (
                instance.get_export_index(store, step, index)
                if index is not None
                else instance.get_export_index(store, step)
            )
            if index is None:
                return Problem(
                    "wrong-wiring",
                    f"export path {path} is missing from the composition",
                    "wrong-wiring:missing-export",
                    {"model": f"{'/'.join(path)} answers {want!r}", "log": " | ".join(log[-8:])},
                )
        func = instance.get_func(store, index) if index is not None else None
        if func is None:
            return Problem("wrong-wiring", f"{path} is not a function", "wrong-wiring:not-a-function", {})
        try:
            got = func(store, arg)
            func.post_return(store)
        except Exception as err:
            return Problem(
                "runtime-error",
                f"calling {'/'.join(path)} trapped: {err}",
                "runtime-error:call",
                {"wasmtime": str(err)[:500], "log": " | ".join(log[-8:])},
            )
        if got != want:
            return Problem(
                "wrong-wiring",
                f"{'/'.join(path)}({arg!r}) answered {got!r}, the wiring says {want!r}",
                "wrong-wiring:answer",
                {"model": repr(want), "wasmtime": repr(got), "log": " | ".join(log[-8:])},
            )
    return None


def _host_run(name: str) -> Callable[[Any, str], str]:
    def run(store: Any, arg: str) -> str:
        return host_answer(name, arg)

    return run


# --------------------------------------------------------------------------------------------------
# Plug programs: ``compose(root, plugs)``


def _semver_key(name: str) -> str:
    """``pkg/iface@1.2.3`` -> ``pkg/iface@1``; ``@0.2.3`` -> ``@0.2`` (the model's own reading)."""
    base, _, version = name.partition("@")
    major, minor = [*version.split("."), "", ""][:2]
    return f"{base}@{major}" if major != "0" else f"{base}@0.{minor}"


def _plug_model(links: list[dict[str, Any]]) -> tuple[str, _Model]:
    """The outcome ``compose(links[0], links[1:])`` should have, and on success a :class:`_Model`
    of its wiring: each import goes to the nearest plug after the importer exporting a
    semver-compatible name, else the nearest before it; one already on the path is left unwired."""
    model = _Model(links)
    plugs = links[1:]
    outcome = "ok"
    made: dict[int, int] = {}  # position (-1: the root) -> model node

    def wire(position: int, stack: tuple[int, ...]) -> int:
        nonlocal outcome
        if position in made:
            return made[position]
        node = len(model.nodes)
        model.nodes[node] = ("instance", position + 1)
        model.args[node] = {}
        made[position] = node
        for name in links[position + 1]["imports"]:
            serving = [q for q, plug in enumerate(plugs) if _semver_key(plug["export"]) == _semver_key(name)]
            after = [q for q in serving if q > position]
            before = [q for q in serving if q < position]
            chosen = after[0] if after else (before[-1] if before else None)
            if chosen is None or chosen in stack:
                continue
            source = wire(chosen, (*stack, position))
            alias = len(model.nodes)
            model.nodes[alias] = ("alias", source, plugs[chosen]["export"])
            model.args[node][name] = alias
            if plugs[chosen]["result_type"] != "string" and outcome == "ok":
                outcome = "ArgumentTypeMismatchError"
        return node

    root = wire(-1, ())
    if outcome == "ok" and any(q not in made for q in range(len(plugs))):
        outcome = "UnusedPlugError"
    alias = len(model.nodes)
    model.nodes[alias] = ("alias", root, links[0]["export"])
    model.exports[links[0]["export"]] = alias
    return outcome, model


def _attempt(call: Callable[[], bytes]) -> bytes | BaseException:
    try:
        return call()
    except Exception as err:
        return err


def _run_plug_program(program: Program, limit: float) -> Outcome:
    """``compose(root, plugs)`` with validation off and on, and its outline: every accepted
    composition is the outline's guess (or it declined), validation changes nothing but the
    check, the outcome is the model's, and the result answers as the model wires it."""
    from wacpy import compose
    from wacpy.compose.plug import _outline_compose

    log: list[str] = []
    links = [c["link"] for c in program["components"]]
    datas = [_component_bytes(c) for c in program["components"]]
    with time_limit(limit * 5):
        plain = _attempt(lambda: compose(datas[0], datas[1:], validate=False))
        outline = _attempt(lambda: _outline_compose(datas[0], datas[1:]) or b"")
        checked = _attempt(lambda: compose(datas[0], datas[1:]))
    for result, where in ((plain, "compose"), (outline, "outline"), (checked, "compose (validated)")):
        if isinstance(result, BaseException):
            log.append(f"{where} -> {type(result).__name__}: {result}")
            problem = _error_problem(result, where, log)
            if problem is not None:
                return Outcome(None, problem, log)
    if isinstance(plain, bytes) and isinstance(outline, bytes) and outline and outline != plain:
        return Outcome(
            None, Problem("outline-mismatch", "the outline composition differs", "outline-mismatch"), log
        )
    same = plain == checked if isinstance(plain, bytes) else type(plain) is type(checked)
    if not same:
        got = checked if isinstance(checked, bytes) else type(checked).__name__
        message = f"validated compose() gave {str(got)[:80]}, unvalidated {str(plain)[:80]}"
        return Outcome(None, Problem("validate-disagrees", message, "validate-disagrees"), log)
    predicted, model = _plug_model(links)
    actual = "ok" if isinstance(plain, bytes) else type(plain).__name__
    if predicted != actual:
        return Outcome(None, _disagreement({"op": "plug", "id": "compose"}, predicted, actual, "", log), log)
    if not isinstance(plain, bytes):
        return Outcome(None, None, log)
    problem = _check_answers(plain, model, program.get("arg", "x"), log)
    if problem is not None:
        return Outcome(plain, problem, log)
    return Outcome(plain, None, log, checked=0 if log and log[-1].startswith("wasmtime:") else 1)


# --------------------------------------------------------------------------------------------------
# Generating programs


def _link_program(rng: random.Random) -> Program:
    n = rng.randint(1, 6)
    dag = [sorted(rng.sample(range(i + 1, n), k=min(n - i - 1, rng.randint(0, 2)))) for i in range(n)]
    components: list[dict[str, Any]] = []
    for i, deps in enumerate(dag):
        imports = [iface(j) for j in deps]
        if rng.random() < 0.1:
            imports.append("test:chain/host@1.0.0")  # left to the host (or an explicit import)
        result_type = "u32" if rng.random() < 0.08 else "string"
        components.append(
            {
                "name": f"n{i}",
                "link": {"name": f"n{i}", "imports": imports, "export": iface(i), "result_type": result_type},
            }
        )
    ops: list[dict[str, Any]] = []
    instances: list[int] = []

    def add(op: dict[str, Any]) -> int:
        op["id"] = len(ops)
        ops.append(op)
        return len(ops) - 1

    for i in range(n):
        instances.append(add({"op": "instantiate", "package": i}))
    if rng.random() < 0.15:  # a second instance of some package
        instances.append(add({"op": "instantiate", "package": rng.randrange(n)}))
    aliases: dict[int, int] = {}
    for k, inst in enumerate(instances):
        package = ops[inst]["package"]
        export = iface(package) if rng.random() > 0.05 else iface(package + 1)
        aliases[k] = add({"op": "alias", "node": inst, "export": export})
    if rng.random() < 0.1:
        add({"op": "alias", "node": aliases[0], "export": "run"})
    explicit: list[int] = []
    if rng.random() < 0.2:
        with_imports = [i for i, c in enumerate(components) if c["link"]["imports"]]
        if with_imports:
            package = rng.choice(with_imports)
            name, valid = rng.choice(_IMPORT_NAMES)
            like = [package, components[package]["link"]["imports"][0]]
            explicit.append(add({"op": "import", "name": name, "valid": valid, "like": like}))
            if rng.random() < 0.2:
                add({"op": "import", "name": name, "valid": valid, "like": like})
    for inst in instances:
        for dep_name in components[ops[inst]["package"]]["link"]["imports"]:
            if rng.random() < 0.1:
                continue  # left unsatisfied: an implicit import
            roll = rng.random()
            if dep_name.startswith("test:chain/host") or roll < 0.05:
                if not explicit:
                    continue
                node = rng.choice(explicit)
            elif roll < 0.1:
                node = inst  # a cycle onto itself (or a type mismatch)
            elif roll < 0.15:
                node = rng.choice(list(aliases.values()))
            else:
                j = int(dep_name.rsplit("-", 1)[1].split("@")[0])
                candidates = [aliases[m] for m, other in enumerate(instances) if ops[other]["package"] == j]
                node = rng.choice(candidates) if candidates else rng.choice(list(aliases.values()))
            name = dep_name if rng.random() > 0.04 else "test:chain/nope@1.0.0"
            add({"op": "arg", "instance": inst, "name": name, "node": node})
            if rng.random() < 0.04:
                add({"op": "arg", "instance": inst, "name": name, "node": node})
    if rng.random() < 0.05 and len(instances) > 1:  # a back edge: usually a cycle
        add({"op": "arg", "instance": instances[-1], "name": iface(0), "node": aliases[0]})
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        name, valid = (
            rng.choice(_EXPORT_NAMES) if rng.random() < 0.3 else (f"test:chain/link-{0}@1.0.0", True)
        )
        choices = list(aliases.values()) + instances + explicit
        node = aliases[0] if rng.random() < 0.6 else rng.choice(choices)
        add({"op": "export", "node": node, "name": name, "valid": valid})
    return {
        "kind": "link",
        "components": components,
        "ops": ops,
        "allow_imports": rng.random() < 0.8,
        "arg": rng.choice(("x", "", "ab", "é")),
    }


def _plug_program(rng: random.Random) -> Program:
    """A root and plugs: the root imports what the plugs export (now and then one too few), plugs
    import other plugs' interfaces or one nobody exports, some export another plug's interface (so
    several serve it: the nearest wins) and a few return u32 where string is expected."""
    n = rng.randint(1, 5)
    names = [f"test:plug/i{k}@1.0.{rng.randint(0, 2)}" for k in range(n)]
    exports = [names[j] if j == 0 or rng.random() > 0.2 else rng.choice(names[:j]) for j in range(n)]
    root_imports = [x for x in dict.fromkeys(exports) if rng.random() > 0.1]
    specs = [("root", root_imports, "test:plug/out@1.0.0", "string")]
    for j in range(n):
        pool = [*names, "test:plug/loose@1.0.0"]  # earlier ones too: served from before, or cycles
        imports = [x for x in rng.sample(pool, k=min(len(pool), rng.randint(0, 2))) if x != exports[j]]
        result_type = "u32" if rng.random() < 0.1 else "string"
        specs.append((f"p{j}", imports, exports[j], result_type))
    components = [
        {"name": name, "link": {"name": name, "imports": imports, "export": export, "result_type": result}}
        for name, imports, export, result in specs
    ]
    return {"kind": "plug", "components": components, "ops": [], "arg": rng.choice(("x", "", "é"))}


@dataclass
class _Generated:
    """A wit-smith component of the corpus with its import and export names."""

    name: str
    data: bytes
    imports: list[str]
    exports: list[str]


def _generated_program(rng: random.Random, group: list[_Generated]) -> Program:
    chosen = [rng.choice(group) for _ in range(rng.randint(1, min(4, len(group) + 1)))]
    components = [{"name": f"g{i}", "wasm": base64.b64encode(c.data).decode()} for i, c in enumerate(chosen)]
    ops: list[dict[str, Any]] = []

    def add(op: dict[str, Any]) -> int:
        op["id"] = len(ops)
        ops.append(op)
        return len(ops) - 1

    instances = [add({"op": "instantiate", "package": i}) for i in range(len(chosen))]
    exported: dict[str, list[int]] = {}
    for k, inst in enumerate(instances):
        for export in chosen[k].exports:
            if rng.random() < 0.7:
                exported.setdefault(export, []).append(add({"op": "alias", "node": inst, "export": export}))
    for k, inst in enumerate(instances):
        for name in chosen[k].imports:
            if name in exported and rng.random() < 0.8:
                add({"op": "arg", "instance": inst, "name": name, "node": rng.choice(exported[name])})
            elif exported and rng.random() < 0.15:
                add(
                    {
                        "op": "arg",
                        "instance": inst,
                        "name": name,
                        "node": rng.choice(rng.choice(list(exported.values()))),
                    }
                )
    used: set[str] = set()
    for name, aliases in exported.items():
        if rng.random() < 0.5 and name not in used:
            used.add(name)
            add({"op": "export", "node": rng.choice(aliases), "name": name, "valid": True})
    return {"kind": "generated", "components": components, "ops": ops, "allow_imports": True}


class ComposeTarget(Target):
    name = "compose"
    suffix = ".json"

    @classmethod
    def seed_corpus(cls, corpus: Path) -> None:
        seeds = corpus_components(max_size=65536, wat=False)
        write_seeds(corpus, {k: v for k, v in seeds.items() if k.startswith("wit-smith--")}, ".wasm")

    def prepare(self, corpus: Path) -> None:
        from wacpy import decode
        from wacpy.types import component_type

        groups: dict[str, list[_Generated]] = {}
        for name, data in read_corpus(corpus).items():
            parts = name.split("--")
            try:
                ctype = component_type(decode(data))
            except (DecodeError, WacpyError):
                continue
            generated = _Generated(name, data, list(ctype.imports), list(ctype.exports))
            groups.setdefault(parts[1] if len(parts) > 2 else name, []).append(generated)
        self.groups = [g for g in groups.values() if any(c.imports for c in g) or len(g) > 1]

    def check(self, data: bytes) -> Problem | None:
        program = json.loads(data)
        try:
            return run_program(program, self.options.time_limit).problem
        except Exception as err:  # a harness bug is reported, never hidden
            return crash_problem("harness-error", err)

    def generate(self, rng: random.Random) -> Iterator[Case]:
        while True:
            roll = rng.random()
            if self.groups and roll < 0.35:
                program = _generated_program(rng, rng.choice(self.groups))
            elif roll < 0.55:
                program = _plug_program(rng)
            else:
                program = _link_program(rng)
            yield Case(json.dumps(program).encode(), {"generator": f"{program['kind']} program"})

    def classify(self, data: bytes, ctx: WorkerContext) -> Problem | None:
        program = json.loads(data)
        try:
            outcome = run_program(program, self.options.time_limit)
        except Exception as err:
            return crash_problem("harness-error", err)
        accepted = outcome.data is not None
        ctx.counters[f"{program['kind']}: {'encoded' if accepted else 'rejected'}"] += 1
        if outcome.checked:
            ctx.counters[f"{program['kind']}: ran as wired"] += 1
        return outcome.problem

    def minimize(self, data: bytes, problem: Problem, deadline: float) -> tuple[bytes, str]:
        program = json.loads(data)
        test = self.same_problem(problem)

        def keep(ops: list[dict[str, Any]]) -> bool:
            return test(json.dumps({**program, "ops": ops}).encode())

        ops = ddmin(program["ops"], keep, deadline)
        smaller = {**program, "ops": ops}
        text = json.dumps(smaller, indent=1).encode()
        return text, f"delta debugging (ops: {len(program['ops'])} -> {len(ops)})"


TARGET = ComposeTarget
