"""The link-component factory of ``testkit/linkkit.py``: valid binaries, the right WIT, the right answers.

Components with imports are run after composing them with ``wasm-tools compose`` (an independent
composer), which also checks the canonical-ABI code of the imported ``run`` lowering.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from testkit.linkkit import LinkkitError, call_run, link_component
from wacpy.tools import run_wasm_tools, validate

LINK = "test:chain/link@1.0.0"
LINK_B = "test:chain/link-b@1.0.0"


def wit_of(component: bytes) -> str:
    return run_wasm_tools("component", "wit", stdin=component).decode()


def world_lines(component: bytes) -> list[str]:
    """The ``import ...;`` / ``export ...;`` lines of the component's world, in order."""
    return [
        line.strip()
        for line in wit_of(component).splitlines()
        if line.strip().startswith(("import ", "export "))
    ]


def compose(root: bytes, work: Path, deps: dict[str, bytes], config: str | None = None) -> bytes:
    """``wasm-tools compose`` (dependency names must be kebab-case: they become file names)."""
    (work / "root.wasm").write_bytes(root)
    args = ["compose", str(work / "root.wasm")]
    for name, data in deps.items():
        (work / f"{name}.wasm").write_bytes(data)
    if config is None:
        for name in deps:
            args += ["-d", str(work / f"{name}.wasm")]
    else:
        (work / "compose.yml").write_text(config)
        args += ["-c", str(work / "compose.yml")]
    return run_wasm_tools(*args)


def test_leaf_validates_and_runs() -> None:
    leaf = link_component("a")
    validate(leaf)
    assert world_lines(leaf) == [f"export {LINK};"]
    assert "run: func(s: string) -> string;" in wit_of(leaf)
    assert call_run(leaf, LINK, "x") == "a<x>"
    assert call_run(leaf, LINK, "") == "a<>"
    assert call_run(leaf, LINK, "héllo ✓ 🦀") == "a<héllo ✓ 🦀>"


def test_kebab_names_and_other_export() -> None:
    leaf = link_component("Node-7-xy", export=LINK_B)
    validate(leaf)
    assert world_lines(leaf) == [f"export {LINK_B};"]
    assert call_run(leaf, LINK_B, "q") == "Node-7-xy<q>"


def test_long_argument_grows_memory() -> None:
    arg = "z" * 200_000  # > 3 pages with the copy the host makes into the guest
    assert call_run(link_component("big"), LINK, arg) == f"big<{arg}>"


def test_component_with_imports_validates_and_lists_them() -> None:
    comp = link_component("a", (LINK, LINK_B))
    validate(comp)
    assert world_lines(comp) == [f"import {LINK};", f"import {LINK_B};", f"export {LINK};"]
    wit = wit_of(comp)
    assert "interface link-b {\n    run: func(s: string) -> string;" in wit


def test_u32_variant_validates_and_returns_the_length() -> None:
    comp = link_component("a", result_type="u32")
    validate(comp)
    assert "run: func(s: string) -> u32;" in wit_of(comp)
    assert call_run(comp, LINK, "xyz") == len("a<xyz>")
    assert call_run(comp, LINK, "é") == len("a<é>".encode())  # UTF-8 bytes
    with_imports = link_component("a", (LINK_B,), result_type="u32")
    validate(with_imports)


def test_chain_composed_by_wasm_tools_runs(tmp_path: Path) -> None:
    composed = compose(link_component("a", (LINK,)), tmp_path, {"b": link_component("b")})
    validate(composed)
    assert call_run(composed, LINK, "x") == "a(b<x>)"


def test_dag_composed_by_wasm_tools_shows_its_wiring(tmp_path: Path) -> None:
    config = f"""dependencies:
  b: b.wasm
  c: c.wasm
instantiations:
  root:
    arguments:
      "{LINK}": {{ instance: b, export: "{LINK}" }}
      "{LINK_B}": {{ instance: c, export: "{LINK_B}" }}
  b:
    arguments:
      "{LINK_B}": {{ instance: c, export: "{LINK_B}" }}
"""
    deps = {"b": link_component("b", (LINK_B,)), "c": link_component("c", (), LINK_B)}
    composed = compose(link_component("a", (LINK, LINK_B)), tmp_path, deps, config)
    validate(composed)
    # Repeated calls on one instance would trap without post-return; each call_run is a fresh instance,
    # and every nested call went through post-return (the heap reset) of b and c.
    assert call_run(composed, LINK, "x") == "a(b(c<x>),c<x>)"
    assert call_run(composed, LINK, "") == "a(b(c<>),c<>)"


def test_call_run_refuses_components_with_imports() -> None:
    with pytest.raises(LinkkitError, match=r"still has imports \['test:chain/link@1.0.0'\]"):
        call_run(link_component("a", (LINK,)), LINK, "x")


def test_call_run_reports_a_missing_interface() -> None:
    with pytest.raises(LinkkitError, match=r"exports no 'test:chain/other@1\.0\.0'"):
        call_run(link_component("a"), "test:chain/other@1.0.0", "x")


def test_binaries_are_cached() -> None:
    assert link_component("a", [LINK]) is link_component("a", (LINK,))


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="duplicate import"):
        link_component("a", (LINK, LINK))
    with pytest.raises(ValueError, match="result_type"):
        link_component("a", result_type="u64")
    with pytest.raises(TypeError):
        link_component("a", LINK)
    with pytest.raises(LinkkitError, match="cannot build"):
        link_component("a", ("not an interface name",))
