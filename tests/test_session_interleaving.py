"""Random interleavings of sessions, requests to the client, their answers and DELETEs, spread over
two ``wasmtime serve`` processes that share one store directory: whatever the order and whichever
process takes a request, a session's values stay its own and an answer reaches only the request it
names, in the session it was sent to.

The model is small on purpose: per session, its counter and whether it was deleted; per pending
``ask``, its stream, its session and its request id. Each example ends by settling every pending
ask (answered with its own token, or timing out when its session is gone).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testkit.components import build_session_tools, require_components
from testkit.serving import JSON, EventStream, request, serving
from wacpy.mcp import compose_server

ANSWER_TIMEOUT = 3  # seconds: a pending ask whose session was deleted ends this soon
MAX_PENDING = 3  # each pending ask holds an instance and a connection


@pytest.fixture(scope="module")
def urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    require_components("transport", "context-provider", "session-store-filesystem")
    work = tmp_path_factory.mktemp("interleaving")
    server = work / "server.wasm"
    server.write_bytes(compose_server([build_session_tools(work)], store="filesystem", transport="http"))
    state = work / "state"
    state.mkdir()
    cache = work / "cache.toml"
    cache.write_text(f'[cache]\ndirectory = "{work / "cache"}"\n')
    options = ("--dir", f"{state}::/state", "--env", f"WACPY_MCP_ANSWER_TIMEOUT={ANSWER_TIMEOUT}")
    with ExitStack() as stack:
        yield [
            stack.enter_context(serving(server, cache, work / f"serve-{i}.log", *options)) for i in range(2)
        ]


def headers(session: str) -> dict[str, str]:
    return {"Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-11-25"}


def message(method: str, params: JSON, id: JSON = 1) -> dict[str, JSON]:
    return {"jsonrpc": "2.0", "id": id, "method": method, "params": params}


@dataclass
class Pending:
    stream: EventStream
    session: int
    request_id: str
    started: float  # time.monotonic() when the server sent the request


@dataclass
class World:
    """The model: what each session should hold, and the asks still waiting."""

    urls: list[str]
    sessions: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    deleted: list[bool] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    tokens: int = 0

    def token(self) -> str:
        self.tokens += 1
        return f"token-{self.tokens}"

    def open(self, via: int) -> None:
        url = self.urls[via]
        reply = request(url, message("initialize", {
            "protocolVersion": "2025-11-25", "capabilities": {"elicitation": {}},
            "clientInfo": {"name": "interleaving", "version": "1"},
        }))  # fmt: skip
        assert reply.status == 200, reply.body
        session = reply.headers["mcp-session-id"]
        notified = request(
            url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=headers(session)
        )
        assert notified.status == 202
        self.sessions.append(session)
        self.counts.append(0)
        self.deleted.append(False)

    def count(self, via: int, which: int) -> None:
        reply = request(self.urls[via], message("tools/call", {"name": "count", "arguments": {}}),
                        headers=headers(self.sessions[which]))  # fmt: skip
        if self.deleted[which]:
            assert reply.status == 404
            return
        assert reply.status == 200, reply.body
        self.counts[which] += 1
        assert reply.message()["result"]["content"][0]["text"] == str(self.counts[which])

    def ask(self, via: int, which: int) -> None:
        if len(self.pending) >= MAX_PENDING or self.deleted[which]:
            return
        body = message("tools/call", {"name": "ask", "arguments": {}}, id=f"ask-{self.tokens}")
        stream = EventStream(self.urls[via], body, headers(self.sessions[which]))
        asked = stream.next_event()
        assert asked["method"] == "elicitation/create"
        self.pending.append(Pending(stream, which, asked["id"], time.monotonic()))

    def answer(self, via: int, ask: Pending, token: str, *, as_session: int | None = None) -> int:
        """POST an answer to ``ask`` in session ``as_session`` (its own by default); the status."""
        session = self.sessions[ask.session if as_session is None else as_session]
        reply = request(self.urls[via], {
            "jsonrpc": "2.0", "id": ask.request_id,
            "result": {"action": "accept", "content": {"name": token}},
        }, headers=headers(session))  # fmt: skip
        return reply.status

    def settle(self, via: int, index: int) -> None:
        """Answer ask ``index`` properly and check the tool got exactly that answer."""
        ask = self.pending.pop(index)
        token = self.token()
        late = time.monotonic() - ask.started >= ANSWER_TIMEOUT
        status = self.answer(via, ask, token)
        seen = [ask.stream.next_event()]
        while "method" in seen[-1]:  # notifications before the answer
            seen.append(ask.stream.next_event())
        ask.stream.close()
        result = seen[-1]["result"]
        text = result["content"][0]["text"]
        if self.deleted[ask.session] or (late and result.get("isError")):
            # a deleted session takes no answer (404); on a slow machine a live one may have waited
            # longer than the timeout before the plan answered it: then it times out, never errs
            assert status == (404 if self.deleted[ask.session] else 202)
            assert result["isError"] and "did not answer in time" in text
            assert seen[0]["method"] == "notifications/cancelled"
            assert seen[0]["params"]["requestId"] == ask.request_id
        else:
            assert status == 202
            assert len(seen) == 1
            assert json.loads(text) == {"action": "accept", "content": {"name": token}}

    def misdirect(self, via: int, index: int, other: int) -> None:
        """An answer from another session, and one for a request nobody sent: neither completes a
        waiting ask (settling it later proves it still takes its own answer)."""
        ask = self.pending[index]
        if other != ask.session and not self.deleted[other]:
            assert self.answer(via, ask, "foreign", as_session=other) == 202
        if not self.deleted[ask.session]:
            forged = request(self.urls[via], {
                "jsonrpc": "2.0", "id": "wacpy-00000000deadbeef", "result": {"action": "decline"},
            }, headers=headers(self.sessions[ask.session]))  # fmt: skip
            assert forged.status == 202

    def delete(self, via: int, which: int) -> None:
        reply = request(self.urls[via], method="DELETE", headers=headers(self.sessions[which]))
        assert reply.status == (404 if self.deleted[which] else 200)
        self.deleted[which] = True

    def close(self) -> None:
        for ask in self.pending:
            ask.stream.close()


processes = st.integers(0, 1)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("open"), processes),
        st.tuples(st.just("count"), processes, st.integers(0, 3)),
        st.tuples(st.just("ask"), processes, st.integers(0, 3)),
        st.tuples(st.just("settle"), processes, st.integers(0, MAX_PENDING - 1)),
        st.tuples(st.just("misdirect"), processes, st.integers(0, MAX_PENDING - 1), st.integers(0, 3)),
        st.tuples(st.just("delete"), processes, st.integers(0, 3)),
    ),
    min_size=1,
    max_size=12,
)


def run(world: World, plan: list[tuple[Any, ...]]) -> None:
    world.open(0)
    for step, via, *args in plan:
        if step == "open":
            world.open(via)
            continue
        if step in ("settle", "misdirect"):
            if not world.pending:
                continue
            args[0] %= len(world.pending)
        else:
            args[0] %= len(world.sessions)
        if step == "misdirect":
            args[1] %= len(world.sessions)
        getattr(world, step)(via, *args)
    while world.pending:
        world.settle(0, 0)


def check(urls: list[str], plan: list[tuple[Any, ...]]) -> None:
    world = World(urls)
    try:
        run(world, plan)
    finally:
        world.close()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=steps)
def test_answers_reach_only_their_request_across_two_processes(
    urls: list[str], plan: list[tuple[Any, ...]]
) -> None:
    check(urls, plan)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=steps)
def test_answers_reach_only_their_request_many_interleavings(
    urls: list[str], plan: list[tuple[Any, ...]]
) -> None:
    check(urls, plan)


def test_a_fixed_interleaving_exercises_every_step(urls: list[str]) -> None:
    """One plan with every kind of step, so the properties above cannot pass by never asking."""
    plan = [("open", 1), ("ask", 1, 0), ("ask", 0, 1), ("misdirect", 0, 0, 1), ("misdirect", 1, 1, 0),
            ("count", 1, 0), ("count", 0, 1), ("delete", 1, 1), ("count", 0, 1), ("ask", 0, 0)]  # fmt: skip
    world = World(urls)
    try:
        run(world, plan)
    finally:
        world.close()
    # three asks settled (one timing out in its deleted session), both sessions counted once
    assert world.tokens == 3 and world.counts == [1, 1] and world.deleted == [False, True]
