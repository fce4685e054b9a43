"""Component-model names: validity and semver-compatible keys for merging imports."""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import InvalidNameError

_WORD = r"[a-z][a-z0-9]*|[A-Z][A-Z0-9]*"
_LABEL = rf"%?(?:{_WORD})(?:-(?:[a-z0-9]+|[A-Z0-9]+))*"
_SEMVER = r"(?P<major>0|[1-9][0-9]*)\.(?P<minor>0|[1-9][0-9]*)\.(?P<patch>0|[1-9][0-9]*)(?P<rest>[-+][0-9A-Za-z.+-]*)?"
_INTERFACE = re.compile(rf"(?P<base>{_LABEL}:{_LABEL}(?:/{_LABEL})+)(?:@(?P<version>{_SEMVER}))?")
_PLAIN = re.compile(rf"(?:\[(?:constructor|method|static)\])?{_LABEL}(?:\.{_LABEL})?")


_SEMVER_ONLY = re.compile(_SEMVER)


def is_semver(version: str) -> bool:
    """Whether ``version`` is a semantic version (``1.2.3``, ``0.1.0-rc.1+build``)."""
    return bool(_SEMVER_ONLY.fullmatch(version))


def is_valid_name(name: str) -> bool:
    """Whether ``name`` is a plain kebab-case name or an interface name like ``ns:pkg/iface@1.2.3``."""
    return bool(_INTERFACE.fullmatch(name) or _PLAIN.fullmatch(name))


def check_name(name: str, what: str) -> str:
    if not is_valid_name(name):
        raise InvalidNameError(
            f"invalid {what} name `{name}`: expected kebab-case or `ns:pkg/interface@version`",
            name=name,
            kind=what,
        )
    return name


@lru_cache(maxsize=4096)  # names repeat across the components of a graph
def semver_key(name: str) -> str:
    """The name with its version cut to what semver says is compatible (``@0.2`` for 0.2.x, ``@1`` for 1.x).

    >>> semver_key("wasi:io/streams@0.2.12"), semver_key("a:b/c@1.4.0"), semver_key("log")
    ('wasi:io/streams@0.2', 'a:b/c@1', 'log')
    """
    match = _INTERFACE.fullmatch(name)
    if match is None or match["version"] is None or match["rest"]:
        return name
    major, minor = int(match["major"]), int(match["minor"])
    if major > 0:
        return f"{match['base']}@{major}"
    if minor > 0:
        return f"{match['base']}@0.{minor}"
    return name


def version_of(name: str) -> tuple[int, int, int] | None:
    match = _INTERFACE.fullmatch(name)
    if match is None or match["version"] is None:
        return None
    return int(match["major"]), int(match["minor"]), int(match["patch"])


def higher_version(a: str, b: str) -> str:
    """Of two semver-compatible names, the one with the higher version."""
    va, vb = version_of(a), version_of(b)
    if va is None or vb is None:
        return a
    return b if vb > va else a
