"""``CachedTable``: TinyDB's Table, writing only the documents an operation touched.

Stock TinyDB 4.9 reads the whole database, rebuilds the table dict with int keys and writes
everything back on every insert, update and remove (11.9 ms per insert at 50k documents, even
in memory). Here the updater runs on a :class:`TrackingTable`, a view over the storage's live
table that records what is set, deleted or read, and the storage's ``apply`` receives only
those documents. The updater works on private copies, so nothing in memory changes unless
the write succeeded.

Storages without ``apply`` (plain ``MemoryStorage``, ``JSONStorage``) get stock behaviour.
All public methods run under the storage's lock, because Flet calls handlers from threads.
Documents handed out are TinyDB ``Document`` objects (shallow copies): do not mutate nested
values in them.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, cast

from tinydb.storages import Storage
from tinydb.table import Document, Table


def _clone(value: Any) -> Any:
    """A deep copy of JSON-shaped data (much faster than ``copy.deepcopy``)."""
    kind = type(value)
    if kind is dict:
        return {key: _clone(item) for key, item in value.items()}
    if kind is list:
        return [_clone(item) for item in value]
    return value


def _same(left: Any, right: Any) -> bool:
    """Equal and of the same JSON types all the way down (``True`` is not ``1``)."""
    kind = type(left)
    if kind is not type(right):
        return False
    if kind is dict:
        return left.keys() == right.keys() and all(_same(v, right[k]) for k, v in left.items())
    if kind is list:
        return len(left) == len(right) and all(map(_same, left, right))
    return bool(left == right)


class TrackingTable(MutableMapping[Any, Any]):
    """An int-keyed view of a live ``{str(doc_id): doc}`` table that records changes."""

    def __init__(self, live: dict[str, Any], id_class: Callable[[str], Any] = int) -> None:
        self._live = live
        self._id_class = id_class
        self._current: dict[Any, Any] = {}  # doc_id -> value handed to / set by the updater
        self._written: set[Any] = set()
        self._copied: set[Any] = set()
        self._deleted: dict[Any, None] = {}

    def _in_live(self, doc_id: Any) -> bool:
        return doc_id not in self._deleted and str(doc_id) in self._live

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._current or self._in_live(doc_id)

    def __getitem__(self, doc_id: Any) -> Any:
        if doc_id in self._current:
            return self._current[doc_id]
        if not self._in_live(doc_id):
            raise KeyError(doc_id)
        copy = _clone(self._live[str(doc_id)])
        self._current[doc_id] = copy
        self._copied.add(doc_id)
        return copy

    def __setitem__(self, doc_id: Any, value: Any) -> None:
        self._current[doc_id] = value
        self._written.add(doc_id)
        self._deleted.pop(doc_id, None)

    def __delitem__(self, doc_id: Any) -> None:
        if doc_id not in self:
            raise KeyError(doc_id)
        self._current.pop(doc_id, None)
        self._written.discard(doc_id)
        self._copied.discard(doc_id)
        self._deleted[doc_id] = None

    def __iter__(self) -> Iterator[Any]:
        for key in self._live:
            doc_id = self._id_class(key)
            if doc_id not in self._deleted:
                yield doc_id
        for doc_id in self._current:
            if str(doc_id) not in self._live:
                yield doc_id

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def clear(self) -> None:
        self._deleted.update(dict.fromkeys(self._id_class(key) for key in self._live))
        self._current.clear()
        self._written.clear()
        self._copied.clear()

    def changes(self) -> tuple[dict[str, Any], list[str]]:
        """The documents to store and the ids to delete, keyed as the storage keys them."""
        puts = {}
        for doc_id, value in self._current.items():
            if doc_id in self._written or not _same(value, self._live[str(doc_id)]):
                puts[str(doc_id)] = value
        deletes = [str(doc_id) for doc_id in self._deleted if str(doc_id) in self._live]
        return puts, deletes


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def run_locked(self: CachedTable, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return run_locked


class CachedTable(Table):
    """A TinyDB table that hands the storage only the documents a write touched."""

    def __init__(self, storage: Storage, name: str, *args: Any, **kwargs: Any) -> None:
        self._lock = getattr(storage, "lock", None) or threading.RLock()
        with self._lock:
            super().__init__(storage, name, *args, **kwargs)

    def __iter__(self) -> Iterator[Document]:
        with self._lock:
            docs = [
                self.document_class(doc, self.document_id_class(doc_id))
                for doc_id, doc in self._read_table().items()
            ]
        return iter(docs)

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        apply = getattr(self._storage, "apply", None)
        if apply is None:
            super()._update_table(updater)
            return
        with self._lock:
            tables = self._storage.read() or {}
            view = TrackingTable(tables.get(self.name, {}), self.document_id_class)
            # TinyDB's updaters only get, set, delete and iterate: a mapping serves them.
            updater(cast("dict[int, Any]", view))
            puts, deletes = view.changes()
            try:
                apply(self.name, puts, deletes)
            finally:
                self.clear_cache()


for _name in (
    "insert",
    "insert_multiple",
    "all",
    "search",
    "get",
    "contains",
    "update",
    "update_multiple",
    "upsert",
    "remove",
    "truncate",
    "count",
    "__len__",
):
    setattr(CachedTable, _name, _locked(getattr(Table, _name)))
