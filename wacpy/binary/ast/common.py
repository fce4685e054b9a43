"""Sorts, sort indices and extern names: the vocabulary every section shares."""

from __future__ import annotations

import enum

from attrs import field, frozen


class IdentityEnum(enum.Enum):
    """An enum hashed by identity, which suits its singleton members: ``enum.Enum`` hashes the member
    name in Python code on every dict or set lookup, and the codec and type model make many."""

    __hash__ = object.__hash__


class CoreSort(IdentityEnum):
    """A core index space (``core:sort``); the value is its byte."""

    FUNC = 0x00
    TABLE = 0x01
    MEMORY = 0x02
    GLOBAL = 0x03
    TAG = 0x04
    TYPE = 0x10
    MODULE = 0x11
    INSTANCE = 0x12


class Sort(IdentityEnum):
    """A component index space (``sort``); the value is its encoding as bytes."""

    CORE_FUNC = b"\x00\x00"
    CORE_TABLE = b"\x00\x01"
    CORE_MEMORY = b"\x00\x02"
    CORE_GLOBAL = b"\x00\x03"
    CORE_TAG = b"\x00\x04"
    CORE_TYPE = b"\x00\x10"
    CORE_MODULE = b"\x00\x11"
    CORE_INSTANCE = b"\x00\x12"
    FUNC = b"\x01"
    VALUE = b"\x02"
    TYPE = b"\x03"
    COMPONENT = b"\x04"
    INSTANCE = b"\x05"

    @property
    def is_core(self) -> bool:
        return self in _CORE_SORTS

    @property
    def core_sort(self) -> CoreSort:
        """The core sort of a ``CORE_*`` sort."""
        return CoreSort(self.value[1])

    @staticmethod
    def of_core(sort: CoreSort) -> Sort:
        return Sort(bytes([0, sort.value]))


_CORE_SORTS = frozenset(s for s in Sort if len(s.value) == 2)


@frozen
class CoreSortIndex:
    """``(sort idx)`` in a core index space."""

    sort: CoreSort
    index: int


@frozen
class SortIndex:
    """``(sort idx)`` in a component index space."""

    sort: Sort
    index: int


class NameForm(IdentityEnum):
    """The leading byte of ``nameattributes``."""

    PLAIN = 0x00
    #: Older producers flagged interface names with 0x01; readers treat it like 0x00.
    LEGACY_INTERFACE = 0x01
    WITH_ATTRIBUTES = 0x02


@frozen
class Implements:
    """``(implements "ns:pkg/iface")`` name attribute."""

    interface: str


@frozen
class VersionSuffix:
    """``(versionsuffix "...")`` name attribute."""

    suffix: str


@frozen
class ExternalId:
    """``(external-id "...")`` name attribute."""

    id: str


NameAttribute = Implements | VersionSuffix | ExternalId


@frozen
class ExternName:
    """An import or export name (``nameattributes``): the name plus optional attributes."""

    name: str
    attributes: tuple[NameAttribute, ...] = ()
    form: NameForm = field(default=NameForm.PLAIN)

    def __str__(self) -> str:
        return self.name
