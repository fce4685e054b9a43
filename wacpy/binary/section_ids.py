"""The id byte of each component section, named for messages and shared by the reader and writer."""

from __future__ import annotations

import enum


class SectionId(enum.IntEnum):
    """The id byte of each component section (Binary.md, "Component Definitions").

    >>> SectionId.TYPE.describe()
    'section 7 (type)'
    """

    CUSTOM = 0
    CORE_MODULE = 1
    CORE_INSTANCE = 2
    CORE_TYPE = 3
    COMPONENT = 4
    INSTANCE = 5
    ALIAS = 6
    TYPE = 7
    CANON = 8
    START = 9
    IMPORT = 10
    EXPORT = 11
    VALUE = 12

    @property
    def label(self) -> str:
        """The section's kind in words: ``core module``, ``canon``, ..."""
        return _LABELS[self]

    def describe(self) -> str:
        """How messages name the section: its id, then its kind."""
        return f"section {self.value} ({self.label})"


#: Each section id's kind in words, by id (looked up, not derived, on the reading paths).
_LABELS = tuple(s.name.lower().replace("_", " ") for s in SectionId)
#: The members by id: ``SECTION_IDS[7] is SectionId.TYPE``, without ``SectionId(7)``'s lookup.
SECTION_IDS = tuple(SectionId)
