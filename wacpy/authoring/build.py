"""Build a component project: Python with componentize-py, C with zig and wasm-tools.

Both start from the same WIT folder, ``build/wit``: the project's ``wit/`` with the ``wacpy:mcp``
package (:func:`~wacpy.authoring.wit.provider_wit`) added under ``deps/``. A Python build also
stages ``build/python``: ``wacpy.sdk`` (copied from this installation, without the rest of wacpy,
whose dependencies a component cannot import) and the entry module componentize-py starts from,
which binds the project's ``Server`` to the world's exports.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from importlib import resources as package_files
from pathlib import Path

from attrs import frozen

from ..inspect import summarize
from ..tools import ToolError, validate, wasm_tools_path
from .project import C_HEADERS, AuthoringError, Project, load_project
from .wit import provider_wit

__all__ = ["ENTRY_MODULE", "ZIG_FLAGS", "BuildResult", "build_project", "stage_wit"]

ENTRY_MODULE = "wacpy_component_entry"
ZIG_FLAGS = (
    "--target=wasm32-freestanding", "-O2", "-nostdlib", "-ffreestanding", "-fvisibility=hidden",
    "-Wall", "-Wl,--no-entry", "-Wl,--export-dynamic", "-Wl,--strip-all", "-Wl,-z,stack-size=65536",
)  # fmt: skip
MCP_DEP = "wacpy-mcp"


@frozen
class BuildResult:
    """A built component: where it is, its size, how long the build took and what it exports."""

    output: Path
    size: int
    seconds: float
    exports: tuple[str, ...]


def _run(command: list[str], what: str, **kwargs: object) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, **kwargs)  # type: ignore[call-overload]
    except FileNotFoundError as err:
        raise AuthoringError(f"{what}: cannot run {command[0]}") from err
    except subprocess.TimeoutExpired as err:
        raise AuthoringError(f"{what} timed out") from err
    if done.returncode != 0:
        output = (done.stderr + done.stdout).strip()
        raise AuthoringError(f"{what} failed:\n{output}")


def _componentize_py() -> str:
    here = Path(sys.executable).parent / "componentize-py"
    found = str(here) if here.exists() else shutil.which("componentize-py")
    if found is None:
        raise AuthoringError(
            "componentize-py not found: `pip install componentize-py` to build Python components"
        )
    return found


def stage_wit(project: Project, into: Path) -> Path:
    """``into``: the project's WIT files, and the ``wacpy:mcp`` package in ``deps/``."""
    source = project.root / "wit"
    if not source.is_dir():
        raise AuthoringError(f"{project.root}: no wit/ folder with the component's world")
    shutil.rmtree(into, ignore_errors=True)
    shutil.copytree(source, into)
    mcp = into / "deps" / MCP_DEP
    shutil.rmtree(mcp, ignore_errors=True)
    mcp.mkdir(parents=True)
    (mcp / "mcp.wit").write_text(provider_wit(), encoding="utf-8")
    return into


def _stage_python(project: Project, into: Path) -> None:
    shutil.rmtree(into, ignore_errors=True)
    sdk = into / "wacpy" / "sdk"
    sdk.mkdir(parents=True)
    (into / "wacpy" / "__init__.py").write_text('"""wacpy\'s SDK only, as staged by `wacpy build`."""\n')
    for item in package_files.files("wacpy.sdk").iterdir():
        if item.name.endswith(".py"):
            (sdk / item.name).write_bytes(item.read_bytes())
    module, variable = project.python_app.split(":")
    (into / f"{ENTRY_MODULE}.py").write_text(
        f'"""Written by `wacpy build`: the exports of this component, from `{project.python_app}`."""\n\n'
        f"from {module} import {variable} as _server\n"
        "from wacpy.sdk._guest import exports as _exports\n\n"
        "Tools, Resources, Prompts, Completions = _exports(_server)\n"
    )


def _build_python(project: Project, wit: Path, build: Path, output: Path) -> None:
    staged = build / "python"
    _stage_python(project, staged)
    paths = [arg for p in project.python_path for arg in ("-p", str(p))]
    command = [
        _componentize_py(), "-q", "-d", str(wit), "-w", project.world,
        "componentize", "-p", str(staged), *paths, ENTRY_MODULE, "-o", str(output),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    _run(command, "componentize-py", cwd=project.root, env=env)


def _build_c(project: Project, wit: Path, build: Path, output: Path) -> None:
    if not project.c_sources:
        raise AuthoringError(f"{project.root}: no C sources (add *.c files or [c] sources in wacpy.toml)")
    missing = [str(s) for s in project.c_sources if not s.is_file()]
    if missing:
        raise AuthoringError(f"C source not found: {', '.join(missing)}")
    if importlib.util.find_spec("ziglang") is None:
        raise AuthoringError("zig not found: `pip install ziglang` to build C components")
    zig_cache = build / "zig-cache"
    env = {**os.environ, "ZIG_GLOBAL_CACHE_DIR": str(zig_cache), "ZIG_LOCAL_CACHE_DIR": str(zig_cache)}
    # The project's headers first; wacpy's copies are a fallback for projects without include/.
    with package_files.as_file(package_files.files(__package__).joinpath("include", C_HEADERS[0])) as header:
        includes = [*(i for i in project.c_include if i.is_dir()), header.parent]
        core = build / f"{project.name}.core.wasm"
        command = [sys.executable, "-m", "ziglang", "cc", *ZIG_FLAGS, *project.c_flags]
        command += [f"-I{i}" for i in includes]
        command += ["-o", str(core), *map(str, project.c_sources)]
        _run(command, "zig cc", cwd=project.root, env=env)
    embedded = build / f"{project.name}.embedded.wasm"
    tool = wasm_tools_path()
    embed = [tool, "component", "embed", str(wit), "--world", project.world, str(core), "-o", str(embedded)]
    _run(embed, "wasm-tools component embed")
    _run([tool, "component", "new", str(embedded), "-o", str(output)], "wasm-tools component new")


def build_project(path: str | Path = ".", *, output: str | Path | None = None) -> BuildResult:
    """Build the project in ``path`` into its ``NAME.wasm`` (or ``output``); intermediate files go
    to ``build/`` in the project. The result is validated and must export an MCP capability."""
    started = time.perf_counter()
    project = load_project(path)
    target = Path(output).resolve() if output is not None else project.output
    build = project.root / "build"
    build.mkdir(exist_ok=True)
    wit = stage_wit(project, build / "wit")
    target.parent.mkdir(parents=True, exist_ok=True)
    if project.language == "python":
        _build_python(project, wit, build, target)
    else:
        _build_c(project, wit, build, target)
    data = target.read_bytes()
    try:
        validate(data)
    except ToolError as err:
        raise AuthoringError(f"{target} is not a valid component: {err}") from err
    exports = tuple(item.name for item in summarize(data).exports)
    if not any(e.startswith("wacpy:mcp/") for e in exports):
        raise AuthoringError(
            f"{target} exports no wacpy:mcp capability: export tools, resources, prompts or "
            f"completions in world `{project.world}`"
        )
    return BuildResult(target, len(data), time.perf_counter() - started, exports)
