"""tools/call in OAuth mode beside public mode: the same composed server, instances reused, wrk
alternating between the servers round by round; and the first answer after start when the keys
are fetched from a (loopback) JWKS server.

Run: ``.venv/bin/python -m benches.bench_auth [--seconds 10] [--rounds 3]``. Needs ``wrk``. The
OAuth rows send a bearer token signed with ES256 or RS256 (keys inline in ``JWT_JWKS``); the
overhead is 1 - oauth / public of the median requests a second. Target: overhead <= 15%.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from benches.bench_mcp import BODY, HEADERS, MODES, composed_server, running, stateless_script, wrk
from testkit.serving import free_port
from wacpy.auth import keygen, load_private_key, mint
from wacpy.tools import wasmtime_path

ISSUER = "https://issuer.bench"
REUSE = "--max-instance-reuse-count 1000"


def tokens(work: Path) -> tuple[Path, dict[str, str]]:
    """The JWKS file and a token for each algorithm measured."""
    made = {alg: keygen(work / "keys", alg, f"bench-{alg.lower()}") for alg in ("ES256", "RS256")}
    jwks = made["ES256"].jwks
    signed = {
        alg: mint(
            load_private_key(pair.private_pem, alg, pair.kid), alg, issuer=ISSUER, subject="bench", ttl=86400
        )
        for alg, pair in made.items()
    }
    return jwks, signed


def answered(url: str, headers: dict[str, str]) -> bool:
    request = urllib.request.Request(url, json.dumps(BODY).encode(), {**HEADERS, **headers}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def served(work: Path, server: Path, env: dict[str, str], token: str | None) -> Iterator[tuple[str, float]]:
    """``server`` under ``wasmtime serve`` with instance reuse and ``env``; yields its URL and
    the seconds from start to its first answered call (with ``token``)."""
    cache = work / "cache.toml"
    cache.write_text(f'[cache]\ndirectory = "{work / "wasmtime-cache"}"\n')
    port = free_port()
    options = [f"--env={k}={v}" for k, v in env.items()]
    argv = [
        wasmtime_path(),
        "serve",
        "-Scli",
        "-Shttp",
        "-C",
        f"cache-config={cache}",
        *MODES[REUSE],
        *options,
    ]
    url = f"http://127.0.0.1:{port}/mcp"
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    start = time.perf_counter()
    with running([*argv, "--addr", f"127.0.0.1:{port}", str(server)]):
        while not answered(url, headers):
            if time.perf_counter() - start > 60:
                raise RuntimeError(f"no answer from {url}")
            time.sleep(0.005)
        yield url, time.perf_counter() - start


@contextmanager
def jwks_server(jwks: Path) -> Iterator[str]:
    body = jwks.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/jwks.json"
    finally:
        server.shutdown()
        server.server_close()


def throughput(work: Path, args: argparse.Namespace) -> dict[str, list[float]]:
    server = composed_server(work)
    jwks, signed = tokens(work)
    oauth = {"WACPY_AUTH_MODE": "oauth", "JWT_ISSUER": ISSUER, "JWT_JWKS": jwks.read_text()}
    rows: dict[str, list[float]] = {"public": [], **{f"oauth {alg}": [] for alg in signed}}
    for _ in range(args.rounds):
        for name in rows:
            token = signed.get(name.removeprefix("oauth "))
            script = stateless_script(
                headers={**HEADERS, **({"Authorization": f"Bearer {token}"} if token else {})}
            )
            with served(work, server, oauth if token else {}, token) as (url, _):
                result = wrk(url, args.seconds, args.connections, script)
            assert result["errors"] == 0, f"{name}: {result['errors']:.0f} refused requests"
            rows[name].append(result["rps"])
    return rows


def first_answers(work: Path, rounds: int) -> dict[str, list[float]]:
    """Start to first answer: public, and oauth fetching its keys (JWT_JWKS_URI)."""
    server = composed_server(work)
    jwks, signed = tokens(work)
    times: dict[str, list[float]] = {"public": [], "oauth, keys fetched": []}
    with jwks_server(jwks) as uri:
        oauth = {"WACPY_AUTH_MODE": "oauth", "JWT_ISSUER": ISSUER, "JWT_JWKS_URI": uri}
        for _ in range(rounds):
            with served(work, server, {}, None) as (_, seconds):
                times["public"].append(seconds)
            with served(work, server, oauth, signed["ES256"]) as (_, seconds):
                times["oauth, keys fetched"].append(seconds)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench_auth needs wrk: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp:
        rows = throughput(Path(tmp), args)
        starts = first_answers(Path(tmp), args.rounds)
    public = statistics.median(rows["public"])
    print(f"{'server (instances reused)':<28} {'req/s (median)':>15} {'runs':>24} {'overhead':>9}")
    for name, runs in rows.items():
        median = statistics.median(runs)
        overhead = 1 - median / public
        print(f"{name:<28} {median:>15.0f} {' '.join(f'{r:.0f}' for r in runs):>24} {overhead:>8.1%}")
    print("target: overhead <= 15%")
    print(f"{'first answer after start':<28} {'median ms':>15} {'runs ms':>24}")
    for name, seconds in starts.items():
        print(
            f"{name:<28} {statistics.median(seconds) * 1e3:>15.1f} {' '.join(f'{s * 1e3:.0f}' for s in seconds):>24}"
        )


if __name__ == "__main__":
    main()
