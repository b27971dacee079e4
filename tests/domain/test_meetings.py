"""Council and SLT meetings: field sensitivity, codec round trip, validation, messages."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest

from fieldapp.domain import codes, messages
from fieldapp.domain.codec import from_dict, to_dict
from fieldapp.domain.consent import ConsentGate
from fieldapp.domain.identity import check_digits
from fieldapp.domain.kinds import RECORD_TYPES_BY_KIND
from fieldapp.domain.meetings import (
    SHORT_TEXT,
    AgendaItem,
    Decision,
    Meeting,
    MeetingAction,
    Minutes,
    Participant,
)
from fieldapp.domain.records import Record
from fieldapp.domain.sensitivity import Sensitivity, free_text_fields, sensitivity_of
from fieldapp.domain.validation import ValidationError, validate
from fieldapp.logbook import Logbook

START = datetime(2026, 3, 10, 12, tzinfo=UTC)
PERSONAL = {
    Meeting: {"note"},
    AgendaItem: {"internal_title"},
    Participant: {"name"},
    Decision: {"text"},
    MeetingAction: {"description"},
    Minutes: {"internal_title", "text"},
}


def full_meeting() -> Meeting:
    return Meeting(
        municipality="1122", meeting_type="politirad", starts_at=START, place="Gjesdal rådhus",
        agenda=[AgendaItem(public_title="Status SLT", internal_title="Sak om Ola (14)",
                           priority_area="rus_krim_u18")],
        agenda_sent_at=START - timedelta(days=8),
        participants=[Participant(role="ordforer", organisation="Gjesdal kommune",
                                  name="Frode Fjeldsbø"),
                      Participant(role="politikontakt", name="P. Kontakt", present=False)],
        decisions=[Decision(text="Skjerpet tilstedeværelse i sentrum", consensus=True)],
        actions=[MeetingAction(description="Lage plan", owner_role="slt_koordinator",
                               due_date=date(2026, 4, 1))],
        minutes=[Minutes(public_title="Referat politiråd mars", internal_title="Referat",
                         text="Referatet"),
                 Minutes(public_title="Vedlegg til referat", internal_title="Om Ola (14)",
                         text="Drøftet enkeltsak", skjermet=True,
                         exemption_basis="offl. § 13, jf. fvl. § 13",
                         archive_reference="2026/123-4")],
        priority_areas={"rus_krim_u18"}, note="Husk kaffe")


@pytest.mark.parametrize("record_type", list(PERSONAL))
def test_every_field_declares_its_sensitivity(record_type):
    declared = sensitivity_of(record_type)
    personal = {n for n, s in declared.items() if s is Sensitivity.PERSONAL}
    assert personal == PERSONAL[record_type]
    texts = free_text_fields(record_type)
    assert texts == personal - {"name"}   # every personal field but a name is prose


def test_meeting_is_a_registered_record_type():
    assert RECORD_TYPES_BY_KIND["meeting"] is Meeting


def test_codec_round_trip_through_json():
    meeting = full_meeting()
    data = json.loads(json.dumps(to_dict(meeting)))
    assert data["kind"] == "meeting"
    assert from_dict(data) == meeting


def test_a_complete_meeting_is_valid_and_stored_by_the_logbook():
    lb = Logbook.in_memory()
    rid = lb.add(full_meeting())
    back = lb.get(rid)
    assert isinstance(back, Meeting) and back.minutes[1].skjermet
    assert lb.list(Meeting)[0].participants[0].role == "ordforer"


def _errors(meeting: Meeting) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        validate(meeting)
    return {e.field: e.key for e in caught.value.errors}


def test_validation_names_each_wrong_part():
    m = full_meeting()
    m.meeting_type = "kaffemøte"
    m.agenda_sent_at = START + timedelta(minutes=1)
    m.participants.append(Participant(role="naboen"))
    m.decisions.append(Decision(text=" "))
    m.actions.append(MeetingAction(description="x", owner_role="sjefen"))
    m.priority_areas = {"Ikke en kode"}
    m.minutes[1].exemption_basis = ""
    assert _errors(m) == {
        "meeting_type": "unknown_code", "agenda_sent_at": "after",
        "participants": "unknown_code", "decisions": "required", "actions": "unknown_code",
        "priority_areas": "unknown_code", "minutes": "exemption_basis_required",
    }


def test_public_titles_refuse_identity_numbers_and_phone_numbers():
    k1, k2 = check_digits("010170123")
    m = full_meeting()
    m.agenda[0].public_title = f"Sak om 010170123{k1}{k2}"
    m.minutes[0].public_title = "Ring 912 34 567"
    assert _errors(m) == {"agenda": "personal_data_found", "minutes": "personal_data_found"}
    m.agenda[0].public_title = "x" * (SHORT_TEXT + 1)
    assert _errors(m)["agenda"] == "too_long"


def test_an_agenda_item_needs_a_title_and_the_internal_one_may_stay_alone():
    m = full_meeting()
    m.agenda = [AgendaItem(internal_title="Bare intern")]
    validate(m)
    m.agenda.append(AgendaItem())
    assert _errors(m)["agenda"] == "required"


def test_messages_in_bokmal_and_english():
    assert messages.error_message("after", "agenda_sent_at", {"other": "starts_at"}) == \
        "Saksliste sendt kan ikke være etter møtetidspunkt."
    assert messages.error_message("after", "agenda_sent_at", {"other": "starts_at"},
                                  lang="en") == "Agenda sent cannot be after meeting time."
    base = {f.name for f in dataclasses.fields(Record)} | {"text_free_of_personal"}
    for cls in PERSONAL:
        for f in dataclasses.fields(cls):
            if f.name in base:
                continue
            for lang in ("nb", "en"):
                assert f.name in messages.FIELDS[lang], (cls.__name__, f.name, lang)
    for code in (*codes.MEETING_TYPES, *codes.MEETING_ROLES, *codes.TARGET_PERIODS):
        assert code in messages.CODES["nb"] and code in messages.CODES["en"], code


def test_meetings_module_can_be_imported_first():
    code = "import fieldapp.domain.meetings as m; print(m.Meeting.kind)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "meeting"


def _values(obj) -> list:
    if isinstance(obj, dict):
        return [v for value in obj.values() for v in _values(value)]
    if isinstance(obj, list):
        return [v for value in obj for v in _values(value)]
    return [obj]


def test_the_consent_gate_lets_no_personal_value_of_a_meeting_leave():
    meeting = full_meeting()
    meeting.text_free_of_personal = False
    decision = ConsentGate().decide(meeting, [], "slt", START)
    sent = _values(decision.payload)
    for value in ("Frode Fjeldsbø", "P. Kontakt", "Sak om Ola (14)", "Om Ola (14)",
                  "Drøftet enkeltsak", "Referatet", "Lage plan", "Husk kaffe",
                  "Skjerpet tilstedeværelse i sentrum"):
        assert value not in sent, value
    for value in ("Referat politiråd mars", "Vedlegg til referat", "ordforer", "Status SLT",
                  "offl. § 13, jf. fvl. § 13", "rus_krim_u18"):
        assert value in sent, value
