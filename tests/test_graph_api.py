"""The composition graph through its Python API: what a graph file cannot say, and encoding properties.

Graph files (``tests/graphs/``) cannot make explicit imports, pass one argument twice, alias out of an
alias, or wire instances into a cycle; these tests do, with tiny components written as WAT.
"""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path

import pytest

from tests.conftest import component_from_wit
from tests.test_graphs import CASES, build_inputs, run_case
from wacpy import (
    ArgumentAlreadyPassedError,
    ArgumentTypeMismatchError,
    CompositionGraph,
    CycleError,
    DecodeError,
    ExportNameClashError,
    ImplicitImportConflictError,
    ImportAlreadyExistsError,
    ImportMergeConflictError,
    InvalidNameError,
    MissingArgumentError,
    NotAnInstanceError,
    PackageAlreadyRegisteredError,
    UnknownArgumentError,
    UnknownItemError,
    UnsupportedCompositionError,
    ValidationError,
    compose,
    decode,
)
from wacpy.binary.ast import NameSection, PrimValType, Sort, SortNamesSubsection
from wacpy.compose import NodeId, PackageId
from wacpy.tools import ExternalToolError, print_wat, run_wasm_tools
from wacpy.types import component_type
from wacpy.types.model import ComponentT, FuncT, InstanceT


def wat(text: str) -> bytes:
    return run_wasm_tools("parse", "-", stdin=text.encode())


# Imports instance `i` (with a func `f`) and exports it again: instances of it can be chained.
PASS_THROUGH = wat('(component (import "i" (instance $i (export "f" (func)))) (export "i" (instance $i)))')
# Imports func `a` and exports it as `run`.
FUNC_USER = wat('(component (import "a" (func $a)) (export "run" (func $a)))')
# Imports and exports two funcs of different types.
TWO_FUNCS = wat(
    """(component
      (import "f" (func $f))
      (import "g" (func $g (param "n" u32) (result u32)))
      (export "f" (func $f))
      (export "g" (func $g)))"""
)
LOG_TEXT = wat('(component (import "log" (func (param "msg" string))))')

LOGGER_WIT = """
package test:logger;
world logger {
  import sink: func(msg: string);
  export log: func(msg: string);
}
"""
APP_WIT = """
package test:app;
world app {
  import log: func(msg: string);
  export run: func();
}
"""


@pytest.fixture(scope="module")
def logger_app(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    tmp = tmp_path_factory.mktemp("logger-app")
    return component_from_wit(tmp, LOGGER_WIT, "logger"), component_from_wit(tmp, APP_WIT, "app")


def logger_app_graph(logger: bytes, app: bytes) -> CompositionGraph:
    """app's `log` is logger's `log`; logger's `sink` stays an import; app's `run` is exported."""
    graph = CompositionGraph()
    logger_pkg = graph.register("logger", logger)
    app_pkg = graph.register("app", app)
    log_node = graph.instantiate(logger_pkg, "log-sink")
    app_node = graph.instantiate(app_pkg, "main-app")
    graph.set_argument(app_node, "log", graph.alias_export(log_node, "log"))
    graph.export(graph.alias_export(app_node, "run"), "run")
    return graph


def names_of(data: bytes, sort: Sort) -> list[tuple[int, str]]:
    for section in decode(data).sections:
        if isinstance(section, NameSection):
            for sub in section.subsections:
                if isinstance(sub, SortNamesSubsection) and sub.sort == sort:
                    return [(assoc.index, assoc.name) for assoc in sub.names]
    return []


# --------------------------------------------------------------------------------------------------
# Errors while building the graph


def test_passing_an_instance_its_own_export_is_a_cycle() -> None:
    graph = CompositionGraph()
    node = graph.instantiate(graph.register("pass", PASS_THROUGH))
    with pytest.raises(CycleError, match=r"instance `pass`"):
        graph.set_argument(node, "i", graph.alias_export(node, "i"))
    assert graph.node(node).args == {}  # type: ignore[union-attr]


def test_cycle_through_three_instances_is_detected() -> None:
    graph = CompositionGraph()
    pkg = graph.register("pass", PASS_THROUGH)
    a, b, c = (graph.instantiate(pkg, name) for name in ("a", "b", "c"))
    graph.set_argument(b, "i", graph.alias_export(a, "i"))
    graph.set_argument(c, "i", graph.alias_export(b, "i"))
    with pytest.raises(CycleError, match=r"export `i` of instance `c` to instance `a` makes a cycle"):
        graph.set_argument(a, "i", graph.alias_export(c, "i"))
    # The rejected edge was not added: the chain still encodes, a's `i` becoming an import.
    printed = print_wat(graph.encode())
    assert printed.count('\n  (import "i"') == 1  # at the top level, not inside the embedded components


def test_argument_already_passed() -> None:
    graph = CompositionGraph()
    pkg = graph.register("user", FUNC_USER)
    func = graph.package(pkg).type.imports["a"]
    first, second = graph.import_("first", func), graph.import_("second", func)
    node = graph.instantiate(pkg)
    graph.set_argument(node, "a", first)
    with pytest.raises(
        ArgumentAlreadyPassedError, match=r"argument `a` of instance `user` is already passed"
    ):
        graph.set_argument(node, "a", second)


def test_unknown_argument_lists_the_imports() -> None:
    graph = CompositionGraph()
    pkg = graph.register("user", FUNC_USER)
    node = graph.instantiate(pkg)
    arg = graph.import_("x", graph.package(pkg).type.imports["a"])
    with pytest.raises(UnknownArgumentError, match=r"instance `user` has no import `b` \(its imports: a\)"):
        graph.set_argument(node, "b", arg)


def test_argument_type_mismatch_from_an_explicit_import() -> None:
    graph = CompositionGraph()
    pkg = graph.register("pass", PASS_THROUGH)
    func = graph.import_("f", FuncT(()))
    with pytest.raises(ArgumentTypeMismatchError, match=r"instance `pass`: argument i: expected instance"):
        graph.set_argument(graph.instantiate(pkg), "i", func)


@pytest.mark.parametrize("kind", ["import", "alias"])
def test_set_argument_on_something_not_an_instantiation(kind: str) -> None:
    graph = CompositionGraph()
    pkg = graph.register("user", FUNC_USER)
    func = graph.package(pkg).type.imports["a"]
    target = (
        graph.import_("t", func) if kind == "import" else graph.alias_export(graph.instantiate(pkg), "run")
    )
    with pytest.raises(NotAnInstanceError, match=r"is not an instantiation"):
        graph.set_argument(target, "a", graph.import_("arg", func))


def test_alias_out_of_a_func_is_not_an_instance() -> None:
    graph = CompositionGraph()
    run = graph.alias_export(graph.instantiate(graph.register("user", FUNC_USER)), "run")
    with pytest.raises(
        NotAnInstanceError, match=r"export `run` of instance `user` is a func.*not an instance"
    ):
        graph.alias_export(run, "nope")


def test_alias_out_of_an_instance_typed_alias_works() -> None:
    graph = CompositionGraph()
    inner = graph.alias_export(graph.instantiate(graph.register("pass", PASS_THROUGH)), "i")
    graph.export(graph.alias_export(inner, "f"), "f")
    assert list(component_type(decode(graph.encode())).exports) == ["f"]
    with pytest.raises(UnknownItemError, match=r"export `i` of instance `pass` has no export `g`"):
        graph.alias_export(inner, "g")


@pytest.mark.parametrize("name", ["NOT_VALID", "", "a--b", "1abc", "ns:pkg/iface@1.0", "ns:pkg"])
def test_invalid_import_and_export_names(name: str) -> None:
    graph = CompositionGraph()
    with pytest.raises(InvalidNameError, match=r"invalid import name"):
        graph.import_(name, FuncT(()))
    node = graph.instantiate(graph.register("user", FUNC_USER))
    with pytest.raises(InvalidNameError, match=r"invalid export name"):
        graph.export(node, name)


def test_import_already_exists() -> None:
    graph = CompositionGraph()
    graph.import_("foo", FuncT(()))
    with pytest.raises(ImportMergeConflictError, match=r"already imports `foo`"):
        graph.import_("foo", FuncT(()))


def test_export_already_exists() -> None:
    graph = CompositionGraph()
    node = graph.instantiate(graph.register("user", FUNC_USER))
    graph.export(node, "foo")
    with pytest.raises(ExportNameClashError, match=r"already exports `foo`"):
        graph.export(node, "foo")


def test_unknown_package_and_node() -> None:
    graph = CompositionGraph()
    with pytest.raises(UnknownItemError):
        graph.instantiate(PackageId(0))
    with pytest.raises(UnknownItemError):
        graph.export(NodeId(3), "x")


def test_register_reports_unreadable_and_malformed_components(tmp_path: Path) -> None:
    graph = CompositionGraph()
    with pytest.raises(UnknownItemError, match=r"cannot read component `gone`"):
        graph.register("gone", tmp_path / "missing.wasm")
    with pytest.raises(DecodeError, match=r"component `junk`"):
        graph.register("junk", b"\x00asm\x0d\x00\x01\x00\xff")


# --------------------------------------------------------------------------------------------------
# Explicit imports


def test_explicit_import_satisfies_an_argument() -> None:
    graph = CompositionGraph()
    pkg = graph.register("user", FUNC_USER)
    node = graph.instantiate(pkg)
    graph.set_argument(node, "a", graph.import_("my-func", graph.package(pkg).type.imports["a"]))
    graph.export(graph.alias_export(node, "run"), "run")
    ctype = component_type(decode(graph.encode(allow_imports=False)))
    assert list(ctype.imports) == ["my-func"]
    assert list(ctype.exports) == ["run"]


def test_explicit_import_then_conflicting_implicit_import() -> None:
    """An explicit import made before an instance that implicitly imports the same name, typed differently."""
    graph = CompositionGraph()
    graph.import_("log", FuncT((("msg", PrimValType.U32),)))
    graph.instantiate(graph.register("text", LOG_TEXT))
    with pytest.raises(ImportMergeConflictError, match=r"instance `text`: import `log`.*expected string"):
        graph.encode()


def test_implicit_import_then_conflicting_explicit_import() -> None:
    """The same conflict with the nodes made in the other order."""
    graph = CompositionGraph()
    graph.instantiate(graph.register("text", LOG_TEXT))
    graph.import_("log", FuncT((("msg", PrimValType.U32),)))
    with pytest.raises(ImportMergeConflictError):
        graph.encode()


# --------------------------------------------------------------------------------------------------
# Encoding


def test_missing_arguments_with_imports_disallowed(logger_app: tuple[bytes, bytes]) -> None:
    graph = logger_app_graph(*logger_app)
    with pytest.raises(MissingArgumentError, match=r"^unsatisfied imports: instance `log-sink`: `sink`$"):
        graph.encode(allow_imports=False)
    graph.allow_imports = False
    with pytest.raises(MissingArgumentError):
        graph.encode()
    assert graph.encode(allow_imports=True)  # the keyword overrides the attribute


def test_encoding_is_deterministic(logger_app: tuple[bytes, bytes]) -> None:
    graph = logger_app_graph(*logger_app)
    first = graph.encode()
    assert graph.encode() == first
    assert logger_app_graph(*logger_app).encode() == first


def test_validate_false_skips_validation(
    logger_app: tuple[bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    # `wacpy.compose` the attribute is the compose() function, so import the module by its full name.
    options = importlib.import_module("wacpy.compose.options")
    calls: list[bytes] = []

    def failing(data: bytes) -> None:
        calls.append(data)
        raise ExternalToolError("wasm-tools validate failed: pretend")

    monkeypatch.setattr(options, "validate_component", failing)
    graph = logger_app_graph(*logger_app)
    data = graph.encode(validate=False)
    assert calls == []
    with pytest.raises(ValidationError, match=r"does not validate: wasm-tools validate failed: pretend"):
        graph.encode()
    assert calls == [data]


def test_name_section_names_the_composition_components_and_instances(logger_app: tuple[bytes, bytes]) -> None:
    data = logger_app_graph(*logger_app).encode()
    assert names_of(data, Sort.INSTANCE) == [(0, "log-sink"), (1, "main-app")]
    assert names_of(data, Sort.COMPONENT) == [(0, "logger"), (1, "app")]
    printed = print_wat(data)
    assert printed.startswith("(component $composition\n")
    assert "(instance $log-sink (;0;) (instantiate $logger" in printed
    assert "(instance $main-app (;1;) (instantiate $app" in printed


def test_unnamed_instances_take_the_package_name() -> None:
    graph = CompositionGraph()
    pkg = graph.register("pass", PASS_THROUGH)
    graph.instantiate(pkg)
    graph.instantiate(pkg)
    assert [name for _, name in names_of(graph.encode(), Sort.INSTANCE)] == ["pass", "pass"]


def test_name_maps_are_in_index_order(logger_app: tuple[bytes, bytes]) -> None:
    logger, app = logger_app
    graph = CompositionGraph()
    app_pkg = graph.register("app", app)  # registered first, instantiated second
    logger_pkg = graph.register("logger", logger)
    log_node = graph.instantiate(logger_pkg)
    graph.set_argument(graph.instantiate(app_pkg), "log", graph.alias_export(log_node, "log"))
    data = graph.encode()
    for sort in (Sort.COMPONENT, Sort.INSTANCE):
        indices = [index for index, _ in names_of(data, sort)]
        assert indices == sorted(indices)
    assert "(component $app (;1;)" in print_wat(data)


def test_registered_components_are_embedded_byte_for_byte_once(logger_app: tuple[bytes, bytes]) -> None:
    logger, app = logger_app
    graph = logger_app_graph(logger, app)
    graph.instantiate(PackageId(0), "second-logger")  # logger again: embedded once, instantiated twice
    data = graph.encode()
    assert data.count(logger) == 1
    assert data.count(app) == 1
    printed = print_wat(data)
    assert printed.count("(instantiate $logger") == 2


def test_second_export_of_a_sort_is_the_right_item() -> None:
    graph = CompositionGraph()
    node = graph.instantiate(graph.register("two", TWO_FUNCS))
    graph.export(graph.alias_export(node, "f"), "f")
    graph.export(graph.alias_export(node, "g"), "g")
    exports = component_type(decode(graph.encode())).exports
    g = exports["g"]
    assert isinstance(g, FuncT)
    assert [name for name, _ in g.params] == ["n"]


def test_compose_from_bytes_names_packages_root_and_plugs() -> None:
    plug = wat('(component (import "x" (func $x)) (export "a" (func $x)))')
    data = compose(FUNC_USER, [plug])
    ctype = component_type(decode(data))
    assert list(ctype.imports) == ["x"]
    assert list(ctype.exports) == ["run"]
    assert {name for _, name in names_of(data, Sort.COMPONENT)} == {"root", "plug0"}
    assert FUNC_USER in data and plug in data


# --------------------------------------------------------------------------------------------------
# Golden cases that should compose but currently fail (their error.txt pins today's failure)

SHOULD_COMPOSE = [
    "import-resource-alias",  # `y = x` imported as a second fresh resource instead of (eq x)
    "used-resource",  # `my-resource`, `my-resource2` (eq the interface's resource) imported as fresh
    "implicit-resource-import",  # world-level `use`d `x` (eq types.x) imported as a fresh resource
    "use-type-by-id-import",  # the nominal import `area` is imported twice under one name
]


@pytest.mark.parametrize("case", SHOULD_COMPOSE)
def test_golden_case_should_compose(case: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        build_inputs(CASES / case, Path(tmp))
        failed, text = run_case(Path(tmp))
    assert not failed, text


def test_node_type_and_describe() -> None:
    graph = CompositionGraph()
    node = graph.instantiate(graph.register("pass", PASS_THROUGH), "p")
    alias = graph.alias_export(node, "i")
    t = graph.node_type(node)
    assert isinstance(t, InstanceT)
    assert list(t.exports) == ["i"]
    assert isinstance(graph.node_type(alias), InstanceT)
    assert graph.describe(alias) == "export `i` of instance `p`"
    assert graph.describe(graph.import_("imp", FuncT(()))) == "import `imp`"


# --------------------------------------------------------------------------------------------------
# Errors carry the offending items as fields, as well as the message


def test_each_operation_raises_its_error_with_fields() -> None:
    graph = CompositionGraph()
    user = graph.register("test:user@1.0.0", FUNC_USER)
    node = graph.instantiate(user)
    with pytest.raises(PackageAlreadyRegisteredError) as registered:
        graph.register("test:user", FUNC_USER, version="1.0.0")
    assert (registered.value.package, registered.value.existing) == ("test:user@1.0.0", user)
    with pytest.raises(UnknownArgumentError) as unknown:
        graph.set_argument(node, "b", node)
    assert (unknown.value.node, unknown.value.name, unknown.value.package) == (node, "b", "test:user@1.0.0")
    wrong = graph.import_("wrong", FuncT((("x", PrimValType.U8),)), node_name="the-wrong-one")
    with pytest.raises(ArgumentTypeMismatchError) as mismatch:
        graph.set_argument(node, "a", wrong)
    assert (mismatch.value.node, mismatch.value.name, mismatch.value.path) == (node, "a", ["a"])
    right = graph.import_("right", graph.package(user).type.imports["a"])
    graph.set_argument(node, "a", right)
    with pytest.raises(ArgumentAlreadyPassedError) as passed:
        graph.set_argument(node, "a", right)
    assert (passed.value.node, passed.value.name) == (node, "a")
    with pytest.raises(ImportAlreadyExistsError) as exists:
        graph.import_("right", FuncT(()))
    assert (exists.value.name, exists.value.node) == ("right", right)
    with pytest.raises(NotAnInstanceError) as not_instance:
        graph.alias_export(right, "x")
    assert (not_instance.value.node, not_instance.value.kind) == (right, "func()")
    with pytest.raises(InvalidNameError) as invalid:
        graph.export(node, "Not_Valid")
    assert (invalid.value.name, invalid.value.kind) == ("Not_Valid", "export")
    run = graph.alias_export(node, "run")
    graph.export(run, "run")
    with pytest.raises(ExportNameClashError) as clash:
        graph.export(node, "RUN")
    assert (clash.value.name, clash.value.existing, clash.value.node) == ("RUN", "run", run)
    with pytest.raises(UnknownItemError) as missing:
        graph.package_named("test:user", "2.0.0")
    assert missing.value.item == "test:user@2.0.0"
    assert graph.package_named("test:user@1.0.0") == user


def test_cycle_and_missing_argument_errors_name_their_nodes() -> None:
    graph = CompositionGraph()
    pkg = graph.register("pass", PASS_THROUGH)
    a, b = graph.instantiate(pkg, "a"), graph.instantiate(pkg, "b")
    graph.set_argument(b, "i", graph.alias_export(a, "i"))
    with pytest.raises(CycleError) as cycle:
        graph.set_argument(a, "i", graph.alias_export(b, "i"))
    assert cycle.value.node == a and cycle.value.argument is not None
    with pytest.raises(MissingArgumentError) as missing:
        graph.encode(allow_imports=False)
    assert missing.value.missing == [(a, "i")]


def test_an_implicit_import_conflicting_with_an_explicit_one_names_both() -> None:
    graph = CompositionGraph()
    explicit = graph.import_("log", FuncT((("msg", PrimValType.U32),)))
    text = graph.instantiate(graph.register("text", LOG_TEXT))
    with pytest.raises(ImplicitImportConflictError) as conflict:
        graph.encode()
    err = conflict.value
    assert (err.name, err.node, err.package, err.import_node) == ("log", text, "text", explicit)
    assert isinstance(err, ImportMergeConflictError)  # what callers caught before it existed


def test_a_compatible_explicit_import_satisfies_the_implicit_one_of_its_name() -> None:
    graph = CompositionGraph()
    text_pkg = graph.register("text", LOG_TEXT)
    graph.import_("log", graph.package(text_pkg).type.imports["log"])
    graph.instantiate(text_pkg)
    assert list(component_type(decode(graph.encode())).imports) == ["log"]


def test_package_versions_are_parsed_and_checked() -> None:
    graph = CompositionGraph()
    package = graph.package(graph.register("test:a@1.2.3-rc.1", FUNC_USER))
    assert (package.name, package.version, package.key) == ("test:a", "1.2.3-rc.1", "test:a@1.2.3-rc.1")
    other = graph.package(graph.register("test:a", FUNC_USER, version="1.2.4"))
    assert other.key == "test:a@1.2.4"  # another version of the same name is another package
    with pytest.raises(InvalidNameError) as bad:
        graph.register("test:b", FUNC_USER, version="one")
    assert bad.value.kind == "package"


def test_import_and_alias_nodes_are_named_in_the_name_section() -> None:
    graph = CompositionGraph()
    pkg = graph.register("two", TWO_FUNCS)
    node = graph.instantiate(pkg, "funcs")
    f = graph.import_("f", graph.package(pkg).type.imports["f"], node_name="imported-f")
    graph.set_argument(node, "f", f)
    g = graph.import_("g", graph.package(pkg).type.imports["g"])
    graph.set_node_name(g, "imported-g")
    graph.set_argument(node, "g", g)
    graph.export(graph.alias_export(node, "f", name="exported-f"), "f")
    data = graph.encode()
    assert names_of(data, Sort.FUNC) == [(0, "imported-f"), (1, "imported-g"), (2, "exported-f")]
    assert names_of(data, Sort.INSTANCE) == [(0, "funcs")]


def test_packages_can_be_imported_instead_of_embedded() -> None:
    graph = CompositionGraph()
    pkg = graph.register("test:user@1.0.0", FUNC_USER)
    graph.export(graph.alias_export(graph.instantiate(pkg), "run"), "run")
    embedded, imported = graph.encode(), graph.encode(define_components=False)
    assert len(imported) < len(embedded)
    ctype = component_type(decode(imported))
    assert list(ctype.imports) == ["a", "test-user"]  # the component, after the interfaces
    assert isinstance(ctype.imports["test-user"], ComponentT)
    assert names_of(imported, Sort.COMPONENT) == [(0, "test:user@1.0.0")]
    graph = CompositionGraph()
    graph.instantiate(graph.register("a", FUNC_USER, embed=False))  # `a` is also an argument's name
    with pytest.raises(InvalidNameError, match="import_name="):
        graph.encode()


def test_an_instance_type_with_resources_cannot_be_a_type_import_of_the_composition() -> None:
    """Such a type equals only its own definition, so nothing the composition imports matches it."""
    graph = CompositionGraph()
    graph.instantiate(
        graph.register(
            "t",
            wat(
                '(component (type $i (instance (export "r" (type (sub resource))))) (import "i" (type (eq $i))))'
            ),
        )
    )
    with pytest.raises(UnsupportedCompositionError, match=r"import `i`.*declares resources"):
        graph.encode()
