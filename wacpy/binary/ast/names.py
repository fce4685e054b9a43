"""The component ``name`` custom section."""

from __future__ import annotations

from attrs import field, frozen

from .common import Sort


@frozen
class NameAssoc:
    index: int
    name: str


@frozen
class ComponentNameSubsection:
    """Subsection 0: the component's own name."""

    name: str
    size_width: int = field(default=0, eq=False, kw_only=True)


@frozen
class SortNamesSubsection:
    """Subsection 1: names for the items of one index space."""

    sort: Sort
    names: tuple[NameAssoc, ...]
    size_width: int = field(default=0, eq=False, kw_only=True)


NameSubsection = ComponentNameSubsection | SortNamesSubsection
