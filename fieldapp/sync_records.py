"""What sync writes on records: ``lb.sync_records``.

    lb.sync_records.set_states([(record_id, SyncState.SENDING, revision), ...])
    lb.sync_records.set_states(changes, settings={OUTBOX: notes})   # one durable write
    lb.sync_records.store_unversioned(contact)    # reference data, retention purges
    lb.sync_records.waiting(WAITING_STATES)       # ids in those states, nothing decoded

The outbox state lives on each record (``sync_state``) and changes without a new revision.
Sync's own bookkeeping (failure notes, the cases a backend holds) is written in the same
durable frame as the states it belongs to, so a kill never leaves one without the other.
Only ``sync/`` uses this; screens read ``record.sync_state``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from .domain import Record, SyncState, to_dict
from .domain.kinds import RECORD_TYPES_BY_KIND
from .repositories import SettingsDocument
from .store import StoreDatabase

StateChange = tuple[str, "str | SyncState", "int | None"]


class SyncRecords:
    def __init__(self, *, lock: threading.RLock, database: Callable[[], StoreDatabase],
                 locate: Callable[[str], tuple[str, int]], index: dict[str, tuple[str, int]],
                 settings: SettingsDocument, notify: Callable[[str, str], None]) -> None:
        self._lock = lock
        self._database = database
        self._locate = locate
        self._index = index
        self._settings = settings
        self._notify = notify

    def waiting(self, states: Collection[str]) -> list[str]:
        """Ids of the records whose sync state is one of ``states``, read from the stored
        documents as they are: no record is decoded, so a run with nothing to send costs
        next to nothing however large the logbook."""
        with self._lock:
            raw = self._database().log.read()  # the live tables: no copies
            return [doc["id"] for kind in RECORD_TYPES_BY_KIND
                    for doc in (raw.get(kind) or {}).values()
                    if doc.get("sync_state") in states]

    def set_state(self, record_id: str, state: str | SyncState, *,
                  revision: int | None = None) -> bool:
        """Set one record's sync state; with ``revision``, only if it still matches."""
        return self.set_states([(record_id, state, revision)])[0]

    def set_states(self, changes: Sequence[StateChange], *,
                   settings: Mapping[str, Any] | None = None) -> list[bool]:
        """Set several sync states, and ``settings`` keys beside them, in one durable write.

        Each change is (record id, state, expected revision or None); a change whose record
        has moved on to another revision is skipped and reported False.
        """
        wanted = [(rid, SyncState(state).value, rev) for rid, state, rev in changes]
        done: list[bool] = []
        with self._lock:
            db = self._database()
            documents: dict[tuple[str, int], dict[str, Any]] = {}
            for rid, state, rev in wanted:
                kind, doc_id = self._locate(rid)
                doc = documents.get((kind, doc_id)) or db.document(kind, doc_id)
                ok = rev is None or doc["revision"] == rev
                if ok:
                    documents[(kind, doc_id)] = {**doc, "sync_state": state}
                done.append(ok)
            if documents or settings:
                self._settings.write(dict(settings or {}), documents=[
                    (kind, str(doc_id), doc) for (kind, doc_id), doc in documents.items()])
        for (rid, _, _), ok in zip(wanted, done, strict=True):
            if ok:
                self._notify("sync_state", rid)
        return done

    def store_unversioned(self, record: Record) -> None:
        """Write a record as it is, without validation or a new revision."""
        with self._lock:
            db = self._database()
            if record.id in self._index:
                kind, doc_id = self._locate(record.id)
                self._settings.write({}, documents=[(kind, str(doc_id), to_dict(record))])
            else:
                doc_id = db.table(record.kind).insert(to_dict(record))
                self._index[record.id] = (record.kind, doc_id)
        self._notify("stored", record.id)
