"""Atomic file writes (a temporary file in the target's folder, fsynced, then renamed over it)
and the lock a read-modify-write holds.

A reader sees the old file or the new one, never part of either; a failed write (a full disk, an
interrupted download) leaves the old file as it was and no temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock, Timeout

from ..errors import ConfigError

LOCK_TIMEOUT = 30.0  # seconds to wait for another wacpy updating the same file


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform lets a folder be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content into; it replaces ``path`` when the block
    ends without an exception and is deleted otherwise (``OSError`` from writing propagates)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _fsync_folder(path.parent)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (see :func:`atomic_file`)."""
    with atomic_file(path) as out:
        write_all(out, data)


def write_all(out: BinaryIO, data: bytes | bytearray | memoryview) -> None:
    """Write every byte of ``data``; one place for writes, so a test can make the disk fill up."""
    out.write(data)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold ``.NAME.lock`` beside ``path`` (an OS lock, released if the process dies) for a
    read-modify-write."""
    lock = FileLock(str(path.parent / f".{path.name}.lock"), timeout=LOCK_TIMEOUT)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise ConfigError(f"{path}: another wacpy has held its lock for {LOCK_TIMEOUT:.0f} s") from None
    except OSError as err:
        raise ConfigError(f"cannot lock {path}: {err.strerror or err}") from None
    try:
        yield
    finally:
        lock.release()
