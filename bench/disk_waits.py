"""Time spent in calls that can wait on the disk, to tell the disk's stalls from our own."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any


class DiskWaits:
    """Time this thread spends in ``os.write``, ``os.fsync`` and ``os.fdatasync`` while
    installed (a background compaction's own calls run on its thread and are not counted). A
    write is a copy into the page cache unless the file system makes it wait (dirty-page
    throttling, a journal commit under way). An add's latency less this is what our code and
    the interpreter cost it, the disk's stalls left out. Not quite all: taking the interpreter
    lock back after the call is counted as the call's (the tmpfs row, where the calls return
    at once, shows what a compaction thread holding that lock costs an add)."""

    def __init__(self) -> None:
        self.thread, self.seconds = threading.get_ident(), 0.0
        self._real = {name: getattr(os, name) for name in ("write", "fsync", "fdatasync")}

    def _timed(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            started = time.perf_counter()
            try:
                return real(*args)
            finally:
                if threading.get_ident() == self.thread:
                    self.seconds += time.perf_counter() - started
        return call

    def __enter__(self) -> DiskWaits:
        for name, real in self._real.items():
            setattr(os, name, self._timed(real))
        return self

    def __exit__(self, *exc: object) -> None:
        for name, real in self._real.items():
            setattr(os, name, real)
