"""What one push batch reads and writes once instead of once per item (the intake's helper).

``BatchState.load(conn, ids)`` reads, in one query each, the tombstones and the stored
revisions (id, revision, hash) of every record id in the batch; the intake keeps it up to date
as it inserts, so each item's "deleted?", "duplicate or conflict?" and "older revisions to
empty?" are answered without a statement of their own. It is only valid inside the write
transaction that loaded it (one writer at a time: nothing else writes these rows meanwhile).

``ChainedAudit`` appends audit rows hash-chained exactly as ``audit_chain.append`` does, but
reads the chain's head once and writes the rows with one ``executemany``. Call ``flush()``
before anything else may write to the audit (``Database.audit``) and before the transaction
ends; after a flush the head is read again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fieldapp.domain.codes import UUID_PATTERN

from . import audit_chain
from .dialect import Conn

_IN_CHUNK = 500   # ids per IN (...) list (a batch has at most MAX_BATCH_ITEMS)
_INSERT_AUDIT = ("INSERT INTO audit (seq, at, device_id, event, record_id, revision, hash, "
                 "status, reason, prev_hash, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for k in range(0, len(ids), _IN_CHUNK):
        yield ids[k:k + _IN_CHUNK]


def _in(n: int) -> str:
    return "(" + ", ".join("?" * n) + ")"


@dataclass
class BatchState:
    tombstones: dict[str, int] = field(default_factory=dict)        # id -> covered revision
    stored: dict[str, dict[int, str]] = field(default_factory=dict)  # id -> revision -> hash

    @classmethod
    def load(cls, conn: Conn, ids: Iterable[str]) -> BatchState:
        state = cls()
        # Only a UUID can have a tombstone or a stored row (both are refused otherwise), and
        # only a UUID goes into the query: an id with a NUL byte fails on PostgreSQL.
        unique = sorted({i for i in ids if isinstance(i, str) and UUID_PATTERN.match(i)})
        for part in _chunks(unique):
            marks = _in(len(part))   # only "?" placeholders: the ids are parameters
            for row in conn.execute(f"SELECT id, revision FROM tombstones "  # noqa: S608
                                    f"WHERE id IN {marks}", part).fetchall():
                state.tombstones[row[0]] = int(row[1])
            for row in conn.execute(f"SELECT id, revision, hash FROM records "  # noqa: S608
                                    f"WHERE id IN {marks}", part).fetchall():
                state.stored.setdefault(row[0], {})[int(row[1])] = row[2]
        return state

    def deleted(self, record_id: str, revision: int) -> bool:
        """Whether a tombstone covers this revision (as ``tombstones.deleted_reason``)."""
        covered = self.tombstones.get(record_id)
        return covered is not None and revision <= covered

    def stored_hash(self, record_id: str, revision: int) -> str | None:
        return self.stored.get(record_id, {}).get(revision)

    def add(self, record_id: str, revision: int, hash_: str) -> bool:
        """Note a row just inserted; True when an older revision of it is stored (the
        caller then empties the older ones)."""
        revisions = self.stored.setdefault(record_id, {})
        revisions[revision] = hash_
        return any(r < revision for r in revisions)


class ChainedAudit:
    """Audit rows of one transaction, chained to the head read once, written in one go."""

    def __init__(self, conn: Conn):
        self.conn = conn
        self.rows: list[tuple[Any, ...]] = []
        self._head: tuple[int, str] | None = None

    def append(self, values: tuple[Any, ...]) -> None:
        """One row, ``values`` in ``audit_chain.FIELDS`` order without ``seq``."""
        seq, prev = self._head if self._head is not None else audit_chain.head(self.conn)
        fields = (seq + 1, *values)
        digest = audit_chain.row_hash(prev, fields)
        self.rows.append((*fields, prev, digest))
        self._head = (seq + 1, digest)

    def flush(self) -> None:
        if self.rows:
            self.conn.executemany(_INSERT_AUDIT, self.rows)
        self.rows = []
        self._head = None
