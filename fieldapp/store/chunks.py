"""Indexed payloads: the snapshot chunks and change frames of version-2 logs.

One payload holds documents of one or more tables, each document as its own compact JSON, so
that opening a log only slices them apart and decoding waits until a document is read
(:mod:`.lazy`)::

    payload = index length u32 | index (compact JSON) | documents, back to back
    index   = [[table, [doc_id...], [byte length...], [record id or null...], [deleted id...]]]

A snapshot is one or more chunk frames (kind 3) at the start of the file, ``CHUNK_BYTES`` of
documents each, so neither writing nor reading it ever holds the whole database as one string.
A change frame (kind 4) is one payload: per table, the ids it deletes, then the documents it
puts. The record id column repeats each document's ``"id"`` field (null when it has none or it
is not a string): the logbook's id index is built from it without decoding a document.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate
from typing import Any

from .changes import Database, Ops, decode_json, encode_json
from .errors import StoreDamaged
from .lazy import ID_FIELD, LazyTable, table_in

CHUNK_BYTES = 1 << 20
_LENGTH = struct.Struct(">I")

Entry = list[Any]  # [table, ids, lengths, record ids, deleted ids]


def _record_id(doc: Any) -> str | None:
    rid = doc.get(ID_FIELD) if type(doc) is dict else None
    return rid if type(rid) is str else None


def _key(doc_id: Any) -> str:
    """A document key as JSON stores it (a string)."""
    if type(doc_id) is str:
        return doc_id
    return str(next(iter(decode_json(encode_json({doc_id: 0})))))


def _payload(index: list[Entry], parts: list[bytes]) -> bytes:
    head = encode_json(index)
    return b"".join([_LENGTH.pack(len(head)), head, *parts])


def change_payload(ops: Ops) -> bytes:
    """One change frame's payload for valid ``ops`` (see ``changes.is_valid_ops``)."""
    index: list[Entry] = []
    parts: list[bytes] = []
    for op in ops:
        entry: Entry = [op["t"], [], [], [], [_key(d) for d in op.get("del", ())]]
        for doc_id, doc in op.get("put", {}).items():
            raw = encode_json(doc)
            entry[1].append(_key(doc_id))
            entry[2].append(len(raw))
            entry[3].append(_record_id(doc))
            parts.append(raw)
        index.append(entry)
    return _payload(index, parts)


def snapshot_payloads(tables: Iterable[tuple[str, dict[str, Any], dict[str, Any]]],
                      pause: Callable[[], None] = lambda: None) -> Iterator[bytes]:
    """The chunk payloads of a snapshot of ``(table, documents, ids of raw documents)``;
    documents are raw JSON bytes (written as they are) or decoded (encoded here). ``pause``
    runs between documents now and then (the background compaction yields to writers)."""
    index: list[Entry] = []
    parts: list[bytes] = []
    size = 0
    for name, docs, ids in tables:
        entry: Entry = [name, [], [], [], []]
        index.append(entry)
        for count, (doc_id, doc) in enumerate(docs.items()):
            if type(doc) is bytes:
                raw, rid = doc, ids.get(doc_id)
            else:
                raw, rid = encode_json(doc), _record_id(doc)
            entry[1].append(doc_id)
            entry[2].append(len(raw))
            entry[3].append(rid)
            parts.append(raw)
            size += len(raw)
            if size >= CHUNK_BYTES:
                yield _payload(index, parts)
                entry = [name, [], [], [], []]
                index, parts, size = [entry], [], 0
            if count % 64 == 63:
                pause()
    yield _payload(index, parts)


def _parse(payload: bytes) -> tuple[list[Entry], int]:
    try:
        (length,) = _LENGTH.unpack_from(payload)
        index = decode_json(payload[4 : 4 + length])
    except (struct.error, ValueError):
        raise StoreDamaged("bad_payload") from None
    start = 4 + length
    total = 0
    ok = isinstance(index, list)
    for entry in index if ok else ():
        ok = (isinstance(entry, list) and len(entry) == 5 and type(entry[0]) is str
              and all(type(column) is list for column in entry[1:])
              and len(entry[1]) == len(entry[2]) == len(entry[3])
              and set(map(type, entry[1])) <= {str} and set(map(type, entry[2])) <= {int}
              and min(entry[2], default=0) >= 0)
        if not ok:
            break
        total += sum(entry[2])
    if not ok or start + total != len(payload):
        raise StoreDamaged("bad_payload")
    return index, start


def apply_payload(database: Database, payload: bytes) -> None:
    """Apply a chunk or change payload to ``database`` (tables are :class:`LazyTable`)."""
    index, offset = _parse(payload)
    for name, ids, lengths, rids, deletes in index:
        table = table_in(database, name)
        for doc_id in deletes:
            table.pop(doc_id, None)
        ends = list(accumulate(lengths, initial=offset))
        table.put_many(ids, [payload[a:b] for a, b in zip(ends, ends[1:], strict=False)], rids)
        offset = ends[-1]


def lazy_database(value: dict[str, dict[str, Any]]) -> Database:
    """An old-format (whole JSON) snapshot as lazy tables holding its decoded documents."""
    return {name: LazyTable.holding(docs) for name, docs in value.items()}
