"""Writer for canonical definitions."""

from __future__ import annotations

from typing import cast

from ...errors import EncodeError
from ..ast.canonicals import (
    Canon,
    CanonBuiltin,
    CanonLift,
    CanonLower,
    CanonOption,
    Immediate,
    ImmediateValue,
    ResourceDrop,
    ResourceNew,
)
from ..ast.core_types import CoreValType
from ..ast.types import ValType
from ._base import Writer
from .core_types import write_core_valtype
from .types import write_result_list


def write_canon_option(w: Writer, option: CanonOption) -> None:
    if option.kind.takes_index != (option.index is not None):
        need = "needs an index" if option.kind.takes_index else "takes no index"
        raise EncodeError(f"canonical option {option.kind.name.lower()} {need}")
    w.u8(option.kind.value)
    if option.index is not None:
        w.u32(option.index)


def _write_options(w: Writer, options: tuple[CanonOption, ...]) -> None:
    w.vec(options, write_canon_option)


def _write_immediate(w: Writer, immediate: Immediate, value: ImmediateValue) -> None:
    if immediate is Immediate.INDEX:
        w.u32(cast(int, value))
    elif immediate is Immediate.FLAG:
        w.flag(bool(value))
    elif immediate is Immediate.OPTIONS:
        _write_options(w, cast(tuple[CanonOption, ...], value))
    elif immediate is Immediate.CORE_VALTYPE:
        write_core_valtype(w, cast(CoreValType, value))
    else:
        write_result_list(w, cast("ValType | None", value))


def write_canon(w: Writer, canon: Canon) -> None:
    if isinstance(canon, CanonLift):
        w.raw(b"\x00\x00")
        w.u32(canon.core_func)
        _write_options(w, canon.options)
        w.u32(canon.type_index)
    elif isinstance(canon, CanonLower):
        w.raw(b"\x01\x00")
        w.u32(canon.func)
        _write_options(w, canon.options)
    elif isinstance(canon, CanonBuiltin):
        w.u8(canon.builtin.opcode)
        for immediate, value in zip(canon.builtin.immediates, canon.args, strict=True):
            _write_immediate(w, immediate, value)
    else:
        w.u8(0x02 if isinstance(canon, ResourceNew) else 0x03 if isinstance(canon, ResourceDrop) else 0x04)
        w.u32(canon.type_index)
