"""The audit is append-only in the database and hash-chained; ``audit verify`` finds a row
changed behind the backend's back. Runs on SQLite and PostgreSQL (``db_target``)."""

from __future__ import annotations

import sqlite3

import pytest

from sync.server import db as db_module
from sync.server.audit_chain import GENESIS, verify
from sync.server.db import MIGRATIONS, Database
from sync.server.dialect import errors
from tests.support.backend import is_postgres, server_cli


def _write(db: Database, count: int) -> None:
    for n in range(count):
        with db.transaction() as conn:
            db.audit(conn, "test", "ok", record_id=f"r{n}", revision=n, reason=f"rad {n} 50%")


def _tamper(db: Database, sql: str) -> None:
    """What someone with the owner's rights could do: lift the trigger and change a row."""
    lift, restore = (("DROP TRIGGER audit_no_update", None) if db.dialect == "sqlite" else
                     ("ALTER TABLE audit DISABLE TRIGGER audit_no_update",
                      "ALTER TABLE audit ENABLE TRIGGER audit_no_update"))
    with db.transaction() as conn:
        conn.execute(lift)
        conn.execute(sql)
        if restore:
            conn.execute(restore)


def test_verify_passes_an_intact_chain_and_names_the_row_changed(db_target):
    db = Database(db_target)
    try:
        _write(db, 4)
        rows = db.query("SELECT seq, prev_hash, row_hash FROM audit ORDER BY seq")
        assert rows[0]["prev_hash"] == GENESIS
        assert [r["prev_hash"] for r in rows[1:]] == [r["row_hash"] for r in rows[:-1]]
        intact = server_cli("audit", "verify", "--db", db_target)
        assert intact.returncode == 0, intact.stderr
        assert "4 rader / rows" in intact.stdout and rows[-1]["row_hash"] in intact.stdout
        _tamper(db, "UPDATE audit SET reason = 'ingenting her' WHERE seq = 2")
        assert verify(db.conn).broken_at == 2
    finally:
        db.close()
    broken = server_cli("audit", "verify", "--db", db_target)
    assert broken.returncode == 1, broken.stderr
    assert "seq=2" in broken.stdout and "broken" in broken.stdout


def test_a_row_removed_from_the_middle_breaks_the_chain_at_the_next(db_target):
    db = Database(db_target)
    try:
        _write(db, 5)
        lift = ("DROP TRIGGER audit_no_delete" if db.dialect == "sqlite" else
                "ALTER TABLE audit DISABLE TRIGGER audit_no_delete")
        with db.transaction() as conn:
            conn.execute(lift)
            conn.execute("DELETE FROM audit WHERE seq = 3")
        verdict = verify(db.conn)
        assert (verdict.broken_at, verdict.why, verdict.rows) == (4, "prev_hash", 2)
    finally:
        db.close()


def test_the_database_refuses_update_delete_and_replace(db_target):
    db = Database(db_target)
    try:
        _write(db, 2)
        statements = ["UPDATE audit SET status = 'x'", "DELETE FROM audit WHERE seq = 1"]
        statements.append("TRUNCATE audit" if db.dialect == "postgres" else
                          "INSERT OR REPLACE INTO audit (seq, at, event, status) "
                          "VALUES (1, 'nå', 'forged', 'ok')")
        for statement in statements:
            with pytest.raises(errors(), match="append-only"), db.transaction() as conn:
                conn.execute(statement)
        assert [r["event"] for r in db.query("SELECT event FROM audit ORDER BY seq")] == \
            ["test", "test"]
        assert verify(db.conn).broken_at is None
    finally:
        db.close()


def test_the_migration_chains_the_rows_written_before_the_chain(db_target, db_kind, request,
                                                                  monkeypatch):
    if is_postgres(db_target):     # an empty database: the old schema is built step by step
        cluster = request.getfixturevalue("postgres_cluster")
        name = db_target.rsplit("/", 1)[1] + "_old"
        cluster.execute(f"CREATE DATABASE {name}")
        target = cluster.url(name)
        request.addfinalizer(lambda: cluster.drop_database(target))
    else:
        target = db_target
    before = [m for m in MIGRATIONS if m[0] < "0008"]
    monkeypatch.setattr(db_module, "MIGRATIONS", before)
    old = Database(target)
    with old.transaction() as conn:
        for n in range(3):
            conn.execute("INSERT INTO audit (at, event, status, reason) VALUES (?, ?, ?, ?)",
                         (f"2026-01-0{n + 1}", "old", "ok", f"gammel {n}"))
    old.close()
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS)
    db = Database(target)
    try:
        assert verify(db.conn).rows == 3 and verify(db.conn).broken_at is None
        _write(db, 1)
        assert verify(db.conn).rows == 4 and verify(db.conn).broken_at is None
        with pytest.raises(errors(), match="append-only"), \
                db.transaction() as conn:   # the trigger is back
            conn.execute("UPDATE audit SET reason = 'x' WHERE seq = 1")
    finally:
        db.close()


def test_sqlite_refuses_replace_even_with_every_column_given(tmp_path):
    db = Database(tmp_path / "k.sqlite3")
    _write(db, 1)
    db.close()
    with sqlite3.connect(tmp_path / "k.sqlite3") as conn, \
            pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("REPLACE INTO audit SELECT * FROM audit WHERE seq = 1")
