"""Values for wasmtime-py's component API that tests pass to components and hosts."""

from __future__ import annotations

from typing import Any

from wasmtime.component import Record

__all__ = ["record"]


def record(**fields: Any) -> Any:
    """A WIT record for wasmtime, from Python names (``log_level`` is the field ``log-level``)."""
    value = Record()
    for name, field in fields.items():
        setattr(value, name.replace("_", "-"), field)
    return value
