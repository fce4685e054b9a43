"""OAuth mode (``WACPY_AUTH_MODE=oauth``): the composed server as an OAuth 2.1 resource server under
``wasmtime serve``, its keys fetched from a loopback JWKS server the test runs. Tokens come from
``wacpy.auth`` (joserfc); the bad ones are made by hand. Every refusal is checked for its status
and ``WWW-Authenticate``, and the server is asked again afterwards: it keeps serving.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import subprocess
import threading
import time
import warnings
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from joserfc import jwt as jose_jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from testkit.components import require_components
from testkit.serving import Reply, free_port, request, serving
from tests.conformance import harness
from wacpy.auth import ALGORITHMS, KeyPair, keygen, load_private_key, mint

ISSUER = "https://issuer.test"
AUDIENCE = "https://mcp.test/mcp"
SCOPE = "mcp:use"
PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
INITIALIZE = {
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}  # fmt: skip


class Keys:
    """A JWKS served on loopback: what it answers can change, and it counts its requests."""

    def __init__(self, jwks: Path) -> None:
        self.body = jwks.read_bytes()
        self.status = 200
        self.hits = 0
        self.max_age = 600
        keys = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                keys.hits += 1
                self.send_response(keys.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Cache-Control", f"max-age={keys.max_age}")
                self.end_headers()
                self.wfile.write(keys.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/jwks.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KeyPair]:
    folder = tmp_path_factory.mktemp("keys")
    made = {alg: keygen(folder, alg, f"key-{alg.lower()}") for alg in ALGORITHMS}
    keygen(folder / "later", "ES256", "added-later")  # a key the JWKS gets later (rotation)
    return made


@pytest.fixture(scope="module")
def keys(pairs: dict[str, KeyPair]) -> Iterator[Keys]:
    served = Keys(pairs["ES256"].jwks)
    yield served
    served.close()


def oauth_server(name: str, *env: str, reuse: bool = True) -> Any:
    require_components("transport", "context-provider", "session-store-filesystem")
    options = [f"--env={pair}" for pair in ("WACPY_AUTH_MODE=oauth", *env)]
    if reuse:
        options += ["--max-instance-reuse-count", "1000"]
    return serving(
        harness.server_wasm(), harness.cache_config(), harness.workdir() / f"serve-{name}.log",
        "--dir", f"{harness.state_dir(name)}::/state", *options,
    )  # fmt: skip


@pytest.fixture(scope="module")
def url(keys: Keys) -> Iterator[str]:
    env = (
        f"JWT_ISSUER={ISSUER}",
        f"JWT_JWKS_URI={keys.url}",
        f"JWT_AUDIENCE={AUDIENCE}",
        f"JWT_REQUIRED_SCOPES={SCOPE}",
    )
    with oauth_server("auth", *env) as url:
        yield url


def token(pairs: dict[str, KeyPair], alg: str = "ES256", **claims: Any) -> str:
    pair = pairs[alg]
    key = load_private_key(pair.private_pem, alg, pair.kid)
    base = {"audience": [AUDIENCE], "scopes": [SCOPE]}
    extra = {k: v for k, v in claims.items() if k not in ("audience", "scopes", "issuer", "ttl")}
    return mint(
        key, alg, issuer=claims.get("issuer", ISSUER), subject="ada", audience=claims.get("audience", base["audience"]),
        scopes=claims.get("scopes", base["scopes"]), ttl=claims.get("ttl", 300), extra=extra,
    )  # fmt: skip


def ask(url: str, authorization: str | None, body: Any = PING) -> Reply:
    return request(url, body, headers={} if authorization is None else {"Authorization": authorization})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def still_serving(url: str, pairs: dict[str, KeyPair]) -> None:
    assert ask(url, f"Bearer {token(pairs)}", INITIALIZE).status == 200


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_a_valid_token_of_each_algorithm_passes(
    url: str, pairs: dict[str, KeyPair], keys: Keys, alg: str
) -> None:
    reply = ask(url, f"Bearer {token(pairs, alg)}", INITIALIZE)
    assert reply.status == 200, reply.body
    assert reply.message()["result"]["protocolVersion"] == "2025-11-25"


def refusal(reply: Reply, status: int, error: str | None) -> None:
    assert reply.status == status, reply.body
    challenge = reply.headers["www-authenticate"]
    assert (
        challenge.startswith('Bearer resource_metadata="http://')
        and "/.well-known/oauth-protected-resource/mcp" in challenge
    )
    if error is None:
        assert "error=" not in challenge
    else:
        assert f'error="{error}"' in challenge


def forge(
    pairs: dict[str, KeyPair],
    header: dict[str, Any],
    claims: dict[str, Any] | None = None,
    signature: bytes = b"",
) -> str:
    now = int(time.time())
    body = claims or {"iss": ISSUER, "sub": "eve", "aud": AUDIENCE, "scope": SCOPE, "exp": now + 300}
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(body).encode())}.{b64(signature)}"


BAD: dict[str, Any] = {
    "malformed header": lambda p: "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
    "bearer without a token": lambda p: "Bearer ",
    "bad base64": lambda p: "Bearer " + token(p).replace(".", ".!", 1),
    "two parts": lambda p: "Bearer " + ".".join(token(p).split(".")[:2]),
    "alg none": lambda p: "Bearer " + forge(p, {"alg": "none", "kid": p["ES256"].kid}),
    "HS256 with the public key": lambda p: "Bearer " + hs256_with_public_key(p),
    "wrong signature": lambda p: (
        "Bearer " + token(p)[:-6] + ("AAAAAA" if not token(p).endswith("AAAAAA") else "BBBBBB")
    ),
    "signature of another key": lambda p: (
        "Bearer " + swap_signature(token(p, "ES256"), token(p, "ES256", sub="x"))
    ),
    "alg that does not fit the key": lambda p: "Bearer " + retag(token(p, "ES256"), "RS256"),
    "expired": lambda p: "Bearer " + token(p, exp=int(time.time()) - 3600),
    "not yet valid": lambda p: "Bearer " + token(p, nbf=int(time.time()) + 3600),
    "issued in the future": lambda p: "Bearer " + token(p, iat=int(time.time()) + 3600),
    "wrong issuer": lambda p: "Bearer " + token(p, issuer="https://evil.test"),
    "wrong audience": lambda p: "Bearer " + token(p, audience=["https://other.test/mcp"]),
    "no audience": lambda p: "Bearer " + token(p, audience=[]),
    "oversized": lambda p: "Bearer " + token(p, padding="x" * 9000),
    "crit header": lambda p: "Bearer " + forge(p, {"alg": "ES256", "crit": ["exp"]}),
}


def hs256_with_public_key(pairs: dict[str, KeyPair]) -> str:
    """The classic confusion: HMAC-SHA256 keyed with the RSA public key's JWK text."""
    public = json.dumps(json.loads(pairs["RS256"].jwks.read_text())["keys"][0]).encode()
    unsigned = forge(pairs, {"alg": "HS256", "kid": pairs["RS256"].kid})[:-1].rstrip(".")
    signature = hmac.new(public, unsigned.encode(), hashlib.sha256).digest()
    return f"{unsigned}.{b64(signature)}"


def swap_signature(one: str, other: str) -> str:
    return ".".join(one.split(".")[:2] + other.split(".")[2:])


def retag(jwt: str, alg: str) -> str:
    header, claims, signature = jwt.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    return ".".join([b64(json.dumps({**decoded, "alg": alg}).encode()), claims, signature])


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_token_is_refused_and_the_server_goes_on(
    url: str, pairs: dict[str, KeyPair], case: str
) -> None:
    refusal(ask(url, BAD[case](pairs)), 401, "invalid_token")
    still_serving(url, pairs)


def test_no_token_gets_the_challenge_without_an_error(url: str, pairs: dict[str, KeyPair]) -> None:
    reply = ask(url, None)
    refusal(reply, 401, None)
    assert reply.json()["error_description"] == "the request has no bearer token"


def test_a_missing_scope_is_403_naming_it(url: str, pairs: dict[str, KeyPair]) -> None:
    reply = ask(url, f"Bearer {token(pairs, scopes=['other'])}")
    refusal(reply, 403, "insufficient_scope")
    assert f'scope="{SCOPE}"' in reply.headers["www-authenticate"]
    assert (
        ask(url, f"Bearer {token(pairs, scp=[SCOPE], scopes=[])}", INITIALIZE).status == 200
    )  # `scp`: an array


def test_the_protected_resource_metadata(url: str) -> None:
    for path in ("/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"):
        reply = request(url.replace("/mcp", path), method="GET")
        assert reply.status == 200
        document = reply.json()
        assert document["authorization_servers"] == [ISSUER] and document["scopes_supported"] == [SCOPE]
        assert document["resource"].endswith("/mcp") and document["bearer_methods_supported"] == ["header"]


def test_an_unknown_kid_fetches_the_keys_again_but_not_for_every_token(pairs: dict[str, KeyPair]) -> None:
    """Rotation: a token signed with a key the cached JWKS lacks makes the server fetch the keys
    again, at most once per JWT_JWKS_REFETCH seconds (1 here) in an instance, however many such
    tokens come; once the JWKS has the key, its tokens pass."""
    served = Keys(pairs["ES256"].jwks)
    later = Path(pairs["ES256"].jwks).parent / "later"
    rotated = load_private_key(later / "added-later.key.pem", "ES256", "added-later")
    fresh = mint(rotated, "ES256", issuer=ISSUER, subject="ada", audience=[AUDIENCE], scopes=[SCOPE])
    env = (f"JWT_ISSUER={ISSUER}", f"JWT_JWKS_URI={served.url}", "JWT_JWKS_REFETCH=1")
    try:
        with oauth_server("auth-rotation", *env) as url:
            still_serving(url, pairs)
            before = served.hits
            started = time.monotonic()
            for _ in range(20):  # a kid the issuer never publishes, as fast as the server answers
                refusal(ask(url, f"Bearer {fresh}", INITIALIZE), 401, "invalid_token")
            seconds = time.monotonic() - started
            assert served.hits - before <= 2 * (int(seconds) + 2)  # per interval, not per token
            served.body = json.dumps(
                {
                    "keys": [
                        *json.loads(served.body)["keys"],
                        *json.loads((later / "jwks.json").read_text())["keys"],
                    ]
                }
            ).encode()
            deadline = time.monotonic() + 6
            while ask(url, f"Bearer {fresh}", INITIALIZE).status != 200:
                assert time.monotonic() < deadline, "the rotated key never verified"
                time.sleep(0.2)
    finally:
        served.close()


def test_fresh_instances_share_the_fetched_keys_through_the_store(pairs: dict[str, KeyPair]) -> None:
    """A fresh instance per request would fetch the keys every time; with a store the first one
    keeps them there (for their max-age) and the others read them."""
    served = Keys(pairs["ES256"].jwks)
    try:
        with oauth_server(
            "auth-fresh", f"JWT_ISSUER={ISSUER}", f"JWT_JWKS_URI={served.url}", reuse=False
        ) as url:
            for alg in (*ALGORITHMS, *ALGORITHMS):
                assert ask(url, f"Bearer {token(pairs, alg)}", INITIALIZE).status == 200
        assert served.hits == 1
    finally:
        served.close()


def test_a_token_that_passed_is_refused_once_its_key_is_withdrawn(pairs: dict[str, KeyPair]) -> None:
    """Verified tokens are remembered (their signature is not checked again), but keys fetched
    again forget them: a key the issuer withdrew stops its tokens within max-age."""
    served = Keys(pairs["ES256"].jwks)
    served.max_age = 1
    env = (f"JWT_ISSUER={ISSUER}", f"JWT_JWKS_URI={served.url}")
    try:
        with oauth_server("auth-withdrawn", *env) as url:
            good = f"Bearer {token(pairs, 'ES256')}"
            for _ in range(3):
                assert ask(url, good, INITIALIZE).status == 200
            keys = json.loads(served.body)["keys"]
            served.body = json.dumps({"keys": [k for k in keys if k["kid"] != pairs["ES256"].kid]}).encode()
            time.sleep(1.2)
            refusal(ask(url, good, INITIALIZE), 401, "invalid_token")
            assert (
                ask(url, f"Bearer {token(pairs, 'RS256')}", INITIALIZE).status == 200
            )  # the others still pass
    finally:
        served.close()


@pytest.mark.parametrize(
    ("env", "says"),
    [
        (("JWT_JWKS_URI=http://127.0.0.1:9/none",), "JWT_ISSUER"),
        ((f"JWT_ISSUER={ISSUER}",), "JWT_JWKS"),
        (
            (f"JWT_ISSUER={ISSUER}", 'JWT_JWKS={"keys":[]}', "JWT_JWKS_URI=http://127.0.0.1:9/none"),
            "not both",
        ),
        ((f"JWT_ISSUER={ISSUER}", "JWT_JWKS={not json"), "JWT_JWKS is not JSON"),
        ((f"JWT_ISSUER={ISSUER}", 'JWT_JWKS={"keys": "none"}'), "a keys array"),
        ((f"JWT_ISSUER={ISSUER}", "JWT_JWKS=[]"), "a keys array"),
    ],
    ids=["no issuer", "no keys", "keys twice", "keys not JSON", "keys not a list", "not an object"],
)
def test_a_misconfigured_oauth_mode_refuses_everything_clearly(env: tuple[str, ...], says: str) -> None:
    with oauth_server("auth-misconfigured", *env) as url:
        reply = ask(url, "Bearer x.y.z", INITIALIZE)
        again = ask(url, None, INITIALIZE)
    assert reply.status == again.status == 500 and says in reply.json()["error_description"]


@pytest.mark.parametrize("down", ["refused", "garbage", "500"])
def test_a_jwks_server_down_or_wrong_refuses_tokens_and_the_server_goes_on(
    pairs: dict[str, KeyPair], down: str
) -> None:
    served = Keys(pairs["ES256"].jwks)
    if down == "garbage":
        served.body = b"<html>not json</html>"
    elif down == "500":
        served.status = 500
    address = served.url if down != "refused" else f"http://127.0.0.1:{free_port()}/jwks.json"
    try:
        with oauth_server(f"auth-{down}", f"JWT_ISSUER={ISSUER}", f"JWT_JWKS_URI={address}") as url:
            for _ in range(2):
                reply = ask(url, f"Bearer {token(pairs)}")
                refusal(reply, 401, "invalid_token")
                assert "JWKS" in reply.json()["error_description"]
            assert (
                request(url.replace("/mcp", "/.well-known/oauth-protected-resource"), method="GET").status
                == 200
            )
    finally:
        served.close()


def test_public_mode_has_no_metadata_and_needs_no_token() -> None:
    require_components("transport", "context-provider", "session-store-filesystem")
    with harness.serve("serve-auth-public.log") as url:
        assert (
            request(url.replace("/mcp", "/.well-known/oauth-protected-resource"), method="GET").status == 404
        )
        assert ask(url, None, INITIALIZE).status == 200


def test_a_component_sees_who_is_calling(url: str, pairs: dict[str, KeyPair]) -> None:
    """The verified token reaches the chain: `context.caller` gives its subject and scopes."""
    meta = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
    }
    body = {
        "jsonrpc": "2.0",
        "id": 4,
        "method": "tools/call",
        "params": {"name": "test_whoami", "arguments": {}, "_meta": meta},
    }
    headers = {
        "Authorization": f"Bearer {token(pairs, 'EdDSA', scopes=[SCOPE, 'files:read'])}",
        "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "test_whoami",
    }  # fmt: skip
    answer = request(url, body, headers=headers).message()
    assert answer["result"]["content"][0]["text"] == f"subject=ada, scopes= {SCOPE} files:read"


def test_the_mcp_python_sdk_client_with_and_without_a_token(url: str, pairs: dict[str, KeyPair]) -> None:
    """The SDK's client with a bearer token initializes, lists and calls tools; without one the
    server answers 401 and names its metadata."""
    python = harness.sdk_python()
    client = Path(__file__).resolve().parent / "conformance" / "sdk_client.py"
    env = {**os.environ, "WACPY_TEST_BEARER": token(pairs, "RS256")}
    done = subprocess.run(
        [str(python), "-W", "ignore", str(client), "http", url],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout)
    assert seen["protocolVersion"] == "2025-11-25" and "test_whoami" in [t["name"] for t in seen["tools"]]
    assert (
        seen["calls"]["test_simple_text"]["content"][0]["text"]
        == "This is a simple text response for testing."
    )
    refused = subprocess.run(
        [str(python), "-W", "ignore", str(client), "http", url], capture_output=True, text=True, timeout=300
    )
    assert refused.returncode != 0 and "error response" in refused.stderr  # the SDK's words for the 401
    reply = ask(url, None, INITIALIZE)
    assert reply.status == 401 and "oauth-protected-resource" in reply.headers["www-authenticate"]


# -- differential: the server and joserfc agree on every token --------------------------------------

#: Offsets from now, well away from the 60 s leeway either way, so both sides judge alike.
OFFSETS = st.sampled_from([-7200, -600, 600, 7200])


def joserfc_accepts(jwt_text: str, jwks: dict[str, Any]) -> bool:
    """The independent verdict: joserfc verifies the signature and the registered claims
    (issuer, audience, exp required; nbf and iat checked with the same leeway); then the scope."""
    registry = jose_jwt.JWTClaimsRegistry(
        leeway=60, iss={"essential": True, "value": ISSUER}, aud={"essential": True, "values": [AUDIENCE]},
        exp={"essential": True},
    )  # fmt: skip
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            decoded = jose_jwt.decode(jwt_text, KeySet.import_key_set(jwks), algorithms=list(ALGORITHMS))  # type: ignore[arg-type]
        registry.validate(decoded.claims)
    except (JoseError, ValueError):
        return False
    return SCOPE in str(decoded.claims.get("scope", "")).split()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_server_and_joserfc_agree_on_random_tokens(
    url: str, pairs: dict[str, KeyPair], data: st.DataObject
) -> None:
    alg = data.draw(st.sampled_from(ALGORITHMS), label="alg")
    now = int(time.time())
    claims: dict[str, Any] = {"iss": data.draw(st.sampled_from([ISSUER, "https://evil.test"]), label="iss")}
    claims["aud"] = data.draw(
        st.sampled_from([AUDIENCE, [AUDIENCE, "x"], "https://other.test", ["x"]]), label="aud"
    )
    claims["exp"] = now + data.draw(OFFSETS, label="exp")
    for name in ("nbf", "iat"):
        if data.draw(st.booleans(), label=f"has {name}"):
            claims[name] = now + data.draw(OFFSETS, label=name)
    claims["scope"] = data.draw(st.sampled_from([SCOPE, "other", f"a {SCOPE}", ""]), label="scope")
    pair = pairs[alg]
    key = load_private_key(pair.private_pem, alg, pair.kid)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = jose_jwt.encode({"alg": alg, "kid": pair.kid}, claims, key, algorithms=[alg])
    if data.draw(st.booleans(), label="tamper"):
        at = data.draw(st.integers(0, len(text) - 1), label="position")
        if text[at] != ".":
            text = text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1 :]
    jwks = json.loads(pair.jwks.read_text())
    # stricter than joserfc on one point: a segment whose unused trailing bits are not zero (a
    # text no encoder makes, which lenient decoders read as the original bytes) is refused
    canonical = all(
        b64(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))) == part for part in text.split(".")
    )
    expected = canonical and joserfc_accepts(text, jwks)
    reply = ask(url, f"Bearer {text}", INITIALIZE)
    assert (reply.status == 200) == expected, (reply.status, reply.body[:200], claims)


def test_a_task_is_its_callers_alone(url: str, pairs: dict[str, KeyPair]) -> None:
    """In OAuth mode a task belongs to the subject who made it: another caller's tasks/get,
    tasks/update and tasks/cancel find nothing there (-32602), as for an unknown id."""
    caps: dict[str, Any] = {"extensions": {"io.modelcontextprotocol/tasks": {}}}
    meta = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": caps,
    }

    def send(who: str, method: str, params: dict[str, Any], name: str) -> Any:
        headers = {
            "Authorization": f"Bearer {token(pairs, 'ES256', sub=who)}",
            "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method, "Mcp-Name": name,
        }  # fmt: skip
        body = {"jsonrpc": "2.0", "id": 5, "method": method, "params": {**params, "_meta": meta}}
        return request(url, body, headers=headers).message()

    made = send("ada", "tools/call", {"name": "slow_compute", "arguments": {"seconds": 1}}, "slow_compute")
    task_id = made["result"]["taskId"]
    assert send("ada", "tasks/get", {"taskId": task_id}, task_id)["result"]["taskId"] == task_id
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("tasks/get", {}), ("tasks/cancel", {}), ("tasks/update", {"inputResponses": {}}),
    ]  # fmt: skip
    for method, params in attempts:
        answer = send("eve", method, {"taskId": task_id, **params}, task_id)
        assert answer["error"]["code"] == -32602, (method, answer)
    assert send("ada", "tasks/get", {"taskId": task_id}, task_id)["result"]["status"] in (
        "working",
        "completed",
    )


def test_a_session_is_its_openers_alone(url: str, pairs: dict[str, KeyPair]) -> None:
    """In OAuth mode the session `initialize` opens belongs to the token's subject: another
    caller's requests with its Mcp-Session-Id find no such session (404), GET and DELETE too."""

    def bearer(who: str) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {token(pairs, 'ES256', sub=who)}",
            "MCP-Protocol-Version": "2025-11-25",
        }

    opened = request(url, INITIALIZE, headers=bearer("ada"))
    session = opened.headers["mcp-session-id"]
    assert request(url, PING, headers={**bearer("ada"), "Mcp-Session-Id": session}).status == 200
    assert request(url, PING, headers={**bearer("eve"), "Mcp-Session-Id": session}).status == 404
    for method in ("GET", "DELETE"):
        reply = request(url, None, method=method, headers={**bearer("eve"), "Mcp-Session-Id": session})
        assert reply.status == 404, method
    assert (
        request(url, None, method="DELETE", headers={**bearer("ada"), "Mcp-Session-Id": session}).status
        == 200
    )


# -- hostile input: refused, never a crash -----------------------------------------------------------

TOKEN_TEXT = st.text(alphabet=st.sampled_from("ABCxyz019-_.=+/ \t{}\"'\\\x00é"), max_size=300)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scheme=st.sampled_from(["Bearer ", "bearer ", "BEARER  ", "Bearer", "Token "]), text=TOKEN_TEXT)
def test_random_authorization_headers_are_refused_and_the_server_goes_on(
    url: str, pairs: dict[str, KeyPair], scheme: str, text: str
) -> None:
    value = (scheme + text).encode("utf-8", "replace").decode("latin-1")
    if any(c in value for c in "\r\n\x00"):
        return  # not something an HTTP client can send as one header
    reply = ask(url, value, INITIALIZE)
    assert reply.status == 401, (value, reply.body[:200])
    assert reply.json()["error"] in ("invalid_token", "invalid_request")


def hostile_jwks(pairs: dict[str, KeyPair]) -> str:
    """Keys that must not verify anything or break the verifier: absurd sizes, wrong types."""
    big = b64(b"\xff" * 5000)
    keys: list[Any] = [
        {"kty": "RSA", "kid": pairs["RS256"].kid, "n": big, "e": "AQAB"},
        {"kty": "RSA", "kid": pairs["RS256"].kid, "n": b64(b"\x01" * 16), "e": "AQAB"},
        {"kty": "RSA", "kid": pairs["PS256"].kid, "n": 7, "e": ["AQAB"]},
        {"kty": "RSA", "kid": pairs["RS256"].kid, "n": json.loads(pairs["RS256"].jwks.read_text())["keys"][0]["n"], "e": "AQ"},
        {"kty": "EC", "crv": "P-256", "kid": pairs["ES256"].kid, "x": b64(b"\x00" * 31), "y": b64(b"\x00" * 33)},
        {"kty": "EC", "crv": "P-384", "kid": pairs["ES256"].kid, "x": b64(b"\x01" * 48), "y": b64(b"\x01" * 48)},
        {"kty": "OKP", "crv": "Ed25519", "kid": pairs["EdDSA"].kid, "x": b64(b"\x00" * 32)},
        {"kty": "OKP", "crv": "X25519", "kid": pairs["EdDSA"].kid, "x": b64(b"\x09" * 32)},
        "not a key", 42, None, [],
    ]  # fmt: skip
    return json.dumps({"keys": keys})


def forged_under_exponent_one(pairs: dict[str, KeyPair]) -> str:
    """With e = 1 an RSA "signature" is its own padded message: anyone could make one. Such a
    key is refused, so this token, valid under it, must not pass."""
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": "eve", "exp": now + 300, "scope": SCOPE}
    header = {"alg": "RS256", "kid": pairs["RS256"].kid}
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    digest_info = (
        bytes.fromhex("3031300d060960864801650304020105000420")
        + hashlib.sha256(signing_input.encode()).digest()
    )
    padded = b"\x00\x01" + b"\xff" * (256 - 3 - len(digest_info)) + b"\x00" + digest_info
    return f"{signing_input}.{b64(padded)}"


def test_hostile_keys_verify_nothing_and_break_nothing(pairs: dict[str, KeyPair]) -> None:
    with oauth_server("auth-hostile-keys", f"JWT_ISSUER={ISSUER}", f"JWT_JWKS={hostile_jwks(pairs)}") as url:
        for alg in ALGORITHMS:
            reply = ask(url, f"Bearer {token(pairs, alg)}", INITIALIZE)
            refusal(reply, 401, "invalid_token")
        refusal(ask(url, f"Bearer {forged_under_exponent_one(pairs)}", INITIALIZE), 401, "invalid_token")
