"""Compose MCP servers: user components wrapped by middleware, chained behind a transport.

::

    transport -> [middleware for each capability of component 1] -> ... -> method-not-found

A context provider (one instance) gives every part the shared ``wacpy:mcp/types`` and the
``context`` resource the transport lends down the chain. A user component is wrapped by **every**
middleware whose capability interface it exports, in the order tools, resources, prompts,
completions; components are chained in the order given, the first nearest the transport.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from importlib import resources as package_files
from pathlib import Path
from typing import Literal

import leb128
from attrs import frozen

from ..binary.ast.sections import Component, CustomSection
from ..compose.dedup import dedup_binary
from ..compose.graph import CompositionGraph, NodeId, PackageId
from ..compose.names import semver_key
from ..errors import CompositionError, WacpyError
from .items import KINDS, ItemLists, items_of, probe_items, shared_keys

Source = bytes | bytearray | memoryview | str | Path
Transport = Literal["http", "stdio", "both"]
#: What to do when components list the same tool (prompt, resource URI, template): ``warn`` (the
#: first in chain order wins, a warning names both), ``error`` (refuse to compose), ``replace``
#: (later components win: the chain runs last component first), or ``None`` (do not look).
OnDuplicate = Literal["warn", "error", "replace"] | None
#: Where sessions live: nowhere (a stateless server, the default), a directory the runtime
#: preopens at ``/state`` (``wasmtime serve --dir ./state::/state``), or the host's
#: ``wasi:keyvalue`` bucket: ``keyvalue`` imports ``@0.2.0-draft2`` (Spin's ``default`` store),
#: ``keyvalue-draft`` ``@0.2.0-draft`` (wasmCloud; wasmtime's ``-Skeyvalue`` keeps nothing
#: between requests).
Store = Literal["none", "filesystem", "keyvalue", "keyvalue-draft"]
STORES: tuple[Store, ...] = ("none", "filesystem", "keyvalue", "keyvalue-draft")

PACKAGE = "wacpy:mcp"
VERSION = "0.1.0"
HTTP_EXPORT = "wasi:http/incoming-handler@0.2.12"
RUN_EXPORT = "wasi:cli/run@0.2.12"


def interface(name: str) -> str:
    """The full name of one of our interfaces: ``wacpy:mcp/<name>@0.1.0``."""
    return f"{PACKAGE}/{name}@{VERSION}"


TYPES, CONTEXT, FACTORY, HANDLER, STORE = (
    interface(n) for n in ("types", "context", "context-factory", "handler", "store")
)


@frozen
class Capability:
    """A capability interface user components export, and the middleware that wraps it."""

    name: str  # tools, resources, prompts, completions

    @property
    def interface(self) -> str:
        return interface(self.name)

    @property
    def middleware(self) -> str:
        return f"{self.name}-middleware"


CAPABILITIES = tuple(Capability(n) for n in ("tools", "resources", "prompts", "completions"))
FRAMEWORK = (
    "transport",
    "context-provider",
    "method-not-found",
    *(c.middleware for c in CAPABILITIES),
    *(f"session-store-{s}" for s in STORES),
)
#: What the chain itself satisfies; ``wasi:*`` imports are left to the runtime.
CHAIN_PROVIDES = (TYPES, CONTEXT)


class ServerCompositionError(CompositionError):
    """A component that cannot take part in an MCP server; names the component and why."""


class DuplicateItemError(ServerCompositionError):
    """Two components list an item under one name (``on_duplicate="error"``)."""

    def __init__(self, message: str, *, kind: str, key: str, components: tuple[str, str]) -> None:
        super().__init__(message)
        self.kind, self.key, self.components = kind, key, components


class ServerCompositionWarning(UserWarning):
    """Something a composed server will do that its author may not expect: an item hidden by another
    component's item of the same name, or one the transport cannot list."""


def framework_component(name: str) -> bytes:
    """A framework component shipped inside wacpy (``wacpy/mcp/components/<name>.wasm``)."""
    if name not in FRAMEWORK:
        raise ServerCompositionError(f"unknown framework component `{name}` (known: {', '.join(FRAMEWORK)})")
    path = package_files.files(__package__).joinpath("components", f"{name}.wasm")
    try:
        return path.read_bytes()
    except OSError as err:
        raise ServerCompositionError(
            f"framework component `{name}` is missing from this installation ({err.strerror or err}); "
            "rebuild it with `python -m testkit.framework` or pass --override"
        ) from err


def _matching(names: Sequence[str], wanted: str) -> str | None:
    """The name in ``names`` that is ``wanted`` or semver-compatible with it."""
    if wanted in names:
        return wanted
    key = semver_key(wanted)
    return next((n for n in names if semver_key(n) == key), None)


def _label(source: Source, index: int) -> str:
    return Path(source).stem if isinstance(source, str | Path) else f"component{index + 1}"


class _ServerBuilder:
    def __init__(self, overrides: Mapping[str, Source]) -> None:
        unknown = sorted(set(overrides) - set(FRAMEWORK))
        if unknown:
            raise ServerCompositionError(
                f"--override names unknown component `{unknown[0]}` (known: {', '.join(FRAMEWORK)})"
            )
        self.graph = CompositionGraph()
        self.overrides = overrides
        self.packages: dict[str, PackageId] = {}
        self.context: NodeId | None = None

    def framework(self, name: str) -> PackageId:
        if name not in self.packages:
            source = self.overrides.get(name)
            self.packages[name] = self.graph.register(
                name, framework_component(name) if source is None else source
            )
        return self.packages[name]

    def export_of(self, node: NodeId, package: PackageId, wanted: str) -> NodeId:
        exports = list(self.graph.package(package).type.exports)
        found = _matching(exports, wanted)
        if found is None:
            name = self.graph.package(package).name
            raise ServerCompositionError(f"`{name}` does not export `{wanted}`")
        return self.graph.alias_export(node, found)

    def wire_shared(self, node: NodeId, package: PackageId) -> None:
        """Pass the types and context interfaces to every import of ``node`` that asks for them."""
        imports = list(self.graph.package(package).type.imports)
        for shared in CHAIN_PROVIDES:
            name = _matching(imports, shared)
            if name is not None and self.context is not None:
                provider = self.packages["context-provider"]
                self.graph.set_argument(node, name, self.export_of(self.context, provider, shared))

    def pass_store(self, node: NodeId, package: PackageId, store: NodeId) -> None:
        """Give ``node`` the session store, when its package imports one (an override may not)."""
        name = _matching(list(self.graph.package(package).type.imports), STORE)
        if name is not None:
            self.graph.set_argument(node, name, store)

    def instance(self, package: PackageId, name: str | None = None) -> NodeId:
        node = self.graph.instantiate(package, name)
        self.wire_shared(node, package)
        return node

    def check_user_component(self, package: PackageId) -> list[Capability]:
        """The capabilities a user component offers; it may import only what the chain provides."""
        ctype = self.graph.package(package).type
        label = self.graph.package(package).name
        exports = list(ctype.exports)
        offered = [c for c in CAPABILITIES if _matching(exports, c.interface) is not None]
        if not offered:
            wanted = ", ".join(c.interface for c in CAPABILITIES)
            raise ServerCompositionError(
                f"`{label}` exports none of the MCP capability interfaces ({wanted})"
            )
        for name in ctype.imports:
            if name.startswith("wasi:") or any(semver_key(name) == semver_key(p) for p in CHAIN_PROVIDES):
                continue
            raise ServerCompositionError(
                f"`{label}` imports `{name}`, which the MCP chain cannot satisfy "
                f"(it provides {', '.join(CHAIN_PROVIDES)} and leaves wasi:* to the runtime)"
            )
        return offered

    def link(self, sources: Sequence[tuple[str, bytes]], downstream: NodeId | None) -> NodeId | None:
        """Wrap each user component (label, bytes) with its middleware, last first; returns the head's
        handler."""
        for label, data in reversed(sources):
            package = self.graph.register(label, data)
            offered = self.check_user_component(package)
            user = self.instance(package, label)
            for capability in reversed(offered):
                middleware = self.framework(capability.middleware)
                node = self.instance(middleware, f"{label}-{capability.middleware}")
                own = _matching(list(self.graph.package(middleware).type.imports), capability.interface)
                assert own is not None
                self.graph.set_argument(node, own, self.export_of(user, package, capability.interface))
                handler = _matching(list(self.graph.package(middleware).type.imports), HANDLER)
                if downstream is not None and handler is not None:
                    self.graph.set_argument(node, handler, downstream)
                downstream = self.export_of(node, middleware, HANDLER)
        return downstream


def _read_source(source: Source, label: str) -> bytes:
    if not isinstance(source, str | Path):
        return bytes(source)
    try:
        return Path(source).read_bytes()
    except OSError as err:
        raise ServerCompositionError(f"cannot read `{label}` ({source}): {err.strerror or err}") from err


def _labelled(sources: Sequence[Source], labels: Sequence[str] | None) -> list[tuple[str, bytes]]:
    """Each source with its name in the composition (``labels``, or the file stem) and its bytes."""
    names = list(labels) if labels else [_label(s, i) for i, s in enumerate(sources)]
    if len(names) != len(sources):
        raise ServerCompositionError(f"{len(names)} labels for {len(sources)} components")
    return [(name, _read_source(source, name)) for name, source in zip(names, sources, strict=True)]


def _listed_items(label: str, data: bytes, on_duplicate: OnDuplicate) -> ItemLists:
    """What the component lists; when that cannot be found out, a warning (an error when duplicates
    are to be refused) and no items."""
    try:
        found = items_of(data)
        return found if found is not None else probe_items(data)
    except WacpyError as err:
        message = f"`{label}`: cannot check its items for names another component has: {err}"
        if on_duplicate == "error":
            raise ServerCompositionError(message) from err
        warnings.warn(ServerCompositionWarning(message), stacklevel=4)
        return ItemLists()


def check_items(labelled: Sequence[tuple[str, bytes]], on_duplicate: OnDuplicate) -> None:
    """Warn of (or refuse) items the composed server would hide: a key a later component lists again,
    and items the transport cannot list. Nothing is looked at when ``on_duplicate`` is ``None``."""
    if on_duplicate is None:
        return
    lists = [(label, _listed_items(label, data, on_duplicate)) for label, data in labelled]
    for label, items in lists:
        for kind, entries in items.by_kind():
            for item in entries:
                if item.problem is not None:
                    warnings.warn(
                        ServerCompositionWarning(
                            f"`{label}`: {KINDS[kind]} `{item.key}` is left out: {item.problem}"
                        ),
                        stacklevel=3,
                    )
    chain = list(reversed(lists)) if on_duplicate == "replace" else lists
    for kind, key, first, later in shared_keys(chain):
        what = f"{KINDS[kind]} `{key}`"
        if on_duplicate == "error":
            raise DuplicateItemError(
                f"`{first}` and `{later}` both have {what} (--on-duplicate warn keeps the first, replace the last)",
                kind=kind,
                key=key,
                components=(first, later),
            )
        warnings.warn(
            ServerCompositionWarning(
                f"{what} of `{later}` is hidden by the one of `{first}`, which comes first"
            ),
            stacklevel=3,
        )


def compose_server(
    sources: Sequence[Source],
    *,
    transport: Transport = "both",
    overrides: Mapping[str, Source] | None = None,
    validate: bool = True,
    on_duplicate: OnDuplicate = "warn",
    labels: Sequence[str] | None = None,
    dedup: bool = True,
    store: Store = "none",
) -> bytes:
    """One component serving MCP over streamable HTTP (``/mcp``) and/or stdio from ``sources``
    (``labels``: their names in the composition; by default the file stems). With ``dedup``,
    core modules several components carry (a Python toolchain's libpython, libc, the WASI
    adapter) are stored once (:func:`~wacpy.compose.dedup.dedup_modules`).

    Items two components list under one name are looked for first (see :data:`OnDuplicate`);
    warnings are :class:`ServerCompositionWarning`. ``store`` chooses where sessions live
    (:data:`Store`): with ``"none"`` the server is stateless.

    >>> compose_server([])  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    wacpy.mcp.server.ServerCompositionError: give at least one component
    """
    if not sources:
        raise ServerCompositionError("give at least one component")
    labelled = _labelled(sources, labels)
    chain = labelled[::-1] if on_duplicate == "replace" else labelled
    if store not in STORES:
        raise ServerCompositionError(f"unknown store `{store}` (known: {', '.join(STORES)})")
    builder = _ServerBuilder(overrides or {})
    store_pkg = builder.framework(f"session-store-{store}")
    store_node = builder.export_of(builder.graph.instantiate(store_pkg, "session-store"), store_pkg, STORE)
    provider = builder.framework("context-provider")
    builder.context = builder.graph.instantiate(provider, "context-provider")
    builder.pass_store(builder.context, provider, store_node)
    terminal = builder.instance(builder.framework("method-not-found"), "method-not-found")
    head = builder.link(chain, builder.export_of(terminal, builder.packages["method-not-found"], HANDLER))
    check_items(labelled, on_duplicate)
    transport_pkg = builder.framework("transport")
    front = builder.instance(transport_pkg, "transport")
    imports = list(builder.graph.package(transport_pkg).type.imports)
    builder.pass_store(front, transport_pkg, store_node)
    for wanted, node in ((HANDLER, head), (FACTORY, builder.export_of(builder.context, provider, FACTORY))):
        name = _matching(imports, wanted)
        if name is not None and node is not None:
            builder.graph.set_argument(front, name, node)
    if transport in ("http", "both"):
        builder.graph.export(builder.export_of(front, transport_pkg, HTTP_EXPORT), HTTP_EXPORT)
    if transport in ("stdio", "both"):
        builder.graph.export(builder.export_of(front, transport_pkg, RUN_EXPORT), RUN_EXPORT)
    return _with_record(_encoded(builder.graph, validate=validate, dedup=dedup), {"store": store})


#: A custom section compose_server appends, recording how the server was composed (JSON: its
#: ``store``), so that the commands that serve it can give the runtime what it needs.
SERVER_SECTION = "wacpy-server"


def _with_record(data: bytes, record: Mapping[str, str]) -> bytes:
    """``data`` with a ``wacpy-server`` custom section at its end (a section may go anywhere)."""
    name = SERVER_SECTION.encode()
    body = leb128.u.encode(len(name)) + name + json.dumps(dict(record), sort_keys=True).encode()
    return data + b"\x00" + leb128.u.encode(len(body)) + body


def server_record(component: Component) -> dict[str, str]:
    """What a composed server's ``wacpy-server`` section records (empty without one)."""
    for section in component.sections:
        if isinstance(section, CustomSection) and section.name == SERVER_SECTION:
            try:
                found = json.loads(bytes(section.data))
            except ValueError:
                return {}
            return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}
    return {}


def _encoded(graph: CompositionGraph, *, validate: bool, dedup: bool) -> bytes:
    if not dedup:
        return graph.encode(validate=validate)
    return dedup_binary(graph.encode(validate=False), validate=validate)


def compose_handler(
    sources: Sequence[Source],
    *,
    overrides: Mapping[str, Source] | None = None,
    validate: bool = True,
    labels: Sequence[str] | None = None,
    dedup: bool = True,
) -> bytes:
    """A reusable sub-chain: exports the handler of its first link and imports the next handler.

    The types and context interfaces, and WASI, stay imports, to be satisfied where the sub-chain is
    used (by ``compose server``, a graph file, or a host).
    """
    if not sources:
        raise ServerCompositionError("give at least one component")
    builder = _ServerBuilder(overrides or {})
    head = builder.link(_labelled(sources, labels), None)
    assert head is not None
    builder.graph.export(head, HANDLER)
    return _encoded(builder.graph, validate=validate, dedup=dedup)
