"""The ``wacpy auth`` commands (development keys and tokens for OAuth mode): parse, call
:mod:`wacpy.auth`, print."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .auth import ALGORITHMS, decode_token, jwks_from_pem, keygen, load_private_key, mint, parse_claims


def _cmd_keygen(args: argparse.Namespace) -> int:
    pair = keygen(args.out, args.alg, args.kid)
    print(f"private key: {pair.private_pem} (kid {pair.kid}, {pair.alg}; keep it secret)")
    print(f"public keys: {pair.jwks}")
    print(
        f'serve with:  --env WACPY_AUTH_MODE=oauth --env JWT_ISSUER=<issuer> --env JWT_JWKS="$(cat {pair.jwks})"'
    )
    return 0


def _cmd_token(args: argparse.Namespace) -> int:
    key = load_private_key(args.key, args.alg, args.kid)
    scopes = [s for part in args.scope for s in part.replace(",", " ").split()]
    token = mint(
        key, args.alg, issuer=args.iss, subject=args.sub, audience=args.aud, scopes=scopes, ttl=args.ttl,
        extra=parse_claims(args.claim),
    )  # fmt: skip
    print(token)
    return 0


def _cmd_jwks(args: argparse.Namespace) -> int:
    print(json.dumps(jwks_from_pem(args.pem, args.alg)))
    return 0


def _cmd_decode(args: argparse.Namespace) -> int:
    token = args.token if args.token != "-" else input()
    decoded = decode_token(token, args.jwks)
    out: dict[str, Any] = {"header": decoded.header, "claims": decoded.claims}
    if decoded.verified is not None:
        out["verified"] = decoded.verified
        if decoded.problem:
            out["problem"] = decoded.problem
    print(json.dumps(out, indent=2))
    return 0 if decoded.verified is not False else 1


def add_commands(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``auth keygen|token|decode`` to the CLI's commands."""
    auth = commands.add_parser("auth", help="development keys and tokens for servers in OAuth mode")
    kinds = auth.add_subparsers(dest="auth_command", required=True)
    gen = kinds.add_parser("keygen", help="make a signing key and the JWKS that publishes it")
    gen.add_argument("--alg", choices=ALGORITHMS, default="ES256", help="signature algorithm (default ES256)")
    gen.add_argument("--kid", help="the key id (default: the algorithm and the time)")
    gen.add_argument(
        "--out", type=Path, default=Path("keys"), metavar="DIR", help="where to write (default ./keys)"
    )
    gen.set_defaults(run=_cmd_keygen)
    token = kinds.add_parser("token", help="mint a signed token with chosen claims")
    token.add_argument("--key", type=Path, required=True, metavar="PEM", help="the private key (from keygen)")
    token.add_argument("--alg", choices=ALGORITHMS, default="ES256")
    token.add_argument("--kid", help="the key id (default: the key file's name)")
    token.add_argument("--iss", required=True, help="the issuer (JWT_ISSUER of the server)")
    token.add_argument("--sub", default="dev-user", help="the subject (default dev-user)")
    token.add_argument("--aud", action="append", default=[], help="an audience (repeat for several)")
    token.add_argument("--scope", action="append", default=[], help="scopes, space- or comma-separated")
    token.add_argument("--ttl", type=int, default=3600, help="seconds until it expires (default 3600)")
    token.add_argument(
        "--claim", action="append", default=[], metavar="NAME=VALUE", help="another claim (JSON or text)"
    )
    token.set_defaults(run=_cmd_token)
    jwks = kinds.add_parser("jwks", help="a JWKS for JWT_JWKS from PEM keys (public or private)")
    jwks.add_argument("pem", type=Path, nargs="+", help="PEM files; each key's id is its file name")
    jwks.add_argument("--alg", choices=("RS256", "PS256"), help="pin the algorithm of RSA keys")
    jwks.set_defaults(run=_cmd_jwks)
    decode = kinds.add_parser("decode", help="show a token's header and claims; with --jwks, verify it")
    decode.add_argument("token", help="the token, or - to read it from stdin")
    decode.add_argument("--jwks", type=Path, metavar="FILE", help="verify the signature with these keys")
    decode.set_defaults(run=_cmd_decode)
