"""Input reducers: delta debugging over bytes or items, and ``wasm-tools shrink`` for core modules."""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from tests.corpus.build import wasm_tools_path

__all__ = ["ddmin", "ddmin_bytes", "wasm_shrink"]

T = TypeVar("T")
#: The checkout holding the ``fuzz`` package: predicates run ``python -m fuzz`` from elsewhere.
_REPO = Path(__file__).resolve().parent.parent


def ddmin(items: Sequence[T], test: Callable[[list[T]], bool], deadline: float) -> list[T]:
    """Zeller's delta debugging: remove chunks of ``items`` while ``test`` stays true.

    Starts with halves and refines down to single items; stops at ``deadline`` (a
    ``time.monotonic()`` value) with the smallest input found so far.
    """
    current = list(items)
    granularity = 2
    while len(current) >= 2 and time.monotonic() < deadline:
        chunk = -(-len(current) // granularity)
        for start in range(0, len(current), chunk):
            if time.monotonic() >= deadline:
                return current
            candidate = current[:start] + current[start + chunk :]
            if candidate and test(candidate):
                current = candidate
                granularity = max(granularity - 1, 2)
                break
        else:
            if granularity >= len(current):
                break
            granularity = min(len(current), granularity * 2)
    return current


def ddmin_bytes(data: bytes, test: Callable[[bytes], bool], deadline: float) -> bytes:
    """:func:`ddmin` over the bytes of ``data``."""
    return bytes(ddmin(list(data), lambda items: test(bytes(items)), deadline))


def wasm_shrink(module: bytes, predicate_argv: Sequence[str], deadline: float, attempts: int = 40) -> bytes:
    """Shrink a core module with ``wasm-tools shrink``.

    ``predicate_argv`` is a command to which the candidate's path is appended; it exits 0 when
    the candidate is still interesting. Returns ``module`` unchanged if shrinking fails or
    the deadline passes first.
    """
    budget = deadline - time.monotonic()
    if budget <= 1:
        return module
    with tempfile.TemporaryDirectory(prefix="wacpy-shrink-") as tmp:
        work = Path(tmp)
        (work / "in.wasm").write_bytes(module)
        script = work / "predicate.sh"
        script.write_text("#!/bin/sh\nexec " + " ".join(shlex.quote(a) for a in predicate_argv) + ' "$1"\n')
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
        try:
            done = subprocess.run(
                [
                    wasm_tools_path(),
                    "shrink",
                    str(script),
                    str(work / "in.wasm"),
                    "-o",
                    str(work / "out.wasm"),
                    "--attempts",
                    str(attempts),
                ],
                capture_output=True,
                timeout=budget,
                cwd=tmp,
                env={
                    **os.environ,
                    "PYTHONPATH": os.pathsep.join(filter(None, [str(_REPO), os.environ.get("PYTHONPATH")])),
                },
            )
        except subprocess.TimeoutExpired:
            return module
        out = work / "out.wasm"
        if done.returncode != 0 or not out.is_file():
            return module
        shrunk = out.read_bytes()
        return shrunk if len(shrunk) < len(module) else module
