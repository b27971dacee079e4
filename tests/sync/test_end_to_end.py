"""Enrol → push → pull against the real backend on loopback, and what the officer sees."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest
import requests

from fieldapp.domain import (
    CrisisCallout,
    CrisisContact,
    Observation,
    SchoolVisit,
    SyncState,
    TimelineEntry,
)
from sync import enrol, enrolments, sync_now
from sync.errors import AuthRejected, RequestRejected, TooManyAttempts
from sync.server import admin
from sync.texts import error_text
from tests.support.backend import Backend
from tests.sync.sync_helpers import FAST, add_case_with_consent


def _stored(backend, record_id):
    rows = backend.rows("SELECT payload FROM records WHERE id = ?", (record_id,))
    return [json.loads(r["payload"]) for r in rows]


def test_enrol_push_pull_end_to_end(lb, backend, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("navn;rolle;telefon;e-post\nOla Ordfører;ordforer;91234567;o@k.no\n"
                        "Siri SLT;slt_koordinator;92345678;\n", encoding="utf-8")
    schools = tmp_path / "schools.csv"
    schools.write_text("name\nGjesdal ungdomsskole\nÅlgård ungdomsskole\n", encoding="utf-8")
    db = backend.admin_db()
    admin.import_contacts(db, contacts)
    admin.import_schools(db, schools)
    db.close()

    enrolment = enrol(lb, backend.url, backend.code("telefon-7"))
    assert enrolment.device_name == "telefon-7" and enrolment.recipient == "slt"
    assert "token" not in repr(enrolment) and len(enrolments(lb)[0].token) >= 32

    with_consent = add_case_with_consent(lb)
    without = add_case_with_consent(lb, consent=False, name="Per Hemmelig")
    obs = lb.add(Observation(place="Torget", youth_count=12, note="Rolig kveld",
                             text_free_of_personal=True, actions_taken="Ringte mor på 91234567"))
    visit = lb.add(SchoolVisit(school="Gjesdal ungdomsskole", contacts_met=["Rektor Hansen"]))
    callout = lb.add(CrisisCallout(event_type="flood", called_by_name="Ordfører Olsen",
                                   timeline=[TimelineEntry(text="Ankom rådhuset")],
                                   text_free_of_personal=True))
    progress = []
    report = sync_now(lb, progress=lambda done, total: progress.append((done, total)), **FAST)

    assert report.ok, report.errors
    assert set(report.sent) >= {with_consent, obs, visit, callout}
    assert [w.reason for w in report.withheld if w.id == without] == ["u18_no_consent"]
    assert progress[-1][0] == progress[-1][1] == len(report.sent)
    assert lb.get(without).sync_state == SyncState.PENDING
    assert not _stored(backend, without)
    case = _stored(backend, with_consent)[0]
    assert case["person_name"] == "Ola Nordmann"
    assert "actions_taken" not in _stored(backend, obs)[0]
    assert "contacts_met" not in _stored(backend, visit)[0]
    stored_callout = _stored(backend, callout)[0]
    assert "called_by_name" not in stored_callout
    assert stored_callout["timeline"][0]["text"] == "Ankom rådhuset"
    consent_rows = backend.rows("SELECT * FROM records WHERE kind = 'consent'")
    assert len(consent_rows) == 1 and "Kari Nordmann" in consent_rows[0]["payload"]

    assert report.pulled == 4
    contacts_here = lb.list(CrisisContact)
    assert {c.name for c in contacts_here} == {"Ola Ordfører", "Siri SLT"}
    assert all(c.sync_state == SyncState.LOCAL_ONLY for c in contacts_here)
    assert lb.municipalities()[0]["schools"] == ["Gjesdal ungdomsskole", "Ålgård ungdomsskole"]

    again = sync_now(lb, **FAST)
    assert again.ok and not again.sent and again.round_trips == 1
    exported = json.loads(_export(backend, "json"))
    assert {r["id"] for r in exported} == set(report.sent)
    secrets = ["Ola Nordmann", "Kari Nordmann", "Per Hemmelig", "Skulker", "91234567",
               enrolments(lb)[0].token, "Rektor Hansen", "Ordfører Olsen"]
    assert caplog.text and not [s for s in secrets if s in caplog.text]


def _export(backend, fmt):
    import io
    out = io.StringIO()
    db = backend.admin_db()
    admin.export(db, out, fmt)
    db.close()
    return out.getvalue()


def test_reference_changes_and_removals_arrive_by_cursor(enrolled, backend, tmp_path):
    contacts = tmp_path / "c.csv"
    contacts.write_text("name,role\nA,ordforer\nB,radmann\n", encoding="utf-8")
    db = backend.admin_db()
    admin.import_contacts(db, contacts)
    sync_now(enrolled, **FAST)
    contacts.write_text("name,role,phone\nA,ordforer,91234567\n", encoding="utf-8")
    assert admin.import_contacts(db, contacts) == {"added": 0, "changed": 1, "removed": 1,
                                                    "unchanged": 0}
    db.close()
    report = sync_now(enrolled, **FAST)
    assert report.pulled == 2
    [only] = enrolled.list(CrisisContact)
    assert only.name == "A" and only.phone == "91234567"


def test_edit_after_sync_sends_a_new_revision(enrolled, backend):
    rid = enrolled.add(Observation(place="Torget", youth_count=3))
    sync_now(enrolled, **FAST)
    obs = enrolled.get(rid)
    obs.youth_count = 9
    enrolled.update(obs)
    assert enrolled.get(rid).sync_state == SyncState.PENDING
    sync_now(enrolled, **FAST)
    revisions = backend.rows("SELECT revision FROM records WHERE id = ? ORDER BY revision",
                             (rid,))
    assert [r["revision"] for r in revisions] == [1, 2]
    assert admin.received(backend.admin_db())[0]["record"]["youth_count"] == 9


def test_consent_added_later_releases_the_case(enrolled, backend):
    cid = add_case_with_consent(enrolled, consent=False)
    assert sync_now(enrolled, **FAST).withheld[0].id == cid
    from fieldapp.domain import Consent
    enrolled.add(Consent(case_id=cid, given_by="Mor", recipients={"slt", "skole"},
                         purpose="SLT", given_at=datetime.now(UTC) - timedelta(hours=1)))
    report = sync_now(enrolled, **FAST)
    assert cid in report.sent and len(report.sent) == 2


def test_rejected_record_is_quarantined_and_does_not_block_others(enrolled, backend):
    # The phone's clock is 10 days behind: the consent is still valid for the phone but has
    # expired when the backend checks it; the backend refuses the case, the rest goes.
    cid = add_case_with_consent(enrolled, expires_at=datetime.now(UTC) - timedelta(days=1),
                                given_at=datetime.now(UTC) - timedelta(days=30))
    obs = enrolled.add(Observation(place="Torget"))
    past = datetime.now(UTC) - timedelta(days=10)
    report = sync_now(enrolled, clock=lambda: past, purge=False, **FAST)
    assert [(q.id, q.reason) for q in report.quarantined] == [(cid, "consent_expired")]
    assert obs in report.sent
    assert enrolled.get(cid).sync_state == SyncState.QUARANTINED
    from sync.outbox import quarantined
    assert [(r.id, reason) for r, reason in quarantined(enrolled)] == [(cid, "consent_expired")]
    audit = backend.rows("SELECT status, reason FROM audit WHERE record_id = ?", (cid,))
    assert audit == [{"status": "rejected", "reason": "consent_expired"}]


def test_several_backends_one_down_does_not_hold_back_the_other(lb, tmp_path):
    east = Backend(tmp_path / "east.sqlite3").start()
    west = Backend(tmp_path / "west.sqlite3").start()
    try:
        east.configure(municipality="1122")
        west.configure(municipality="1103")
        enrol(lb, east.url, east.code())
        enrol(lb, west.url, west.code())
        a = lb.add(Observation(place="Ålgård", municipality="1122"))
        b = lb.add(Observation(place="Stavanger", municipality="1103"))
        c = lb.add(Observation(place="Oslo", municipality="0301"))
        west.stop()
        report = sync_now(lb, **FAST)
        assert report.sent == [a]
        assert report.errors == {"1103": "unreachable"}
        assert [f.id for f in report.failed] == [b]
        assert lb.get(b).sync_state == SyncState.FAILED
        assert [(w.id, w.reason) for w in report.withheld] == [(c, "no_backend")]
        assert east.rows("SELECT id FROM records") == [{"id": a}]
    finally:
        east.stop()


def test_revoked_device_and_single_use_codes(enrolled, backend):
    with pytest.raises(AuthRejected):
        enrol(enrolled, backend.url, "ABCD-EFGH-JKMN")
    code = backend.code("telefon-2")
    enrol(enrolled, backend.url, code)
    with pytest.raises(AuthRejected):
        enrol(enrolled, backend.url, code)
    db = backend.admin_db()
    assert admin.revoke(db, "telefon-2") == 1
    db.close()
    rid = enrolled.add(Observation(place="Torget"))
    report = sync_now(enrolled, **FAST)
    assert report.errors == {"1122": "auth_rejected"} and not report.sent
    assert enrolled.get(rid).sync_state == SyncState.FAILED


def test_guessing_codes_gets_a_wait_and_says_so(lb, backend):
    backend.app.state.enrol_throttle.base_delay = 60.0  # the first wait: a minute, not 1 s
    for _ in range(6):  # the throttle's five free failures, and the one that starts the wait
        with pytest.raises(AuthRejected):
            enrol(lb, backend.url, "ABCD-EFGH-JKMN")
    with pytest.raises(TooManyAttempts) as raised:
        enrol(lb, backend.url, backend.code("telefon-3"))  # even the right code must wait
    assert raised.value.code == "too_many_attempts"
    assert "Vent noen minutter" in error_text(raised.value.code)
    assert "wait a few minutes" in error_text(raised.value.code, "en").lower()


def test_only_the_enrolment_throttle_reads_as_wrong_codes():
    from sync.transport import _interpret
    body = b'{"error": {"code": "busy", "message": "Slow down."}}'
    with pytest.raises(RequestRejected) as raised:
        _interpret(429, body, "application/json")
    assert not isinstance(raised.value, TooManyAttempts) and raised.value.status == 429
    with pytest.raises(TooManyAttempts):
        _interpret(429, body.replace(b"busy", b"too_many_attempts"), "application/json")


def test_minimum_app_version(enrolled, backend):
    backend.configure(min_app_version="9.0.0")
    enrolled.add(Observation(place="Torget"))
    report = sync_now(enrolled, **FAST)
    assert report.errors == {"1122": "app_too_old"} and not report.sent
    reply = requests.get(backend.url + "/v1/status", timeout=5,
                         headers={"X-App-Version": "0.1.0"})
    assert reply.status_code == 426
    assert reply.json()["error"] == {"code": "app_too_old", "min_version": "9.0.0",
                                     "message": "The app is too old for this backend."}


def test_openapi_is_published_and_errors_are_clear(backend):
    paths = requests.get(backend.url + "/openapi.json", timeout=5).json()["paths"]
    assert {"/v1/enrol", "/v1/push", "/v1/reference", "/v1/status"} <= set(paths)
    reply = requests.post(backend.url + "/v1/push", json={"items": []}, timeout=5,
                          headers={"X-App-Version": "0.1.0"})
    assert reply.status_code == 401 and reply.json()["error"]["code"] == "unauthorized"


def test_single_flight_and_cancel(enrolled, backend):
    for i in range(30):
        enrolled.add(Observation(place=f"Sted {i}"))
    gate, joined = threading.Event(), []

    def slow_progress(done, total):
        if done == 10:
            gate.wait(5)

    first = threading.Thread(target=lambda: joined.append(
        sync_now(enrolled, progress=slow_progress, batch_size=10, **FAST)))
    first.start()
    second = threading.Thread(target=lambda: joined.append(sync_now(enrolled, **FAST)))
    second.start()
    gate.set()
    first.join(10)
    second.join(10)
    assert sorted(r.joined for r in joined) == [False, True]
    assert len(joined[0].sent) == len(joined[1].sent) == 30

    for i in range(30):
        enrolled.add(Observation(place=f"Mer {i}"))
    calls = []
    report = sync_now(enrolled, batch_size=10, cancel=lambda: len(calls) > 0,
                      progress=lambda d, t: calls.append(d) if d else None, **FAST)
    # The batch already in flight when the officer cancels is still settled.
    assert report.cancelled and len(report.sent) in (10, 20)
    pending = enrolled.list(where=lambda r: r.sync_state == SyncState.PENDING)
    assert len(pending) == 30 - len(report.sent)


def test_a_municipal_backend_becomes_the_default_municipality(lb, backend):
    backend.configure(municipality="1122", name="Gjesdal kommune")
    enrol(lb, backend.url, backend.code())
    assert lb.municipalities() == [{"code": "1122", "name": "Gjesdal kommune", "schools": []}]
    cid = add_case_with_consent(lb)  # the consent gets the municipality by default too
    consent = next(r for r in lb.list() if r.kind == "consent")
    consent.municipality = ""
    lb.update(consent)
    report = sync_now(lb, **FAST)
    assert report.ok and cid in report.sent and consent.id in report.sent
    assert {r["municipality"] for r in backend.rows("SELECT municipality FROM records")} == {
        "1122", ""}


def test_records_made_before_any_municipality_was_served_join_the_first_one(lb, backend):
    from fieldapp.domain import Observation
    from sync import enrol, sync_now
    early = lb.add(Observation(place="Ålgård stasjon"))
    assert lb.get(early).municipality == ""
    enrol(lb, backend.url, backend.code())
    assert lb.get(early).municipality == "1122"
    report = sync_now(lb, timeout=(2.0, 5.0), retries=1, backoff=0.01)
    assert report.sent == [early]


def test_automatic_runs_send_personal_data_only_after_the_officer_sent_it_once(
        enrolled, backend):
    """An automatic run leaves a consented case (personal fields, first time) on the phone;
    plain records go. "Synk nå" from the Synk screen sends it; a later revision carrying the
    same personal fields then goes automatically, a new personal field waits again."""
    plain = enrolled.add(Observation(place="Torget", youth_count=3))
    cid = add_case_with_consent(enrolled)
    auto = sync_now(enrolled, automatic=True, respect_backoff=True, **FAST)
    assert auto.sent == [plain]
    assert {(w.id, w.reason) for w in auto.withheld} >= {(cid, "awaiting_review")}
    assert _stored(backend, cid) == []
    assert enrolled.get(cid).sync_state == SyncState.PENDING

    manual = sync_now(enrolled, **FAST)
    assert cid in manual.sent and len(manual.sent) == 2  # the case and its consent
    case = enrolled.get(cid)
    case.concern = "Skulker skolen, bedre nå"
    enrolled.update(case)
    assert cid in sync_now(enrolled, automatic=True, respect_backoff=True, **FAST).sent

    case = enrolled.get(cid)
    case.guardian_name = "Kari Nordmann"
    enrolled.update(case)
    held = sync_now(enrolled, automatic=True, respect_backoff=True, **FAST)
    assert (cid, "awaiting_review") in {(w.id, w.reason) for w in held.withheld}
    assert cid in sync_now(enrolled, **FAST).sent


def test_marked_free_text_goes_automatically_and_is_not_remembered(enrolled, backend):
    """A note the officer marked free of personal data leaves without consent or legal basis:
    an automatic run sends it, and nothing is added to the remembered fields."""
    from sync.ledger import Ledger
    rid = enrolled.add(Observation(place="Torget", note="Rolig kveld",
                                   text_free_of_personal=True))
    assert sync_now(enrolled, automatic=True, respect_backoff=True, **FAST).sent == [rid]
    assert Ledger(enrolled).reviewed() == {}


def test_a_run_with_nothing_waiting_decodes_no_record(enrolled, backend, monkeypatch):
    enrolled.add(Observation(place="Torget", youth_count=3))
    assert len(sync_now(enrolled, **FAST).sent) == 1

    def no_decoding(*args, **kwargs):
        raise AssertionError("a record was decoded although nothing waits")
    monkeypatch.setattr(enrolled, "list", no_decoding)
    monkeypatch.setattr(enrolled, "get", no_decoding)
    report = sync_now(enrolled, **FAST)
    assert report.ok and report.sent == [] and report.round_trips == 1
    assert enrolled.sync_records.waiting(("pending",)) == []
