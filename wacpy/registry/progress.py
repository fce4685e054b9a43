"""A progress bar on stderr for transfers over 1 MB, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

THRESHOLD = 1_000_000  # bytes: smaller transfers finish before a bar would mean anything

Advance = Callable[[int], None]


def _ignore(_: int) -> None:
    pass


def wants_bar(total: int, stream: TextIO) -> bool:
    """Whether a transfer of ``total`` bytes gets a bar on ``stream``."""
    return total > THRESHOLD and stream.isatty()


@contextmanager
def transfer(label: str, total: int, stream: TextIO | None = None) -> Iterator[Advance]:
    """Yields a function to call with each chunk's size; draws a bar if :func:`wants_bar`."""
    stream = stream or sys.stderr
    if not wants_bar(total, stream):
        yield _ignore
        return
    from rich.console import Console  # only when a bar is drawn: rich takes a while to import
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    console = Console(file=stream)
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)
