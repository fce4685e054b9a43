"""Build the conformance fixtures and the server they make: ``python -m tests.conformance.build``.

The fixtures (``tests/conformance/fixtures/``, worlds in ``fixtures.wit``):

* ``tools`` — ``tools.c``, freestanding C: every tool the suite calls but the schema one;
* ``schema`` — ``schema.c``, freestanding C: ``json_schema_2020_12_tool``;
* ``content`` — ``content.py``, componentize-py: resources, prompts and completions.

C goes through ``zig cc`` with the framework's flags (``testkit/framework.py``) and its headers
(``middleware-src/include``), then ``wasm-tools component embed`` / ``component new``; Python through
``componentize-py componentize``. Every build is cached under ``.cache/conformance/fixtures`` (or
``$WACPY_CONFORMANCE_CACHE/fixtures``), keyed by the sources, the WIT, the flags and the versions of
the tools, so a second run only reads files.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from testkit import framework
from wacpy._zig import zig_cc_argv, zig_env, zig_flags
from wacpy.mcp import compose_server
from wacpy.tools import find_tool, run_wasm_tools, wasm_tools_path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
REPO = HERE.parent.parent
MCP_WIT = REPO / "wit"
#: The fixtures' own hand-flattened ABI (an independent check of the generated bindings).
FIXTURE_INCLUDE = REPO / "tests" / "fixtures" / "include"
CACHE = Path(os.environ.get("WACPY_CONFORMANCE_CACHE") or REPO / ".cache" / "conformance")

# Bump to rebuild everything when a recipe below changes.
RECIPE = "1"
#: Fixture name -> (source file, world in fixtures.wit).
C_FIXTURES = {"tools": ("tools.c", "tools"), "schema": ("schema.c", "schema")}
PYTHON_FIXTURES = {"content": ("content.py", "content")}
#: The order in which the fixtures are chained behind the transport.
ORDER = ("tools", "schema", "content")


# --------------------------------------------------------------------------------------------------
# Tools and versions


def _run(
    argv: Sequence[str], *, what: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> None:
    done = subprocess.run(list(argv), capture_output=True, cwd=cwd, env=env, timeout=600)
    if done.returncode != 0:
        stderr = done.stderr.decode(errors="replace").strip()
        raise RuntimeError(f"{what} failed (exit {done.returncode}): {' '.join(argv)}\n{stderr}")


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@cache
def tool_versions() -> str:
    """What the outputs depend on besides the sources."""
    wasm_tools = subprocess.run([wasm_tools_path(), "--version"], capture_output=True, text=True).stdout
    return "\n".join(
        [
            f"zig {_version('ziglang')}",
            f"componentize-py {_version('componentize-py')}",
            wasm_tools.strip(),
            f"wasi {framework.WASI_VERSION} from jco {framework.JCO_VERSION}",
            " ".join(zig_flags(framework.ZIG_FLAGS)),
        ]
    )


# --------------------------------------------------------------------------------------------------
# Cache


def _key(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in (RECIPE, tool_versions(), *parts):
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:24]


def _cached(name: str, key: str, build: Callable[[Path], bytes]) -> Path:
    """``CACHE/fixtures/NAME-KEY.wasm``, built in a scratch directory when it is not there yet."""
    path = CACHE / "fixtures" / f"{name}-{key}.wasm"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"wacpy-conformance-{name}-") as tmp:
        data = build(Path(tmp))
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(partial, path)
    for stale in path.parent.glob(f"{name}-*.wasm"):  # builds of earlier sources (18 MB each for Python)
        if stale != path:
            stale.unlink(missing_ok=True)
    return path


def _wit_dir(into: Path) -> Path:
    """``fixtures.wit`` with ``wacpy:mcp`` and the WASI 0.2.12 packages in ``deps/``."""
    wit = into / "wit"
    shutil.copytree(framework.wasi_wit(), wit / "deps")
    (wit / "deps" / "mcp").mkdir()
    for part in sorted(MCP_WIT.glob("*.wit")):  # mcp.wit and framework.wit
        shutil.copy(part, wit / "deps" / "mcp" / part.name)
    shutil.copy(FIXTURES / "fixtures.wit", wit / "fixtures.wit")
    return wit


def _wit_inputs() -> list[bytes]:
    return [
        (FIXTURES / "fixtures.wit").read_bytes(),
        *(p.read_bytes() for p in sorted(MCP_WIT.glob("*.wit"))),
    ]


# --------------------------------------------------------------------------------------------------
# Builds


def c_fixture(name: str) -> Path:
    """A C fixture as a component (path in the cache)."""
    source, world = C_FIXTURES[name]
    headers = [
        p.read_bytes()
        for folder in (*framework.INCLUDES, FIXTURE_INCLUDE)
        for p in sorted(folder.glob("*.h"))
    ]
    key = _key("c", name, world, (FIXTURES / source).read_bytes(), *_wit_inputs(), *headers)

    def build(work: Path) -> bytes:
        core = work / f"{name}.core.wasm"
        argv = zig_cc_argv(
            [FIXTURES / source],
            core,
            include=[*framework.INCLUDES, FIXTURE_INCLUDE],
            flags=framework.ZIG_FLAGS,
        )
        _run(argv, what=f"zig cc {source}", env=zig_env(CACHE / "zig"), cwd=work)
        embedded = run_wasm_tools("component", "embed", str(_wit_dir(work)), "--world", world, str(core))
        return run_wasm_tools("component", "new", "-", stdin=embedded)

    return _cached(name, key, build)


def python_fixture(name: str) -> Path:
    """A componentize-py fixture as a component (path in the cache)."""
    source, world = PYTHON_FIXTURES[name]
    key = _key("python", name, world, (FIXTURES / source).read_bytes(), *_wit_inputs())

    def build(work: Path) -> bytes:
        wit = _wit_dir(work)
        app = work / "app"
        app.mkdir()
        shutil.copy(FIXTURES / source, app / source)
        out = work / f"{name}.wasm"
        module = Path(source).stem
        _run(
            [find_tool("componentize-py"), "-d", str(wit), "-w", world, "componentize", "-p", str(app), module,
             "-o", str(out)],
            what=f"componentize-py {source}", cwd=work, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )  # fmt: skip
        return out.read_bytes()

    return _cached(name, key, build)


def fixture(name: str) -> Path:
    return c_fixture(name) if name in C_FIXTURES else python_fixture(name)


def fixtures() -> list[Path]:
    """Every fixture, in chain order."""
    return [fixture(name) for name in ORDER]


def server(out: Path) -> Path:
    """The composed server (HTTP and stdio) of every fixture, with sessions in a filesystem
    store, written to ``out``."""
    out.write_bytes(compose_server(fixtures(), store="filesystem"))
    return out


def main() -> None:
    for name in ORDER:
        start = time.perf_counter()
        path = fixture(name)
        print(f"{name}: {path.stat().st_size:>10,} bytes  {time.perf_counter() - start:6.2f} s  {path}")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        composed = server(Path(tmp) / "server.wasm")
        print(f"server: {composed.stat().st_size:>9,} bytes  {time.perf_counter() - start:6.2f} s (composed)")


if __name__ == "__main__":
    main()
