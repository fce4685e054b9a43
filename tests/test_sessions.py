"""Stateful servers (``compose_server(store="filesystem")``) under stock ``wasmtime serve``:
sessions, typed session values, requests to the client and their answers, and the store's errors.

The tools are a C project built the way authors build theirs (``testkit/fixtures/session_tools``).
Every server runs with wasmtime's default of a fresh instance per request, so whatever a test
sees again in a later request came through the store directory.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from testkit.components import build_session_tools, require_components
from testkit.serving import JSON, EventStream, Reply, request, serving
from wacpy.authoring import build_project, new_project
from wacpy.mcp import compose_server
from wacpy.tools import wasmtime_path

ELICITING: JSON = {"elicitation": {}}
ID_CHARS = set("0123456789abcdef")


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_components("transport", "context-provider", "session-store-filesystem", "session-store-none")
    return tmp_path_factory.mktemp("sessions")


@pytest.fixture(scope="module")
def tools(work: Path) -> bytes:
    return build_session_tools(work)


@pytest.fixture(scope="module")
def cache(work: Path) -> Path:
    config = work / "wasmtime-cache.toml"
    config.write_text(f'[cache]\ndirectory = "{work / "wasmtime-cache"}"\n')
    return config


@pytest.fixture(scope="module")
def stateful(work: Path, tools: bytes) -> Path:
    path = work / "stateful.wasm"
    path.write_bytes(compose_server([tools], store="filesystem", transport="http"))
    return path


@contextmanager
def served(
    work: Path, cache: Path, server: Path, name: str, *options: str, state: bool = True
) -> Iterator[str]:
    """The server on a free loopback port with a fresh state directory preopened at /state
    (none with ``state=False``)."""
    if state:
        directory = work / f"state-{name}"
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir()
        options = ("--dir", f"{directory}::/state", *options)
    with serving(server, cache, work / f"{name}.log", *options) as url:
        yield url


def initialize(url: str, capabilities: JSON = None) -> str:
    reply = request(url, _message("initialize", {
        "protocolVersion": "2025-11-25", "capabilities": capabilities or {},
        "clientInfo": {"name": "test", "version": "1"},
    }))  # fmt: skip
    assert reply.status == 200, reply.body
    session = reply.headers["mcp-session-id"]
    notified = request(
        url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=_session(session)
    )
    assert notified.status == 202
    return session


def _message(method: str, params: JSON = None, id: int | str = 1) -> dict[str, JSON]:
    message: dict[str, JSON] = {"jsonrpc": "2.0", "id": id, "method": method}
    if params is not None:
        message["params"] = params
    return message


def _session(session: str) -> dict[str, str]:
    return {"Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-11-25"}


def call(url: str, session: str | None, name: str, arguments: JSON = None) -> Reply:
    headers = {} if session is None else _session(session)
    return request(url, _message("tools/call", {"name": name, "arguments": arguments or {}}), headers=headers)


def text_of(reply: Reply) -> tuple[str, bool]:
    """The tool result's text and whether it is an error."""
    assert reply.status == 200, reply.body
    result = reply.message()["result"]
    return result["content"][0]["text"], bool(result.get("isError"))


# -- sessions ----------------------------------------------------------------------------------


def test_initialize_issues_a_fresh_128_bit_session_id(work: Path, cache: Path, stateful: Path) -> None:
    with served(work, cache, stateful, "ids") as url:
        first, second = initialize(url), initialize(url)
    assert first != second
    assert len(first) == 32 and set(first) <= ID_CHARS


def test_session_values_outlive_the_instances_and_stay_in_their_session(
    work: Path, cache: Path, stateful: Path
) -> None:
    with served(work, cache, stateful, "values") as url:
        one, two = initialize(url), initialize(url)
        assert [text_of(call(url, one, "count"))[0] for _ in range(3)] == ["1", "2", "3"]
        assert text_of(call(url, two, "count"))[0] == "1"
        assert text_of(call(url, one, "recall"))[0] == "nothing"
        assert text_of(call(url, one, "remember", {"text": "buy milk"}))[0] == "kept"
        assert text_of(call(url, one, "recall"))[0] == "buy milk"
        assert text_of(call(url, two, "recall"))[0] == "nothing"
        assert sorted(text_of(call(url, one, "keys"))[0].split(",")) == ["counter/count", "counter/note"]
        assert text_of(call(url, one, "forget"))[0] == "forgotten"
        assert text_of(call(url, one, "recall"))[0] == "nothing"


def test_requests_without_or_with_an_unknown_session_are_refused(
    work: Path, cache: Path, stateful: Path
) -> None:
    with served(work, cache, stateful, "refused") as url:
        initialize(url)
        missing = call(url, None, "count")
        forged = call(url, "0123456789abcdef0123456789abcdef", "count")
        hostile = call(url, "../../../etc/passwd", "count")
    assert missing.status == 400 and "Mcp-Session-Id" in missing.json()["error"]["message"]
    assert forged.status == 404 and "unknown or expired session" in forged.json()["error"]["message"]
    assert hostile.status == 404


def test_delete_ends_the_session_and_its_values(work: Path, cache: Path, stateful: Path) -> None:
    state = work / "state-delete"
    with served(work, cache, stateful, "delete") as url:
        session = initialize(url)
        text_of(call(url, session, "count"))
        assert (state / session).is_dir()
        ended = request(url, method="DELETE", headers=_session(session))
        again = request(url, method="DELETE", headers=_session(session))
        after = call(url, session, "count")
    assert ended.status == 200
    assert again.status == 404 and after.status == 404
    assert not (state / session).exists()


def test_an_idle_session_expires(work: Path, cache: Path, stateful: Path) -> None:
    with served(work, cache, stateful, "idle", "--env", "WACPY_MCP_SESSION_IDLE=1") as url:
        session = initialize(url)
        time.sleep(2.2)
        expired = call(url, session, "count")
    assert expired.status == 404


def test_a_stateless_server_keeps_no_session(work: Path, cache: Path, tools: bytes) -> None:
    stateless = work / "stateless.wasm"
    stateless.write_bytes(compose_server([tools], transport="http"))
    with served(work, cache, stateless, "stateless", state=False) as url:
        reply = request(url, _message("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                                     "clientInfo": {"name": "t", "version": "1"}}))  # fmt: skip
        counted = call(url, None, "count")
        deleted = request(url, method="DELETE")
    assert reply.status == 200 and "mcp-session-id" not in reply.headers
    message, is_error = text_of(counted)
    assert is_error and "no session" in message
    assert deleted.status == 405


# -- the store's errors -------------------------------------------------------------------------


def test_a_corrupt_entry_is_an_error_naming_its_key(work: Path, cache: Path, stateful: Path) -> None:
    state = work / "state-corrupt"
    with served(work, cache, stateful, "corrupt") as url:
        session = initialize(url)
        text_of(call(url, session, "count"))
        entry = state / session / "v.counter%2Fcount"
        entry.write_bytes(entry.read_bytes()[:-3] + b"\xff\xff\xff")
        message, is_error = text_of(call(url, session, "count"))
        (state / session / "session").write_bytes(b"not an entry")
        record = call(url, session, "count")
    assert is_error
    assert f"{session}/v.counter/count" in message and "corrupt" in message
    assert record.status == 500 and f"{session}/session" in record.json()["error"]["message"]


def test_a_missing_state_directory_is_named(work: Path, cache: Path, stateful: Path) -> None:
    with served(work, cache, stateful, "no-dir", state=False) as url:
        reply = request(url, _message("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                                     "clientInfo": {"name": "t", "version": "1"}}))  # fmt: skip
    error = reply.json()["error"]
    assert "no directory is preopened at /state" in error["message"]


@contextmanager
def tmpfs(path: Path, *options: str) -> Iterator[Path]:
    """A small tmpfs mounted at ``path`` for a full or read-only store (skips where mounting is not
    allowed: not root, or a container without the capability)."""
    path.mkdir(exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(path)],
                             capture_output=True, text=True)  # fmt: skip
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_full_store_is_an_error_naming_the_entry_and_the_server_goes_on(
    work: Path, cache: Path, stateful: Path
) -> None:
    state = work / "state-full"
    with (
        tmpfs(state, "size=64k"),
        serving(stateful, cache, work / "full.log", "--dir", f"{state}::/state") as url,
    ):
        session = initialize(url)
        message, is_error = text_of(call(url, session, "put", {"key": "big", "value": "x" * 200_000}))
        counted = text_of(call(url, session, "count"))
        leftovers = [p.name for p in (state / session).iterdir() if p.name.startswith(".tmp-")]
    assert is_error and message == f"session store: cannot write {session}/v.counter/big: no space left"
    assert counted == ("1", False)  # the session and the server carry on
    assert leftovers == []  # the failed write left no temporary file


def test_a_read_only_store_is_an_error_naming_the_entry(work: Path, cache: Path, stateful: Path) -> None:
    state = work / "state-read-only"
    with (
        tmpfs(state, "size=64k", "ro"),
        serving(stateful, cache, work / "ro.log", "--dir", f"{state}::/state") as url,
    ):
        reply = request(url, _message("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                                     "clientInfo": {"name": "t", "version": "1"}}))  # fmt: skip
    error = reply.json()["error"]
    assert error["code"] == -32603 and "mcp-session-id" not in reply.headers
    # the new session's scope, and why (wasmtime reports the read-only mount's EROFS as an I/O error)
    assert re.fullmatch(r"session store: cannot create [0-9a-f]{32}: (read-only|I/O error)", error["message"])


def test_concurrent_writers_on_one_session_lose_nothing(work: Path, cache: Path, stateful: Path) -> None:
    with served(work, cache, stateful, "concurrent") as url:
        session = initialize(url)
        with ThreadPoolExecutor(3) as pool:
            distinct = list(
                pool.map(lambda k: call(url, session, "put", {"key": k, "value": k * 100}), "abc")
            )
            same = list(
                pool.map(lambda v: call(url, session, "put", {"key": "same", "value": v * 5000}), "xyz")
            )
        keys = text_of(call(url, session, "keys"))[0].split(",")
        stored = (work / "state-concurrent" / session / "v.counter%2Fsame").read_bytes()
    assert all(text_of(r) == ("kept", False) for r in distinct + same)
    assert sorted(keys) == ["counter/a", "counter/b", "counter/c", "counter/same"]
    # one writer's whole value, never a mixture (24-byte header, then the tag and the text)
    assert stored[25:] in {v.encode() * 5000 for v in "xyz"}


# -- requests to the client ---------------------------------------------------------------------


def ask(url: str, session: str) -> EventStream:
    return EventStream(url, _message("tools/call", {"name": "ask", "arguments": {}}, id=7), _session(session))


def answer(url: str, session: str, request_id: JSON, result: JSON) -> Reply:
    return request(url, {"jsonrpc": "2.0", "id": request_id, "result": result}, headers=_session(session))


def test_an_elicitation_answer_reaches_the_waiting_tool(work: Path, cache: Path, stateful: Path) -> None:
    with served(work, cache, stateful, "elicit") as url:
        session = initialize(url, ELICITING)
        stream = ask(url, session)
        try:
            asked = stream.next_event()
            accepted = answer(url, session, asked["id"], {"action": "accept", "content": {"name": "Ada"}})
            final = stream.next_event()
        finally:
            stream.close()
    assert asked["method"] == "elicitation/create"
    assert asked["params"]["requestedSchema"]["required"] == ["name"]
    assert accepted.status == 202
    assert final["id"] == 7
    assert json.loads(final["result"]["content"][0]["text"]) == {
        "action": "accept",
        "content": {"name": "Ada"},
    }


def test_answers_from_another_session_or_for_no_request_are_dropped(
    work: Path, cache: Path, stateful: Path
) -> None:
    with served(work, cache, stateful, "wrong-answer", "--env", "WACPY_MCP_ANSWER_TIMEOUT=3") as url:
        session, other = initialize(url, ELICITING), initialize(url, ELICITING)
        stream = ask(url, session)
        try:
            asked = stream.next_event()
            foreign = answer(url, other, asked["id"], {"action": "accept", "content": {"name": "Mallory"}})
            unknown = answer(url, session, "wacpy-0000000000000000", {"action": "decline"})
            events = [stream.next_event(), stream.next_event()]
        finally:
            stream.close()
    assert foreign.status == 202 and unknown.status == 202
    cancelled, final = events
    assert (
        cancelled["method"] == "notifications/cancelled" and cancelled["params"]["requestId"] == asked["id"]
    )
    message = final["result"]["content"][0]["text"]
    assert final["result"]["isError"] and "did not answer in time" in message


def test_copies_of_an_answer_sent_at_once_leave_nothing_behind(
    work: Path, cache: Path, stateful: Path
) -> None:
    """A client that sends its answer several times at once: the tool takes one, and no copy that
    landed after it stays in the session (a copy stored once the request stopped waiting is
    removed by the request that stored it)."""
    state = work / "state-copies"
    accepted: JSON = {"action": "accept", "content": {"name": "Ada"}}
    with served(work, cache, stateful, "copies") as url:
        session = initialize(url, ELICITING)

        def answered(request_id: JSON) -> set[int]:
            with ThreadPoolExecutor(4) as pool:
                return {
                    r.status for r in pool.map(lambda _: answer(url, session, request_id, accepted), range(4))
                }

        results, statuses = [], set()
        for _ in range(4):
            stream = ask(url, session)
            try:
                statuses |= answered(stream.next_event()["id"])
                results.append(stream.next_event()["result"])
            finally:
                stream.close()
        time.sleep(0.2)  # the last copies' requests have ended by now
        left = sorted(
            p.name for p in (state / session).iterdir() if p.name.startswith(("answer.", "pending."))
        )
    assert statuses == {202}
    assert all(json.loads(r["content"][0]["text"])["content"] == {"name": "Ada"} for r in results)
    assert left == []


def test_a_delete_racing_writers_ends_the_session_whole(work: Path, cache: Path, stateful: Path) -> None:
    """DELETE while three clients keep writing values: it succeeds, later writes are refused, and
    no write brings the cleared session's directory back."""
    state = work / "state-racing"
    with served(work, cache, stateful, "racing") as url:
        for round in range(3):
            session = initialize(url)

            def write(n: int, session: str = session) -> int:
                return call(url, session, "put", {"key": f"k{n % 5}", "value": "v" * 3000}).status

            with ThreadPoolExecutor(4) as pool:
                writes = [pool.submit(write, n) for n in range(24)]
                time.sleep(0.02 * round)
                ended = pool.submit(request, url, method="DELETE", headers=_session(session))
                statuses = {w.result() for w in writes}
            assert ended.result().status == 200, ended.result().body
            assert statuses <= {200, 404}
            assert call(url, session, "count").status == 404
            assert not (state / session).exists(), sorted(p.name for p in (state / session).iterdir())


def test_an_abandoned_session_is_cleared_by_a_later_initialize(
    work: Path, cache: Path, stateful: Path
) -> None:
    state = work / "state-abandoned"
    with served(work, cache, stateful, "abandoned", "--env", "WACPY_MCP_SESSION_IDLE=1") as url:
        old = initialize(url)
        text_of(call(url, old, "count"))
        time.sleep(2.2)
        new = initialize(url)
    assert not (state / old).exists() and (state / new / "session").is_file()
    assert sorted(p.name for p in (state / "sessions").iterdir()) == [new]


def test_a_client_that_did_not_declare_elicitation_is_not_asked(
    work: Path, cache: Path, stateful: Path
) -> None:
    with served(work, cache, stateful, "undeclared") as url:
        session = initialize(url, {})
        message, is_error = text_of(call(url, session, "ask"))
    assert is_error and "did not declare" in message and "elicitation" in message


def test_a_tool_waiting_for_an_answer_holds_no_worker(work: Path, cache: Path, stateful: Path) -> None:
    """Three tools wait on one 2-core machine while other requests are answered at once."""
    with served(work, cache, stateful, "waiting") as url:
        session = initialize(url, ELICITING)
        streams = [ask(url, session) for _ in range(3)]
        try:
            asked = [s.next_event() for s in streams]
            started = time.monotonic()
            counted = [text_of(call(url, session, "count"))[0] for _ in range(5)]
            elapsed = time.monotonic() - started
            for a in asked:
                answer(url, session, a["id"], {"action": "decline"})
            finals = [s.next_event() for s in streams]
        finally:
            for s in streams:
                s.close()
    assert counted == ["1", "2", "3", "4", "5"]
    assert elapsed < 20  # a busy-waiting tool would starve these until the answers came
    assert [json.loads(f["result"]["content"][0]["text"]) for f in finals] == [{"action": "decline"}] * 3
    assert len({a["id"] for a in asked}) == 3


# -- streams: priming, resumption, the standalone stream -----------------------------------------


def events_of(body: bytes) -> list[dict[str, str]]:
    """The SSE events of a whole body, each as its fields (`id`, `retry`, `data`; comments dropped)."""
    found = []
    for block in body.decode().split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if line and not line.startswith(":"):
                name, _, value = line.partition(":")
                fields[name] = fields.get(name, "") + value.removeprefix(" ")
        if fields:
            found.append(fields)
    return found


def stream_get(
    url: str, session: str, last_event_id: str | None = None, accept: str = "text/event-stream"
) -> Reply:
    headers = {**_session(session), "Accept": accept}
    if last_event_id is not None:
        headers["Last-Event-ID"] = last_event_id
    return request(url, method="GET", headers=headers)


def test_a_closed_stream_is_resumed_from_the_last_event_id(work: Path, cache: Path, stateful: Path) -> None:
    with served(work, cache, stateful, "resume") as url:
        session = initialize(url)
        closed = call(url, session, "reconnect")
        priming = events_of(closed.body)
        resumed = stream_get(url, session, priming[-1]["id"])
        again = stream_get(url, session, events_of(resumed.body)[-1]["id"])
    assert closed.headers["content-type"] == "text/event-stream"
    # only the priming event: an id, the reconnection delay, empty data
    assert len(priming) == 1 and priming[0]["data"] == "" and priming[0]["retry"] == "1000"
    stream = priming[0]["id"].split(".")[1]
    assert priming[0]["id"] == f"r.{stream}.0"
    kept = [e for e in events_of(resumed.body) if "data" in e]
    assert [e["id"] for e in kept] == [f"r.{stream}.1", f"r.{stream}.2"]
    logged, answered = (json.loads(e["data"]) for e in kept)
    assert logged["method"] == "notifications/message" and logged["params"]["data"] == "after the close"
    assert answered["id"] == 1 and answered["result"]["content"][0]["text"] == "resumed"
    # the stream had ended: a reconnection after its last event gets nothing more, at once
    assert [e for e in events_of(again.body) if "data" in e] == []


def test_events_on_a_session_stream_carry_ids(work: Path, cache: Path, stateful: Path) -> None:
    with served(work, cache, stateful, "ids-on-stream") as url:
        session = initialize(url, ELICITING)
        stream = ask(url, session)
        try:
            asked = stream.next_event()
            answer(url, session, asked["id"], {"action": "decline"})
            final = stream.next_event()
        finally:
            stream.close()
    assert asked["method"] == "elicitation/create" and final["id"] == 7


def test_get_needs_a_session_and_an_event_stream(
    work: Path, cache: Path, stateful: Path, tools: bytes
) -> None:
    stateless = work / "stateless-get.wasm"
    stateless.write_bytes(compose_server([tools], transport="http"))
    with served(work, cache, stateful, "get-refused") as url:
        session = initialize(url)
        missing = request(url, method="GET", headers={"Accept": "text/event-stream"})
        unknown = stream_get(url, "0123456789abcdef0123456789abcdef")
        json_only = stream_get(url, session, accept="application/json")
    with served(work, cache, stateless, "get-stateless", state=False) as url:
        no_sessions = request(url, method="GET", headers={"Accept": "text/event-stream"})
    assert missing.status == 400 and unknown.status == 404 and json_only.status == 406
    assert no_sessions.status == 405 and no_sessions.headers["allow"] == "POST"


@pytest.fixture(scope="module")
def with_resources(work: Path, tools: bytes) -> Path:
    """The session tools and the C resources template (resource `notes://readme`), with a store."""
    root = new_project("notes", language="c", template="resources", parent=work)
    path = work / "with-resources.wasm"
    path.write_bytes(compose_server([tools, build_project(root).output.read_bytes()], store="filesystem"))
    return path


def notifications(reply: Reply) -> list[str]:
    assert reply.status == 200, reply.body
    return [json.loads(e["data"])["method"] for e in events_of(reply.body) if e.get("data")]


def test_a_resource_change_reaches_the_subscribed_sessions_only(
    work: Path, cache: Path, with_resources: Path
) -> None:
    with served(work, cache, with_resources, "updated", "--env", "WACPY_MCP_STREAM_HOLD=1") as url:
        watcher, other = initialize(url), initialize(url)
        capabilities = request(url, _message("initialize", {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"},
        })).json()["result"]["capabilities"]  # fmt: skip
        subscribed = request(
            url, _message("resources/subscribe", {"uri": "notes://readme"}), headers=_session(watcher)
        )
        assert subscribed.status == 200 and "result" in subscribed.json()
        assert text_of(call(url, other, "touch", {"uri": "notes://readme"}))[0] == "touched"
        assert text_of(call(url, other, "touch", {"uri": "notes://other"}))[0] == "touched"
        delivered = stream_get(url, watcher)
        once = stream_get(url, watcher)
        elsewhere = stream_get(url, other)
    assert capabilities["resources"] == {"subscribe": True, "listChanged": True}
    assert notifications(delivered) == ["notifications/resources/updated"]
    updated = next(json.loads(e["data"]) for e in events_of(delivered.body) if e.get("data"))
    assert updated["params"] == {"uri": "notes://readme"}
    assert notifications(once) == [] and notifications(elsewhere) == []


def test_a_list_change_reaches_every_live_session(work: Path, cache: Path, with_resources: Path) -> None:
    with served(work, cache, with_resources, "changed", "--env", "WACPY_MCP_STREAM_HOLD=1") as url:
        one, two, ended = initialize(url), initialize(url), initialize(url)
        assert request(url, method="DELETE", headers=_session(ended)).status == 200
        assert text_of(call(url, one, "change"))[0] == "changed"
        seen = [notifications(stream_get(url, session)) for session in (one, two)]
    assert seen == [["notifications/tools/list_changed"]] * 2
    assert not (work / "state-changed" / ended).exists()  # nothing was written for the ended session


def test_a_session_holds_a_bounded_number_of_notifications(
    work: Path, cache: Path, with_resources: Path
) -> None:
    with served(work, cache, with_resources, "outbox", "--env", "WACPY_MCP_STREAM_HOLD=1") as url:
        session = initialize(url)
        for _ in range(70):
            call(url, session, "change")
        delivered = notifications(stream_get(url, session))
    assert delivered == ["notifications/tools/list_changed"] * 64


def test_a_get_stream_ends_with_its_session(work: Path, cache: Path, stateful: Path) -> None:
    with served(work, cache, stateful, "stream-ends") as url:
        session = initialize(url)
        with ThreadPoolExecutor(1) as pool:
            waiting = pool.submit(stream_get, url, session)
            time.sleep(0.5)
            start = time.monotonic()
            assert request(url, method="DELETE", headers=_session(session)).status == 200
            ended = waiting.result(timeout=10)
        took = time.monotonic() - start
    assert ended.status == 200
    assert took < 5  # not the 20 s hold


def test_stdio_is_one_session_with_values_subscriptions_and_list_changes(
    work: Path, cache: Path, with_resources: Path
) -> None:
    """Under ``wasmtime run`` the process is the session: no store, no state directory."""
    lines = [
        _message("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                "clientInfo": {"name": "t", "version": "1"}}, id=1),
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        _message("resources/subscribe", {"uri": "notes://readme"}, id=2),
        _message("tools/call", {"name": "touch", "arguments": {"uri": "notes://readme"}}, id=3),
        _message("tools/call", {"name": "touch", "arguments": {"uri": "notes://other"}}, id=4),
        _message("resources/unsubscribe", {"uri": "notes://readme"}, id=5),
        _message("tools/call", {"name": "touch", "arguments": {"uri": "notes://readme"}}, id=6),
        _message("tools/call", {"name": "change", "arguments": {}}, id=7),
        _message("tools/call", {"name": "count", "arguments": {}}, id=8),
        _message("tools/call", {"name": "count", "arguments": {}}, id=9),
    ]  # fmt: skip
    done = subprocess.run(
        [wasmtime_path(), "run", "-C", f"cache-config={cache}", "-Scli", "-Shttp", str(with_resources)],
        input="".join(json.dumps(line) + "\n" for line in lines).encode(),
        capture_output=True, timeout=60, check=True,
    )  # fmt: skip
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    shown = [m.get("method") or m["id"] for m in out]
    assert shown == [
        1,
        2,
        "notifications/resources/updated",
        3,
        4,
        5,
        6,
        "notifications/tools/list_changed",
        7,
        8,
        9,
    ]
    assert out[0]["result"]["capabilities"]["resources"] == {"subscribe": True, "listChanged": True}
    assert out[2]["params"] == {"uri": "notes://readme"}
    assert [m["result"]["content"][0]["text"] for m in out[-2:]] == ["1", "2"]


PYTHON_TOOLS = '''
from wacpy_sdk import Context, Server

server = Server("py-session")


@server.tool
def tally(ctx: Context) -> int:
    """Count calls in this session."""
    ctx.session["tally"] = ctx.session.get_int("tally", 0) + 1
    return ctx.session.get_int("tally", 0)


@server.tool
def announce(uri: str, ctx: Context) -> str:
    """Say the tools and resource `uri` changed."""
    ctx.list_changed("tools")
    ctx.resource_updated(uri)
    return "announced"
'''


def test_a_python_component_uses_the_session_and_announces_changes(work: Path, cache: Path) -> None:
    """The Python SDK's session values and change notifications, over stdio (one implicit session)."""
    root = new_project("py-session", language="python", template="tools", parent=work)
    (root / "app.py").write_text(PYTHON_TOOLS)
    server = work / "py-session.wasm"
    server.write_bytes(compose_server([build_project(root).output.read_bytes()]))
    lines = [
        _message("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                "clientInfo": {"name": "t", "version": "1"}}, id=1),
        _message("tools/call", {"name": "tally", "arguments": {}}, id=2),
        _message("tools/call", {"name": "tally", "arguments": {}}, id=3),
        _message("tools/call", {"name": "announce", "arguments": {"uri": "notes://x"}}, id=4),
    ]  # fmt: skip
    done = subprocess.run(
        [wasmtime_path(), "run", "-C", f"cache-config={cache}", "-Scli", "-Shttp", str(server)],
        input="".join(json.dumps(line) + "\n" for line in lines).encode(),
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [m.get("method") or m["id"] for m in out] == [1, 2, 3, "notifications/tools/list_changed", 4]
    assert [out[i]["result"]["structuredContent"] for i in (1, 2)] == [{"result": 1}, {"result": 2}]
