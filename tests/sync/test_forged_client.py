"""A forged client posting straight to the API: the backend re-checks with the same gate."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from sync_helpers import ForgedClient

from fieldapp.domain import Consent, CrisisCallout, FollowUpCase, Observation, SchoolVisit, to_dict
from sync.protocol import make_item, payload_hash

NOW = datetime.now(UTC)
CANARY = "KANARI-7781"


@pytest.fixture
def forger(backend):
    client = ForgedClient(backend)
    yield client
    client.close()


def item_for(record, *, consents=(), basis="", **extra_fields):
    data = {k: v for k, v in to_dict(record).items()
            if k != "sync_state" and v not in ("", [], None)}
    data["revision"] = 1
    data.update(extra_fields)
    facts = []
    for c in consents:
        fact = to_dict(c)
        fact.pop("sync_state")
        fact.pop("given_by")
        facts.append(fact)
    return make_item(record.id, record.kind, 1, data, facts, basis)


def u18_case(**kw):
    return FollowUpCase(person_name=CANARY, birth_date=date(2011, 1, 1), concern=CANARY, **kw)


@pytest.mark.parametrize(("build", "reason"), [
    (lambda: item_for(u18_case()), "u18_no_consent"),
    (lambda: item_for(SchoolVisit(school="S", contacts_met=[CANARY])), "personal_no_consent"),
    (lambda: item_for(Observation(place="P", note=CANARY)), "free_text_not_marked"),
    (lambda: item_for(Observation(place="P", note=f"{CANARY} 91234567",
                                  text_free_of_personal=True)), "free_text_has_personal_data"),
    (lambda: item_for(Observation(place="P"), secret=CANARY), "unknown_field"),
    (lambda: item_for(Observation(place="P"), sync_state="synced"), "unknown_field"),
    (lambda: item_for(CrisisCallout(), timeline=[{"at": NOW.isoformat(), "text": CANARY}]),
     "free_text_not_marked"),
    (lambda: item_for(CrisisCallout(text_free_of_personal=True),
                      timeline=[{"at": NOW.isoformat(), "text": "ok", "who": CANARY}]),
     "unknown_field"),
    (lambda: item_for(u18_case(legal_basis="bvl_13_2"), basis="legal_basis:bvl_13_2@2026-1"),
     "legal_basis_other_recipient"),
])
def test_personal_field_without_cover_is_rejected(forger, backend, caplog, build, reason):
    caplog.set_level(logging.DEBUG)
    [result] = forger.push(build())
    assert (result["status"], result["reason"]) == ("rejected", reason)
    assert backend.rows("SELECT * FROM records") == []
    assert backend.rows("SELECT status, reason FROM audit WHERE event = 'push'") == [
        {"status": "rejected", "reason": reason}]
    assert CANARY not in caplog.text
    assert CANARY.encode() not in backend.db_path.read_bytes()


def test_a_consent_for_another_recipient_or_expired_does_not_cover(forger):
    case = u18_case()
    for consent in (Consent(case_id=case.id, recipients={"barnevern"}, given_at=NOW),
                    Consent(case_id=case.id, recipients={"slt"}, given_at=NOW - timedelta(days=9),
                            expires_at=date.today() - timedelta(days=2))):
        [result] = forger.push(item_for(case, consents=[consent], basis="consent"))
        assert result["status"] == "rejected"
        assert result["reason"] in ("consent_other_recipient", "consent_expired")


def test_covered_case_is_accepted_and_idempotent(forger, backend):
    case = u18_case()
    consent = Consent(case_id=case.id, given_by="Mor", recipients={"slt"},
                      given_at=NOW - timedelta(hours=1))
    item = item_for(case, consents=[consent], basis="consent")
    assert forger.push(item)[0]["status"] == "accepted"
    assert forger.push(item)[0]["status"] == "duplicate"
    changed = dict(item, record=dict(item["record"], status="closed"))
    changed["hash"] = payload_hash(changed)
    [result] = forger.push(changed)
    assert result["status"] == "conflict" and result["hash"] == changed["hash"]
    assert len(backend.rows("SELECT * FROM records")) == 1
    # The consent itself may follow now that its case is there; with the giver's name.
    consent_item = make_item(consent.id, "consent", 1,
                             {**{k: v for k, v in to_dict(consent).items() if k != "sync_state"},
                              "revision": 1}, [], "consent")
    assert forger.push(consent_item)[0]["status"] == "accepted"


def test_a_consent_without_its_case_is_rejected(forger):
    consent = Consent(case_id="no-such-case", given_by=CANARY, recipients={"slt"}, given_at=NOW)
    data = {k: v for k, v in to_dict(consent).items() if k != "sync_state"}
    data["revision"] = 1
    [result] = forger.push(make_item(consent.id, "consent", 1, data, [], "consent"))
    assert (result["status"], result["reason"]) == ("rejected", "case_not_shared")


def test_tampered_hash_and_envelope_are_rejected(forger):
    item = item_for(Observation(place="P"))
    bad_hash = dict(item, hash="0" * 64)
    moved = dict(item, id="another-id")
    moved["hash"] = payload_hash(moved)
    old_schema = dict(item, schema=0)
    results = forger.push(bad_hash, moved, old_schema)
    assert [r["reason"] for r in results] == ["hash_mismatch", "envelope_mismatch",
                                              "schema_unsupported"]


def test_malformed_envelope_gets_a_clear_error(forger):
    reply = forger.session.post(forger.url + "/v1/push", timeout=5,
                                json={"items": [{"id": 1, "record": CANARY}]})
    body = reply.json()
    assert reply.status_code == 422 and body["error"]["code"] == "invalid_request"
    assert CANARY not in reply.text
