"""The byte layout of the sealed log ``logbook.sealed``.

All integers big-endian. The header is plaintext (nothing personal in it)::

    magic "PKSEALED" | version u16 | flags u16 | file id 16 random bytes | DEK generation u32
    | created at (unix seconds) u64 | CRC32 of the preceding 40 bytes u32          (44 bytes)

then frames, one per acknowledged write::

    length u32 | length XOR 0xA5C35A3C u32 | body (length bytes) | CRC32(body) u32
    body = kind u8 | nonce 12 | AES-256-GCM ciphertext + 16-byte tag
    AAD  = SHA-256(header bytes) | sequence number u64 (index in the file, implicit) | kind u8

Version 1 files hold kind 1, a snapshot (the whole database as compact JSON), and kind 2, a
change (a JSON list of ``{"t": table, "put": {doc_id: doc}, "del": [doc_id]}``). Version 2
files (written since) start with one or more kind 3 frames, the chunks of a snapshot, and go on
with kind 4 changes; both are indexed payloads (:mod:`.chunks`) whose documents are decoded
only when read. Kind 1 may still follow in either version (a whole-database write). The first
frame is a snapshot (kind 1 or 3); kind 3 appears only at the start.
The length check makes a flipped length read as damage rather than as a torn write; the
implicit sequence in the AAD makes a removed, repeated or reordered frame fail its tag.
"""

from __future__ import annotations

import hashlib
import secrets
import struct
import zlib
from dataclasses import dataclass
from typing import cast

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import StoreDamaged
from .nonces import NONCE_BYTES, new_nonce

MAGIC = b"PKSEALED"
VERSION = 2
VERSIONS = (1, 2)
KIND_SNAPSHOT = 1
KIND_CHANGE = 2
KIND_CHUNK = 3
KIND_CHANGES = 4
KINDS = (KIND_SNAPSHOT, KIND_CHANGE, KIND_CHUNK, KIND_CHANGES)

_HEADER = struct.Struct(">8sHH16sIQ")
_CRC = struct.Struct(">I")
HEADER_SIZE = _HEADER.size + _CRC.size
_FRAME_HEAD = struct.Struct(">II")
FRAME_HEAD = _FRAME_HEAD
FRAME_HEAD_SIZE = _FRAME_HEAD.size
LENGTH_MASK = 0xA5C35A3C
TAG_BYTES = 16
MIN_BODY = 1 + NONCE_BYTES + TAG_BYTES
FRAME_OVERHEAD = FRAME_HEAD_SIZE + _CRC.size
_AAD_TAIL = struct.Struct(">QB")


@dataclass(frozen=True)
class LogHeader:
    file_id: bytes
    generation: int
    created_at: int
    version: int = VERSION
    flags: int = 0

    @classmethod
    def new(cls, generation: int, created_at: float) -> LogHeader:
        return cls(secrets.token_bytes(16), generation, int(created_at))

    def to_bytes(self) -> bytes:
        fixed = _HEADER.pack(
            MAGIC, self.version, self.flags, self.file_id, self.generation, self.created_at
        )
        return fixed + _CRC.pack(zlib.crc32(fixed))

    def digest(self) -> bytes:
        return hashlib.sha256(self.to_bytes()).digest()

    @classmethod
    def parse(cls, data: bytes) -> LogHeader:
        if len(data) < HEADER_SIZE or data[:8] != MAGIC:
            raise StoreDamaged("bad_header", "The logbook file is not a sealed logbook.")
        (crc,) = _CRC.unpack_from(data, _HEADER.size)
        if zlib.crc32(data[: _HEADER.size]) != crc:
            raise StoreDamaged("bad_header")
        _magic, version, flags, file_id, generation, created = _HEADER.unpack_from(data)
        if version not in VERSIONS or flags != 0:
            raise StoreDamaged(
                "unsupported_version", "The logbook was written by a newer app version."
            )
        return cls(file_id, generation, created, version, flags)


def frame_aad(header_digest: bytes, sequence: int, kind: int) -> bytes:
    return header_digest + _AAD_TAIL.pack(sequence, kind)


def seal_frame(
    cipher: AESGCM, header_digest: bytes, sequence: int, kind: int, payload: bytes
) -> bytes:
    """Encrypt ``payload`` into one complete frame."""
    nonce = new_nonce()
    body = bytes((kind,)) + nonce + cipher.encrypt(
        nonce, payload, frame_aad(header_digest, sequence, kind)
    )
    length = len(body)
    return (
        _FRAME_HEAD.pack(length, length ^ LENGTH_MASK) + body + _CRC.pack(zlib.crc32(body))
    )


@dataclass(frozen=True)
class FrameSpan:
    start: int
    end: int
    kind: int

    @property
    def body_start(self) -> int:
        return self.start + FRAME_HEAD_SIZE


def split_frames(data: bytes | memoryview, start: int) -> tuple[list[FrameSpan], int | None]:
    """Check the frame structure (lengths, CRCs) of ``data[start:]``.

    Returns the whole frames and, if the file ends inside a frame, the offset where that
    unacknowledged tail starts. A tail of zero bytes from a frame boundary on (the file size
    reached the disk, the data did not) counts as such a tail too. Raises StoreDamaged for a
    complete frame with a bad length check, length or CRC.
    """
    spans: list[FrameSpan] = []
    offset, size = start, len(data)
    while offset < size:
        if size - offset < FRAME_HEAD_SIZE:
            return spans, offset
        length, check = _FRAME_HEAD.unpack_from(data, offset)
        if check != length ^ LENGTH_MASK or length < MIN_BODY:
            if not any(data[offset:]):
                return spans, offset
            raise StoreDamaged("bad_length")
        end = offset + FRAME_OVERHEAD + length
        if end > size:
            return spans, offset
        body_start = offset + FRAME_HEAD_SIZE
        (crc,) = _CRC.unpack_from(data, end - _CRC.size)
        if zlib.crc32(data[body_start : body_start + length]) != crc:
            raise StoreDamaged("bad_crc")
        kind = data[body_start]
        if kind not in KINDS:
            raise StoreDamaged("bad_kind")
        spans.append(FrameSpan(offset, end, kind))
        offset = end
    return spans, None


def open_frame(
    cipher: AESGCM, header_digest: bytes, data: bytes | memoryview, span: FrameSpan, sequence: int
) -> bytes:
    """Decrypt one frame; raises cryptography's InvalidTag on a bad tag."""
    nonce_at = span.body_start + 1
    nonce = bytes(data[nonce_at : nonce_at + NONCE_BYTES])
    # AESGCM reads any buffer (its stubs say bytes): the frame is not copied out of the log.
    ciphertext = cast(bytes, data[nonce_at + NONCE_BYTES : span.end - _CRC.size])
    return cipher.decrypt(nonce, ciphertext, frame_aad(header_digest, sequence, span.kind))
