"""A case no consent covers any longer keeps no content at the backend: not only hidden on the
console, gone from the SQLite file and its write-ahead log. The phone core syncs to the real
backend on loopback; the file is read back as bytes. (These run on SQLite only; the
PostgreSQL runs of the forged-client tests check the stored rows.)"""

from __future__ import annotations

import dataclasses
import json
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from fieldapp.domain import Consent
from fieldapp.domain.consent import ConsentGate
from fieldapp.domain.consent_status import BACKEND_CLOCK_SKEW
from sync import enrol, sync_now
from sync.server.withdrawals import sweep
from tests.support.backend import Backend
from tests.sync.sync_helpers import FAST, add_case_with_consent

NAME, GIVER = "Ola Tilbakesen", "Kari Tilbakesen"


class Clock:
    def __init__(self) -> None:
        self.moment = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def server(db_target, clock):
    b = Backend(db_target, clock=clock).start("1122")
    yield b
    b.stop()


def _file_bytes(server: Backend) -> bytes:
    return server.stored_bytes()


def _case_rows(server: Backend, case_id: str) -> list[dict]:
    db = server.admin_db()
    try:
        return [dict(r) for r in db.query("SELECT revision, payload FROM records WHERE id = ? "
                                          "ORDER BY revision", (case_id,))]
    finally:
        db.close()


def _audit(server: Backend, event: str) -> list[dict]:
    db = server.admin_db()
    try:
        return [dict(r) for r in db.query("SELECT * FROM audit WHERE event = ?", (event,))]
    finally:
        db.close()


def _shared_case(lb, server, **consent_kw) -> str:
    enrol(lb, server.url, server.code())
    case = add_case_with_consent(lb, name=NAME, given_by=GIVER, **consent_kw)
    assert sync_now(lb, **FAST).ok
    [row] = _case_rows(server, case)
    assert json.loads(row["payload"])["person_name"] == NAME
    return case


def test_a_withdrawal_synced_empties_the_case_in_the_file_and_its_log(lb, server):
    case = _shared_case(lb, server)
    assert NAME.encode() in _file_bytes(server)
    consent = lb.list(Consent)[0]
    lb.update(dataclasses.replace(consent, withdrawn_at=datetime.now(UTC) - timedelta(minutes=1)))
    assert sync_now(lb, **FAST).ok
    assert [json.loads(r["payload"]) for r in _case_rows(server, case)] == [{}]
    stored = _file_bytes(server)
    assert NAME.encode() not in stored and GIVER.encode() not in stored
    assert [(a["record_id"], a["status"]) for a in _audit(server, "consent_ended")] == [
        (case, "purged")]
    # the phone keeps its case; sending it again is answered, not stored again
    assert sync_now(lb, **FAST).ok
    assert [json.loads(r["payload"]) for r in _case_rows(server, case)] == [{}]


def test_a_case_another_consent_still_covers_keeps_its_content(lb, server):
    case = _shared_case(lb, server)
    # the guardian's own consent: the youth withdrawing does not end it (givers by role)
    lb.add(Consent(case_id=case, given_by="Per Tilbakesen", given_by_role="guardian",
                   recipients={"slt"}, purpose="SLT-oppfølging",
                   given_at=datetime.now(UTC) - timedelta(hours=1)))
    assert sync_now(lb, **FAST).ok
    first = next(c for c in lb.list(Consent) if c.given_by == GIVER)
    lb.update(dataclasses.replace(first, withdrawn_at=datetime.now(UTC) - timedelta(minutes=1)))
    assert sync_now(lb, **FAST).ok
    [row] = _case_rows(server, case)
    assert json.loads(row["payload"])["person_name"] == NAME
    assert _audit(server, "consent_ended") == []


def test_an_expired_consent_is_swept_without_any_sync(lb, server, clock):
    case = _shared_case(lb, server, expires_at=date.today() + timedelta(days=7))
    gate = ConsentGate(skew=BACKEND_CLOCK_SKEW)
    db = server.admin_db()
    try:
        assert sweep(db, "slt", clock() + timedelta(days=3), gate) == []
        assert json.loads(_case_rows(server, case)[0]["payload"])["person_name"] == NAME
        assert sweep(db, "slt", clock() + timedelta(days=9), gate) == [case]
    finally:
        db.close()
    assert [json.loads(r["payload"]) for r in _case_rows(server, case)] == [{}]
    assert NAME.encode() not in _file_bytes(server)


def test_the_running_server_sweeps_at_start_up(lb, db_target, clock):
    first = Backend(db_target, clock=clock).start("1122")
    try:
        case = _shared_case(lb, first, expires_at=date.today() + timedelta(days=7))
    finally:
        first.stop()
    clock.moment += timedelta(days=9)
    again = Backend(db_target, clock=clock).start("1122")
    try:
        deadline = time.monotonic() + 20
        while json.loads(_case_rows(again, case)[0]["payload"]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [json.loads(r["payload"]) for r in _case_rows(again, case)] == [{}]
        assert NAME.encode() not in _file_bytes(again)
    finally:
        again.stop()
