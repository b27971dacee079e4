"""Reading a sealed log back: structure, tags, sequence, then the payloads.

The file is read in windows of a few MiB, twice: first its frame structure (lengths, CRCs,
where a torn tail starts) and the anchored frame, then, once the anchor has accepted the file,
each frame is decrypted and applied. So the whole file is never held at once: at most one
window, the frame being decoded and what the database keeps (version-2 payloads: each document
as its stored JSON, decoded on first read; see :mod:`.chunks` and :mod:`.lazy`).
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import frames
from .anchor import CommitAnchor, frame_digest
from .changes import Database, decode_json, is_valid_database, is_valid_ops
from .chunks import apply_payload, lazy_database
from .collector import collector_paused
from .errors import StoreDamaged
from .frames import (
    FRAME_HEAD_SIZE,
    FRAME_OVERHEAD,
    HEADER_SIZE,
    KIND_CHANGE,
    KIND_CHUNK,
    KIND_SNAPSHOT,
    LENGTH_MASK,
    LogHeader,
)
from .lazy import table_in
from .vault import Vault

WINDOW = 4 << 20


@dataclass
class LogState:
    """Where the open log stands; replaced as a whole on open and on compaction."""

    header: LogHeader
    cipher: AESGCM
    digest: bytes
    sequence: int
    size: int
    snapshot_bytes: int
    #: SHA-256 of the last whole frame's bytes (what the commit anchor records).
    last_digest: bytes
    #: The sequence number of the first frame after the last snapshot.
    tail_start: int = 1


@dataclass
class Replayed:
    state: LogState
    database: Database
    #: Where an unacknowledged torn tail starts; None when the file ends on a frame boundary.
    torn_at: int | None
    spans: list[frames.FrameSpan]


def read_at(fd: int, size: int, offset: int) -> bytes:
    chunks, done = [], 0
    while done < size:
        chunk = os.pread(fd, size - done, offset + done)
        if not chunk:
            raise OSError(errno.EIO, "the log file shrank while it was read")
        chunks.append(chunk)
        done += len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def scan_frames(fd: int, size: int) -> tuple[list[frames.FrameSpan], int | None]:
    """``frames.split_frames`` over the whole file, read one window at a time."""
    spans: list[frames.FrameSpan] = []
    offset, window = HEADER_SIZE, WINDOW
    while offset < size:
        want = min(window, size - offset)
        block = read_at(fd, want, offset)
        found, torn = frames.split_frames(block, 0)
        spans += [frames.FrameSpan(offset + s.start, offset + s.end, s.kind) for s in found]
        if torn is None:
            offset, window = offset + want, WINDOW
            continue
        if offset + want >= size:
            return spans, offset + torn
        if torn == 0:  # one frame longer than the window, or zeros up to its end
            length, check = frames.FRAME_HEAD.unpack_from(block) if want >= FRAME_HEAD_SIZE \
                else (0, 1)
            needed = length + FRAME_OVERHEAD if check == length ^ LENGTH_MASK else 0
            window = max(window * 2, needed)
        else:
            window = WINDOW
        offset += torn
    return spans, None


def _windows(fd: int, spans: list[frames.FrameSpan]) -> Any:
    """``(memoryview of a window, its file offset, span)`` for each span, in order."""
    i = 0
    while i < len(spans):
        start = spans[i].start
        j = i + 1
        while j < len(spans) and spans[j].end - start <= WINDOW:
            j += 1
        view = memoryview(read_at(fd, spans[j - 1].end - start, start))
        for span in spans[i:j]:
            yield view, start, span
        del view
        i = j


def replay_log(fd: int, vault: Vault, anchor: CommitAnchor) -> Replayed:
    """Check and decrypt a whole log file against its commit anchor (checked before anything
    is decrypted and before a torn tail is set aside), and return what it holds."""
    size = os.fstat(fd).st_size
    header = LogHeader.parse(read_at(fd, min(size, HEADER_SIZE), 0))
    anchor.check(header.file_id)  # an older copy: say so before trying its keys
    try:
        cipher = AESGCM(vault.data_key(header.generation))
    except KeyError:
        raise StoreDamaged("unknown_generation") from None
    digest = header.digest()
    spans, torn_at = scan_frames(fd, size)

    def frame_at(i: int) -> bytes:
        return read_at(fd, spans[i].end - spans[i].start, spans[i].start)

    anchor.check(header.file_id, len(spans), frame_at)
    if not spans or spans[0].kind not in (KIND_SNAPSHOT, KIND_CHUNK):
        raise StoreDamaged("no_snapshot")
    database: Database = {}
    snapshot_bytes = tail_start = 0
    leading = True
    with collector_paused():  # many small objects made at once, none of them in cycles
        for sequence, (view, base, span) in enumerate(_windows(fd, spans)):
            local = frames.FrameSpan(span.start - base, span.end - base, span.kind)
            payload = _open(cipher, digest, view, local, sequence)
            leading = leading and span.kind == KIND_CHUNK
            if span.kind == KIND_SNAPSHOT:
                database, snapshot_bytes = _whole(payload), span.end - span.start
                tail_start = sequence + 1
            elif span.kind == KIND_CHUNK:
                if not leading:
                    raise StoreDamaged("bad_kind")
                apply_payload(database, payload)
                snapshot_bytes += span.end - span.start
                tail_start = sequence + 1
            elif span.kind == KIND_CHANGE:
                _apply_ops(database, _json(payload, is_valid_ops))
            else:
                apply_payload(database, payload)
    last = spans[-1]
    state = LogState(header, cipher, digest, len(spans), last.end, snapshot_bytes,
                     frame_digest(frame_at(len(spans) - 1)), tail_start)
    return Replayed(state, database, torn_at, spans)


def _whole(payload: bytes) -> Database:
    return lazy_database(_json(payload, is_valid_database))


def _apply_ops(database: Database, ops: list[dict[str, Any]]) -> None:
    """An old-format change: its documents are already decoded, so they are kept so."""
    for op in ops:
        table = table_in(database, op["t"])
        for doc_id in op.get("del", ()):
            table.pop(doc_id, None)
        for doc_id, doc in op.get("put", {}).items():
            table[doc_id] = doc


def _json(payload: bytes, valid: Any) -> Any:
    try:
        value = decode_json(payload)
    except ValueError:
        raise StoreDamaged("bad_payload") from None
    if not valid(value):
        raise StoreDamaged("bad_payload")
    return value


def _open(cipher: AESGCM, digest: bytes, data: memoryview, span: frames.FrameSpan,
          sequence: int) -> bytes:
    try:
        return frames.open_frame(cipher, digest, data, span, sequence)
    except InvalidTag:
        raise _diagnose_bad_tag(cipher, digest, data, span, sequence) from None


def _diagnose_bad_tag(
    cipher: AESGCM, digest: bytes, data: memoryview, span: frames.FrameSpan, sequence: int
) -> StoreDamaged:
    """A frame that opens under a nearby sequence number was moved: a gap or reorder."""
    for other in range(max(sequence - 4, 0), sequence + 5):
        if other == sequence:
            continue
        try:
            frames.open_frame(cipher, digest, data, span, other)
        except InvalidTag:
            continue
        return StoreDamaged("sequence_gap")
    return StoreDamaged("bad_tag")
