"""Readers for sorts, sort indices and extern names."""

from __future__ import annotations

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
    VersionSuffix,
)
from ._base import Reader, shared

_CORE_SORTS = {s.value: s for s in CoreSort}
_NAME_FORMS = {f.value: f for f in NameForm}


def read_core_sort(r: Reader) -> CoreSort:
    byte = r.u8("a core sort")
    sort = _CORE_SORTS.get(byte)
    if sort is None:
        r.invalid(byte, "core sort")
    return sort


#: Sorts by their byte, and core sorts (after the 0x00 byte) by theirs.
_SORT_BYTES = {s.value[0]: s for s in Sort if not s.is_core}
_CORE_SORT_BYTES = {s.value[1]: s for s in Sort if s.is_core}


def read_sort(r: Reader) -> Sort:
    byte = r.u8("a sort")
    if byte == 0x00:
        byte = r.u8("a core sort")
        sort = _CORE_SORT_BYTES.get(byte)
        if sort is None:
            r.invalid(byte, "core sort")
        return sort
    sort = _SORT_BYTES.get(byte)
    if sort is None:
        r.invalid(byte, "sort")
    return sort


_CORE_SORT_INDICES: dict[tuple[CoreSort, int], CoreSortIndex] = {}
_SORT_INDICES: dict[tuple[Sort, int], SortIndex] = {}
#: The sorts a component external kind may name: of the core sorts only modules.
_EXTERNAL_SORTS = frozenset(s for s in Sort if not s.is_core or s is Sort.CORE_MODULE)


def read_core_sort_index(r: Reader) -> CoreSortIndex:
    sort = read_core_sort(r)
    index = r.u32("a core index")
    if type(index) is not int:  # padded: keeps its own width
        return CoreSortIndex(sort, index)
    item = _CORE_SORT_INDICES.get((sort, index))
    return item if item is not None else shared(_CORE_SORT_INDICES, (sort, index), CoreSortIndex(sort, index))


def read_sort_index(r: Reader) -> SortIndex:
    """A component external kind and index (exports, instantiation arguments, inline exports):
    of the core sorts only modules may appear, as in wasm-tools' parser."""
    start = r.pos
    sort = read_sort(r)
    if sort not in _EXTERNAL_SORTS:
        r.invalid(sort.value[1], "component external kind", start + 1)
    index = r.u32("an index")
    if type(index) is not int:  # padded: keeps its own width
        return SortIndex(sort, index)
    item = _SORT_INDICES.get((sort, index))
    return item if item is not None else shared(_SORT_INDICES, (sort, index), SortIndex(sort, index))


def read_name_attribute(r: Reader) -> NameAttribute:
    byte = r.u8("a name attribute")
    if byte == 0x00:
        return Implements(r.name("an implements interface name"))
    if byte == 0x01:
        return VersionSuffix(r.name("a version suffix"))
    if byte == 0x02:
        return ExternalId(r.name("an external id"))
    r.invalid(byte, "name attribute")


_EXTERN_NAMES: dict[tuple[str, NameForm], ExternName] = {}


def read_extern_name(r: Reader) -> ExternName:
    byte = r.u8("an extern name")
    form = _NAME_FORMS.get(byte)
    if form is None:
        r.invalid(byte, "extern name")
    name = r.name("an import or export name")
    if form is NameForm.WITH_ATTRIBUTES:
        return ExternName(name, r.vec(read_name_attribute, "name attributes"), form)
    if type(name) is not str:  # a padded length: keeps its own width
        return ExternName(name, (), form)
    item = _EXTERN_NAMES.get((name, form))
    return item if item is not None else shared(_EXTERN_NAMES, (name, form), ExternName(name, (), form))
