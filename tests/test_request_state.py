"""The sealed ``requestState`` of MCP 2026-07-28 multi round-trip input (SEP-2322).

A tool that asks a 2026 client for input is answered with an ``InputRequiredResult``; its
``requestState`` is XChaCha20-Poly1305 (Monocypher, in the context provider) under
``WACPY_STATE_KEY`` with the request's method, name and arguments as associated data. Any changed
character, another tool or other arguments, another key or an expired state is refused with a
JSON-RPC error, and the answers it carries are the only thing a retry takes from it.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testkit.components import require_components
from testkit.serving import JSON, request, serving
from tests.conformance import harness

VERSION = "2026-07-28"
META: JSON = {
    "io.modelcontextprotocol/protocolVersion": VERSION,
    "io.modelcontextprotocol/clientInfo": {"name": "wacpy-tests", "version": "1"},
    "io.modelcontextprotocol/clientCapabilities": {"elicitation": {}, "sampling": {}, "roots": {}},
}
ELICIT = "test_input_required_result_elicitation"
CONFIRM = "test_input_required_result_request_state"
MULTI_ROUND = "test_input_required_result_multi_round"
B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@contextmanager
def server(name: str, *env: str) -> Iterator[str]:
    """The conformance fixture server (instances reused) with ``env`` as its environment."""
    require_components("transport", "context-provider", "session-store-filesystem")
    options = [f"--env={pair}" for pair in env]
    state = harness.state_dir(f"state-{name}")
    log = harness.workdir() / f"serve-{name}.log"
    with serving(
        harness.server_wasm(), harness.cache_config(), log, "--dir", f"{state}::/state",
        "--max-instance-reuse-count", "1000", *options,
    ) as url:  # fmt: skip
        yield url


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with server("request-state", f"WACPY_STATE_KEY={secrets.token_hex(32)}") as url:
        yield url


def call(url: str, tool: str, arguments: JSON = None, **retry: JSON) -> dict[str, Any]:
    """A 2026-07-28 ``tools/call`` (with ``inputResponses`` / ``requestState`` as given); the answer."""
    params: dict[str, JSON] = {"name": tool, "arguments": arguments or {}, "_meta": META, **retry}
    body = {"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": params}
    headers = {"MCP-Protocol-Version": VERSION, "Mcp-Method": "tools/call", "Mcp-Name": tool}
    answer: dict[str, Any] = request(url, body, headers=headers).message()
    return answer


def accept(**content: JSON) -> JSON:
    return {"action": "accept", "content": content}


def first_round(url: str, tool: str = CONFIRM, arguments: JSON = None) -> dict[str, Any]:
    result: dict[str, Any] = call(url, tool, arguments)["result"]
    assert result["resultType"] == "input_required"
    return result


def test_a_retry_with_the_answer_and_its_state_completes(url: str) -> None:
    asked = first_round(url)
    assert asked["inputRequests"]["confirm"]["method"] == "elicitation/create"
    assert set(asked["requestState"]) <= set(B64URL)
    done = call(url, CONFIRM, inputResponses={"confirm": accept(ok=True)}, requestState=asked["requestState"])
    assert done["result"]["resultType"] == "complete"
    assert done["result"]["content"][0]["text"] == "state-ok: confirmed ok=true"


def test_a_state_carries_the_answers_of_earlier_rounds(url: str) -> None:
    first = call(url, MULTI_ROUND)["result"]
    second = call(
        url, MULTI_ROUND, inputResponses={"step1": accept(name="Ada")}, requestState=first["requestState"]
    )
    assert list(second["result"]["inputRequests"]) == ["step2"]
    state = second["result"]["requestState"]
    assert state != first["requestState"]
    done = call(url, MULTI_ROUND, inputResponses={"step2": accept(color="red")}, requestState=state)
    assert done["result"]["content"][0]["text"] == "name=Ada, color=red"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_changed_character_of_the_state_is_refused(url: str, data: st.DataObject) -> None:
    state = first_round(url)["requestState"]
    at = data.draw(st.integers(0, len(state) - 1), label="position")
    replacement = data.draw(
        st.sampled_from([c for c in B64URL + "=.~ é" if c != state[at]]), label="character"
    )
    changed = state[:at] + replacement + state[at + 1 :]
    answer = call(url, CONFIRM, inputResponses={"confirm": accept(ok=True)}, requestState=changed)
    assert "result" not in answer
    assert answer["error"]["code"] == -32602 and "requestState" in answer["error"]["message"]


@pytest.mark.parametrize(
    "change",
    ["truncated", "extended", "empty", "another tool", "other arguments"],
)
def test_a_state_is_good_for_its_own_request_alone(url: str, change: str) -> None:
    state = first_round(url)["requestState"]
    tool, arguments = CONFIRM, {}
    if change == "truncated":
        state = state[:-4]
    elif change == "extended":
        state += "AAAA"
    elif change == "empty":
        state = ""
    elif change == "another tool":
        tool = "test_input_required_result_tampered_state"
    else:
        arguments = {"confirm": "yes"}
    answer = call(url, tool, arguments, inputResponses={"confirm": accept(ok=True)}, requestState=state)
    assert answer["error"]["code"] == -32602, answer


def test_a_state_sealed_with_another_key_is_refused(url: str) -> None:
    with server("request-state-other-key", f"WACPY_STATE_KEY={secrets.token_hex(32)}") as other:
        state = first_round(other)["requestState"]
    answer = call(url, CONFIRM, inputResponses={"confirm": accept(ok=True)}, requestState=state)
    assert answer["error"]["code"] == -32602


def test_an_expired_state_is_refused() -> None:
    with server("request-state-ttl", f"WACPY_STATE_KEY={secrets.token_hex(32)}", "WACPY_STATE_TTL=1") as url:
        state = first_round(url)["requestState"]
        time.sleep(2.2)
        answer = call(url, CONFIRM, inputResponses={"confirm": accept(ok=True)}, requestState=state)
    assert answer["error"]["code"] == -32602 and "expired" in answer["error"]["message"]


@pytest.mark.parametrize("key", [None, "not-hex", "ab" * 31])
def test_asking_without_a_good_key_is_a_clear_error(key: str | None) -> None:
    env = () if key is None else (f"WACPY_STATE_KEY={key}",)
    with server("request-state-no-key", *env) as url:
        answer = call(url, ELICIT)
        served = call(url, "test_simple_text")
    assert answer["error"]["code"] == -32603 and "WACPY_STATE_KEY" in answer["error"]["message"]
    assert served["result"]["resultType"] == "complete"  # everything else is served as before


def test_answers_that_are_not_results_are_invalid_params(url: str) -> None:
    responses: JSON
    for responses in ({"user_name": 12345}, None, [], "x"):
        answer = call(url, ELICIT, inputResponses=responses)
        assert answer["error"]["code"] == -32602, answer
    assert call(url, ELICIT, requestState=42)["error"]["code"] == -32602
