"""Reader for alias definitions."""

from __future__ import annotations

from ..ast.aliases import Alias, CoreExportAlias, ExportAlias, OuterAlias
from ..ast.common import Sort
from ._base import Reader, constructor
from .common import read_sort

# The sorts each alias target takes, as wasm-tools' parser reads them.
_EXPORT_SORTS = frozenset({Sort.CORE_MODULE, Sort.FUNC, Sort.VALUE, Sort.TYPE, Sort.COMPONENT, Sort.INSTANCE})
_CORE_EXPORT_SORTS = frozenset(
    {Sort.CORE_FUNC, Sort.CORE_TABLE, Sort.CORE_MEMORY, Sort.CORE_GLOBAL, Sort.CORE_TAG}
)
_OUTER_SORTS = frozenset({Sort.CORE_MODULE, Sort.CORE_TYPE, Sort.TYPE, Sort.COMPONENT})
_ALLOWED = {0x00: _EXPORT_SORTS, 0x01: _CORE_EXPORT_SORTS, 0x02: _OUTER_SORTS}


def _heads(core: bool) -> dict[int, tuple[Sort, int]]:
    """The valid starts of an alias, by the 16-bit number its sort's last byte and target make."""
    return {
        sort.value[-1] << 8 | target: (sort, target)
        for target, sorts in _ALLOWED.items()
        for sort in sorts
        if sort.is_core == core
    }


#: Valid alias starts: ``sort target`` and, after a 0x00 byte, ``core-sort target``.
_HEADS, _CORE_HEADS = _heads(False), _heads(True)


_new_export_alias = constructor(ExportAlias)
_new_core_export_alias = constructor(CoreExportAlias)


def read_alias(r: Reader) -> Alias:
    """An alias; its sort and target are looked up at once (the checked path reports errors)."""
    data, pos = r.data, r.pos
    if pos + 3 < r.end:
        first = data[pos]
        if first == 0x00:
            head, after = _CORE_HEADS.get(data[pos + 1] << 8 | data[pos + 2]), pos + 3
        else:
            head, after = _HEADS.get(first << 8 | data[pos + 1]), pos + 2
        if head is not None:
            r.pos = after
            return _read_target(r, *head)
    return _read_checked_alias(r)


def _read_target(r: Reader, sort: Sort, target: int) -> Alias:
    if target == 0x00:
        instance = r.u32("an instance index")
        return _new_export_alias(sort, instance, r.name("an export name"))
    if target == 0x01:
        instance = r.u32("a core instance index")
        return _new_core_export_alias(sort, instance, r.name("a core export name"))
    count = r.u32("an outer count")
    return OuterAlias(sort, count, r.u32("an outer index"))


def _read_checked_alias(r: Reader) -> Alias:
    start = r.pos
    sort = read_sort(r)
    target = r.u8("an alias target")
    allowed = _ALLOWED.get(target)
    if allowed is None:
        r.invalid(target, "alias target")
    if sort not in allowed:
        what = ("an instance export", "a core instance export", "an outer")[target]
        r.fail(f"{what} alias cannot have sort {sort.name.lower().replace('_', ' ')}", start)
    return _read_target(r, sort, target)
