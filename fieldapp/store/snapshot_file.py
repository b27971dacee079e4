"""Log files that start as one snapshot frame: a new logbook, and the file a compaction writes.

A compacted file is written beside the log (temp file, fsync), the commit anchor then names
both files so that either opens, and only then does it replace the log; the caller fsyncs the
folder and anchors the new file alone (see ``sealed.py``).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import frames
from .anchor import CommitAnchor, Mark, frame_digest
from .changes import Database, encode_json
from .files import FILE_MODE, atomic_create, lock_file, temp_path_for, write_all
from .frames import KIND_SNAPSHOT, LogHeader
from .replay import LogState
from .vault import Vault


def create_log(path: Path, vault: Vault, now: float) -> None:
    """A new log holding the empty database."""
    header = LogHeader.new(vault.generation, now)
    cipher = AESGCM(vault.data_key(header.generation))
    frame = frames.seal_frame(cipher, header.digest(), 0, KIND_SNAPSHOT, encode_json({}))
    atomic_create(path, header.to_bytes() + frame)


def write_compacted(path: Path, vault: Vault, anchor: CommitAnchor, data: Database,
                    current: Mark, generation: int, now: float) -> tuple[int, LogState]:
    """Write ``data`` as one snapshot under data-key ``generation`` and put it in place of the
    log; returns the new file's descriptor (locked) and its state."""
    header = LogHeader.new(generation, now)
    cipher = AESGCM(vault.data_key(generation))
    digest = header.digest()
    frame = frames.seal_frame(cipher, digest, 0, KIND_SNAPSHOT, encode_json(data))
    content = header.to_bytes() + frame
    new_mark = Mark(header.file_id, 1, frame_digest(frame))
    tmp = temp_path_for(path)
    fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_APPEND, FILE_MODE)
    try:
        lock_file(fd)
        write_all(fd, content)
        os.fsync(fd)
        anchor.record(current, pending=new_mark)  # either file opens
        os.replace(tmp, path)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return fd, LogState(header, cipher, digest, 1, len(content), len(frame), new_mark.digest)
