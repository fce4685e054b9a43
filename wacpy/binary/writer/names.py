"""Writer for the component ``name`` section."""

from __future__ import annotations

from ..ast.names import ComponentNameSubsection, NameAssoc, NameSubsection
from ._base import Writer
from .common import write_sort


def _write_assoc(w: Writer, assoc: NameAssoc) -> None:
    w.u32(assoc.index)
    w.name(assoc.name)


def write_name_subsection(w: Writer, subsection: NameSubsection) -> None:
    body = Writer()
    if isinstance(subsection, ComponentNameSubsection):
        kind = 0x00
        body.name(subsection.name)
    else:
        kind = 0x01
        write_sort(body, subsection.sort)
        body.vec(subsection.names, _write_assoc)
    w.u8(kind)
    w.sized(body.out, subsection.size_width)
