"""Reader for canonical definitions."""

from __future__ import annotations

from ..ast.canonicals import (
    BUILTINS_BY_OPCODE,
    Canon,
    CanonBuiltin,
    CanonLift,
    CanonLower,
    CanonOption,
    CanonOptionKind,
    Immediate,
    ImmediateValue,
    ResourceDrop,
    ResourceNew,
    ResourceRep,
)
from . import limits
from ._base import Reader, constructor, shared
from .core_types import read_core_valtype
from .types import read_result_list

_OPTION_KINDS = {k.value: (k, k.takes_index) for k in CanonOptionKind}
#: The options without an index, one instance each.
_PLAIN_OPTIONS = {k: CanonOption(k) for k in CanonOptionKind if not k.takes_index}
_INDEXED_OPTIONS: dict[tuple[CanonOptionKind, int], CanonOption] = {}


def read_canon_option(r: Reader) -> CanonOption:
    byte = r.u8("a canonical option")
    kind_and_index = _OPTION_KINDS.get(byte)
    if kind_and_index is None:
        r.invalid(byte, "canonical option")
    kind, takes_index = kind_and_index
    if not takes_index:
        return _PLAIN_OPTIONS[kind]
    index = r.u32("a canonical option index")
    if type(index) is not int:  # padded: keeps its own width
        return CanonOption(kind, index)
    key = (kind, index)
    option = _INDEXED_OPTIONS.get(key)
    return option if option is not None else shared(_INDEXED_OPTIONS, key, CanonOption(kind, index))


def _read_options(r: Reader) -> tuple[CanonOption, ...]:
    return r.vec(read_canon_option, "canonical options", limits.CANONICAL_OPTIONS)


def _read_immediate(r: Reader, immediate: Immediate) -> ImmediateValue:
    if immediate is Immediate.INDEX:
        return r.u32("an index immediate")
    if immediate is Immediate.FLAG:
        return r.flag("an async/cancel/shared flag")
    if immediate is Immediate.OPTIONS:
        return _read_options(r)
    if immediate is Immediate.CORE_VALTYPE:
        return read_core_valtype(r)
    return read_result_list(r)


def _expect_func_sort(r: Reader) -> None:
    byte = r.u8("the func sort")
    if byte != 0x00:
        r.invalid(byte, "canonical function sort (0x00 required)")


_new_lift = constructor(CanonLift)
_new_lower = constructor(CanonLower)


def _read_lift(r: Reader) -> CanonLift:
    core_func = r.u32("a core function index")
    options = _read_options(r)
    return _new_lift(core_func, options, r.u32("a type index"))


def _read_lower(r: Reader) -> CanonLower:
    func = r.u32("a function index")
    return _new_lower(func, _read_options(r))


def read_canon(r: Reader) -> Canon:
    data, pos = r.data, r.pos
    if pos + 2 < r.end and data[pos] <= 0x01 and data[pos + 1] == 0x00:  # the common lift or lower
        r.pos = pos + 2
        return _read_lower(r) if data[pos] else _read_lift(r)
    opcode = r.u8("a canonical function")
    if opcode == 0x00:
        _expect_func_sort(r)
        return _read_lift(r)
    if opcode == 0x01:
        _expect_func_sort(r)
        return _read_lower(r)
    if opcode == 0x02:
        return ResourceNew(r.u32("a resource type index"))
    if opcode == 0x03:
        return ResourceDrop(r.u32("a resource type index"))
    if opcode == 0x04:
        return ResourceRep(r.u32("a resource type index"))
    builtin = BUILTINS_BY_OPCODE.get(opcode)
    if builtin is None:
        r.invalid(opcode, "canonical function")
    return CanonBuiltin(builtin, tuple(_read_immediate(r, imm) for imm in builtin.immediates))
