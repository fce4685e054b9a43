"""Framework test components built from C: the test tool (``fixtures/mcp_tool/tool.c``) with zig and
the framework's flags and WIT (:mod:`testkit.framework`), the session tools
(``fixtures/session_tools/tools.c``) as an author's C project, and a skip for tests whose shipped
framework components are not built yet."""

from __future__ import annotations

import shutil
from pathlib import Path

from testkit import framework
from wacpy._zig import zig_cc
from wacpy.authoring import build_project, new_project
from wacpy.compose.graph import CompositionGraph, NodeId
from wacpy.tools import run_wasm_tools

__all__ = [
    "COMPONENTS",
    "REPO",
    "SESSION_TOOLS_SOURCE",
    "TOOL_SOURCE",
    "build_session_tools",
    "build_tool",
    "compile_c",
    "context_provider",
    "require_components",
    "session_store",
]

REPO = Path(__file__).resolve().parent.parent
COMPONENTS = REPO / "wacpy" / "mcp" / "components"
TOOL_SOURCE = Path(__file__).resolve().parent / "fixtures" / "mcp_tool" / "tool.c"
SESSION_TOOLS_SOURCE = Path(__file__).resolve().parent / "fixtures" / "session_tools" / "tools.c"


def compile_c(source: Path, out: Path, *flags: str) -> None:
    done = zig_cc([source], out, cache_dir=out.parent / "zig", flags=(*framework.ZIG_FLAGS, *flags))
    assert done.returncode == 0, done.stderr


def build_tool(work: Path, *flags: str) -> bytes:
    """The test tool: freestanding C made a ``tools-provider`` component (``flags``: e.g.
    ``-DEXTRA_TOOLS``)."""
    wit = work / "wit"
    if not wit.exists():
        wit.mkdir()
        framework.wit_dir(wit)
    core = work / f"tool{'-'.join(('', *flags)).lower()}.core.wasm"
    compile_c(TOOL_SOURCE, core, *flags)
    embedded = run_wasm_tools("component", "embed", str(wit), "--world", "tools-provider", str(core))
    return run_wasm_tools("component", "new", "-", stdin=embedded)


def build_session_tools(parent: Path) -> bytes:
    """The session tools (``count``, ``remember``, ``ask``, ...) built the way authors build a C
    project: ``new_project`` in ``parent`` with the source in place of the template's, then
    ``build_project``."""
    root = new_project("counter", language="c", template="tools", parent=parent)
    shutil.copy(SESSION_TOOLS_SOURCE, root / "component.c")
    return build_project(root).output.read_bytes()


def require_components(*names: str) -> None:
    import pytest  # only tests skip; benches import this module without pytest

    missing = [name for name in names if not (COMPONENTS / f"{name}.wasm").is_file()]
    if missing:
        pytest.skip(f"framework components not built yet: {', '.join(missing)}")


STORE = "wacpy:mcp/store@0.1.0"


def session_store(graph: CompositionGraph, components: Path = COMPONENTS, kind: str = "none") -> NodeId:
    """The ``store`` export of an instance of the shipped ``session-store-<kind>`` in ``graph``."""
    node = graph.instantiate(graph.register("session-store", components / f"session-store-{kind}.wasm"))
    return graph.alias_export(node, STORE)


def context_provider(
    graph: CompositionGraph, components: Path = COMPONENTS, store: NodeId | None = None
) -> NodeId:
    """An instance of the shipped context provider in ``graph`` given ``store`` (by default a
    ``session-store-none``: a stateless chain), as compose_server wires them."""
    provider = graph.instantiate(graph.register("context-provider", components / "context-provider.wasm"))
    graph.set_argument(provider, STORE, session_store(graph, components) if store is None else store)
    return provider
