"""The backend's database: SQLite (a file, the embedded default) or PostgreSQL (a URL).

``Database(target)`` picks the dialect: a ``postgresql://`` URL connects with psycopg 3, any
other target is a SQLite file. Either way the rest of the backend sees one API (``dialect.py``):
``db.conn.execute(sql, params)`` with ``?`` placeholders, rows by index and by column name, SQL
in SQLite's spelling rewritten for PostgreSQL (``json_extract`` -> ``->>``, ``INSERT OR
IGNORE`` -> ``ON CONFLICT DO NOTHING``). One named migration list runs on both
(``migrations.py``), dialect-aware where the two differ (identity columns, triggers).

Tables: ``devices`` (token and one-time code hashed, never stored in clear), ``records`` (one
row per received record revision, keyed by id and revision), ``audit`` (append-only, enforced
by the database, and hash-chained: ``audit_chain.py``), ``reference`` (crisis contacts and
schools as a change feed: each change gets a new ``seq``, which is the pull cursor), ``meta``
(configuration), ``tombstones`` (records the phone deleted: no row of theirs may come back,
see ``tombstones.py``) and ``schema_migrations`` (which named steps ran, and when).

One writer at a time: ``transaction()`` is ``BEGIN IMMEDIATE`` on SQLite and, on PostgreSQL,
``BEGIN`` plus ``pg_advisory_xact_lock`` (one lock key for the backend), so that the intake's
read-check-insert and the audit chain hold across several server processes too. Each process
has one connection, used by one thread at a time (``lock``); on PostgreSQL it is opened again
between transactions when the server dropped it.

Roles on PostgreSQL: the owner runs the migrations (any write command, e.g. ``config``); the
server should connect as a role with SELECT and INSERT but no UPDATE, DELETE or TRUNCATE on
``audit`` (README, "PostgreSQL"); such a role opens a migrated database without CREATE rights.

What stays SQLite-only, and what PostgreSQL does instead:
- ``secure_delete`` and the WAL scrub (``tombstones.scrub_wal``): SQLite overwrites deleted
  content in the file and the WAL is truncated afterwards. PostgreSQL has no such thing: a
  deleted or emptied row stays as a dead tuple until (auto)vacuum reuses its space, and in
  the WAL until the segment is recycled; nothing is done there per request (VACUUM would not
  overwrite the bytes either). A municipality running PostgreSQL must treat the cluster's
  storage, WAL archive and backups as holding personal data.
- File modes (0600): PostgreSQL's files belong to its server; access is by role.
- Read-only: SQLite opens the file with ``mode=ro``; PostgreSQL connects with
  ``default_transaction_read_only=on``. Both fail with ``DatabaseMissing`` when the database
  does not exist; a server that cannot be reached is ``DatabaseUnavailable``; neither message
  carries a password (``dialect.redact``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import audit_chain
from .dialect import (
    POSTGRES,
    SQLITE,
    Conn,
    DatabaseMissing,
    connect_postgres,
    errors,
    is_url,
    redact,
)
from .migrations import MIGRATIONS, run_step

__all__ = ["MIGRATIONS", "Conn", "Database", "DatabaseMissing", "normalise_code", "secret_hash",
           "utc_now"]

DEFAULTS = {"recipient": "slt", "municipality": "", "name": "Kommunens SLT-mottak",
            "min_app_version": "0.1.0"}


def secret_hash(secret: str) -> str:
    """Tokens and one-time codes are stored only as this hash (they are long and random)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def utc_now() -> str:
    return datetime.now(UTC).isoformat()


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


WRITE_LOCK = 0x506B6F6E74616B74   # pg_advisory_xact_lock key: one writer at a time


class Database:
    """``Database(target)``: a SQLite file (created owner-only, 0600, like its -wal and -shm,
    which SQLite creates with the file's mode) or a ``postgresql://`` URL (the database must
    exist); the schema is migrated on open. ``readonly=True`` opens an existing database
    read-only, creates and migrates nothing, and raises ``DatabaseMissing`` when it is absent.
    """

    conn: Conn

    def __init__(self, target: str | Path, *, readonly: bool = False):
        self.readonly = readonly
        self.lock = threading.RLock()
        if is_url(target):
            self.dialect, self.target = POSTGRES, str(target)
            self.path: Path | None = None
            self.conn = connect_postgres(self.target, readonly=readonly)
            if not readonly:
                self.migrate()
            return
        self.dialect, self.path = SQLITE, Path(target)
        self.target = str(self.path)
        self.conn = self._open_sqlite(self.path, readonly)

    def _open_sqlite(self, path: Path, readonly: bool) -> sqlite3.Connection:
        if readonly and not path.is_file():
            raise DatabaseMissing(path)
        in_memory = str(path) == ":memory:"
        if not readonly and not in_memory:
            _create_private(path)
        target = f"file:{quote(str(path.absolute()))}?mode=ro" if readonly else str(path)
        conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None,
                               uri=readonly)
        conn.row_factory = sqlite3.Row
        self.conn = conn
        if not readonly:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA secure_delete=ON")  # deleted content is overwritten
        if not readonly:
            self.migrate()
        if not readonly and not in_memory:
            make_private(path)
        return conn

    def __repr__(self) -> str:   # never the URL's password
        shown = redact(self.target) if self.dialect == POSTGRES else self.target
        return f"Database({shown!r}, dialect={self.dialect})"

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Conn]:
        """One write transaction at a time, across connections and processes."""
        with self.lock:
            if self.dialect == SQLITE:
                self.conn.execute("BEGIN IMMEDIATE")
            else:
                self.conn.execute("BEGIN")
                if not self.readonly:
                    self.conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))
            try:
                yield self.conn
            except BaseException:
                with contextlib.suppress(*errors()):
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def migrate(self) -> list[str]:
        """Run every named migration not yet recorded; returns the names that ran."""
        with self.lock:
            if not self._has_migrations_table():
                self.conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                                  "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            done = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations")}
            ran = []
            for name, steps in MIGRATIONS:
                if name in done:
                    continue
                with self.transaction() as conn:
                    # another process may have run it while this one waited for the lock
                    if conn.execute("SELECT 1 FROM schema_migrations WHERE name = ?",
                                    (name,)).fetchone():
                        continue
                    for step in steps:
                        run_step(conn, self.dialect, step)
                    conn.execute("INSERT INTO schema_migrations VALUES (?, ?)",
                                 (name, utc_now()))
                ran.append(name)
            return ran

    def _has_migrations_table(self) -> bool:
        """Asked first, so that an app role without CREATE rights opens a migrated database."""
        if self.dialect == SQLITE:
            return False   # CREATE TABLE IF NOT EXISTS is enough
        return bool(self.conn.execute(
            "SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0])

    def meta(self, key: str) -> str:
        with self.lock:
            row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else DEFAULTS.get(key, "")

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                         "SET value = excluded.value", (key, value))

    def audit(self, conn: Conn, event: str, status: str, *,
              device_id: str | None = None, record_id: str | None = None,
              revision: int | None = None, hash_: str | None = None,
              reason: str | None = None) -> None:
        """Append one audit row, hash-chained to the one before (inside ``transaction()``)."""
        audit_chain.append(conn, audit_values(event, status, device_id=device_id,
                                              record_id=record_id, revision=revision,
                                              hash_=hash_, reason=reason))

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self.lock:
            return self.conn.execute(sql, params).fetchall()


def audit_values(event: str, status: str, *, device_id: str | None = None,
                 record_id: str | None = None, revision: int | None = None,
                 hash_: str | None = None, reason: str | None = None) -> tuple[Any, ...]:
    """An audit row's fields in ``audit_chain.FIELDS`` order without ``seq``, stamped now."""
    return (utc_now(), device_id, event, record_id, revision, hash_, status, reason)


def _create_private(path: Path) -> None:
    """Create the database file owner-only (0600) unless it exists."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | _NOFOLLOW, 0o600))


def make_private(path: Path) -> None:
    """Owner-only access (0600) for the database and its -wal and -shm, when they exist."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        try:
            if not candidate.is_symlink() and candidate.stat().st_mode & 0o077:
                candidate.chmod(0o600)
        except (FileNotFoundError, PermissionError):
            continue


