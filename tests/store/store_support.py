"""Helpers shared by the store tests."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def table_state(db, name: str) -> dict[int, dict]:
    return {doc.doc_id: dict(doc) for doc in db.table(name).all()}
