"""Reader for alias definitions."""

from __future__ import annotations

from ..ast.aliases import Alias, CoreExportAlias, ExportAlias, OuterAlias
from ..ast.common import Sort
from ._base import Reader
from .common import read_sort

# The sorts each alias target takes, as wasm-tools' parser reads them.
_EXPORT_SORTS = frozenset({Sort.CORE_MODULE, Sort.FUNC, Sort.VALUE, Sort.TYPE, Sort.COMPONENT, Sort.INSTANCE})
_CORE_EXPORT_SORTS = frozenset(
    {Sort.CORE_FUNC, Sort.CORE_TABLE, Sort.CORE_MEMORY, Sort.CORE_GLOBAL, Sort.CORE_TAG}
)
_OUTER_SORTS = frozenset({Sort.CORE_MODULE, Sort.CORE_TYPE, Sort.TYPE, Sort.COMPONENT})
_ALLOWED = {0x00: _EXPORT_SORTS, 0x01: _CORE_EXPORT_SORTS, 0x02: _OUTER_SORTS}


def read_alias(r: Reader) -> Alias:
    start = r.pos
    sort = read_sort(r)
    target = r.u8("an alias target")
    allowed = _ALLOWED.get(target)
    if allowed is None:
        r.invalid(target, "alias target")
    if sort not in allowed:
        what = ("an instance export", "a core instance export", "an outer")[target]
        r.fail(f"{what} alias cannot have sort {sort.name.lower().replace('_', ' ')}", start)
    if target == 0x00:
        instance = r.u32("an instance index")
        return ExportAlias(sort, instance, r.name("an export name"))
    if target == 0x01:
        instance = r.u32("a core instance index")
        return CoreExportAlias(sort, instance, r.name("a core export name"))
    count = r.u32("an outer count")
    return OuterAlias(sort, count, r.u32("an outer index"))
