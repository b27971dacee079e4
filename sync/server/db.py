"""The backend's SQLite file: named migrations, an append-only audit, one lock.

Tables: ``devices`` (token and one-time code hashed, never stored in clear), ``records`` (one
row per received record revision, keyed by id and revision), ``audit`` (append-only: triggers
refuse UPDATE and DELETE), ``reference`` (crisis contacts and schools as a change feed: each
change gets a new ``seq``, which is the pull cursor), ``meta`` (configuration),
``tombstones`` (records the phone deleted: no row of theirs may come back, see
``tombstones.py``) and ``schema_migrations`` (which named steps ran, and when). The connection
runs with ``secure_delete``: deleted content is overwritten in the file.
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

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_devices_records_audit", """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE devices (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL,
            code_hash TEXT UNIQUE, code_expires_at TEXT,
            token_hash TEXT UNIQUE, enrolled_at TEXT, revoked_at TEXT);
        CREATE TABLE records (
            id TEXT NOT NULL, revision INTEGER NOT NULL, kind TEXT NOT NULL,
            municipality TEXT NOT NULL, device_id TEXT NOT NULL, hash TEXT NOT NULL,
            payload TEXT NOT NULL, basis TEXT NOT NULL, consent_ids TEXT NOT NULL,
            received_at TEXT NOT NULL, PRIMARY KEY (id, revision));
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, device_id TEXT,
            event TEXT NOT NULL, record_id TEXT, revision INTEGER, hash TEXT,
            status TEXT NOT NULL, reason TEXT);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;
    """),
    ("0002_reference_feed", """
        CREATE TABLE reference (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, id TEXT NOT NULL,
            data TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
        CREATE UNIQUE INDEX reference_kind_id ON reference (kind, id);
    """),
    ("0004_tombstones", """
        CREATE TABLE tombstones (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, revision INTEGER NOT NULL,
            device_id TEXT NOT NULL, received_at TEXT NOT NULL);
        CREATE TRIGGER records_stay_deleted BEFORE INSERT ON records
            WHEN EXISTS (SELECT 1 FROM tombstones t
                         WHERE t.id = NEW.id AND t.revision >= NEW.revision)
            BEGIN SELECT RAISE(IGNORE); END;
    """),
    # A case is judged on the consents held for it: find them without reading every record.
    ("0005_consent_case_index", """
        CREATE INDEX records_consent_case ON records (json_extract(payload, '$.case_id'))
            WHERE kind = 'consent';
    """),
    # The coordinator's console: accounts (scrypt hashes, lockout) and sessions (id hashed).
    ("0006_console_users", """
        CREATE TABLE console_users (
            id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
            password_hash TEXT NOT NULL, created_at TEXT NOT NULL, disabled_at TEXT,
            failed_logins INTEGER NOT NULL DEFAULT 0, locked_until TEXT);
        CREATE TABLE console_sessions (
            id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, csrf TEXT NOT NULL,
            created_at TEXT NOT NULL, last_seen TEXT NOT NULL);
    """),
    # Refused enrolments (wrong codes, throttled clients) counted per hour and client
    # pseudonym, so that an attack does not grow the audit row by row (see refusals.py).
    ("0007_edge_refusals", """
        CREATE TABLE refusals (
            hour TEXT NOT NULL, event TEXT NOT NULL, client TEXT NOT NULL,
            reason TEXT NOT NULL, count INTEGER NOT NULL, first_at TEXT NOT NULL,
            last_at TEXT NOT NULL, PRIMARY KEY (hour, event, client, reason));
    """),
]

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


class DatabaseMissing(FileNotFoundError):
    """A read-only command named a database file that does not exist."""

    def __init__(self, path: Path):
        super().__init__(f"databasen finnes ikke / the database does not exist: {path}")


class Database:
    """``Database(path)`` creates and migrates the file (owner-only, 0600, like its -wal and
    -shm, which SQLite creates with the file's mode); ``readonly=True`` opens an existing file
    read-only (``mode=ro``), creates nothing and raises ``DatabaseMissing`` when it is absent."""

    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        if readonly and not self.path.is_file():
            raise DatabaseMissing(self.path)
        in_memory = str(path) == ":memory:"
        if not readonly and not in_memory:
            _create_private(self.path)
        target = f"file:{quote(str(self.path.absolute()))}?mode=ro" if readonly \
            else str(self.path)
        self.conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None,
                                    uri=readonly)
        self.conn.row_factory = sqlite3.Row
        self.lock = threading.RLock()
        if not readonly:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA secure_delete=ON")  # deleted content is overwritten
        if not readonly:
            self.migrate()
        if not readonly and not in_memory:
            make_private(self.path)

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def migrate(self) -> list[str]:
        """Run every named step not yet recorded; returns the names that ran."""
        with self.lock:
            self.conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                              "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            done = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations")}
            ran = []
            for name, script in MIGRATIONS:
                if name in done:
                    continue
                statements = [s for s in _split(script) if s.strip()]
                with self.transaction() as conn:
                    for statement in statements:
                        conn.execute(statement)
                    conn.execute("INSERT INTO schema_migrations VALUES (?, ?)",
                                 (name, utc_now()))
                ran.append(name)
            return ran

    def meta(self, key: str) -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else DEFAULTS.get(key, "")

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                         "SET value = excluded.value", (key, value))

    def audit(self, conn: sqlite3.Connection, event: str, status: str, *,
              device_id: str | None = None, record_id: str | None = None,
              revision: int | None = None, hash_: str | None = None,
              reason: str | None = None) -> None:
        conn.execute("INSERT INTO audit (at, device_id, event, record_id, revision, hash, "
                     "status, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (utc_now(), device_id, event, record_id, revision, hash_, status, reason))

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self.conn.execute(sql, params).fetchall()


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


def _split(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, current = [], []
    for line in script.splitlines():
        current.append(line)
        joined = "\n".join(current)
        if joined.rstrip().endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current))
    return statements
