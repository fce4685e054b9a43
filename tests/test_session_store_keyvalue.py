"""The keyvalue session stores (``session-store-keyvalue``: ``wasi:keyvalue@0.2.0-draft2``, and
``session-store-keyvalue-draft``: ``@0.2.0-draft``) driven through their ``store`` exports.

The host is Python: wasmtime-py's component linker defines ``wasi:keyvalue/store`` over a dict (a
host-defined ``bucket`` resource, ``list-keys`` in pages of two so that every listing follows the
cursor) and a wall clock the test moves. It can also make any call fail with the keyvalue error a
test picks, the way a Spin or wasmCloud host reports a failing backend.

wasmtime-py writes a variant (and a ``result``) as a bare payload when the Python types of its
cases tell them apart, and as a :class:`Variant` only when they do not; the host's results and
:func:`outcome` follow that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from wasmtime import Engine, Store
from wasmtime.component import (
    Component,
    Instance,
    Linker,
    ResourceAny,
    ResourceHost,
    ResourceType,
    Variant,
)

from testkit.components import COMPONENTS, build_tool, require_components
from testkit.serving import request, serving
from testkit.values import record
from wacpy.binary import decode
from wacpy.cli import main
from wacpy.mcp import compose_server, serve_argv, server_record, store_notes
from wacpy.mcp.serve import ServeOptions
from wacpy.tools import run_wasm_tools

STORE = "wacpy:mcp/store@0.1.0"
PAGE = 2  # keys per list-keys page
BUCKET_TYPE = 1
LIMIT = 1 << 20


@dataclass(frozen=True)
class Flavour:
    """One of the two components: the keyvalue version it imports, its bucket, its cursor type."""

    component: str
    interface: str
    bucket: str
    cursor: Callable[[int], Any]
    offset: Callable[[Any], int]


DRAFT2 = Flavour("session-store-keyvalue", "wasi:keyvalue/store@0.2.0-draft2", "default", str, int)
DRAFT = Flavour("session-store-keyvalue-draft", "wasi:keyvalue/store@0.2.0-draft", "", int, int)


def other(text: str) -> Variant:
    return Variant("other", text)


def outcome(result: Any) -> tuple[str, Any]:
    """``ok``/``err`` and the payload of a ``result`` from the component, however wasmtime-py lifted
    it (``keys``' ``result<list<string>, store-error>`` comes untagged: a list, or the message)."""
    if isinstance(result, Variant) and result.tag in ("ok", "err"):
        return result.tag, result.payload
    return ("err" if isinstance(result, str) else "ok"), result


@dataclass
class Host:
    """The bucket and the clock the component sees, and the failures it is to meet."""

    flavour: Flavour
    data: dict[str, bytes] = field(default_factory=dict)
    now: int = 1_000_000
    #: operation (open, get, set, delete, list-keys) -> the keyvalue error it returns
    failing: dict[str, Variant] = field(default_factory=dict)
    opened: list[str] = field(default_factory=list)

    def linker(self, engine: Engine) -> Linker:
        linker = Linker(engine)
        with linker.root() as root:
            with root.add_instance("wasi:clocks/wall-clock@0.2.12") as clock:
                clock.add_func("now", lambda store: self._datetime(self.now))
                clock.add_func("resolution", lambda store: self._datetime(1))
            with root.add_instance(self.flavour.interface) as kv:
                kv.add_resource("bucket", ResourceType.host(BUCKET_TYPE), lambda store, rep: None)
                kv.add_func("open", self._open)
                kv.add_func("[method]bucket.get", self._method("get", lambda key: self.data.get(key)))
                kv.add_func("[method]bucket.set", self._method("set", self._set))
                kv.add_func("[method]bucket.delete", self._method("delete", self._delete))
                kv.add_func("[method]bucket.exists", self._method("exists", lambda key: key in self.data))
                kv.add_func("[method]bucket.list-keys", self._method("list-keys", self._list_keys))
        return linker

    @staticmethod
    def _datetime(seconds: int) -> Any:
        return record(seconds=seconds, nanoseconds=0)

    def _open(self, store: Store, identifier: str) -> Any:
        self.opened.append(identifier)
        if "open" in self.failing:
            return self.failing["open"]  # untagged: the error is a Variant, the bucket a resource
        return ResourceHost.own(1, BUCKET_TYPE)

    def _method(self, name: str, body: Callable[..., Any]) -> Callable[..., Any]:
        def method(store: Store, bucket: ResourceAny, *args: Any) -> Any:
            bucket.drop(store)  # end the borrow, as the canonical ABI requires of the callee
            if name in self.failing:
                return self.failing[name]  # untagged, as every result of wasi:keyvalue/store is
            return body(*args)

        return method

    def _set(self, key: str, value: bytes) -> None:
        self.data[key] = bytes(value)

    def _delete(self, key: str) -> None:
        self.data.pop(key, None)

    def _list_keys(self, cursor: Any) -> Any:
        keys = sorted(self.data)
        start = 0 if cursor is None else self.flavour.offset(cursor)
        more = start + PAGE < len(keys)
        return record(
            keys=keys[start : start + PAGE], cursor=self.flavour.cursor(start + PAGE) if more else None
        )


class Backend:
    """An instance of a keyvalue store component, called the way the transport calls it."""

    def __init__(self, engine: Engine, component: Component, host: Host) -> None:
        self.host, self.store = host, Store(engine)
        self.instance: Instance = host.linker(engine).instantiate(self.store, component)
        self.iface = self.instance.get_export_index(self.store, STORE)

    def call(self, name: str, *args: Any) -> Any:
        index = self.instance.get_export_index(self.store, name, self.iface)
        assert index is not None
        func = self.instance.get_func(self.store, index)
        assert func is not None
        result = func(self.store, *args)
        func.post_return(self.store)
        return result

    def ok(self, name: str, *args: Any) -> Any:
        tag, payload = outcome(self.call(name, *args))
        assert tag == "ok", payload
        return payload

    def scopes(self, *names: str) -> None:
        """``create-scope`` each of ``names``, as ``initialize`` does before it writes."""
        for name in names:
            assert self.ok("create-scope", name) is None

    def failed(self, name: str, *args: Any) -> str:
        """The message of a ``failed`` store error (``store-error`` lifts untagged: a string)."""
        tag, payload = outcome(self.call(name, *args))
        assert tag == "err" and isinstance(payload, str), payload
        return payload


def one_flavour(flavour: Flavour) -> None:
    """Megabytes through wasmtime-py take seconds; the size checks are shared code, so one flavour."""
    if flavour is not DRAFT2:
        pytest.skip("size limits: checked on the draft2 component (the same code)")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.fixture(scope="module", params=[DRAFT2, DRAFT], ids=["draft2", "draft"])
def flavour(request: pytest.FixtureRequest) -> Flavour:
    require_components(request.param.component)
    flavour: Flavour = request.param
    return flavour


@pytest.fixture(scope="module")
def component(engine: Engine, flavour: Flavour) -> Component:
    return Component.from_file(engine, str(COMPONENTS / f"{flavour.component}.wasm"))


@pytest.fixture
def backend(engine: Engine, component: Component, flavour: Flavour) -> Iterator[Backend]:
    yield Backend(engine, component, Host(flavour))


def test_a_value_round_trips_with_its_age_under_one_escaped_key(backend: Backend, flavour: Flavour) -> None:
    assert backend.call("available") is True
    backend.scopes("sess-1")
    assert backend.ok("set", "sess-1", "pending/7", b"hello") is None
    assert sorted(backend.host.data) == ["wacpy/sess-1/", "wacpy/sess-1/pending%2F7"]  # the marker, the key
    key = "wacpy/sess-1/pending%2F7"
    assert backend.host.data[key].startswith(b"wacpyse1") and backend.host.data[key].endswith(b"hello")
    backend.host.now += 42
    entry = backend.ok("get", "sess-1", "pending/7")
    assert (bytes(entry.value), entry.age) == (b"hello", 42)
    assert backend.host.opened == [flavour.bucket]  # opened once per instance


def test_an_absent_key_reads_none_and_deletes_without_error(backend: Backend) -> None:
    assert backend.ok("get", "s", "nothing") is None
    assert backend.ok("delete", "s", "nothing") is None
    backend.scopes("s")
    backend.ok("set", "s", "k", b"v")
    backend.ok("delete", "s", "k")
    assert backend.ok("get", "s", "k") is None and backend.host.data == {"wacpy/s/": b""}


def test_keys_lists_one_scope_across_pages(backend: Backend) -> None:
    backend.scopes("s", "s1", "t")
    for key in ("a", "b/c", "d", "e f"):
        backend.ok("set", "s", key, b"1")
    backend.ok("set", "s1", "other", b"2")  # a scope whose name starts with the first's
    backend.ok("set", "t", "x", b"3")
    backend.host.data["foreign"] = b"not ours"
    backend.host.data["wacpy/s/%zz"] = b"not a name we write"
    assert sorted(backend.ok("keys", "s")) == ["a", "b/c", "d", "e f"]
    assert backend.ok("keys", "s1") == ["other"]
    assert backend.ok("keys", "nobody") == []


def test_clear_removes_the_scope_and_nothing_else(backend: Backend) -> None:
    backend.scopes("s", "s1")
    for key in ("a", "b", "c", "d", "e"):
        backend.ok("set", "s", key, b"1")
    backend.ok("set", "s1", "kept", b"2")
    backend.host.data["foreign"] = b"kept too"
    assert backend.ok("clear", "s") is None
    assert backend.ok("keys", "s") == []
    assert sorted(backend.host.data) == ["foreign", "wacpy/s1/", "wacpy/s1/kept"]
    assert backend.ok("clear", "empty") is None


def test_a_write_into_a_scope_never_made_or_cleared_fails_naming_it(backend: Backend) -> None:
    missing = "the scope does not exist (never created, or cleared)"
    assert backend.failed("set", "s", "k", b"v") == f"session store: cannot write s/k: {missing}"
    backend.scopes("s")
    backend.ok("set", "s", "k", b"v")
    backend.ok("clear", "s")
    assert backend.failed("set", "s", "late", b"v") == f"session store: cannot write s/late: {missing}"
    assert backend.host.data == {}


def test_a_value_over_the_limit_fails_naming_the_key(backend: Backend, flavour: Flavour) -> None:
    one_flavour(flavour)
    message = backend.failed("set", "s", "big", bytes(LIMIT + 1))
    assert message == "session store: cannot write s/big: the value is larger than 1 MiB"
    assert backend.host.data == {}


def test_a_value_at_the_limit_is_kept(backend: Backend, flavour: Flavour) -> None:
    one_flavour(flavour)
    value = bytes(range(256)) * (LIMIT // 256)
    backend.scopes("s")
    backend.ok("set", "s", "full", value)
    assert bytes(backend.ok("get", "s", "full").value) == value


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda b: b[:-1] + bytes([b[-1] ^ 1]), "corrupt (checksum mismatch)"),
        (lambda b: b[:-2], "truncated or padded (its length does not match)"),
        (lambda b: b"{}", "not an entry (bad header)"),
        (lambda b: b"x" * (LIMIT + 25), "larger than an entry can be (1 MiB)"),
    ],
    ids=["flipped-bit", "truncated", "foreign-bytes", "oversized"],
)
def test_a_damaged_value_fails_naming_scope_and_key(
    backend: Backend, flavour: Flavour, damage: Callable[[bytes], bytes], why: str
) -> None:
    if why.startswith("larger"):
        one_flavour(flavour)
    backend.scopes("sess")
    backend.ok("set", "sess", "answer", b"forty-two")
    key = "wacpy/sess/answer"
    backend.host.data[key] = damage(backend.host.data[key])
    assert backend.failed("get", "sess", "answer") == f"session store: cannot read sess/answer: {why}"


# wasmtime-py 50 cannot return `err` from a host `bucket.get`: the ok case, option<list<u8>>, lifts
# untagged with a case that takes any object, so every value is tried as the ok payload. A failing
# `open` under `get` takes the same way out of the component (its `host:` path).
@pytest.mark.parametrize(
    ("operation", "call", "message"),
    [
        ("open", ("get", "s", "k"), "cannot read s/k"),
        ("set", ("set", "s", "k", b"v"), "cannot write s/k"),
        ("exists", ("set", "s", "k", b"v"), "cannot write s/k"),
        ("set", ("create-scope", "s"), "cannot create s"),
        ("delete", ("delete", "s", "k"), "cannot delete s/k"),
        ("list-keys", ("keys", "s"), "cannot list s"),
        ("list-keys", ("clear", "s"), "cannot clear s"),
        ("delete", ("clear", "s"), "cannot clear s"),
    ],
)
def test_a_keyvalue_error_is_passed_through_with_its_text(
    backend: Backend, operation: str, call: tuple[Any, ...], message: str
) -> None:
    backend.host.data.update({"wacpy/s/": b"", "wacpy/s/k": b"whatever"})
    backend.host.failing[operation] = other("redis: connection refused")
    assert backend.failed(*call) == f"session store: {message}: redis: connection refused"


@pytest.mark.parametrize(
    ("error", "why"),
    [
        (Variant("no-such-store"), "the host has no bucket"),
        (Variant("access-denied"), "access denied to bucket"),
    ],
    ids=["no-such-store", "access-denied"],
)
def test_a_bucket_that_cannot_be_opened_is_named_and_tried_again(
    backend: Backend, flavour: Flavour, error: Variant, why: str
) -> None:
    backend.host.failing["open"] = error
    assert (
        backend.failed("set", "s", "k", b"v") == f'session store: cannot write s/k: {why} "{flavour.bucket}"'
    )
    del backend.host.failing["open"]
    backend.scopes("s")
    backend.ok("set", "s", "k", b"v")
    assert backend.host.opened == [flavour.bucket, flavour.bucket]


@pytest.mark.parametrize(
    ("scope", "key", "why"),
    [
        ("", "k", "empty name"),
        ("s", "", "empty name"),
        ("s", "k" * 121, "name longer than 120 bytes"),
        ("s", "/" * 100, "name too long once escaped (255 bytes)"),
    ],
    ids=["empty-scope", "empty-key", "long-key", "long-escaped-key"],
)
def test_names_the_store_cannot_keep_fail_before_the_host_is_asked(
    backend: Backend, scope: str, key: str, why: str
) -> None:
    message = backend.failed("set", scope, key, b"v")
    assert message.endswith(f": {why}") and message.startswith("session store: cannot write ")
    assert backend.host.opened == []


# -- composed servers -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tool(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    require_components("transport", "context-provider", "method-not-found", "tools-middleware")
    return build_tool(tmp_path_factory.mktemp("keyvalue-tool"))


@pytest.mark.parametrize(
    ("store", "interface"),
    [("keyvalue", DRAFT2.interface), ("keyvalue-draft", DRAFT.interface)],
)
def test_a_keyvalue_server_validates_and_imports_the_keyvalue_store(
    tool: bytes, store: str, interface: str, tmp_path: Path
) -> None:
    data = compose_server([tool], store=store, transport="http")  # type: ignore[arg-type]
    path = tmp_path / "server.wasm"
    path.write_bytes(data)
    run_wasm_tools("validate", "--features", "component-model", str(path))
    component = decode(data)
    imports = [str(imp.name) for imp in component.imports()]
    assert interface in imports and not any(name.startswith("wasi:filesystem") for name in imports)
    assert server_record(component) == {"store": store}
    argv = serve_argv("wasmtime", str(path), component, ServeOptions())
    assert "-Skeyvalue" in argv and "--dir" not in argv
    (note,) = store_notes(component)
    assert ("Spin" in note) if store == "keyvalue" else ("sessions do not persist" in note)


def test_under_wasmtime_the_draft_store_serves_but_forgets_between_requests(
    tool: bytes, tmp_path: Path
) -> None:
    """What docs/serving.md warns of: ``-Skeyvalue`` opens a fresh in-memory bucket per request, so
    the session ``initialize`` wrote is unknown to the very next request."""
    server = tmp_path / "server.wasm"
    server.write_bytes(compose_server([tool], store="keyvalue-draft", transport="http"))
    cache = tmp_path / "cache.toml"
    cache.write_text(f'[cache]\ndirectory = "{tmp_path / "wasmtime-cache"}"\n')
    hello = {
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    }  # fmt: skip
    with serving(server, cache, tmp_path / "server.log", "-Skeyvalue") as url:
        reply = request(url, hello)
        assert reply.status == 200, reply.body
        session = reply.headers["mcp-session-id"]
        headers = {"Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-11-25"}
        later = request(url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=headers)
    assert later.status == 404 and "unknown or expired session" in later.json()["error"]["message"]


def test_the_cli_composes_a_keyvalue_server_and_says_where_its_sessions_live(
    tool: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "tool.wasm").write_bytes(tool)
    out = tmp_path / "server.wasm"
    assert (
        main(["compose", "server", str(tmp_path / "tool.wasm"), "--store", "keyvalue", "-o", str(out)]) == 0
    )
    printed = capsys.readouterr().out
    assert "-Skeyvalue" in printed and "--dir" not in printed
    assert "note: its sessions live in the host's wasi:keyvalue@0.2.0-draft2 bucket `default`" in printed
    assert server_record(decode(out.read_bytes())) == {"store": "keyvalue"}
