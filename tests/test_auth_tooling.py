"""``wacpy auth keygen|token|decode``: development keys and tokens for OAuth mode, through joserfc.
Each command's output is checked against joserfc itself, and bad input is one line and exit 2."""

from __future__ import annotations

import json
import stat
import warnings
from pathlib import Path

import joserfc.jwk as jwk
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from wacpy.auth import ALGORITHMS
from wacpy.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_a_minted_token_verifies_against_the_jwks_keygen_wrote(
    alg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "auth", "keygen", "--alg", alg, "--kid", "k1", "--out", str(tmp_path))
    assert code == 0 and "JWT_JWKS" in out
    pem, jwks = tmp_path / "k1.key.pem", tmp_path / "jwks.json"
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600
    [public] = json.loads(jwks.read_text())["keys"]
    assert public["kid"] == "k1" and public["alg"] == alg and "d" not in public  # no private part
    code, out, _ = run(
        capsys, "auth", "token", "--key", str(pem), "--alg", alg, "--iss", "https://issuer.test",
        "--sub", "ada", "--aud", "https://mcp.test/mcp", "--scope", "tools:read, tools:call",
        "--claim", "tenant=7", "--claim", "name=Ada L",
    )  # fmt: skip
    assert code == 0
    token = out.strip()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        decoded = jwt.decode(token, KeySet.import_key_set(json.loads(jwks.read_text())), algorithms=[alg])
    claims = decoded.claims
    assert decoded.header == {"alg": alg, "typ": "JWT", "kid": "k1"}
    assert (claims["iss"], claims["sub"], claims["aud"], claims["scope"]) == (
        "https://issuer.test", "ada", "https://mcp.test/mcp", "tools:read tools:call",
    )  # fmt: skip
    assert (claims["tenant"], claims["name"]) == (7, "Ada L")
    assert claims["exp"] - claims["iat"] == 3600 and claims["nbf"] == claims["iat"]
    code, out, _ = run(capsys, "auth", "decode", token, "--jwks", str(jwks))
    assert code == 0 and json.loads(out)["verified"] is True
    # one changed character of the signature: decode says so and exits 1
    forged = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    code, out, _ = run(capsys, "auth", "decode", forged, "--jwks", str(jwks))
    assert code == 1 and json.loads(out)["verified"] is False


def test_keygen_adds_keys_for_rotation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for kid in ("old", "new", "new"):
        assert run(capsys, "auth", "keygen", "--kid", kid, "--out", str(tmp_path))[0] == 0
    assert [k["kid"] for k in json.loads((tmp_path / "jwks.json").read_text())["keys"]] == ["old", "new"]


def test_decode_without_keys_shows_header_and_claims(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "auth", "keygen", "--kid", "k", "--out", str(tmp_path))
    token = run(capsys, "auth", "token", "--key", str(tmp_path / "k.key.pem"), "--iss", "i")[1].strip()
    code, out, _ = run(capsys, "auth", "decode", token)
    shown = json.loads(out)
    assert code == 0 and "verified" not in shown and shown["claims"]["sub"] == "dev-user"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["auth", "decode", "not-a-token"], "not a compact JWT: 1 dot-separated parts"),
        (["auth", "decode", "e30.!!!.x"], "the token's claims is not base64url JSON"),
        (["auth", "token", "--key", "{dir}/missing.pem", "--iss", "i"], "missing.pem"),
        (["auth", "token", "--key", "{dir}/jwks.json", "--iss", "i"], "not a private key for ES256"),
        (
            ["auth", "token", "--key", "{dir}/k.key.pem", "--iss", "i", "--claim", "novalue"],
            "claim 'novalue'",
        ),
        (["auth", "token", "--key", "{dir}/k.key.pem", "--iss", "i", "--ttl", "0"], "ttl 0"),
        (["auth", "decode", "e30.e30.x", "--jwks", "{dir}/k.key.pem"], "k.key.pem: not JSON"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "auth", "keygen", "--kid", "k", "--out", str(tmp_path))
    code, _, err = run(capsys, *[a.replace("{dir}", str(tmp_path)) for a in argv])
    assert code == 2, err
    assert err.startswith("wacpy: error: ") and err.count("\n") == 1 and says in err, err


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_jwks_from_pem_verifies_the_tokens_of_that_key(
    alg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A PEM public key (the offline option) becomes the JWKS JWT_JWKS takes."""
    run(capsys, "auth", "keygen", "--alg", alg, "--kid", "pemkey", "--out", str(tmp_path))
    private = (tmp_path / "pemkey.key.pem").read_bytes()
    kinds = {"RS256": "RSAKey", "ES256": "ECKey", "EdDSA": "OKPKey"}
    public_pem = getattr(jwk, kinds[alg]).import_key(private).as_pem(private=False)
    (tmp_path / "pemkey.pub.pem").write_bytes(public_pem)
    code, out, _ = run(capsys, "auth", "jwks", str(tmp_path / "pemkey.pub.pem"))
    assert code == 0
    document = json.loads(out)
    [key] = document["keys"]
    assert key["kid"] == "pemkey" and "d" not in key
    (tmp_path / "from-pem.json").write_text(out)
    token = run(
        capsys, "auth", "token", "--key", str(tmp_path / "pemkey.key.pem"), "--alg", alg, "--iss", "i"
    )[1]
    code, out, _ = run(capsys, "auth", "decode", token.strip(), "--jwks", str(tmp_path / "from-pem.json"))
    assert code == 0 and json.loads(out)["verified"] is True
    assert len(KeySet.import_key_set(document).keys) == 1
    code, _, err = run(capsys, "auth", "jwks", str(tmp_path / "jwks.json"))
    assert code == 2 and "not a PEM public or private key" in err
