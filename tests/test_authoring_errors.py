"""Projects that cannot be created or built: each gets one clear line naming the file, key or line.

The messages extracted from componentize-py's failures are checked against outputs it printed
(``tests/fixtures/componentize-py/``); ``-m slow`` also runs the builds that print them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from wacpy.authoring import AuthoringError, build_project, load_project, new_project
from wacpy.authoring.project import MAX_NAME_LENGTH, WIT_KEYWORDS, check_name
from wacpy.authoring.pyapp import check_app, componentize_py_message, entry_module_source

FIXTURES = Path(__file__).parent / "fixtures" / "componentize-py"


# --------------------------------------------------------------------------------------------------
# Names


@pytest.mark.parametrize("keyword", sorted(WIT_KEYWORDS))
def test_wit_keywords_cannot_name_a_component(keyword: str, tmp_path: Path) -> None:
    if keyword[0].isdigit() or not keyword.replace("-", "").isalnum():
        pytest.skip("not a kebab-case word")
    with pytest.raises(AuthoringError, match=f"`{keyword}` cannot name a component: it is a WIT keyword"):
        new_project(keyword, parent=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_keywords_are_what_wasm_tools_rejects(tmp_path: Path) -> None:
    """Every keyword fails to parse as a world name, and a few near misses parse."""
    from wacpy.tools import ExternalToolError, run_wasm_tools

    def parses(name: str) -> bool:
        path = tmp_path / f"{name}.wit"
        path.write_text(f"package local:x;\nworld {name} {{ }}\n")
        try:
            run_wasm_tools("component", "wit", str(path))
        except ExternalToolError:
            return False
        return True

    assert [k for k in sorted(WIT_KEYWORDS) if parses(k)] == []
    assert all(parses(n) for n in ("worlds", "my-world", "error", "context", "since"))


def test_names_are_checked_before_anything_is_written(tmp_path: Path) -> None:
    longest = "a" * MAX_NAME_LENGTH
    assert check_name(longest) == longest
    for name, message in [
        ("a" * 300, f"300 characters, at most {MAX_NAME_LENGTH}"),
        ("a" * (MAX_NAME_LENGTH + 1), f"{MAX_NAME_LENGTH + 1} characters"),
        ("my--tools", "use lowercase words"),
        ("-tools", "use lowercase words"),
        ("tools.wasm", "use lowercase words"),
        ("tøols", "use lowercase words"),
    ]:
        with pytest.raises(AuthoringError, match=message):
            new_project(name, parent=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_files_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file")
    with pytest.raises(AuthoringError, match="taken exists and is not a folder"):
        new_project("taken", parent=tmp_path)
    with pytest.raises(AuthoringError, match="is a file, not a folder to create the project in"):
        new_project("fresh", parent=tmp_path / "taken")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(AuthoringError, match="dangling exists and is not a folder"):
        new_project("dangling", parent=tmp_path)
    assert (tmp_path / "taken").read_text() == "a file"


def test_an_interrupted_new_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def write(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        Path(path).write_bytes(data)

    monkeypatch.setattr("wacpy.authoring.project.write_atomic", write)
    with pytest.raises(KeyboardInterrupt):
        new_project("half", parent=tmp_path)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "empty").mkdir()
    calls.clear()
    with pytest.raises(KeyboardInterrupt):
        new_project("empty", parent=tmp_path)
    assert list((tmp_path / "empty").iterdir()) == []


# --------------------------------------------------------------------------------------------------
# wacpy.toml


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("world = ", 'wrld = "x"\nworld = '),
            "wacpy.toml:5: [component]: unknown key `wrld` (expected name, language, world, output)",
        ),
        (
            ("[python]", "[python]\nmodule = 'app'"),
            "wacpy.toml:8: [python]: unknown key `module` (expected app, path)",
        ),
        (("[python]", "[pyhton]"), "wacpy.toml:7: unknown key `pyhton` (expected component, python, c)"),
        (("[python]", "extra = 1\n[python]"), "wacpy.toml:7: [component]: unknown key `extra`"),
        (
            ('name = "proj"', 'name = "world"'),
            "wacpy.toml:3: `world` cannot name a component: it is a WIT keyword",
        ),
        (('language = "python"', 'language = "rust"'), "wacpy.toml:4: `language` must be one of python, c"),
        (('app = "app:server"', 'app = "app"'), "wacpy.toml:8: [python] app must be `module:variable`"),
    ],
    ids=lambda v: v[1][:20] if isinstance(v, tuple) else v[:30],
)
def test_config_errors_name_the_key_and_line(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    root = new_project("proj", parent=tmp_path)
    config = root / "wacpy.toml"
    config.write_text(config.read_text().replace(*edit, 1))
    with pytest.raises(AuthoringError) as caught:
        load_project(root)
    assert str(caught.value).startswith(f"{config}:{message.removeprefix('wacpy.toml:')}")


def test_c_config_keys_are_checked_too(tmp_path: Path) -> None:
    root = new_project("cproj", language="c", parent=tmp_path)
    config = root / "wacpy.toml"
    text = config.read_text()
    config.write_text(text + 'cflags = ["-O3"]\n')
    with pytest.raises(
        AuthoringError,
        match=r"wacpy\.toml:10: \[c\]: unknown key `cflags` \(expected sources, include, flags\)",
    ):
        load_project(root)
    config.write_text("python = 3\n" + text)
    with pytest.raises(AuthoringError, match=r"wacpy\.toml:1: `python` must be a table \(\[python\]\)"):
        load_project(root)


def test_build_names_the_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nonexist" / "x"
    with pytest.raises(AuthoringError) as caught:
        build_project(missing)
    assert str(caught.value) == f"{missing}: no such file or folder"
    (tmp_path / "empty").mkdir()
    with pytest.raises(AuthoringError, match=r"no wacpy\.toml in .*empty: create a project"):
        build_project(tmp_path / "empty")


# --------------------------------------------------------------------------------------------------
# [python] app, checked on the host without running it


def python_project(tmp_path: Path, app_source: str, app: str = "app:server") -> Path:
    root = new_project("proj", parent=tmp_path)
    (root / "app.py").write_text(app_source)
    config = root / "wacpy.toml"
    config.write_text(config.read_text().replace('app = "app:server"', f'app = "{app}"'))
    return root


@pytest.mark.parametrize(
    ("source", "app", "message"),
    [
        (
            "x = 1\n",
            "nomod:server",
            "[python] app = `nomod:server` in wacpy.toml: no module `nomod` in the Python path (.)",
        ),
        ("x = 1\n", "pkg.app:server", "no module `pkg.app` in the Python path"),
        (
            "servr = 1\n",
            "app:server",
            "[python] app = `app:server` in wacpy.toml: app.py defines no `server` at its top level",
        ),
        ("def f():\n    server = 1\n", "app:server", "app.py defines no `server`"),
        ("def broken(:\n", "app:server", "app.py:1: SyntaxError: invalid syntax"),
        (
            "import os\nfrom wacpy.sdk import Server\nserver = Server('x')\n",
            "app:server",
            "app.py:2: the SDK is `wacpy_sdk` now: write `from wacpy_sdk import ...`",
        ),
        ("import wacpy.sdk\nserver = 1\n", "app:server", "app.py:1: the SDK is `wacpy_sdk` now"),
        (
            "def f():\n    from wacpy import sdk\nserver = 1\n",
            "app:server",
            "app.py:2: the SDK is `wacpy_sdk`",
        ),
    ],
)
def test_the_app_is_found_before_componentize_py_runs(
    tmp_path: Path, source: str, app: str, message: str
) -> None:
    root = python_project(tmp_path, source, app)
    with pytest.raises(AuthoringError) as caught:
        build_project(root)
    assert message in str(caught.value)
    assert not (root / "build" / "python").exists()  # componentize-py was not started


@pytest.mark.parametrize(
    "source",
    [
        "server = 42\n",  # the wrong type: only running it tells (see the entry module)
        "if True:\n    server = 1\n",
        "from wacpy_sdk import Server as server\n",
        "from os import *\n",
        "globals()['server'] = 1\n",
        "class server: ...\n",
    ],
)
def test_what_may_bind_the_app_passes_the_host_check(tmp_path: Path, source: str) -> None:
    check_app(load_project(python_project(tmp_path, source)))


def test_the_entry_module_refuses_an_app_that_is_not_a_server(tmp_path: Path) -> None:
    """The check that runs inside componentize-py's import of the app, run here on the host."""
    (tmp_path / "app.py").write_text("server = 42\n")
    (tmp_path / "entry.py").write_text(entry_module_source("app:server"))
    done = subprocess.run(
        [sys.executable, "entry.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == (
        "TypeError: [python] app = `app:server` is int, not a wacpy_sdk.Server"
    )


# --------------------------------------------------------------------------------------------------
# componentize-py's failures in one line

COMPONENTIZE_PY_FAILURES = [
    (
        "bytes-parameter",
        "app.py:28: TypeError: no JSON Schema for <class 'bytes'>: use str, int, float, bool, None, list, "
        "dict, Literal, Enum, a dataclass or a TypedDict",
    ),
    ("syntax-error", "SyntaxError: invalid syntax (app.py, line 26)"),
    ("missing-module", "ModuleNotFoundError: No module named 'nomod'"),
    ("not-a-server", "TypeError: [python] app = `app:server` is int, not a wacpy_sdk.Server"),
    ("unknown-world", 'Unable to resolve `Some("nope")`.'),
]


@pytest.mark.parametrize(("case", "message"), COMPONENTIZE_PY_FAILURES)
def test_componentize_py_failures_come_down_to_one_line(case: str, message: str) -> None:
    output = (FIXTURES / f"{case}.txt").read_text()
    assert len(output.splitlines()) > 10 or case != "bytes-parameter"
    roots = [Path("/staging"), Path("/project")]
    assert componentize_py_message(output, roots, Path("/project")) == message


@pytest.mark.slow
@pytest.mark.parametrize(
    ("addition", "message"),
    [
        (
            "\n\n@server.tool\ndef blob(data: bytes) -> str:\n    return 'x'\n",
            "componentize-py failed: app.py:28: TypeError: no JSON Schema for <class 'bytes'>",
        ),
        (
            "\nserver = 42\n",
            "componentize-py failed: TypeError: [python] app = `app:server` is int, not a wacpy_sdk.Server",
        ),
    ],
)
def test_python_build_errors_are_one_line(tmp_path: Path, addition: str, message: str) -> None:
    """Real builds (~15 s each): the one line, and componentize-py's whole output in ``details``."""
    root = new_project("proj", parent=tmp_path)
    (root / "app.py").write_text((root / "app.py").read_text() + addition)
    with pytest.raises(AuthoringError) as caught:
        build_project(root)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)
    assert caught.value.details is not None and "Caused by:" in caught.value.details
    assert not (root / "proj.wasm").exists()
