"""Compaction off the write path: what lets writers go first while a new file is written.

A compaction takes a picture of the database under the storage lock (shallow copies of the
tables, a few milliseconds at 50k documents) and then writes the new file's snapshot outside
the lock, on a background thread, while writes keep being appended (and acknowledged) in the
old log. Every ``pause()`` of that thread waits while a write (to any logbook of the process)
is under way, so a writer hardly competes with it for the interpreter. It takes the lock again
in three short steps, each after a pause, so that a write waits for at most one of them:
(1) the commit anchor names the old file at its last write and the new file (``next``) at what
it holds so far; writes meanwhile keep naming both; (2) the frames written since are carried
over and the new file is fsynced; when there were any, the anchor names the new file at all
it holds (so that none of those acknowledged writes can be cut off); the new file replaces
the log, and the folder is fsynced; (3) the anchor names the new file alone, unless a write
to it has done so already.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .anchor import CommitAnchor, Mark
from .changes import Database
from .errors import StoreError
from .files import close_replaced, fsync_dir
from .frames import HEADER_SIZE, VERSION
from .replay import LogState
from .snapshot_file import NewLog, Picture, picture_of
from .vault import Vault

PAUSE_AT_MOST = 0.02


class CompactionCancelled(Exception):
    """The storage was closed (or the vault locked) while a compaction ran."""


class _Writers:
    """The writes under way in this process, to any logbook: a compaction yields to all."""

    def __init__(self) -> None:
        self.cv = threading.Condition(threading.Lock())
        self.count = 0


_WRITERS = _Writers()


class WriterGate:
    """Lets a storage's compaction pause while writes are under way, and cancels it."""

    def __init__(self) -> None:
        self._cancelled = False

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with _WRITERS.cv:
            _WRITERS.count += 1
        try:
            yield
        finally:
            with _WRITERS.cv:
                _WRITERS.count -= 1
                if not _WRITERS.count:
                    _WRITERS.cv.notify_all()

    def pause(self) -> None:
        """Wait while a write is under way, at most ``PAUSE_AT_MOST`` at a time (a stream of
        writes must not starve the compaction, and a caller of ``compact()`` may hold the lock
        a writer waits for); CompactionCancelled once cancelled."""
        if _WRITERS.count:
            deadline = time.monotonic() + PAUSE_AT_MOST
            with _WRITERS.cv:
                while _WRITERS.count and not self._cancelled:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    _WRITERS.cv.wait(left)
        if self._cancelled:
            raise CompactionCancelled()

    def check(self) -> None:
        """CompactionCancelled once cancelled."""
        if self._cancelled:
            raise CompactionCancelled()

    def cancel(self) -> None:
        with _WRITERS.cv:
            self._cancelled = True
            _WRITERS.cv.notify_all()

    def reset(self) -> None:
        self._cancelled = False

    @property
    def cancelled(self) -> bool:
        return self._cancelled


class Compacting:
    """The compaction half of ``SealedStorage`` (which provides these attributes)."""

    path: Path
    lock: threading.RLock
    background: bool
    compactions: int
    compaction_failures: int
    compact_min_bytes: int
    compact_ratio: float
    compact_frames: int
    _vault: Vault
    _anchor: CommitAnchor
    _clock: Callable[[], float]
    _fd: int | None
    _state: LogState | None
    _data: Database
    _gate: WriterGate
    _idle: threading.Condition
    _tail: list[tuple[int, bytes]] | None
    _running: bool
    _thread: threading.Thread | None
    _retry_at: int
    _broken: bool

    def _require_open(self) -> tuple[int, LogState]:
        raise NotImplementedError

    def _require_writable(self) -> None:
        raise NotImplementedError

    def _mark(self) -> Mark:
        raise NotImplementedError

    def wait_for_compaction(self) -> None:
        """Return once no compaction is running (for tests and benchmarks)."""
        thread = self._thread
        if thread is not None and thread.ident is not None and (
                thread is not threading.current_thread()):
            thread.join()

    def upgrade_in_background(self) -> None:
        """Rewrite a version-1 file in the current format (a compaction), off the caller."""
        with self.lock:
            state = self._require_open()[1]
            if state.header.version < VERSION and not self._running and not self._broken:
                self._start_compaction()

    def _needs_compaction(self, incoming: int) -> bool:
        state = self._require_open()[1]
        log_bytes = state.size - HEADER_SIZE - state.snapshot_bytes + incoming
        frames_after = state.sequence + 1 - state.tail_start
        return not self._running and state.size >= self._retry_at and (
            log_bytes > self.compact_min_bytes
            and (log_bytes > self.compact_ratio * state.snapshot_bytes
                 or frames_after > self.compact_frames))

    def _begin(self) -> tuple[Picture, int]:
        """Under the lock: the picture to write, and from now on collect the tail."""
        self._tail, self._running = [], True
        return picture_of(self._data), self._require_open()[1].header.generation

    def _start_compaction(self) -> None:
        picture, old_generation = self._begin()
        if not self.background:
            self._compact(picture, old_generation, lambda: None)
            return
        self._gate.reset()
        thread = threading.Thread(target=self._compact_quietly, name="logbook-compaction",
                                  args=(picture, old_generation), daemon=True)
        self._thread = thread
        try:
            thread.start()
        except RuntimeError:  # no thread to be had: the old log stays in use
            self._thread = self._tail = None
            self._running = False

    def _compact_quietly(self, picture: Picture, old_generation: int) -> None:
        with contextlib.suppress(Exception):  # the old log stays in use; tried again later
            self._compact(picture, old_generation, self._gate.pause)

    def _compact(self, picture: Picture, old_generation: int, pause: Callable[[], None]) -> None:
        new: NewLog | None = None
        rotating = done = False
        try:
            new_generation = self._vault.begin_rotation()
            rotating = True
            new = NewLog(self.path, self._vault, new_generation, self._clock())
            new.write_snapshot(picture, pause)
            del picture
            carried = self._carry(new, pause)
            new.sync()
            pause()
            with self._switch_lock():  # 1: the anchor names both files (writes to the old
                self._anchor.record(self._mark(), pending=new.mark())  # one keep naming both)
            carried = self._carry(new, pause, carried)
            new.sync()
            pause()  # writes went on meanwhile: carry them before taking the lock, which
            carried = self._carry(new, lambda: None, carried)  # then carries only the last
            with self._switch_lock():  # 2: the last frames carried, the new file in place
                old_fd = self._switch(new, carried)
            with contextlib.suppress(CompactionCancelled):  # closed: the rest freed at once
                close_replaced(old_fd, pause)
            self._name_new_file_alone(pause)
            self._vault.finish_rotation(new_generation)
            done = True
        except BaseException:
            installed = new is not None and new.installed
            if new is not None and not installed:
                new.discard()
            if rotating and not installed:
                with contextlib.suppress(StoreError, OSError, KeyError):
                    self._vault.finish_rotation(old_generation)
            raise
        finally:  # only now may another compaction begin its rotation
            self._settle(done)

    def _name_new_file_alone(self, pause: Callable[[], None]) -> None:
        """3: the anchor names the new file alone, unless a write has done so already; when
        closing, the anchor stays as it is (either file opens; opening settles it)."""
        with contextlib.suppress(CompactionCancelled):
            pause()
            with self._switch_lock():
                if self._anchor.pending is not None:
                    self._anchor.record(self._mark())

    def _carry(self, new: NewLog, pause: Callable[[], None], carried: int = 0) -> int:
        """Seal the frames written since the picture into ``new``, outside the lock (what
        comes after follows under it); returns how many the new file holds."""
        tail = list(self._tail or ())[carried:]
        for count, (kind, payload) in enumerate(tail, 1):
            new.append(kind, payload)
            if count % 64 == 0:
                pause()
        return carried + len(tail)

    def _settle(self, done: bool) -> None:
        """The compaction is over; after a failure, wait for more log before trying again
        (skipped when the storage is being closed: close() may hold the lock and wait)."""
        while not self.lock.acquire(timeout=0.05):
            if self._gate.cancelled:
                return
        try:
            state, self._tail, self._running = self._state, None, False
            self._idle.notify_all()
            if not done:
                self._retry_at = state.size + self.compact_min_bytes if state else 0
                self.compaction_failures += 1
                pending = self._anchor.pending  # names a new file that never came: drop it
                if state is not None and pending and pending.file_id != state.header.file_id:
                    with contextlib.suppress(StoreError, OSError):
                        self._anchor.record(self._mark())
        finally:
            self.lock.release()

    @contextlib.contextmanager
    def _switch_lock(self) -> Iterator[None]:
        """The storage lock, for a step of the switch; CompactionCancelled once closing."""
        while not self.lock.acquire(timeout=0.05):
            self._gate.check()  # close() may hold the lock while it waits for us
        try:
            self._gate.check()
            self._require_writable()
            yield
        finally:
            self.lock.release()

    def _switch(self, new: NewLog, carried: int) -> int:
        """Under the lock: the rest of the tail into the new file, then the new file in
        place; returns the old file's descriptor, for the caller to close. The anchor names
        the new file (as ``next``) at everything it holds before it replaces the log: frames
        written since step 1 are acknowledged writes, and a new file cut back to step 1's
        count must not open. The first write to it (or step 3) then records it alone."""
        for kind, payload in (self._tail or [])[carried:]:
            new.append(kind, payload)
        if new.mark() != self._anchor.pending:  # writes came between step 1 and now
            new.sync()
            self._anchor.record(self._mark(), pending=new.mark())
        fd, state = new.install()
        old_fd = self._fd
        assert old_fd is not None  # _switch_lock checked the log is open
        self._fd, self._state, self._tail = fd, state, None
        self.compactions += 1
        try:
            fsync_dir(self.path.parent)  # before any write to the new file is acknowledged
        except BaseException:
            os.close(old_fd)
            raise
        return old_fd
