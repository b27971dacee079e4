"""Named, ordered schema migrations, recorded in the ``_meta`` table.

Each step is ``(name, function(db))``. Applied steps are recorded as
``{"kind": "migration", "name": ..., "applied_at": ISO-8601 UTC}``; running again skips them.
A step is recorded after it ran, so a crash in between runs it again: steps must be
idempotent (use ``upsert``, not ``insert``). Add new steps at the end with the next number.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from tinydb import Query, TinyDB

META_TABLE = "_meta"
SCHEMA_VERSION = 1

Migration = tuple[str, Callable[[TinyDB], None]]


def _initial(db: TinyDB) -> None:
    """Record the schema version the store starts with."""
    meta = db.table(META_TABLE)
    meta.upsert({"kind": "schema", "version": 1}, Query().kind == "schema")


MIGRATIONS: list[Migration] = [
    ("0001_initial", _initial),
]


def applied_migrations(db: TinyDB) -> list[str]:
    """Names of the steps already applied, in the order they were applied."""
    return [doc["name"] for doc in db.table(META_TABLE).search(Query().kind == "migration")]


def schema_version(db: TinyDB) -> int:
    """The schema version recorded in ``_meta`` (0 before the first migration)."""
    doc = db.table(META_TABLE).get(Query().kind == "schema")
    return int(doc["version"]) if doc else 0


def apply_migrations(
    db: TinyDB,
    migrations: Sequence[Migration] = MIGRATIONS,
    clock: Callable[[], float] = time.time,
) -> list[str]:
    """Apply the steps not yet recorded, in order; return the names applied now."""
    names = [name for name, _step in migrations]
    if names != sorted(names) or len(set(names)) != len(names):
        raise ValueError("migration names must be unique and in order")
    done = set(applied_migrations(db))
    applied = []
    meta = db.table(META_TABLE)
    for name, step in migrations:
        if name in done:
            continue
        step(db)
        stamp = datetime.fromtimestamp(clock(), UTC).isoformat(timespec="seconds")
        meta.insert({"kind": "migration", "name": name, "applied_at": stamp})
        applied.append(name)
    return applied
