"""``decode``: coverage-guided fuzzing of ``wacpy.decode`` with atheris (libFuzzer).

Each input must decode cleanly or raise ``DecodeError``; a clean decode must re-encode to the
same bytes, and ``module_info()`` of each module must work or raise ``DecodeError``; an
input that takes longer than the per-input limit is a ``slow`` finding. Seeds: the test corpus.
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Iterator
from pathlib import Path

from ..findings import Problem
from ..seeds import corpus_components, write_seeds
from ..target import Case, Target, WorkerContext
from .codec import check_codec

__all__ = ["DecodeTarget"]


class DecodeTarget(Target):
    name = "decode"

    @classmethod
    def seed_corpus(cls, corpus: Path) -> None:
        write_seeds(corpus, corpus_components(max_size=65536))

    def check(self, data: bytes) -> Problem | None:
        return check_codec(data, self.options.time_limit).problem

    def generate(self, rng: random.Random) -> Iterator[Case]:
        # libFuzzer generates this target's inputs (see run); this fallback mutates nothing.
        raise NotImplementedError("the decode target is driven by libFuzzer")

    def run(self, ctx: WorkerContext) -> None:
        """Hand the loop to libFuzzer; leave the process when the deadline passes."""
        import atheris

        corpus = self.options.corpus
        assert corpus is not None
        artifacts = ctx.store.root.parent / "artifacts"
        artifacts.mkdir(parents=True, exist_ok=True)

        def one_input(data: bytes) -> None:
            if ctx.time_left() <= 0:
                ctx.flush()
                os._exit(0)  # libFuzzer's own exit would skip nothing we need, but is slower
            problem = self.check(data)
            ctx.tick()
            if problem is not None:
                ctx.report(problem, data, {"generator": "libFuzzer (atheris)"})

        argv = [
            sys.argv[0],
            "-timeout=0",  # the per-input limit is ours (SIGALRM), so findings are saved our way
            f"-max_len={self.options.max_len}",
            f"-seed={self.options.seed * 1000 + ctx.worker + 1}",
            f"-max_total_time={int(ctx.time_left()) + 5}",
            "-rss_limit_mb=4096",
            f"-artifact_prefix={artifacts}{os.sep}worker{ctx.worker}-",
            str(corpus),
        ]
        atheris.Setup(argv, one_input)
        atheris.Fuzz()


TARGET = DecodeTarget
