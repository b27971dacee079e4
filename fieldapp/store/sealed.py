"""``SealedStorage``: the TinyDB database as an encrypted, append-only log file.

Every write is one frame (see :mod:`fieldapp.store.frames`), written with a single
``os.write`` and ``fdatasync``ed, then recorded in the commit anchor (:mod:`.anchor`, an
authenticated key-store value outside the data directory) before the call returns. The
database lives in memory (documents kept as their stored JSON until read, :mod:`.lazy`); reads
never touch the file. When the log has outgrown its last snapshot, the store compacts on a
background thread: a picture of the database is taken under the lock, a new DEK generation
begun, the new file's snapshot written beside the log (temp file) while writes go on in the old
log and sealed again into the new file; the anchor names both files; under the lock the last
frames are carried, ``os.replace``, fsync of the directory; the anchor names the new one, and
the old DEK is dropped, so purged bytes become unreadable (``compactor.py``).
``compact()`` does the same in the calling thread and returns when it is done. Opening a
version-1 file starts such a compaction, which rewrites it in the current format.

Durability promises:

* a call that returned (an acknowledged write) is in the file and in the anchor;
* on open, a file that ends inside the frame *after* the anchored one is a write that was never
  acknowledged: those bytes are copied aside to ``<file>.torn-<timestamp>`` and cut off;
* a file that ends before the anchored frame (``truncated``), holds another frame there or is
  another file (``rolled_back``), is missing while its anchor exists (``missing_log``), or
  anything else that does not check out is refused with ``StoreDamaged``, the file left as is;
* a write whose anchor update fails is undone in the file and the anchor; when that cannot be
  done, further writes are refused until reopened, and the file opens with either anchor;
* a compaction that fails or is cut short (crash, close, lock) leaves the old log in use.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from . import frames
from .anchor import CommitAnchor, Mark, frame_digest
from .changes import (
    ChangeCount,
    Database,
    Ops,
    change_ops,
    decode_json,
    encode_json,
    is_valid_database,
    is_valid_ops,
)
from .chunks import apply_payload, change_payload, lazy_database
from .compactor import Compacting, WriterGate
from .errors import StoreDamaged, StoreError, VaultLocked
from .files import datasync, lock_file, remove_stale_temps, set_aside_tail, write_all
from .frames import KIND_CHANGES, KIND_SNAPSHOT
from .replay import LogState, read_at, replay_log
from .snapshot_file import create_log
from .vault import Vault

DEFAULT_COMPACT_MIN_BYTES = 64 * 1024
DEFAULT_COMPACT_RATIO = 2.0
#: Opening replays each frame after the snapshot (~10 µs each): keep them this few.
DEFAULT_COMPACT_FRAMES = 4096


class SealedStorage(Compacting, Storage):
    """A TinyDB storage that keeps the database sealed in ``path`` with keys from ``vault``
    (``background=False``: compactions run in the writing thread, for failure injection)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        vault: Vault,
        *,
        compact_min_bytes: int = DEFAULT_COMPACT_MIN_BYTES,
        compact_ratio: float = DEFAULT_COMPACT_RATIO,
        compact_frames: int = DEFAULT_COMPACT_FRAMES,
        clock: Callable[[], float] = time.time,
        background: bool = True,
    ) -> None:
        self.path = Path(path)
        self.lock = threading.RLock()
        self.compactions = 0
        self.compaction_failures = 0
        self._vault = vault
        #: Compact when the log after the snapshot exceeds the minimum and either the ratio
        #: (to the snapshot's bytes) or the number of frames.
        self.compact_min_bytes = compact_min_bytes
        self.compact_ratio = compact_ratio
        self.compact_frames = compact_frames
        self.background = background
        self._clock = clock
        self._fd: int | None = None
        self._state: LogState | None = None
        self._data: Database = {}
        self.changes = ChangeCount()  # what this process wrote (LogStorage.changes)
        self._broken = False
        self._vault_locked = False
        self._gate = WriterGate()
        self._idle = threading.Condition(self.lock)
        #: Payloads appended since a running compaction's picture; None when none runs.
        self._tail: list[tuple[int, bytes]] | None = None
        self._running = False  # a compaction, until its key rotation is finished
        self._thread: threading.Thread | None = None
        self._retry_at = 0
        self._anchor = CommitAnchor(vault.values, self.path.name)
        with self.lock:
            if not os.path.lexists(self.path):
                self._anchor.refuse_missing_log()
                self._create_file()
            self._open()
        vault.add_lock_listener(self._on_vault_locked)

    # -- TinyDB storage API -----------------------------------------------------------

    def read(self) -> Database:
        """The live in-memory database (not a copy: do not mutate it)."""
        with self.lock:
            self._require_open()
            return self._data

    def write(self, data: Database) -> None:
        """Replace the whole database: appends a snapshot frame."""
        with self._gate.writing(), self.lock:
            self._require_writable()
            payload = encode_json(data)
            value = decode_json(payload)
            if not is_valid_database(value):
                raise ValueError("a database is a dict of tables")
            self._append(KIND_SNAPSHOT, payload)
            self._data = lazy_database(value)
            self.changes.replace()

    def apply(self, table: str, puts: dict[str, Any], deletes: list[str]) -> None:
        """Store ``puts`` and remove ``deletes`` in ``table`` with one change frame."""
        with self.lock:
            self._require_writable()
            if table not in self._data or puts or deletes:
                self.apply_many(change_ops(table, puts, deletes))

    def apply_many(self, ops: Ops) -> None:
        """Apply changes to several tables with one change frame: all of them or none."""
        with self._gate.writing(), self.lock:
            self._require_writable()
            if not is_valid_ops(ops):
                raise ValueError("changes are a list of {t, put, del}")
            payload = change_payload(ops)
            if self._needs_compaction(len(payload)):
                self._start_compaction()
            self._append(KIND_CHANGES, payload)
            apply_payload(self._data, payload)
            self.changes.count(ops)

    def compact(self) -> None:
        """Rewrite the log as one snapshot under a new data-key generation; returns when the
        new file is in place (writes from other threads go on meanwhile)."""
        with self.lock:
            self._require_writable()
            while self._running:  # one running already: it started too early
                self._idle.wait()
                self._require_writable()
            picture, old_generation = self._begin()
        self._compact(picture, old_generation, self._gate.pause)

    def close(self) -> None:
        self._gate.cancel()
        self.wait_for_compaction()
        with self.lock:
            if self._fd is not None:
                with contextlib.suppress(OSError):
                    os.close(self._fd)
            self._fd = None
            self._data = {}
            self._state = None
            self._tail = None
            self._idle.notify_all()
        self._vault.remove_lock_listener(self._on_vault_locked)

    # -- facts --------------------------------------------------------------------------

    @property
    def generation(self) -> int:
        """The DEK generation named in the file header."""
        with self.lock:
            return self._require_open()[1].header.generation

    @property
    def file_size(self) -> int:
        with self.lock:
            return self._require_open()[1].size

    @property
    def anchor_name(self) -> str:
        """The key-store name of this log's commit anchor."""
        return self._anchor.name

    @property
    def frame_count(self) -> int:
        with self.lock:
            return self._require_open()[1].sequence

    # -- opening ------------------------------------------------------------------------

    def _create_file(self) -> None:
        create_log(self.path, self._vault, self._clock())

    def _open(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
        except OSError as exc:  # a folder in its place, no permission
            raise StoreDamaged("unreadable_log", "The logbook file cannot be opened.") from exc
        try:
            lock_file(fd)
            remove_stale_temps(self.path)  # only now: they could be another opener's
            self._anchor.load()
            replayed = replay_log(fd, self._vault, self._anchor)
            if replayed.torn_at is not None:
                size = os.fstat(fd).st_size
                tail = read_at(fd, size - replayed.torn_at, replayed.torn_at)
                set_aside_tail(self.path, fd, tail, replayed.torn_at)
            state = replayed.state
            self._anchor.settle(Mark(state.header.file_id, state.sequence, state.last_digest))
        except BaseException:
            os.close(fd)
            raise
        self._fd, self._state, self._data = fd, state, replayed.database

    # -- writing ------------------------------------------------------------------------

    def _append(self, kind: int, payload: bytes) -> None:
        fd, state = self._require_open()
        frame = frames.seal_frame(state.cipher, state.digest, state.sequence, kind, payload)
        try:
            write_all(fd, frame)
            datasync(fd)
        except BaseException:
            self._roll_back(state.size)
            raise
        digest = frame_digest(frame)
        try:
            self._anchor.advance(Mark(state.header.file_id, state.sequence + 1, digest))
        except BaseException:
            self._undo_anchored(state)
            raise
        state.size += len(frame)
        state.sequence += 1
        state.last_digest = digest
        if kind == KIND_SNAPSHOT:
            state.snapshot_bytes, state.tail_start = len(frame), state.sequence
        if self._tail is not None:
            self._tail.append((kind, payload))

    def _mark(self) -> Mark:
        state = self._require_open()[1]
        return Mark(state.header.file_id, state.sequence, state.last_digest)

    def _undo_anchored(self, state: LogState) -> None:
        """The frame is durable but its anchor update failed (and may or may not have landed):
        put the anchor back first, then cut the frame. If the anchor cannot be put back, keep
        the frame (the file then opens with either anchor) and refuse further writes."""
        try:
            self._anchor.advance(self._mark())
        except BaseException:
            self._broken = True
            return
        self._roll_back(state.size)

    def _roll_back(self, size: int) -> None:
        """Cut a failed append off again; if even that fails, refuse further writes."""
        fd = self._require_open()[0]
        try:
            os.ftruncate(fd, size)
            datasync(fd)
        except OSError:
            self._broken = True

    # -- state checks -------------------------------------------------------------------

    def _require_open(self) -> tuple[int, LogState]:
        """The open file and its state; refused when the logbook is closed or locked."""
        if self._fd is None or self._state is None:
            if self._vault_locked:
                raise VaultLocked()
            raise StoreError("The logbook is closed.")
        return self._fd, self._state

    def _require_writable(self) -> None:
        self._require_open()
        if self._broken:
            raise StoreError("A write failed and could not be undone; reopen the logbook.")

    def _on_vault_locked(self) -> None:
        self._vault_locked = True
        self.close()

    def __repr__(self) -> str:
        return f"<SealedStorage {self.path.name}>"
