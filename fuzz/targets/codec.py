"""The codec checks the decode, roundtrip and differential targets share."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from wacpy import DecodeError, decode, encode
from wacpy.binary.ast import Component, ComponentSection, CoreModule, CoreModuleSection

from ..findings import Problem, crash_problem
from ..timelimit import SlowInput, time_limit

__all__ = ["CodecResult", "check_codec", "core_modules", "decode_error_signature", "first_difference"]

_NUMBERS = re.compile(r"0x[0-9a-fA-F]+|\d+")


def decode_error_signature(err: DecodeError) -> str:
    """A DecodeError's message with its numbers blanked: what kind of error, not where."""
    return _NUMBERS.sub("N", err.message)


def core_modules(component: Component) -> Iterator[CoreModule]:
    """Every core module of a component, nested components included, in binary order."""
    for section in component.sections:
        if isinstance(section, CoreModuleSection):
            yield section.module
        elif isinstance(section, ComponentSection) and isinstance(section.component, Component):
            yield from core_modules(section.component)


def first_difference(a: bytes, b: bytes) -> int:
    """The first offset where ``a`` and ``b`` differ (the shorter length if one is a prefix)."""
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return min(len(a), len(b))


def _section_at(component: Component, offset: int) -> str:
    """The kind of top-level section whose encoding covers ``offset`` of ``encode(component)``."""
    for k, section in enumerate(component.sections):
        if len(encode(Component(component.sections[: k + 1]))) > offset:
            return type(section).__name__
    return "end"


class CodecResult:
    """The outcome of :func:`check_codec`: the component (if it decoded) and the problem (if any)."""

    def __init__(
        self, component: Component | None, problem: Problem | None, error: DecodeError | None
    ) -> None:
        self.component = component
        self.problem = problem
        self.error = error


def _slow(stage: str, limit: float, started: float) -> Problem:
    took = time.monotonic() - started
    return Problem(
        kind="slow",
        message=f"{stage} took more than the {limit} s limit (stopped at {took:.2f} s)",
        signature=f"slow:{stage}",
        verdicts={"wacpy": f"{stage} still running after {took:.2f} s"},
    )


def check_codec(data: bytes, limit: float, *, valid: bool = False) -> CodecResult:
    """Decode ``data``; if it decodes, re-encode it (must give the same bytes) and read each
    core module's interface (``CoreModule.info()``: works or raises DecodeError).

    Anything but a clean result or a DecodeError is a problem; with ``valid`` (``data`` is
    known to be a valid component) a DecodeError from decode or ``info()`` is one too.
    """
    started = time.monotonic()
    try:
        with time_limit(limit):
            component = decode(data)
    except DecodeError as err:
        if valid:
            problem = Problem(
                kind="rejects-valid",
                message=f"decode rejected a valid component: {err}",
                signature=f"rejects-valid:{decode_error_signature(err)}",
                verdicts={"wacpy": f"DecodeError: {err}", "input": "valid by construction"},
            )
            return CodecResult(None, problem, err)
        return CodecResult(None, None, err)
    except SlowInput:
        return CodecResult(None, _slow("decode", limit, started), None)
    except Exception as err:
        return CodecResult(None, crash_problem("decode-crash", err), None)
    started = time.monotonic()
    try:
        with time_limit(limit):
            again = encode(component)
    except SlowInput:
        return CodecResult(component, _slow("encode", limit, started), None)
    except Exception as err:
        return CodecResult(component, crash_problem("encode-crash", err), None)
    if again != data:
        at = first_difference(data, again)
        where = _section_at(component, at)
        problem = Problem(
            kind="roundtrip-mismatch",
            message=(
                f"encode(decode(input)) differs from the input at byte {at} (in a {where}): "
                f"input {data[at : at + 8].hex()} vs re-encoded {again[at : at + 8].hex()}, "
                f"{len(data)} vs {len(again)} bytes"
            ),
            signature=f"roundtrip-mismatch:{where}",
            verdicts={"wacpy": "decoded", "re-encoding": f"differs at byte {at}"},
        )
        return CodecResult(component, problem, None)
    for module in core_modules(component):
        started = time.monotonic()
        try:
            with time_limit(limit):
                CoreModule(module.data).info()
        except DecodeError as err:
            if valid:
                problem = Problem(
                    kind="info-rejects-valid",
                    message=f"CoreModule.info() rejected a module of a valid component: {err}",
                    signature=f"info-rejects-valid:{decode_error_signature(err)}",
                    verdicts={"CoreModule.info()": f"DecodeError: {err}", "input": "valid by construction"},
                )
                return CodecResult(component, problem, None)
        except SlowInput:
            return CodecResult(component, _slow("info", limit, started), None)
        except Exception as err:
            return CodecResult(component, crash_problem("info-crash", err), None)
    return CodecResult(component, None, None)
