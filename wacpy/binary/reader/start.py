"""Reader for the start definition."""

from __future__ import annotations

from ..ast.start import Start
from ._base import Reader


def read_start(r: Reader) -> Start:
    func = r.u32("a function index")
    args = r.vec(lambda rr: rr.u32("a value index"), "start arguments")
    return Start(func, args, r.u32("a result count"))
