"""Output files: written whole or not at all (full disk, Ctrl-C), and never over an input."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from wacpy._files import read_component, refuse_overwriting_inputs, write_atomic
from wacpy.errors import OutputError, WacpyError


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def failing_write(error: BaseException) -> Callable[[int, memoryview], int]:
    """An ``os.write`` that writes a few bytes, then fails as a full disk or a Ctrl-C would."""
    real = os.write
    calls = []

    def write(fd: int, data: memoryview) -> int:
        calls.append(fd)
        if len(calls) == 1:
            return real(fd, data[:3])
        raise error

    return write


def test_write_atomic_writes_the_file_and_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "out.wasm"
    write_atomic(target, b"\0asm" * 1000)
    assert target.read_bytes() == b"\0asm" * 1000
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "error", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()], ids=["enospc", "sigint"]
)
def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    target = tmp_path / "out.wasm"
    target.write_bytes(b"previous good file")
    monkeypatch.setattr(os, "write", failing_write(error))
    expected = OutputError if isinstance(error, OSError) else KeyboardInterrupt
    with pytest.raises(expected) as caught:
        write_atomic(target, b"x" * 100)
    monkeypatch.undo()
    assert target.read_bytes() == b"previous good file"
    assert leftovers(tmp_path) == []
    if isinstance(error, OSError):
        assert str(caught.value) == f"cannot write {target}: No space left on device"


def test_a_failed_write_of_a_new_file_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "write", failing_write(OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "new.wasm", b"x" * 100)
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "tool.sh"
    target.write_bytes(b"old")
    target.chmod(0o751)
    write_atomic(target, b"new")
    assert target.stat().st_mode & 0o777 == 0o751


def test_write_atomic_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"cannot write .*/nope/out.wasm: No such file or directory"):
        write_atomic(tmp_path / "nope" / "out.wasm", b"x")


def test_outputs_naming_an_input_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "a.wasm"
    source.write_bytes(b"a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.wasm").symlink_to(source)
    os.link(source, tmp_path / "hard.wasm")
    for output in (
        source,
        tmp_path / "sub" / ".." / "a.wasm",
        tmp_path / "link.wasm",
        tmp_path / "hard.wasm",
    ):
        with pytest.raises(OutputError, match="is an input of this command"):
            refuse_overwriting_inputs(output, [tmp_path / "b.wasm", source])
    with pytest.raises(OutputError, match="is a folder"):
        refuse_overwriting_inputs(tmp_path / "sub", [source])
    refuse_overwriting_inputs(tmp_path / "out.wasm", [source, tmp_path / "missing.wasm"])  # no error


def test_read_component_parses_wat_and_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "c.wat").write_text("(component)")
    assert read_component(tmp_path / "c.wat") == bytes.fromhex("0061736d0d000100")
    (tmp_path / "bad.wat").write_text("(component (oops))")
    with pytest.raises(WacpyError, match=r"bad\.wat: wasm-tools parse failed"):
        read_component(tmp_path / "bad.wat")
    with pytest.raises(WacpyError, match=r"cannot read .*missing\.wat: No such file"):
        read_component(tmp_path / "missing.wat")
