"""The byte sink every section writer uses: LEB128 (honouring recorded widths), names, vectors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import leb128

from ...errors import EncodeError
from ..wide import leb_width

T = TypeVar("T")


def _pad_unsigned(encoded: bytearray, width: int) -> bytes:
    if width <= len(encoded):
        return bytes(encoded)
    return bytes(encoded[:-1]) + bytes([encoded[-1] | 0x80]) + b"\x80" * (width - len(encoded) - 1) + b"\x00"


def _pad_signed(encoded: bytearray, width: int, negative: bool) -> bytes:
    if width <= len(encoded):
        return bytes(encoded)
    fill, last = (0xFF, 0x7F) if negative else (0x80, 0x00)
    return (
        bytes(encoded[:-1])
        + bytes([encoded[-1] | 0x80])
        + bytes([fill]) * (width - len(encoded) - 1)
        + bytes([last])
    )


def _check_width(width: int, bits: int) -> None:
    if width > (bits + 6) // 7:
        raise EncodeError(f"an LEB128 width of {width} bytes is more than a {bits}-bit integer may take")


def nonnegative_index(index: int, what: str) -> int:
    """A type index written as s33 must not be negative (those bytes mean other types)."""
    if index < 0:
        raise EncodeError(f"{what} {index} is negative")
    return index


class Writer:
    """Appends encoded items to a ``bytearray``."""

    __slots__ = ("out",)

    def __init__(self) -> None:
        self.out = bytearray()

    def getvalue(self) -> bytes:
        return bytes(self.out)

    def u8(self, byte: int) -> None:
        self.out.append(byte)

    def raw(self, data: bytes | bytearray | memoryview) -> None:
        self.out += data

    def flag(self, value: bool) -> None:
        self.out.append(1 if value else 0)

    def _unsigned(self, value: int, bits: int, width: int) -> None:
        if not 0 <= value < (1 << bits):
            raise EncodeError(f"{value} does not fit in u{bits}")
        _check_width(width, bits)
        if value < 0x80 and width <= 1:
            self.out.append(value)
            return
        self.out += _pad_unsigned(leb128.u.encode(int(value)), width)

    def _signed(self, value: int, bits: int, width: int) -> None:
        if not -(1 << (bits - 1)) <= value < (1 << (bits - 1)):
            raise EncodeError(f"{value} does not fit in s{bits}")
        _check_width(width, bits)
        self.out += _pad_signed(leb128.i.encode(int(value)), width, value < 0)

    def u32(self, value: int) -> None:
        if type(value) is int and 0 <= value < 0x80:  # the common one-byte case
            self.out.append(value)
            return
        self._unsigned(value, 32, leb_width(value))

    def u64(self, value: int) -> None:
        self._unsigned(value, 64, leb_width(value))

    def s33(self, value: int) -> None:
        self._signed(value, 33, leb_width(value))

    def s32(self, value: int) -> None:
        self._signed(value, 32, leb_width(value))

    def s64(self, value: int) -> None:
        self._signed(value, 64, leb_width(value))

    def length(self, size: int, width: int) -> None:
        """A u32 length prefix of ``width`` bytes (0: minimal)."""
        if width <= 1 and 0 <= size < 0x80:  # the common one-byte case
            self.out.append(size)
            return
        if width <= 2 and 0x80 <= size < 0x4000:  # a minimal two-byte length
            self.out += bytes(((size & 0x7F) | 0x80, size >> 7))
            return
        self._unsigned(size, 32, width)

    def name(self, text: str) -> None:
        data = text.encode("utf-8")
        if len(data) < 0x80 and type(text) is str:
            self.out.append(len(data))
        else:
            self.length(len(data), leb_width(text))
        self.out += data

    def vec(self, items: Sequence[T], write_item: Callable[[Writer, T], None]) -> None:
        if type(items) is tuple and len(items) < 0x80:  # a plain tuple has no recorded width
            self.out.append(len(items))
        else:
            self.length(len(items), leb_width(items))
        for item in items:
            write_item(self, item)

    def optional(self, write_item: Callable[[Writer, Any], None], item: object) -> None:
        """``T?``: 0x00 for absent, 0x01 then the item."""
        if item is None:
            self.out.append(0)
        else:
            self.out.append(1)
            write_item(self, item)

    def sized(self, body: bytes | bytearray | memoryview, width: int = 0) -> None:
        """``size:u32`` then ``body`` (sections and subsections)."""
        self.length(len(body), width)
        self.out += body
