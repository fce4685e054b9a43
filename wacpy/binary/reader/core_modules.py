"""The outline check of a nested core module: its preamble and its sections' ids, sizes and order.

A core module stays a view of the component's bytes (see ``CoreModule``); this steps over its
section headers only, as wasm-tools' parser does before any section is read, and checks what that
parser checks there: the module preamble, section ids, that each section fits in the module, the
order of the non-custom sections, and that the function and code sections (and the data count and
data sections) agree on their counts, which are the first number of their bodies.
"""

from __future__ import annotations

from ...errors import DecodeError
from ..ast.sections import PREAMBLE
from ._base import Reader

_MAGIC = PREAMBLE[:4]
_MODULE_VERSION = b"\x01\x00\x00\x00"
_COMPONENT_VERSION = PREAMBLE[4:]

#: The position of each core section id in the order a module must follow (custom sections, 0,
#: may appear anywhere; the tag section, 13, sits between memories and globals and the data
#: count section, 12, between elements and code).
_RANK = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13}
_FUNCTION, _CODE, _DATA_COUNT, _DATA = 3, 10, 12, 11


_PREAMBLE = _MAGIC + _MODULE_VERSION
#: ``_RANK`` as a tuple by section id (0: custom, or not a core section).
_RANK_BY_ID = tuple(_RANK.get(i, 0) for i in range(14))
#: The ranks of the sections whose first number (a count) must agree with another section's.
_COUNTED_RANKS = frozenset(_RANK[i] for i in (_FUNCTION, _CODE, _DATA_COUNT, _DATA))


def check_core_module(r: Reader, size: int) -> None:
    """Check the core module in the next ``size`` bytes of ``r`` (within bounds) without moving ``r``.

    The common case is read inline (one-byte section ids and sizes of one to three bytes,
    sections in order, one-byte counts); anything else is read again by :func:`_check_slowly`,
    which says what is wrong.
    """
    data, start = r.data, r.pos
    end = start + size
    if size < 8 or bytes(data[start : start + 8]) != _PREAMBLE:
        return _check_slowly(r, size)
    pos, last = start + 8, 0
    functions = bodies = segments = 0
    declared = -1
    rank = _RANK_BY_ID
    while pos < end:
        if pos + 2 >= end:
            return _check_slowly(r, size)  # a header at the very end: let the careful reader say more
        section_id, length = data[pos], data[pos + 1]
        if length < 0x80:
            body = pos + 2
        elif data[pos + 2] < 0x80:
            length, body = (length & 0x7F) | (data[pos + 2] << 7), pos + 3
        elif pos + 3 < end and data[pos + 3] < 0x80:
            length, body = (length & 0x7F) | ((data[pos + 2] & 0x7F) << 7) | (data[pos + 3] << 14), pos + 4
        else:
            return _check_slowly(r, size)
        pos = body + length
        if pos > end:
            return _check_slowly(r, size)
        order = rank[section_id] if section_id < 14 else 0
        if order > last:
            last = order
            if order in _COUNTED_RANKS:
                if not length or data[body] >= 0x80:
                    return _check_slowly(r, size)
                if section_id == _FUNCTION:
                    functions = data[body]
                elif section_id == _CODE:
                    bodies = data[body]
                elif section_id == _DATA:
                    segments = data[body]
                else:
                    declared = data[body]
        elif section_id or bytes(data[pos - length - 1 : pos - length + 2]) == b"asm":
            return _check_slowly(r, size)  # out of order, unknown, or a custom one that is a preamble
    if functions != bodies or declared not in (-1, segments):
        _check_slowly(r, size)
    return None


def _check_slowly(r: Reader, size: int) -> None:
    """The check of :func:`check_core_module`, one section at a time through a :class:`Reader`."""
    m = Reader(r.view, r.pos, r.pos + size, base=r.base)
    _check_preamble(m)
    rank = 0
    counts: dict[int, int] = {}
    while m.pos < m.end:
        section_id, body = _section_header(m)
        if section_id:
            if _RANK[section_id] <= rank:
                m.fail(f"section {section_id} is out of order in the core module", body)
            rank = _RANK[section_id]
            if section_id in (_FUNCTION, _CODE, _DATA_COUNT, _DATA):
                counts[section_id] = Reader(m.view, body, m.pos, base=m.base).u32("a count")
                if section_id == _CODE:
                    _check_function_count(m, counts, body)
                elif section_id == _DATA:
                    _check_data_count(m, counts, m.pos)
    if _CODE not in counts:
        _check_function_count(m, counts, m.end)
    _check_data_count(m, counts, m.end)


def _check_preamble(m: Reader) -> None:
    header = bytes(m.data[m.pos : m.pos + 8]) if m.end - m.pos >= 8 else b""
    if header == _MAGIC + _MODULE_VERSION:
        m.pos += 8
        return
    if len(header) < 8:
        m.fail("unexpected end of input in the 8-byte core module preamble")
    if header[:4] != _MAGIC:
        m.fail(f"bad magic number {header[:4].hex(' ')} for a core module, expected 00 61 73 6d")
    if header[4:] == _COMPONENT_VERSION:
        m.fail("expected a version header for a module, found a component's (01 00 is layer 1)")
    m.fail(f"unknown core module version {header[4:].hex(' ')}, expected 01 00 00 00", m.pos + 4)


def _section_header(m: Reader) -> tuple[int, int]:
    """Step over one section: its id and where its body starts."""
    start = m.pos
    if bytes(m.data[start : start + 4]) == _MAGIC:
        m.fail("expected a section of the core module, found a wasm magic number")
    section_id = m.u8("a section id")
    if section_id not in _RANK and section_id != 0:
        m.fail(f"malformed section id {section_id} in the core module", start)
    size_at = m.pos
    size = m.u32("a section size")
    body = m.pos
    if size > m.end - body:
        m.fail(f"section {section_id} of {size} bytes runs past the end of the core module", size_at)
    m.pos = body + size
    return section_id, body


def _check_function_count(m: Reader, counts: dict[int, int], pos: int) -> None:
    functions, bodies = counts.get(_FUNCTION), counts.get(_CODE)
    if (functions or 0) != (bodies or 0):
        raise DecodeError(
            f"the core module declares {functions or 0} functions but has {bodies or 0} function bodies",
            m.offset(pos),
        )


def _check_data_count(m: Reader, counts: dict[int, int], pos: int) -> None:
    declared = counts.get(_DATA_COUNT)
    if declared is not None and declared != counts.get(_DATA, 0):
        raise DecodeError(
            f"the core module's data count is {declared} but it has {counts.get(_DATA, 0)} data segments",
            m.offset(pos),
        )
