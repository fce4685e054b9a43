"""Precompiled servers: ``wasmtime compile`` output kept beside the component, and when it may be used.

A composed Python server is tens of megabytes of wasm that ``wasmtime serve`` compiles before it
answers its first request (seconds per Python component; wasmtime's cache helps only from the
second start on one machine). :func:`precompile` runs ``wasmtime compile`` once and writes
``server.cwasm`` beside ``server.wasm``, plus a small record ``server.cwasm.json`` saying what it
was compiled from (the source's SHA-256), by which wasmtime, and whether with epoch interruption
(which a serving timeout needs: ``-W timeout`` makes wasmtime's host require it, and a module
compiled without it is refused). :func:`check_precompiled` tells whether the ``.cwasm`` can serve
the ``.wasm`` as it is now, or why not: the server changed since, the record is missing or
damaged, wasmtime's major version differs (wasmtime refuses code from another major version), or
the timeout setting differs.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

from attrs import frozen

from .._files import write_atomic, write_atomic_with
from ..errors import WacpyError

__all__ = [
    "PrecompileError",
    "Precompiled",
    "check_precompiled",
    "compile_flags",
    "precompile",
    "precompiled_path",
    "wasmtime_version",
]

_RECORD_FORMAT = 1
_VERSION = re.compile(r"wasmtime(?:-cli)? (\d+)\.(\d+)\.(\d+)")


class PrecompileError(WacpyError):
    """``wasmtime compile`` failed, or its version could not be told."""


@frozen
class Precompiled:
    """What a ``.cwasm`` was compiled from and how: the record written beside it."""

    cwasm: Path
    source_sha256: str
    wasmtime: str
    epoch_interruption: bool

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": _RECORD_FORMAT,
                "source-sha256": self.source_sha256,
                "wasmtime": self.wasmtime,
                "epoch-interruption": self.epoch_interruption,
            },
            indent=2,
        )


def precompiled_path(path: str | Path) -> Path:
    """Where the precompiled form of ``path`` goes: ``server.wasm`` -> ``server.cwasm``."""
    return Path(path).with_suffix(".cwasm")


def _record_path(cwasm: Path) -> Path:
    return cwasm.with_name(cwasm.name + ".json")


def wasmtime_version(wasmtime: str) -> str:
    """``49.0.3`` for the wasmtime CLI at ``wasmtime``."""
    try:
        done = subprocess.run([wasmtime, "--version"], capture_output=True, text=True, check=False)
    except OSError as err:
        raise PrecompileError(f"cannot run {wasmtime}: {err.strerror or err}") from err
    match = _VERSION.search(done.stdout)
    if done.returncode != 0 or match is None:
        raise PrecompileError(
            f"cannot tell the version of {wasmtime}: `--version` said {done.stdout.strip()!r}"
        )
    return ".".join(match.groups())


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def compile_flags(*, epoch_interruption: bool) -> list[str]:
    """The ``wasmtime compile`` flags that must match the host's: epoch interruption goes with a
    serving timeout."""
    return ["-Wepoch-interruption=y"] if epoch_interruption else []


def precompile(
    path: str | Path,
    data: bytes,
    *,
    wasmtime: str,
    epoch_interruption: bool,
    output: str | Path | None = None,
) -> Precompiled:
    """Compile the component ``data`` (the bytes of ``path``) with ``wasmtime compile`` into
    ``output`` (default :func:`precompiled_path`), written atomically, and record how."""
    cwasm = Path(output) if output is not None else precompiled_path(path)
    version = wasmtime_version(wasmtime)

    def compile_into(_: int, temp: Path) -> None:
        argv = [wasmtime, "compile", *compile_flags(epoch_interruption=epoch_interruption), str(path)]
        done = subprocess.run([*argv, "-o", str(temp)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            said = [line for line in done.stderr.splitlines() if line.strip()]
            reason = said[-1].strip() if said else f"exit status {done.returncode}"
            raise PrecompileError(f"wasmtime compile {path} failed: {reason}")

    write_atomic_with(cwasm, compile_into)
    record = Precompiled(cwasm, _sha256(data), version, epoch_interruption)
    write_atomic(_record_path(cwasm), record.to_json().encode())
    return record


def _read_record(cwasm: Path) -> Precompiled | str:
    """The record beside ``cwasm``, or why there is none to trust."""
    record = _record_path(cwasm)
    try:
        fields = json.loads(record.read_text())
    except FileNotFoundError:
        return f"{record.name} is missing"
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        return f"{record.name} cannot be read ({err})"
    if not isinstance(fields, dict) or fields.get("format") != _RECORD_FORMAT:
        return f"{record.name} is not a record this wacpy writes"
    try:
        return Precompiled(
            cwasm, str(fields["source-sha256"]), str(fields["wasmtime"]), bool(fields["epoch-interruption"])
        )
    except KeyError as err:
        return f"{record.name} has no {err.args[0]!r}"


def _major(version: str) -> str:
    return version.split(".")[0]


def check_precompiled(
    path: str | Path, data: bytes, *, wasmtime: str, epoch_interruption: bool, cwasm: Path | None = None
) -> tuple[Path | None, str | None]:
    """``(cwasm, None)`` when the precompiled form of ``path`` (whose bytes are ``data``) can
    serve it with this ``wasmtime`` and timeout setting; ``(None, why not)`` when one exists but
    cannot; ``(None, None)`` when there is none."""
    cwasm = cwasm or precompiled_path(path)
    if not cwasm.is_file():
        return None, None
    record = _read_record(cwasm)
    if isinstance(record, str):
        return None, f"{cwasm}: {record}; run `wacpy precompile {path}`"
    if record.source_sha256 != _sha256(data):
        return None, f"{cwasm} was compiled from another {Path(path).name}; run `wacpy precompile {path}`"
    version = wasmtime_version(wasmtime)
    if _major(version) != _major(record.wasmtime):
        return None, (
            f"{cwasm} was compiled by wasmtime {record.wasmtime} and this is wasmtime {version} "
            f"(wasmtime runs code of its own major version only); run `wacpy precompile {path}`"
        )
    if record.epoch_interruption != epoch_interruption:
        had, serves = ("with", "without") if record.epoch_interruption else ("without", "with")
        again = f"wacpy precompile {path}{'' if epoch_interruption else ' --timeout none'}"
        return None, f"{cwasm} was compiled {had} a timeout and this serves {serves} one; run `{again}`"
    return cwasm, None
