"""The byte cursor every section reader uses: LEB128, names, vectors, bounds and offsets."""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from typing import Any, NoReturn, TypeVar

import attrs
from attrs import field, frozen

from ...errors import DecodeError
from ..wide import widen

T = TypeVar("T")
Node = TypeVar("Node", bound=attrs.AttrsInstance)

#: Deepest nesting of components and component/instance types the reader accepts.
MAX_NESTING = 100
#: A limit no u32 count reaches.
_NO_LIMIT = 1 << 32
#: Longest name wasm-tools' parser reads, in bytes (``MAX_WASM_STRING_SIZE``).
MAX_NAME_SIZE = 100_000


def _padded_unsigned(data: bytes | memoryview, start: int, end: int) -> bool:
    """Whether the unsigned LEB128 in ``data[start:end]`` has more bytes than its value needs."""
    return end - start > 1 and data[end - 1] == 0x00


def _padded_signed(data: bytes | memoryview, start: int, end: int) -> bool:
    """Whether the signed LEB128 in ``data[start:end]`` has more bytes than its value needs."""
    if end - start < 2:
        return False
    last, sign_of_previous = data[end - 1], data[end - 2] & 0x40
    return (last == 0x00 and not sign_of_previous) or (last == 0x7F and bool(sign_of_previous))


@frozen
class ReadOptions:
    """How much of a component to decode, shared by every reader over it."""

    #: Decode the ``component-name`` section (else it stays a plain custom section).
    names: bool = True
    #: Sections already decoded, by their bytes (see ``components._sections``), or None.
    memo: dict[Any, Any] | None = field(default=None, eq=False)
    #: How deeply nested a section must be to go through the memo (0: every section).
    memo_depth: int = 0
    #: Read alias sections for typing only: core-export aliases of untracked core sorts are stepped
    #: over, not kept (see ``components.decode_interface``, which also skips sections 0 and 2).
    interface_only: bool = False
    #: Ids of sections to step over without decoding (their bounds are still checked).
    skip: frozenset[int] = frozenset()


DEFAULT_OPTIONS = ReadOptions()


def constructor(cls: type[Node]) -> Callable[..., Node]:
    """A function equal to ``cls(*args)`` (``__init__``'s fields, in order, all positional) for the
    reader's most frequent nodes, made without attrs' ``__init__``: a new instance whose slots are
    set directly (about half the cost of the call). ``cls`` must be a frozen slotted attrs class
    with no validators, converters, factories or post-init hooks; this checks."""
    fields = attrs.fields(cls)
    if hasattr(cls, "__attrs_post_init__") or any(
        f.validator or f.converter or isinstance(f.default, attrs.Factory)  # type: ignore[arg-type]
        for f in fields
    ):
        raise TypeError(f"{cls.__name__} does more in __init__ than set its fields")
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    params, body = [], ["    self = new(cls)"]
    for i, f in enumerate(fields):
        namespace[f"set{i}"] = getattr(cls, f.name).__set__  # the slot's member descriptor
        namespace[f"default{i}"] = f.default
        value = f"a{i}" if f.init else f"default{i}"
        if f.init:
            params.append(value if f.default is attrs.NOTHING else f"{value}=default{i}")
        body.append(f"    set{i}(self, {value})")
    source = "\n".join([f"def make({', '.join(params)}):", *body, "    return self"])
    exec(source, namespace)  # one straight-line function per class, as attrs makes its __init__
    make: Callable[..., Node] = namespace["make"]
    return make


#: Most entries a cache of shared AST leaves holds before it starts afresh (see :func:`shared`).
SHARED_LIMIT = 4096
K = TypeVar("K")


def shared(cache: dict[K, T], key: K, item: T) -> T:
    """Keep ``item`` in ``cache`` under ``key`` and return it. The reader gives every occurrence of
    a small leaf (a canonical option, a sort index, an extern name) one shared instance, which the
    immutable AST allows and which costs a dict lookup instead of an attrs ``__init__``. Only
    minimal encodings are shared: a padded number or length is its own value (``wide.py``)."""
    if len(cache) >= SHARED_LIMIT:
        cache.clear()
    cache[key] = item
    return item


_new_reader = object.__new__


def _whole_bytes(data: memoryview) -> bytes | None:
    """The ``bytes`` object ``data`` views from its first byte to its last, or None."""
    whole = data.obj
    return whole if type(whole) is bytes and len(whole) == data.nbytes and data.contiguous else None


def _text(data: bytes | memoryview, start: int, end: int) -> str:
    """``data[start:end]`` decoded as UTF-8."""
    return data[start:end].decode() if type(data) is bytes else str(data[start:end], "utf-8")


class Reader:
    """A cursor over ``data[pos:end]``; offsets in errors are absolute file offsets."""

    __slots__ = ("base", "data", "depth", "end", "options", "pos", "view")

    def __init__(
        self,
        data: memoryview,
        pos: int = 0,
        end: int | None = None,
        *,
        base: int = 0,
        depth: int = 0,
        options: ReadOptions = DEFAULT_OPTIONS,
    ) -> None:
        #: The bytes as a view, for the slices that must not copy (core modules, sources, custom data).
        self.view = data
        #: What the readers index: ``data``'s own ``bytes`` when it views one whole (as for
        #: ``decode(bytes)``), the view otherwise. Indexing bytes and decoding names from them is
        #: cheaper than through a memoryview.
        self.data: bytes | memoryview = _whole_bytes(data) or data
        self.pos = pos
        self.end = len(data) if end is None else end
        self.base = base
        self.depth = depth
        self.options = options

    # -- positions and failures ---------------------------------------------------------
    def offset(self, pos: int | None = None) -> int:
        """Absolute file offset of ``pos`` (default: the cursor)."""
        return self.base + (self.pos if pos is None else pos)

    def fail(self, message: str, pos: int | None = None) -> NoReturn:
        raise DecodeError(message, self.offset(pos))

    def at_end(self) -> bool:
        return self.pos >= self.end

    def remaining(self) -> int:
        return self.end - self.pos

    def expect_end(self, what: str) -> None:
        if self.pos != self.end:
            self.fail(f"{self.end - self.pos} unexpected bytes at the end of {what}")

    def nested(self, what: str) -> Reader:
        """A reader one nesting level deeper over the same bytes (guards against nesting bombs)."""
        if self.depth + 1 > MAX_NESTING:
            self.fail(f"{what} nested more than {MAX_NESTING} levels deep")
        return Reader(
            self.view,
            self.pos,
            self.end,
            base=self.base,
            depth=self.depth + 1,
            options=self.options,
        )

    def sub(self, size: int, what: str) -> Reader:
        """A reader over the next ``size`` bytes, advancing this one past them."""
        if size > self.end - self.pos:
            self.fail(f"{what} of {size} bytes runs past the end ({self.end - self.pos} bytes left)")
        sub = _new_reader(Reader)  # a copy of this cursor, made without __init__'s argument handling
        sub.data, sub.view, sub.pos, sub.end = self.data, self.view, self.pos, self.pos + size
        sub.base, sub.depth, sub.options = self.base, self.depth, self.options
        self.pos += size
        return sub

    # -- bytes ---------------------------------------------------------------------------
    def u8(self, what: str = "a byte") -> int:
        pos = self.pos
        if pos >= self.end:
            self.fail(f"unexpected end of input, expected {what}")
        self.pos = pos + 1
        return self.data[pos]

    def peek(self, what: str = "a byte") -> int:
        if self.pos >= self.end:
            self.fail(f"unexpected end of input, expected {what}")
        return self.data[self.pos]

    def take(self, size: int, what: str) -> memoryview:
        """The next ``size`` bytes as a view (no copy)."""
        if size > self.end - self.pos:
            self.fail(f"unexpected end of input: {what} needs {size} bytes, {self.end - self.pos} left")
        start = self.pos
        self.pos += size
        return self.view[start : self.pos]

    def invalid(self, byte: int, what: str, pos: int | None = None) -> NoReturn:
        where = self.pos - 1 if pos is None else pos
        self.fail(f"invalid leading byte {byte:#04x} for {what}", where)

    def flag(self, what: str) -> bool:
        """A byte that must be 0x00 (false) or 0x01 (true)."""
        byte = self.u8(what)
        if byte > 1:
            self.invalid(byte, what)
        return byte == 1

    # -- LEB128 ----------------------------------------------------------------------------
    def _unsigned(self, bits: int, what: str) -> int:
        data, pos, end = self.data, self.pos, self.end
        if pos < end and data[pos] < 0x80:  # the common one-byte case
            self.pos = pos + 1
            return data[pos]
        start = pos
        max_bytes = (bits + 6) // 7
        result = shift = 0
        while True:
            if pos >= end:
                self.fail(f"unexpected end of input in {what}", start)
            byte = data[pos]
            pos += 1
            result |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
            if pos - start >= max_bytes:
                self.fail(f"{what}: integer representation too long (more than {max_bytes} bytes)", start)
        if result >> bits:
            self.fail(f"{what}: integer too large for u{bits}", start)
        self.pos = pos
        return widen(result, pos - start) if _padded_unsigned(data, start, pos) else result

    def _signed(self, bits: int, what: str) -> int:
        data, pos, end = self.data, self.pos, self.end
        start = pos
        max_bytes = (bits + 6) // 7
        result = shift = 0
        while True:
            if pos >= end:
                self.fail(f"unexpected end of input in {what}", start)
            byte = data[pos]
            pos += 1
            result |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
            if pos - start >= max_bytes:
                self.fail(f"{what}: integer representation too long (more than {max_bytes} bytes)", start)
        if byte & 0x40:
            result -= 1 << shift
        if not -(1 << (bits - 1)) <= result < (1 << (bits - 1)):
            self.fail(f"{what}: integer too large for s{bits}", start)
        self.pos = pos
        return widen(result, pos - start) if _padded_signed(data, start, pos) else result

    def u32(self, what: str = "a u32") -> int:
        data, pos, end = self.data, self.pos, self.end
        if pos + 1 < end:
            byte = data[pos]
            if byte < 0x80:  # the common one-byte case
                self.pos = pos + 1
                return byte
            second = data[pos + 1]
            if 0 < second < 0x80:  # a minimal two-byte number (indices up to 16383)
                self.pos = pos + 2
                return (byte & 0x7F) | (second << 7)
        elif pos < end and data[pos] < 0x80:
            self.pos = pos + 1
            return data[pos]
        return self._unsigned(32, what)

    def u64(self, what: str = "a u64") -> int:
        return self._unsigned(64, what)

    def s33(self, what: str = "an s33") -> int:
        return self._signed(33, what)

    def s32(self, what: str = "an s32") -> int:
        return self._signed(32, what)

    def s64(self, what: str = "an s64") -> int:
        return self._signed(64, what)

    # -- names and vectors -------------------------------------------------------------------
    def name(self, what: str = "a name") -> str:
        data, start = self.data, self.pos
        if start < self.end:  # the common case: a one-byte length, the text there, valid UTF-8
            text_end = start + 1 + data[start]
            if data[start] < 0x80 and text_end <= self.end:
                try:  # as _text does, inline
                    if type(data) is bytes:
                        text = data[start + 1 : text_end].decode()
                    else:
                        text = str(data[start + 1 : text_end], "utf-8")
                except UnicodeDecodeError:
                    pass  # reported below, with its offset
                else:
                    self.pos = text_end
                    return text
        text_start, text_end = self._name_span(what)
        try:
            text = _text(data, text_start, text_end)
        except UnicodeDecodeError as err:
            self.fail(f"{what} is not valid UTF-8 ({err.reason})", text_start + err.start)
        if text_start == start + 1 or not _padded_unsigned(data, start, text_start):
            return text
        wide: str = widen(text, text_start - start)
        return wide

    def skip_name(self, what: str = "a name") -> None:
        """Step over a name, failing where :meth:`name` would on its length, without decoding it."""
        self._name_span(what)

    def _name_span(self, what: str) -> tuple[int, int]:
        """Read a name's length, check that its bytes are there and step past them: their span."""
        data, start = self.data, self.pos
        if start < self.end and data[start] < 0x80:  # one-byte length: always minimal
            size, text_start = data[start], start + 1
        else:
            size = self.u32(f"length of {what}")
            text_start = self.pos
            if size > MAX_NAME_SIZE:  # wasm-tools names the last byte of the length
                self.fail(f"{what} of {size} bytes is longer than {MAX_NAME_SIZE} bytes", text_start - 1)
        text_end = text_start + size
        if text_end > self.end:
            self.fail(f"unexpected end of input: {what} needs {size} bytes, {self.end - text_start} left")
        self.pos = text_end
        return text_start, text_end

    def count(self, what: str, limit: int = _NO_LIMIT) -> int:
        """A vector length, rejected when even one-byte items could not fit in what is left, or
        when it is over ``limit`` (wasm-tools' parser limit for this kind of vector)."""
        start = self.pos
        if start < self.end and self.data[start] < 0x80:  # the common one-byte count
            n = self.data[start]
            self.pos = start + 1
        else:
            n = self.u32(f"number of {what}")
        if n > limit:
            self.over_limit(n, what, limit, start)
        if n > self.end - self.pos:
            self.fail(f"{n} {what} cannot fit in the {self.end - self.pos} bytes left", start)
        return n

    def over_limit(self, n: int, what: str, limit: int, pos: int) -> NoReturn:
        self.fail(f"{n} {what} are more than the {limit} wasm-tools accepts", pos)

    def vec(self, read_item: Callable[[Reader], T], what: str, limit: int = _NO_LIMIT) -> tuple[T, ...]:
        """``vec(item)``: a u32 count (at most ``limit``) then that many items."""
        start = self.pos
        if start < self.end:  # the common case: a one-byte count within the limit, items that fit
            n = self.data[start]
            if n < 0x80 and n <= limit and n < self.end - start:
                self.pos = start + 1
                return tuple(map(read_item, repeat(self, n)))  # in order; no comprehension frame
        n = self.count(what, limit)
        items = tuple(map(read_item, repeat(self, n)))
        if self.data[start] < 0x80:
            return items
        count_end = start + 1
        while self.data[count_end - 1] & 0x80:
            count_end += 1
        return widen(items, count_end - start) if _padded_unsigned(self.data, start, count_end) else items

    def optional(self, read_item: Callable[[Reader], T], what: str) -> T | None:
        """``T?``: 0x00 for absent, 0x01 then the item."""
        pos = self.pos
        if pos < self.end and self.data[pos] <= 1:  # the flag is well formed: no message needed
            self.pos = pos + 1
            return read_item(self) if self.data[pos] else None
        return read_item(self) if self.flag(f"presence flag of {what}") else None
