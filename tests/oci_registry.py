"""A real OCI registry on loopback for tests: Debian's ``docker-registry`` (CNCF distribution).

:func:`registry_program` installs it (and ``htpasswd`` from apache2-utils) with apt-get when it is
missing and this process may (root, apt-get present); otherwise it says why the tests must skip.
:class:`RegistryServer` runs one instance on a free 127.0.0.1 port with filesystem storage in a
temporary folder, optionally behind htpasswd (bcrypt) Basic auth, and stops it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

from testkit.serving import free_port

PROGRAM = "docker-registry"
PACKAGES = ("docker-registry", "apache2-utils")
START_TIMEOUT = 20.0  # seconds for the registry to answer /v2/


class RegistryUnavailableError(Exception):
    """Why no registry can run here (the reason to skip with)."""


def _apt_install() -> str | None:
    """Install :data:`PACKAGES`; None on success, else what went wrong."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    argv = ["apt-get", "install", "-y", "--no-install-recommends", *PACKAGES]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:  # a fresh machine may have no package lists yet
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=600)
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)
    return None if done.returncode == 0 else (done.stderr.strip().splitlines() or ["failed"])[-1]


def registry_program() -> tuple[str, str]:
    """The paths of ``docker-registry`` and ``htpasswd``, installing them if need be and allowed."""
    if shutil.which(PROGRAM) is None or shutil.which("htpasswd") is None:
        if shutil.which("apt-get") is None:
            raise RegistryUnavailableError(
                f"{PROGRAM} is not installed and there is no apt-get to install it"
            )
        if os.geteuid() != 0:
            raise RegistryUnavailableError(
                f"{PROGRAM} is not installed; `apt-get install {' '.join(PACKAGES)}` needs root"
            )
        problem = _apt_install()
        if problem is not None:
            raise RegistryUnavailableError(f"apt-get install {' '.join(PACKAGES)} failed: {problem}")
    program, htpasswd = shutil.which(PROGRAM), shutil.which("htpasswd")
    if program is None or htpasswd is None:
        raise RegistryUnavailableError(f"{PROGRAM} or htpasswd is still missing after apt-get install")
    return program, htpasswd


class RegistryServer:
    """``docker-registry serve`` on 127.0.0.1:PORT; a context manager. ``users`` turns on
    htpasswd auth with those ``{name: password}`` (bcrypt, as distribution requires)."""

    def __init__(self, folder: Path, users: dict[str, str] | None = None) -> None:
        self.folder = folder
        self.users = users or {}
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.storage = folder / "storage"
        self._process: subprocess.Popen[bytes] | None = None

    def _config(self, htpasswd: str) -> Path:
        lines = [
            "version: 0.1",
            "log:",
            "  level: error",
            "  accesslog:",
            "    disabled: true",
            "storage:",
            "  filesystem:",
            f"    rootdirectory: {self.storage}",
            "  delete:",
            "    enabled: true",
            "http:",
            f"  addr: {self.address}",
        ]
        if self.users:
            password_file = self.folder / "htpasswd"
            entries = []
            for user, password in self.users.items():
                done = subprocess.run(
                    [htpasswd, "-Bbn", user, password], capture_output=True, text=True, check=True
                )
                entries.append(done.stdout.strip())
            password_file.write_text("\n".join(entries) + "\n")
            lines += ["auth:", "  htpasswd:", "    realm: wacpy-tests", f"    path: {password_file}"]
        config = self.folder / "config.yml"
        config.write_text("\n".join(lines) + "\n")
        return config

    def __enter__(self) -> RegistryServer:
        program, htpasswd = registry_program()
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self._config(htpasswd)
        log = (self.folder / "registry.log").open("wb")
        self._process = subprocess.Popen(
            [program, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"{PROGRAM} exited: {(self.folder / 'registry.log').read_text()[-500:]}")
            try:
                urllib.request.urlopen(f"http://{self.address}/v2/", timeout=1).close()
                return self
            except urllib.error.HTTPError:
                return self  # 401: up, and asking for credentials
            except OSError:
                time.sleep(0.05)
        self.__exit__(None, None, None)
        raise RuntimeError(f"{PROGRAM} did not answer on {self.address} within {START_TIMEOUT} s")

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def blob_file(self, digest: str) -> Path:
        """Where the registry keeps a blob (for tests that damage it)."""
        hexdigest = digest.removeprefix("sha256:")
        return (
            self.storage
            / "docker"
            / "registry"
            / "v2"
            / "blobs"
            / "sha256"
            / hexdigest[:2]
            / hexdigest
            / "data"
        )
