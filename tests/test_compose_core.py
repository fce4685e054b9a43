"""The compose core's seams: encode options and validators, injected typing, error fields, the
cycle collector left alone, the module layering, section ids in messages."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import component_from_wit
from wacpy import (
    CompositionGraph,
    DecodeError,
    EncodeOptions,
    ExportNameClashError,
    UnknownArgumentError,
    UnusedPlugError,
    ValidationError,
    compose,
    decode,
    gc_paused,
)
from wacpy.compose import OutlineTyper
from wacpy.compose.options import validation_errors
from wacpy.tools import ExternalToolError
from wacpy.types.model import FuncT

WIT = """
package test:core;
interface api { run: func(s: string) -> string; }
world root { import api; export go: func() -> string; }
world plug { export api; }
world other { export other: func(); }
"""


@pytest.fixture(scope="module")
def trio(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes, bytes]:
    tmp = tmp_path_factory.mktemp("core")
    return tuple(component_from_wit(tmp, WIT, world) for world in ("root", "plug", "other"))  # type: ignore[return-value]


def _graph(root: bytes, plug: bytes, **kwargs: object) -> CompositionGraph:
    graph = CompositionGraph(**kwargs)  # type: ignore[arg-type]
    r = graph.instantiate(graph.register("root", root))
    p = graph.instantiate(graph.register("plug", plug))
    graph.set_argument(r, "test:core/api", graph.alias_export(p, "test:core/api"))
    graph.export(graph.alias_export(r, "go"), "go")
    return graph


class _Recording:
    def __init__(self, fail: bool = False) -> None:
        self.seen: list[bytes] = []
        self.fail = fail

    def validate(self, data: bytes) -> None:
        self.seen.append(data)
        if self.fail:
            raise ValidationError("refused", tool_message="refused")


def test_encode_options_choose_the_validator(trio: tuple[bytes, bytes, bytes]) -> None:
    graph = _graph(*trio[:2])
    recording = _Recording()
    data = graph.encode(EncodeOptions(validator=recording))
    assert recording.seen == [data]
    assert graph.encode(EncodeOptions(validate=False, validator=_Recording(fail=True))) == data
    with pytest.raises(ValidationError, match="refused"):
        graph.encode(EncodeOptions(validator=_Recording(fail=True)))
    assert graph.encode(EncodeOptions(validator=_Recording(fail=True)), validate=False) == data


def test_encode_options_define_components_and_allow_imports(trio: tuple[bytes, bytes, bytes]) -> None:
    graph = _graph(*trio[:2])
    imported = graph.encode(EncodeOptions(define_components=False))
    assert imported == graph.encode(define_components=False)
    assert len(imported) < len(graph.encode())
    lone = CompositionGraph()
    lone.instantiate(lone.register("root", trio[0]))
    with pytest.raises(Exception, match="unsatisfied imports"):
        lone.encode(EncodeOptions(allow_imports=False))


def test_an_outline_typed_graph_wires_like_the_full_one(trio: tuple[bytes, bytes, bytes]) -> None:
    outline = _graph(*trio[:2], typer=OutlineTyper())
    assert outline.packages[0].type.exports["go"] == FuncT(())  # a stand-in of the item's kind
    full = _graph(*trio[:2]).encode(validate=False)
    assert outline.encode(validate=False, allow_imports=False) == full


def test_errors_carry_the_offending_items(trio: tuple[bytes, bytes, bytes]) -> None:
    root, plug, other = trio
    graph = CompositionGraph()
    node = graph.instantiate(graph.register("root", root))
    with pytest.raises(UnknownArgumentError) as unknown:
        graph.set_argument(node, "nope", node)
    assert (unknown.value.import_name, unknown.value.node, unknown.value.package) == ("nope", node, "root")
    graph.export(graph.alias_export(node, "go"), "go")
    with pytest.raises(ExportNameClashError) as clash:
        graph.export(graph.alias_export(node, "go"), "go")
    assert clash.value.export_name == "go"
    with pytest.raises(DecodeError) as bad:
        graph.register("broken", root[:-3])
    assert bad.value.component == "broken" and bad.value.offset > 0
    with pytest.raises(UnusedPlugError) as unused:
        compose(root, [plug, other], validate=False)
    assert unused.value.plugs == ["plug1"]
    with pytest.raises(ValidationError) as invalid, validation_errors():
        raise ExternalToolError("wasm-tools validate failed: no")
    assert str(invalid.value) == "the composed component does not validate: wasm-tools validate failed: no"
    assert invalid.value.tool_message == "wasm-tools validate failed: no"


def test_compose_leaves_the_cycle_collector_alone(trio: tuple[bytes, bytes, bytes]) -> None:
    states: list[bool] = []
    gc.callbacks.append(lambda phase, info: None)  # a collection during compose() is allowed
    try:
        with gc_paused():
            states.append(gc.isenabled())
        states.append(gc.isenabled())
        gc.disable()
        compose(trio[0], [trio[1]])
        states.append(gc.isenabled())  # not turned on behind the caller's back
        gc.enable()
        compose(trio[0], [trio[1]])
        states.append(gc.isenabled())
    finally:
        gc.enable()
        gc.callbacks.pop()
    assert states == [False, True, False, True]


def test_the_compose_modules_import_in_layers() -> None:
    """Nodes, encoder and resolution import without the graph; the graph module is never a
    dependency of what it uses (no cycle, no lazy import)."""
    code = (
        "import sys\n"
        "import wacpy.compose.encoder, wacpy.compose.resolution, wacpy.compose.options\n"
        "assert 'wacpy.compose.graph' not in sys.modules, sorted(m for m in sys.modules if 'compose' in m)\n"
    )
    root = Path(__file__).resolve().parent.parent
    # the packages' __init__ modules import the graph: stand bare packages in for them
    bare = "import sys, types\n"
    for package in ("wacpy", "wacpy.compose"):
        folder = root / package.replace(".", "/")
        bare += (
            f"sys.modules[{package!r}] = m = types.ModuleType({package!r}); m.__path__ = [{str(folder)!r}]\n"
        )
    subprocess.run([sys.executable, "-c", bare + code], check=True, cwd=root)


def test_decode_errors_name_sections_by_kind() -> None:
    bad = bytes.fromhex("0061736d0d000100") + bytes((7, 3, 1, 0x73, 0))
    with pytest.raises(DecodeError, match=r"at the end of section 7 \(type\)"):
        decode(bad)
