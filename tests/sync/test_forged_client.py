"""A forged client with a valid device token posting raw HTTP: the backend trusts nothing.

Every attack asserts three things: the item is refused with the expected reason, nothing of it
is stored, and the personal value appears nowhere in the backend's files, its logs or the reply.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from fieldapp.domain import (
    Consent,
    CrisisCallout,
    FollowUpAction,
    FollowUpCase,
    Observation,
    SchoolVisit,
    to_dict,
)
from fieldapp.domain.meetings import Decision as MeetingDecision
from fieldapp.domain.meetings import Meeting, MeetingAction, Participant
from sync.protocol import make_item, payload_hash
from sync.server.checks import LEGAL_BASIS_POLICY
from tests.sync.sync_helpers import ForgedClient

NOW = datetime.now(UTC)
CANARY = "KANARI-7781"
FNR = "15051112382"           # a valid fødselsnummer (both check digits)
M = "1122"


@pytest.fixture
def forger(backend):
    client = ForgedClient(backend)
    yield client
    client.close()


def wire(record, **extra_fields) -> dict:
    data = {k: v for k, v in to_dict(record).items()
            if k != "sync_state" and v not in ("", [], None)}
    data["revision"] = 1
    data.setdefault("municipality", M)
    data.update(extra_fields)
    return data


def item_for(record, *, consents=(), basis="", **extra_fields):
    facts = []
    for c in consents:
        fact = wire(c)
        fact.pop("given_by", None)
        facts.append(fact)
    return make_item(record.id, record.kind, 1, wire(record, **extra_fields), facts, basis)


def consent_item(consent, revision=1, **extra):
    data = wire(consent, revision=revision, **extra)
    return make_item(consent.id, "consent", revision, data, [], "consent")


def u18_case(**kw):
    kw.setdefault("municipality", M)
    return FollowUpCase(person_name=CANARY, birth_date=date(2011, 1, 1), concern=CANARY, **kw)


def valid_consent(case, **kw):
    base = dict(case_id=case.id, given_by="Mor", recipients={"slt"}, purpose="SLT-oppfølging",
                given_at=NOW - timedelta(days=3), municipality=M)
    return Consent(**{**base, **kw})


def assert_nothing_kept(backend, caplog, *secrets):
    data = backend.stored_bytes()
    for secret in secrets:
        assert secret.encode() not in data, secret
        assert secret not in caplog.text, secret


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
])
def test_personal_field_without_cover_is_rejected(forger, backend, caplog, build, reason):
    caplog.set_level(logging.DEBUG)
    [result] = forger.push(build())
    assert (result["status"], result["reason"]) == ("rejected", reason)
    assert backend.rows("SELECT * FROM records") == []
    assert backend.rows("SELECT status, reason FROM audit WHERE event = 'push'") == [
        {"status": "rejected", "reason": reason}]
    assert_nothing_kept(backend, caplog, CANARY)


# -- identity numbers in code and list fields ------------------------------------------------

HIDDEN = [
    ("categories", lambda: item_for(Observation(place="P"), categories=["alcohol", FNR])),
    ("categories as a string", lambda: item_for(Observation(place="P"), categories=FNR)),
    ("topics", lambda: item_for(SchoolVisit(school="S"), topics=[FNR])),
    ("contact_roles", lambda: item_for(SchoolVisit(school="S"), contact_roles=[f"rektor {FNR}"])),
    ("priority_area", lambda: item_for(Observation(place="P"),
                                        priority_area=f"ola_nordmann_{FNR}")),
    ("atmosphere", lambda: item_for(Observation(place="P"), atmosphere=FNR)),
    ("services", lambda: item_for(u18_case(), services=[FNR])),
    ("participant role", lambda: item_for(
        Meeting(municipality=M, participants=[Participant(role="slt")]),
        participants=[{"role": FNR, "organisation": "", "present": True}])),
    ("action service", lambda: item_for(
        u18_case(), actions=[{"id": str(uuid.uuid4()), "description": "x", "service": FNR}])),
    ("record id", lambda: make_item(FNR, "observation", 1, wire(Observation(place="P"), id=FNR),
                                    [], "")),
    ("municipality", lambda: item_for(Observation(place="P"), municipality=FNR)),
    ("empty municipality", lambda: item_for(Observation(place="P"), municipality="")),
    ("other municipality", lambda: item_for(Observation(place="P"), municipality="5035")),
    ("decision_id", lambda: item_for(
        Meeting(municipality=M, decisions=[MeetingDecision(text="v")],
                actions=[MeetingAction(description="t")]),
        actions=[{"id": str(uuid.uuid4()), "description": "t", "decision_id": FNR}])),
    ("dangling decision_id", lambda: item_for(
        Meeting(municipality=M, actions=[MeetingAction(description="t",
                                                       decision_id=str(uuid.uuid4()))]))),
    ("place with a phone number", lambda: item_for(Observation(place="Torget, ring 91 234 567"))),
    ("place with a spaced number", lambda: item_for(Observation(place="Torget 150511\u00a012382"))),
]


@pytest.mark.parametrize(("label", "build"), HIDDEN, ids=[h[0] for h in HIDDEN])
def test_identity_numbers_in_codes_ids_and_lists_are_refused(forger, backend, caplog, label,
                                                             build):
    caplog.set_level(logging.DEBUG)
    item = build()
    [result] = forger.push(item)
    assert result["status"] == "rejected", (label, result)
    assert backend.rows("SELECT * FROM records") == []
    assert_nothing_kept(backend, caplog, FNR, "91 234 567", "150511\u00a012382")


def test_values_validate_refuses_never_reach_the_store(forger, backend):
    items = [item_for(Observation(place="P"), youth_count=-5),
             item_for(Observation(place="P"), latitude=1e308),
             item_for(Observation(place="P"), youth_count=True),
             item_for(Observation(place="P", municipality=M), atmosphere="happy"),
             item_for(Observation(place="")),
             item_for(CrisisCallout(), event_type="alien_invasion")]
    results = forger.push(*items)
    assert [r["status"] for r in results] == ["rejected"] * len(items)
    assert backend.rows("SELECT * FROM records") == []


def test_a_null_where_a_value_must_be_is_refused(forger, backend):
    meeting = Meeting(municipality=M, text_free_of_personal=True,
                      actions=[MeetingAction(description="Kalle inn", due_date=date(2026, 3, 1))])
    action = wire(meeting)["actions"][0]
    items = [item_for(Observation(place="P", municipality=M), created_at=None),
             item_for(Observation(place="P", municipality=M), observed_at=None),
             item_for(Observation(place="P", municipality=M), categories=None),
             item_for(meeting, actions=[dict(action, id=None)])]
    results = forger.push(*items, item_for(Observation(place="P", municipality=M)))
    assert [(r["status"], r["reason"]) for r in results] == [
        ("rejected", "invalid_record")] * 4 + [("accepted", None)]
    assert len(backend.rows("SELECT * FROM records")) == 1


def test_nan_and_infinity_are_refused_one_by_one_and_the_batch_goes_on(forger, backend):
    good = item_for(Observation(place="Torget"))
    body = json.dumps({"items": [good]})
    nan_item = item_for(Observation(place="P"))
    nan_item["record"]["latitude"] = 1.0
    raw = json.dumps(nan_item).replace('"latitude": 1.0', '"latitude": NaN')
    inf = raw.replace("NaN", "Infinity")
    payload = body[:-2] + ", " + raw + ", " + inf + "]}"
    reply = forger.session.post(forger.url + "/v1/push", data=payload, timeout=10,
                                headers={"Content-Type": "application/json"})
    assert reply.status_code == 200, reply.text
    statuses = [(r["status"], r["reason"]) for r in reply.json()["results"]]
    assert statuses == [("accepted", None), ("rejected", "undecodable"),
                        ("rejected", "undecodable")]


# -- consent: only what the backend holds ----------------------------------------------------

def test_a_fabricated_consent_in_the_case_item_does_not_cover(forger, backend, caplog):
    caplog.set_level(logging.DEBUG)
    case = u18_case(identity_number=FNR)
    fake = Consent(case_id=case.id, recipients={"slt"}, given_at=NOW - timedelta(days=1),
                   purpose="", method="")
    [result] = forger.push(item_for(case, consents=[fake], basis="consent"))
    assert result["status"] == "rejected" and result["reason"] == "consent_unknown"
    # Sent as a consent item of its own it fails validation (no purpose, no method).
    results = forger.push(consent_item(fake), item_for(case, consents=[fake], basis="consent"))
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert backend.rows("SELECT * FROM records") == []
    assert_nothing_kept(backend, caplog, CANARY, FNR)


def test_a_consent_in_the_same_batch_covers_and_is_kept_with_its_case(forger, backend):
    case = u18_case()
    consent = valid_consent(case)
    results = forger.push(consent_item(consent), item_for(case, consents=[consent],
                                                          basis="consent"))
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    stored = {r["kind"]: json.loads(r["payload"]) for r in
              backend.rows("SELECT kind, payload FROM records")}
    assert stored["consent"]["given_by"] == "Mor"
    assert stored["follow_up_case"]["person_name"] == CANARY
    # Idempotent, and a changed payload at the same revision is a conflict.
    item = item_for(case, consents=[consent], basis="consent")
    assert forger.push(item)[0]["status"] == "duplicate"
    changed = dict(item, record=dict(item["record"], status="closed"))
    changed["hash"] = payload_hash(changed)
    assert forger.push(changed)[0]["status"] == "conflict"


def test_the_stale_consent_revision_loses_to_the_stored_withdrawal(forger, backend, caplog):
    caplog.set_level(logging.DEBUG)
    case = u18_case()
    consent = valid_consent(case)
    forger.push(consent_item(consent), item_for(case, consents=[consent], basis="consent"))
    withdrawn = valid_consent(case, id=consent.id, withdrawn_at=NOW - timedelta(minutes=5))
    withdrawn_item = consent_item(withdrawn, revision=2)
    withdrawn_item["record"].pop("given_by")
    withdrawn_item = make_item(consent.id, "consent", 2, withdrawn_item["record"], [], "")
    assert forger.push(withdrawn_item)[0]["status"] == "accepted"
    # The case comes again at revision 2, carrying the stale revision 1 of the consent.
    again = u18_case(id=case.id, guardian_name="Guardian-" + CANARY)
    data = wire(again, revision=2)
    stale = make_item(case.id, case.kind, 2, data, [item_for(consent)["record"]], "consent")
    results = forger.push(consent_item(consent), stale)
    assert results[0]["status"] == "rejected"   # a stale consent revision never carries a name
    assert (results[1]["status"], results[1]["reason"]) == ("rejected", "consent_withdrawn")
    assert_nothing_kept(backend, caplog, "Guardian-" + CANARY)


def _withdrawal(consent, withdrawn_at):
    data = wire(consent, revision=2, withdrawn_at=withdrawn_at)
    data.pop("given_by")
    return make_item(consent.id, "consent", 2, data, [], "")


def test_a_forged_withdrawal_empties_the_case_and_an_odd_spelling_of_it_is_refused(
        forger, backend, caplog):
    case = u18_case()
    consent = valid_consent(case)
    results = forger.push(consent_item(consent), item_for(case, consents=[consent],
                                                          basis="consent"))
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    assert CANARY.encode() in backend.stored_bytes()
    # the withdrawal time in full-width and Arabic-Indic digits is no time: refused, kept
    for odd in ("\uff12\uff10\uff12\uff16-03-01T10:00:00+00:00",
                "\u0662\u0660\u0662\u0666-03-01T10:00:00+00:00"):
        [result] = forger.push(_withdrawal(consent, odd))
        assert result["status"] == "rejected"
    assert json.loads(backend.rows("SELECT payload FROM records WHERE id = ?",
                                   (case.id,))[0]["payload"])["person_name"] == CANARY
    [result] = forger.push(_withdrawal(consent, (NOW - timedelta(minutes=5)).isoformat()))
    assert result["status"] == "accepted"
    assert [r["payload"] for r in backend.rows("SELECT payload FROM records WHERE id = ?",
                                               (case.id,))] == ["{}"]
    assert_nothing_kept(backend, caplog, CANARY)


def test_a_withdrawal_by_the_giver_ends_the_givers_older_consents(forger, backend):
    case = u18_case()
    older = valid_consent(case, given_by_role="guardian", given_at=NOW - timedelta(days=20))
    newer = valid_consent(case, given_by_role="guardian", given_at=NOW - timedelta(days=5),
                          withdrawn_at=NOW - timedelta(hours=1))
    newer_item = consent_item(newer)
    newer_item["record"].pop("given_by")
    newer_item = make_item(newer.id, "consent", 1, newer_item["record"], [], "")
    results = forger.push(consent_item(older), newer_item,
                          item_for(case, consents=[older], basis="consent"))
    assert results[2]["status"] == "rejected" and results[2]["reason"] == "consent_withdrawn"
    assert backend.rows("SELECT * FROM records WHERE kind = 'follow_up_case'") == []


def test_a_consent_without_its_case_is_not_kept(forger, backend):
    consent = Consent(case_id=str(uuid.uuid4()), given_by=CANARY, recipients={"slt"},
                      given_at=NOW, purpose="SLT", municipality=M)
    [result] = forger.push(consent_item(consent))
    assert (result["status"], result["reason"]) == ("rejected", "case_not_shared")
    assert backend.rows("SELECT * FROM records") == []


def test_a_consent_for_another_recipient_or_expired_does_not_cover(forger):
    for kw in (dict(recipients={"barnevern"}),
               dict(given_at=NOW - timedelta(days=9), expires_at=date.today() - timedelta(days=2))):
        case = u18_case()
        consent = valid_consent(case, **kw)
        results = forger.push(consent_item(consent),
                              item_for(case, consents=[consent], basis="consent"))
        assert results[1]["status"] == "rejected"
        assert results[1]["reason"] in ("consent_other_recipient", "consent_expired")


def test_a_claimed_legal_basis_needs_the_municipalitys_policy(forger, backend):
    case = u18_case(legal_basis="pol_24_3")
    item = item_for(case, basis="legal_basis:pol_24_3@2026-1")
    [result] = forger.push(item)
    assert (result["status"], result["reason"]) == ("rejected", "legal_basis_not_allowed")
    backend.configure(**{LEGAL_BASIS_POLICY: json.dumps({"forger": ["pol_24_3"]})})
    assert forger.push(item)[0]["status"] == "accepted"
    other = u18_case(legal_basis="bvl_13_2")
    [result] = forger.push(item_for(other, basis="legal_basis:bvl_13_2@2026-1"))
    assert result["reason"] == "legal_basis_not_allowed"


def test_a_phone_clock_a_few_minutes_fast_is_tolerated(forger, backend):
    case = u18_case()
    consent = valid_consent(case, given_at=NOW + timedelta(minutes=3))
    results = forger.push(consent_item(consent), item_for(case, consents=[consent],
                                                          basis="consent"))
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    later = u18_case()
    far = valid_consent(later, given_at=NOW + timedelta(hours=2))
    results = forger.push(consent_item(far), item_for(later, consents=[far], basis="consent"))
    assert results[1]["reason"] == "consent_not_yet_given"


def test_what_is_stored_is_the_checked_record_not_the_bytes_received(forger, backend):
    obs = Observation(place="Torget", municipality=M, categories={"drugs", "alcohol"})
    item = item_for(obs)
    item["record"]["categories"] = ["drugs", "alcohol", "drugs"]
    item["hash"] = payload_hash(item)
    assert forger.push(item)[0]["status"] == "accepted"
    [row] = backend.rows("SELECT payload FROM records")
    assert json.loads(row["payload"])["categories"] == ["alcohol", "drugs"]


def test_a_priority_area_must_be_in_the_municipalitys_agreement(forger):
    ok = item_for(Observation(place="P"), priority_area="rus_krim_u18")
    wrong = item_for(Observation(place="P"), priority_area="not_in_the_agreement")
    results = forger.push(ok, wrong)
    assert results[1]["reason"] == "priority_area_unknown"
    assert results[0]["status"] == "accepted"


def test_tampered_hash_and_envelope_are_rejected(forger):
    item = item_for(Observation(place="P"))
    bad_hash = dict(item, hash="0" * 64)
    moved = dict(item, id=str(uuid.uuid4()))
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


def test_follow_up_action_texts_with_personal_data_are_refused(forger, backend, caplog):
    caplog.set_level(logging.DEBUG)
    case = u18_case(actions=[FollowUpAction(description="Ring mor 91234567", service="skole")])
    consent = valid_consent(case)
    results = forger.push(consent_item(consent),
                          item_for(case, consents=[consent], basis="consent"))
    assert results[1]["reason"] == "free_text_has_personal_data"
    assert_nothing_kept(backend, caplog, "91234567")


def test_a_consent_ended_by_the_givers_withdrawal_never_carries_the_name(forger, backend,
                                                                       caplog):
    caplog.set_level(logging.DEBUG)
    case = u18_case()
    older = valid_consent(case, given_by="Mor-" + CANARY, given_by_role="guardian",
                          given_at=NOW - timedelta(days=20))
    newer = valid_consent(case, given_by_role="guardian", given_at=NOW - timedelta(days=5),
                          withdrawn_at=NOW - timedelta(hours=1))
    newer_item = consent_item(newer)
    newer_item = make_item(newer.id, "consent", 1,
                           {k: v for k, v in newer_item["record"].items() if k != "given_by"},
                           [], "")
    results = forger.push(consent_item(older), newer_item)
    assert results[0]["status"] == "rejected"
    assert_nothing_kept(backend, caplog, "Mor-" + CANARY)


def test_implausible_dates_and_odd_digit_spellings_are_refused(forger, backend):
    """The phone's date rules hold at the boundary too: nothing before 2000, what happened not
    more than a day ahead, what is planned at most five years ahead, and an ISO date written
    with full-width or Arabic-Indic digits is not a date."""
    called = NOW - timedelta(hours=2)

    def meeting(due: date) -> dict:
        action = MeetingAction(description="Kalle inn", owner_role="slt_koordinator",
                               due_date=due)
        return item_for(Meeting(starts_at=NOW + timedelta(days=30),
                                text_free_of_personal=True), actions=[to_dict(action)])

    items = [
        item_for(Observation(place="P"), observed_at="1900-01-01T10:00:00+00:00"),
        item_for(Observation(place="P"), observed_at=(NOW + timedelta(days=400)).isoformat()),
        item_for(Observation(place="P"), observed_at="２０２６-03-11T10:00:00+00:00"),
        item_for(Observation(place="P"), observed_at="٢٠٢٦-03-11T10:00:00+00:00"),
        item_for(SchoolVisit(school="Gjesdal ungdomsskole"),
                 checked_in_at="2031-12-01T08:00:00+00:00"),
        item_for(CrisisCallout(called_at=called),
                 arrived_at=(called - timedelta(minutes=30)).isoformat()),
        meeting(date(NOW.year + 14, 1, 1)),
    ]
    results = forger.push(*items)
    assert [(r["status"], r["reason"]) for r in results] == [
        ("rejected", "invalid_record"), ("rejected", "invalid_record"),
        ("rejected", "undecodable"), ("rejected", "undecodable"),
        ("rejected", "invalid_record"), ("rejected", "invalid_record"),
        ("rejected", "invalid_record")]
    assert backend.rows("SELECT * FROM records") == []
    # the same records with plausible dates are taken, so the refusals above are the dates'
    fine = forger.push(
        item_for(Observation(place="P"), observed_at=NOW.isoformat()),
        item_for(SchoolVisit(school="Gjesdal ungdomsskole"), checked_in_at=NOW.isoformat()),
        item_for(CrisisCallout(called_at=called),
                 arrived_at=(called + timedelta(minutes=25)).isoformat()),
        meeting(date(NOW.year + 1, 1, 1)))
    assert [r["status"] for r in fine] == ["accepted"] * 4, [r["reason"] for r in fine]


@pytest.mark.parametrize("spelling", [
    "\uff19\uff11\uff12 \uff13\uff14 \uff15\uff16\uff17",   # full-width digits
    "\u0669\u0661\u0662\u0663\u0664\u0665\u0666\u0667",      # Arabic-Indic digits
    "912\u00ad34\u00ad567",                                  # soft hyphens
    "912\u200b34\u200b567",                                  # zero-width spaces
    # the detector's quick paths: Norwegian letters only (no normalising), an upper-case
    # marker found through lower(), Norwegian letters beside a no-break space (read through)
    "Ålgård: 912 34 567, spør etter Ørjan",
    "ola (KRØLLALFA) politiet.no",
    "ØRJAN@POLITIET.NO",
    "912\u00a034\u00a0567 på Ålgård",
])
def test_one_batch_takes_each_item_on_its_own_whatever_the_spelling(forger, backend, caplog,
                                                                      spelling):
    """One raw batch through the batch path (revisions read once, rows and audit written in
    one go): a phone number spelt oddly in text marked free of personal data is refused and
    nothing of it kept; the clean items around it are stored as the gate let them go (a
    decomposed å kept as sent), and the same item twice in the batch is a duplicate."""
    caplog.set_level(logging.DEBUG)
    clean = Observation(place="A\u030algård", note="Rolig kveld", municipality=M,
                        text_free_of_personal=True)
    hidden = Observation(place="Torget", note=f"{CANARY} ring {spelling}",
                         text_free_of_personal=True, municipality=M)
    after = Observation(place="Kiosken", youth_count=3, municipality=M)
    results = forger.push(item_for(clean), item_for(hidden), item_for(after), item_for(clean))
    assert [(r["status"], r.get("reason")) for r in results] == [
        ("accepted", None), ("rejected", "free_text_has_personal_data"),
        ("accepted", None), ("duplicate", None)]
    assert_nothing_kept(backend, caplog, CANARY, spelling)
    stored = {r["id"]: json.loads(r["payload"]) for r in backend.rows(
        "SELECT id, payload FROM records")}
    assert set(stored) == {clean.id, after.id}
    assert stored[clean.id]["place"] == "A\u030algård"
    audit = backend.rows("SELECT record_id, status FROM audit WHERE event = 'push'")
    assert [(a["record_id"], a["status"]) for a in audit] == [
        (clean.id, "accepted"), (hidden.id, "rejected"), (after.id, "accepted"),
        (clean.id, "duplicate")]
