"""The Python app a build packages (``[python] app = "module:variable"``): checked on the host
before componentize-py starts, bound to the exports by the entry module, and componentize-py's
failures told in one line.

User code runs once per build, inside componentize-py (it imports the app to snapshot it). So the
host checks only what it can see without running it: the module file exists, parses, and binds the
variable at its top level. That the variable is a ``wacpy_sdk.Server`` can only be seen by running
the module; the entry module checks it there, and the error comes back through componentize-py.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
from collections.abc import Sequence
from pathlib import Path

from .project import AuthoringError, Project

__all__ = ["ENTRY_MODULE", "check_app", "componentize_py_message", "entry_module_source"]

ENTRY_MODULE = "wacpy_component_entry"


def _module_file(module: str, paths: Sequence[Path]) -> Path | None:
    relative = Path(*module.split("."))
    for base in paths:
        for candidate in (base / relative.with_suffix(".py"), base / relative / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


_DYNAMIC = re.compile(r"\b(globals|exec|setattr|vars|__dict__|__getattr__)\b")


_OTHER_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _bound_names(node: ast.AST, names: set[str]) -> bool:
    """Add the names ``node`` binds in the module's scope (function and class bodies and lambdas
    are other scopes) to ``names``; ``False`` if it has a star import."""
    if isinstance(node, _OTHER_SCOPES):
        if not isinstance(node, ast.Lambda):
            names.add(node.name)
        return True
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
        names.add(node.id)
    if isinstance(node, ast.Import | ast.ImportFrom):
        for alias in node.names:
            if alias.name == "*":
                return False
            names.add(alias.asname or alias.name.split(".")[0])
    return all(_bound_names(child, names) for child in ast.iter_child_nodes(node))


def _binds(source: str, tree: ast.Module, variable: str) -> bool:
    """Whether the module may bind ``variable``: it does so at its top level, or it could in ways
    a reading cannot follow (``import *``, ``globals()``, ``exec``, ...)."""
    names: set[str] = set()
    if not _bound_names(tree, names):
        return True
    return variable in names or _DYNAMIC.search(source) is not None


def _old_sdk_import(tree: ast.Module) -> int | None:
    """The line of the first import of ``wacpy.sdk`` (the guest SDK's old name), if any."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[:2] == ["wacpy", "sdk"] for a in node.names
        ):
            return node.lineno
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module is not None:
            parts = node.module.split(".")
            if parts[:2] == ["wacpy", "sdk"] or (
                parts == ["wacpy"] and any(a.name == "sdk" for a in node.names)
            ):
                return node.lineno
    return None


def check_app(project: Project) -> None:
    """:class:`AuthoringError` if ``[python] app`` names a module that is not in the project's
    Python path, does not parse, binds no such variable at its top level, or imports the guest
    SDK by its old name ``wacpy.sdk`` (wacpy is not in the component: the SDK is ``wacpy_sdk``)."""
    module, variable = project.python_app.split(":")
    setting = f"[python] app = `{project.python_app}` in {project.config.name}"
    path = _module_file(module, project.python_path)
    if path is None:
        if importlib.util.find_spec(module.split(".")[0]) is not None:
            return  # an installed package: componentize-py may find it where we do not look
        where = ", ".join(os.path.relpath(p, project.root) for p in project.python_path)
        raise AuthoringError(f"{setting}: no module `{module}` in the Python path ({where})")
    shown = os.path.relpath(path, project.root)
    try:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=shown)
    except SyntaxError as err:
        raise AuthoringError(f"{shown}:{err.lineno}: SyntaxError: {err.msg}") from None
    except (OSError, ValueError) as err:
        raise AuthoringError(f"{shown}: cannot read it: {err}") from None
    if not _binds(source, tree, variable):
        raise AuthoringError(f"{setting}: {shown} defines no `{variable}` at its top level")
    line = _old_sdk_import(tree)
    if line is not None:
        raise AuthoringError(f"{shown}:{line}: the SDK is `wacpy_sdk` now: write `from wacpy_sdk import ...`")


def entry_module_source(app: str) -> str:
    """The module componentize-py starts from: it imports the app, checks that it is a
    ``wacpy_sdk.Server`` and binds it to the world's exports."""
    module, variable = app.split(":")
    return (
        f'"""Written by `wacpy build`: the exports of this component, from `{app}`."""\n\n'
        f"from {module} import {variable} as _server\n"
        "from wacpy_sdk import Server as _Server\n"
        "from wacpy_sdk._guest import exports as _exports\n\n"
        "if not isinstance(_server, _Server):\n"
        f'    raise TypeError(f"[python] app = `{app}` is {{type(_server).__name__}}, '
        'not a wacpy_sdk.Server")\n\n'
        "Tools, Resources, Prompts, Completions = _exports(_server)\n"
    )


# --------------------------------------------------------------------------------------------------
# componentize-py's failures

_FRAME = re.compile(r'^\s*File "/(\d+)/([^"]+)", line (\d+)')
_EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*(Error|Exception|Warning|Exit|Interrupt)): (.*)$")


def _cause(lines: list[str]) -> str | None:
    """The first line of componentize-py's ``Caused by:`` section."""
    for i, line in enumerate(lines):
        if line.strip() == "Caused by:":
            following = [item.strip() for item in lines[i + 1 :] if item.strip()]
            if following:
                return re.sub(r"^\d+: ", "", following[0])
    return None


def _user_frame(lines: list[str], roots: Sequence[Path], project_root: Path) -> str | None:
    """``FILE:LINE`` of the last frame of the guest's traceback in the project's own code.

    componentize-py mounts its ``-p`` folders as ``/0``, ``/1``, ...: ``roots`` in that order;
    the first is wacpy's staging folder, which holds no user code.
    """
    found = None
    for line in lines:
        frame = _FRAME.match(line)
        if frame is None:
            continue
        index = int(frame.group(1))
        if 0 < index < len(roots):
            path = roots[index] / frame.group(2)
            found = f"{os.path.relpath(path, project_root)}:{frame.group(3)}"
    return found


def componentize_py_message(output: str, roots: Sequence[Path], project_root: Path) -> str:
    """The one line that says why componentize-py failed, from its whole output (a host traceback
    wrapping the guest's traceback or a resolver message, then ``Caused by:``).

    >>> componentize_py_message('AssertionError: Unable to resolve world `w`.\\nmore', [], Path("."))
    'Unable to resolve world `w`.'
    """
    lines = output.splitlines()
    cause = _cause(lines)
    guest_traceback = any(line.startswith("AssertionError: Traceback") for line in lines)
    if guest_traceback and cause is not None:
        frame = _user_frame(lines, roots, project_root)
        return f"{frame}: {cause}" if frame and ", line " not in cause else cause
    for line in lines:
        if line.startswith("AssertionError: "):
            return line.removeprefix("AssertionError: ").strip()
    if cause is not None:
        return cause
    exceptions = [line.strip() for line in lines if _EXCEPTION.match(line.strip())]
    if exceptions:
        return exceptions[-1]
    meaningful = [line.strip() for line in lines if line.strip()]
    return meaningful[-1] if meaningful else "no output"
