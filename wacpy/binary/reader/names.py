"""Reader for the component ``name`` section."""

from __future__ import annotations

from ..ast.names import ComponentNameSubsection, NameAssoc, NameSubsection, SortNamesSubsection
from ..wide import leb_width
from ._base import Reader, constructor
from .common import read_sort

_new_assoc = constructor(NameAssoc)


def _read_assoc(r: Reader) -> NameAssoc:
    index = r.u32("a name index")
    return _new_assoc(index, r.name("a name"))


def _read_subsection(r: Reader) -> NameSubsection:
    start = r.pos
    kind = r.u8("a name subsection id")
    size = r.u32("a name subsection size")
    body = r.sub(size, "name subsection")
    subsection: NameSubsection
    if kind == 0x00:
        subsection = ComponentNameSubsection(body.name("the component name"), size_width=leb_width(size))
    elif kind == 0x01:
        sort = read_sort(body)
        names = body.vec(_read_assoc, "names")
        subsection = SortNamesSubsection(sort, names, size_width=leb_width(size))
    else:
        r.invalid(kind, "name subsection", start)
    body.expect_end("a name subsection")
    return subsection


def read_name_subsections(r: Reader) -> tuple[NameSubsection, ...]:
    """The subsections of a ``component-name`` section, up to the end of ``r``."""
    subsections = []
    while not r.at_end():
        subsections.append(_read_subsection(r))
    return tuple(subsections)
