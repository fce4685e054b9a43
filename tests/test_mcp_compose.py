"""`compose_server` / `compose_handler` wiring, checked on components with dummy core code.

The framework and user components here are made from their WIT worlds with
`wasm-tools component embed --dummy`: enough to check how the chain is wired and what the result
imports and exports, without running it (the transport tests run the real components).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from testkit import framework as framework_build
from wacpy import decode
from wacpy.binary.ast import NameSection, Sort, SortNamesSubsection
from wacpy.mcp import FRAMEWORK, ServerCompositionError, compose_handler, compose_server, run_commands
from wacpy.mcp.server import Transport
from wacpy.tools import run_wasm_tools
from wacpy.types import component_type

# Dummy code traps, so compose_server cannot ask these components for their items: it warns.
pytestmark = pytest.mark.filterwarnings("ignore::wacpy.mcp.ServerCompositionWarning")


@pytest.fixture(scope="module")
def wit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """wit/ (mcp.wit, framework.wit) with the WASI packages it uses, as a folder wasm-tools can read."""
    return Path(framework_build.wit_dir(tmp_path_factory.mktemp("wit")))


def dummy(wit: Path, world: str, user_world: str | None = None) -> bytes:
    """A component of ``world`` (of wit/, or ``user_world`` WIT text using it) with dummy code."""
    folder = wit
    if user_world is not None:
        folder = wit.parent / f"user-{abs(hash(user_world))}"
        if not folder.exists():
            shutil.copytree(wit / "deps", folder / "deps")
            (folder / "deps" / "mcp").mkdir()
            for part in ("mcp.wit", "framework.wit"):
                shutil.copy(wit / part, folder / "deps" / "mcp" / part)
            (folder / "user.wit").write_text(f"package test:user;\n{user_world}\n")
    core = run_wasm_tools("component", "embed", str(folder), "--world", world, "--dummy")
    return run_wasm_tools("component", "new", "-", stdin=core)


@pytest.fixture(scope="module")
def framework(wit: Path) -> dict[str, bytes]:
    return {name: dummy(wit, name) for name in FRAMEWORK}


def instance_names(data: bytes) -> list[str]:
    for section in decode(data).sections:
        if isinstance(section, NameSection):
            for sub in section.subsections:
                if isinstance(sub, SortNamesSubsection) and sub.sort is Sort.INSTANCE:
                    return [a.name for a in sub.names]
    return []


def user(wit: Path, *exports: str, imports: tuple[str, ...] = ("context",)) -> bytes:
    lines = [f"  import wacpy:mcp/{i}@0.1.0;" for i in imports] + [
        f"  export wacpy:mcp/{e}@0.1.0;" for e in exports
    ]
    return dummy(wit, "u", "world u {\n" + "\n".join(lines) + "\n}")


def test_server_imports_only_wasi_and_exports_both_transports(wit: Path, framework: dict[str, bytes]) -> None:
    data = compose_server([user(wit, "tools"), user(wit, "prompts")], overrides=framework)
    ctype = component_type(decode(data))
    assert all(name.startswith("wasi:") for name in ctype.imports), list(ctype.imports)
    assert list(ctype.exports) == ["wasi:http/incoming-handler@0.2.12", "wasi:cli/run@0.2.12"]


@pytest.mark.parametrize(
    ("transport", "exports"),
    [("http", ["wasi:http/incoming-handler@0.2.12"]), ("stdio", ["wasi:cli/run@0.2.12"])],
)
def test_transport_choice_selects_the_export(
    wit: Path, framework: dict[str, bytes], transport: str, exports: list[str]
) -> None:
    data = compose_server([user(wit, "tools")], transport=transport, overrides=framework)  # type: ignore[arg-type]
    assert list(component_type(decode(data)).exports) == exports


def test_every_capability_of_a_component_gets_its_middleware_in_chain_order(
    wit: Path, framework: dict[str, bytes], tmp_path: Path
) -> None:
    first, second = tmp_path / "first.wasm", tmp_path / "second.wasm"
    first.write_bytes(user(wit, "tools", "prompts", "completions"))
    second.write_bytes(user(wit, "resources"))
    names = instance_names(compose_server([first, second], overrides=framework))
    chain = [n for n in names if n.endswith("-middleware")]
    # built from the terminal outwards: second's middleware first, first's tools middleware last
    assert chain == [
        "second-resources-middleware",
        "first-completions-middleware",
        "first-prompts-middleware",
        "first-tools-middleware",
    ]
    assert names[:3] == ["session-store", "context-provider", "method-not-found"] and names[-1] == "transport"


def test_component_without_a_capability_is_rejected(wit: Path, framework: dict[str, bytes]) -> None:
    with pytest.raises(ServerCompositionError, match="exports none of the MCP capability interfaces"):
        compose_server([framework["method-not-found"]], overrides=framework)


def test_import_the_chain_cannot_satisfy_is_rejected(wit: Path, framework: dict[str, bytes]) -> None:
    needy = user(wit, "tools", imports=("context", "handler"))
    with pytest.raises(
        ServerCompositionError, match=r"imports `wacpy:mcp/handler@0.1.0`, which the MCP chain cannot"
    ):
        compose_server([needy], overrides=framework)


def test_unknown_override_is_rejected(wit: Path, framework: dict[str, bytes]) -> None:
    with pytest.raises(ServerCompositionError, match="unknown component `nope`"):
        compose_server([user(wit, "tools")], overrides={"nope": b""})


def test_handler_sub_chain_exports_the_handler_and_imports_the_next(
    wit: Path, framework: dict[str, bytes]
) -> None:
    ctype = component_type(decode(compose_handler([user(wit, "tools")], overrides=framework)))
    assert list(ctype.exports) == ["wacpy:mcp/handler@0.1.0"]
    assert set(ctype.imports) == {
        "wacpy:mcp/types@0.1.0",
        "wacpy:mcp/context@0.1.0",
        "wacpy:mcp/handler@0.1.0",
    }


@pytest.mark.parametrize(
    ("transport", "starts"),
    [("both", ["wasmtime serve", "wasmtime run"]), ("http", ["wasmtime serve"]), ("stdio", ["wasmtime run"])],
)
def test_the_printed_commands_serve_the_exported_transports(
    wit: Path, framework: dict[str, bytes], transport: Transport, starts: list[str]
) -> None:
    data = compose_server([user(wit, "tools")], transport=transport, overrides=framework)
    commands = run_commands("out/server.wasm", data)
    assert [c.split(" -")[0] for c in commands] == starts
    assert all(" out/server.wasm " in c for c in commands)
    serve = [c for c in commands if c.startswith("wasmtime serve")]
    assert all(" -Wtimeout=30s " in c and " --max-instance-reuse-count 1000 " in c for c in serve)
    assert all(" --addr 127.0.0.1:8080 " in c for c in serve)
    assert all("timeout" not in c for c in commands if c.startswith("wasmtime run"))
