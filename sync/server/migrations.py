"""The backend's schema as one list of named migrations that runs on SQLite and PostgreSQL.

A migration is ``(name, steps)``; a step is SQL both databases take (PostgreSQL gets it through
``dialect.ddl_to_postgres``: AUTOINCREMENT becomes an identity column, INTEGER is BIGINT), a
``{dialect: SQL}`` pair where they differ (triggers), or a Python function ``(conn, dialect)``
(chaining the audit rows that exist). ``schema_migrations`` records which names ran; each runs
once, in one transaction.

The audit is append-only in the database itself. SQLite: triggers refuse UPDATE and DELETE,
and one refuses an INSERT over an existing ``seq`` (``INSERT OR REPLACE`` deletes without
firing DELETE triggers). PostgreSQL: triggers refuse UPDATE, DELETE and TRUNCATE, and UPDATE,
DELETE and TRUNCATE are revoked from PUBLIC; the app should connect as a role that has only
SELECT and INSERT on ``audit`` (the owner, who migrates, could disable the triggers).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import TypeAlias

from . import audit_chain
from .dialect import POSTGRES, SQLITE, Conn, ddl_to_postgres

Step: TypeAlias = str | Mapping[str, str] | Callable[[Conn, str], None]

_APPEND_ONLY_PG = """
    CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit is append-only'; END $$;
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        FOR EACH ROW EXECUTE FUNCTION audit_append_only();
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        FOR EACH ROW EXECUTE FUNCTION audit_append_only();
    CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
        FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
    REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM PUBLIC;
"""

MIGRATIONS: list[tuple[str, list[Step]]] = [
    ("0001_devices_records_audit", ["""
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
    """, {SQLITE: """
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;
    """, POSTGRES: _APPEND_ONLY_PG}]),
    ("0002_reference_feed", ["""
        CREATE TABLE reference (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, id TEXT NOT NULL,
            data TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
        CREATE UNIQUE INDEX reference_kind_id ON reference (kind, id);
    """]),
    ("0004_tombstones", ["""
        CREATE TABLE tombstones (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, revision INTEGER NOT NULL,
            device_id TEXT NOT NULL, received_at TEXT NOT NULL);
    """, {SQLITE: """
        CREATE TRIGGER records_stay_deleted BEFORE INSERT ON records
            WHEN EXISTS (SELECT 1 FROM tombstones t
                         WHERE t.id = NEW.id AND t.revision >= NEW.revision)
            BEGIN SELECT RAISE(IGNORE); END;
    """, POSTGRES: """
        CREATE FUNCTION records_stay_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM tombstones t
                           WHERE t.id = NEW.id AND t.revision >= NEW.revision) THEN
                    RETURN NULL;   -- the row is skipped, like SQLite's RAISE(IGNORE)
                END IF;
                RETURN NEW;
            END $$;
        CREATE TRIGGER records_stay_deleted BEFORE INSERT ON records
            FOR EACH ROW EXECUTE FUNCTION records_stay_deleted();
    """}]),
    # A case is judged on the consents held for it: find them without reading every record.
    ("0005_consent_case_index", ["""
        CREATE INDEX records_consent_case ON records (json_extract(payload, '$.case_id'))
            WHERE kind = 'consent';
    """]),
    # The coordinator's console: accounts (scrypt hashes, lockout) and sessions (id hashed).
    ("0006_console_users", ["""
        CREATE TABLE console_users (
            id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
            password_hash TEXT NOT NULL, created_at TEXT NOT NULL, disabled_at TEXT,
            failed_logins INTEGER NOT NULL DEFAULT 0, locked_until TEXT);
        CREATE TABLE console_sessions (
            id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, csrf TEXT NOT NULL,
            created_at TEXT NOT NULL, last_seen TEXT NOT NULL);
    """]),
    # Refused enrolments (wrong codes, throttled clients) counted per hour and client
    # pseudonym, so that an attack does not grow the audit row by row (see refusals.py).
    ("0007_edge_refusals", ["""
        CREATE TABLE refusals (
            hour TEXT NOT NULL, event TEXT NOT NULL, client TEXT NOT NULL,
            reason TEXT NOT NULL, count INTEGER NOT NULL, first_at TEXT NOT NULL,
            last_at TEXT NOT NULL, PRIMARY KEY (hour, event, client, reason));
    """]),
    # INSERT OR REPLACE over an audit row deletes it without firing the DELETE trigger.
    ("0008_audit_no_replace", [{SQLITE: """
        CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit
            WHEN EXISTS (SELECT 1 FROM audit WHERE seq = NEW.seq)
            BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;
    """, POSTGRES: ""}]),
    # Each audit row carries the hash of the one before it (audit_chain.py); rows that exist
    # are chained here, with the UPDATE trigger lifted for this one transaction.
    ("0009_audit_hash_chain", ["""
        ALTER TABLE audit ADD COLUMN prev_hash TEXT;
        ALTER TABLE audit ADD COLUMN row_hash TEXT;
    """, {SQLITE: "DROP TRIGGER audit_no_update;",
          POSTGRES: "ALTER TABLE audit DISABLE TRIGGER audit_no_update;"},
        audit_chain.chain_step,
        {SQLITE: """
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;
    """, POSTGRES: "ALTER TABLE audit ENABLE TRIGGER audit_no_update;"}]),
]


def run_step(conn: Conn, dialect: str, step: Step) -> None:
    """Run one step of a migration on ``conn`` (inside the caller's transaction)."""
    if callable(step):
        step(conn, dialect)
        return
    script = step if isinstance(step, str) else step[dialect]
    if dialect == POSTGRES:
        script = ddl_to_postgres(script) if isinstance(step, str) else script
        if script.strip():
            conn.execute(script)      # no parameters: one call may hold several statements
        return
    for statement in split(script):
        conn.execute(statement)


def split(script: str) -> list[str]:
    """Split a SQLite script into statements, keeping trigger bodies whole."""
    statements, current = [], []
    for line in script.splitlines():
        current.append(line)
        joined = "\n".join(current)
        if joined.rstrip().endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current))
    return [s for s in statements if s.strip()]
