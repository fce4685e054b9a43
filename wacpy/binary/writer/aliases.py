"""Writer for alias definitions."""

from __future__ import annotations

from ..ast.aliases import Alias, CoreExportAlias, ExportAlias
from ._base import Writer
from .common import write_sort


def write_alias(w: Writer, alias: Alias) -> None:
    write_sort(w, alias.sort)
    if isinstance(alias, ExportAlias):
        w.u8(0x00)
        w.u32(alias.instance)
        w.name(alias.name)
    elif isinstance(alias, CoreExportAlias):
        w.u8(0x01)
        w.u32(alias.instance)
        w.name(alias.name)
    else:
        w.u8(0x02)
        w.u32(alias.count)
        w.u32(alias.index)
