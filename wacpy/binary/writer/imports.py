"""Writer for component imports."""

from __future__ import annotations

from ..ast.imports import Import
from ._base import Writer
from .common import write_extern_name
from .types import write_extern_type


def write_import(w: Writer, imp: Import) -> None:
    write_extern_name(w, imp.name)
    write_extern_type(w, imp.type)
