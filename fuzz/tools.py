"""Run ``wasm-tools`` and turn its answer into a verdict instead of an exception."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass

from wacpy.tools import wasm_tools_path

__all__ = ["ToolVerdict", "error_offset", "wasm_tools"]

_OFFSET = re.compile(r"at offset (0x[0-9a-fA-F]+|\d+)")
_ENV = {**os.environ, "RUST_BACKTRACE": "0", "RUST_LOG": "off"}


@dataclass(frozen=True)
class ToolVerdict:
    """What one ``wasm-tools`` run said: accepted (exit 0) or the first line of its error."""

    ok: bool
    stdout: bytes
    error: str

    def describe(self) -> str:
        return "accepted" if self.ok else f"rejected: {self.error}"


def wasm_tools(*args: str, stdin: bytes | None = None, timeout: float = 60) -> ToolVerdict:
    """``wasm-tools ARGS``; a time-out is a rejection whose error says so."""
    try:
        done = subprocess.run(
            [wasm_tools_path(), *args], input=stdin, capture_output=True, timeout=timeout, env=_ENV
        )
    except subprocess.TimeoutExpired:
        return ToolVerdict(False, b"", f"timed out after {timeout} s")
    if done.returncode == 0:
        return ToolVerdict(True, done.stdout, "")
    lines = [line.strip() for line in done.stderr.decode(errors="replace").splitlines() if line.strip()]
    # wasm-tools prints "error: <context>" then "Caused by:" and the cause; keep both, compactly.
    text = " | ".join(line for line in lines if line not in ("Caused by:",) and not line.startswith("Stack"))
    return ToolVerdict(False, b"", text or f"exit {done.returncode}")


def error_offset(message: str) -> int | None:
    """The byte offset a wasm-tools error message names (``at offset 0x1f``), if any."""
    found = _OFFSET.search(message)
    return int(found.group(1), 0) if found else None
