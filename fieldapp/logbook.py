"""The Logbook: the one facade that views and sync use to keep records.

    lb = Logbook.create(data_dir, pin="482913")   # first run; LogbookExists if one is there
    lb = Logbook.open(data_dir, pin="482913")     # WrongPin / LockedOut / StoreDamaged
    rid = lb.add(Observation(place="Ålgård stasjon", youth_count=12, categories={"alcohol"}))
    lb.get(rid); lb.list(Observation); lb.update(record); lb.delete(rid)
    lb.change_pin(old, new); lb.close()

Errors raised here: ``ValidationError`` (domain), ``RecordNotFound`` (KeyError),
``StaleRecord`` (the record changed since it was read), ``LogbookClosed``, and the store's
``WrongPin``/``LockedOut``/``StoreDamaged``/``PinRejected``/``NoLogbook``/``LogbookExists``.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar, overload

from .current import Current
from .decoded import DecodedRecords
from .domain import (
    RECORD_TYPES_BY_KIND,
    Consent,
    Record,
    from_dict,
    to_dict,
    validate,
)
from .errors import LogbookClosed, RecordNotFound, StaleRecord
from .home import assign_home, initial_sync_state
from .repositories import (
    Agreements,
    Preferences,
    ServedMunicipalities,
    SettingsDocument,
)
from .store import (
    KdfParams,
    KeyStore,
    MemoryDatabase,
    StoreDatabase,
    Vault,
    default_keystore,
    open_database,
    record_ids,
)
from .sync_records import SyncRecords
from .tombstones import Tombstone, TombstoneBook, delete_with_tombstones, finish_deletions

R = TypeVar("R", bound=Record)
Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Logbook:
    def __init__(self, db: StoreDatabase, vault: Vault | None, *, data_dir: Path | None,
                 clock: Clock = _utcnow):
        self._db: StoreDatabase | None = db
        self._vault = vault
        self._data_dir = data_dir
        self._clock = clock
        self._lock = threading.RLock()
        self._listeners: list[Callable[[str, str], None]] = []
        self._index: dict[str, tuple[str, int]] = {}
        self._decoded = DecodedRecords()  # list() decodes each stored document once
        self.settings = SettingsDocument(self._require_open, self._notify)
        self.served = ServedMunicipalities(self.settings)
        self.agreements = Agreements(self.settings, self.served)
        self.preferences = Preferences(self.settings)
        self.sync_records = SyncRecords(lock=self._lock, database=self._require_open,
                                        locate=self._locate, index=self._index,
                                        settings=self.settings, notify=self._notify)
        raw = db.log.read()  # the live tables: no copies, no Document objects
        for kind in RECORD_TYPES_BY_KIND:
            for doc_id, record_id in record_ids(raw.get(kind)):  # nothing decoded
                self._index[record_id] = (kind, int(doc_id))
        finish_deletions(db, self._index)

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def create(cls, data_dir: str | os.PathLike[str], pin: str, *,
               keystore: KeyStore | None = None, kdf: KdfParams | None = None,
               clock: Clock = _utcnow) -> Logbook:
        path = Path(data_dir)
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        vault = Vault.create(path, pin, keystore or default_keystore(path), kdf=kdf,
                             clock=lambda: clock().timestamp())
        return cls(open_database(path, vault), vault, data_dir=path, clock=clock)

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str], pin: str, *,
             keystore: KeyStore | None = None, clock: Clock = _utcnow) -> Logbook:
        path = Path(data_dir)
        vault = Vault.unlock(path, pin, keystore or default_keystore(path),
                             clock=lambda: clock().timestamp())
        try:
            db = open_database(path, vault)
        except BaseException:
            vault.lock()
            raise
        return cls(db, vault, data_dir=path, clock=clock)

    @classmethod
    def exists(cls, data_dir: str | os.PathLike[str]) -> bool:
        return (Path(data_dir) / "vault.key").exists()

    @classmethod
    def in_memory(cls, *, clock: Clock = _utcnow) -> Logbook:
        """A logbook that lives only in memory (tests and previews)."""
        return cls(MemoryDatabase(), None, data_dir=None, clock=clock)

    @property
    def is_open(self) -> bool:
        return self._db is not None

    @property
    def data_dir(self) -> Path | None:
        return self._data_dir

    def close(self) -> None:
        """Close the store and drop the keys from memory. Safe to call twice."""
        with self._lock:
            self._decoded.clear()
            if self._db is not None:
                self._db.close()
                self._db = None
            if self._vault is not None:
                self._vault.lock()
                self._vault = None

    lock = close

    def __enter__(self) -> Logbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def change_pin(self, old_pin: str, new_pin: str) -> None:
        """Re-wrap the data key under the new PIN; the database bytes do not change."""
        with self._lock:
            self._require_open()
            if self._vault is None:
                raise LogbookClosed("an in-memory logbook has no PIN")
            self._vault.change_pin(old_pin, new_pin)

    def compact(self) -> None:
        """Rewrite the store without history; rotates the data key on a sealed store."""
        with self._lock:
            db = self._require_open()
        db.compact()  # the store compacts beside writes: adds need not wait for the logbook

    # -- records ---------------------------------------------------------------------------

    def add(self, record: R) -> str:
        """Validate and store a new record; returns its id. The record gets revision 1."""
        with self._lock:
            db = self._require_open()
            if record.id in self._index:
                raise ValueError("a record with this id exists already")
            self._default_municipality(record)
            validate(record)
            now = self._clock()
            record.created_at = record.updated_at = now
            record.revision = 1
            record.sync_state = initial_sync_state(record)
            doc_id = db.table(record.kind).insert(to_dict(record))
            self._index[record.id] = (record.kind, doc_id)
        self._notify("added", record.id)
        return record.id

    def get(self, record_id: str) -> Record:
        with self._lock:
            kind, doc_id = self._locate(record_id)
            return from_dict(self._require_open().document(kind, doc_id))

    @overload
    def list(self, record_type: None = None, *, municipality: str | None = None,
             where: Callable[[Record], bool] | None = None) -> builtins.list[Record]: ...
    @overload
    def list(self, record_type: type[R], *, municipality: str | None = None,
             where: Callable[[R], bool] | None = None) -> builtins.list[R]: ...

    def list(self, record_type: type[Record] | None = None, *, municipality: str | None = None,
             where: Callable[[Any], bool] | None = None) -> builtins.list[Any]:
        """Copies of the records of a type (or all), oldest first. ``where`` is given the
        logbook's own records to choose from: it must not change them."""
        kinds = [record_type.kind] if record_type else list(RECORD_TYPES_BY_KIND)
        chosen = where
        if municipality is not None:
            def chosen(r: Any) -> bool:
                return r.municipality == municipality and (where is None or where(r))
        with self._lock:
            return self._decoded.of(self._require_open(), kinds, every_kind=not record_type,
                                    where=chosen)

    def current(self, today: date, days_back: int) -> Current:
        """What Home needs on ``today`` (:mod:`fieldapp.current`): the decoded records
        themselves, shared. Read them; change a record read with ``get``."""
        with self._lock:
            return self._decoded.current(self._require_open(), today, days_back)

    def update(self, record: Record) -> int:
        """Store a changed record; returns its new revision. StaleRecord if it moved on."""
        with self._lock:
            kind, doc_id = self._locate(record.id)
            current = self.get(record.id)
            if current.revision != record.revision:
                raise StaleRecord("the record was changed after it was read")
            self._default_municipality(record, fill=False)
            validate(record)
            record.revision = current.revision + 1
            record.updated_at = self._clock()
            record.created_at = current.created_at
            record.sync_state = initial_sync_state(record)
            self._replace(kind, doc_id, record)
        self._notify("updated", record.id)
        return record.revision

    def delete(self, record_id: str) -> None:
        """Remove a record; removing a follow-up case also removes its consents. Each removed
        record of a kind that syncs leaves a tombstone for the backend (fieldapp/tombstones)."""
        with self._lock:
            self._locate(record_id)
            removed = delete_with_tombstones(self._require_open(), self._index, record_id,
                                             self._clock())
        for rid in removed:
            self._notify("deleted", rid)

    def tombstones(self) -> builtins.list[Tombstone]:
        """Deletions no backend has acknowledged yet (bookkeeping, never in ``list()``)."""
        with self._lock:
            return TombstoneBook(self._require_open()).pending()

    def acknowledge_tombstones(self, keys: Sequence[tuple[str, int]]) -> builtins.list[bool]:
        """Forget the tombstones with these (record id, revision) in one durable write."""
        with self._lock:
            return TombstoneBook(self._require_open()).acknowledge(keys)

    def count(self, record_type: type[Record] | None = None) -> int:
        with self._lock:
            self._require_open()
            if record_type is None:
                return len(self._index)
            return sum(1 for kind, _ in self._index.values() if kind == record_type.kind)

    # -- served municipalities --------------------------------------------------------------

    def municipalities(self) -> builtins.list[dict[str, Any]]:
        """The municipalities this police contact serves: [{"code", "name", "schools"}]."""
        return [m.as_json() for m in self.served.all()]

    # -- change listeners (the UI refreshes on these) --------------------------------------

    def subscribe(self, listener: Callable[[str, str], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # -- internals -------------------------------------------------------------------------

    def _require_open(self) -> StoreDatabase:
        if self._db is None:
            raise LogbookClosed("the logbook is locked")
        return self._db

    def _locate(self, record_id: str) -> tuple[str, int]:
        self._require_open()
        try:
            return self._index[record_id]
        except KeyError:
            raise RecordNotFound("no record with that id") from None

    def _replace(self, kind: str, doc_id: int, record: Record) -> None:
        self._require_open().put_document(kind, doc_id, to_dict(record))

    def _default_municipality(self, record: Record, *, fill: bool = True) -> None:
        case = record.case_id if isinstance(record, Consent) else ""
        assign_home(record, set(self.served.codes()),
                    self._case_municipality(case) if case else "", fill=fill)

    def _case_municipality(self, case_id: str) -> str:
        return str(self.get(case_id).municipality or "") if case_id in self._index else ""

    def _notify(self, event: str, key: str) -> None:
        for listener in list(self._listeners):
            with contextlib.suppress(Exception):
                listener(event, key)

