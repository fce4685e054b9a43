"""Component exports."""

from __future__ import annotations

from attrs import frozen

from .common import ExternName, SortIndex
from .types import ExternType


@frozen
class Export:
    """An export of ``item``, optionally ascribed a (super)type."""

    name: ExternName
    item: SortIndex
    type: ExternType | None = None
