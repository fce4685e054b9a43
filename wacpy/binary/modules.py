"""A lazy reader of a core module's interface: its types, imports and exports (nothing else).

Function bodies, data and names are skipped by section size, so even an 18 MB module is read in
milliseconds. Offsets in errors count from the start of the module.
"""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from ..errors import DecodeError
from .ast.common import CoreSort
from .ast.core_types import (
    CoreExternType,
    CoreFuncRef,
    CoreImport,
    GlobalType,
    MemoryType,
    SubType,
    TableType,
    TagType,
)
from .ast.sections import CoreModule
from .reader._base import Reader
from .reader.core_types import (
    read_core_extern_type,
    read_global_type,
    read_heap_type,
    read_memory_type,
    read_rec_group,
    read_table_type,
    read_tag_type,
)

_MODULE_PREAMBLE = b"\x00asm\x01\x00\x00\x00"
_EXPORT_SORTS = {
    0x00: CoreSort.FUNC,
    0x01: CoreSort.TABLE,
    0x02: CoreSort.MEMORY,
    0x03: CoreSort.GLOBAL,
    0x04: CoreSort.TAG,
    0x20: CoreSort.FUNC,
}


@frozen
class CoreExport:
    name: str
    sort: CoreSort
    index: int


@frozen
class ModuleInfo:
    """The interface of a core module; index spaces list imported items first."""

    types: tuple[SubType, ...]
    imports: tuple[CoreImport, ...]
    exports: tuple[CoreExport, ...]
    functions: tuple[int, ...]
    tables: tuple[TableType, ...]
    memories: tuple[MemoryType, ...]
    globals: tuple[GlobalType, ...]
    tags: tuple[TagType, ...]

    def export_type(self, export: CoreExport) -> CoreExternType:
        """The type of one export, resolved through the module's index spaces (checked when read)."""
        if export.sort is CoreSort.FUNC:
            return CoreFuncRef(self.functions[export.index])
        return _SPACES[export.sort](self)[export.index]


#: The index space of each non-function export kind.
_SPACES: dict[CoreSort, Callable[[ModuleInfo], tuple[CoreExternType, ...]]] = {
    CoreSort.TABLE: lambda info: info.tables,
    CoreSort.MEMORY: lambda info: info.memories,
    CoreSort.GLOBAL: lambda info: info.globals,
    CoreSort.TAG: lambda info: info.tags,
}


# -- constant expressions (global and table initialisers), skipped, not kept -----------------
_NO_IMMEDIATE = {0x0B, 0x6A, 0x6B, 0x6C, 0x7C, 0x7D, 0x7E, 0xD1}
_GC_ONE_INDEX = {0x00, 0x01, 0x06, 0x07}
_GC_NO_INDEX = {0x1A, 0x1B, 0x1C}


def _skip_const_expr(r: Reader, ref_funcs: set[int] | None = None) -> None:
    """Step over a constant expression; the functions it takes with ``ref.func`` go to ``ref_funcs``."""
    while True:
        op = r.u8("a constant expression opcode")
        if op == 0x0B:
            return
        if op in _NO_IMMEDIATE:
            continue
        if op == 0xD2:
            index = r.u32("a function index")
            if ref_funcs is not None:
                ref_funcs.add(index)
        elif op in (0x41, 0x23):
            (r.s32 if op == 0x41 else r.u32)("an immediate")
        elif op == 0x42:
            r.s64("an i64 immediate")
        elif op in (0x43, 0x44):
            r.take(4 if op == 0x43 else 8, "a float immediate")
        elif op == 0xD0:
            read_heap_type(r)
        elif op == 0xFD and r.u32("a SIMD opcode") == 0x0C:
            r.take(16, "a v128 immediate")
        elif op == 0xFB:
            _skip_gc_const(r)
        elif op == 0xFE and r.u32("a threads opcode") == 0x72:
            continue  # ref.i31_shared (shared-everything threads)
        else:
            r.invalid(op, "constant expression instruction")


def _skip_gc_const(r: Reader) -> None:
    sub = r.u32("a GC opcode")
    if sub in _GC_ONE_INDEX:
        r.u32("a type index")
    elif sub == 0x08:
        r.u32("a type index")
        r.u32("an element count")
    elif sub not in _GC_NO_INDEX:
        r.fail(f"unsupported GC instruction 0xfb {sub} in a constant expression")


def _read_table(r: Reader) -> TableType:
    if r.peek("a table") == 0x40:
        r.u8()
        if r.u8("a reserved byte") != 0x00:
            r.invalid(r.data[r.pos - 1], "table with initializer")
        table = read_table_type(r)
        _skip_const_expr(r)
        return table
    return read_table_type(r)


def _read_global(r: Reader) -> GlobalType:
    glob = read_global_type(r)
    _skip_const_expr(r)
    return glob


def _read_exports(r: Reader) -> tuple[tuple[CoreExport, ...], tuple[int, ...]]:
    """The export section: the exports and the offset of each."""
    exports, offsets = [], []
    for _ in range(r.count("exports")):
        offsets.append(r.offset())
        exports.append(_read_export(r))
    return tuple(exports), tuple(offsets)


def _read_export(r: Reader) -> CoreExport:
    name = r.name("an export name")
    kind = r.u8("an export kind")
    sort = _EXPORT_SORTS.get(kind)
    if sort is None:
        r.invalid(kind, "export kind")
    return CoreExport(name, sort, r.u32("an export index"))


def _read_imports(r: Reader) -> list[CoreImport]:
    """One import, or a group in the compact-imports encodings (0x7f: many items, 0x7e: one type)."""
    module = r.name("an import module name")
    name = r.name("an import name")
    marker = r.peek("an import type") if name == "" else None
    if marker == 0x7F:
        r.u8()
        items = r.vec(lambda rr: (rr.name("an import name"), read_core_extern_type(rr)), "imports")
        return [CoreImport(module, n, t) for n, t in items]
    if marker == 0x7E:
        r.u8()
        shared = read_core_extern_type(r)
        return [CoreImport(module, n, shared) for n in r.vec(lambda rr: rr.name("an import name"), "imports")]
    return [CoreImport(module, name, read_core_extern_type(r))]


def module_info(module: CoreModule) -> ModuleInfo:
    """The interface of a decoded core module (read anew on each call; errors at file offsets)."""
    return read_module_info(module.data, module.offset)


def read_module_info(data: bytes | memoryview, base: int = 0) -> ModuleInfo:
    """Read the interface of a core module binary; error offsets count from ``base`` (where the
    module starts in the file it came from)."""
    r = Reader(memoryview(data), base=base)
    if bytes(r.take(8, "the module preamble")) != _MODULE_PREAMBLE:
        raise DecodeError("not a core module (bad magic or version)", base)
    types: list[SubType] = []
    imports: list[CoreImport] = []
    exports: tuple[CoreExport, ...] = ()
    export_offsets: tuple[int, ...] = ()
    defined_funcs: tuple[int, ...] = ()
    tables: list[TableType] = []
    memories: list[MemoryType] = []
    globs: list[GlobalType] = []
    tags: list[TagType] = []
    while not r.at_end():
        section_id = r.u8("a section id")
        body = r.sub(r.u32("a section size"), f"module section {section_id}")
        if section_id == 1:
            for group in body.vec(read_rec_group, "types"):
                types.extend(group.types)
        elif section_id == 2:
            for _ in range(body.count("imports")):
                imports.extend(_read_imports(body))
        elif section_id == 3:
            defined_funcs = body.vec(lambda rr: rr.u32("a type index"), "functions")
        elif section_id == 4:
            tables.extend(body.vec(_read_table, "tables"))
        elif section_id == 5:
            memories.extend(body.vec(read_memory_type, "memories"))
        elif section_id == 6:
            globs.extend(body.vec(_read_global, "globals"))
        elif section_id == 7:
            exports, export_offsets = _read_exports(body)
        elif section_id == 13:
            tags.extend(body.vec(read_tag_type, "tags"))
        else:
            continue
        body.expect_end(f"module section {section_id}")
    imported: dict[type, list[CoreExternType]] = {
        CoreFuncRef: [],
        TableType: [],
        MemoryType: [],
        GlobalType: [],
        TagType: [],
    }
    for imp in imports:
        imported[type(imp.type)].append(imp.type)
    funcs = tuple(f.type_index for f in imported[CoreFuncRef] if isinstance(f, CoreFuncRef))
    info = ModuleInfo(
        types=tuple(types),
        imports=tuple(imports),
        exports=exports,
        functions=funcs + defined_funcs,
        tables=tuple(imported[TableType]) + tuple(tables),  # type: ignore[arg-type]
        memories=tuple(imported[MemoryType]) + tuple(memories),  # type: ignore[arg-type]
        globals=tuple(imported[GlobalType]) + tuple(globs),  # type: ignore[arg-type]
        tags=tuple(imported[TagType]) + tuple(tags),  # type: ignore[arg-type]
    )
    for export, offset in zip(exports, export_offsets, strict=True):
        size = len(info.functions) if export.sort is CoreSort.FUNC else len(_SPACES[export.sort](info))
        if export.index >= size:
            what = export.sort.name.lower()
            raise DecodeError(
                f"export `{export.name}`: {what} index {export.index} is out of bounds ({size} defined)",
                offset,
            )
    return info


__all__ = ["CoreExport", "ModuleInfo", "module_info", "read_module_info"]
