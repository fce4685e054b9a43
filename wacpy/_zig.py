"""Run ``zig cc`` (from the ``ziglang`` wheel) with wacpy's one set of flags for C components.

Every C build of the project goes through :func:`zig_cc`: the framework components, authors' C
projects and the test fixtures. Freestanding builds (no libc: the canonical ABI by hand, exports by
``export_name``) are the rule; ``libc=True`` builds a wasi-libc command instead.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

__all__ = [
    "FREESTANDING_FLAGS", "LIBC_FLAGS", "zig_available", "zig_cc", "zig_cc_argv", "zig_env", "zig_flags",
    "zig_version",
]  # fmt: skip

_COMMON_FLAGS = ("-O2", "-Wall", "-Wl,--strip-all")
#: Freestanding wasm32: no libc, hidden symbols (only ``export_name`` functions are exported), no
#: start function, a 64 KiB stack (zig's default 1 MiB makes initial memory 17 pages instead of 2).
FREESTANDING_FLAGS = (
    "--target=wasm32-freestanding", "-nostdlib", "-ffreestanding", "-fvisibility=hidden", *_COMMON_FLAGS,
    "-Wl,--no-entry", "-Wl,--export-dynamic", "-Wl,-z,stack-size=65536",
)  # fmt: skip
#: A wasi-libc command (``main``), to be wrapped with the preview1 adapter.
LIBC_FLAGS = ("--target=wasm32-wasi", *_COMMON_FLAGS)


def zig_available() -> bool:
    """Whether the ``ziglang`` wheel is installed."""
    return importlib.util.find_spec("ziglang") is not None


@cache
def zig_version() -> str:
    """The installed ``ziglang`` version (part of build cache keys)."""
    try:
        return importlib.metadata.version("ziglang")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def zig_flags(flags: Sequence[str] = (), *, libc: bool = False) -> tuple[str, ...]:
    """wacpy's flags for a build, then ``flags`` (``-Werror``, ``-DNAME``, an author's own)."""
    return (*(LIBC_FLAGS if libc else FREESTANDING_FLAGS), *flags)


def zig_cc_argv(
    sources: Iterable[Path | str],
    output: Path | str,
    *,
    include: Iterable[Path | str] = (),
    flags: Sequence[str] = (),
    libc: bool = False,
) -> list[str]:
    """The ``zig cc`` command line compiling ``sources`` to the core module ``output`` with
    :func:`zig_flags`."""
    return [
        sys.executable, "-m", "ziglang", "cc", *zig_flags(flags, libc=libc), *(f"-I{i}" for i in include),
        "-o", str(output), *map(str, sources),
    ]  # fmt: skip


def zig_env(cache_dir: Path) -> dict[str, str]:
    """The environment for zig with its caches (including the wasi-libc it builds once) in ``cache_dir``."""
    env = {**os.environ, "ZIG_GLOBAL_CACHE_DIR": str(cache_dir), "ZIG_LOCAL_CACHE_DIR": str(cache_dir)}
    env.pop("VIRTUAL_ENV", None)
    return env


def zig_cc(
    sources: Iterable[Path | str],
    output: Path | str,
    *,
    cache_dir: Path,
    include: Iterable[Path | str] = (),
    flags: Sequence[str] = (),
    libc: bool = False,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run :func:`zig_cc_argv` with zig's caches in ``cache_dir``; the caller judges the result
    (``returncode``, ``stderr``)."""
    argv = zig_cc_argv(sources, output, include=include, flags=flags, libc=libc)
    return subprocess.run(argv, capture_output=True, text=True, env=zig_env(cache_dir), cwd=cwd)
