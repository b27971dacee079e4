"""Reading a sealed log back: structure, tags, sequence, then the JSON payloads."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import frames
from .anchor import CommitAnchor, frame_digest
from .changes import Database, apply_ops, decode_json, is_valid_database, is_valid_ops
from .errors import StoreDamaged
from .frames import HEADER_SIZE, KIND_SNAPSHOT, LogHeader
from .vault import Vault


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


@dataclass
class Replayed:
    state: LogState
    database: Database
    #: Where an unacknowledged torn tail starts; None when the file ends on a frame boundary.
    torn_at: int | None
    spans: list[frames.FrameSpan]


def replay_log(data: bytes, vault: Vault, anchor: CommitAnchor) -> Replayed:
    """Check and decrypt a whole log file against its commit anchor (checked before anything
    is decrypted and before a torn tail is set aside), and return what it holds."""
    header = LogHeader.parse(data)
    anchor.check(header.file_id)  # an older copy: say so before trying its keys
    try:
        cipher = AESGCM(vault.data_key(header.generation))
    except KeyError:
        raise StoreDamaged("unknown_generation") from None
    digest = header.digest()
    view = memoryview(data)  # slicing a view copies nothing: a snapshot can be 40 MB
    spans, torn_at = frames.split_frames(view, HEADER_SIZE)
    anchor.check(header.file_id, len(spans), lambda i: view[spans[i].start : spans[i].end])
    if not spans or spans[0].kind != KIND_SNAPSHOT:
        raise StoreDamaged("no_snapshot")
    database: Database = {}
    snapshot_bytes = 0
    gc_was_enabled = gc.isenabled()
    gc.disable()  # decoding builds many small dicts; the cycle collector only slows it
    try:
        for sequence, span in enumerate(spans):
            value = _decode_frame(cipher, digest, view, span, sequence)
            if span.kind == KIND_SNAPSHOT:
                database, snapshot_bytes = value, span.end - span.start
            else:
                apply_ops(database, value)
    finally:
        if gc_was_enabled:
            gc.enable()
    last = spans[-1]
    state = LogState(header, cipher, digest, len(spans), last.end, snapshot_bytes,
                     frame_digest(view[last.start : last.end]))
    return Replayed(state, database, torn_at, spans)


def _decode_frame(
    cipher: AESGCM, digest: bytes, data: memoryview, span: frames.FrameSpan, sequence: int
) -> Any:
    try:
        payload = frames.open_frame(cipher, digest, data, span, sequence)
    except InvalidTag:
        raise _diagnose_bad_tag(cipher, digest, data, span, sequence) from None
    try:
        value = decode_json(payload)
    except ValueError:
        raise StoreDamaged("bad_payload") from None
    valid = is_valid_database if span.kind == KIND_SNAPSHOT else is_valid_ops
    if not valid(value):
        raise StoreDamaged("bad_payload")
    return value


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
