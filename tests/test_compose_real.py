"""Real-world composition: a C command and a componentize-py component in one graph, run by wasmtime.

``greeter_c_command()`` is wasi-libc C made a component with the WASI preview1 command adapter: it
imports WASI **0.2.12** and ``test:greet/greeter@0.1.0`` and exports ``wasi:cli/run``.
``greeter_python()`` is componentize-py output exporting that interface and importing WASI **0.2.9**.
``wacpy.compose`` must wire them together with every WASI interface imported once, at the newer of
the two versions, and the result must print the Python greeting under ``wasmtime run``.
``wasm-tools compose`` on the same pair is the differential oracle: it composes too, but keeps
both WASI versions side by side as separate imports.

Compiled code goes to a wasmtime cache inside the corpus cache (never ``~/.cache``), so only the
first run pays for compiling the 18 MB composition.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

import wacpy
from testkit.corpus.build import CACHE_DIR, greeter_c_command, greeter_python
from tests.conftest import component_from_wit
from wacpy.tools import run_wasm_tools, validate, wasmtime_path
from wacpy.types import component_type

GREET_IFACE = "test:greet/greeter@0.1.0"
RUN_IFACE = "wasi:cli/run@0.2.12"
NAME = "World"
EXPECTED = f"Hello, {NAME}, from Python!\n"
RUN_TIMEOUT = 300  # seconds; compiling the composition cold takes ~5-10 s on 2 cores

# wacpy bug (see test_compose_alone_keeps_nested_named_types_exported): re-encoding an imported
# instance type inlines a `use`d record/variant without exporting the types nested in it, which
# wasm-tools rejects with "instance not valid to be used as import". Every componentize-py
# component hits it (wasi:sockets/udp and tcp use network.ip-socket-address).


# --------------------------------------------------------------------------------------------------
# Helpers


def split_versioned(name: str) -> tuple[str, str]:
    """``("wasi:io/streams", "0.2.12")`` for ``"wasi:io/streams@0.2.12"`` (``""`` when unversioned)."""
    base, _, version = name.partition("@")
    return base, version


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def imports_of(data: bytes) -> list[str]:
    return list(component_type(wacpy.decode(data)).imports)


def exports_of(data: bytes) -> list[str]:
    return list(component_type(wacpy.decode(data)).exports)


def versions_by_interface(names: Iterable[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name in names:
        base, version = split_versioned(name)
        found.setdefault(base, set()).add(version)
    return found


def wasmtime_cache_config() -> Path:
    """A wasmtime cache config whose directory is inside the corpus cache."""
    directory = CACHE_DIR / "wasmtime"
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "config.toml"
    text = f"[cache]\ndirectory = {json.dumps(str(directory / 'cache'))}\n"
    if not config.is_file() or config.read_text() != text:
        config.write_text(text)
    return config


def wasmtime_run(component: Path, *args: str) -> str:
    """``wasmtime run -S cli COMPONENT ARGS`` and its stdout; a failure fails the test with stderr."""
    argv = [
        wasmtime_path(),
        "run",
        "-C",
        f"cache-config={wasmtime_cache_config()}",
        "-S",
        "cli",
        str(component),
        *args,
    ]
    done = subprocess.run(argv, capture_output=True, timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
    stderr = done.stderr.decode(errors="replace")
    assert done.returncode == 0, f"{' '.join(argv)} exited {done.returncode}:\n{stderr}"
    return done.stdout.decode()


@cache
def wacpy_composed() -> bytes:
    # Cached across tests: the composition embeds an 18 MB component.
    return wacpy.compose(greeter_c_command(), [greeter_python()])


@pytest.fixture(scope="module")
def wasm_tools_composed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``wasm-tools compose`` of the same pair (it wants kebab-case file names)."""
    work = tmp_path_factory.mktemp("wasm-tools-compose")
    (work / "greeter-c.wasm").write_bytes(greeter_c_command())
    (work / "greeter-py.wasm").write_bytes(greeter_python())
    out = work / "composed.wasm"
    run_wasm_tools(
        "compose", str(work / "greeter-c.wasm"), "-d", str(work / "greeter-py.wasm"), "-o", str(out)
    )
    return out


# --------------------------------------------------------------------------------------------------
# The inputs are what the scenario needs


def test_c_command_imports_wasi_0_2_12() -> None:
    data = greeter_c_command()
    imports = imports_of(data)
    assert GREET_IFACE in imports
    wasi = versions_by_interface(name for name in imports if name.startswith("wasi:"))
    assert wasi, imports
    assert all(versions == {"0.2.12"} for versions in wasi.values()), wasi
    assert exports_of(data) == [RUN_IFACE]


def test_python_greeter_imports_wasi_0_2_9() -> None:
    data = greeter_python()
    imports = imports_of(data)
    assert all(name.startswith("wasi:") for name in imports), imports
    wasi = versions_by_interface(imports)
    assert all(versions == {"0.2.9"} for versions in wasi.values()), wasi
    assert GREET_IFACE in exports_of(data)


# --------------------------------------------------------------------------------------------------
# wacpy


def test_wacpy_compose_merges_wasi_versions() -> None:
    composed = wacpy_composed()
    imports = imports_of(composed)
    assert GREET_IFACE not in imports  # satisfied inside the graph
    merged = versions_by_interface(imports)
    assert all(len(versions) == 1 for versions in merged.values()), merged
    # Each interface at the newest version either input imports it at.
    wanted: dict[str, str] = {}
    for name in [*imports_of(greeter_c_command()), *imports_of(greeter_python())]:
        base, version = split_versioned(name)
        if name != GREET_IFACE and version_key(version) > version_key(wanted.get(base, "0")):
            wanted[base] = version
    assert {base: versions.pop() for base, versions in merged.items()} == wanted
    assert exports_of(composed) == [RUN_IFACE]


def test_wacpy_composed_runs_under_wasmtime(tmp_path: Path) -> None:
    path = tmp_path / "composed.wasm"
    path.write_bytes(wacpy_composed())
    assert wasmtime_run(path, NAME) == EXPECTED


def test_compose_alone_keeps_nested_named_types_exported(tmp_path: Path) -> None:
    """The root cause above, minimal: `user` uses a variant whose case is a record of `types`.

    Composing the component with no plugs re-encodes its imports; the record must stay an
    exported (named) type of the `user` instance type, or the import does not validate.
    """
    wit = """
    package test:nested@0.1.0;
    interface types {
      record inner { x: u32 }
      variant outer { a(inner), b }
    }
    interface user {
      use types.{outer};
      f: func() -> outer;
    }
    world w { import user; }
    """
    root = component_from_wit(tmp_path, wit, "w")
    validate(wacpy.compose(root, []))


# --------------------------------------------------------------------------------------------------
# wasm-tools compose, the differential oracle


def test_wasm_tools_compose_runs_but_keeps_both_wasi_versions(wasm_tools_composed: Path) -> None:
    data = wasm_tools_composed.read_bytes()
    imports = imports_of(data)
    assert GREET_IFACE not in imports
    doubled = {base for base, versions in versions_by_interface(imports).items() if len(versions) > 1}
    # e.g. wasi:io/streams@0.2.9 and @0.2.12 are two separate imports: what wacpy does better.
    assert "wasi:io/streams" in doubled, imports
    assert wasmtime_run(wasm_tools_composed, NAME) == EXPECTED


def test_wacpy_and_wasm_tools_compositions_print_the_same(wasm_tools_composed: Path, tmp_path: Path) -> None:
    path = tmp_path / "composed.wasm"
    path.write_bytes(wacpy_composed())
    assert wasmtime_run(path) == wasmtime_run(wasm_tools_composed) == "Hello, C, from Python!\n"
