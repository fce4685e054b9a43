"""A per-input time limit: ``SIGALRM`` interrupts pure-Python code between bytecodes."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["SlowInput", "time_limit"]


class SlowInput(BaseException):
    """Raised inside the code under test when an input exceeds its time limit.

    A ``BaseException`` so that no ``except Exception`` in the code under test swallows it.
    """


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise SlowInput


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`SlowInput` in the block once it has run ``seconds`` (main thread only).

    Off the main thread (where signals cannot be caught) the block is timed instead, and
    :class:`SlowInput` is raised after it if it overran.
    """
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        start = time.monotonic()
        yield
        if time.monotonic() - start > seconds:
            raise SlowInput
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
