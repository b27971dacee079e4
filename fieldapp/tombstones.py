"""Tombstones: the phone's note that a record the backend may hold was deleted.

A tombstone is local bookkeeping, not a record: it lives in its own table of the sealed store
(``tombstones``), never in ``Logbook.list()``, and holds no content — only the record's id,
kind, municipality, the revision the deletion takes (the record's last revision + 1), the sync
state the record had when it was deleted, and when. Sync sends it to the backend of its
municipality and removes it once the backend acknowledged it::

    Logbook.delete(rid) ──► pending tombstone ──► sync sends it ──► acknowledged: removed
                                   ▲                    │
                                   └── kept on any failure (retried next run)

Records of kinds that never sync (crisis contacts, ``local_only`` state) get no tombstone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from .domain import CrisisContact, SyncState
from .store import StoreDatabase

TOMBSTONE_TABLE = "tombstones"
NEVER_SYNCED_KINDS = frozenset({CrisisContact.kind})


@dataclass(frozen=True)
class Tombstone:
    id: str
    kind: str
    municipality: str
    revision: int
    state: str = ""
    deleted_at: str = ""

    def wire(self) -> dict[str, Any]:
        """What goes to the backend: no content, no state, no time."""
        return {"id": self.id, "kind": self.kind, "revision": self.revision,
                "municipality": self.municipality}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Tombstone:
        return cls(id=str(doc["id"]), kind=str(doc["kind"]),
                   municipality=str(doc.get("municipality", "")),
                   revision=int(doc["revision"]), state=str(doc.get("state", "")),
                   deleted_at=str(doc.get("deleted_at", "")))


def tombstone_of(doc: dict[str, Any], now: datetime, *, municipality: str = "",
                 ) -> Tombstone | None:
    """The tombstone a stored record document leaves, or None when it never syncs.
    ``municipality`` stands in when the record has none (a consent belongs to its case's)."""
    if doc.get("kind") in NEVER_SYNCED_KINDS or \
            doc.get("sync_state") == SyncState.LOCAL_ONLY.value:
        return None
    return Tombstone(id=doc["id"], kind=doc["kind"],
                     municipality=doc.get("municipality") or municipality,
                     revision=int(doc.get("revision") or 0) + 1,
                     state=str(doc.get("sync_state", "")), deleted_at=now.isoformat())


class TombstoneBook:
    """The ``tombstones`` table of a (TinyDB) database; every change is one durable write."""

    def __init__(self, db: StoreDatabase):
        self._table = db.table(TOMBSTONE_TABLE)

    def record(self, stones: Iterable[Tombstone]) -> None:
        docs = [asdict(t) for t in stones]
        if docs:
            self._table.insert_multiple(docs)

    def pending(self) -> list[Tombstone]:
        """Every tombstone not yet acknowledged, oldest first."""
        stones = [Tombstone.from_doc(dict(doc)) for doc in self._table.all()]
        return sorted(stones, key=lambda t: t.deleted_at)

    def acknowledge(self, keys: Sequence[tuple[str, int]]) -> list[bool]:
        """Remove the tombstones with these (record id, revision); True for each one found."""
        wanted = {(rid, int(rev)) for rid, rev in keys}
        doc_ids, found = [], set()
        for doc in self._table.all():
            key = (doc["id"], int(doc["revision"]))
            if key in wanted:
                doc_ids.append(doc.doc_id)
                found.add(key)
        if doc_ids:
            self._table.remove(doc_ids=doc_ids)
        return [(rid, int(rev)) in found for rid, rev in keys]


def delete_with_tombstones(db: StoreDatabase, index: dict[str, tuple[str, int]], record_id: str,
                           now: datetime) -> list[str]:
    """Remove a record (a follow-up case with its consents) and update ``index``; returns the
    ids removed. The tombstones are one durable write, made first; the removal follows (one
    write per kind). The store has no write across two tables, so a crash in between leaves
    tombstones for records still there: :func:`finish_deletions` completes them on open."""
    kind, doc_id = index[record_id]
    docs = [db.document(kind, doc_id)]
    if kind == "follow_up_case":
        docs += [dict(doc) for doc in db.table("consent").all()
                 if doc.get("case_id") == record_id]
    stones = []
    for doc in docs:
        stone = tombstone_of(doc, now, municipality=_case_municipality(db, index, doc))
        if stone is not None:
            stones.append(stone)
    TombstoneBook(db).record(stones)
    removed = [doc["id"] for doc in docs]
    _remove(db, index, removed)
    return removed


def finish_deletions(db: StoreDatabase, index: dict[str, tuple[str, int]]) -> None:
    """Remove the records whose tombstone was written but whose removal was interrupted."""
    unfinished = {t.id for t in TombstoneBook(db).pending()} & set(index)
    if unfinished:
        _remove(db, index, sorted(unfinished))


def _case_municipality(db: StoreDatabase, index: dict[str, tuple[str, int]],
                       doc: dict[str, Any]) -> str:
    case_id = doc.get("case_id")
    if doc.get("municipality") or case_id not in index:
        return ""
    kind, doc_id = index[case_id]
    case = db.table(kind).get(doc_id=doc_id)
    return str(case.get("municipality") or "") if case is not None else ""


def _remove(db: StoreDatabase, index: dict[str, tuple[str, int]], record_ids: list[str]) -> None:
    by_kind: dict[str, dict[str, int]] = {}
    for rid in record_ids:
        kind, doc_id = index[rid]
        by_kind.setdefault(kind, {})[rid] = doc_id
    for kind, docs in by_kind.items():
        db.table(kind).remove(doc_ids=list(docs.values()))
        for rid in docs:
            del index[rid]
