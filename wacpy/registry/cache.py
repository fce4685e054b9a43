"""A content-addressed cache of pulled manifests and components, under ``$XDG_CACHE_HOME/wacpy``.

``blobs/sha256/<hex>`` holds content whose sha256 is ``<hex>``: it is verified as it arrives and
again when read (a damaged entry is dropped, never used), and written atomically, so an
interrupted or failed download leaves nothing behind. ``tags/<registry>/<repository>/<tag>``
remembers the manifest digest a tag last pointed to, for ``--offline``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..errors import CacheError, DigestMismatchError
from ._atomic import atomic_file, atomic_write, write_all
from .paths import cache_dir
from .spec import Reference


def sha256_digest(data: bytes | bytearray | memoryview) -> str:
    """``sha256:<hex>`` of ``data``."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _hex(digest: str) -> str:
    algorithm, _, hexdigest = digest.partition(":")
    if algorithm != "sha256" or len(hexdigest) != 64 or not all(c in "0123456789abcdef" for c in hexdigest):
        raise DigestMismatchError(f"unsupported digest `{digest}` (expected sha256:<64 hex digits>)")
    return hexdigest


class BlobSink:
    """Receives one blob in chunks, checking its size as it grows and its digest at the end."""

    def __init__(self, out: BinaryIO, digest: str, size: int, what: str) -> None:
        self._out = out
        self._hash = hashlib.sha256()
        self.digest = digest
        self.size = size
        self.received = 0
        self.what = what

    def write(self, chunk: bytes) -> None:
        self.received += len(chunk)
        if self.received > self.size:
            raise DigestMismatchError(f"{self.what}: more than the {self.size} bytes its descriptor gives")
        self._hash.update(chunk)
        write_all(self._out, chunk)

    def finish(self) -> None:
        if self.received != self.size:
            raise DigestMismatchError(f"{self.what}: truncated: got {self.received} of {self.size} bytes")
        found = "sha256:" + self._hash.hexdigest()
        if found != self.digest:
            raise DigestMismatchError(f"{self.what}: content has digest {found}, not {self.digest}")


class ContentCache:
    """The cache folder (default :func:`~wacpy.registry.paths.cache_dir`)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or cache_dir()

    def blob_path(self, digest: str) -> Path:
        return self.root / "blobs" / "sha256" / _hex(digest)

    def get(self, digest: str) -> bytes | None:
        """The verified content of ``digest``, or ``None`` (a damaged entry is removed)."""
        path = self.blob_path(digest)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if sha256_digest(data) != digest:
            path.unlink(missing_ok=True)
            return None
        return data

    def put(self, digest: str, data: bytes) -> None:
        """Store ``data`` (checked to have ``digest``)."""
        if sha256_digest(data) != digest:
            raise DigestMismatchError(f"content has digest {sha256_digest(data)}, not {digest}")
        self._write(lambda: atomic_write(self.blob_path(digest), data))

    @contextmanager
    def receive(self, digest: str, size: int, what: str) -> Iterator[BlobSink]:
        """A sink for ``digest``'s content; it enters the cache only if complete and correct."""
        try:
            with atomic_file(self.blob_path(digest)) as out:
                sink = BlobSink(out, digest, size, what)
                yield sink
                sink.finish()
        except OSError as err:
            raise self._write_error(err) from None

    def tag_digest(self, reference: Reference) -> str | None:
        """The manifest digest ``reference``'s tag had when it was last pulled."""
        try:
            text = self._tag_path(reference).read_text().strip()
        except OSError:
            return None
        return text or None

    def remember_tag(self, reference: Reference, digest: str) -> None:
        path = self._tag_path(reference)
        self._write(lambda: atomic_write(path, digest.encode() + b"\n"))

    def _tag_path(self, reference: Reference) -> Path:
        # Repository components and tags cannot start with '_' or '.', so '_tags' never clashes.
        return (
            self.root
            / "tags"
            / reference.registry
            / reference.repository
            / "_tags"
            / (reference.tag or "latest")
        )

    def _write(self, write: Callable[[], None]) -> None:
        try:
            write()
        except OSError as err:
            raise self._write_error(err) from None

    def _write_error(self, err: OSError) -> CacheError:
        return CacheError(f"cannot write the cache in {self.root}: {err.strerror or err}")
