"""The settings document: where the repositories keep their values in the sealed store.

Each repository (agreements, served municipalities, preferences; sync's ledger) owns its keys
and their types: nothing else reads or writes a key. A write of several keys — and, for sync,
record documents beside them — is one durable frame, so a kill leaves all of it or none.
Values handed out are copies: changing one changes nothing stored.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

SETTINGS_TABLE = "settings"
_DOC_ID = "1"  # one document holds every key


class Storage(Protocol):
    """What the settings need of the store (the sealed log or its in-memory twin)."""

    lock: threading.RLock

    def read(self) -> dict[str, dict[str, Any]]: ...

    def apply_many(self, ops: list[dict[str, Any]]) -> None: ...


class Table(Protocol):
    def clear_cache(self) -> None: ...


class Database(Protocol):
    """The store's database (``fieldapp.store.StoreDatabase``) as the settings use it."""

    @property
    def log(self) -> Storage: ...

    def table(self, name: str) -> Table: ...


class SettingsDocument:
    """Typed repositories build on this; ``database`` raises when the logbook is locked."""

    def __init__(self, database: Callable[[], Database],
                 notify: Callable[[str, str], None]) -> None:
        self._database = database
        self._notify = notify

    def get(self, key: str, default: Any = None) -> Any:
        db = self._database()
        with db.log.lock:
            doc = (db.log.read().get(SETTINGS_TABLE) or {}).get(_DOC_ID) or {}
            return copy.deepcopy(doc[key]) if key in doc else default

    def write(self, changes: Mapping[str, Any], *,
              documents: Sequence[tuple[str, str, dict[str, Any]]] = ()) -> None:
        """Set keys (None removes one) and put ``documents`` (table, doc id, document) in the
        same durable frame (the documents' tables are the caller's, e.g. the records')."""
        db = self._database()
        with db.log.lock:
            doc = dict((db.log.read().get(SETTINGS_TABLE) or {}).get(_DOC_ID) or {})
            for key, value in changes.items():
                if value is None:
                    doc.pop(key, None)
                else:
                    doc[key] = value
            ops: list[dict[str, Any]] = (
                [{"t": SETTINGS_TABLE, "put": {_DOC_ID: doc}, "del": []}] if changes else [])
            by_table: dict[str, dict[str, Any]] = {}
            for table, doc_id, document in documents:
                by_table.setdefault(table, {})[doc_id] = document
            ops += [{"t": table, "put": puts, "del": []} for table, puts in by_table.items()]
            db.log.apply_many(ops)
            if not ops:
                return
            for table in (SETTINGS_TABLE, *by_table):
                db.table(table).clear_cache()
        for key in changes:
            self._notify("setting", key)
