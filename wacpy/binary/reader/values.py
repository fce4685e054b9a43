"""Reader for value definitions."""

from __future__ import annotations

from ..ast.values import Value
from ..wide import leb_width, widen
from ._base import Reader
from .types import read_valtype


def read_value(r: Reader) -> Value:
    vtype = read_valtype(r)
    size = r.u32("a value length")
    data = bytes(r.take(size, "a value"))
    width = leb_width(size)
    return Value(vtype, widen(data, width) if width else data)
