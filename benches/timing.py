"""Timing shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def interleaved(runs: int, actions: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """``runs`` timings of each action, in seconds, taking the actions in turn.

    Round after round every action runs once, so a change in machine speed during the measurement
    (this 2-core VM shares its host, whose load moves its speed by up to 2x within seconds) reaches
    every side of a comparison alike. Sample ``i`` of every action comes from round ``i``.
    """
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            samples[name].append(time.perf_counter() - start)
    return samples


def paired_ratio(ours: list[float], peer: list[float]) -> float:
    """The median over rounds of ``ours / peer`` measured in the same round: steadier than the
    ratio of the two minimums when the machine's speed drifts."""
    return statistics.median(o / p for o, p in zip(ours, peer, strict=True))
