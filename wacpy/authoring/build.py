"""Build a component project: Python with componentize-py, C with zig and wasm-tools.

Both start from the same WIT folder, ``build/wit``: the project's ``wit/`` with the ``wacpy:mcp``
package (:func:`~wacpy.authoring.wit.provider_wit`) added under ``deps/``. A Python build also
stages ``build/python``: the guest SDK ``wacpy_sdk`` (copied from this installation: a top-level
package that imports nothing of wacpy, whose dependencies a component cannot load) and the entry
module componentize-py starts from, which binds the project's ``Server`` to the world's exports.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from importlib import resources as package_files
from pathlib import Path

from attrs import frozen

from .._files import refuse_overwriting_inputs, write_atomic
from .._zig import zig_available, zig_cc_argv, zig_env
from ..inspection import summarize
from ..mcp.items import KINDS, probe_items, with_items
from ..tools import ExternalToolError, validate, wasm_tools_path
from .project import C_HEADERS, AuthoringError, Project, load_project
from .pyapp import ENTRY_MODULE, check_app, componentize_py_message, entry_module_source
from .wit import provider_wit

__all__ = ["ENTRY_MODULE", "BuildResult", "build_project", "project_inputs", "stage_wit"]

MCP_DEP = "wacpy-mcp"


@frozen
class BuildResult:
    """A built component: where it is, its size, how long the build took and what it exports."""

    output: Path
    size: int
    seconds: float
    exports: tuple[str, ...]
    #: Items the server would leave out of its lists (an inputSchema that is not a JSON object, a
    #: name listed twice), found by asking the built component (C builds).
    warnings: tuple[str, ...] = ()


_ERROR_LINE = re.compile(r"(^|: )(fatal )?error: ")


def first_error_line(output: str) -> str:
    """The first ``error:`` line of a tool's output (``file:line:col: error: ...`` from a compiler,
    ``error: ...`` from wasm-tools; else its first line), and how many more errors follow.

    >>> first_error_line("a.c:1:2: error: bad\\n  1 | x\\na.c:3:1: error: worse\\n2 errors generated.")
    'a.c:1:2: error: bad (and 1 more error)'
    """
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if _ERROR_LINE.search(line)]
    if not errors:
        return lines[0] if lines else "no output"
    more = len(errors) - 1
    return errors[0] + (f" (and {more} more error{'s' * (more != 1)})" if more else "")


def _run(
    command: list[str], what: str, explain: Callable[[str], str] = first_error_line, **kwargs: object
) -> None:
    """Run a build tool; its failure is an :class:`AuthoringError` whose message is ``explain`` of
    the output and whose ``details`` are the whole output (``wacpy --verbose`` shows them)."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, **kwargs)  # type: ignore[call-overload]
    except FileNotFoundError as err:
        raise AuthoringError(f"{what}: cannot run {command[0]}") from err
    except subprocess.TimeoutExpired as err:
        raise AuthoringError(f"{what} timed out") from err
    if done.returncode != 0:
        output = (done.stderr + done.stdout).strip()
        error = AuthoringError(f"{what} failed: {explain(output)}")
        error.details = output
        raise error


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
    sdk = into / "wacpy_sdk"
    sdk.mkdir(parents=True)
    for item in package_files.files("wacpy_sdk").iterdir():
        if item.name.endswith(".py"):
            (sdk / item.name).write_bytes(item.read_bytes())
    (into / f"{ENTRY_MODULE}.py").write_text(entry_module_source(project.python_app))


def _build_python(project: Project, wit: Path, build: Path, output: Path) -> None:
    check_app(project)
    staged = build / "python"
    _stage_python(project, staged)
    paths = [arg for p in project.python_path for arg in ("-p", str(p))]
    command = [
        _componentize_py(), "-q", "-d", str(wit), "-w", project.world,
        "componentize", "-p", str(staged), *paths, ENTRY_MODULE, "-o", str(output),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "RUST_BACKTRACE": "0"}
    roots = [staged, *project.python_path]

    def explain(text: str) -> str:
        return componentize_py_message(text, roots, project.root)

    _run(command, "componentize-py", explain, cwd=project.root, env=env)


def _build_c(project: Project, wit: Path, build: Path, output: Path) -> None:
    if not project.c_sources:
        raise AuthoringError(f"{project.root}: no C sources (add *.c files or [c] sources in wacpy.toml)")
    missing = [str(s) for s in project.c_sources if not s.is_file()]
    if missing:
        raise AuthoringError(f"C source not found: {', '.join(missing)}")
    if not zig_available():
        raise AuthoringError("zig not found: `pip install ziglang` to build C components")
    # The project's headers first; wacpy's copies are a fallback for projects without include/.
    with package_files.as_file(package_files.files(__package__).joinpath("include", C_HEADERS[0])) as header:
        includes = [*(i for i in project.c_include if i.is_dir()), header.parent]
        core = build / f"{project.name}.core.wasm"
        command = zig_cc_argv(project.c_sources, core, include=includes, flags=project.c_flags)
        here = f"{project.root}{os.sep}"  # name the sources as the author does
        _run(
            command,
            "zig cc",
            lambda text: first_error_line(text.replace(here, "")),
            cwd=project.root,
            env=zig_env(build / "zig-cache"),
        )
    embedded = build / f"{project.name}.embedded.wasm"
    tool = wasm_tools_path()
    embed = [tool, "component", "embed", str(wit), "--world", project.world, str(core), "-o", str(embedded)]
    _run(embed, "wasm-tools component embed")
    _run([tool, "component", "new", str(embedded), "-o", str(output)], "wasm-tools component new")


_SKIPPED_FOLDERS = {"build", "__pycache__", "node_modules", "site-packages"}


def _python_sources(folder: Path) -> Iterator[Path]:
    """The ``*.py`` files under ``folder``, leaving out hidden folders, ``build/`` and virtual
    environments (a build reads none of them)."""
    for current, folders, files in os.walk(folder):
        folders[:] = [
            f
            for f in folders
            if not f.startswith(".")
            and f not in _SKIPPED_FOLDERS
            and not (Path(current) / f / "pyvenv.cfg").exists()
        ]
        yield from (Path(current) / f for f in files if f.endswith(".py"))


def project_inputs(project: Project) -> list[Path]:
    """The files a build reads: ``wacpy.toml``, the WIT files, and the C sources and headers or the
    Python modules."""
    inputs = [project.config, *(p for p in (project.root / "wit").rglob("*") if p.is_file())]
    if project.language == "c":
        inputs += project.c_sources
        inputs += [h for folder in project.c_include if folder.is_dir() for h in folder.glob("*.h")]
    else:
        inputs += [p for folder in project.python_path if folder.is_dir() for p in _python_sources(folder)]
    return inputs


def _checked(data: bytes, project: Project, target: Path) -> tuple[str, ...]:
    """The exports of the built component, after checking it is valid and exports a capability."""
    try:
        validate(data)
    except ExternalToolError as err:
        raise AuthoringError(f"the build of {target.name} is not a valid component: {err}") from err
    exports = tuple(item.name for item in summarize(data).exports)
    if not any(e.startswith("wacpy:mcp/") for e in exports):
        raise AuthoringError(
            f"{target.name} would export no wacpy:mcp capability: export tools, resources, prompts "
            f"or completions in world `{project.world}`"
        )
    return exports


def build_project(path: str | Path = ".", *, output: str | Path | None = None) -> BuildResult:
    """Build the project in ``path`` into its ``NAME.wasm`` (or ``output``); intermediate files go
    to ``build/`` in the project. The result is validated and must export an MCP capability; it is
    written whole (:func:`~wacpy._files.write_atomic`) and never over one of the build's inputs."""
    started = time.perf_counter()
    project = load_project(path)
    target = Path(output).resolve() if output is not None else project.output
    refuse_overwriting_inputs(target, project_inputs(project))
    build = project.root / "build"
    build.mkdir(exist_ok=True)
    wit = stage_wit(project, build / "wit")
    built = build / f"{project.name}.wasm"
    built.unlink(missing_ok=True)
    if project.language == "python":
        _build_python(project, wit, build, built)
    else:
        _build_c(project, wit, build, built)
    data = built.read_bytes()
    exports = _checked(data, project, target)
    said: tuple[str, ...] = ()
    if project.language == "c":
        data, said = _record_items(data)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)
    return BuildResult(target, len(data), time.perf_counter() - started, exports, said)


def _record_items(data: bytes) -> tuple[bytes, tuple[str, ...]]:
    """``data`` with a ``wacpy-items`` section (so ``compose server`` need not ask it again), and a
    warning for each item a server would leave out. Asking costs a fraction of a second for C; a
    Python component is asked when it is first composed (compiling it takes seconds)."""
    items = probe_items(data)
    said = tuple(
        f"{KINDS[kind]} `{item.key}` will be left out of lists: {item.problem}"
        for kind, entries in items.by_kind()
        for item in entries
        if item.problem is not None
    )
    return with_items(data, items), said
