"""What sync writes on records: ``lb.sync_records``.

    lb.sync_records.set_states([(record_id, SyncState.SENDING, revision), ...])
    lb.sync_records.set_states(changes, settings={OUTBOX: notes})   # one durable write
    lb.sync_records.store_unversioned(contact)    # reference data, retention purges
    lb.sync_records.store_reference(contacts, remove=ids, settings={...})   # a feed's page
    lb.sync_records.waiting(WAITING_STATES)       # ids in those states, nothing decoded
    lb.sync_records.revisions(ids)                # {id: stored revision}, no record built

The outbox state lives on each record (``sync_state``) and changes without a new revision.
Sync's own bookkeeping (failure notes, the cases a backend holds) is written in the same
durable frame as the states it belongs to, so a kill never leaves one without the other.
Only ``sync/`` uses this; screens read ``record.sync_state``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from .domain import Record, SyncState, to_dict
from .domain.kinds import RECORD_TYPES_BY_KIND
from .repositories import SettingsDocument
from .store import StoreDatabase
from .store.changes import version
from .tombstones import NEVER_SYNCED_KINDS

StateChange = tuple[str, "str | SyncState", "int | None"]


def _caught_up(ids: dict[str, None], put: list[tuple[str, str]], raw: Mapping[str, Any],
               states: Collection[str]) -> dict[str, None]:
    """``ids`` after the documents ``put`` since (``ChangeCount.put_since``)."""
    ids = dict(ids)
    for table, key in put:
        doc = raw[table][key]
        if doc.get("sync_state") in states:
            ids[doc["id"]] = None
        else:
            ids.pop(doc["id"], None)
    return ids


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
        #: The last answer of ``waiting``: the store's state and the states it is for, the
        #: ids, the store's table writes it has seen, and the ids as a list.
        self._waiting: tuple[tuple[Any, ...], dict[str, None], int, list[str]] | None = None

    def waiting(self, states: Collection[str]) -> list[str]:
        """Ids of the records whose sync state is one of ``states`` (in no promised order),
        read from the stored documents as they are: no record is decoded. The answer is kept
        until a record table is written again (``LogStorage.changes``), and then brought up
        to date from the documents those writes put, when they deleted none: runs with
        nothing new in between cost nothing here, and a saved form one document, however
        large the logbook."""
        with self._lock:
            log = self._database().log
            raw = log.read()  # the live tables: no copies
            key = (*version(log, RECORD_TYPES_BY_KIND), frozenset(states))
            written = log.changes.written  # read before the documents: never ahead of them
            kept = self._waiting
            if kept is None or kept[0] != key:
                ids = None
                if kept is not None and (kept[0][0], kept[0][2]) == (key[0], key[2]):
                    put = log.changes.put_since(kept[2], RECORD_TYPES_BY_KIND)  # same store
                    ids = None if put is None else _caught_up(kept[1], put, raw, states)
                if ids is None:
                    ids = dict.fromkeys(doc["id"] for kind in RECORD_TYPES_BY_KIND
                                        for doc in (raw.get(kind) or {}).values()
                                        if doc.get("sync_state") in states)
                kept = self._waiting = (key, ids, written, list(ids))
            return list(kept[3])  # a copy of a list: cheaper than of the dict

    def revisions(self, ids: Iterable[str]) -> dict[str, int]:
        """The stored revision of each of ``ids`` still stored, read from the stored
        documents (no record is built): whether a planned record is still the one planned."""
        with self._lock:
            raw = self._database().log.read()  # the live tables: no copies
            found = {}
            for rid in ids:
                place = self._index.get(rid)
                if place is not None:
                    found[rid] = int(raw[place[0]][str(place[1])]["revision"])
            return found

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
            raw = self._database().log.read()  # the live tables: read, never changed
            documents: dict[tuple[str, int], dict[str, Any]] = {}
            for rid, state, rev in wanted:
                kind, doc_id = self._locate(rid)
                doc = documents.get((kind, doc_id)) or raw[kind][str(doc_id)]
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

    def store_reference(self, records: Sequence[Record], *, remove: Collection[str] = (),
                        settings: Mapping[str, Any] | None = None) -> None:
        """A page of a reference feed in a fixed number of writes, however long the page:
        ``remove`` (ids of records that never sync, so no tombstone) in one write, the new
        ``records`` in one, and the changed ones with the ``settings`` keys (the feed's
        cursor) in the last. Records are stored as they are (no validation, no new
        revision). The settings land only after the records they cover: a kill before that
        repeats the page, which is harmless."""
        with self._lock:
            db = self._database()
            gone: dict[str, dict[str, int]] = {}
            for rid in dict.fromkeys(remove):
                if rid in self._index:
                    kind, doc_id = self._locate(rid)
                    if kind not in NEVER_SYNCED_KINDS:
                        raise ValueError("only records that never sync go without a tombstone")
                    gone.setdefault(kind, {})[rid] = doc_id
            for kind, docs in gone.items():
                db.table(kind).remove(doc_ids=list(docs.values()))
                for rid in docs:
                    del self._index[rid]
            latest = {r.id: r for r in records}   # the last of an id in the page wins
            fresh: dict[str, list[Record]] = {}
            for r in latest.values():
                if r.id not in self._index:
                    fresh.setdefault(r.kind, []).append(r)
            inserted = {r.id for new in fresh.values() for r in new}
            for kind, new in fresh.items():
                doc_ids = db.table(kind).insert_multiple([to_dict(r) for r in new])
                self._index.update({r.id: (kind, d) for r, d in zip(new, doc_ids, strict=True)})
            changed = [(*self._locate(r.id), r) for r in latest.values()
                       if r.id not in inserted]
            if changed or settings:
                self._settings.write(dict(settings or {}), documents=[
                    (kind, str(doc_id), to_dict(r)) for kind, doc_id, r in changed])
        for kinds in gone.values():
            for rid in kinds:
                self._notify("deleted", rid)
        for r in latest.values():
            self._notify("stored", r.id)
