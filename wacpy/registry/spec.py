"""Component specs: what a user may write wherever wacpy takes a component.

* a **path**: ``./calc.wasm``, ``/abs/calc.wasm``, ``build/calc.wasm``, ``calc.wasm``, ``calc.wat``;
* an **OCI package** ``namespace:name[@version]`` (the colon marks it, as in wkg and the seed):
  the config maps the namespace to a registry and repository prefix;
* a **full OCI reference** ``host[:port]/repo:tag`` or ``host[:port]/repo@sha256:<hex>`` (the host
  has a dot or a port, or is ``localhost``, and a tag or digest is required, so that a relative
  path is never taken for a reference);
* a **name**: an alias or a profile of the config (or, failing both, a file of that name).

>>> parse_spec("acme:calc@1.2.0")
PackageSpec(namespace='acme', name='calc', version='1.2.0')
>>> parse_spec("127.0.0.1:5000/acme/calc:1.2.0").reference.tag
'1.2.0'
>>> parse_spec("./calc.wasm")
PathSpec(path='./calc.wasm')
>>> parse_spec("calc")
NameSpec(name='calc')
"""

from __future__ import annotations

import ipaddress
import re

from attrs import frozen

from ..errors import SpecError

_LABEL = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_PACKAGE = re.compile(rf"(?P<namespace>{_LABEL}):(?P<name>{_LABEL})(?:@(?P<version>[^@\s]+))?")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_REPO_PART = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REPOSITORY = re.compile(rf"{_REPO_PART}(?:/{_REPO_PART})*")
_HOST = re.compile(
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(?P<port>\d{1,5}))?"
)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_PATH_SUFFIXES = (".wasm", ".wat")


@frozen
class Reference:
    """An OCI reference: a registry (``host[:port]``), a repository and a tag and/or a digest."""

    registry: str
    repository: str
    tag: str | None = None
    digest: str | None = None

    def __str__(self) -> str:
        text = f"{self.registry}/{self.repository}"
        if self.tag is not None:
            text += f":{self.tag}"
        if self.digest is not None:
            text += f"@{self.digest}"
        return text

    @property
    def target(self) -> str:
        """What the manifest is fetched by: the digest when there is one, else the tag."""
        return self.digest or self.tag or "latest"

    def with_digest(self, digest: str | None) -> Reference:
        return Reference(self.registry, self.repository, self.tag, digest)

    def with_tag(self, tag: str) -> Reference:
        return Reference(self.registry, self.repository, tag, self.digest)

    @property
    def is_loopback(self) -> bool:
        """A registry on this machine: spoken to over plain HTTP, as docker does for localhost."""
        host = self.registry
        if host.startswith("["):
            host = host[1 : host.index("]")]
        elif ":" in host:
            host = host.rsplit(":", 1)[0]
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False


@frozen
class PathSpec:
    path: str


@frozen
class PackageSpec:
    """``namespace:name[@version]``; without a version, the highest semver tag is used."""

    namespace: str
    name: str
    version: str | None = None

    def __str__(self) -> str:
        version = f"@{self.version}" if self.version else ""
        return f"{self.namespace}:{self.name}{version}"


@frozen
class ReferenceSpec:
    reference: Reference


@frozen
class NameSpec:
    """An alias or profile name (resolved against the config)."""

    name: str


Spec = PathSpec | PackageSpec | ReferenceSpec | NameSpec


def parse_reference(text: str) -> Reference:
    """A full reference ``host[:port]/repo:tag``, ``host[:port]/repo@sha256:...`` or both;
    raises :class:`SpecError`.

    >>> str(parse_reference("localhost:5000/a/b@sha256:" + "0" * 64))[:30]
    'localhost:5000/a/b@sha256:0000'
    """
    found = _match_reference(text)
    if found is None:
        raise SpecError(
            f"`{text}` is not an OCI reference (expected host[:port]/repository:tag or "
            "host[:port]/repository@sha256:<64 hex digits>)"
        )
    return found


def _match_reference(text: str) -> Reference | None:
    registry, slash, rest = text.partition("/")
    host = _HOST.fullmatch(registry)
    if not slash or host is None:
        return None
    if not ("." in registry or ":" in registry or host["host"] == "localhost"):
        return None  # docker's rule: the first part is a registry only if it looks like a host
    digest = None
    if "@" in rest:
        rest, _, digest = rest.partition("@")
        if not _DIGEST.fullmatch(digest):
            return None
    tag = None
    repository, colon, after = rest.rpartition(":")
    if colon and "/" not in after:
        if not _TAG.fullmatch(after):
            return None
        tag = after
    else:
        repository = rest
    if not _REPOSITORY.fullmatch(repository) or (tag is None and digest is None):
        return None
    return Reference(registry, repository, tag, digest)


def _looks_like_path(text: str) -> bool:
    return (
        text.startswith(("./", "../", "/", "~"))
        or text.endswith(_PATH_SUFFIXES)
        or (("/" in text or "\\" in text) and _match_reference(text) is None)
    )


def parse_spec(text: str) -> Spec:
    """Classify a component spec (see the module docstring); raises :class:`SpecError`."""
    if not text:
        raise SpecError("empty component spec")
    if _looks_like_path(text):
        return PathSpec(text)
    reference = _match_reference(text)
    if reference is not None:
        return ReferenceSpec(reference)
    if ":" in text:
        package = _PACKAGE.fullmatch(text)
        if package is None:
            raise SpecError(
                f"`{text}` is not a package spec: expected namespace:name[@version] in lower-case "
                "kebab-case (e.g. acme:calculator@1.0.0), or host[:port]/repository:tag"
            )
        version = package["version"]
        if version is not None and not _TAG.fullmatch(version):
            raise SpecError(f"`{text}`: version `{version}` cannot be an OCI tag")
        return PackageSpec(package["namespace"], package["name"], version)
    if _NAME.fullmatch(text):
        return NameSpec(text)
    raise SpecError(f"`{text}` is not a path, an alias, a profile or an OCI reference")


def check_name(name: str, what: str) -> None:
    """An alias or profile name: letters, digits, ``-`` and ``_``, starting with a letter or digit."""
    if not _NAME.fullmatch(name):
        raise SpecError(
            f"{what} name `{name}` is not valid: use letters, digits, '-' and '_', starting with a letter or digit"
        )


def package_reference(spec: PackageSpec, registry_prefix: str) -> Reference:
    """The reference of ``spec`` under ``registry_prefix`` (``host[:port][/path]``): the repository
    is the prefix's path followed by the package name (wkg's layout: ``ghcr.io/ns/name:version``).

    >>> str(package_reference(PackageSpec("acme", "calc", "1.0.0"), "127.0.0.1:5000/acme"))
    '127.0.0.1:5000/acme/calc:1.0.0'
    """
    registry, _, path = registry_prefix.strip("/").partition("/")
    repository = f"{path}/{spec.name}" if path else spec.name
    if _HOST.fullmatch(registry) is None or not _REPOSITORY.fullmatch(repository):
        raise SpecError(
            f"`{registry_prefix}` (the registry of namespace `{spec.namespace}`) is not host[:port][/path]"
        )
    return Reference(registry, repository, spec.version)
