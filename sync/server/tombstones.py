"""Deletions and corrections on the backend: what the officer removed does not stay here.

``POST /v1/tombstones`` ``{"items": [{id, kind, revision, municipality}]}`` (no content): for
each valid tombstone the backend deletes every stored revision of that record (the connection
runs with ``secure_delete``, and the WAL is checkpointed and truncated afterwards, so the
content bytes leave the SQLite files; PostgreSQL: see db.py), keeps ``(id, kind, revision,
device_id, received_at)`` in ``tombstones``, audits event ``tombstone`` with the record id,
revision and status (no content), and from then on refuses pushes of that id at a revision up
to the tombstone's (reason ``deleted``; :func:`deleted_reason` for the push intake, and a
trigger that keeps such a row out of ``records`` in any case). A tombstone for an id the
backend never had is accepted too (idempotent). Refusals: ``invalid_id`` (not a UUID),
``kind_not_accepted``, ``wrong_municipality``, ``kind_mismatch``.

Corrections: when the push intake stores a newer revision, :func:`purge_older_revisions`
empties the payload of the older ones (the rows stay, so a stale re-push of an old revision
is still a duplicate or a conflict, never stored again).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from fieldapp.domain import RECORD_TYPES_BY_KIND
from fieldapp.domain.codes import UUID_PATTERN

from ..protocol import MAX_BATCH_ITEMS
from .db import Conn, Database
from .dialect import SQLITE

log = logging.getLogger("sync.server")

SYNCING_KINDS = frozenset(RECORD_TYPES_BY_KIND) - {"crisis_contact"}
EMPTY_PAYLOAD = "{}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TombstoneItem(_Strict):
    id: StrictStr = Field(min_length=1, max_length=64, description="The record's UUID.")
    kind: StrictStr = Field(max_length=40)
    revision: StrictInt = Field(ge=1, le=2**53,
                                description="The deleted record's last revision + 1.")
    municipality: StrictStr = Field(max_length=64)


class TombstoneRequest(_Strict):
    items: list[TombstoneItem] = Field(max_length=MAX_BATCH_ITEMS)


class TombstoneResult(_Strict):
    id: str
    revision: int
    status: str = Field(description="accepted | duplicate | rejected")
    reason: str | None = None


class TombstoneReply(_Strict):
    results: list[TombstoneResult]


def take_tombstones(db: Database, device_id: str, items: list[TombstoneItem],
                    now: datetime) -> dict[str, Any]:
    """Apply a batch of tombstones in one transaction; returns the reply body."""
    municipality = db.meta("municipality")
    with db.transaction() as conn:
        results = [_take(db, conn, device_id, item, municipality, now) for item in items]
    if any(r["status"] == "accepted" for r in results):
        scrub_wal(db)
    return {"results": results}


def _take(db: Database, conn: Conn, device_id: str, item: TombstoneItem,
          municipality: str, now: datetime) -> dict[str, Any]:
    valid_id = bool(UUID_PATTERN.match(item.id))
    reason = _refusal(conn, item, municipality) if valid_id else "invalid_id"
    status = "rejected" if reason else _apply(conn, device_id, item, now)
    audited_id = item.id if valid_id else None  # an id that is no UUID may be anything
    db.audit(conn, "tombstone", status, device_id=device_id, record_id=audited_id,
             revision=item.revision, reason=reason or None)
    log.info("tombstone status=%s record=%s reason=%s device=%s", status,
             audited_id or "-", reason or "-", device_id)
    return {"id": item.id, "revision": item.revision, "status": status, "reason": reason or None}


def _refusal(conn: Conn, item: TombstoneItem, municipality: str) -> str:
    if item.kind not in SYNCING_KINDS:
        return "kind_not_accepted"
    if municipality and item.municipality != municipality:
        return "wrong_municipality"
    for row in conn.execute("SELECT DISTINCT kind, municipality FROM records WHERE id = ?",
                            (item.id,)):
        if row["kind"] != item.kind:
            return "kind_mismatch"
        if row["municipality"] and row["municipality"] != item.municipality:
            return "wrong_municipality"
    return ""


def _apply(conn: Conn, device_id: str, item: TombstoneItem,
           now: datetime) -> str:
    """Delete every stored revision and keep (or raise) the tombstone; returns the status."""
    stored = conn.execute("SELECT MAX(revision) FROM records WHERE id = ?",
                          (item.id,)).fetchone()[0]
    known = conn.execute("SELECT revision FROM tombstones WHERE id = ?", (item.id,)).fetchone()
    if stored is None and known is not None and known[0] >= item.revision:
        return "duplicate"
    # A stale phone must not resurrect any revision the backend has seen, however old its
    # own copy was: the tombstone covers every stored revision too.
    revision = max(item.revision, (stored or 0) + 1, known[0] if known else 0)
    conn.execute("DELETE FROM records WHERE id = ?", (item.id,))
    conn.execute("INSERT INTO tombstones (id, kind, revision, device_id, received_at) "
                 "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                 "revision = excluded.revision, device_id = excluded.device_id, "
                 "received_at = excluded.received_at",
                 (item.id, item.kind, revision, device_id, now.isoformat()))
    return "accepted"


def deleted_reason(conn: Conn, record_id: str, revision: int) -> str | None:
    """``"deleted"`` when a tombstone covers this revision of the record, else None (for the
    push intake, before it stores an item)."""
    row = conn.execute("SELECT revision FROM tombstones WHERE id = ?", (record_id,)).fetchone()
    return "deleted" if row is not None and revision <= row[0] else None


def purge_older_revisions(conn: Conn, record_id: str, revision: int) -> int:
    """Empty the payload of every stored revision of the record older than ``revision`` (call
    it in the push transaction after a newer revision was accepted); returns how many."""
    cursor = conn.execute("UPDATE records SET payload = ? WHERE id = ? AND revision < ? AND "
                          "payload <> ?", (EMPTY_PAYLOAD, record_id, revision, EMPTY_PAYLOAD))
    return cursor.rowcount


def scrub_wal(db: Database) -> bool:
    """Checkpoint and truncate the write-ahead log, so that the old pages it still holds
    (with content just deleted) leave the disk; True when no reader kept it from finishing.
    Call it after the transaction that deleted content. SQLite only: PostgreSQL has no such
    step (dead rows stay until vacuum reuses their space; see db.py), so this is a no-op there.
    """
    if db.dialect != SQLITE:
        return True
    with db.lock:
        busy = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    return not busy
