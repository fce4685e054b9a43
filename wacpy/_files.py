"""The files a command reads and writes: inputs (``.wasm``, or ``.wat`` parsed by wasm-tools), and
outputs written whole or not at all, never over one of the command's inputs.

Every file wacpy writes for the user (composed components, built components, new projects) goes
through :func:`write_atomic`: the bytes go to a temporary file beside the target, are flushed to
disk, and the temporary file is renamed over the target. A full disk, a crash or Ctrl-C leaves
the previous file as it was and no temporary file behind. :func:`refuse_overwriting_inputs` is
called before any work, so ``-o`` naming an input fails at once instead of destroying it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path

from .errors import OutputError, WacpyError
from .tools import ExternalToolError, run_wasm_tools

__all__ = ["read_component", "refuse_overwriting_inputs", "write_atomic", "write_atomic_with"]

_TEMP_ATTEMPTS = 100


def _reason(err: OSError) -> str:
    return err.strerror or str(err)


def read_component(path: str | Path) -> bytes:
    """The binary of the component file ``path``: its bytes, or for ``.wat`` text what
    ``wasm-tools parse`` makes of it; :class:`WacpyError` naming the file when that fails."""
    path = Path(path)
    try:
        if path.suffix == ".wat":
            if not path.is_file():
                raise FileNotFoundError(2, "No such file or directory")
            return run_wasm_tools("parse", str(path))
        return path.read_bytes()
    except OSError as err:
        raise WacpyError(f"cannot read {path}: {_reason(err)}") from err
    except ExternalToolError as err:
        raise WacpyError(f"{path}: {err}") from err


def _open_temporary(target: Path) -> tuple[int, Path]:
    """A new file beside ``target``, opened for writing, with the mode a new file gets (the umask
    applies) or the mode of the file it will replace."""
    for _ in range(_TEMP_ATTEMPTS):
        temp = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        with suppress(OSError):
            os.chmod(temp, stat.S_IMODE(target.stat().st_mode))
        return fd, temp
    raise FileExistsError(f"no free temporary name beside {target}")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (best effort: some file systems cannot open folders)."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed over it.

    On any failure (:class:`OutputError` for ``OSError``; ``KeyboardInterrupt`` passes through)
    the temporary file is removed and a file already at ``path`` is left unchanged.
    """

    def write(fd: int, _: Path) -> None:
        _write_all(fd, data)

    write_atomic_with(path, write)


def write_atomic_with(path: str | Path, produce: Callable[[int, Path], None]) -> None:
    """Like :func:`write_atomic`, for output another program writes: ``produce(fd, temp)`` fills
    the temporary file (through the open descriptor, or by path, as ``wasmtime compile -o temp``
    does); errors it raises leave ``path`` as it was."""
    target = Path(path)
    try:
        fd, temp = _open_temporary(target)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {_reason(err)}") from err
    try:
        try:
            produce(fd, temp)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException as err:
        with suppress(OSError):
            os.unlink(temp)
        if isinstance(err, OSError):
            raise OutputError(f"cannot write {path}: {_reason(err)}") from err
        raise
    _sync_folder(target.parent)


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except (OSError, RuntimeError):  # unreadable, or a symlink loop: cannot be an input we read
        return False


def refuse_overwriting_inputs(output: str | Path, inputs: Iterable[str | Path]) -> None:
    """:class:`OutputError` if ``output`` is one of ``inputs`` (the same path, a link to it, or a
    hard link) or a folder; call it before doing any work."""
    target = Path(output)
    if target.is_dir():
        raise OutputError(f"output {output} is a folder: name a file")
    for item in inputs:
        if _same_file(target, Path(item)):
            raise OutputError(
                f"output {output} is an input of this command ({item}): choose another output path"
            )
