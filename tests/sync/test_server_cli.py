"""The backend's commands, migrations and append-only audit."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from fieldapp.domain import Observation
from sync import enrol, sync_now
from sync.server.db import MIGRATIONS, Database
from tests.support import ROOT
from tests.support.backend import Backend, server_cli
from tests.sync.sync_helpers import FAST


def run(*args, check=True):
    result = server_cli(*args)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_enrol_prints_the_code_last_and_export_shows_what_came(tmp_path, lb):
    db = tmp_path / "kommune.sqlite3"
    code = run("enrol", "--db", db, "--device", "telefon-1").stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("name,role,phone\nOla,ordforer,91234567\n", encoding="utf-8")
    assert run("contacts", "import", "--db", db, contacts).stdout.strip() == \
        "added=1 changed=0 removed=0 unchanged=0"
    backend = Backend(db).start()
    try:
        enrol(lb, backend.url, code)
        rid = lb.add(Observation(place="Torget", categories={"alcohol", "drugs"}))
        sync_now(lb, **FAST)
    finally:
        backend.stop()
    exported = json.loads(run("export", "--db", db, "--format", "json").stdout)
    assert [(r["id"], r["record"]["place"]) for r in exported] == [(rid, "Torget")]
    header, row = run("export", "--db", db).stdout.strip().splitlines()
    assert header.startswith("id,kind,revision") and "alcohol; drugs" in row


def test_bad_contacts_file_gets_a_clear_message(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name\nOla\n", encoding="utf-8")
    result = run("contacts", "import", "--db", tmp_path / "k.sqlite3", bad, check=False)
    assert result.returncode == 2 and "line 2: name and role are required" in result.stderr


def test_config_and_revoke(tmp_path):
    db = tmp_path / "k.sqlite3"
    out = run("config", "--db", db, "--municipality", "1122", "--min-app-version", "0.2.0")
    assert "municipality=1122" in out.stdout and "min_app_version=0.2.0" in out.stdout
    run("enrol", "--db", db, "--device", "t1")
    assert run("revoke", "--db", db, "--device", "t1").stdout.strip() == "revoked 1 device(s)"


def test_named_migrations_run_once_and_the_audit_is_append_only(tmp_path):
    db = Database(tmp_path / "k.sqlite3")
    assert [r["name"] for r in db.query("SELECT name FROM schema_migrations")] == \
        [name for name, _ in MIGRATIONS]
    assert db.migrate() == []
    with db.transaction() as conn:
        db.audit(conn, "test", "ok")
    for statement in ("UPDATE audit SET status = 'x'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.IntegrityError), db.transaction() as conn:
            conn.execute(statement)
    db.close()


def test_tokens_and_codes_are_stored_only_as_hashes(tmp_path, lb):
    db_path = tmp_path / "k.sqlite3"
    backend = Backend(db_path).start()
    try:
        code = backend.code()
        enrolment = enrol(lb, backend.url, code)
    finally:
        backend.stop()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert enrolment.token.encode() not in raw
    assert code.replace("-", "").encode() not in raw


def test_every_backend_command_is_documented():
    from sync.server.cli import _parser
    protocol = (ROOT / "sync" / "PROTOCOL.md").read_text(encoding="utf-8")
    sub = next(a for a in _parser()._actions if a.dest == "command")
    for name, parser in sub.choices.items():
        inner = [a for a in parser._actions if a.dest == "action"]
        for action in inner[0].choices if inner else [""]:
            command = f"python -m sync.server {name} {action}".rstrip()
            assert command in protocol, command


def test_legal_basis_policy_is_set_per_device_and_checked(tmp_path):
    db = tmp_path / "kommune.sqlite3"
    assert run("legal-basis", "--db", db, "--allow", "pol_24_3").stdout.strip() == "*: pol_24_3"
    assert run("legal-basis", "--db", db, "--device", "telefon-2", "--allow", "").stdout \
        .strip() == "telefon-2: -"
    bad = run("legal-basis", "--db", db, "--allow", "made_up", check=False)
    assert bad.returncode != 0 and "made_up" in bad.stderr
    from sync.server.checks import allowed_legal_bases
    database = Database(db)
    try:
        assert allowed_legal_bases(database, "telefon-1") == {"pol_24_3"}
        assert allowed_legal_bases(database, "telefon-2") == frozenset()
    finally:
        database.close()


def test_a_cases_consents_are_found_through_an_index_not_a_scan(tmp_path):
    db = Database(tmp_path / "k.sqlite3")
    from sync.server.intake import CONSENTS_OF_CASE
    plan = db.query("EXPLAIN QUERY PLAN " + CONSENTS_OF_CASE, ("c1",))
    details = " ".join(str(r["detail"]) for r in plan)
    assert "USING INDEX records_consent_case" in details, details
    db.close()
