"""Timing shared by the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable


def interleaved(runs: int, actions: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The shortest of ``runs`` timings of each action, in seconds, taking the actions in turn.

    Round after round every action runs once, so a change in machine speed during the measurement
    (this 2-core VM shares its host) reaches every side of a comparison alike.
    """
    best = dict.fromkeys(actions, float("inf"))
    for _ in range(runs):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            best[name] = min(best[name], time.perf_counter() - start)
    return best
