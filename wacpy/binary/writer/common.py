"""Writers for sorts, sort indices and extern names."""

from __future__ import annotations

from ...errors import EncodeError
from ..ast.common import (
    CoreSort,
    CoreSortIndex,
    ExternalId,
    ExternName,
    Implements,
    NameAttribute,
    NameForm,
    Sort,
    SortIndex,
)
from ._base import Writer

#: The bytes of each sort and core sort (an enum's ``value`` is a slow descriptor lookup).
_SORT_BYTES: dict[Sort, bytes] = {s: s.value for s in Sort}
_CORE_SORT_BYTES: dict[CoreSort, int] = {s: s.value for s in CoreSort}
_FORM_BYTES: dict[NameForm, int] = {f: f.value for f in NameForm}


def write_core_sort(w: Writer, sort: CoreSort) -> None:
    w.u8(_CORE_SORT_BYTES[sort])


def write_sort(w: Writer, sort: Sort) -> None:
    w.raw(_SORT_BYTES[sort])


def write_core_sort_index(w: Writer, item: CoreSortIndex) -> None:
    w.u8(_CORE_SORT_BYTES[item.sort])
    w.u32(item.index)


def write_sort_index(w: Writer, item: SortIndex) -> None:
    """A component external kind and index; mirrors ``reader.common.read_sort_index``."""
    if item.sort.is_core and item.sort is not Sort.CORE_MODULE:
        raise EncodeError(f"sort {item.sort.name.lower()} cannot be exported, passed or inline-exported")
    w.raw(_SORT_BYTES[item.sort])
    w.u32(item.index)


def write_name_attribute(w: Writer, attribute: NameAttribute) -> None:
    if isinstance(attribute, Implements):
        w.u8(0x00)
        w.name(attribute.interface)
    elif isinstance(attribute, ExternalId):
        w.u8(0x02)
        w.name(attribute.id)
    else:
        w.u8(0x01)
        w.name(attribute.suffix)


def write_extern_name(w: Writer, name: ExternName) -> None:
    if name.attributes and name.form is not NameForm.WITH_ATTRIBUTES:
        raise EncodeError(f"name `{name.name}` has attributes but not the form that carries them")
    w.u8(_FORM_BYTES[name.form])
    w.name(name.name)
    if name.form is NameForm.WITH_ATTRIBUTES:
        w.vec(name.attributes, write_name_attribute)
