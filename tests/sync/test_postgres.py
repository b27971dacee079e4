"""What only PostgreSQL has: the app role without UPDATE/DELETE on the audit, read-only
connections, clear errors without the password, and several server processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests

from sync.server import admin
from sync.server.audit_chain import verify
from sync.server.db import Database, DatabaseMissing
from tests.support import ROOT
from tests.support.backend import server_cli
from tests.support.ports import free_port, wait_for_port

HEADERS = {"X-App-Version": "9.9.9"}

# What the README tells a municipality's DBA to run as the owner after the first migration.
APP_GRANTS = """
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
    REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM {app};
    GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {app};
"""


@pytest.fixture
def roles(postgres_cluster):
    """An owner role that owns the database and migrates, and an app role the backend runs
    as; returns (owner URL, app URL)."""
    tag = uuid.uuid4().hex[:8]
    owner, app, name = f"pk_owner_{tag}", f"pk_app_{tag}", f"pk_roles_{tag}"
    postgres_cluster.execute(f"CREATE ROLE {owner} LOGIN")
    postgres_cluster.execute(f"CREATE ROLE {app} LOGIN")
    postgres_cluster.execute(f"CREATE DATABASE {name} OWNER {owner}")
    yield postgres_cluster.url(name, owner), postgres_cluster.url(name, app)
    postgres_cluster.execute(f"DROP DATABASE {name} WITH (FORCE)")   # before its owner goes
    postgres_cluster.execute(f"DROP ROLE {app}")
    postgres_cluster.execute(f"DROP ROLE {owner}")


def test_the_app_role_cannot_update_delete_or_truncate_the_audit(roles):
    owner_url, app_url = roles
    owner = Database(owner_url)                         # migrates, as the owner
    owner.conn.execute(APP_GRANTS.format(app=app_url.split("//")[1].split("@")[0]))
    app = Database(app_url)                             # nothing to migrate, nothing created
    try:
        admin.configure(app, municipality="1122")
        code = admin.new_enrolment_code(app, "telefon-1")   # an audit row, written by the app
        assert code and verify(app.conn).rows == 1
        for statement in ("UPDATE audit SET status = 'x'", "DELETE FROM audit",
                          "TRUNCATE audit"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), \
                    app.transaction() as conn:
                conn.execute(statement)
        # the owner is held back by the trigger, until it lifts it
        with pytest.raises(psycopg.errors.RaiseException), owner.transaction() as conn:
            conn.execute("UPDATE audit SET status = 'x'")
        with owner.transaction() as conn:
            conn.execute("ALTER TABLE audit DISABLE TRIGGER audit_no_update")
            conn.execute("UPDATE audit SET device_id = 'en annen' WHERE seq = 1")
        assert verify(app.conn).broken_at == 1
        done = server_cli("audit", "verify", "--db", app_url)
        assert done.returncode == 1 and "seq=1" in done.stdout
    finally:
        app.close()
        owner.close()


def test_a_read_only_command_opens_a_read_only_session(postgres_url):
    writer = Database(postgres_url)
    admin.configure(writer, municipality="1122")
    writer.close()
    db = Database(postgres_url, readonly=True)
    try:
        assert db.meta("municipality") == "1122"
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            db.set_meta("municipality", "0301")
    finally:
        db.close()
    assert server_cli("config", "--db", postgres_url).stdout.strip().splitlines()[0] == \
        "municipality=1122"


def test_a_missing_database_and_an_unreachable_server_fail_clearly(postgres_cluster):
    missing = postgres_cluster.url("finnes_ikke")
    with pytest.raises(DatabaseMissing):
        Database(missing, readonly=True)
    done = server_cli("export", "--db", missing)
    assert done.returncode == 2 and "databasen finnes ikke" in done.stderr
    assert "does not exist" in done.stderr
    secret = "hemmelig-" + uuid.uuid4().hex[:6]
    url = f"postgresql://kommune:{secret}@127.0.0.1:{free_port()}/kommune"
    for command in (["config", "--db", url, "--municipality", "1122"], ["export", "--db", url]):
        done = server_cli(*command)
        assert done.returncode == 2, done.stderr
        assert "kan ikke koble til" in done.stderr and "cannot connect" in done.stderr
        assert "kommune@127.0.0.1" in done.stderr
        assert secret not in done.stderr + done.stdout


def test_serve_refuses_workers_for_sqlite(tmp_path):
    done = server_cli("serve", "--db", tmp_path / "k.sqlite3", "--workers", "2")
    assert done.returncode == 2 and "krever PostgreSQL" in done.stderr
    assert "needs PostgreSQL" in done.stderr and not (tmp_path / "k.sqlite3").exists()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def test_serve_with_two_workers_on_postgres(postgres_url):
    url = postgres_url
    db = Database(url)
    admin.configure(db, municipality="1122")
    codes = [admin.new_enrolment_code(db, f"telefon-{n}") for n in range(6)]
    db.close()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "sync.server", "serve", "--db", url,
                               "--port", str(port), "--workers", "2", "--log-level", "warning"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, 60)
        base = f"http://127.0.0.1:{port}/v1"
        with ThreadPoolExecutor(6) as pool:
            replies = list(pool.map(lambda code: requests.post(
                f"{base}/enrol", json={"code": code}, headers=HEADERS, timeout=20), codes))
        assert [r.status_code for r in replies] == [200] * 6
        workers = [p for p in _children(server.pid)
                   if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
        assert len(workers) == 2
        for pid in workers:    # the target reaches the workers, never on their command line
            assert url.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        assert server.stderr is not None
        server.stderr.close()
    check = Database(url, readonly=True)
    try:
        assert len(check.query("SELECT id FROM devices WHERE token_hash IS NOT NULL")) == 6
        assert verify(check.conn).broken_at is None and verify(check.conn).rows == 12
    finally:
        check.close()


def test_a_cases_consents_are_found_through_the_expression_index(postgres_url):
    from sync.server.dialect import to_postgres
    from sync.server.intake import CONSENTS_OF_CASE
    db = Database(postgres_url)
    try:
        db.conn.execute("SET enable_seqscan = off")      # an empty table would be scanned
        plan = db.query("EXPLAIN " + CONSENTS_OF_CASE, ("c1",))
        assert "records_consent_case" in " ".join(r[0] for r in plan), plan
        assert "::jsonb ->> 'case_id'" in to_postgres(CONSENTS_OF_CASE)
    finally:
        db.close()


@pytest.mark.parametrize(("ci", "outcome"), [("true", pytest.fail.Exception),
                                              ("", pytest.skip.Exception)])
def test_without_postgresql_its_tests_fail_under_ci_and_skip_elsewhere(monkeypatch, ci,
                                                                       outcome):
    from tests.support import postgres

    def missing() -> Path:
        raise postgres.ClusterUnavailable("initdb not found")

    monkeypatch.setattr(postgres, "find_bin", missing)
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="initdb not found"):
        postgres.start_cluster()


def test_a_connection_the_server_dropped_is_opened_again(postgres_cluster, postgres_url):
    db = Database(postgres_url)
    try:
        admin.configure(db, municipality="1122")
        postgres_cluster.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 f"WHERE datname = '{postgres_url.rsplit('/', 1)[1]}'")
        with pytest.raises(psycopg.OperationalError):
            db.meta("municipality")            # the statement that finds it broken
        assert db.meta("municipality") == "1122"
        with db.transaction() as conn:
            db.audit(conn, "test", "ok")
        assert verify(db.conn).rows == 1
    finally:
        db.close()
