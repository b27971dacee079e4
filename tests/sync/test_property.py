"""Property: whatever the phone (honest or forged) sends, under any consents and clocks, the
backend's database never holds a personal field without a covering consent or legal basis,
and the database file holds no canary value that it was not allowed to keep."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldapp.domain import (
    Consent,
    CrisisCallout,
    FollowUpAction,
    FollowUpCase,
    Observation,
    SchoolVisit,
    TimelineEntry,
    from_dict,
    to_dict,
)
from fieldapp.domain.codes import LEGAL_BASES, RECIPIENTS
from fieldapp.domain.consent import ConsentGate
from fieldapp.domain.meetings import Decision as MeetingDecision
from fieldapp.domain.meetings import Meeting, Minutes, Participant
from fieldapp.domain.validation import validation_errors
from sync.protocol import make_item
from sync.server.checks import LEGAL_BASIS_POLICY
from sync.server.tombstones import EMPTY_PAYLOAD
from tests.support.backend import Backend
from tests.sync.sync_helpers import ForgedClient

NOW = datetime.now(UTC)
MUNICIPALITY = "1122"
GATE = ConsentGate()
SEQ = count()
TEXTS = ["Rolig kveld", "Ring 91234567", "fnr 01010110013", "skriv til a@b.no", "Møtte Ola"]


def canary() -> str:
    return f"KANARI{next(SEQ):06d}{uuid.uuid4().hex[:6]}"


moments = st.integers(-24 * 400, 24 * 60).map(lambda h: NOW + timedelta(hours=h))
texts = st.one_of(st.just(""), st.sampled_from(TEXTS).map(lambda t: f"{t} {canary()}"))
names = st.builds(lambda: f"Navn {canary()}")
marked = st.booleans()


def _case(draw):
    birth = draw(st.sampled_from([None, date(2010, 5, 1), date(2014, 12, 31), date(1990, 1, 1)]))
    actions = [FollowUpAction(description=draw(texts), service="skole")
               for _ in range(draw(st.integers(0, 2)))]
    return FollowUpCase(person_name=draw(names), birth_date=birth, guardian_name=draw(names),
                        guardian_phone=f"912 34 567 {canary()}", concern=draw(texts),
                        actions=actions, text_free_of_personal=draw(marked),
                        legal_basis=draw(st.sampled_from(
                            ["", "", "", "pol_24_3", "bvl_13_2", "pregistl_27", "bogus"])))


def _consent(draw, case_id):
    expiry = draw(st.one_of(st.none(), moments, moments.map(lambda m: m.date())))
    return Consent(case_id=case_id, given_by=draw(names), given_at=draw(moments),
                   recipients=draw(st.sets(st.sampled_from(RECIPIENTS), min_size=1)),
                   purpose="SLT", expires_at=expiry,
                   withdrawn_at=draw(st.one_of(st.none(), st.none(), moments)))


@st.composite
def examples(draw):
    kind = draw(st.sampled_from(["case", "case", "observation", "visit", "callout", "meeting"]))
    if kind == "case":
        record = _case(draw)
    elif kind == "observation":
        record = Observation(place="Torget", note=draw(texts), actions_taken=draw(texts),
                             text_free_of_personal=draw(marked))
    elif kind == "visit":
        record = SchoolVisit(school="Skole", contacts_met=[draw(names)], note=draw(texts),
                             text_free_of_personal=draw(marked))
    elif kind == "meeting":
        record = Meeting(place="Rådhuset", participants=[Participant(role="slt", name=draw(names))],
                         decisions=[MeetingDecision(text=draw(texts))],
                         minutes=[Minutes(public_title="Referat", text=draw(texts),
                                          internal_title=draw(texts))],
                         note=draw(texts), text_free_of_personal=draw(marked))
    else:
        record = CrisisCallout(called_by_name=draw(names), note=draw(texts),
                               timeline=[TimelineEntry(text=draw(texts))],
                               text_free_of_personal=draw(marked))
    record.revision = 1
    record.municipality = MUNICIPALITY
    consents = [_consent(draw, record.id) for _ in range(draw(st.integers(0, 3)))] \
        if kind == "case" else []
    for c in consents:
        c.revision = 1
        c.municipality = MUNICIPALITY
    clock = NOW + timedelta(hours=draw(st.sampled_from([0, 0, -1, -240, 240, -24 * 40])))
    return record, consents, clock, draw(st.booleans())


def _full(record) -> dict:
    return {k: v for k, v in to_dict(record).items() if k != "sync_state"}


def _shareable_facts(consent) -> dict:
    data = _full(consent)
    data.pop("given_by")
    return data


def _items(record, consents, clock, forged):
    """A batch as the phone (or a forger) sends it: the case's consents first, then the case."""
    decision = GATE.decide(record, consents, "slt", clock)
    facts = [_shareable_facts(c) for c in consents]
    if forged:
        consent_items = [make_item(c.id, "consent", 1, _full(c), [], "consent")
                         for c in consents]
        return consent_items + [make_item(record.id, record.kind, 1, _full(record), facts,
                                          decision.basis)]
    if not decision.send_record:
        return []
    consent_items = []
    for c in consents:
        judged = GATE.decide(c, consents, "slt", clock, case_shared=True)
        if judged.send_record:
            consent_items.append(make_item(c.id, "consent", 1, judged.payload, [],
                                           judged.basis))
    used = [f for f in facts if f["id"] in decision.consent_ids]
    return consent_items + [make_item(record.id, record.kind, 1, decision.payload, used,
                                      decision.basis)]


@pytest.fixture(scope="module")
def shared_backend(tmp_path_factory):
    b = Backend(tmp_path_factory.mktemp("prop") / "kommune.sqlite3").start(MUNICIPALITY)
    b.configure(**{LEGAL_BASIS_POLICY: json.dumps({"*": sorted(LEGAL_BASES)})})
    yield b
    b.stop()


@pytest.mark.slow
def test_backend_never_holds_uncovered_personal_data(shared_backend):
    forger = ForgedClient(shared_backend)
    consents_of: dict[str, list[Consent]] = {}
    stats = {"accepted": 0, "rejected": 0}

    @settings(max_examples=1000, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(examples())
    def one(example):
        record, consents, clock, forged = example
        consents_of[record.id] = consents
        items = _items(record, consents, clock, forged)
        if not items:
            return
        for consent in consents:
            consents_of[consent.id] = []
        result = forger.push(*items)[-1]
        stats["accepted" if result["status"] == "accepted" else "rejected"] += 1
        # what the phone could have made (a consent withdrawn more than a day ahead of the
        # clock never passes its validation) goes in when nothing is forged
        valid = not validation_errors(record) and not any(map(validation_errors, consents))
        if not forged and clock == NOW and valid:
            assert result["status"] == "accepted", result

    try:
        one()
    finally:
        forger.close()
    assert stats["accepted"] > 100 and stats["rejected"] > 100
    allowed_text = _verify_every_stored_record(shared_backend, consents_of)
    _grep_database_for_canaries(shared_backend, allowed_text)


def _verify_every_stored_record(backend, consents_of) -> str:
    rows = backend.rows("SELECT id, kind, payload, received_at FROM records")
    stored_ids = {r["id"] for r in rows}
    everything = []
    for row in rows:
        if row["payload"] == EMPTY_PAYLOAD:  # an older revision or a held case, emptied:
            continue  # nothing is held (and the canary grep reads the files themselves)
        payload = json.loads(row["payload"])
        record = from_dict(payload)
        case_shared = isinstance(record, Consent) and record.case_id in stored_ids
        # The backend holds only consents that pass validation (a withdrawal dated before
        # its own consent was given is not a consent the phone could have made).
        held = [c for c in consents_of.get(row["id"], []) if not validation_errors(c)]
        decision = GATE.decide(record, held, "slt",
                               datetime.fromisoformat(row["received_at"]),
                               case_shared=case_shared)
        assert decision.send_record, (row["id"], decision.reason)
        _assert_within(payload, decision.payload)
        everything.append(row["payload"])
    return "\n".join(everything)


def _assert_within(received, allowed):
    if isinstance(received, dict):
        assert set(received) <= set(allowed), set(received) - set(allowed)
        for key, value in received.items():
            _assert_within(value, allowed[key])
    elif isinstance(received, list) and received and isinstance(received[0], dict):
        for got, may in zip(received, allowed, strict=True):
            _assert_within(got, may)


def _grep_database_for_canaries(backend, allowed_text):
    data = b"".join(p.read_bytes() for p in backend.db_path.parent.iterdir()
                    if p.name.startswith(backend.db_path.name))
    found = {m.decode() for m in _canaries_in(data)}
    allowed = set(_canaries_in(allowed_text.encode()))
    assert found <= {a.decode() for a in allowed}


def _canaries_in(data: bytes) -> list[bytes]:
    return re.findall(rb"KANARI\d{6}[0-9a-f]{6}", data)
