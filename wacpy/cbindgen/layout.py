"""Canonical-ABI memory layout and flattening of model value types (wasm32, no async).

Sizes, alignments and field offsets follow the component model's canonical ABI: a record lays its
fields out in order at their alignment; a variant (and ``option``, ``result``, ``enum``) is a
discriminant as small as its case count allows, then the payload at the largest case alignment;
``flags`` take 1, 2 or 4 bytes; strings and lists are a 4-byte pointer and a 4-byte length.
Flattening turns a value into core values (``i32``, ``i64``, ``f32``, ``f64``); a variant's cases
share slots, widened where their types differ.

>>> from wacpy.binary.ast.types import PrimValType as P
>>> size_align(OptionT(P.U64)), flatten(OptionT(P.STRING))
((16, 8), ('i32', 'i32', 'i32'))
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from ..binary.ast.types import PrimValType
from ..types.model import (
    BorrowT,
    EnumT,
    FlagsT,
    ListT,
    OptionT,
    OwnT,
    RecordT,
    ResultT,
    TupleT,
    ValueT,
    VariantT,
)

__all__ = [
    "CoreType",
    "UnsupportedTypeError",
    "align_to",
    "cases_of",
    "discriminant_size",
    "field_offsets",
    "flags_size",
    "flatten",
    "join",
    "payload_offset",
    "size_align",
]

#: A core value type, by its WAT name.
CoreType = str

#: Per primitive: (size and alignment, core type).
_PRIM: dict[PrimValType, tuple[int, CoreType]] = {
    PrimValType.BOOL: (1, "i32"),
    PrimValType.S8: (1, "i32"),
    PrimValType.U8: (1, "i32"),
    PrimValType.S16: (2, "i32"),
    PrimValType.U16: (2, "i32"),
    PrimValType.S32: (4, "i32"),
    PrimValType.U32: (4, "i32"),
    PrimValType.CHAR: (4, "i32"),
    PrimValType.S64: (8, "i64"),
    PrimValType.U64: (8, "i64"),
    PrimValType.F32: (4, "f32"),
    PrimValType.F64: (8, "f64"),
}


class UnsupportedTypeError(ValueError):
    """A type the C bindings do not cover (async types, maps, error-context, empty flags)."""


def align_to(offset: int, alignment: int) -> int:
    """``offset`` rounded up to a multiple of ``alignment``."""
    return -(-offset // alignment) * alignment


def discriminant_size(case_count: int) -> int:
    """Bytes of the tag of a variant with ``case_count`` cases."""
    return 1 if case_count <= 1 << 8 else 2 if case_count <= 1 << 16 else 4


def flags_size(label_count: int) -> int:
    """Bytes of a ``flags`` type; more than 32 labels are not supported (no C integer holds them)."""
    if not 0 < label_count <= 32:
        raise UnsupportedTypeError(f"flags with {label_count} labels (1 to 32 are supported)")
    return 1 if label_count <= 8 else 2 if label_count <= 16 else 4


def cases_of(t: VariantT | OptionT | ResultT | EnumT) -> tuple[tuple[str, ValueT | None], ...]:
    """The cases of a variant-like type, as a variant would spell them."""
    if isinstance(t, VariantT):
        return t.cases
    if isinstance(t, OptionT):
        return (("none", None), ("some", t.type))
    if isinstance(t, ResultT):
        return (("ok", t.ok), ("err", t.err))
    return tuple((label, None) for label in t.labels)


def _fields(t: RecordT | TupleT) -> tuple[ValueT, ...]:
    return tuple(ft for _, ft in t.fields) if isinstance(t, RecordT) else t.types


@cache
def size_align(t: ValueT) -> tuple[int, int]:
    """The size and alignment of ``t`` in linear memory."""
    if isinstance(t, PrimValType):
        if t is PrimValType.STRING:
            return 8, 4
        if t not in _PRIM:
            raise UnsupportedTypeError(f"type {t.name.lower()}")
        return _PRIM[t][0], _PRIM[t][0]
    if isinstance(t, OwnT | BorrowT):
        return 4, 4
    if isinstance(t, ListT):
        if t.length is None:
            return 8, 4
        size, alignment = size_align(t.element)
        return size * t.length, alignment
    if isinstance(t, RecordT | TupleT):
        offsets = field_offsets(t)
        alignment = max((size_align(ft)[1] for ft in _fields(t)), default=1)
        end = offsets[-1] + size_align(_fields(t)[-1])[0] if offsets else 0
        return align_to(end, alignment), alignment
    if isinstance(t, FlagsT):
        size = flags_size(len(t.labels))
        return size, size
    if isinstance(t, VariantT | OptionT | ResultT | EnumT):
        cases = cases_of(t)
        payloads = [size_align(ct) for _, ct in cases if ct is not None]
        alignment = max([discriminant_size(len(cases)), *(a for _, a in payloads)])
        end = payload_offset(t) + max((s for s, _ in payloads), default=0)
        return align_to(end, alignment), alignment
    raise UnsupportedTypeError(f"type {type(t).__name__}")


def field_offsets(t: RecordT | TupleT) -> tuple[int, ...]:
    """The offset of each field of a record or tuple."""
    offsets, end = [], 0
    for ft in _fields(t):
        size, alignment = size_align(ft)
        end = align_to(end, alignment)
        offsets.append(end)
        end += size
    return tuple(offsets)


def payload_offset(t: VariantT | OptionT | ResultT | EnumT) -> int:
    """Where the payload of a variant-like type starts: after the tag, at the largest case alignment."""
    cases = cases_of(t)
    alignment = max((size_align(ct)[1] for _, ct in cases if ct is not None), default=1)
    return align_to(discriminant_size(len(cases)), alignment)


def join(a: CoreType, b: CoreType) -> CoreType:
    """The core type two variant cases share a slot in: the same, ``i32`` for i32/f32, else ``i64``."""
    if a == b:
        return a
    if {a, b} == {"i32", "f32"}:
        return "i32"
    return "i64"


def join_all(flats: Sequence[tuple[CoreType, ...]]) -> tuple[CoreType, ...]:
    """The shared slots of variant cases flattened to ``flats``."""
    slots: list[CoreType] = []
    for flat in flats:
        for i, core in enumerate(flat):
            if i < len(slots):
                slots[i] = join(slots[i], core)
            else:
                slots.append(core)
    return tuple(slots)


@cache
def flatten(t: ValueT) -> tuple[CoreType, ...]:
    """The core values ``t`` flattens to."""
    if isinstance(t, PrimValType):
        if t is PrimValType.STRING:
            return ("i32", "i32")
        if t not in _PRIM:
            raise UnsupportedTypeError(f"type {t.name.lower()}")
        return (_PRIM[t][1],)
    if isinstance(t, OwnT | BorrowT | EnumT):
        return ("i32",)
    if isinstance(t, ListT):
        return ("i32", "i32") if t.length is None else flatten(t.element) * t.length
    if isinstance(t, RecordT | TupleT):
        return tuple(core for ft in _fields(t) for core in flatten(ft))
    if isinstance(t, FlagsT):
        flags_size(len(t.labels))
        return ("i32",)
    if isinstance(t, VariantT | OptionT | ResultT):
        return ("i32", *join_all([flatten(ct) for _, ct in cases_of(t) if ct is not None]))
    raise UnsupportedTypeError(f"type {type(t).__name__}")
