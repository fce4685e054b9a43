"""Record in a composed component what went into it.

Two custom sections are appended (custom sections may come anywhere and ``wasm-tools validate``
accepts them): the tool conventions' ``producers`` section with ``processed-by`` = wacpy and its
version, and ``wacpy-inputs``, a JSON list of each input's spec, label, origin (the file, or the
OCI reference with its manifest digest) and sha256. Embedded components already carry their
labels in the ``component-name`` section the composer writes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..binary.ast.sections import CustomSection
from ..binary.reader.components import iter_sections
from ..binary.writer._base import Writer
from ..binary.writer.components import section_chunks
from ..errors import RegistryError
from .resolve import ResolvedComponent

INPUTS_SECTION = "wacpy-inputs"
PRODUCERS_SECTION = "producers"


def _name_version(body: Writer, tool: tuple[str, str]) -> None:
    body.name(tool[0])
    body.name(tool[1])


def producers_payload(tools: Sequence[tuple[str, str]]) -> bytes:
    """A ``producers`` section body with one field, ``processed-by``, listing ``(name, version)``."""
    body = Writer()
    body.u32(1)
    body.name("processed-by")
    body.vec(list(tools), _name_version)
    return body.getvalue()


def inputs_json(inputs: Sequence[ResolvedComponent]) -> list[dict[str, str]]:
    return [
        {"spec": i.spec, "label": i.label, "origin": i.origin, "sha256": i.digest.removeprefix("sha256:")}
        for i in inputs
    ]


def record_inputs(component: bytes, inputs: Sequence[ResolvedComponent]) -> bytes:
    """``component`` with ``producers`` and ``wacpy-inputs`` sections appended."""
    sections = [
        CustomSection(PRODUCERS_SECTION, producers_payload([("wacpy", __version__)])),
        CustomSection(INPUTS_SECTION, json.dumps(inputs_json(inputs), separators=(",", ":")).encode()),
    ]
    return b"".join([component, *(bytes(c) for s in sections for c in section_chunks(s))])


def recorded_inputs_of(path: str | Path) -> list[dict[str, Any]]:
    """The inputs recorded in the component file at ``path``; raises if it has none."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise RegistryError(f"cannot read {path}: {err.strerror or err}") from None
    found = recorded_inputs(data)
    if found is None:
        raise RegistryError(f"{path} has no `{INPUTS_SECTION}` section: it was not composed by wacpy")
    return found


def recorded_inputs(component: bytes) -> list[dict[str, Any]] | None:
    """The inputs :func:`record_inputs` wrote into ``component``, or ``None``."""
    for section in iter_sections(component):
        if isinstance(section, CustomSection) and section.name == INPUTS_SECTION:
            found = json.loads(bytes(section.data))
            return found if isinstance(found, list) else None
    return None
