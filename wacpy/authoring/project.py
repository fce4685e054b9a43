"""Component projects: ``wacpy.toml``, and new projects made from templates.

A project is a folder with ``wacpy.toml``, a WIT world in ``wit/`` and the sources::

    # wacpy.toml
    [component]
    name = "weather"          # kebab-case
    language = "python"       # or "c"
    world = "weather"         # a world of wit/*.wit (default: the name)
    output = "weather.wasm"   # default: NAME.wasm

    [python]
    app = "app:server"        # module:variable of the wacpy_sdk.Server (default)
    path = ["."]              # where its modules are (default)

    [c]
    sources = ["component.c"] # default: every *.c file in the project folder
    include = ["include"]     # default
    flags = []                # more compiler flags
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from importlib import resources as package_files
from pathlib import Path
from typing import Any, Literal

from attrs import frozen

from .._files import write_atomic
from .._toml import TomlText, load_toml
from ..errors import WacpyError

Language = Literal["python", "c"]
Template = Literal["tools", "resources", "prompts"]
LANGUAGES: tuple[Language, ...] = ("python", "c")
TEMPLATES: tuple[Template, ...] = ("tools", "resources", "prompts")
CONFIG = "wacpy.toml"
MCP_VERSION = "0.1.0"
# The capability interfaces each template's world exports.
TEMPLATE_EXPORTS: Mapping[tuple[Language, Template], tuple[str, ...]] = {
    ("python", "tools"): ("tools",),
    ("python", "resources"): ("resources",),
    ("python", "prompts"): ("prompts", "completions"),
    ("c", "tools"): ("tools",),
    ("c", "resources"): ("resources",),
    ("c", "prompts"): ("prompts",),
}
C_HEADERS = (
    "wacpy_cabi.h",
    "wacpy_alloc.h",
    "wacpy_json.h",
    "wacpy_json_read.h",
    "wacpy_mcp.h",
    "wacpy_provider.h",
)
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$")
#: The longest component name: it names a folder and files such as NAME.embedded.wasm.
MAX_NAME_LENGTH = 64
#: The keywords of WIT (the component model's WIT.md, and `error-context`, which wasm-tools 1.262
#: also reserves): a world or package named after one does not parse.
WIT_KEYWORDS = frozenset({
    "as", "async", "bool", "borrow", "char", "constructor", "enum", "error-context", "export",
    "f32", "f64", "flags", "from", "func", "future", "import", "include", "interface", "list",
    "map", "option", "own", "package", "record", "resource", "result", "s16", "s32", "s64", "s8",
    "static", "stream", "string", "tuple", "type", "u16", "u32", "u64", "u8", "use", "variant",
    "with", "world",
})  # fmt: skip
_CONFIG_KEYS: Mapping[str, tuple[str, ...]] = {
    "component": ("name", "language", "world", "output"),
    "python": ("app", "path"),
    "c": ("sources", "include", "flags"),
}
_MAIN_FILE = {"python": "app.py", "c": "component.c"}


class AuthoringError(WacpyError):
    """A project that cannot be created or built; the message says why and what to do."""


@frozen
class Project:
    """A component project as ``wacpy.toml`` describes it, with paths made absolute."""

    root: Path
    config: Path
    name: str
    language: Language
    world: str
    output: Path
    python_app: str
    python_path: tuple[Path, ...]
    c_sources: tuple[Path, ...]
    c_include: tuple[Path, ...]
    c_flags: tuple[str, ...]


def check_name(name: str) -> str:
    """``name`` if it can name a component and its WIT world and package (kebab-case: ``my-tools``;
    not a WIT keyword; at most :data:`MAX_NAME_LENGTH` characters)."""
    shown = name if len(name) <= MAX_NAME_LENGTH else f"{name[:20]}...{name[-8:]}"
    if len(name) > MAX_NAME_LENGTH:
        raise AuthoringError(
            f"`{shown}` cannot name a component: {len(name)} characters, at most {MAX_NAME_LENGTH}"
        )
    if not _NAME.match(name):
        raise AuthoringError(
            f"`{shown}` cannot name a component: use lowercase words of letters and digits joined by "
            "'-', each starting with a letter (e.g. `my-tools`)"
        )
    if name in WIT_KEYWORDS:
        raise AuthoringError(f"`{name}` cannot name a component: it is a WIT keyword (try `my-{name}`)")
    return name


def _strings(table: Mapping[str, Any], key: str, default: list[str], where: str) -> list[str]:
    value = table.get(key, default)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AuthoringError(f"{where}: `{key}` must be a list of strings")
    return value


def _config_path(path: str | Path) -> Path:
    config = Path(path)
    if not config.exists():
        raise AuthoringError(f"{path}: no such file or folder")
    if config.is_dir():
        config = config / CONFIG
        if not config.is_file():
            raise AuthoringError(f"no {CONFIG} in {path}: create a project with `wacpy new NAME`")
    return config


def _tables(doc: TomlText) -> dict[str, dict[str, Any]]:
    """The tables of ``wacpy.toml``, each checked for unknown keys."""
    doc.check_keys(doc.data, _CONFIG_KEYS, (), "", AuthoringError)
    tables = {}
    for name, keys in _CONFIG_KEYS.items():
        table = doc.data.get(name, {})
        if not isinstance(table, dict):
            raise AuthoringError(f"{doc.at((), name)}: `{name}` must be a table ([{name}])")
        doc.check_keys(table, keys, (name,), f"[{name}]", AuthoringError)
        tables[name] = table
    return tables


def load_project(path: str | Path = ".") -> Project:
    """The project in folder ``path`` (or whose ``wacpy.toml`` is ``path``)."""
    config = _config_path(path)
    doc = load_toml(config, AuthoringError)
    root = config.parent.resolve()
    if "component" not in doc.data:
        raise AuthoringError(f"{config}: missing the [component] table")
    tables = _tables(doc)
    component, python, c = tables["component"], tables["python"], tables["c"]
    try:
        name = check_name(str(component.get("name", "")))
    except AuthoringError as err:
        raise AuthoringError(f"{doc.at(('component',), 'name')}: {err}") from None
    language = component.get("language")
    if language not in LANGUAGES:
        where = doc.at(("component",), "language")
        raise AuthoringError(f"{where}: `language` must be one of {', '.join(LANGUAGES)}")
    app = str(python.get("app", "app:server"))
    if not re.match(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$", app):
        where = doc.at(("python",), "app")
        raise AuthoringError(f"{where}: [python] app must be `module:variable`, not `{app}`")
    sources = _strings(c, "sources", sorted(p.name for p in root.glob("*.c")), f"{config} [c]")
    return Project(
        root=root,
        config=config.resolve(),
        name=name,
        language=language,
        world=str(component.get("world", name)),
        output=root / str(component.get("output", f"{name}.wasm")),
        python_app=app,
        python_path=tuple(root / p for p in _strings(python, "path", ["."], f"{config} [python]")),
        c_sources=tuple(root / s for s in sources),
        c_include=tuple(root / i for i in _strings(c, "include", ["include"], f"{config} [c]")),
        c_flags=tuple(_strings(c, "flags", [], f"{config} [c]")),
    )


# --------------------------------------------------------------------------------------------------
# New projects


def _template(name: str) -> str:
    return package_files.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")


def _fill(text: str, values: Mapping[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text


def c_header(name: str) -> bytes:
    """One of the C headers a C project gets in ``include/``."""
    return package_files.files(__package__).joinpath("include", name).read_bytes()


def _config_text(name: str, language: Language) -> str:
    lines = [
        "# How `wacpy build` builds this component (see README.md).",
        "[component]",
        f'name = "{name}"          # the output is {name}.wasm',
        f'language = "{language}"',
        f'world = "{name}"         # in wit/world.wit',
        "",
    ]
    if language == "python":
        lines += ["[python]", 'app = "app:server"      # module:variable of the wacpy_sdk.Server', ""]
    else:
        lines += ["[c]", 'sources = ["component.c"]', 'include = ["include"]', ""]
    return "\n".join(lines)


def _readme(name: str, language: Language, template: Template, exports: tuple[str, ...]) -> str:
    if language == "python":
        notes = (
            "The build runs componentize-py (`pip install componentize-py`): about 15 s and an 18 MB\n"
            "component, which bundles the Python interpreter. Try the server without WebAssembly first:\n"
            "\n"
            "```python\n"
            "from app import server\n"
            + {
                "tools": 'print(server.call_tool("greet", {"name": "Ada"}))',
                "resources": 'print(server.read_resource("' + name + '://items/3"))',
                "prompts": 'print(server.get_prompt("review", {"code": "print(1)"}))',
            }[template]
            + "\n```"
        )
        files = "- `app.py`: the server: decorated functions (`wacpy_sdk`)."
    else:
        notes = (
            "The build compiles `component.c` freestanding with zig (`pip install ziglang`) and makes it a\n"
            "component with wasm-tools: well under a second, and a component of a few KB."
        )
        files = (
            "- `component.c`: the implementation.\n"
            "- `include/`: wacpy's headers: `wacpy_provider.h` (the exports, argument parsing, replies)\n"
            "  and the canonical-ABI layout of the `wacpy:mcp` types."
        )
    return _fill(
        _template("README.md.tmpl"),
        {
            "NAME": name,
            "TEMPLATE": template,
            "LANGUAGE_NAME": {"python": "Python", "c": "C"}[language],
            "BUILD_NOTES": notes,
            "EXPORTS": ", ".join(f"`wacpy:mcp/{e}`" for e in exports),
            "FILES": files,
        },
    )


def _new_project_folder(parent: Path, name: str) -> Path:
    """``parent/name``, checked to be free (absent or an empty folder) before anything is written."""
    if parent.exists() and not parent.is_dir():
        raise AuthoringError(f"{parent} is a file, not a folder to create the project in")
    root = parent / name
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        raise AuthoringError(f"{root} exists and is not a folder: choose another name or --dir")
    if root.is_dir() and any(root.iterdir()):
        raise AuthoringError(f"{root} exists and is not empty")
    return root


def _write_project(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write the files under ``root``; on any failure (Ctrl-C too) remove what was written."""
    existed = root.is_dir()
    try:
        for relative, content in files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, content if isinstance(content, bytes) else content.encode("utf-8"))
    except BaseException:
        if existed:  # it was empty: empty it again
            for child in root.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        else:
            shutil.rmtree(root, ignore_errors=True)
        raise


def new_project(
    name: str,
    *,
    language: Language = "python",
    template: Template = "tools",
    parent: str | Path = ".",
) -> Path:
    """Create the project ``parent/name`` from a template; returns its folder.

    It builds with ``wacpy build`` inside it, into ``name.wasm``.
    """
    check_name(name)
    if language not in LANGUAGES:
        raise AuthoringError(f"unknown language `{language}` (one of {', '.join(LANGUAGES)})")
    if template not in TEMPLATES:
        raise AuthoringError(f"unknown template `{template}` (one of {', '.join(TEMPLATES)})")
    root = _new_project_folder(Path(parent), name)
    exports = TEMPLATE_EXPORTS[language, template]
    extension = {"python": "py", "c": "c"}[language]
    files: dict[str, str | bytes] = {
        "wacpy.toml": _config_text(name, language),
        "README.md": _readme(name, language, template, exports),
        ".gitignore": _template("gitignore.tmpl"),
        "wit/world.wit": _fill(
            _template("world.wit.tmpl"),
            {
                "NAME": name,
                "EXPORT_LINES": "\n".join(f"  export wacpy:mcp/{e}@{MCP_VERSION};" for e in exports),
            },
        ),
        _MAIN_FILE[language]: _fill(_template(f"{language}/{template}.{extension}.tmpl"), {"NAME": name}),
    }
    if language == "c":
        files.update({f"include/{h}": c_header(h) for h in C_HEADERS})
    _write_project(root, files)
    return root
