"""Build the test corpus of WebAssembly components, with an on-disk cache.

Six kinds of components, all made from sources in this directory:

* :func:`wat_components`: the hand-written component WAT files in ``wat/``, assembled with
  ``wasm-tools parse``; each file's first line names the ``--features`` it needs to validate.
* :func:`wit_smith_components`: random WIT packages from ``wasm-tools wit-smith``, one component per
  world (``component embed --dummy`` + ``component new``).
* :func:`c_component`: ``c/tool.c`` compiled freestanding with ``zig cc`` and wrapped as a component.
* :func:`python_component`: ``python/app.py`` built with ``componentize-py`` (about 18 MB).
* :func:`greeter_c_command`: ``greeter/greeter.c``, a wasi-libc command (``zig cc --target=wasm32-wasi``)
  calling the imported ``test:greet/greeter@0.1.0#greet``, made a component with the WASI preview1
  command adapter (:func:`preview1_adapter`, from jco's npm package): imports WASI 0.2.12.
* :func:`greeter_python`: ``greeter/greeter.py``, a componentize-py component exporting that
  interface: imports WASI 0.2.9. The two compose into one ``wasi:cli/run`` command.

Results are cached under :data:`CACHE_DIR` (``<repo>/.cache/corpus``, or ``$WACPY_CORPUS_CACHE``),
keyed by a hash of the sources, the build recipe and the versions of the tools involved, so a
second run only reads files. ``python -m testkit.corpus.build`` builds everything and prints a summary.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import random
import re
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from wacpy import tools
from wacpy._zig import zig_cc_argv, zig_env, zig_flags, zig_version

__all__ = [
    "CACHE_DIR",
    "CORPUS_DIR",
    "WAT_DIR",
    "WitSmithResult",
    "c_component",
    "greeter_c_command",
    "greeter_python",
    "preview1_adapter",
    "python_component",
    "wat_components",
    "wasm_tools_path",
    "wat_features",
    "wit_smith_build",
    "wit_smith_components",
]

CORPUS_DIR = Path(__file__).resolve().parent
REPO_DIR = CORPUS_DIR.parent.parent
WAT_DIR = CORPUS_DIR / "wat"
C_DIR = CORPUS_DIR / "c"
PYTHON_DIR = CORPUS_DIR / "python"
GREETER_DIR = CORPUS_DIR / "greeter"
CACHE_DIR = Path(os.environ.get("WACPY_CORPUS_CACHE") or REPO_DIR / ".cache" / "corpus")

# Bump to invalidate every cached artefact when a recipe below changes.
_RECIPE_VERSION = "1"
# How many random bytes feed one `wit-smith` run.
_WIT_SMITH_SEED_BYTES = 4096
# Added to wacpy's zig flags (wacpy._zig) for the corpus's C (freestanding, and the wasi-libc greeter).
_ZIG_FLAGS = ("-Wextra", "-Werror")
_C_WORLD = "c-tool"
_PYTHON_WORLD = "py-app"
_GREETER_C_WORLD = "greeter-c"
_GREETER_PY_WORLD = "greeter-py"
# The npm package shipping the WASI preview1 adapters (lib/wasi_snapshot_preview1.{command,reactor}.wasm).
# 1.35.0's adapters import WASI 0.2.12 (filesystem/preopens 0.2.6), all accepted by wasmtime 49.
_JCO_PACKAGE = "@bytecodealliance/jco"
_JCO_VERSION = "1.35.0"
_FEATURES_LINE = re.compile(r"^;;\s*features:\s*(.*?)\s*$")


# --------------------------------------------------------------------------------------------------
# Tools


wasm_tools_path = tools.wasm_tools_path  # honours $WACPY_WASM_TOOLS


def _run(
    argv: Sequence[str],
    *,
    what: str,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> bytes:
    """Run ``argv`` and return its stdout; a failure raises ``RuntimeError`` carrying its stderr."""
    try:
        done = subprocess.run(
            list(argv),
            input=stdin,
            capture_output=True,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RuntimeError(f"{what}: could not run {argv[0]}: {err}") from err
    if done.returncode != 0:
        stderr = done.stderr.decode(errors="replace").strip()
        raise RuntimeError(f"{what} failed (exit {done.returncode}): {' '.join(argv)}\n{stderr}")
    return done.stdout


def _wasm_tools_run(*args: str, what: str, stdin: bytes | None = None) -> bytes:
    return _run([wasm_tools_path(), *args], what=what, stdin=stdin)


@cache
def _wasm_tools_version() -> str:
    return _wasm_tools_run("--version", what="wasm-tools --version").decode().strip()


def _package_version(dist: str, fallback: Callable[[], str]) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return fallback()


@cache
def _componentize_py_version() -> str:
    return _package_version(
        "componentize-py",
        lambda: (
            _run([tools.find_tool("componentize-py"), "--version"], what="componentize-py --version")
            .decode()
            .strip()
        ),
    )


# --------------------------------------------------------------------------------------------------
# Cache


def _key(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in (_RECIPE_VERSION, *parts):
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:32]


def _cache_path(kind: str, key: str, suffix: str) -> Path:
    return CACHE_DIR / kind / f"{key}{suffix}"


def _read_cached(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` so that concurrent readers see either nothing or the whole file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cached_build(kind: str, key: str, build: Callable[[], bytes]) -> bytes:
    path = _cache_path(kind, key, ".wasm")
    data = _read_cached(path)
    if data is None:
        data = build()
        _write_atomic(path, data)
    return data


def _workers() -> int:
    return max(2, os.cpu_count() or 2)


# --------------------------------------------------------------------------------------------------
# Hand-written WAT


def wat_features(text: str) -> list[str]:
    """The features named by a WAT file's first line ``;; features: a,b`` (``none`` means ``[]``)."""
    first = text.split("\n", 1)[0]
    match = _FEATURES_LINE.match(first)
    if match is None:
        raise RuntimeError(f"first line must be ';; features: ...', found {first!r}")
    value = match.group(1)
    if value in ("", "none"):
        return []
    return [feature.strip() for feature in value.split(",") if feature.strip()]


def _wat_files() -> list[Path]:
    return sorted(WAT_DIR.glob("*.wat"))


def _assemble(path: Path, text: str) -> bytes:
    def build() -> bytes:
        return _wasm_tools_run("parse", str(path), what=f"wasm-tools parse {path.name}")

    return _cached_build("wat", _key("wat", _wasm_tools_version(), text), build)


def wat_components() -> dict[str, tuple[bytes, list[str]]]:
    """Every ``wat/*.wat`` file: its stem -> (component binary from ``wasm-tools parse``, features)."""
    files = _wat_files()
    texts = [path.read_text(encoding="utf-8") for path in files]
    features = [wat_features(text) for text in texts]
    with ThreadPoolExecutor(_workers()) as pool:
        binaries = list(pool.map(_assemble, files, texts))
    return {path.stem: (binary, feats) for path, binary, feats in zip(files, binaries, features, strict=True)}


# --------------------------------------------------------------------------------------------------
# wit-smith


@dataclass
class WitSmithResult:
    """Components made from ``wit-smith`` packages, and the worlds that could not be made into one."""

    components: dict[str, bytes] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def _qualified_world(resolve: Mapping[str, object], world: Mapping[str, object]) -> str:
    """``ns:pkg/world@version`` for a world of ``wasm-tools component wit --json`` output."""
    packages = resolve["packages"]
    assert isinstance(packages, list)
    package = packages[int(str(world["package"]))]
    assert isinstance(package, dict)
    name = str(package["name"])
    base, at, version = name.partition("@")
    return f"{base}/{world['name']}{at}{version}"


def _smith_one(seed: int) -> tuple[dict[str, str], dict[str, str]]:
    """Components (base64) and skipped worlds (error text) for one wit-smith seed."""
    data = random.Random(seed).randbytes(_WIT_SMITH_SEED_BYTES)
    components: dict[str, str] = {}
    skipped: dict[str, str] = {}
    label = f"seed{seed}"
    with tempfile.TemporaryDirectory(prefix="wacpy-wit-smith-") as tmp:
        package = Path(tmp) / "package.wasm"
        try:
            _wasm_tools_run("wit-smith", "-o", str(package), what=f"wit-smith ({label})", stdin=data)
            resolve = json.loads(
                _wasm_tools_run("component", "wit", "--json", str(package), what=f"component wit ({label})")
            )
        except RuntimeError as err:
            skipped[label] = str(err)
            return components, skipped
        for world in resolve["worlds"]:
            qualified = _qualified_world(resolve, world)
            name = f"{label}/{qualified}"
            what = f"wit-smith world {name}"
            try:
                core = _wasm_tools_run(
                    "component", "embed", str(package), "--world", qualified, "--dummy", what=what
                )
                component = _wasm_tools_run("component", "new", "-", what=what, stdin=core)
                _wasm_tools_run("validate", "-", what=what, stdin=component)
            except RuntimeError as err:
                skipped[name] = str(err)
                continue
            components[name] = base64.b64encode(component).decode("ascii")
    return components, skipped


def _smith_cached(seed: int) -> tuple[dict[str, str], dict[str, str]]:
    key = _key("wit-smith", _wasm_tools_version(), str(_WIT_SMITH_SEED_BYTES), str(seed))
    path = _cache_path("wit-smith", key, ".json")
    cached = _read_cached(path)
    if cached is not None:
        record = json.loads(cached)
        return dict(record["components"]), dict(record["skipped"])
    components, skipped = _smith_one(seed)
    record = {"seed": seed, "components": components, "skipped": skipped}
    _write_atomic(path, json.dumps(record, sort_keys=True).encode())
    return components, skipped


def wit_smith_build(count: int, seed: int = 0) -> WitSmithResult:
    """Run ``wit-smith`` on ``count`` inputs (bytes of ``random.Random(seed + i)``).

    Each world of each generated package becomes a component (``component embed --dummy``, then
    ``component new``) that must pass ``wasm-tools validate``; worlds that fail anywhere are listed
    in :attr:`WitSmithResult.skipped` with the tool's error. Names are ``seed<N>/<ns:pkg/world@ver>``.
    """
    result = WitSmithResult()
    with ThreadPoolExecutor(_workers()) as pool:
        for components, skipped in pool.map(_smith_cached, range(seed, seed + count)):
            for name, encoded in components.items():
                result.components[name] = base64.b64decode(encoded)
            result.skipped.update(skipped)
    return result


def wit_smith_components(count: int, seed: int = 0) -> dict[str, bytes]:
    """The valid components of :func:`wit_smith_build` (name -> component binary)."""
    return wit_smith_build(count, seed).components


# --------------------------------------------------------------------------------------------------
# Freestanding C


def _tool_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    env.update(extra)
    return env


def _zig(source: Path, core: Path, *, libc: bool = False) -> None:
    """Compile ``source`` with wacpy's zig flags; zig's caches (including the wasi-libc it builds
    once, ~30-50 s) stay inside the corpus cache."""
    zig_cache = CACHE_DIR / "zig"
    zig_cache.mkdir(parents=True, exist_ok=True)
    argv = zig_cc_argv([source], core, flags=_ZIG_FLAGS, libc=libc)
    _run(
        argv,
        what=f"zig cc {source.name}{' (wasm32-wasi)' if libc else ''}",
        cwd=core.parent,
        env=zig_env(zig_cache),
    )


def c_component() -> bytes:
    """``c/tool.c`` (world ``c-tool`` of ``c/tool.wit``) built as a component, no libc, no adapter."""
    source = (C_DIR / "tool.c").read_bytes()
    wit = (C_DIR / "tool.wit").read_bytes()
    key = _key("c", source, wit, "\0".join(zig_flags(_ZIG_FLAGS)), zig_version(), _wasm_tools_version())

    def build() -> bytes:
        with tempfile.TemporaryDirectory(prefix="wacpy-c-") as tmp:
            core = Path(tmp) / "tool.core.wasm"
            _zig(C_DIR / "tool.c", core)
            embedded = _wasm_tools_run(
                "component",
                "embed",
                str(C_DIR / "tool.wit"),
                "--world",
                _C_WORLD,
                str(core),
                what="wasm-tools component embed (C)",
            )
            return _wasm_tools_run(
                "component", "new", "-", what="wasm-tools component new (C)", stdin=embedded
            )

    return _cached_build("c", key, build)


# --------------------------------------------------------------------------------------------------
# componentize-py


def python_component() -> bytes:
    """``python/app.py`` (world ``py-app`` of ``python/app.wit``) built with componentize-py."""
    app = (PYTHON_DIR / "app.py").read_bytes()
    wit = (PYTHON_DIR / "app.wit").read_bytes()
    key = _key("python", app, wit, _componentize_py_version())
    return _cached_build("python", key, lambda: _componentize_py("app", app, "app.wit", wit, _PYTHON_WORLD))


def _componentize_py(module: str, source: bytes, wit_name: str, wit: bytes, world: str) -> bytes:
    """``componentize-py -d WIT -w WORLD componentize MODULE`` on a one-file app."""
    # Build from a scratch copy so that nothing (e.g. __pycache__) lands in the source tree.
    with tempfile.TemporaryDirectory(prefix="wacpy-py-") as tmp:
        work = Path(tmp)
        (work / f"{module}.py").write_bytes(source)
        (work / wit_name).write_bytes(wit)
        out = work / f"{module}.wasm"
        _run(
            [
                tools.find_tool("componentize-py"),
                "-d",
                wit_name,
                "-w",
                world,
                "componentize",
                "-p",
                ".",
                module,
                "-o",
                str(out),
            ],
            what=f"componentize-py componentize {module}",
            cwd=work,
            env=_tool_env({"PYTHONDONTWRITEBYTECODE": "1"}),
        )
        return out.read_bytes()


# --------------------------------------------------------------------------------------------------
# The greeter pair: a wasi-libc C command and a componentize-py greeter, WASI 0.2.12 vs 0.2.9


def _npm_pack(package: str, version: str) -> Path:
    """``npm pack PACKAGE@VERSION`` into the cache (just the tarball: no install, no scripts).

    npm's own cache goes to the corpus cache too, so nothing is written to ``~/.npm``.
    """
    npm_dir = CACHE_DIR / "npm"
    tarball = npm_dir / f"{package.lstrip('@').replace('/', '-')}-{version}.tgz"
    if tarball.is_file():
        return tarball
    npm_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=npm_dir, prefix=".pack-") as tmp:
        _run(
            [
                tools.find_tool("npm"),
                "pack",
                f"{package}@{version}",
                "--pack-destination",
                tmp,
                "--cache",
                str(npm_dir / "npm-cache"),
                "--loglevel=error",
            ],
            what=f"npm pack {package}@{version}",
            cwd=Path(tmp),
            timeout=300,
        )
        packed = list(Path(tmp).glob("*.tgz"))
        if len(packed) != 1:
            raise RuntimeError(f"npm pack {package}@{version}: expected one tarball, found {packed}")
        os.replace(packed[0], tarball)
    return tarball


def preview1_adapter(kind: Literal["command", "reactor"]) -> bytes:
    """The WASI preview1 adapter core module (``wasi_snapshot_preview1.{kind}.wasm``) of jco's npm package.

    ``command`` exports ``wasi:cli/run`` (calling the module's ``_start``); ``reactor`` exports
    nothing of its own. Both import WASI 0.2.12.
    """
    if kind not in ("command", "reactor"):
        raise ValueError(f"adapter kind must be 'command' or 'reactor', not {kind!r}")
    member = f"package/lib/wasi_snapshot_preview1.{kind}.wasm"
    key = _key("preview1-adapter", _JCO_PACKAGE, _JCO_VERSION, member)

    def build() -> bytes:
        tarball = _npm_pack(_JCO_PACKAGE, _JCO_VERSION)
        with tarfile.open(tarball, "r:gz") as archive:
            extracted = archive.extractfile(member)
            if extracted is None:
                raise RuntimeError(f"{tarball.name}: {member} is not a regular file")
            data = extracted.read()
        if data[:8] != b"\0asm\x01\0\0\0":
            raise RuntimeError(f"{tarball.name}: {member} is not a core WebAssembly module")
        return data

    return _cached_build("adapter", key, build)


def greeter_c_command() -> bytes:
    """``greeter/greeter.c`` (world ``greeter-c``): a wasi-libc command made a component with the
    preview1 command adapter.

    Imports ``test:greet/greeter@0.1.0`` and WASI 0.2.12 (through the adapter), exports
    ``wasi:cli/run@0.2.12``; ``main`` prints ``greet(argv[1] or "C")``.
    """
    source = (GREETER_DIR / "greeter.c").read_bytes()
    wit = (GREETER_DIR / "greeter.wit").read_bytes()
    adapter = preview1_adapter("command")
    key = _key(
        "greeter-c",
        source,
        wit,
        adapter,
        "\0".join(zig_flags(_ZIG_FLAGS, libc=True)),
        zig_version(),
        _wasm_tools_version(),
    )

    def build() -> bytes:
        with tempfile.TemporaryDirectory(prefix="wacpy-c-wasi-") as tmp:
            work = Path(tmp)
            core = work / "greeter.core.wasm"
            _zig(GREETER_DIR / "greeter.c", core, libc=True)
            adapter_path = work / "wasi_snapshot_preview1.command.wasm"
            adapter_path.write_bytes(adapter)
            embedded = _wasm_tools_run(
                "component",
                "embed",
                str(GREETER_DIR / "greeter.wit"),
                "--world",
                _GREETER_C_WORLD,
                str(core),
                what="wasm-tools component embed (greeter C)",
            )
            return _wasm_tools_run(
                "component",
                "new",
                "-",
                "--adapt",
                f"wasi_snapshot_preview1={adapter_path}",
                what="wasm-tools component new --adapt (greeter C)",
                stdin=embedded,
            )

    return _cached_build("greeter-c", key, build)


def greeter_python() -> bytes:
    """``greeter/greeter.py`` (world ``greeter-py``) built with componentize-py.

    Exports ``test:greet/greeter@0.1.0`` (``greet(name)`` is ``"Hello, {name}, from Python!"``);
    imports WASI 0.2.9, as componentize-py 0.25 does.
    """
    app = (GREETER_DIR / "greeter.py").read_bytes()
    wit = (GREETER_DIR / "greeter.wit").read_bytes()
    key = _key("greeter-py", app, wit, _componentize_py_version())
    return _cached_build(
        "greeter-py", key, lambda: _componentize_py("greeter", app, "greeter.wit", wit, _GREETER_PY_WORLD)
    )


# --------------------------------------------------------------------------------------------------


def main() -> None:
    """Build everything, then print counts, sizes and timings."""
    print(f"cache: {CACHE_DIR}")
    print(f"wasm-tools: {wasm_tools_path()} ({_wasm_tools_version()})")
    total = time.perf_counter()

    start = time.perf_counter()
    wat = wat_components()
    size = sum(len(binary) for binary, _ in wat.values())
    print(f"wat:       {len(wat):4d} components, {size:9d} bytes, {time.perf_counter() - start:6.2f} s")

    start = time.perf_counter()
    smith = wit_smith_build(60)
    size = sum(len(binary) for binary in smith.components.values())
    print(
        f"wit-smith: {len(smith.components):4d} components, {size:9d} bytes, "
        f"{time.perf_counter() - start:6.2f} s ({len(smith.skipped)} worlds skipped)"
    )

    start = time.perf_counter()
    c = c_component()
    print(f"c:            1 component,  {len(c):9d} bytes, {time.perf_counter() - start:6.2f} s")

    start = time.perf_counter()
    py = python_component()
    print(f"python:       1 component,  {len(py):9d} bytes, {time.perf_counter() - start:6.2f} s")

    start = time.perf_counter()
    greeter_c = greeter_c_command()
    print(f"greeter C:    1 component,  {len(greeter_c):9d} bytes, {time.perf_counter() - start:6.2f} s")

    start = time.perf_counter()
    greeter_py = greeter_python()
    print(f"greeter py:   1 component,  {len(greeter_py):9d} bytes, {time.perf_counter() - start:6.2f} s")

    print(f"total: {time.perf_counter() - total:.2f} s")


if __name__ == "__main__":
    main()
