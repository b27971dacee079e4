"""The in-memory database state and the change operations applied to it.

Both storages hold the database as ``{table: {doc_id: doc}}``, so that what is in memory after
a write is exactly what a reopen would read back from the log: the in-memory one changes it
through :func:`apply_ops` on JSON that was encoded and decoded again, the sealed one applies
the very payload it appended (``chunks.apply_payload``: each document kept as its JSON until
read, in a ``lazy.LazyTable``).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterable
from itertools import islice
from typing import Any, Protocol

from tinydb.storages import Storage

#: ``{table: {doc_id: document}}``; the sealed storage's tables are ``lazy.LazyTable``.
Database = dict[str, Any]
Ops = list[dict[str, Any]]


def encode_json(value: Any) -> bytes:
    """Compact UTF-8 JSON (lone surrogates survive, as with TinyDB's own JSON storage)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_plain)
    return text.encode("utf-8", "surrogatepass")


def _plain(value: Any) -> Any:
    """A lazy table (``lazy.LazyTable``) is encoded as the dict it stands for."""
    to_dict = getattr(value, "to_dict", None)
    if to_dict is None:
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")
    return to_dict()


def decode_json(payload: bytes) -> Any:
    return json.loads(payload.decode("utf-8", "surrogatepass"))


def change_ops(table: str, puts: dict[str, Any], deletes: list[str]) -> Ops:
    return [{"t": table, "put": puts, "del": deletes}]


def apply_ops(data: Database, ops: Ops) -> None:
    """Apply decoded change operations to ``data`` in place."""
    for op in ops:
        table = data.setdefault(op["t"], {})
        for doc_id in op.get("del", ()):
            table.pop(doc_id, None)
        table.update(op.get("put", {}))


def is_valid_database(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(t, dict) for t in value.values())


def is_valid_ops(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(op, dict)
        and isinstance(op.get("t"), str)
        and isinstance(op.get("put", {}), dict)
        and isinstance(op.get("del", []), list)
        for op in value
    )


#: One write to one table, as the journal keeps it: the table, the keys of the documents it
#: put, and whether it deleted any.
Touched = tuple[str, tuple[str, ...], bool]


class ChangeCount:
    """How many writes changed each table, and how many replaced the whole database, since
    the storage opened: ``of(tables)`` is the same as long as none of ``tables`` changed.
    The last ``JOURNAL`` table writes are kept as keys (never a document): a reader that has
    seen the first ``written`` of them can catch up on what the rest put (``put_since``)."""

    JOURNAL = 512

    def __init__(self) -> None:
        self.replaced = 0
        self.tables: dict[str, int] = {}
        self.written = 0
        self._journal: deque[Touched] = deque(maxlen=self.JOURNAL)

    def count(self, ops: Ops) -> None:
        for op in ops:
            self.tables[op["t"]] = self.tables.get(op["t"], 0) + 1
            self.written += 1
            self._journal.append((op["t"], tuple(op.get("put", ())), bool(op.get("del"))))

    def replace(self) -> None:
        """The whole database was replaced: nothing before it can be caught up on."""
        self.replaced += 1
        self.written += 1
        self._journal.clear()

    def of(self, tables: Iterable[str]) -> tuple[int, ...]:
        return (self.replaced, *(self.tables.get(t, 0) for t in tables))

    def put_since(self, written: int, tables: Iterable[str]) -> list[tuple[str, str]] | None:
        """``(table, key)`` of each document put in ``tables`` by the writes after the first
        ``written``, each once, oldest first. None when those writes cannot be caught up on
        that way: one of them deleted a document of ``tables``, or they are no longer all
        kept (or the database was replaced since)."""
        behind = self.written - written
        if behind < 0 or behind > len(self._journal):
            return None
        wanted = set(tables)
        touched = [t for t in islice(self._journal, len(self._journal) - behind, None)
                   if t[0] in wanted]
        if any(deleted for _, _, deleted in touched):
            return None
        return list(dict.fromkeys((table, key) for table, puts, _ in touched for key in puts))


class LogStorage(Protocol):
    """What the database and the repositories use of a storage: the sealed log or its
    in-memory twin. Every read and write of several steps holds ``lock``."""

    lock: threading.RLock
    #: How many writes changed each table so far (a reader's cheap "anything new?").
    changes: ChangeCount

    def read(self) -> Database: ...

    def write(self, data: Database) -> None: ...

    def apply(self, table: str, puts: dict[str, Any], deletes: list[str]) -> None: ...

    def apply_many(self, ops: Ops) -> None: ...

    def close(self) -> None: ...


def version(log: LogStorage, tables: Iterable[str]) -> tuple[int, tuple[int, ...]]:
    """Which live database ``log`` holds and how often ``tables`` were written since it
    opened: the same as long as none of ``tables`` changed (read under ``log.lock``)."""
    return id(log.read()), log.changes.of(tables)


class MemoryLogStorage(Storage):
    """A TinyDB storage in memory with the same ``apply`` fast path as the sealed one.

    Writes go through JSON like in the sealed storage, so both behave the same (tuples become
    lists, keys become strings). Thread-safe through ``lock``.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.memory: Database = {}
        self.changes = ChangeCount()

    def read(self) -> Database:
        return self.memory

    def write(self, data: Database) -> None:
        with self.lock:
            self.memory = decode_json(encode_json(data))
            self.changes.replace()

    def apply(self, table: str, puts: dict[str, Any], deletes: list[str]) -> None:
        with self.lock:
            if table not in self.memory or puts or deletes:
                self.apply_many(change_ops(table, puts, deletes))

    def apply_many(self, ops: Ops) -> None:
        """Several tables' changes at once (one frame in the sealed storage)."""
        with self.lock:
            if not is_valid_ops(ops):
                raise ValueError("changes are a list of {t, put, del}")
            apply_ops(self.memory, decode_json(encode_json(ops)))
            self.changes.count(ops)
