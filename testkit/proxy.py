"""A round-robin HTTP reverse proxy on loopback for tests: haproxy in front of several servers of one
service, so that consecutive requests (even on one keep-alive client connection) reach different
backends. Long timeouts and unbuffered forwarding keep server-sent-event streams flowing."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from testkit.serving import free_port, wait_until_listening

__all__ = ["PROXY_START_TIMEOUT", "ensure_haproxy", "haproxy_config", "round_robin"]

PROXY_START_TIMEOUT = 30.0  # seconds: haproxy listens almost at once
#: Where Debian installs haproxy; root's PATH may lack the sbin directories.
SBIN_DIRS = ("/usr/sbin", "/sbin", "/usr/local/sbin")


def _find_haproxy() -> str | None:
    search = os.pathsep.join([os.environ.get("PATH", ""), *SBIN_DIRS])
    return shutil.which("haproxy", path=search)


def _install_haproxy() -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(
            ["apt-get", "install", "-y", "haproxy"],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=True,
            timeout=600,
        )
    except subprocess.CalledProcessError as err:
        output = (err.stdout + err.stderr).decode(errors="replace").strip()
        raise RuntimeError(f"apt-get install -y haproxy failed ({err.returncode}):\n{output}") from err
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RuntimeError(f"could not run apt-get install -y haproxy: {err}") from err


def ensure_haproxy() -> str:
    """The path of the haproxy binary, installed with apt-get first when it is missing."""
    found = _find_haproxy()
    if found is None:
        _install_haproxy()
        found = _find_haproxy()
    if found is None:
        raise RuntimeError("apt-get installed haproxy, but no haproxy binary is on PATH or in /usr/sbin")
    return found


def _backend_address(url: str) -> tuple[str, int, str]:
    """The loopback host, port and path of a backend URL; anything but plain http on loopback is refused."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname != "127.0.0.1" or parts.port is None:
        raise ValueError(f"backend {url!r} is not an http://127.0.0.1:PORT/... URL")
    return parts.hostname, parts.port, parts.path or "/"


def _shared_path(backends: Sequence[str]) -> str:
    paths = {_backend_address(url)[2] for url in backends}
    if len(paths) != 1:
        raise ValueError(f"backends must share one path, got {sorted(paths)}")
    return paths.pop()


def haproxy_config(backends: Sequence[str], port: int) -> str:
    """An haproxy configuration listening on loopback ``port``, balancing requests over ``backends``.

    ``http-server-close`` with ``http-reuse never`` gives every request its own server connection, so
    the round-robin choice is made per request, not per client connection. ``timeout server`` and
    ``timeout tunnel`` are long for event streams; ``http-no-delay`` forwards each chunk at once.
    """
    servers = [
        f"    server backend{index} {host}:{backend_port}"
        for index, (host, backend_port, _) in enumerate(map(_backend_address, backends))
    ]
    lines = [
        "global",
        "    maxconn 256",
        "defaults",
        "    mode http",
        "    option http-server-close",
        "    option http-no-delay",
        "    http-reuse never",
        "    timeout connect 5s",
        "    timeout client 120s",
        "    timeout server 120s",
        "    timeout tunnel 120s",
        "    timeout http-keep-alive 120s",
        "frontend entry",
        f"    bind 127.0.0.1:{port}",
        "    default_backend servers",
        "backend servers",
        "    balance roundrobin",
        *servers,
    ]
    return "\n".join(lines) + "\n"


def _wait_for(proxy: subprocess.Popen[bytes], port: int, log: Path) -> None:
    """Wait until haproxy listens; a failure to start carries haproxy's own output."""
    try:
        wait_until_listening(port, proxy, PROXY_START_TIMEOUT)
    except RuntimeError as err:
        raise RuntimeError(f"{err}; haproxy said:\n{log.read_text(errors='replace')}") from err


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def round_robin(backends: Sequence[str], log: Path) -> Iterator[str]:
    """haproxy on a free loopback port in front of ``backends`` (``http://127.0.0.1:PORT/path`` URLs,
    one path for all) until the block ends; yields the proxy's URL with that path. Its output goes
    to ``log``."""
    if not backends:
        raise ValueError("round_robin needs at least one backend")
    path = _shared_path(backends)
    haproxy = ensure_haproxy()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="haproxy-") as tmp, log.open("wb") as out:
        config = Path(tmp) / "haproxy.cfg"
        config.write_text(haproxy_config(backends, port))
        proxy = subprocess.Popen(
            [haproxy, "-db", "-f", str(config)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            _wait_for(proxy, port, log)
            yield f"http://127.0.0.1:{port}{path}"
        finally:
            _stop(proxy)
