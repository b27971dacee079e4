"""Opening the logbook database: TinyDB on the sealed log, or on memory for tests.

Both return a :class:`StoreDatabase` (a ``TinyDB``) with :class:`CachedTable` and the
migrations applied, so one contract suite runs over both.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from .changes import LogStorage, MemoryLogStorage
from .collector import collector_paused
from .migrations import MIGRATIONS, Migration, apply_migrations
from .sealed import DEFAULT_COMPACT_MIN_BYTES, SealedStorage
from .table import CachedTable
from .vault import LOG_FILE_NAME, Vault


class StoreDatabase(TinyDB):
    """TinyDB with the cached table class and database-level calls under the storage lock."""

    table_class = CachedTable

    def __init__(self, storage: LogStorage) -> None:
        #: The same object as ``storage``, typed as the log it is (TinyDB knows a Storage).
        self.log = storage
        super().__init__(storage=lambda: storage)

    def tables(self) -> set[str]:
        with self.log.lock:
            return super().tables()

    def drop_tables(self) -> None:
        with self.log.lock:
            super().drop_tables()

    def drop_table(self, name: str) -> None:
        with self.log.lock:
            self._tables.pop(name, None)
            data = self.log.read()
            if name in data:
                # Stock TinyDB deletes from what read() returned; ours is live memory.
                self.log.write({t: docs for t, docs in data.items() if t != name})

    def document(self, table: str, doc_id: int) -> dict[str, Any]:
        """A (shallow) copy of one document; KeyError when there is none."""
        doc = self.table(table).get(doc_id=doc_id)
        if doc is None:
            raise KeyError(doc_id)
        return dict(doc)

    def put_document(self, table: str, doc_id: int, document: dict[str, Any]) -> None:
        """Replace one document as a whole, in one durable write."""
        self.log.apply_many([{"t": table, "put": {str(doc_id): document}, "del": []}])
        self.table(table).clear_cache()

    def compact(self) -> None:
        """Compact the sealed log now (no-op in memory)."""
        compact = getattr(self.storage, "compact", None)
        if compact is not None:
            compact()


def open_database(
    data_dir: str | os.PathLike[str],
    vault: Vault,
    *,
    compact_min_bytes: int = DEFAULT_COMPACT_MIN_BYTES,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> StoreDatabase:
    """Open (or create) ``<data_dir>/logbook.sealed`` with an unlocked ``vault``."""
    with collector_paused():  # the logbook is read here (documents decoded when first read)
        storage = SealedStorage(
            Path(data_dir) / LOG_FILE_NAME, vault, compact_min_bytes=compact_min_bytes
        )
    try:
        if set(vault.generations) != {storage.generation}:
            # A compaction was interrupted: keep only the key the file is sealed with.
            vault.finish_rotation(storage.generation)
        db = StoreDatabase(storage)
        apply_migrations(db, migrations)
        storage.upgrade_in_background()  # a version-1 file is rewritten in today's format
    except BaseException:
        storage.close()
        raise
    return db


def MemoryDatabase(*, migrations: Sequence[Migration] = MIGRATIONS) -> StoreDatabase:  # noqa: N802
    """A database in memory that behaves like the sealed one (for tests and previews)."""
    db = StoreDatabase(MemoryLogStorage())
    apply_migrations(db, migrations)
    return db
