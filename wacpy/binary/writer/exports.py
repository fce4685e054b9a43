"""Writer for component exports."""

from __future__ import annotations

from ..ast.exports import Export
from ._base import Writer
from .common import write_extern_name, write_sort_index
from .types import write_extern_type


def write_export(w: Writer, export: Export) -> None:
    write_extern_name(w, export.name)
    write_sort_index(w, export.item)
    w.optional(write_extern_type, export.type)
