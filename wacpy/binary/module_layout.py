"""What an instance of a core module holds at run time: counts of its imported and defined items
and of the functions that escape it (exported, or referenced from a table or a ``ref.func``).

A runtime sizes an instance's metadata by these counts (wasmtime's ``VMContext``: one function
reference per escaping function, one record per import, per defined memory, table and global).
Function bodies and data are skipped by section size, as in :mod:`wacpy.binary.modules`.
"""

from __future__ import annotations

from attrs import frozen

from ..errors import DecodeError
from .ast.common import CoreSort
from .ast.core_types import CoreFuncRef, GlobalType, MemoryType, TableType, TagType
from .modules import _MODULE_PREAMBLE, _read_export, _read_imports, _skip_const_expr
from .reader._base import Reader
from .reader.core_types import read_global_type, read_memory_type, read_ref_type, read_table_type

__all__ = ["ModuleLayout", "read_module_layout"]


@frozen
class ModuleLayout:
    """Counts of the items one instance of a module holds."""

    imported_functions: int = 0
    imported_tables: int = 0
    imported_memories: int = 0
    imported_globals: int = 0
    imported_tags: int = 0
    defined_functions: int = 0
    defined_tables: int = 0
    defined_memories: int = 0
    defined_globals: int = 0
    defined_tags: int = 0
    #: Functions that need a function reference: exported, in an element segment or a ``ref.func``.
    escaped_functions: int = 0

    @property
    def tables(self) -> int:
        return self.imported_tables + self.defined_tables

    @property
    def memories(self) -> int:
        return self.imported_memories + self.defined_memories


_IMPORT_KINDS = {
    CoreFuncRef: "imported_functions",
    TableType: "imported_tables",
    MemoryType: "imported_memories",
    GlobalType: "imported_globals",
    TagType: "imported_tags",
}


def _read_element(r: Reader, escaped: set[int]) -> None:
    """One element segment (flags 0-7 of the core binary format); its functions go to ``escaped``."""
    start = r.pos
    flags = r.u32("element segment flags")
    if flags > 7:
        r.fail(f"invalid element segment flags {flags}", start)
    active, explicit_table, expressions = not flags & 1, bool(flags & 2), bool(flags & 4)
    if active and explicit_table:
        r.u32("a table index")
    if active:
        _skip_const_expr(r)
    if not active or explicit_table:
        if expressions:
            read_ref_type(r)
        elif r.u8("an element kind") != 0x00:
            r.invalid(r.data[r.pos - 1], "element kind", r.pos - 1)
    for _ in range(r.count("element items")):
        if expressions:
            _skip_const_expr(r, escaped)
        else:
            escaped.add(r.u32("a function index"))


def _read_table_initializer(r: Reader, escaped: set[int]) -> None:
    if r.peek("a table") == 0x40:
        r.u8()
        r.u8("a reserved byte")
        read_table_type(r)
        _skip_const_expr(r, escaped)
    else:
        read_table_type(r)


def _read_global(r: Reader, escaped: set[int]) -> None:
    read_global_type(r)
    _skip_const_expr(r, escaped)


def read_module_layout(data: bytes | memoryview, base: int = 0) -> ModuleLayout:
    """Count what an instance of the module in ``data`` holds; error offsets count from ``base``.

    >>> read_module_layout(bytes.fromhex("0061736d01000000"))
    ModuleLayout(imported_functions=0, imported_tables=0, imported_memories=0, imported_globals=0, \
imported_tags=0, defined_functions=0, defined_tables=0, defined_memories=0, defined_globals=0, \
defined_tags=0, escaped_functions=0)
    """
    r = Reader(memoryview(data), base=base)
    if bytes(r.take(8, "the module preamble")) != _MODULE_PREAMBLE:
        raise DecodeError("not a core module (bad magic or version)", base)
    counts = dict.fromkeys(_IMPORT_KINDS.values(), 0)
    defined = {"defined_functions": 0, "defined_tables": 0, "defined_memories": 0, "defined_globals": 0}
    tags = 0
    escaped: set[int] = set()
    while not r.at_end():
        section_id = r.u8("a section id")
        body = r.sub(r.u32("a section size"), f"module section {section_id}")
        if section_id == 2:
            for _ in range(body.count("imports")):
                for imp in _read_imports(body):
                    counts[_IMPORT_KINDS[type(imp.type)]] += 1
        elif section_id == 3:
            defined["defined_functions"] = len(body.vec(lambda rr: rr.u32("a type index"), "functions"))
        elif section_id == 4:
            defined["defined_tables"] = len(
                body.vec(lambda rr: _read_table_initializer(rr, escaped), "tables")
            )
        elif section_id == 5:
            defined["defined_memories"] = len(body.vec(read_memory_type, "memories"))
        elif section_id == 6:
            defined["defined_globals"] = len(body.vec(lambda rr: _read_global(rr, escaped), "globals"))
        elif section_id == 7:
            for _ in range(body.count("exports")):
                export = _read_export(body)
                if export.sort is CoreSort.FUNC:
                    escaped.add(export.index)
        elif section_id == 9:
            for _ in range(body.count("element segments")):
                _read_element(body, escaped)
        elif section_id == 13:
            tags = body.count("tags")
            continue  # the tag types are not needed
        else:
            continue
        body.expect_end(f"module section {section_id}")
    return ModuleLayout(**counts, **defined, defined_tags=tags, escaped_functions=len(escaped))
