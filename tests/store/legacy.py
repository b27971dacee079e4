"""Writing a version-1 log (one whole-JSON snapshot frame, then JSON change frames), as the
app did before version 2, to check that phones with such files still open them."""

from __future__ import annotations

import json
import time
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fieldapp.store import frames
from fieldapp.store.frames import KIND_CHANGE, KIND_SNAPSHOT, LogHeader


def encode(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass")


def write_v1_log(path: Path, vault, snapshot: dict, changes: list[list[dict]]) -> bytes:
    """Write ``path`` as version 1 (no anchor exists yet: accepted once, like an upgrade from
    a version without anchors); returns the file's bytes."""
    header = LogHeader.new(vault.generation, time.time())
    header = LogHeader(header.file_id, header.generation, header.created_at, version=1)
    cipher = AESGCM(vault.data_key(header.generation))
    digest = header.digest()
    content = header.to_bytes() + frames.seal_frame(cipher, digest, 0, KIND_SNAPSHOT,
                                                    encode(snapshot))
    for sequence, ops in enumerate(changes, start=1):
        content += frames.seal_frame(cipher, digest, sequence, KIND_CHANGE, encode(ops))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return content
