"""``differential``: our decoder beside wasm-tools' parser (``print``) and validator on mutated
corpus components.

Each input is a corpus component with a few byte-level mutations (mostly outside core modules,
whose contents our decoder keeps opaque). Verdicts and what they mean:

* we decode, wasm-tools validates or parses: agreement (our re-encoding must be exact);
* we decode, wasm-tools validates nothing but parses: expected (our decoder does not validate);
* we decode, wasm-tools' parser rejects: a finding (``parser-rejects-decoded``) unless the error
  lies inside a core module, whose code and data we do not read;
* we reject, wasm-tools validates (``rejects-valid``) or only parses (``rejects-parseable``): a finding;
* both reject: agreement.

Crashes, slow inputs, inexact round-trips and ``module_info()`` crashes are findings as in
the decode target.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

from ..findings import Problem
from ..seeds import corpus_components, read_corpus, write_seeds
from ..target import Case, Target, WorkerContext
from ..tools import ToolVerdict, error_offset, wasm_tools
from .codec import check_codec, decode_error_signature

__all__ = ["DifferentialTarget", "module_ranges", "mutate"]

_NUMBERS = re.compile(r"0x[0-9a-fA-F]+|\d+")
_INTERESTING = (0x00, 0x01, 0x02, 0x40, 0x41, 0x60, 0x7F, 0x80, 0xFF)


def _normalized(message: str) -> str:
    return _NUMBERS.sub("N", message)[:200]


def _leb(data: bytes, at: int) -> tuple[int, int]:
    """An unsigned LEB128 at ``at``: (value, offset after it); raises IndexError past the end."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80 or shift > 35:
            return value, at


def module_ranges(data: bytes, start: int = 0, end: int | None = None) -> list[range]:
    """Byte ranges of ``data`` holding core modules, nested components included.

    A plain walk over section headers (id, size), independent of wacpy's reader; it stops
    quietly at the first header that does not fit.
    """
    end = len(data) if end is None else end
    ranges: list[range] = []
    at = start + 8
    try:
        while at < end:
            section_id = data[at]
            size, body = _leb(data, at + 1)
            stop = min(body + size, end)
            if section_id == 1:
                ranges.append(range(body, stop))
            elif section_id == 4:
                ranges += module_ranges(data, body, stop)
            at = body + size
    except IndexError:
        pass
    return ranges


def mutate(
    data: bytes, rng: random.Random, avoid: list[range], donors: list[bytes]
) -> tuple[bytes, list[str]]:
    """``data`` with 1-3 byte-level mutations; positions inside ``avoid`` are mostly skipped."""
    out = bytearray(data)
    done: list[str] = []

    def position() -> int:
        for _ in range(20):
            at = rng.randrange(8, max(9, len(out)))
            if rng.random() < 0.1 or not any(at in r for r in avoid):
                return min(at, len(out) - 1)
        return rng.randrange(8, max(9, len(out)))

    for _ in range(rng.randint(1, 3)):
        if len(out) <= 9:
            break
        at = position()
        op = rng.choice(
            ("flip", "byte", "interesting", "insert", "delete", "duplicate", "splice", "truncate", "step")
        )
        if op == "flip":
            out[at] ^= 1 << rng.randrange(8)
        elif op == "byte":
            out[at] = rng.randrange(256)
        elif op == "interesting":
            out[at] = rng.choice(_INTERESTING)
        elif op == "insert":
            out[at:at] = rng.randbytes(rng.randint(1, 4))
        elif op == "delete":
            del out[at : at + rng.randint(1, 16)]
        elif op == "duplicate":
            size = rng.randint(1, 32)
            out[at:at] = out[at : at + size]
        elif op == "splice" and donors:
            donor = rng.choice(donors)
            start = rng.randrange(8, max(9, len(donor)))
            out[at : at + rng.randint(0, 16)] = donor[start : start + rng.randint(1, 32)]
        elif op == "truncate":
            del out[at:]
        else:
            out[at] = (out[at] + rng.choice((-1, 1))) % 256
        done.append(f"{op}@{at}")
    return bytes(out), done


class DifferentialTarget(Target):
    name = "differential"

    @classmethod
    def seed_corpus(cls, corpus: Path) -> None:
        write_seeds(corpus, corpus_components(max_size=65536))

    def prepare(self, corpus: Path) -> None:
        from wacpy import decode

        self.seeds: list[tuple[str, bytes, list[range]]] = []
        for name, data in read_corpus(corpus).items():
            try:
                decode(data)
            except Exception:
                continue
            self.seeds.append((name, data, module_ranges(data)))
        if not self.seeds:
            raise RuntimeError(f"no decodable component in the corpus {corpus}")

    def generate(self, rng: random.Random) -> Iterator[Case]:
        donors = [data for _, data, _ in self.seeds]
        while True:
            name, data, avoid = rng.choice(self.seeds)
            mutated, ops = mutate(data, rng, avoid, donors)
            yield Case(mutated, {"generator": "byte mutation", "seed_input": name, "mutations": ops})

    @staticmethod
    def _inside_a_module(data: bytes, error: str) -> bool:
        """Whether the parser's error lies inside a core module (whose contents we keep opaque).

        The offset it names may be a module's end (a missing code section) or, for an empty
        module, its start; without an offset, a module that fails to parse alone is the cause.
        """
        ranges = module_ranges(data)
        at = error_offset(error)
        if at is not None:
            return any(r.start <= at <= r.stop for r in ranges)
        return any(not wasm_tools("print", "-", stdin=data[r.start : r.stop], timeout=20).ok for r in ranges)

    def check(self, data: bytes) -> Problem | None:
        return self._judge(data, None)

    def classify(self, data: bytes, ctx: WorkerContext) -> Problem | None:
        return self._judge(data, ctx)

    def _judge(self, data: bytes, ctx: WorkerContext | None) -> Problem | None:
        def tally(label: str) -> None:
            if ctx is not None:
                ctx.counters[label] += 1

        codec = check_codec(data, self.options.time_limit)
        if codec.problem is not None and codec.problem.kind != "roundtrip-mismatch":
            tally("wacpy problem")
            return codec.problem
        validated = wasm_tools("validate", "--features", "all", "-", stdin=data, timeout=20)
        printed: ToolVerdict | None = None
        if not validated.ok:
            printed = wasm_tools("print", "-", stdin=data, timeout=20)
        parsed = validated.ok or (printed is not None and printed.ok)
        ours = "decoded" if codec.component is not None else f"DecodeError: {codec.error}"
        verdicts = {
            "wacpy decode": ours,
            "wasm-tools validate --features all": validated.describe(),
            "wasm-tools print": "not run (validated)" if printed is None else printed.describe(),
        }
        if codec.problem is not None:  # an inexact round-trip: does the re-encoding print the same?
            tally("round-trip mismatch")
            if parsed and codec.component is not None:
                from wacpy import encode

                again = wasm_tools("print", "-", stdin=encode(codec.component), timeout=20)
                first = wasm_tools("print", "-", stdin=data, timeout=20)
                same = again.ok and first.ok and again.stdout == first.stdout
                verdicts["print of the re-encoding"] = "same text" if same else "different text"
            return Problem(codec.problem.kind, codec.problem.message, codec.problem.signature, verdicts)
        if codec.component is not None:
            if validated.ok:
                tally("agree: valid")
                return None
            if parsed:
                tally("expected: we decode, wasm-tools parses but does not validate")
                return None
            assert printed is not None
            if self._inside_a_module(data, printed.error):
                tally("expected: parser rejects inside a core module (opaque to wacpy)")
                return None
            tally("finding: parser rejects what we decode")
            return Problem(
                kind="parser-rejects-decoded",
                message=f"wacpy decodes what wasm-tools' parser rejects: {printed.error}",
                signature=f"parser-rejects-decoded:{_normalized(printed.error)}",
                verdicts=verdicts,
            )
        assert codec.error is not None
        if not parsed:
            tally("agree: both reject")
            return None
        kind = "rejects-valid" if validated.ok else "rejects-parseable"
        tally(f"finding: {kind}")
        return Problem(
            kind=kind,
            message=f"wasm-tools {'validates' if validated.ok else 'parses'} what wacpy rejects: {codec.error}",
            signature=f"{kind}:{decode_error_signature(codec.error)}",
            verdicts=verdicts,
        )


TARGET = DifferentialTarget
