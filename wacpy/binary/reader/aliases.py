"""Reader for alias definitions."""

from __future__ import annotations

from ..ast.aliases import Alias, CoreExportAlias, ExportAlias, OuterAlias
from ._base import Reader
from .common import read_sort


def read_alias(r: Reader) -> Alias:
    sort = read_sort(r)
    target = r.u8("an alias target")
    if target == 0x00:
        instance = r.u32("an instance index")
        return ExportAlias(sort, instance, r.name("an export name"))
    if target == 0x01:
        instance = r.u32("a core instance index")
        return CoreExportAlias(sort, instance, r.name("a core export name"))
    if target == 0x02:
        count = r.u32("an outer count")
        return OuterAlias(sort, count, r.u32("an outer index"))
    r.invalid(target, "alias target")
