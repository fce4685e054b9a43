"""The stock-wasmtime command lines that serve a composed MCP server, and ``wacpy serve``.

A command is derived from the component itself: the WASI worlds it imports choose the ``-S``
flags, :func:`wacpy.runtime.runtime_needs` the pooling limits, and :class:`ServeOptions` the rest:

* a per-request **timeout** (30 s by default): wasmtime stops a request whose guest code runs
  longer (``-W timeout``), its client gets an error status, and the server goes on serving (a
  guest that never returns would otherwise hold a runtime worker for good);
* **instance reuse** (up to 1,000 requests per instance, which the framework components support);
* the **address**, loopback unless asked otherwise;
* for a server composed with a filesystem store (``--store filesystem``), the **state
  directory** its sessions live in, preopened at ``/state`` (``--dir ./state::/state``).

A server composed with a keyvalue store imports ``wasi:keyvalue``, which gives it ``-Skeyvalue``;
:func:`store_notes` says what that host does (and does not) keep.

stdio (``wasmtime run``) has one instance for the whole session, so a timeout there would end the
session: its command has none (see docs/serving.md).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence

from attrs import frozen

from ..binary import decode
from ..binary.ast.sections import Component
from ..errors import WacpyError
from ..runtime import RuntimeNeeds, pooling_options, runtime_needs
from .server import server_record

__all__ = [
    "DEFAULT_STATE_DIR",
    "DEFAULT_TIMEOUT",
    "REUSE_COUNT",
    "ServeOptions",
    "ServeOptionError",
    "keeps_state",
    "parse_timeout",
    "run_commands",
    "serve_argv",
    "stdio_argv",
    "store_notes",
]

#: One instance answers up to this many requests (wasmtime's default is 1, a fresh instance each
#: time); the framework components are built and tested for reuse (``benches/bench_mcp.py``).
REUSE_COUNT = 1000
DEFAULT_TIMEOUT = "30s"
DEFAULT_ADDRESS = "127.0.0.1:8080"
DEFAULT_STATE_DIR = "./state"
#: Where the filesystem store looks for its directory inside the component.
STATE_GUEST_DIR = "/state"
#: wasmtime's ``-S`` switch for each WASI package a component may import.
_WASI_SWITCHES = {
    "wasi:cli": "cli",
    "wasi:http": "http",
    "wasi:keyvalue": "keyvalue",
    "wasi:config": "config",
}
_TIMEOUT = re.compile(r"(?P<number>\d+(?:\.\d+)?)(?P<unit>ms|s|m)?")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, None: 1.0}


class ServeOptionError(WacpyError):
    """An option of the serve command that cannot be used, naming it."""


def parse_timeout(text: str) -> str | None:
    """A timeout as wasmtime writes it (``30s``, ``500ms``, ``2m`` -> ``120s``), or ``None`` for
    ``0``/``none`` (no limit).

    >>> parse_timeout("2m"), parse_timeout("250ms"), parse_timeout("none")
    ('120s', '250ms', None)
    """
    value = text.strip().lower()
    if value in ("0", "none", "off"):
        return None
    match = _TIMEOUT.fullmatch(value)
    if match is None:
        raise ServeOptionError(f"--timeout: `{text}` is not a duration (e.g. 30s, 500ms, 2m, or none)")
    seconds = float(match["number"]) * _UNIT_SECONDS[match["unit"]]
    if seconds <= 0:
        return None
    if seconds < 1:
        return f"{round(seconds * 1000)}ms"
    return f"{seconds:g}s"


@frozen
class ServeOptions:
    """How to serve: the per-request timeout (``None``: no limit), instance reuse, the address,
    and how many live instances the pooling limits must allow at once."""

    timeout: str | None = DEFAULT_TIMEOUT
    reuse: int = REUSE_COUNT
    address: str = DEFAULT_ADDRESS
    concurrency: int = 100
    state_dir: str = DEFAULT_STATE_DIR


def keeps_state(component: Component) -> bool:
    """Whether the composed server keeps its sessions in a directory the runtime must preopen."""
    return server_record(component).get("store") == "filesystem"


#: What to tell whoever serves a server composed with a keyvalue store (``server_record``'s store).
_STORE_NOTES = {
    "keyvalue": (
        "its sessions live in the host's wasi:keyvalue@0.2.0-draft2 bucket `default`, which stock "
        "wasmtime does not provide (its -Skeyvalue is @0.2.0-draft): serve it with Spin, giving the "
        'component key_value_stores = ["default"]'
    ),
    "keyvalue-draft": (
        "its sessions live in the host's wasi:keyvalue@0.2.0-draft bucket \"\"; wasmtime's -Skeyvalue "
        "keeps that bucket in memory for one request only, so sessions do not persist there: on stock "
        "wasmtime compose with --store filesystem, or serve it on wasmCloud with a keyvalue provider"
    ),
}


def store_notes(component: Component) -> list[str]:
    """What the host of a composed server must know about where its sessions live (none for the
    stateless and filesystem stores, whose commands say it all)."""
    note = _STORE_NOTES.get(server_record(component).get("store", ""))
    return [] if note is None else [note]


def _state_options(component: Component, state_dir: str) -> list[str]:
    return ["--dir", f"{state_dir}::{STATE_GUEST_DIR}"] if keeps_state(component) else []


def _imports(component: Component) -> list[str]:
    return [str(imp.name) for imp in component.imports()]


def _switches(imports: Sequence[str], *, http: bool) -> list[str]:
    packages = {name.split("/")[0].split("@")[0] for name in imports}
    switches = [flag for package, flag in _WASI_SWITCHES.items() if package in packages]
    if http and "http" not in switches:
        switches.append("http")
    return [f"-S{flag}" for flag in switches]


def serve_argv(
    wasmtime: str,
    path: str,
    component: Component,
    options: ServeOptions,
    needs: RuntimeNeeds | None = None,
    *,
    precompiled: str | None = None,
) -> list[str]:
    """``wasmtime serve ...`` for the component at ``path`` (decoded as ``component``); with
    ``precompiled``, the same command serving that ``wasmtime compile`` output of it instead."""
    argv = [wasmtime, "serve", *_switches(_imports(component), http=True)]
    if options.timeout is not None:
        argv.append(f"-Wtimeout={options.timeout}")
    for option in pooling_options(needs or runtime_needs(component), concurrency=options.concurrency):
        argv.append(f"-O{option}")
    if options.reuse > 1:
        argv += ["--max-instance-reuse-count", str(options.reuse)]
    argv += _state_options(component, options.state_dir)
    if precompiled is not None:
        return [*argv, "--allow-precompiled", "--addr", options.address, precompiled]
    return [*argv, "--addr", options.address, path]


def stdio_argv(
    wasmtime: str, path: str, component: Component, state_dir: str = DEFAULT_STATE_DIR
) -> list[str]:
    """``wasmtime run ...`` serving MCP over stdin/stdout (one instance, so no timeout)."""
    return [
        wasmtime,
        "run",
        *_switches(_imports(component), http=False),
        *_state_options(component, state_dir),
        path,
    ]


def _exports(component: Component) -> set[str]:
    return {str(e.name).split("@")[0] for e in component.exports()}


def run_commands(
    path: str,
    data: bytes | Component,
    options: ServeOptions | None = None,
    *,
    wasmtime: str = "wasmtime",
    precompiled: str | None = None,
) -> list[str]:
    """The shell commands that serve the composed server ``data`` (written to ``path``): HTTP if
    it exports ``wasi:http/incoming-handler`` (from ``precompiled`` if given), stdio if it exports
    ``wasi:cli/run``."""
    component = data if isinstance(data, Component) else decode(data)
    exports = _exports(component)
    commands = []
    if "wasi:http/incoming-handler" in exports:
        argv = serve_argv(wasmtime, path, component, options or ServeOptions(), precompiled=precompiled)
        commands.append(f"{shlex.join(argv)}   # streamable HTTP at /mcp")
    if "wasi:cli/run" in exports:
        state_dir = (options or ServeOptions()).state_dir
        commands.append(f"{shlex.join(stdio_argv(wasmtime, path, component, state_dir))}   # stdio")
    return commands
