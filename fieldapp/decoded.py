"""Records decoded once: ``Logbook.list`` keeps each record it decoded beside the stored
document it came from, and decodes again only when that document was replaced.

The store never changes a stored document in place: every write puts new document objects
into its live tables (``store.changes.apply_ops``), so "the same object as last time" means
"the same content". The cache holds the document it was made from, so the object cannot be
freed and another take its place. Callers get copies (``codec.copy_record``): a screen may
change the record it was given without touching the cache. ``clear`` drops everything when
the logbook closes, so no decoded record outlives the keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .domain import Record, from_dict
from .domain.codec import copy_record
from .store import StoreDatabase
from .store.collector import collector_paused


class DecodedRecords:
    def __init__(self) -> None:
        self._cache: dict[str, tuple[dict[str, Any], Record]] = {}

    def of(self, db: StoreDatabase, kinds: Iterable[str], *, every_kind: bool) -> list[Record]:
        """Copies of the records of ``kinds``, decoding only documents not seen before.
        With ``every_kind`` the records no longer stored are forgotten too."""
        with db.log.lock:
            live = db.log.read()  # the live tables: documents are replaced, never changed
            docs = [doc for kind in kinds for doc in (live.get(kind) or {}).values()]
        with collector_paused():  # tens of thousands of records made in one go
            out = []
            for doc in docs:
                found = self._cache.get(doc["id"])
                if found is None or found[0] is not doc:
                    found = self._cache[doc["id"]] = (doc, from_dict(doc))
                out.append(copy_record(found[1]))
        if every_kind and len(self._cache) > len(docs):
            seen = {doc["id"] for doc in docs}
            for record_id in [k for k in self._cache if k not in seen]:
                del self._cache[record_id]
        return out

    def clear(self) -> None:
        self._cache.clear()
