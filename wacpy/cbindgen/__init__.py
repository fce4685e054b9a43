"""C bindings for wacpy's WIT worlds, derived through wacpy's own type model.

``python -m testkit.cbindgen`` regenerates every checked-in header from ``wit/`` (and refreshes
the package's copies of the authors' WIT and of the runtime headers): the WIT folder, with the WASI packages beside it, is encoded as a WIT
package component by ``wasm-tools component wit --wasm``, decoded with :func:`wacpy.decode`, and
its worlds typed with :func:`wacpy.types.resolve.component_type`; :mod:`.layout` computes the
canonical-ABI layout and :mod:`.emit` writes the C. ``--check`` reports stale files instead of
writing them (a test runs it).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from attrs import frozen

from .. import decode
from ..tools import wasm_tools_path
from ..types.model import ComponentT, TypeDefT
from ..types.resolve import component_type
from .emit import WACPY_STRING, BindingsError, CString, generate_header

__all__ = [
    "CString",
    "OUTPUTS",
    "PACKAGE_COPIES",
    "BindingsError",
    "Output",
    "generate",
    "load_package",
    "render",
    "world",
]


def load_package(wit: Path, deps: Path | None = None) -> ComponentT:
    """The type of the WIT package in folder ``wit`` (with ``deps``, a folder of WIT packages, as
    its ``deps/``)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "wit"
        shutil.copytree(wit, folder, ignore=shutil.ignore_patterns("deps"))
        if deps is not None:
            shutil.copytree(deps, folder / "deps")
        out = Path(tmp) / "package.wasm"
        done = subprocess.run(
            [wasm_tools_path(), "component", "wit", "--wasm", str(folder), "-o", str(out)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BindingsError(f"{wit}: wasm-tools cannot read the WIT: {done.stderr.strip()}")
        return component_type(decode(out.read_bytes()))


def world(package: ComponentT, name: str) -> ComponentT:
    """World ``name`` of a WIT package's type: its imports and exports."""
    ext = package.exports.get(name)
    if not isinstance(ext, TypeDefT) or not isinstance(ext.type, ComponentT):
        raise BindingsError(f"the WIT package has no world {name!r}")
    (inner,) = ext.type.exports.values()
    assert isinstance(inner, ComponentT)
    return inner


@frozen
class Output:
    """A generated header: its path in the repository and the worlds it covers (merged)."""

    path: str
    worlds: tuple[str, ...]
    title: str
    string: CString = WACPY_STRING

    @property
    def guard(self) -> str:
        return Path(self.path).name.upper().replace(".", "_").replace("-", "_")


_FRAMEWORK = (
    "transport",
    "context-provider",
    "tools-middleware",
    "resources-middleware",
    "prompts-middleware",
    "completions-middleware",
    "method-not-found",
    "session-store-filesystem",
    "session-store-keyvalue",
    "session-store-keyvalue-draft",
    "session-store-none",
)
_PROVIDERS = ("tools-provider", "resources-provider", "prompts-provider", "completions-provider")

#: Every header the repository keeps generated.
OUTPUTS: tuple[Output, ...] = (
    *(
        Output(
            f"middleware-src/include/wacpy_world_{w.replace('-', '_')}.h",
            (w,),
            f"C bindings of world `{w}` (wit/framework.wit).",
            # The transport's strings are its own `str` (middleware-src/transport/mem.h).
            CString("str", "const char *") if w == "transport" else WACPY_STRING,
        )
        for w in _FRAMEWORK
    ),
    Output(
        "wacpy/authoring/include/wacpy_mcp.h",
        _PROVIDERS,
        "C bindings for MCP components: the `context` they import and the capability interfaces they\n"
        " * export (worlds tools-, resources-, prompts- and completions-provider of wit/mcp.wit).",
    ),
)

#: Files the wacpy package ships as copies (package data must be real files, not links): the
#: authors' WIT, kept equal to its source. (The C runtime has one home, the author SDK's folder
#: ``wacpy/authoring/include``, which the framework builds include too.)
PACKAGE_COPIES = (("wit/mcp.wit", "wacpy/wit/mcp.wit"),)


def render(package: ComponentT, output: Output) -> str:
    """The text of ``output``."""
    worlds = [world(package, name) for name in output.worlds]
    return generate_header(worlds, guard=output.guard, title=output.title, string=output.string)


def generate(
    root: Path, deps: Path, *, check: bool = False, outputs: Sequence[Output] = OUTPUTS
) -> list[str]:
    """Write (or with ``check``, compare) every output under ``root``; the stale paths."""
    package = load_package(root / "wit", deps)
    texts = {o.path: render(package, o) for o in outputs}
    texts.update({dst: (root / src).read_text(encoding="utf-8") for src, dst in PACKAGE_COPIES})
    stale = []
    for path, text in texts.items():
        target = root / path
        if target.is_symlink() or not target.exists() or target.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not check:
                target.unlink(missing_ok=True)
                target.write_text(text, encoding="utf-8")
    return stale
