"""Canonical definitions: lift, lower, resource built-ins and the async/thread built-ins."""

from __future__ import annotations

from attrs import frozen

from .common import IdentityEnum
from .core_types import CoreValType
from .types import ValType


class CanonOptionKind(IdentityEnum):
    """A ``canonopt``; the value is its byte."""

    UTF8 = 0x00
    UTF16 = 0x01
    LATIN1_UTF16 = 0x02
    MEMORY = 0x03
    REALLOC = 0x04
    POST_RETURN = 0x05
    ASYNC = 0x06
    CALLBACK = 0x07
    CORE_TYPE = 0x08
    GC = 0x09

    @property
    def takes_index(self) -> bool:
        return self in _INDEXED_OPTIONS


_INDEXED_OPTIONS = frozenset(
    {
        CanonOptionKind.MEMORY,
        CanonOptionKind.REALLOC,
        CanonOptionKind.POST_RETURN,
        CanonOptionKind.CALLBACK,
        CanonOptionKind.CORE_TYPE,
    }
)


@frozen
class CanonOption:
    """A canonical option; ``index`` is set exactly for the kinds that take one."""

    kind: CanonOptionKind
    index: int | None = None


@frozen
class CanonLift:
    """``(canon lift core_func opts (type type_index))``."""

    core_func: int
    options: tuple[CanonOption, ...]
    type_index: int


@frozen
class CanonLower:
    """``(canon lower func opts (core func))``."""

    func: int
    options: tuple[CanonOption, ...]


@frozen
class ResourceNew:
    type_index: int


@frozen
class ResourceDrop:
    type_index: int


@frozen
class ResourceRep:
    type_index: int


class Immediate(IdentityEnum):
    """The shape of one immediate of a built-in."""

    INDEX = "index"  # a u32: type, memory, table or core type index, or a context slot
    FLAG = "flag"  # async? / cancel? / shared?: 0x00 or 0x01
    OPTIONS = "options"  # vec(canonopt)
    CORE_VALTYPE = "core-valtype"
    RESULT = "result"  # resultlist


_I, _F, _O, _V, _R = (
    Immediate.INDEX,
    Immediate.FLAG,
    Immediate.OPTIONS,
    Immediate.CORE_VALTYPE,
    Immediate.RESULT,
)


class Builtin(IdentityEnum):
    """Canonical built-ins other than lift, lower and resource.*; value: (opcode, immediates)."""

    BACKPRESSURE_INC = (0x24, ())
    BACKPRESSURE_DEC = (0x25, ())
    TASK_RETURN = (0x09, (_R, _O))
    TASK_CANCEL = (0x05, ())
    CONTEXT_GET = (0x0A, (_V, _I))
    CONTEXT_SET = (0x0B, (_V, _I))
    SUBTASK_CANCEL = (0x06, (_F,))
    SUBTASK_DROP = (0x0D, ())
    STREAM_NEW = (0x0E, (_I,))
    STREAM_READ = (0x0F, (_I, _O))
    STREAM_WRITE = (0x10, (_I, _O))
    STREAM_CANCEL_READ = (0x11, (_I, _F))
    STREAM_CANCEL_WRITE = (0x12, (_I, _F))
    STREAM_DROP_READABLE = (0x13, (_I,))
    STREAM_DROP_WRITABLE = (0x14, (_I,))
    FUTURE_NEW = (0x15, (_I,))
    FUTURE_READ = (0x16, (_I, _O))
    FUTURE_WRITE = (0x17, (_I, _O))
    FUTURE_CANCEL_READ = (0x18, (_I, _F))
    FUTURE_CANCEL_WRITE = (0x19, (_I, _F))
    FUTURE_DROP_READABLE = (0x1A, (_I,))
    FUTURE_DROP_WRITABLE = (0x1B, (_I,))
    ERROR_CONTEXT_NEW = (0x1C, (_O,))
    ERROR_CONTEXT_DEBUG_MESSAGE = (0x1D, (_O,))
    ERROR_CONTEXT_DROP = (0x1E, ())
    WAITABLE_SET_NEW = (0x1F, ())
    WAITABLE_SET_WAIT = (0x20, (_F, _I))
    WAITABLE_SET_POLL = (0x21, (_F, _I))
    WAITABLE_SET_DROP = (0x22, ())
    WAITABLE_JOIN = (0x23, ())
    THREAD_INDEX = (0x26, ())
    THREAD_NEW_INDIRECT = (0x27, (_I, _I))
    THREAD_RESUME_LATER = (0x28, ())
    THREAD_SUSPEND = (0x29, (_F,))
    THREAD_YIELD = (0x0C, (_F,))
    THREAD_SUSPEND_THEN_RESUME = (0x2A, (_F,))
    THREAD_YIELD_THEN_RESUME = (0x2B, (_F,))
    THREAD_SUSPEND_THEN_PROMOTE = (0x2C, (_F,))
    THREAD_YIELD_THEN_PROMOTE = (0x2D, (_F,))
    # wasm-tools 1.262 writes these three without the spec's `shared?` byte.
    THREAD_SPAWN_REF = (0x40, (_I,))
    THREAD_SPAWN_INDIRECT = (0x41, (_I, _I))
    THREAD_AVAILABLE_PARALLELISM = (0x42, ())
    STREAM_FORWARD = (0x2E, (_I,))
    FUTURE_FORWARD = (0x2F, (_I,))

    @property
    def opcode(self) -> int:
        return int(self.value[0])

    @property
    def immediates(self) -> tuple[Immediate, ...]:
        return tuple(self.value[1])


#: An immediate's decoded value: an index, a flag, options, a core value type or a result type.
ImmediateValue = int | bool | tuple[CanonOption, ...] | CoreValType | ValType | None


@frozen
class CanonBuiltin:
    """A built-in with its immediates in the order ``Builtin.immediates`` gives."""

    builtin: Builtin
    args: tuple[ImmediateValue, ...] = ()


Canon = CanonLift | CanonLower | ResourceNew | ResourceDrop | ResourceRep | CanonBuiltin
BUILTINS_BY_OPCODE = {b.opcode: b for b in Builtin}
