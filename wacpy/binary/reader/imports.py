"""Reader for component imports."""

from __future__ import annotations

from ..ast.imports import Import
from ._base import Reader
from .common import read_extern_name
from .types import read_extern_type


def read_import(r: Reader) -> Import:
    name = read_extern_name(r)
    return Import(name, read_extern_type(r))
