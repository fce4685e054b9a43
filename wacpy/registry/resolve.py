"""Resolve component specs to bytes: the one resolver every command and graph file goes through.

Profiles expand in place (their bases' components first); aliases are followed (a cycle is an
error that prints it); paths are read (``.wat`` is assembled); OCI packages map their namespace
to a registry through the config and, like full references, are pulled through the
content-addressed cache, each pull pinned in ``wacpy.lock``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import frozen

from ..compose.graphfile import read_component_file
from ..errors import CacheError, GraphFileError, LockDriftError, PackageNotFoundError, SpecError
from .artifact import WasmManifest, parse_manifest
from .cache import ContentCache, sha256_digest
from .config import RegistryConfig, load_config
from .lock import Pin, read_lock, update_lock
from .spec import NameSpec, PackageSpec, PathSpec, Reference, ReferenceSpec, parse_reference, parse_spec

if TYPE_CHECKING:
    from .oci import OciClient

_SEMVER = re.compile(r"v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?")


@frozen
class ResolvedComponent:
    """One component a spec resolved to, and where it came from."""

    spec: str  # as written
    label: str  # its name in the composition: the alias, the package name or the file's stem
    data: bytes
    origin: str  # the absolute path, or the OCI reference with its manifest digest
    digest: str  # sha256 of ``data``


def highest_version(tags: Sequence[str]) -> str | None:
    """The highest semver tag (releases before pre-releases), else ``latest`` if present.

    >>> highest_version(["1.2.0", "1.10.0", "2.0.0-rc.1", "latest"])
    '1.10.0'
    """
    versions = []
    for tag in tags:
        found = _SEMVER.fullmatch(tag)
        if found:
            release = found[4] is None
            versions.append(((release, int(found[1]), int(found[2]), int(found[3]), found[4] or ""), tag))
    if versions:
        return max(versions)[1]
    return "latest" if "latest" in tags else None


class Resolver:
    """Resolves specs against one config, cache and lock file; remembers what it resolved.

    ``offline``: take registry content from the cache only (tags as the lock or the cache last
    saw them). ``locked``: every registry spec must be pinned in the lock file and still resolve
    to its pin; the lock is then never written.
    """

    def __init__(
        self,
        config: RegistryConfig | None = None,
        *,
        cache: ContentCache | None = None,
        client: OciClient | None = None,
        lock_path: Path | None = None,
        offline: bool = False,
        locked: bool = False,
    ) -> None:
        self.config = config if config is not None else load_config()
        self.cache = cache or ContentCache()
        self._client = client
        self.lock_path = lock_path
        self.offline = offline
        self.locked = locked
        self._pins: dict[str, Pin] | None = None
        self.new_pins: dict[str, Pin] = {}
        self.resolved: list[ResolvedComponent] = []
        self.profile: str | None = None  # the last profile expanded

    def use_lock(self, path: Path | None) -> None:
        """Pin registry specs in ``path`` from now on (read when a registry spec first needs it)."""
        self.lock_path = path
        self._pins = None

    @property
    def pins(self) -> dict[str, Pin]:
        """The lock file's pins by spec, read on first use (path-only compositions never read it)."""
        if self._pins is None:
            self._pins = read_lock(self.lock_path) if self.lock_path is not None else {}
        return self._pins

    @property
    def client(self) -> OciClient:
        """The OCI client, made on first use (importing oras and requests takes a quarter second)."""
        if self._client is None:
            from .oci import OciClient

            self._client = OciClient()
        return self._client

    # ----------------------------------------------------------------------------------------------
    # Lists of specs

    def expand(self, specs: Sequence[str]) -> list[str]:
        """``specs`` with every profile name replaced by its components, in place."""
        expanded: list[str] = []
        for spec in specs:
            if spec in self.config.profiles:
                expanded += self.config.profile_components(spec)
                self.profile = spec
            else:
                expanded.append(spec)
        return expanded

    def resolve_all(self, specs: Sequence[str], base_dir: Path | None = None) -> list[ResolvedComponent]:
        """Each spec's component (profiles expanded), labels made unique."""
        found = [self.resolve(spec, base_dir) for spec in self.expand(specs)]
        seen: dict[str, int] = {}
        unique = []
        for item in found:
            seen[item.label] = seen.get(item.label, 0) + 1
            label = item.label if seen[item.label] == 1 else f"{item.label}-{seen[item.label]}"
            unique.append(ResolvedComponent(item.spec, label, item.data, item.origin, item.digest))
        return unique

    # ----------------------------------------------------------------------------------------------
    # One spec

    def resolve(self, spec: str, base_dir: Path | None = None) -> ResolvedComponent:
        """The component ``spec`` names (a profile is refused: it names several)."""
        base_dir = base_dir or Path.cwd()
        parsed = parse_spec(spec)
        label = None
        if isinstance(parsed, NameSpec):
            if parsed.name in self.config.profiles:
                raise SpecError(f"`{spec}` is a profile (several components); give it where a list is taken")
            chain = self.config.alias_chain(parsed.name)
            label = chain[0] if len(chain) > 1 else None
            target = chain[-1]
            parsed = parse_spec(target)
            if isinstance(parsed, NameSpec):
                if target in self.config.profiles:
                    raise SpecError(
                        f"alias `{chain[-2]}` names profile `{target}`; an alias names one component"
                    )
                if not (base_dir / target).is_file():
                    known = ", ".join(sorted(self.config.components)) or "none"
                    via = f" (via alias {' -> '.join(chain[:-1])})" if len(chain) > 1 else ""
                    raise SpecError(
                        f"`{target}`{via} is not a file, an alias or a profile (aliases: {known}; "
                        "add one with `wacpy registry component add NAME SPEC`)"
                    )
                parsed = PathSpec(target)
        resolved = self._resolve_terminal(spec, parsed, base_dir, label)
        self.resolved.append(resolved)
        return resolved

    def component_bytes(self, spec: str, base_dir: Path) -> bytes:
        """The bytes of ``spec``, relative paths taken from ``base_dir`` (for graph files)."""
        return self.resolve(spec, base_dir).data

    def _resolve_terminal(
        self, spec: str, parsed: PathSpec | PackageSpec | ReferenceSpec, base_dir: Path, label: str | None
    ) -> ResolvedComponent:
        if isinstance(parsed, PathSpec):
            path = (base_dir / Path(parsed.path).expanduser()).resolve()
            try:
                data = read_component_file(path)
            except GraphFileError as err:
                raise SpecError(str(err)) from None
            return ResolvedComponent(spec, label or path.stem, data, str(path), sha256_digest(data))
        if isinstance(parsed, PackageSpec):
            key, reference, default_label = str(parsed), self.config.package_reference(parsed), parsed.name
        else:
            reference = parsed.reference
            key, default_label = str(reference), reference.repository.rsplit("/", 1)[-1]
        data, pin = self.pull(key, reference)
        return ResolvedComponent(
            spec, label or default_label, data, f"{pin.reference}@{pin.digest}", pin.layer
        )

    # ----------------------------------------------------------------------------------------------
    # Registry content

    def _versioned(self, key: str, reference: Reference) -> Reference:
        """A package without a version: its highest semver tag (offline: the tag it was pinned at)."""
        if reference.tag is not None or reference.digest is not None:
            return reference
        if self.offline:
            pinned = self.pins.get(key)
            tag = parse_reference(pinned.reference).tag if pinned is not None else None
            if tag is None:
                raise CacheError(f"--offline: `{key}` has no version and no pin in {self.lock_path}")
            return reference.with_tag(tag)
        tag = highest_version(self.client.tags(reference))
        if tag is None:
            raise PackageNotFoundError(f"`{key}`: {reference} has no version tags")
        return reference.with_tag(tag)

    def _manifest(self, key: str, reference: Reference) -> tuple[Reference, WasmManifest]:
        """The manifest ``reference`` names now (or, offline, as last seen), and the tag used."""
        pinned = self.pins.get(key)
        reference = self._versioned(key, reference)
        digest = reference.digest
        if self.offline and digest is None:
            digest = pinned.digest if pinned is not None else self.cache.tag_digest(reference)
            if digest is None:
                raise CacheError(f"--offline: {reference} (`{key}`) was never pulled into {self.cache.root}")
        if digest is not None:
            cached = self.cache.get(digest)
            if cached is not None:
                return reference, parse_manifest(cached, digest, str(reference))
            if self.offline:
                raise CacheError(
                    f"--offline: the manifest {digest} of {reference} is not in {self.cache.root}"
                )
        manifest = self.client.manifest(reference)
        self.cache.put(manifest.digest, manifest.data)
        if reference.tag is not None and reference.digest is None:
            self.cache.remember_tag(reference, manifest.digest)
        return reference, manifest

    def _check_pin(self, key: str, manifest: WasmManifest) -> None:
        if not self.locked:
            return
        pinned = self.pins.get(key)
        if pinned is None:
            raise LockDriftError(
                f"--locked: `{key}` is not pinned in {self.lock_path}; compose without --locked to pin it"
            )
        if pinned.digest != manifest.digest:
            raise LockDriftError(
                f"--locked: `{key}` moved: the registry has {manifest.digest}, {self.lock_path} pins {pinned.digest}"
            )

    def pull(self, key: str, reference: Reference) -> tuple[bytes, Pin]:
        """The component of ``reference`` (through the cache) and its pin, recorded under ``key``."""
        reference, manifest = self._manifest(key, reference)
        self._check_pin(key, manifest)
        layer = manifest.layer
        data = self.cache.get(layer.digest)
        if data is None:
            if self.offline:
                raise CacheError(
                    f"--offline: the layer {layer.digest} of {reference} is not in {self.cache.root}"
                )
            with self.cache.receive(layer.digest, layer.size, f"layer {layer.digest} of {reference}") as sink:
                self.client.download(reference, layer, sink)
            data = self.cache.get(layer.digest)
            if data is None:
                raise CacheError(f"the layer {layer.digest} of {reference} vanished from {self.cache.root}")
        pin = Pin(key, str(reference.with_digest(None)), manifest.digest, layer.digest)
        self.new_pins[key] = pin
        return data, pin

    def finish(self) -> bool:
        """Write the pins of this run to the lock file (not with ``locked``); whether it changed."""
        if self.locked or self.lock_path is None or not self.new_pins:
            return False
        return update_lock(self.lock_path, self.new_pins)
