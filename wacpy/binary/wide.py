"""Values that remember a non-minimal LEB128 width, so re-encoding reproduces the input bytes.

The reader returns a plain ``int``/``str``/``tuple``/``bytes`` when its length or value was
written in the fewest bytes, and one of these subclasses (equal to the plain value) when a
producer padded it. The writer asks :func:`leb_width` for every LEB128 it writes, so exact
round-trips follow from the data itself rather than from special cases.
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


class WideInt(int):
    """An integer whose LEB128 encoding took ``leb_width`` bytes."""

    leb_width: int


class WideStr(str):
    """A name whose length prefix took ``leb_width`` bytes."""

    leb_width: int


class WideTuple(tuple[T, ...]):
    """A vector whose item count took ``leb_width`` bytes."""

    leb_width: int


class WideBytes(bytes):
    """A byte string whose length prefix took ``leb_width`` bytes."""

    leb_width: int


def widen(value: Any, width: int) -> Any:
    """Return ``value`` marked with an LEB128 ``width`` (for its value or its length prefix)."""
    wide: Any
    if isinstance(value, int):
        wide = WideInt(value)
    elif isinstance(value, str):
        wide = WideStr(value)
    elif isinstance(value, tuple):
        wide = WideTuple(value)
    else:
        wide = WideBytes(value)
    wide.leb_width = width
    return wide


def leb_width(value: object) -> int:
    """The LEB128 width recorded on ``value``, or 0 for "as few bytes as possible"."""
    return getattr(value, "leb_width", 0)
