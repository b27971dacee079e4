"""Time spent waiting on the disk's flushes, to tell the disk's stalls from our own."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable


class DiskWaits:
    """Time this thread spends in ``os.fsync``/``os.fdatasync`` while installed (a background
    compaction's own flushes run on its thread and are not counted): an add's latency less
    this is what our code and the interpreter cost it, the disk's stalls left out."""

    def __init__(self) -> None:
        self.thread, self.seconds = threading.get_ident(), 0.0
        self._real = {name: getattr(os, name) for name in ("fsync", "fdatasync")}

    def _timed(self, real: Callable[[int], None]) -> Callable[[int], None]:
        def call(fd: int) -> None:
            started = time.perf_counter()
            try:
                real(fd)
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
