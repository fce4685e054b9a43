"""``wacpy.lock``: each registry spec a composition used, pinned to the digests it resolved to.

.. code-block:: toml

    version = 1

    [[package]]
    spec = "acme:calc@1.0.0"                             # as the alias or profile chain ends
    reference = "127.0.0.1:5000/acme/calc:1.0.0"
    digest = "sha256:…"                                  # the manifest
    layer = "sha256:…"                                   # the component's bytes

Composing writes new and changed pins (entries are never dropped: one lock may serve several
profiles); ``--locked`` refuses a spec that is missing or whose tag now points elsewhere, and
with ``--offline`` the pins say what to take from the cache.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from attrs import frozen

from ..errors import ConfigError
from ._atomic import atomic_write, locked
from ._toml import parse_toml, read_text

LOCK_NAME = "wacpy.lock"
VERSION = 1
_HEADER = "Written by wacpy: the registry components composed here, pinned to their digests."


@frozen
class Pin:
    spec: str
    reference: str
    digest: str
    layer: str


def _pin(path: Path, index: int, entry: Any) -> Pin:
    fields = ("spec", "reference", "digest", "layer")
    if not isinstance(entry, dict) or not all(isinstance(entry.get(f), str) for f in fields):
        raise ConfigError(f"{path}: package[{index}]: expected strings {', '.join(fields)}")
    return Pin(*(entry[f] for f in fields))


def read_lock(path: Path) -> dict[str, Pin]:
    """The pins of the lock file at ``path`` by spec (none when it does not exist)."""
    text = read_text(path)
    if text is None:
        return {}
    doc = parse_toml(path, text)
    if doc.get("version", VERSION) != VERSION:
        raise ConfigError(f"{path}: lock file version {doc.get('version')!r} (this wacpy reads {VERSION})")
    packages = doc.get("package", [])
    if not isinstance(packages, list):
        raise ConfigError(f"{path}: package: expected an array of tables")
    return {pin.spec: pin for pin in (_pin(path, i, e) for i, e in enumerate(packages))}


def _render(pins: Mapping[str, Pin]) -> str:
    doc = tomlkit.document()
    doc.add(tomlkit.comment(_HEADER))
    doc["version"] = VERSION
    packages = tomlkit.aot()
    for spec in sorted(pins):
        pin = pins[spec]
        entry = tomlkit.table()
        for field in ("spec", "reference", "digest", "layer"):
            entry[field] = getattr(pin, field)
        packages.append(entry)
    doc["package"] = packages
    return tomlkit.dumps(doc)


def update_lock(path: Path, pins: Mapping[str, Pin]) -> bool:
    """Add or replace ``pins`` in the lock file (under its file lock, atomically); whether it changed."""
    with locked(path):
        current = read_lock(path)
        merged = {**current, **pins}
        if merged == current and path.exists():
            return False
        try:
            atomic_write(path, _render(merged).encode())
        except OSError as err:
            raise ConfigError(f"cannot write {path}: {err.strerror or err}") from None
    return True
