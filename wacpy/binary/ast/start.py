"""The start definition."""

from __future__ import annotations

from attrs import frozen


@frozen
class Start:
    """Call ``func`` with ``args`` (value indices), binding ``results`` new values."""

    func: int
    args: tuple[int, ...]
    results: int
