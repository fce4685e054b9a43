"""Reader for the start definition."""

from __future__ import annotations

from ..ast.start import Start
from . import limits
from ._base import Reader


def read_start(r: Reader) -> Start:
    func = r.u32("a function index")
    args = r.vec(lambda rr: rr.u32("a value index"), "start arguments", limits.START_ARGS)
    start = r.pos
    results = r.u32("a result count")
    if results > limits.START_RESULTS:
        r.over_limit(results, "start results", limits.START_RESULTS, start)
    return Start(func, args, results)
