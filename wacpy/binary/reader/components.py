"""Reader for whole components: the preamble, then one payload per section."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ...errors import DecodeError
from ..ast.aliases import Alias
from ..ast.sections import (
    NAME_SECTION,
    PREAMBLE,
    AliasSection,
    CanonSection,
    Component,
    ComponentSection,
    CoreInstanceSection,
    CoreModule,
    CoreModuleSection,
    CoreTypeSection,
    CustomSection,
    ExportSection,
    ImportSection,
    InstanceSection,
    NameSection,
    Section,
    StartSection,
    TypeSection,
    ValueSection,
)
from ..section_ids import SECTION_IDS, SectionId
from ..wide import leb_width
from . import limits
from ._base import Reader, ReadOptions, constructor
from .aliases import read_alias
from .canonicals import read_canon
from .core_modules import check_core_module
from .core_types import read_core_type
from .exports import read_export
from .imports import read_import
from .instances import read_core_instance, read_instance
from .names import read_name_subsections
from .start import read_start
from .types import read_def_type
from .values import read_value

#: Sections holding ``vec(item)``: id -> (the section's constructor, item reader, what the items are).
_VECTOR_SECTIONS: dict[int, tuple[Callable[..., Section], Callable[[Reader], Any], str]] = {
    section_id: (constructor(cls), read_item, what)
    for section_id, cls, read_item, what in (
        (SectionId.CORE_INSTANCE, CoreInstanceSection, read_core_instance, "core instances"),
        (SectionId.CORE_TYPE, CoreTypeSection, read_core_type, "core types"),
        (SectionId.INSTANCE, InstanceSection, read_instance, "instances"),
        (SectionId.ALIAS, AliasSection, read_alias, "aliases"),
        (SectionId.TYPE, TypeSection, read_def_type, "types"),
        (SectionId.CANON, CanonSection, read_canon, "canonical functions"),
        (SectionId.IMPORT, ImportSection, read_import, "imports"),
        (SectionId.EXPORT, ExportSection, read_export, "exports"),
        (SectionId.VALUE, ValueSection, read_value, "values"),
    )
}
_CORE_MODULE_VERSION = b"\x00asm\x01\x00\x00\x00"


def read_preamble(r: Reader) -> None:
    """Check the 8-byte component preamble and step past it."""
    if r.end - r.pos >= 8 and bytes(r.data[r.pos : r.pos + 8]) == PREAMBLE:  # the one good preamble
        r.pos += 8
        return
    header = bytes(r.data[r.pos : r.pos + 8])
    if len(header) < 8 or r.remaining() < 8:
        r.fail("unexpected end of input in the 8-byte preamble")
    if header[:4] != PREAMBLE[:4]:
        r.fail(f"bad magic number {header[:4].hex(' ')}, expected 00 61 73 6d")
    if header == _CORE_MODULE_VERSION:
        r.fail("this is a core module (layer 0), expected a component (layer 1)")
    if header[6:8] != PREAMBLE[6:8]:
        r.fail(f"unsupported layer {header[6:8].hex(' ')}, expected 01 00 (component)", r.pos + 6)
    if header[4:6] != PREAMBLE[4:6]:
        r.fail(f"unsupported component version {header[4:6].hex(' ')}, expected 0d 00", r.pos + 4)
    r.pos += 8


def _read_custom(body: Reader, size_width: int) -> Section:
    name = body.name("a custom section name")
    if name == NAME_SECTION and type(name) is str and body.options.names:
        start = body.pos
        try:
            return NameSection(read_name_subsections(body), size_width=size_width)
        except DecodeError:
            body.pos = start  # a malformed name section is kept as plain custom data
    return CustomSection(name, body.take(body.remaining(), "custom data"), size_width=size_width)


_NESTED_SIZE = limits.NESTED_SIZE
#: Sections up to this size are shared through a decode memo; larger ones are rarely repeated.
MEMO_LIMIT = 4096


_set = object.__setattr__
#: How errors name each section id (``section 7 (type)``), by id.
_SECTION_NAMES = [s.describe() for s in SectionId]
#: The highest section id; the section loop compares plain ints with these.
_LAST_ID = int(max(SectionId))
_CORE_MODULE = int(SectionId.CORE_MODULE)

#: Sections with no part in a component's type: custom sections and core instances (see also
#: :func:`_interface_aliases`).
_NOT_INTERFACE = frozenset({int(SectionId.CUSTOM), int(SectionId.CORE_INSTANCE)})
#: Every section but imports and exports (see :func:`read_imports_and_exports`).
_NOT_IMPORT_OR_EXPORT = frozenset(map(int, SectionId)) - {SectionId.IMPORT, SectionId.EXPORT}


def read_section(r: Reader) -> tuple[SectionId, Section | None]:
    """One section: its id and its payload (None: skipped, see :class:`ReadOptions`)."""
    start = r.pos
    section_id, size, body = _header(r)
    r.pos = start
    one = r.sub(min(body + size, r.end) - start, "a section")  # ends where the section does
    sections = _sections(one)
    return SECTION_IDS[section_id], sections[0] if sections else None


def _header(r: Reader) -> tuple[int, int, int]:
    """A section header in any form: the section id, its size and where its body starts."""
    start = r.pos
    section_id = r.u8("a section id")
    if section_id > _LAST_ID:
        r.invalid(section_id, "section id", start)
    size = r.u32("a section size")
    return section_id, size, r.pos


def _holds_core_module(section: Section) -> bool:
    if not isinstance(section, ComponentSection) or not isinstance(section.component, Component):
        return False
    return any(isinstance(s, CoreModuleSection) or _holds_core_module(s) for s in section.component.sections)


def _read_payload(r: Reader, section_id: int, size: int) -> Section:
    width = 0 if type(size) is int else leb_width(size)  # a plain int: read in its minimal form
    if section_id == _CORE_MODULE:  # the most common section: a view of the bytes, read lazily
        start = r.pos
        if size > r.end - start or size > _NESTED_SIZE:
            _too_large(r, section_id, size)
            r.take(size, "a core module")  # fails: runs past the end
        if not r.options.interface_only:  # register's typing reads modules lazily (see decode_interface)
            check_core_module(r, size)
        r.pos = start + size
        module = CoreModule(r.view[start : start + size], offset=r.base + start)
        return CoreModuleSection(module, size_width=width)
    what = _SECTION_NAMES[section_id]
    vector = _VECTOR_SECTIONS.get(section_id)
    if (
        vector is not None
        and size <= r.end - r.pos
        and not (section_id == SectionId.ALIAS and r.options.interface_only)
    ):
        new, read_item, items = vector
        end, r.end = r.end, r.pos + size  # bounds the items as a sub-reader would, without making one
        vec: Section = new(r.vec(read_item, items), width)
        r.expect_end(what)
        r.end = end
        return vec
    body = r.sub(size, what)
    section: Section
    if section_id == SectionId.ALIAS:  # an interface decode's (see decode_interface)
        section = AliasSection(_interface_aliases(body), size_width=width)
    elif section_id == SectionId.CUSTOM:
        section = _read_custom(body, width)
    elif section_id == SectionId.COMPONENT:
        if size > _NESTED_SIZE:
            _too_large(r, section_id, size)
        inner = body.nested("component")
        section = ComponentSection(_read_component(inner), size_width=width)
        body.pos = inner.pos
    else:
        section = StartSection(read_start(body), size_width=width)
    body.expect_end(what)
    return section


def _too_large(r: Reader, section_id: int, size: int) -> None:
    if size > _NESTED_SIZE:
        r.fail(f"{_SECTION_NAMES[section_id]} of {size} bytes is over the 1 GiB wasm-tools reads")


#: The second byte of each core sort a core-export alias may name but typing ignores (func, table,
#: memory, global, tag: core index spaces are not tracked; a core module would be, so it is read).
_UNTRACKED_CORE_SORTS = frozenset({0x00, 0x01, 0x02, 0x03, 0x04})


def _interface_aliases(r: Reader) -> tuple[Alias, ...]:
    """The aliases of an alias section that bear on a component's type. A core-export alias of an
    untracked core sort is stepped over: its index and name are bounds-checked, not decoded (so,
    as with the core instances :func:`decode_interface` skips, a name that is not UTF-8 goes
    unreported here; validation reports it)."""
    kept = []
    data = r.data
    for _ in range(r.count("aliases")):
        pos = r.pos
        if (
            pos + 2 < r.end
            and data[pos] == 0
            and data[pos + 2] == 1
            and data[pos + 1] in _UNTRACKED_CORE_SORTS
        ):
            r.pos = pos + 3
            r.u32("a core instance index")
            r.skip_name("a core export name")
        else:
            kept.append(read_alias(r))
    return tuple(kept)


def _read_component(r: Reader) -> Component:
    read_preamble(r)
    return Component(tuple(_sections(r)))


def _sections(r: Reader) -> list[Section]:
    """Every section up to ``r.end`` the options keep, small ones shared through the memo (keyed
    by their bytes, header included). A component has dozens of sections, so this loop reads the
    common header forms (an id, then a minimal size of one or two bytes) and memo hits inline."""
    sections: list[Section] = []
    data, end, depth, options = r.data, r.end, r.depth, r.options
    memo = options.memo if depth >= options.memo_depth else None
    skipped = options.skip
    remember = not options.interface_only  # an interface decode leaves items out: not its bytes
    last_id, core_module = _LAST_ID, _CORE_MODULE
    while r.pos < end:
        start = r.pos
        section_id = data[start]
        size = data[start + 1] if start + 2 < end and section_id <= last_id else 0x100
        if size < 0x80:
            body = start + 2
        elif size < 0x100 and 0 < data[start + 2] < 0x80:
            size, body = (size & 0x7F) | (data[start + 2] << 7), start + 3
        else:  # longer or malformed headers
            section_id, size, body = _header(r)
        stop = body + size
        r.pos = body
        if section_id in skipped:
            if stop > end:
                r.sub(size, _SECTION_NAMES[section_id])  # fails: the section runs past the end
            r.pos = stop
            continue
        key: Any = None
        if memo is not None and section_id != core_module and size <= MEMO_LIMIT and stop <= end:
            raw = bytes(data[start:stop])
            key = raw if depth == 0 else (depth, raw)
            shared = memo.get(key)
            if shared is not None:
                r.pos = stop
                sections.append(shared)
                continue
        section = _read_payload(r, section_id, size)  # a core module's offset is this file's
        if remember:
            _set(section, "source", r.view[start:stop])  # frozen: set once, here
        if memo is not None and key is not None and not _holds_core_module(section):
            memo[key] = section
        sections.append(section)
    return sections


def _reader(data: bytes | bytearray | memoryview, options: ReadOptions) -> Reader:
    view = memoryview(data).cast("B") if isinstance(data, memoryview) else memoryview(data)
    return Reader(view, options=options)


def iter_sections(data: bytes | bytearray | memoryview, *, names: bool = True) -> Iterator[Section]:
    """Yield the top-level sections of a component one at a time, checking the preamble first.

    With ``names=False`` the ``component-name`` section stays a plain custom section (faster).
    """
    r = _reader(data, ReadOptions(names=names))
    read_preamble(r)
    while not r.at_end():
        section = read_section(r)[1]
        assert section is not None  # these options skip nothing
        yield section


def decode(data: bytes | bytearray | memoryview, *, names: bool = True) -> Component:
    """Decode a component binary into its AST; core modules, and each section's ``source`` (the
    bytes ``encode`` writes back for it), stay views of ``data``, which must not change after.

    Raises :class:`wacpy.DecodeError` naming the byte offset of the first malformed byte.
    With ``names=False`` the ``component-name`` section is kept undecoded. Byte-identical small
    sections of nested components (wit-component's shims repeat theirs) are decoded once and
    shared; top-level sections rarely repeat within a file, so they skip the memo. The cycle
    collector's scans over the growing, acyclic AST are ~3% of decoding an item-heavy component
    (callgrind); a caller may pause it around the call (:func:`wacpy.gc_paused`, as the CLI does).
    """
    return _read_component(_reader(data, ReadOptions(names=names, memo={}, memo_depth=1)))


def decode_interface(data: bytes | bytearray | memoryview, memo: dict[Any, Any] | None = None) -> Component:
    """The sections of a component that define its type (what :func:`wacpy.types.component_type`
    reads): custom sections, core instances and core-export aliases of functions, tables,
    memories, globals and tags are stepped over (bounds-checked, not decoded), and so are the
    sections of core modules (typing reads a module's interface only when it needs it), so the
    result is not for re-encoding and malformed bytes there are left to validation.

    ``memo`` (a dict the caller keeps) shares the decoded AST of byte-identical small sections
    between the components decoded with it: the AST is immutable, so sharing is safe, and the
    boilerplate that wit-component and componentize-py emit repeats from component to component.
    """
    options = ReadOptions(names=False, memo=memo, interface_only=True, skip=_NOT_INTERFACE)
    return _read_component(_reader(data, options))


def read_imports_and_exports(data: bytes | bytearray | memoryview) -> list[ImportSection | ExportSection]:
    """The top-level import and export sections of a component, every other section stepped over
    (bounds-checked, not decoded): its outline, in a fraction of the time a decode takes."""
    r = _reader(data, ReadOptions(names=False, skip=_NOT_IMPORT_OR_EXPORT))
    read_preamble(r)
    return [s for s in _sections(r) if isinstance(s, ImportSection | ExportSection)]
