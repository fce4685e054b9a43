"""The interface every fuzz target implements, and the loop that drives the simple ones."""

from __future__ import annotations

import json
import random
import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .findings import FindingStore, Problem, write_atomic

__all__ = ["Case", "Options", "Target", "WorkerContext"]


@dataclass
class Options:
    """A campaign's settings (the command-line options)."""

    target: str
    time: float = 60.0
    seed: int = 0
    corpus: Path | None = None
    workers: int = 1
    results: Path | None = None
    #: Seconds one input may take in wacpy before it is a ``slow`` finding.
    time_limit: float = 1.0
    #: Seconds spent minimizing each finding after the campaign (0: do not minimize).
    minimize_time: float = 120.0
    #: Largest input the decode target generates (bytes).
    max_len: int = 65536

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["corpus"] = str(self.corpus) if self.corpus else None
        record["results"] = str(self.results) if self.results else None
        return record


@dataclass(frozen=True)
class Case:
    """One generated input and where it came from (a generator name, seeds...)."""

    data: bytes
    provenance: dict[str, Any]


@dataclass
class WorkerContext:
    """What a worker process counts and where it saves what it finds."""

    options: Options
    worker: int
    deadline: float
    store: FindingStore
    stats_path: Path
    rng: random.Random
    execs: int = 0
    new_findings: int = 0
    duplicates: int = 0
    #: Free-form tallies a target keeps (verdict classes, generator use, ...).
    counters: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)
    _last_flush: float = 0.0

    def time_left(self) -> float:
        return self.deadline - time.monotonic()

    def report(self, problem: Problem, data: bytes, provenance: dict[str, Any]) -> None:
        finding = self.store.report(problem, data, {**provenance, "worker": self.worker})
        if finding is None:
            self.duplicates += 1
        else:
            self.new_findings += 1
            self.flush()

    def tick(self) -> None:
        """Count one execution; write the stats file about once a second."""
        self.execs += 1
        now = time.monotonic()
        if now - self._last_flush >= 1.0:
            self.flush(now)

    def flush(self, now: float | None = None) -> None:
        self._last_flush = now if now is not None else time.monotonic()
        record = {
            "worker": self.worker,
            "execs": self.execs,
            "elapsed": self._last_flush - self.started,
            "new_findings": self.new_findings,
            "duplicates": self.duplicates,
            "counters": dict(self.counters),
        }
        write_atomic(self.stats_path, json.dumps(record, sort_keys=True).encode())


class Target(ABC):
    """A fuzz target: generates inputs, checks one input, minimizes a finding's input.

    Subclasses set :attr:`name` and :attr:`suffix` and implement :meth:`check` and
    :meth:`generate`; the default :meth:`run` checks generated cases until the deadline.
    Reproduction (``python -m fuzz reproduce``) calls :meth:`check` on the saved input.
    """

    name: ClassVar[str]
    #: File suffix of saved inputs.
    suffix: ClassVar[str] = ".wasm"

    def __init__(self, options: Options) -> None:
        self.options = options

    @classmethod
    def seed_corpus(cls, corpus: Path) -> None:
        """Write the target's seeds into ``corpus`` if it holds none (run once, before the workers)."""
        corpus.mkdir(parents=True, exist_ok=True)

    def prepare(self, corpus: Path) -> None:
        """Load what :meth:`generate` needs from ``corpus`` (in each worker)."""
        self.corpus = corpus

    @abstractmethod
    def check(self, data: bytes) -> Problem | None:
        """Everything wrong with ``data`` that this target looks for, or ``None``."""

    @abstractmethod
    def generate(self, rng: random.Random) -> Iterator[Case]:
        """Inputs to check, produced one batch at a time (an endless iterator)."""

    def classify(self, data: bytes, ctx: WorkerContext) -> Problem | None:
        """:meth:`check`, also tallying verdict classes in ``ctx.counters`` (default: just check)."""
        return self.check(data)

    def run(self, ctx: WorkerContext) -> None:
        """Check generated cases until the deadline, reporting each problem."""
        for case in self.generate(ctx.rng):
            if ctx.time_left() <= 0:
                break
            generator = case.provenance.get("generator")
            if generator is not None:
                ctx.counters[f"generator {generator}"] += 1
            problem = self.classify(case.data, ctx)
            ctx.tick()
            if problem is not None:
                ctx.report(problem, case.data, case.provenance)

    def minimize(self, data: bytes, problem: Problem, deadline: float) -> tuple[bytes, str]:
        """A smaller input showing the same problem (same signature), and how it was made."""
        from .minimize import ddmin_sections

        smaller = ddmin_sections(data, self.same_problem(problem), deadline)
        return smaller, "delta debugging (top-level sections, then bytes)"

    def same_problem(self, problem: Problem) -> Callable[[bytes], bool]:
        """The predicate minimization keeps true: the input still shows ``problem``'s signature."""

        def test(data: bytes) -> bool:
            found = self.check(data)
            return found is not None and found.signature == problem.signature

        return test
