"""Tables whose documents are kept as their stored JSON and decoded on first access.

A :class:`LazyTable` maps ``doc_id -> document`` like the plain dicts of the database, but
holds each document as the compact JSON bytes it was stored as until someone reads it; the
first read decodes it and keeps the decoded dict, so later reads hand out the same object
(``fieldapp.decoded`` relies on that). Writes put new documents as JSON bytes too: nothing a
write stores is decoded until read. Bytes are not tracked by the cyclic garbage collector, so a
logbook of 50k records costs the collector next to nothing until the records are decoded.

Each table also knows the ``"id"`` field of the documents it has not decoded (written beside
them in the snapshot's index and taken at write time), so a caller that needs only the record
ids (the logbook's index at open) can have them without decoding: :meth:`LazyTable.record_ids`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from .changes import decode_json
from .collector import collector_paused
from .errors import StoreDamaged

ID_FIELD = "id"
BATCH = 1024


def _decode(raw: bytes) -> Any:
    try:
        return decode_json(raw)
    except ValueError:
        raise StoreDamaged("bad_payload") from None


class LazyTable(MutableMapping[str, Any]):
    """``{doc_id: document}`` with documents decoded on first access."""

    __slots__ = ("_docs", "_ids")

    def __init__(self) -> None:
        #: doc id -> decoded document, or its compact JSON (``bytes``) until first read.
        self._docs: dict[str, Any] = {}
        #: doc id -> the document's "id" field, for documents not decoded yet.
        self._ids: dict[str, Any] = {}

    # -- loading and writing ---------------------------------------------------------------

    def put_many(self, doc_ids: list[str], raws: list[bytes], record_ids: list[Any]) -> None:
        """Keep each ``raws`` (a document's compact JSON) for its doc id, undecoded, with its
        record id (None: unknown until decoded); opening a snapshot chunk."""
        docs, ids = self._docs, self._ids
        docs.update(zip(doc_ids, raws, strict=True))
        if None not in record_ids:
            ids.update(zip(doc_ids, record_ids, strict=True))
            return
        for doc_id, record_id in zip(doc_ids, record_ids, strict=True):
            if record_id is None:
                ids.pop(doc_id, None)
            else:
                ids[doc_id] = record_id

    @classmethod
    def holding(cls, docs: dict[str, Any]) -> LazyTable:
        """A table over decoded documents (an old-format snapshot): ``docs`` is kept, not
        copied."""
        table = cls()
        table._docs = docs
        return table

    def entries(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Shallow copies of the documents (raw or decoded) and the ids of the raw ones: a
        consistent picture to write a snapshot from (stored documents are never changed in
        place, only replaced)."""
        return dict(self._docs), dict(self._ids)

    def record_ids(self) -> Iterator[tuple[str, Any]]:
        """``(doc_id, document["id"])`` for every document, decoding none."""
        ids = self._ids
        if len(ids) == len(self._docs):  # nothing decoded yet, every id known
            yield from ids.items()
            return
        for doc_id, doc in self._docs.items():
            if type(doc) is bytes and doc_id in ids:
                yield doc_id, ids[doc_id]
            else:
                doc = self[doc_id]
                yield doc_id, doc.get(ID_FIELD) if type(doc) is dict else None

    @property
    def undecoded(self) -> int:
        return sum(1 for doc in self._docs.values() if type(doc) is bytes)

    # -- the mapping -----------------------------------------------------------------------

    def __getitem__(self, doc_id: str) -> Any:
        doc = self._docs[doc_id]
        if type(doc) is bytes:
            doc = self._docs[doc_id] = _decode(doc)
            self._ids.pop(doc_id, None)
        return doc

    def get(self, doc_id: str, default: Any = None) -> Any:
        try:
            return self[doc_id]
        except KeyError:
            return default

    def __setitem__(self, doc_id: str, doc: Any) -> None:
        self._docs[doc_id] = doc
        self._ids.pop(doc_id, None)

    def __delitem__(self, doc_id: str) -> None:
        del self._docs[doc_id]
        self._ids.pop(doc_id, None)

    def pop(self, doc_id: str, *default: Any) -> Any:
        """Remove ``doc_id`` without decoding it (returns what was held)."""
        self._ids.pop(doc_id, None)
        return self._docs.pop(doc_id, *default)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._docs

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)

    def keys(self) -> Any:
        return self._docs.keys()

    def items(self) -> Any:
        self._decode_all()
        return list(self._docs.items())

    def values(self) -> Any:
        self._decode_all()
        return list(self._docs.values())

    def _decode_all(self) -> None:
        """Decode every document not decoded yet, ``BATCH`` documents per ``json.loads``
        (one call per document would cost about as much again in call overhead)."""
        docs = self._docs
        pending = [doc_id for doc_id, doc in docs.items() if type(doc) is bytes]
        if not pending:
            return
        with collector_paused():  # thousands of dicts at once, none in a cycle
            for start in range(0, len(pending), BATCH):
                batch = pending[start : start + BATCH]
                values = _decode(b"[" + b",".join([docs[k] for k in batch]) + b"]")
                if type(values) is not list or len(values) != len(batch):
                    values = [_decode(docs[k]) for k in batch]
                docs.update(zip(batch, values, strict=True))
        self._ids.clear()

    def to_dict(self) -> dict[str, Any]:
        return dict(self.items())

    def __repr__(self) -> str:
        return f"<LazyTable {len(self._docs)} documents>"


def table_in(database: MutableMapping[str, Any], name: str) -> LazyTable:
    """``database[name]`` as a lazy table (created when missing)."""
    table = database.get(name)
    if not isinstance(table, LazyTable):
        table = database[name] = LazyTable.holding(dict(table or {}))
    return table


def record_ids(table: Mapping[str, Any] | None) -> Iterator[tuple[str, Any]]:
    """``(doc_id, document["id"])`` for every document of ``table`` (a lazy table decodes
    none for it; a plain dict, as in the in-memory database, is read as it is)."""
    if isinstance(table, LazyTable):
        return table.record_ids()
    return ((doc_id, doc.get(ID_FIELD)) for doc_id, doc in (table or {}).items())
