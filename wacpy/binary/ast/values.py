"""Value definitions (the value section)."""

from __future__ import annotations

from attrs import frozen

from .types import ValType


@frozen
class Value:
    """A value definition: its type and the encoded value bytes (decoding needs the type space)."""

    type: ValType
    data: bytes
