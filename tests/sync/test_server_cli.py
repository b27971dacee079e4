"""The backend's commands, migrations and append-only audit."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3

import pytest

from fieldapp.domain import Observation
from sync import enrol, sync_now
from sync.server.db import MIGRATIONS, Database
from sync.server.dialect import errors
from tests.support import ROOT
from tests.support.backend import Backend, server_cli
from tests.sync.sync_helpers import FAST


def run(*args, check=True):
    result = server_cli(*args)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_enrol_prints_the_code_last_and_export_shows_what_came(db_target, tmp_path, lb):
    db = db_target
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


def test_config_and_revoke(db_target):
    db = db_target
    out = run("config", "--db", db, "--municipality", "1122", "--min-app-version", "0.2.0")
    assert "municipality=1122" in out.stdout and "min_app_version=0.2.0" in out.stdout
    run("enrol", "--db", db, "--device", "t1")
    assert run("revoke", "--db", db, "--device", "t1").stdout.strip() == "revoked 1 device(s)"


def test_named_migrations_run_once_and_the_audit_is_append_only(db_target):
    db = Database(db_target)
    assert [r["name"] for r in db.query("SELECT name FROM schema_migrations")] == \
        [name for name, _ in MIGRATIONS]
    assert db.migrate() == []
    with db.transaction() as conn:
        db.audit(conn, "test", "ok")
    for statement in ("UPDATE audit SET status = 'x'", "DELETE FROM audit"):
        with pytest.raises(errors()), db.transaction() as conn:
            conn.execute(statement)
    db.close()


def test_tokens_and_codes_are_stored_only_as_hashes(db_target, lb):
    backend = Backend(db_target).start()
    try:
        code = backend.code()
        enrolment = enrol(lb, backend.url, code)
    finally:
        backend.stop()
    raw = backend.stored_bytes()
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


def test_legal_basis_policy_is_set_per_device_and_checked(db_target):
    db = db_target
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


READ_ONLY_COMMANDS = ["export --db DB", "export --db DB --format json",
                      "agreement export --db DB", "config --db DB",
                      "report --db DB --year 2026 --out OUT", "user list --db DB",
                      "archive export --db DB --out OUT"]


@pytest.mark.parametrize("command", READ_ONLY_COMMANDS)
def test_a_read_only_command_on_a_mistyped_db_fails_and_creates_nothing(tmp_path, command):
    names = {"DB": tmp_path / "nytt" / "kommuen.sqlite3", "OUT": tmp_path / "r.csv"}
    result = run(*[names.get(word, word) for word in command.split()], check=False)
    assert result.returncode == 2, result.stdout
    assert "databasen finnes ikke" in result.stderr and "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_read_only_commands_do_not_write_to_the_database(tmp_path):
    db = tmp_path / "k.sqlite3"
    run("config", "--db", db, "--municipality", "1122")
    db.chmod(0o400)             # even a command that tried to write could not: it must not try
    try:
        assert "municipality=1122" in run("config", "--db", db).stdout
        assert run("export", "--db", db).stdout.startswith("id,kind")
        assert json.loads(run("agreement", "export", "--db", db).stdout)
    finally:
        db.chmod(0o600)


def test_the_database_its_wal_and_the_report_are_owner_only(tmp_path, lb):
    db = tmp_path / "k.sqlite3"
    backend = Backend(db).start()
    try:
        enrol(lb, backend.url, backend.code())
        lb.add(Observation(place="Torget"))
        sync_now(lb, **FAST)
        files = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir()}
    finally:
        backend.stop()
    assert {"k.sqlite3", "k.sqlite3-wal", "k.sqlite3-shm"} <= set(files), files
    assert set(files.values()) == {0o600}, files
    out = tmp_path / "r.csv"
    run("report", "--db", db, "--year", "2026", "--format", "csv", "--out", out)
    assert out.stat().st_mode & 0o777 == 0o600


def test_an_existing_world_readable_database_is_made_owner_only(tmp_path):
    db = tmp_path / "k.sqlite3"
    sqlite3.connect(db).close()
    db.chmod(0o644)
    run("enrol", "--db", db, "--device", "t1")
    assert db.stat().st_mode & 0o777 == 0o600


def test_report_out_refuses_a_symlink_and_a_missing_folder(tmp_path):
    db = tmp_path / "k.sqlite3"
    run("config", "--db", db, "--municipality", "1122")
    victim = tmp_path / "passwd"
    victim.write_text("root:x:0:0\n", encoding="utf-8")
    link = tmp_path / "rapport.csv"
    link.symlink_to(victim)
    refused = run("report", "--db", db, "--year", "2026", "--format", "csv", "--out", link,
                  check=False)
    assert refused.returncode == 2 and "symbolsk lenke" in refused.stderr
    assert "symbolic link" in refused.stderr
    assert victim.read_text(encoding="utf-8") == "root:x:0:0\n" and link.is_symlink()
    missing = tmp_path / "rapprter" / "r.csv"
    refused = run("report", "--db", db, "--year", "2026", "--format", "csv", "--out", missing,
                  check=False)
    assert refused.returncode == 2 and "the folder does not exist" in refused.stderr
    assert not missing.parent.exists()
    existing = tmp_path / "r.csv"
    existing.write_text("old", encoding="utf-8")
    run("report", "--db", db, "--year", "2026", "--format", "csv", "--out", existing)
    assert existing.read_bytes().startswith("\ufeff".encode())
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


ATTACKS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1:A9)", "\t=1+1",
           "\r=1+1", "  =1+1", "\u3000=1+1", "\uff1dSUM(A1)", "\uff0b1", "\uff20A1"]


def test_export_neutralises_formulas_but_keeps_negative_numbers(db_target):
    db_path = db_target
    db = Database(db_path)
    try:
        with db.transaction() as conn:
            for n, attack in enumerate(ATTACKS):
                payload = {"place": attack, "delta": -3, "=key": "x", "note": "-1.5"}
                conn.execute("INSERT INTO records VALUES (?, 1, ?, '1122', ?, 'h', ?, '', '[]',"
                             " ?)", (f"r{n:02d}", attack, attack, json.dumps(payload),
                                     f"2026-01-01T00:00:{n:02d}"))
    finally:
        db.close()
    rows = list(csv.reader(io.StringIO(run("export", "--db", db_path).stdout)))
    header, body = rows[0], rows[1:]
    assert "'=key" in header and len(body) == len(ATTACKS)
    column = {name: i for i, name in enumerate(header)}
    for attack, row in zip(ATTACKS, body, strict=True):
        for name in ("kind", "device_id", "place"):     # (text mode reads a CR as a LF)
            assert row[column[name]] == "'" + attack.replace("\r", "\n")
        assert row[column["delta"]] == "-3" and row[column["note"]] == "-1.5"
