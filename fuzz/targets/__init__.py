"""The fuzz targets, by name; each module is imported only when its target is used."""

from __future__ import annotations

import importlib

from ..target import Target

__all__ = ["COVERAGE_GUIDED", "TARGETS", "load_target"]

#: Target name -> module defining it (as ``TARGET``).
TARGETS = {
    "decode": "fuzz.targets.decode",
    "roundtrip": "fuzz.targets.roundtrip",
    "differential": "fuzz.targets.differential",
    "compose": "fuzz.targets.compose",
}

#: Targets whose workers import wacpy under atheris' coverage instrumentation.
COVERAGE_GUIDED = frozenset({"decode"})


def load_target(name: str) -> type[Target]:
    """The target class called ``name`` (importing its module, and so wacpy, now)."""
    try:
        module = importlib.import_module(TARGETS[name])
    except KeyError:
        raise ValueError(f"unknown fuzz target {name!r} (known: {', '.join(TARGETS)})") from None
    target: type[Target] = module.TARGET
    return target
