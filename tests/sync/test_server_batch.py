"""A push batch is read and audited once (sync/server/batch.py), with the same outcomes as
item by item: revisions within one batch, duplicates, conflicts, tombstones, the audit chain."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from fieldapp.domain import Observation
from fieldapp.domain.consent import ConsentGate
from sync.protocol import make_item
from sync.server import audit_chain
from sync.server.batch import BatchState, ChainedAudit
from sync.server.db import Database, audit_values
from tests.support.backend import is_postgres
from tests.sync.sync_helpers import ForgedClient

pytestmark = pytest.mark.backend
T, R = str(uuid.uuid4()), str(uuid.uuid4())


def _item(record, *, note: str | None = None) -> dict:
    decision = ConsentGate().decide(record, [], "slt", datetime.now(UTC))
    payload = dict(decision.payload)
    if note is not None:
        payload["note"] = note   # a different body under the same id and revision
    return make_item(record.id, record.kind, record.revision, payload, [], decision.basis)


def _observation(revision: int = 1, note: str = "Rolig kveld") -> Observation:
    return Observation(id="5c0f7f0e-8d7e-4a36-9a43-3f2f1d1b5c11", place="Ålgård stasjon",
                       note=note, text_free_of_personal=True, municipality="1122",
                       revision=revision)


def test_revisions_duplicates_and_conflicts_in_one_batch(backend):
    first, second = _observation(1, "Første"), _observation(2, "Rettet")
    other = replace(_observation(), id=str(uuid.uuid4()))
    client = ForgedClient(backend)
    try:
        results = client.push(_item(first), _item(first), _item(first, note="Annet"),
                              _item(second), _item(other))
    finally:
        client.close()
    assert [r["status"] for r in results] == ["accepted", "duplicate", "conflict", "accepted",
                                              "accepted"]
    rows = backend.rows("SELECT revision, payload FROM records WHERE id = ? ORDER BY revision",
                        (first.id,))
    assert [r["revision"] for r in rows] == [1, 2]
    # the correction emptied revision 1
    assert rows[0]["payload"] == "{}" and "Rettet" in rows[1]["payload"]
    events = backend.rows("SELECT event, status, record_id FROM audit WHERE event IN "
                          "('push', 'correction') ORDER BY seq")
    assert [(e["event"], e["status"]) for e in events] == [
        ("push", "accepted"), ("push", "duplicate"), ("push", "conflict"),
        ("push", "accepted"), ("correction", "purged"), ("push", "accepted")]
    _chain_holds(backend)


def test_a_later_batch_sees_what_earlier_ones_stored_and_deleted(backend):
    first, second = _observation(1, "Første"), _observation(2, "Rettet")
    client = ForgedClient(backend)
    try:
        assert client.push(_item(first))[0]["status"] == "accepted"
        assert [r["status"] for r in client.push(_item(first), _item(second))] == [
            "duplicate", "accepted"]
        stone = {"id": first.id, "kind": "observation", "revision": 3, "municipality": "1122"}
        reply = client.session.post(client.url + "/v1/tombstones", json={"items": [stone]},
                                    timeout=10)
        assert reply.json()["results"][0]["status"] == "accepted"
        refused = client.push(_item(first), _item(_observation(3)))
    finally:
        client.close()
    assert [(r["status"], r["reason"]) for r in refused] == [("rejected", "deleted")] * 2
    _chain_holds(backend)


def test_chained_audit_writes_the_rows_audit_chain_would(db_target):
    db = Database(db_target)
    try:
        values = [audit_values("push", "accepted", device_id="d", record_id=str(i),
                               revision=i, hash_="0" * 64) for i in range(3)]
        with db.transaction() as conn:
            db.audit(conn, "enrol", "accepted", device_id="d")
            chained = ChainedAudit(conn)
            for v in values[:2]:
                chained.append(v)
            chained.flush()
            audit_chain.append(conn, values[2])   # the head is read again after a flush
            chained.append(values[2])
            chained.flush()
        with db.transaction() as conn:
            verdict = audit_chain.verify(conn)
            seqs = [r[0] for r in conn.execute("SELECT seq FROM audit ORDER BY seq")]
        assert verdict.broken_at is None and verdict.rows == len(seqs) == 5
        assert seqs == list(range(seqs[0], seqs[0] + 5))
    finally:
        db.close()


def test_batch_state_answers_as_the_tables_do(db_target):
    db = Database(db_target)
    try:
        with db.transaction() as conn:
            conn.execute("INSERT INTO tombstones (id, kind, revision, device_id, received_at) "
                         "VALUES (?, 'observation', 2, 'd', '2026-01-01')", (T,))
            # what is no UUID is never looked up (a NUL byte would fail on PostgreSQL)
            state = BatchState.load(conn, [T, T, R, 5, "a\x00b", "t"])
        assert state.deleted(T, 2) and not state.deleted(T, 3) and not state.deleted(R, 1)
        assert not state.deleted("t", 1) and state.stored_hash(R, 1) is None
        assert state.add(R, 2, "h2") is False
        assert state.add(R, 3, "h3") is True and state.stored_hash(R, 2) == "h2"
        assert state.add(R, 1, "h1") is False
    finally:
        db.close()


def _chain_holds(backend) -> None:
    db = backend.admin_db()
    try:
        with db.transaction() as conn:
            assert audit_chain.verify(conn).broken_at is None
    finally:
        db.close()


def test_rows_the_database_refuses_fail_the_whole_batch(backend):
    """The accepted rows go in together; should the database refuse them after all, nothing
    of the batch stays (no row, no audit line) and the phone is told to try again."""
    if is_postgres(backend.db_path):
        backend.execute("CREATE FUNCTION no_rows() RETURNS trigger LANGUAGE plpgsql AS "
                        "$$ BEGIN RAISE EXCEPTION 'no rows'; END $$")
        backend.execute("CREATE TRIGGER no_rows BEFORE INSERT ON records "
                        "FOR EACH ROW EXECUTE FUNCTION no_rows()")
    else:
        backend.execute("CREATE TRIGGER no_rows BEFORE INSERT ON records "
                        "BEGIN SELECT RAISE(ABORT, 'no rows'); END")
    client = ForgedClient(backend)
    try:
        reply = client.session.post(client.url + "/v1/push", json={"items": [
            _item(_observation()), _item(replace(_observation(), id=str(uuid.uuid4())))]},
            timeout=10)
    finally:
        client.close()
    assert reply.status_code == 500
    assert backend.rows("SELECT id FROM records") == []
    assert backend.rows("SELECT seq FROM audit WHERE event = 'push'") == []
