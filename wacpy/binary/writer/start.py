"""Writer for the start definition."""

from __future__ import annotations

from ..ast.start import Start
from ._base import Writer


def write_start(w: Writer, start: Start) -> None:
    w.u32(start.func)
    w.vec(start.args, Writer.u32)
    w.u32(start.results)
