"""Build the framework components from C: ``python -m testkit.framework [NAME ...]``.

Each folder ``middleware-src/<name>/`` holds the C sources of one component whose WIT world in
``wit/`` (``framework.wit``) has the same name; it includes its generated bindings,
``include/wacpy_world_<name>.h`` (``python -m testkit.cbindgen``). Every ``*.c`` file of the folder, with ``middleware-src/include``
on the include path, is compiled freestanding by zig (from the ``ziglang`` wheel), embedded with the
world's metadata and made a component by wasm-tools; the result goes to
``wacpy/mcp/components/<name>.wasm``, which ships in the wacpy package. Builds are reproducible:
the same sources and tools give the same bytes (a test checks this).

The WASI 0.2.12 WIT packages the transport and the context provider need come from jco's npm
package (``npm pack``), cached under ``.cache/wit-deps``; nothing is committed from it. The
``wasi:keyvalue`` drafts, which jco does not carry, are our own declarations in ``wit/deps/``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

from wacpy._zig import zig_cc

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "middleware-src"
#: The one C runtime (arena, JSON, strings) lives in the author SDK's folder, which ships in the
#: package; the framework builds include it beside its own headers (world bindings, middleware).
RUNTIME = ROOT / "wacpy" / "authoring" / "include"
INCLUDES = (SOURCES / "include", RUNTIME)
OUTPUT = ROOT / "wacpy" / "mcp" / "components"
CACHE = Path(os.environ.get("WACPY_BUILD_CACHE") or ROOT / ".cache")
JCO_VERSION = "1.35.0"
WASI_VERSION = "0.2.12"
#: WASI packages written here (``wasi:keyvalue`` drafts): added to jco's in every deps folder.
OWN_WIT_DEPS = ROOT / "wit" / "deps"
#: Added to wacpy's zig flags (``wacpy._zig``): the framework's C compiles without warnings.
ZIG_FLAGS = ("-Werror",)
#: Monocypher (XChaCha20-Poly1305 for the context provider's sealed ``requestState``): its C sources
#: ship in the ``pymonocypher`` sdist on PyPI, fetched once (hash-checked) into the cache.
MONOCYPHER_SDIST = (
    "https://files.pythonhosted.org/packages/dc/cc/"
    "67a71aed2e4ba8134460a60f9b2fc89c5e7e6e7f8d44d7bd6c7474544152/pymonocypher-4.0.3.5.tar.gz"
)
MONOCYPHER_SHA256 = "b6f96c4fa56212a7c13aee8fc27a89d7531b622ce8aabbd6e82a9d2e93071d71"
#: BearSSL 0.6 (RSA PKCS#1 v1.5, ECDSA P-256, SHA-2 and MGF1 for the transport's JWT checks,
#: issue 15): Debian's source package, its upstream tarball fetched from the Debian archive
#: (hash-checked); only the files the verifier links are kept.
BEARSSL_TARBALL = "http://deb.debian.org/debian/pool/main/b/bearssl/bearssl_0.6%2Bdfsg.1.orig.tar.xz"
BEARSSL_SHA256 = "102a625bd8f6155260867a50c508df8d8c3f796985dd744df1a68e5cd1a79004"
BEARSSL_SOURCES = (
    "hash/sha2small.c", "hash/sha2big.c", "hash/dig_oid.c", "hash/mgf1.c",
    "rsa/rsa_i31_pkcs1_vrfy.c", "rsa/rsa_i31_pub.c", "rsa/rsa_pkcs1_sig_unpad.c",
    "int/i31_add.c", "int/i31_bitlen.c", "int/i31_decmod.c", "int/i31_decode.c", "int/i31_decred.c",
    "int/i31_encode.c", "int/i31_fmont.c", "int/i31_iszero.c", "int/i31_moddiv.c", "int/i31_modpow.c",
    "int/i31_modpow2.c", "int/i31_montmul.c", "int/i31_mulacc.c", "int/i31_muladd.c", "int/i31_ninv31.c",
    "int/i31_reduce.c", "int/i31_rshift.c", "int/i31_sub.c", "int/i31_tmont.c", "int/i32_div32.c",
    "ec/ec_p256_m31.c", "ec/ecdsa_i31_vrfy_raw.c", "ec/ecdsa_i31_bits.c", "ec/ec_secp256r1.c",
    "ec/ec_secp384r1.c", "ec/ec_secp521r1.c",
    "codec/ccopy.c", "codec/dec32be.c", "codec/enc32be.c", "codec/dec64be.c", "codec/enc64be.c",
)  # fmt: skip
#: ``string.h`` for BearSSL in freestanding wasm (the transport defines what it declares).
SHIM = ROOT / "middleware-src" / "shim"
#: Vendored libraries a component compiles with, fetched by these functions (which return a folder
#: holding the ``.c`` and ``.h`` files).
VENDORED = {"context-provider": ("monocypher",), "transport": ("bearssl", "monocypher")}


def _run(command: list[str], **kwargs: object) -> None:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        sys.exit(f"build failed: {' '.join(command)}\n{done.stderr}")


def _tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else name


def _jco_wit() -> Path:
    """The WASI WIT packages (``wasi-io``, ``wasi-http``, ...) from jco's npm tarball."""
    target = CACHE / "wit-deps" / WASI_VERSION
    if target.exists():
        return target
    npm_cache = CACHE / "npm"
    npm_cache.mkdir(parents=True, exist_ok=True)
    _run(
        [
            "npm",
            "pack",
            f"@bytecodealliance/jco@{JCO_VERSION}",
            "--pack-destination",
            str(npm_cache),
            "--cache",
            str(npm_cache / "cache"),
        ]
    )
    tarball = npm_cache / f"bytecodealliance-jco-{JCO_VERSION}.tgz"
    prefix = f"package/lib/wit/builtin/{WASI_VERSION}/"
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(tarball) as archive:
        members = [m for m in archive.getmembers() if m.name.startswith(prefix) and m.isfile()]
        archive.extractall(tmp, members=members, filter="data")
        shutil.copytree(Path(tmp) / prefix, target)
    return target


def _vendor(name: str, url: str, sha256: str, files: dict[str, str]) -> Path:
    """The folder ``.cache/vendor/<name>-<digest>`` holding ``files`` (archive path -> file name)
    of the tarball at ``url``, fetched once and checked against ``sha256``."""
    target = CACHE / "vendor" / f"{name}-{sha256[:12]}"
    if (target / "LICENSE.txt").exists():
        return target
    try:
        with urllib.request.urlopen(url, timeout=120) as answer:
            data = answer.read()
    except OSError as err:
        sys.exit(f"build failed: cannot fetch {name} from {url} ({err}); put the file's contents in {target}")
    if hashlib.sha256(data).hexdigest() != sha256:
        sys.exit(f"build failed: {url} does not have the pinned sha256 {sha256}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(dir=target.parent) as tmp,
        tarfile.open(fileobj=io.BytesIO(data)) as archive,
    ):
        staged = Path(tmp) / name
        staged.mkdir()
        for member_name, file_name in files.items():
            member = archive.extractfile(member_name)
            assert member is not None, member_name
            (staged / file_name).write_bytes(member.read())
        try:
            staged.rename(target)
        except OSError:
            if not (target / "LICENSE.txt").exists():
                raise
    return target


def monocypher() -> Path:
    """``monocypher.c`` and ``monocypher.h`` from the pinned pymonocypher sdist (cached)."""
    names = ("monocypher.c", "monocypher.h", "LICENSE.txt")
    return _vendor(
        "monocypher", MONOCYPHER_SDIST, MONOCYPHER_SHA256, {f"pymonocypher-4.0.3.5/{n}": n for n in names}
    )


def bearssl() -> Path:
    """BearSSL's headers and the sources of ``BEARSSL_SOURCES`` from the pinned tarball (cached)."""
    root = "bearssl-0.6/"
    headers = ("bearssl.h", "bearssl_block.h", "bearssl_ec.h", "bearssl_hash.h", "bearssl_hmac.h",
               "bearssl_kdf.h", "bearssl_pem.h", "bearssl_prf.h", "bearssl_aead.h", "bearssl_rand.h",
               "bearssl_rsa.h", "bearssl_ssl.h", "bearssl_x509.h")  # fmt: skip
    files = {f"{root}inc/{h}": h for h in headers}
    files |= {
        f"{root}src/inner.h": "inner.h",
        f"{root}src/config.h": "config.h",
        f"{root}LICENSE.txt": "LICENSE.txt",
    }
    files |= {f"{root}src/{c}": Path(c).name for c in BEARSSL_SOURCES}
    return _vendor("bearssl", BEARSSL_TARBALL, BEARSSL_SHA256, files)


def wasi_wit() -> Path:
    """Every WASI WIT package the framework's worlds import: jco's and ours (``wit/deps/``), in one
    folder named by a digest of ours, so an edit of them makes a new folder."""
    own = sorted(p for p in OWN_WIT_DEPS.rglob("*.wit"))
    digest = hashlib.sha256()
    for path in own:
        digest.update(path.relative_to(OWN_WIT_DEPS).as_posix().encode() + b"\0" + path.read_bytes())
    target = CACHE / "wit-deps" / f"{WASI_VERSION}+{digest.hexdigest()[:12]}"
    if target.exists():
        return target
    jco = _jco_wit()
    # Assembled aside and renamed into place: concurrent builds never see half a folder.
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        staged = Path(tmp) / "deps"
        shutil.copytree(jco, staged)
        shutil.copytree(OWN_WIT_DEPS, staged, dirs_exist_ok=True)
        try:
            staged.rename(target)
        except OSError:
            if not target.exists():
                raise
    return target


def wit_dir(into: Path) -> Path:
    """The ``wit/`` package (``mcp.wit``, ``framework.wit``) with the WASI packages beside it in ``deps/``."""
    for wit in sorted((ROOT / "wit").glob("*.wit")):
        shutil.copy(wit, into / wit.name)
    shutil.copytree(wasi_wit(), into / "deps")
    return into


def build(name: str, wit: Path, work: Path) -> Path:
    sources = sorted((SOURCES / name).glob("*.c"))
    if not sources:
        sys.exit(f"build failed: no C sources in middleware-src/{name}/")
    include: tuple[Path, ...] = INCLUDES
    for library in VENDORED.get(name, ()):
        vendor = {"monocypher": monocypher, "bearssl": bearssl}[library]()
        sources += sorted(vendor.glob("*.c"))
        include = (*include, vendor, *((SHIM,) if library == "bearssl" else ()))
    core = work / f"{name}.core.wasm"
    done = zig_cc(sources, core, cache_dir=CACHE / "zig", include=include, flags=ZIG_FLAGS, cwd=work)
    if done.returncode != 0:
        sys.exit(f"build failed: zig cc {' '.join(map(str, sources))}\n{done.stderr}")
    embedded = work / f"{name}.embedded.wasm"
    _run(
        [_tool("wasm-tools"), "component", "embed", str(wit), "--world", name, str(core), "-o", str(embedded)]
    )
    OUTPUT.mkdir(parents=True, exist_ok=True)
    out = OUTPUT / f"{name}.wasm"
    _run([_tool("wasm-tools"), "component", "new", str(embedded), "-o", str(out)])
    _run([_tool("wasm-tools"), "validate", str(out)])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="components to build (default: every folder with C sources)")
    args = parser.parse_args()
    names = args.names or sorted(p.name for p in SOURCES.iterdir() if p.is_dir() and any(p.glob("*.c")))
    with tempfile.TemporaryDirectory() as tmp:
        wit = wit_dir(Path(tmp))
        for name in names:
            work = Path(tmp) / f"work-{name}"
            work.mkdir()
            out = build(name, wit, work)
            print(f"{out.relative_to(ROOT)}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
