"""Seed inputs from the test corpus (``testkit/corpus/build.py``), written into a corpus folder once."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from testkit.corpus import build

__all__ = ["corpus_components", "read_corpus", "write_seeds"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def corpus_components(*, max_size: int, wit_smith_seeds: int = 60, wat: bool = True) -> dict[str, bytes]:
    """Components of the test corpus no larger than ``max_size``, by a file-safe name.

    Names are ``<source>--<name>``; wit-smith ones are ``wit-smith--seed<N>--<world>`` so that
    components made from one WIT package can be grouped. Sources that cannot be built here
    (no zig, say) are skipped with a note on stderr.
    """
    found: dict[str, bytes] = {}
    if wat:
        for stem, (binary, _features) in build.wat_components().items():
            found[f"wat--{stem}"] = binary
    for name, binary in build.wit_smith_components(wit_smith_seeds).items():
        seed, _, world = name.partition("/")
        found[f"wit-smith--{seed}--{_UNSAFE.sub('_', world)}"] = binary
    for label, make in (("c", build.c_component), ("greeter-c", build.greeter_c_command)):
        try:
            found[f"{label}--component"] = make()
        except (RuntimeError, OSError) as err:
            print(f"fuzz: corpus source {label} skipped: {err}", file=sys.stderr)
    return {name: data for name, data in found.items() if len(data) <= max_size}


def write_seeds(corpus: Path, seeds: dict[str, bytes], suffix: str = "") -> int:
    """Write ``seeds`` into ``corpus`` unless it already holds files; returns how many were written."""
    corpus.mkdir(parents=True, exist_ok=True)
    if any(p.is_file() for p in corpus.iterdir()):
        return 0
    for name, data in seeds.items():
        (corpus / f"{name}{suffix}").write_bytes(data)
    return len(seeds)


def read_corpus(corpus: Path) -> dict[str, bytes]:
    """Every file of a corpus folder (by name), skipping hidden ones."""
    if not corpus.is_dir():
        return {}
    return {
        p.name: p.read_bytes() for p in sorted(corpus.iterdir()) if p.is_file() and not p.name.startswith(".")
    }
