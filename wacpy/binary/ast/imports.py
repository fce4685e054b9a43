"""Component imports."""

from __future__ import annotations

from attrs import frozen

from .common import ExternName
from .types import ExternType


@frozen
class Import:
    name: ExternName
    type: ExternType
