"""Records decoded once: ``Logbook.list`` keeps each record it decoded beside the stored
document it came from, and decodes again only when that document was replaced.

The store never changes a stored document in place: every write puts new document objects
into its live tables (``store.changes.apply_ops``), so "the same object as last time" means
"the same content"; a document that differs from the one before only in its sync state (what
a sync writes) is not decoded again either. The cache holds the document it was made from,
so the object cannot be freed and another take its place. When no record table has been
written since the last look (``LogStorage.changes``), not even the documents are looked at:
every record is kept in one list, oldest first, grouped by class for copying. After a
write, the list and its grouping catch up from the documents the write put
(``ChangeCount.put_since``): a record changed in place keeps its place, a record newer than
every other goes last, and anything else (a deletion, a record dated earlier) sorts every
record afresh. Callers of
``of`` get copies (:mod:`fieldapp.domain.copies`) of the records ``where`` chose: a screen
may change the record it was given without touching the cache. ``where`` itself sees the
cached records: it must only read them. ``current`` hands out the cached records themselves,
for readers only (Home): see :mod:`fieldapp.current`, whose index follows every record
decoded and forgotten here.
``clear`` drops everything when the logbook closes, so no decoded record outlives the keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from .current import Current, CurrentIndex
from .domain import Record, from_dict
from .domain.copies import ByClass, copy_record
from .domain.kinds import RECORD_TYPES_BY_KIND
from .store import StoreDatabase
from .store.changes import version
from .store.collector import collector_paused

_MISSING = object()


#: A kept record and the stored document it was made from.
Found = tuple[dict[str, Any], Record]
#: Above this many changed documents, catching up costs as much as looking at every one.
_FEW = 256


def _restated(found: Found | None, doc: dict[str, Any]) -> Record | None:
    """The record decoded before with the new sync state, when that is all that changed
    (what a sync writes on every record it sends): a copy, not a decode."""
    if found is None:
        return None
    before = dict(found[0])
    before["sync_state"] = doc.get("sync_state", _MISSING)
    if before != doc:
        return None
    record = copy_record(found[1])
    record.sync_state = doc["sync_state"]
    return record


def _changed(found: Found | None, doc: dict[str, Any]) -> tuple[Record, bool]:
    """The record of a document not seen before, and whether it was only restated."""
    restated = _restated(found, doc)
    return (restated, True) if restated is not None else (from_dict(doc), False)


class DecodedRecords:
    def __init__(self) -> None:
        self._cache: dict[str, Found] = {}
        self._current = CurrentIndex()
        #: Every record, oldest first, and the store's (live tables, changes) it was made at.
        self._every: list[Record] = []
        self._every_by_class: ByClass | None = None  # made by the first list() that needs it
        self._every_at: tuple[int, tuple[int, ...]] | None = None
        self._every_written = 0  # the store's table writes ``_every`` has seen
        self._positions: dict[str, int] | None = None  # record id -> place in ``_every``

    def of(self, db: StoreDatabase, kinds: Iterable[str], *, every_kind: bool,
           where: Callable[[Record], bool] | None = None) -> list[Record]:
        """Copies of the records of ``kinds`` that ``where`` chooses, oldest first, decoding
        only documents not seen before. With ``every_kind`` the records no longer stored are
        forgotten too."""
        if every_kind:
            records = self._every_record(db)
        else:
            records = sorted(self._decoded(db, kinds, every_kind=False)[1],
                             key=lambda r: r.created_at)
        if where is not None:
            records = [r for r in records if where(r)]
        if records is not self._every:
            by_class = ByClass(records)
        else:
            if self._every_by_class is None:
                self._every_by_class = ByClass(records)
            by_class = self._every_by_class
        with collector_paused():  # as many copies made in one go
            return by_class.copy()

    def current(self, db: StoreDatabase, today: date, days_back: int) -> Current:
        """What Home needs (``CurrentIndex.select``): records shared, never to be changed."""
        self._every_record(db)
        return self._current.select(today, days_back)

    def _every_record(self, db: StoreDatabase) -> list[Record]:
        with db.log.lock:
            now_at = version(db.log, RECORD_TYPES_BY_KIND)
            if self._every_at == now_at:
                return self._every
            if self._every_at is not None and self._every_at[0] == now_at[0] \
                    and self._caught_up(db):
                self._every_at = now_at
                return self._every
        # the writes seen, read before the documents: catching up from here may look at a
        # document again (harmless), never miss one
        written = db.log.changes.written
        at, records = self._decoded(db, RECORD_TYPES_BY_KIND, every_kind=True)
        self._every = sorted(records, key=lambda r: r.created_at)
        self._every_by_class = self._positions = None
        self._every_at, self._every_written = at, written
        return self._every

    def _caught_up(self, db: StoreDatabase) -> bool:
        """Bring ``_every`` up to date from the documents written since it was made, when
        those writes only changed records in place or added records newer than every other
        (saving a form, a sync's states): what sorting afresh would give, without looking at
        every document. False, with ``_every`` as it was, when sorting afresh is needed."""
        keys = db.log.changes.put_since(self._every_written, RECORD_TYPES_BY_KIND)
        if keys is None or len(keys) > max(_FEW, len(self._every) // 8):
            return False
        live = db.log.read()
        plan = self._catch_up_plan([(live.get(table) or {}).get(key) for table, key in keys])
        if plan is None:
            return False
        positions = self._positions_of_every()
        for doc, found, record, restated in plan:
            if found is None or found[0] is not doc:
                self._remember(doc, found, record, restated)
            place, by_class = positions.get(record.id), self._every_by_class
            if place is None:
                positions[record.id] = len(self._every)
                self._every.append(record)
                if by_class is not None:
                    by_class.append(record)
            else:
                self._every[place] = record
                if by_class is not None:
                    by_class.replace(place, record)
        self._every_written = db.log.changes.written
        return True

    def _catch_up_plan(self, docs: list[dict[str, Any] | None]) -> list[
            tuple[dict[str, Any], Found | None, Record, bool]] | None:
        """Each document's record (the cached one while the document is the same), when each
        keeps its place in ``_every`` or comes after every record in it; else None."""
        positions, every = self._positions_of_every(), self._every
        last = every[-1].created_at if every else None
        plan = []
        for doc in docs:
            if doc is None:
                return None
            found = self._cache.get(doc["id"])
            record, restated = (found[1], False) if found is not None and found[0] is doc \
                else _changed(found, doc)
            place = positions.get(record.id)
            if place is None:
                if last is not None and not record.created_at > last:
                    return None
                last = record.created_at
            elif (every[place].created_at, every[place].kind) != (record.created_at,
                                                                  record.kind):
                return None
            plan.append((doc, found, record, restated))
        return plan

    def _positions_of_every(self) -> dict[str, int]:
        if self._positions is None:
            self._positions = {record.id: at for at, record in enumerate(self._every)}
        return self._positions

    def _remember(self, doc: dict[str, Any], found: Found | None, record: Record,
                  restated: bool) -> Found:
        """Keep ``record`` as the one of ``doc`` (``found``: what was kept for its id before),
        and tell the index what changed."""
        if found is None:
            self._current.added(record)
        elif restated:
            self._current.restated(found[1], record)
        else:
            self._current.removed(found[1])
            self._current.added(record)
        kept = self._cache[record.id] = (doc, record)
        return kept

    def _decoded(self, db: StoreDatabase, kinds: Iterable[str], *,
                 every_kind: bool) -> tuple[tuple[int, tuple[int, ...]], list[Record]]:
        """The records of ``kinds``, and the store's (live tables, changes) they were read at."""
        with collector_paused():  # documents decoded on first read, records made: many
            with db.log.lock:  # objects in one go
                live = db.log.read()  # the live tables: documents are replaced, never changed
                at = version(db.log, RECORD_TYPES_BY_KIND)
                docs = [doc for kind in kinds for doc in (live.get(kind) or {}).values()]
            out = self._records_of(docs)
        if every_kind and len(self._cache) > len(docs):
            seen = {doc["id"] for doc in docs}
            for record_id in [k for k in self._cache if k not in seen]:
                self._current.removed(self._cache.pop(record_id)[1])
        return at, out

    def _records_of(self, docs: list[dict[str, Any]]) -> list[Record]:
        """The record of each document: the one decoded before while it is the same."""
        cache = self._cache
        out = []
        for doc in docs:
            found = cache.get(doc["id"])
            if found is None or found[0] is not doc:
                found = self._remember(doc, found, *_changed(found, doc))
            out.append(found[1])
        return out

    def clear(self) -> None:
        self._cache.clear()
        self._current.clear()
        self._every, self._every_at = [], None
        self._every_by_class = self._positions = None
