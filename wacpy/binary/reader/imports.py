"""Reader for component imports."""

from __future__ import annotations

from ..ast.imports import Import
from ._base import Reader, constructor
from .common import read_extern_name
from .types import read_extern_type

_new_import = constructor(Import)


def read_import(r: Reader) -> Import:
    name = read_extern_name(r)
    return _new_import(name, read_extern_type(r))
