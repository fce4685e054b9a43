"""Writer for value definitions."""

from __future__ import annotations

from ..ast.values import Value
from ..wide import leb_width
from ._base import Writer
from .types import write_valtype


def write_value(w: Writer, value: Value) -> None:
    write_valtype(w, value.type)
    w.sized(value.data, leb_width(value.data))
