"""Development tooling for servers run as OAuth 2.1 resource servers: make a signing key and the
JWKS that publishes it, mint a token with chosen claims, decode (and verify) one.

Built on joserfc; nothing here is hand-written cryptography. For development and tests only: a
real deployment takes its keys from the identity provider (its ``jwks_uri``).
"""

from __future__ import annotations

import base64
import json
import os
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeyParameters, KeySet, OKPKey, RSAKey

from ._files import write_atomic
from .errors import WacpyError

#: The signature algorithms servers verify, and the key each needs.
ALGORITHMS = ("RS256", "PS256", "ES256", "EdDSA")
_MAX_TTL = 366 * 24 * 3600


class AuthError(WacpyError):
    """A key, a token or a claim that cannot be used, named with what was wrong."""


Key = RSAKey | ECKey | OKPKey


@attrs.frozen
class KeyPair:
    """A private key file and the JWKS (public keys only) beside it."""

    private_pem: Path
    jwks: Path
    kid: str
    alg: str


@contextmanager
def _eddsa_by_its_old_name() -> Iterator[None]:
    """joserfc warns that the name EdDSA is deprecated (RFC 9864): MCP servers and providers still use it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="EdDSA is deprecated")
        yield


def generate_key(alg: str, kid: str) -> Key:
    """A new private key for ``alg``: RSA 2048 bits for RS256/PS256, P-256 for ES256, Ed25519 for EdDSA."""
    parameters: KeyParameters = {"kid": kid, "alg": alg, "use": "sig"}
    if alg in ("RS256", "PS256"):
        return RSAKey.generate_key(2048, parameters=parameters, private=True)
    if alg == "ES256":
        return ECKey.generate_key("P-256", parameters=parameters, private=True)
    if alg == "EdDSA":
        return OKPKey.generate_key("Ed25519", parameters=parameters, private=True)
    raise AuthError(f"unknown algorithm {alg!r}: use one of {', '.join(ALGORITHMS)}")


def keygen(out_dir: Path, alg: str = "ES256", kid: str | None = None) -> KeyPair:
    """Write ``<kid>.key.pem`` (the private key, mode 0600) and add its public key to
    ``jwks.json`` in ``out_dir`` (kept keys stay, so keys can be rotated); both atomically."""
    kid = kid or f"{alg.lower()}-{int(time.time())}"
    key = generate_key(alg, kid)
    out_dir.mkdir(parents=True, exist_ok=True)
    jwks_path = out_dir / "jwks.json"
    keys = [k for k in _read_jwks(jwks_path)["keys"] if k.get("kid") != kid] if jwks_path.exists() else []
    public = {**key.as_dict(private=False), "kid": kid, "alg": alg, "use": "sig"}
    pem_path = out_dir / f"{kid}.key.pem"
    write_atomic(pem_path, key.as_pem(private=True))
    os.chmod(pem_path, 0o600)
    write_atomic(jwks_path, (json.dumps({"keys": [*keys, public]}, indent=2) + "\n").encode())
    return KeyPair(pem_path, jwks_path, kid, alg)


def _read_jwks(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise AuthError(f"{path}: not JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise AuthError(f"{path}: a JWKS is an object with a `keys` array")
    return document


def load_private_key(path: Path, alg: str, kid: str | None) -> Key:
    """The private key in PEM file ``path``, of the type ``alg`` signs with."""
    data = path.read_bytes()
    kinds: dict[str, type[Key]] = {"RS256": RSAKey, "PS256": RSAKey, "ES256": ECKey, "EdDSA": OKPKey}
    if alg not in kinds:
        raise AuthError(f"unknown algorithm {alg!r}: use one of {', '.join(ALGORITHMS)}")
    try:
        return kinds[alg].import_key(data, {"kid": kid or path.name.removesuffix(".key.pem")})
    except (ValueError, TypeError, JoseError) as err:
        raise AuthError(f"{path}: not a private key for {alg} ({err})") from None


def jwks_from_pem(paths: Sequence[Path], alg: str | None = None) -> dict[str, Any]:
    """A JWKS (public keys only) for ``JWT_JWKS`` from PEM files (public or private keys: RSA,
    EC P-256, Ed25519); each key's id is its file name without ``.pem``. ``alg`` pins RS256 or
    PS256 for RSA keys (otherwise any RSA algorithm may use them)."""
    keys = []
    for path in paths:
        data = path.read_bytes()
        kid = path.name.removesuffix(".pem").removesuffix(".key").removesuffix(".pub")
        for kind, default_alg in ((RSAKey, None), (ECKey, "ES256"), (OKPKey, "EdDSA")):
            try:
                key = kind.import_key(data, {"kid": kid})
            except (ValueError, TypeError, JoseError):
                continue
            public = {**key.as_dict(private=False), "kid": kid, "use": "sig"}
            chosen = alg if kind is RSAKey else default_alg
            if chosen:
                public["alg"] = chosen
            keys.append(public)
            break
        else:
            raise AuthError(f"{path}: not a PEM public or private key (RSA, EC P-256 or Ed25519)")
    return {"keys": keys}


def parse_claims(pairs: Sequence[str]) -> dict[str, Any]:
    """``name=value`` pairs as claims: a value that parses as JSON is that JSON, else the text."""
    claims: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise AuthError(f"claim {pair!r}: write it as name=value")
        try:
            claims[name] = json.loads(value)
        except json.JSONDecodeError:
            claims[name] = value
    return claims


def mint(
    key: Key,
    alg: str,
    *,
    issuer: str,
    subject: str,
    audience: Sequence[str] = (),
    scopes: Sequence[str] = (),
    ttl: int = 3600,
    extra: Mapping[str, Any] | None = None,
    now: int | None = None,
) -> str:
    """A signed JWT: ``iss``, ``sub``, ``aud`` (one or several), ``scope`` (space-separated),
    ``iat``/``nbf`` now and ``exp`` ``ttl`` seconds later; ``extra`` claims go over them."""
    if not 0 < ttl <= _MAX_TTL:
        raise AuthError(f"ttl {ttl}: give seconds between 1 and {_MAX_TTL}")
    issued = int(time.time()) if now is None else now
    claims: dict[str, Any] = {
        "iss": issuer,
        "sub": subject,
        "iat": issued,
        "nbf": issued,
        "exp": issued + ttl,
    }
    if audience:
        claims["aud"] = audience[0] if len(audience) == 1 else list(audience)
    if scopes:
        claims["scope"] = " ".join(scopes)
    claims.update(extra or {})
    header = {"alg": alg, "typ": "JWT", "kid": key.kid}
    try:
        with _eddsa_by_its_old_name():
            return jwt.encode(header, claims, key, algorithms=[alg])
    except JoseError as err:
        raise AuthError(f"cannot sign with {alg}: {err}") from None


@attrs.frozen
class Decoded:
    """A token's header and claims, and, when keys were given, whether its signature verified."""

    header: dict[str, Any]
    claims: dict[str, Any]
    verified: bool | None
    problem: str | None = None


def decode_token(token: str, jwks: Path | None = None) -> Decoded:
    """Read a compact JWT; with ``jwks``, verify its signature against the key its ``kid`` names
    (any of the JWKS when it names none)."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise AuthError(f"not a compact JWT: {len(parts)} dot-separated parts, a JWT has 3")
    header, claims = (_segment(parts[i], name) for i, name in ((0, "header"), (1, "claims")))
    if jwks is None:
        return Decoded(header, claims, None)
    keys = KeySet.import_key_set(_read_jwks(jwks))  # type: ignore[arg-type]
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        return Decoded(header, claims, False, f"alg {alg!r} is not one a server accepts")
    try:
        with _eddsa_by_its_old_name():
            jwt.decode(token.strip(), keys, algorithms=[str(alg)])
    except (JoseError, ValueError) as err:
        return Decoded(header, claims, False, str(err) or type(err).__name__)
    return Decoded(header, claims, True)


def _segment(text: str, name: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise AuthError(f"the token's {name} is not base64url JSON ({err})") from None
    if not isinstance(value, dict):
        raise AuthError(f"the token's {name} is not a JSON object")
    return value
