"""Reader for component exports."""

from __future__ import annotations

from ..ast.exports import Export
from ._base import Reader, constructor
from .common import read_extern_name, read_sort_index
from .types import read_extern_type

_new_export = constructor(Export)


def read_export(r: Reader) -> Export:
    name = read_extern_name(r)
    item = read_sort_index(r)
    return _new_export(name, item, r.optional(read_extern_type, "an export type ascription"))
