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

from wacpy.tools import wasm_tools_path

__all__ = ["ddmin", "ddmin_bytes", "ddmin_sections", "split_sections", "wasm_shrink"]

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


def split_sections(data: bytes) -> list[bytes]:
    """``data`` as the 8-byte preamble, then one chunk per top-level section (id, size, body), then
    whatever does not parse as a section header; joined, the chunks are ``data`` again."""
    chunks = [data[:8]]
    at = 8
    while at < len(data):
        end = at + 1
        size = shift = 0
        while end < len(data) and shift < 35:
            byte = data[end]
            end += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        else:
            break
        if end + size > len(data):
            break
        chunks.append(data[at : end + size])
        at = end + size
    if at < len(data):
        chunks.append(data[at:])
    return chunks


def _uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _body_start(chunk: bytes) -> int:
    at = 1
    while chunk[at] & 0x80:
        at += 1
    return at + 1


def ddmin_sections(data: bytes, test: Callable[[bytes], bool], deadline: float) -> bytes:
    """Delta debugging over whole sections (keeping the preamble), nested components included,
    then over bytes.

    Dropping whole sections keeps every size field right, so it shrinks far faster than bytes
    alone; a nested component's sections are reduced the same way, its size rewritten.
    """
    smaller = _reduce_sections(data, test, deadline)
    return ddmin_bytes(smaller, test, deadline)


def _reduce_sections(data: bytes, test: Callable[[bytes], bool], deadline: float) -> bytes:
    chunks = split_sections(data)
    head, sections = chunks[0], chunks[1:]
    if sections and test(head):
        return head
    if len(sections) > 1:
        sections = ddmin(sections, lambda kept: test(head + b"".join(kept)), deadline)
    for k, chunk in enumerate(sections):
        if chunk[0] != 0x04 or time.monotonic() >= deadline:
            continue  # only component sections nest sections

        def rebuilt(body: bytes, k: int = k) -> bytes:
            section = bytes([0x04]) + _uleb(len(body)) + body
            return head + b"".join(sections[:k]) + section + b"".join(sections[k + 1 :])

        inner = _reduce_sections(chunk[_body_start(chunk) :], lambda body: test(rebuilt(body)), deadline)
        sections[k] = bytes([0x04]) + _uleb(len(inner)) + inner
    return head + b"".join(sections)


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
