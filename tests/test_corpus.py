"""The test corpus itself: every component it builds must be valid for wasm-tools.

The builders cache their output (see ``testkit/corpus/build.py``); the first run builds the
componentize-py component, which takes 10-20 s.
"""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path

import pytest

from testkit.corpus import build

WAT_NAMES = sorted(path.stem for path in build.WAT_DIR.glob("*.wat"))


def _validate(data: bytes, features: list[str]) -> None:
    args = ["validate", "-"]
    if features:
        args += ["--features", ",".join(features)]
    done = subprocess.run([build.wasm_tools_path(), *args], input=data, capture_output=True)
    assert done.returncode == 0, done.stderr.decode(errors="replace")


@cache
def _wat() -> dict[str, tuple[bytes, list[str]]]:
    return build.wat_components()


def test_corpus_has_wat_files() -> None:
    assert len(WAT_NAMES) >= 15


@pytest.mark.parametrize("name", WAT_NAMES)
def test_wat_assembles_and_validates(name: str) -> None:
    binary, features = _wat()[name]
    assert binary[:8] == b"\0asm\x0d\x00\x01\x00", "not a component"
    _validate(binary, features)


def test_wat_feature_headers_are_known() -> None:
    known = subprocess.run(
        [build.wasm_tools_path(), "validate", "--features", "bogus-feature", "-"],
        input=b"",
        capture_output=True,
    ).stderr.decode()
    for name in WAT_NAMES:
        for feature in _wat()[name][1]:
            assert f" {feature}," in known or f" {feature}\n" in known, f"{name}: unknown feature {feature}"


def test_inventory_mentions_every_wat_file() -> None:
    inventory = (Path(build.CORPUS_DIR) / "INVENTORY.md").read_text(encoding="utf-8")
    missing = [name for name in WAT_NAMES if f"{name}.wat" not in inventory]
    assert not missing, f"INVENTORY.md does not describe {missing}"


def test_names_section_file_has_component_name_section() -> None:
    binary, _ = _wat()["names_section"]
    assert b"component-name" in binary


def test_wit_smith_components() -> None:
    result = build.wit_smith_build(60)
    assert len(result.components) >= 50, result.skipped
    for data in result.components.values():
        _validate(data, [])


def test_c_component() -> None:
    data = build.c_component()
    _validate(data, [])


def test_c_component_runs() -> None:
    wasmtime = pytest.importorskip("wasmtime")
    component = pytest.importorskip("wasmtime.component")
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    instance = component.Linker(engine).instantiate(store, component.Component(engine, build.c_component()))
    iface = instance.get_export_index(store, "wacpy:corpus/tools@0.1.0")

    def call(name: str, *args: object) -> object:
        func = instance.get_func(store, instance.get_export_index(store, name, iface))
        result = func(store, *args)
        func.post_return(store)
        return result

    assert call("echo", "héllo") == "héllo"
    stats = call("summarize", "n", [1, 2, 4_000_000_000])
    assert (stats.count, stats.total, stats.label) == (3, 4_000_000_003, "n")  # type: ignore[attr-defined]
    assert call("words", " a  bc ") == ["a", "bc"]


def test_python_component() -> None:
    data = build.python_component()
    assert len(data) > 1_000_000
    _validate(data, [])
