"""Log files that start as a snapshot: a new logbook, and the file a compaction writes.

A compacted file is written beside the log (temp file) from a picture of the database taken
at one moment: the snapshot chunks first, outside the storage lock, while writes keep going to
the old log, then the frames appended since the picture (the tail), sealed again under the new
key; it is fsynced, and the commit anchor names both files so that either opens. Under the lock,
the last frames of the tail are carried over and the file replaces the log; see ``compactor``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import frames
from .anchor import Mark, frame_digest
from .changes import Database
from .chunks import snapshot_payloads
from .files import FILE_MODE, atomic_create, datasync, lock_file, temp_path_for, write_all
from .frames import HEADER_SIZE, KIND_CHUNK, LogHeader
from .lazy import LazyTable
from .replay import LogState
from .vault import Vault

Picture = list[tuple[str, dict[str, Any], dict[str, Any]]]


def picture_of(data: Database) -> Picture:
    """A consistent picture of ``data``: shallow copies of every table (documents are
    replaced on write, never changed in place, so sharing them is safe)."""
    out: Picture = []
    for name, table in data.items():
        if isinstance(table, LazyTable):
            out.append((name, *table.entries()))
        else:
            out.append((name, dict(table), {}))
    return out


def create_log(path: Path, vault: Vault, now: float) -> None:
    """A new log holding the empty database."""
    header = LogHeader.new(vault.generation, now)
    cipher = AESGCM(vault.data_key(header.generation))
    (payload,) = snapshot_payloads([])
    frame = frames.seal_frame(cipher, header.digest(), 0, KIND_CHUNK, payload)
    atomic_create(path, header.to_bytes() + frame)


class NewLog:
    """A log file being written beside ``path`` under DEK ``generation``."""

    def __init__(self, path: Path, vault: Vault, generation: int, now: float) -> None:
        self.path = path
        self.header = LogHeader.new(generation, now)
        self.cipher = AESGCM(vault.data_key(generation))
        self.digest = self.header.digest()
        self.tmp = temp_path_for(path)
        self.fd: int | None = os.open(
            self.tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_APPEND, FILE_MODE)
        self.sequence = 0
        self.size = HEADER_SIZE
        self.snapshot_bytes = self.snapshot_frames = 0
        self.last_digest = b""
        self.installed = False
        try:
            lock_file(self.fd)
            write_all(self.fd, self.header.to_bytes())
        except BaseException:
            self.discard()
            raise

    def write_snapshot(self, picture: Iterable[tuple[str, dict[str, Any], dict[str, Any]]],
                       pause: Callable[[], None]) -> None:
        """The snapshot chunks, each flushed to disk on its own (after a pause for writers):
        a write's fdatasync never waits behind the whole new file's bytes."""
        for payload in snapshot_payloads(picture, pause):
            self.append(KIND_CHUNK, payload)
            pause()
            assert self.fd is not None
            datasync(self.fd)

    def append(self, kind: int, payload: bytes) -> None:
        assert self.fd is not None
        frame = frames.seal_frame(self.cipher, self.digest, self.sequence, kind, payload)
        write_all(self.fd, frame)
        self.sequence += 1
        self.size += len(frame)
        self.last_digest = frame_digest(frame)
        if kind == KIND_CHUNK:
            self.snapshot_bytes += len(frame)
            self.snapshot_frames += 1

    def sync(self) -> None:
        assert self.fd is not None
        os.fsync(self.fd)

    def mark(self) -> Mark:
        return Mark(self.header.file_id, self.sequence, self.last_digest)

    def install(self) -> tuple[int, LogState]:
        """fsync the new file and put it in place of the log (the commit anchor already names
        it as ``next``); returns its descriptor (locked) and state. On failure the new file is
        removed."""
        fd = self.fd
        assert fd is not None
        try:
            datasync(fd)  # only what was carried since sync(): the rest is on disk already
            os.replace(self.tmp, self.path)
        except BaseException:
            self.discard()
            raise
        self.fd, self.installed = None, True
        return fd, LogState(self.header, self.cipher, self.digest, self.sequence, self.size,
                            self.snapshot_bytes, self.last_digest, self.snapshot_frames)

    def discard(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None
        with contextlib.suppress(OSError):
            self.tmp.unlink()
