"""The codec checks the decode, roundtrip and differential targets share."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from wacpy import ComponentTypeError, DecodeError, decode, encode
from wacpy.binary.ast import (
    AliasSection,
    Component,
    ComponentSection,
    CoreExportAlias,
    CoreInstanceSection,
    CoreModule,
    CoreModuleSection,
    CustomSection,
    NameSection,
    Sort,
)
from wacpy.binary.modules import read_module_info
from wacpy.binary.reader.components import decode_interface
from wacpy.types import component_type
from wacpy.types.wit_text import render_component

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


def _rejects_valid(kind: str, rejected: str, reader: str, err: DecodeError) -> Problem:
    """``reader`` (the verdict's name for it) raised DecodeError on input valid by construction."""
    return Problem(
        kind=kind,
        message=f"{rejected}: {err}",
        signature=f"{kind}:{decode_error_signature(err)}",
        verdicts={reader: f"DecodeError: {err}", "input": "valid by construction"},
    )


def _slow(stage: str, limit: float, started: float) -> Problem:
    took = time.monotonic() - started
    return Problem(
        kind="slow",
        message=f"{stage} took more than the {limit} s limit (stopped at {took:.2f} s)",
        signature=f"slow:{stage}",
        verdicts={"wacpy": f"{stage} still running after {took:.2f} s"},
    )


def check_codec(data: bytes, limit: float, *, valid: bool = False) -> CodecResult:
    """Decode ``data``; if it decodes, re-encode it (must give the same bytes), read each
    core module's interface (``module_info``: works or raises DecodeError) and take the
    registration fast path (``decode_interface`` and ``component_type`` with memos shared across
    inputs: same sections and same type as the full decode).

    Anything but a clean result or a DecodeError is a problem; with ``valid`` (``data`` is
    known to be a valid component) a DecodeError from decode or ``info()`` is one too.
    """
    started = time.monotonic()
    try:
        with time_limit(limit):
            component = decode(data)
    except DecodeError as err:
        if valid:
            problem = _rejects_valid("rejects-valid", "decode rejected a valid component", "wacpy", err)
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
                read_module_info(module.data)
        except DecodeError as err:
            if valid:
                rejected = "module_info() rejected a module of a valid component"
                problem = _rejects_valid("info-rejects-valid", rejected, "module_info()", err)
                return CodecResult(component, problem, None)
        except SlowInput:
            return CodecResult(component, _slow("info", limit, started), None)
        except Exception as err:
            return CodecResult(component, crash_problem("info-crash", err), None)
    return CodecResult(component, _interface_problem(data, component, limit), None)


#: Shared by every input of a campaign, as a composition graph shares it between its components.
_SECTION_MEMO: dict[object, object] = {}
_TYPE_MEMO: dict[object, object] = {}


def _interface(component: Component) -> Component:
    """``component`` without what ``decode_interface`` skips, nested components included."""
    kept = []
    for section in component.sections:
        if isinstance(section, CustomSection | NameSection | CoreInstanceSection):
            continue
        if isinstance(section, ComponentSection) and isinstance(section.component, Component):
            section = ComponentSection(_interface(section.component), size_width=section.size_width)
        elif isinstance(section, AliasSection):
            aliases = tuple(a for a in section.aliases if not _untracked_core_alias(a))
            section = AliasSection(aliases, size_width=section.size_width)
        kept.append(section)
    return Component(tuple(kept))


def _untracked_core_alias(alias: object) -> bool:
    return isinstance(alias, CoreExportAlias) and alias.sort is not Sort.CORE_MODULE


def _type_text(component: Component, memo: dict[object, object] | None) -> str:
    try:
        return render_component(component_type(component, memo))
    except (ComponentTypeError, DecodeError) as err:  # DecodeError: a core module read when typed
        return f"{type(err).__name__}: {err}"


def _interface_problem(data: bytes, component: Component, limit: float) -> Problem | None:
    started = time.monotonic()
    try:
        with time_limit(limit):
            return _check_interface(data, component)
    except SlowInput:
        return _slow("interface", limit, started)
    except Exception as err:
        return crash_problem("interface-crash", err)


def _check_interface(data: bytes, component: Component) -> Problem | None:
    """The registration fast path (interface-only decode, section and type memos shared across
    inputs) must give exactly the sections and the type the full decode gives."""
    if len(_SECTION_MEMO) > 100_000:
        _SECTION_MEMO.clear()
        _TYPE_MEMO.clear()
    fast = decode_interface(data, _SECTION_MEMO)
    if fast != _interface(component):
        return Problem(
            kind="interface-mismatch",
            message="decode_interface (with the shared memo) differs from the full decode's sections",
            signature="interface-mismatch:sections",
            verdicts={"decode": "full AST", "decode_interface": "different sections"},
        )
    slow_type, fast_type = _type_text(component, None), _type_text(fast, _TYPE_MEMO)
    if slow_type != fast_type:
        return Problem(
            kind="interface-mismatch",
            message=f"the type from the fast path differs: {fast_type[:200]!r} vs {slow_type[:200]!r}",
            signature="interface-mismatch:type",
            verdicts={"component_type(decode)": slow_type[:200], "fast path": fast_type[:200]},
        )
    return None
