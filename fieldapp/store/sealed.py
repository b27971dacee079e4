"""``SealedStorage``: the TinyDB database as an encrypted, append-only log file.

Every write is one frame (see :mod:`fieldapp.store.frames`), written with a single
``os.write`` and ``fdatasync``ed before the call returns. The database lives in memory; reads
never touch the file. When the log has outgrown its last snapshot, the store compacts: a new
DEK generation, a new file with one snapshot frame (temp file, fsync, ``os.replace``, fsync of
the directory), then the old DEK is dropped, so purged bytes become unreadable.

On open, a file that ends inside its last frame is a write that was never acknowledged: those
bytes are copied aside to ``<file>.torn-<timestamp>`` and cut off. Anything else that does not
check out is damage: ``StoreDamaged`` is raised and the file is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from tinydb.storages import Storage

from . import frames
from .changes import (
    Database,
    apply_ops,
    change_ops,
    decode_json,
    encode_json,
    is_valid_database,
)
from .errors import LogbookBusy, StoreError, VaultLocked
from .files import (
    FILE_MODE,
    atomic_create,
    datasync,
    fsync_dir,
    read_whole,
    remove_stale_temps,
    temp_path_for,
    write_all,
)
from .frames import HEADER_SIZE, KIND_CHANGE, KIND_SNAPSHOT, LogHeader
from .replay import LogState, replay_log
from .vault import Vault

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Android/Linux/macOS
    fcntl = None

DEFAULT_COMPACT_MIN_BYTES = 64 * 1024
DEFAULT_COMPACT_RATIO = 2.0


class SealedStorage(Storage):
    """A TinyDB storage that keeps the database sealed in ``path`` with keys from ``vault``."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        vault: Vault,
        *,
        compact_min_bytes: int = DEFAULT_COMPACT_MIN_BYTES,
        compact_ratio: float = DEFAULT_COMPACT_RATIO,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.lock = threading.RLock()
        self.compactions = 0
        self._vault = vault
        #: Compact when the log after the last snapshot exceeds both of these.
        self.compact_min_bytes = compact_min_bytes
        self.compact_ratio = compact_ratio
        self._clock = clock
        self._fd: int | None = None
        self._state: LogState | None = None
        self._data: Database = {}
        self._broken = False
        self._vault_locked = False
        with self.lock:
            if not self.path.exists():
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
        with self.lock:
            self._require_writable()
            payload = encode_json(data)
            value = decode_json(payload)
            if not is_valid_database(value):
                raise ValueError("a database is a dict of tables")
            self._append(KIND_SNAPSHOT, payload)
            self._data = value

    def apply(self, table: str, puts: dict[str, Any], deletes: list[str]) -> None:
        """Store ``puts`` and remove ``deletes`` in ``table`` with one change frame."""
        with self.lock:
            self._require_writable()
            if table in self._data and not puts and not deletes:
                return
            payload = encode_json(change_ops(table, puts, deletes))
            ops = decode_json(payload)
            if self._needs_compaction(len(payload)):
                self._compact()
            self._append(KIND_CHANGE, payload)
            apply_ops(self._data, ops)

    def compact(self) -> None:
        """Rewrite the log as one snapshot under a new data-key generation."""
        with self.lock:
            self._require_writable()
            self._compact()

    def close(self) -> None:
        with self.lock:
            if self._fd is not None:
                with contextlib.suppress(OSError):
                    os.close(self._fd)
            self._fd = None
            self._data = {}
            self._state = None
        self._vault.remove_lock_listener(self._on_vault_locked)

    # -- facts --------------------------------------------------------------------------

    @property
    def generation(self) -> int:
        """The DEK generation named in the file header."""
        with self.lock:
            self._require_open()
            return self._state.header.generation

    @property
    def file_size(self) -> int:
        with self.lock:
            self._require_open()
            return self._state.size

    @property
    def frame_count(self) -> int:
        with self.lock:
            self._require_open()
            return self._state.sequence

    # -- opening ------------------------------------------------------------------------

    def _create_file(self) -> None:
        header = LogHeader.new(self._vault.generation, self._clock())
        cipher = AESGCM(self._vault.data_key(header.generation))
        frame = frames.seal_frame(cipher, header.digest(), 0, KIND_SNAPSHOT, encode_json({}))
        atomic_create(self.path, header.to_bytes() + frame)

    def _open(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
        try:
            _lock_file(fd)
            remove_stale_temps(self.path)  # only now: they could be another opener's
            data = read_whole(fd)
            state, database, torn_at = replay_log(data, self._vault)
            if torn_at is not None:
                self._set_aside(fd, data, torn_at)
        except BaseException:
            os.close(fd)
            raise
        self._fd, self._state, self._data = fd, state, database

    def _set_aside(self, fd: int, data: bytes, torn_at: int) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        for attempt in range(100):
            suffix = f"-{attempt}" if attempt else ""
            aside = self.path.with_name(f"{self.path.name}.torn-{stamp}{suffix}")
            if atomic_create(aside, data[torn_at:]):
                break
        os.ftruncate(fd, torn_at)
        os.fsync(fd)

    # -- writing ------------------------------------------------------------------------

    def _append(self, kind: int, payload: bytes) -> None:
        state = self._state
        frame = frames.seal_frame(state.cipher, state.digest, state.sequence, kind, payload)
        try:
            write_all(self._fd, frame)
            datasync(self._fd)
        except BaseException:
            self._roll_back(state.size)
            raise
        state.size += len(frame)
        state.sequence += 1
        if kind == KIND_SNAPSHOT:
            state.snapshot_bytes = len(frame)

    def _roll_back(self, size: int) -> None:
        """Cut a failed append off again; if even that fails, refuse further writes."""
        try:
            os.ftruncate(self._fd, size)
            datasync(self._fd)
        except OSError:
            self._broken = True

    def _needs_compaction(self, incoming: int) -> bool:
        state = self._state
        log_bytes = state.size - HEADER_SIZE - state.snapshot_bytes + incoming
        return log_bytes > self.compact_min_bytes and log_bytes > (
            self.compact_ratio * state.snapshot_bytes
        )

    def _compact(self) -> None:
        old_generation = self._state.header.generation
        new_generation = self._vault.begin_rotation()
        try:
            fd, state = self._write_compacted(new_generation)
        except BaseException:
            with contextlib.suppress(StoreError, OSError, KeyError):
                self._vault.finish_rotation(old_generation)
            raise
        old_fd, self._fd, self._state = self._fd, fd, state
        self.compactions += 1
        os.close(old_fd)
        fsync_dir(self.path.parent)
        self._vault.finish_rotation(new_generation)

    def _write_compacted(self, generation: int) -> tuple[int, LogState]:
        header = LogHeader.new(generation, self._clock())
        cipher = AESGCM(self._vault.data_key(generation))
        digest = header.digest()
        frame = frames.seal_frame(cipher, digest, 0, KIND_SNAPSHOT, encode_json(self._data))
        content = header.to_bytes() + frame
        tmp = temp_path_for(self.path)
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_APPEND, FILE_MODE)
        try:
            _lock_file(fd)
            write_all(fd, content)
            os.fsync(fd)
            os.replace(tmp, self.path)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return fd, LogState(header, cipher, digest, 1, len(content), len(frame))

    # -- state checks -------------------------------------------------------------------

    def _require_open(self) -> None:
        if self._fd is None:
            if self._vault_locked:
                raise VaultLocked()
            raise StoreError("The logbook is closed.")

    def _require_writable(self) -> None:
        self._require_open()
        if self._broken:
            raise StoreError("A write failed and could not be undone; reopen the logbook.")

    def _on_vault_locked(self) -> None:
        with self.lock:
            self._vault_locked = True
            self.close()

    def __repr__(self) -> str:
        return f"<SealedStorage {self.path.name}>"


def _lock_file(fd: int) -> None:
    if fcntl is None:  # pragma: no cover
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise LogbookBusy() from None
