"""The items (tools, resources, resource templates, prompts) a user component offers, found before a
server is composed, so that names two components share can be reported with both components named.

A component built by ``wacpy build`` carries its items in a custom section (``wacpy-items``, JSON);
for any other component they are asked for: the component is composed alone behind the stdio
transport and run under wasmtime (the Python API, with a time limit and a compilation cache under
``$XDG_CACHE_HOME/wacpy``), answering ``tools/list``, ``resources/list``,
``resources/templates/list`` and ``prompts/list``. An item the transport leaves out of its list (an
``inputSchema`` that is not a JSON object, a name the component lists twice) is reported on stderr
by the transport; those lines give the item's ``problem``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

from ..binary import decode, encode
from ..binary.ast.sections import Component, CustomSection
from ..errors import WacpyError

__all__ = [
    "ITEMS_SECTION",
    "KINDS",
    "Item",
    "ItemLists",
    "ItemProbeError",
    "items_of",
    "probe_items",
    "shared_keys",
    "with_items",
]

#: The custom section ``wacpy build`` writes: ``{"tools": [{"name": ..., "problem": ...}], ...}``.
ITEMS_SECTION = "wacpy-items"
#: How long a component may take to list its items.
PROBE_SECONDS = 20.0
#: Each list: the method that asks for it, where its answer keeps it, and what names an item.
LISTS = (
    ("tools", "tools/list", "tools", "name"),
    ("resources", "resources/list", "resources", "uri"),
    ("templates", "resources/templates/list", "resourceTemplates", "uriTemplate"),
    ("prompts", "prompts/list", "prompts", "name"),
)
#: What each list's items are called in messages.
KINDS = {"tools": "tool", "resources": "resource", "templates": "resource template", "prompts": "prompt"}


class ItemProbeError(WacpyError):
    """A component's items could not be found out (it trapped, took too long, or answered nonsense)."""


@frozen
class Item:
    """One listed item: its key (a name, a URI or a URI template) and, when the transport would leave
    it out of its list, why."""

    key: str
    problem: str | None = None


@frozen
class ItemLists:
    """What a component lists, per kind."""

    tools: tuple[Item, ...] = ()
    resources: tuple[Item, ...] = ()
    templates: tuple[Item, ...] = ()
    prompts: tuple[Item, ...] = ()

    def by_kind(self) -> Iterator[tuple[str, tuple[Item, ...]]]:
        yield from (("tools", self.tools), ("resources", self.resources))
        yield from (("templates", self.templates), ("prompts", self.prompts))

    def to_json(self) -> dict[str, list[dict[str, str]]]:
        return {
            kind: [{"key": i.key, **({"problem": i.problem} if i.problem else {})} for i in items]
            for kind, items in self.by_kind()
        }

    @classmethod
    def from_json(cls, value: Any) -> ItemLists:
        if not isinstance(value, dict):
            raise ValueError("not an object")
        lists = {}
        for kind, _ in cls().by_kind():
            entries = value.get(kind, [])
            if not isinstance(entries, list) or not all(
                isinstance(e, dict) and isinstance(e.get("key"), str) for e in entries
            ):
                raise ValueError(f"{kind}: not a list of items with a string key")
            lists[kind] = tuple(Item(e["key"], e.get("problem")) for e in entries)
        return cls(**lists)


def items_of(component: bytes | Component) -> ItemLists | None:
    """The items a ``wacpy-items`` section of ``component`` records, or ``None`` without one."""
    tree = component if isinstance(component, Component) else decode(component)
    for section in tree.sections:
        if isinstance(section, CustomSection) and section.name == ITEMS_SECTION:
            try:
                return ItemLists.from_json(json.loads(bytes(section.data)))
            except ValueError as err:
                raise ItemProbeError(f"its {ITEMS_SECTION} section is not valid: {err}") from err
    return None


def with_items(component: bytes, items: ItemLists) -> bytes:
    """``component`` with a ``wacpy-items`` section recording ``items`` (replacing any earlier one)."""
    tree = decode(component)
    kept = [s for s in tree.sections if not (isinstance(s, CustomSection) and s.name == ITEMS_SECTION)]
    data = json.dumps(items.to_json(), separators=(",", ":"), ensure_ascii=False).encode()
    return encode(Component((*kept, CustomSection(ITEMS_SECTION, data))))


def _cache_config() -> str:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wacpy"
    folder = base / "wasmtime"
    folder.mkdir(parents=True, exist_ok=True)
    config = base / "wasmtime-cache.toml"
    text = f"[cache]\ndirectory = {json.dumps(str(folder))}\n"
    if not config.is_file() or config.read_text() != text:
        config.write_text(text)
    return str(config)


def _requests() -> bytes:
    hello = {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "wacpy", "version": "0"},
    }
    lines: list[dict[str, Any]] = [{"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": hello}]
    lines += [{"jsonrpc": "2.0", "id": i + 1, "method": method} for i, (_, method, _, _) in enumerate(LISTS)]
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


def _run_stdio(server: bytes, stdin: bytes, seconds: float) -> tuple[bytes, bytes]:
    """stdout and stderr of the stdio server ``server`` given ``stdin``, run for at most ``seconds``."""
    from wasmtime import Config, Engine, Store, WasiConfig, WasmtimeError
    from wasmtime.component import Component as WasmComponent
    from wasmtime.component import Linker

    config = Config()
    config.cache = _cache_config()
    config.epoch_interruption = True
    engine = Engine(config)
    with tempfile.TemporaryDirectory(prefix="wacpy-items-") as work:
        stdin_path, stdout_path, stderr_path = Path(work, "in"), Path(work, "out"), Path(work, "err")
        stdin_path.write_bytes(stdin)
        wasi = WasiConfig()
        wasi.stdin_file, wasi.stdout_file, wasi.stderr_file = map(str, (stdin_path, stdout_path, stderr_path))
        store = Store(engine)
        store.set_wasi(wasi)
        store.set_epoch_deadline(1)
        linker = Linker(engine)
        linker.add_wasip2()
        linker.add_wasi_http()
        timer = threading.Timer(seconds, engine.increment_epoch)
        try:
            instance = linker.instantiate(store, WasmComponent(engine, server))
            run_iface = instance.get_export_index(store, "wasi:cli/run@0.2.12")
            run_index = instance.get_export_index(store, "run", run_iface)
            run = None if run_index is None else instance.get_func(store, run_index)
            if run is None:
                raise ItemProbeError("its stdio server has no wasi:cli/run export")
            timer.start()
            run(store)
        except WasmtimeError as err:
            interrupted = "interrupt" in str(err)
            why = (
                f"did not finish within {seconds:g} s"
                if interrupted
                else f"failed: {str(err).splitlines()[0]}"
            )
            raise ItemProbeError(f"listing its items {why}") from err
        finally:
            timer.cancel()
        return stdout_path.read_bytes(), stderr_path.read_bytes()


#: The transport's line for an item it leaves out (see middleware-src/transport/serialize.c).
_SKIPPED = re.compile(r"wacpy: (?P<list>[a-z/]+): skipped (?P<what>[a-z ]+) `(?P<key>.*)`: (?P<why>.*)")


def _skipped(stderr: bytes) -> dict[str, list[Item]]:
    """The items the transport left out, by list method."""
    found: dict[str, list[Item]] = {}
    for line in stderr.decode(errors="replace").splitlines():
        match = _SKIPPED.fullmatch(line.strip())
        if match:
            found.setdefault(match["list"], []).append(Item(match["key"], match["why"]))
    return found


def _parse_lists(output: bytes, stderr: bytes) -> ItemLists:
    skipped = _skipped(stderr)
    answers: dict[Any, Any] = {}
    for line in output.splitlines():
        try:
            message = json.loads(line)
        except ValueError as err:
            raise ItemProbeError(f"it wrote a line that is not JSON: {line[:80]!r}") from err
        if isinstance(message, dict) and "id" in message:
            answers[message["id"]] = message
    lists: dict[str, tuple[Item, ...]] = {}
    for index, (kind, method, field, key) in enumerate(LISTS):
        result = answers.get(index + 1, {}).get("result")
        entries = result.get(field, []) if isinstance(result, dict) else []
        if answers.get(index + 1) is None:
            raise ItemProbeError(f"it did not answer {method}")
        listed = [Item(str(e.get(key))) for e in entries if isinstance(e, dict)]
        lists[kind] = (*listed, *skipped.get(method, []))
    return ItemLists(**lists)


def probe_items(
    component: bytes | bytearray | memoryview | str | Path, *, seconds: float = PROBE_SECONDS
) -> ItemLists:
    """Ask ``component`` (alone behind the stdio transport, under wasmtime) what it lists; the items
    the transport leaves out come with their ``problem``."""
    from .server import compose_server

    data = Path(component).read_bytes() if isinstance(component, str | Path) else bytes(component)
    server = compose_server([data], transport="stdio", validate=False, on_duplicate=None)
    return _parse_lists(*_run_stdio(server, _requests(), seconds))


def shared_keys(lists: Sequence[tuple[str, ItemLists]]) -> Iterator[tuple[str, str, str, str]]:
    """``(kind, key, first label, later label)`` for each key a later component lists again, in
    chain order (the first in chain order is the one a server answers with)."""
    for kind, _ in ItemLists().by_kind():
        first: dict[str, str] = {}
        for label, items in lists:
            for item in getattr(items, kind):
                if item.problem is not None:
                    continue
                if item.key in first:
                    yield kind, item.key, first[item.key], label
                else:
                    first[item.key] = label
