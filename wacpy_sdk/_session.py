"""Typed session storage: what a component keeps for one client between requests.

Values are stored typed (the WIT ``value`` variant): ``str``, ``int`` (64-bit), ``float``,
``bool``, ``bytes``, and anything else JSON can carry. A component's keys are its own: the SDK
prefixes them with the server's name, so two components in one server do not see each other's
values unless they use :attr:`Session.shared`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Literal, Protocol, TypeVar

from ._schema import to_json

Kind = Literal["string", "s64", "f64", "bool", "bytes", "json"]
Stored = tuple[Kind, Any]
T = TypeVar("T")
S64_RANGE = range(-(2**63), 2**63)
SHARED = "shared"


class SessionBackend(Protocol):
    """What a :class:`Session` needs from its host: whole keys, typed values."""

    def session_get(self, key: str) -> Stored | None: ...
    def session_set(self, key: str, kind: Kind, value: Any) -> None: ...
    def session_delete(self, key: str) -> None: ...
    def session_keys(self, prefix: str) -> list[str]: ...


def typed(value: Any) -> Stored:
    """The WIT case a Python value is stored as.

    >>> typed("a"), typed(3), typed(2.5), typed(True), typed(b"x"), typed([1])
    (('string', 'a'), ('s64', 3), ('f64', 2.5), ('bool', True), ('bytes', b'x'), ('json', '[1]'))
    """
    if isinstance(value, bool):
        return "bool", value
    if isinstance(value, int) and value in S64_RANGE:
        return "s64", value
    if isinstance(value, float):
        return "f64", value
    if isinstance(value, str):
        return "string", value
    if isinstance(value, bytes | bytearray | memoryview):
        return "bytes", bytes(value)
    return "json", json.dumps(to_json(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def untyped(stored: Stored) -> Any:
    kind, value = stored
    return json.loads(value) if kind == "json" else value


class Session:
    """The session's values under one namespace, used like a dict: ``ctx.session["cart"] = [...]``.

    >>> from wacpy_sdk import Context
    >>> session = Context(namespace="shop").session
    >>> session["cart"] = ["apple"]
    >>> session["visits"] = 1
    >>> session["cart"], session.get_int("visits"), sorted(session), "coupon" in session
    (['apple'], 1, ['cart', 'visits'], False)
    >>> session.get_str("visits")
    Traceback (most recent call last):
    TypeError: session value 'visits' is a s64, not a string
    """

    def __init__(self, backend: SessionBackend, namespace: str) -> None:
        self._backend, self._prefix = backend, f"{namespace}/"

    @property
    def shared(self) -> Session:
        """The values every component of the server sees."""
        return Session(self._backend, SHARED)

    def _key(self, key: str) -> str:
        if not isinstance(key, str) or not key:
            raise KeyError("session keys are non-empty strings")
        return self._prefix + key

    def __getitem__(self, key: str) -> Any:
        stored = self._backend.session_get(self._key(key))
        if stored is None:
            raise KeyError(key)
        return untyped(stored)

    def __setitem__(self, key: str, value: Any) -> None:
        kind, payload = typed(value)
        self._backend.session_set(self._key(key), kind, payload)

    def __delitem__(self, key: str) -> None:
        self._backend.session_delete(self._key(key))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(key) and self._backend.session_get(self._key(key)) is not None

    def __iter__(self) -> Iterator[str]:
        return iter([k[len(self._prefix) :] for k in self._backend.session_keys(self._prefix)])

    def get(self, key: str, default: Any = None) -> Any:
        stored = self._backend.session_get(self._key(key))
        return default if stored is None else untyped(stored)

    def _typed(self, key: str, kind: Kind, default: T | None) -> Any:
        stored = self._backend.session_get(self._key(key))
        if stored is None:
            return default
        if stored[0] != kind:
            raise TypeError(f"session value {key!r} is a {stored[0]}, not a {kind}")
        return stored[1]

    def get_str(self, key: str, default: str | None = None) -> str | None:
        return self._typed(key, "string", default)  # type: ignore[no-any-return]

    def get_int(self, key: str, default: int | None = None) -> int | None:
        return self._typed(key, "s64", default)  # type: ignore[no-any-return]

    def get_float(self, key: str, default: float | None = None) -> float | None:
        return self._typed(key, "f64", default)  # type: ignore[no-any-return]

    def get_bool(self, key: str, default: bool | None = None) -> bool | None:
        return self._typed(key, "bool", default)  # type: ignore[no-any-return]

    def get_bytes(self, key: str, default: bytes | None = None) -> bytes | None:
        return self._typed(key, "bytes", default)  # type: ignore[no-any-return]


class LocalSession:
    """A :class:`SessionBackend` in a dict: the session of a local (test) context."""

    def __init__(self) -> None:
        self.values: dict[str, Stored] = {}

    def session_get(self, key: str) -> Stored | None:
        return self.values.get(key)

    def session_set(self, key: str, kind: Kind, value: Any) -> None:
        self.values[key] = (kind, value)

    def session_delete(self, key: str) -> None:
        self.values.pop(key, None)

    def session_keys(self, prefix: str) -> list[str]:
        return [k for k in self.values if k.startswith(prefix)]
