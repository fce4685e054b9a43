"""The CNCF Wasm OCI artifact layout: the config document, the manifest, and their checks.

A Wasm artifact is an OCI image manifest whose config has media type
``application/vnd.wasm.config.v0+json`` (architecture ``wasm``, os ``wasip2`` for a component or
``wasip1`` for a core module, the layer digests, and the component's imports and exports) and whose
one layer is the binary, ``application/wasm``: what wkg, wasmCloud and other Wasm tools push and pull.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from attrs import frozen

from ..binary.ast.sections import ExportSection, ImportSection
from ..binary.reader.components import read_imports_and_exports
from ..errors import DecodeError, OciError
from .cache import sha256_digest

WASM_CONFIG_MEDIA_TYPE = "application/vnd.wasm.config.v0+json"
WASM_LAYER_MEDIA_TYPE = "application/wasm"
WASM_LAYER_MEDIA_TYPES = (WASM_LAYER_MEDIA_TYPE, "application/vnd.wasm.content.layer.v1+wasm")
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
INDEX_MEDIA_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
)


@frozen
class Descriptor:
    """What a manifest says of a blob."""

    media_type: str
    digest: str
    size: int

    def to_json(self) -> dict[str, Any]:
        return {"mediaType": self.media_type, "digest": self.digest, "size": self.size}


@frozen
class WasmManifest:
    """A fetched manifest: its digest, its bytes and the Wasm layer it names."""

    digest: str
    data: bytes
    config: Descriptor
    layer: Descriptor


def _created() -> str:
    """The config's creation time: ``SOURCE_DATE_EPOCH`` when set (reproducible pushes), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = int(epoch) if epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def wasm_config(data: bytes, what: str) -> dict[str, Any]:
    """The ``application/vnd.wasm.config.v0+json`` document for ``data`` (a component or module)."""
    config: dict[str, Any] = {"created": _created(), "architecture": "wasm"}
    if data[:4] != b"\0asm" or len(data) < 8:
        raise OciError(f"{what} is not a WebAssembly binary")
    if data[4:8] == b"\x01\0\0\0":
        config["os"] = "wasip1"  # a core module
    else:
        try:
            sections = read_imports_and_exports(data)
        except DecodeError as err:
            raise OciError(f"{what} is not a valid component: {err}") from None
        config["os"] = "wasip2"
        imports = [str(i.name) for s in sections if isinstance(s, ImportSection) for i in s.imports]
        exports = [str(e.name) for s in sections if isinstance(s, ExportSection) for e in s.exports]
        config["component"] = {"imports": imports, "exports": exports}
    config["layerDigests"] = [sha256_digest(data)]
    return config


def _descriptor(value: Any, where: str) -> Descriptor:
    if not isinstance(value, dict):
        raise OciError(f"{where}: expected a descriptor object")
    media_type, digest, size = value.get("mediaType"), value.get("digest"), value.get("size")
    if (
        not isinstance(media_type, str)
        or not isinstance(digest, str)
        or not isinstance(size, int)
        or size < 0
    ):
        raise OciError(f"{where}: a descriptor needs mediaType, digest and size")
    return Descriptor(media_type, digest, size)


def parse_manifest(data: bytes, digest: str, what: str) -> WasmManifest:
    """Check that ``data`` is an image manifest with one Wasm layer; raises :class:`OciError`."""
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise OciError(f"{what}: the manifest is not JSON ({err})") from None
    if not isinstance(doc, dict):
        raise OciError(f"{what}: the manifest is not a JSON object")
    media_type = doc.get("mediaType", OCI_MANIFEST)
    if media_type in INDEX_MEDIA_TYPES:
        raise OciError(f"{what} is an image index (several platforms), not a Wasm artifact")
    if media_type not in (OCI_MANIFEST, DOCKER_MANIFEST) or doc.get("schemaVersion") != 2:
        raise OciError(f"{what}: not an OCI image manifest (mediaType {media_type!r})")
    config = _descriptor(doc.get("config"), f"{what}: config")
    layers = doc.get("layers")
    if not isinstance(layers, list):
        raise OciError(f"{what}: the manifest has no layers list")
    wasm = [_descriptor(layer, f"{what}: layers[{i}]") for i, layer in enumerate(layers)]
    wasm = [layer for layer in wasm if layer.media_type in WASM_LAYER_MEDIA_TYPES]
    if len(wasm) != 1:
        found = (
            ", ".join(str(layer.get("mediaType")) for layer in layers if isinstance(layer, dict)) or "none"
        )
        raise OciError(f"{what}: expected one {WASM_LAYER_MEDIA_TYPE} layer, found layers of type {found}")
    return WasmManifest(digest, data, config, wasm[0])
