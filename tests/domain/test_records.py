"""Record types: sensitivity declarations, codec round trips, validation messages."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.domain import (
    RECORD_TYPES,
    Consent,
    CrisisCallout,
    FollowUpAction,
    FollowUpCase,
    Observation,
    SchoolVisit,
    Sensitivity,
    TimelineEntry,
    ValidationError,
    from_dict,
    sensitivity_of,
    to_dict,
    validate,
)
from fieldapp.domain.messages import error_message

PERSONAL_BY_NAME = {"person_name", "birth_date", "identity_number", "address", "guardian_name",
                    "guardian_phone", "concern", "given_by", "called_by_name", "name", "phone",
                    "email", "contacts_met", "note", "actions_taken", "description", "text",
                    "agreed_follow_up"}


@pytest.mark.parametrize("record_type", [*RECORD_TYPES, FollowUpAction, TimelineEntry])
def test_every_field_declares_a_sensitivity(record_type):
    declared = sensitivity_of(record_type)
    assert set(declared) == {f.name for f in dataclasses.fields(record_type)}
    for name, sensitivity in declared.items():
        expected = Sensitivity.PERSONAL if name in PERSONAL_BY_NAME else Sensitivity.SHAREABLE
        assert sensitivity is expected, name


text = st.text(max_size=40)
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1),
                       timezones=st.just(UTC))
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1))
codes = st.sets(st.sampled_from(["alcohol", "drugs", "violence", "other"]))

records = st.one_of(
    st.builds(Observation, place=text, observed_at=moments, categories=codes, note=text,
              youth_count=st.none() | st.integers(0, 500),
              latitude=st.none() | st.floats(-90, 90)),
    st.builds(SchoolVisit, school=text, contacts_met=st.lists(text, max_size=3),
              checked_in_at=moments, checked_out_at=st.none() | moments),
    st.builds(FollowUpCase, person_name=text, birth_date=st.none() | days, concern=text,
              services=st.sets(st.sampled_from(["barnevern", "skole"])),
              actions=st.lists(st.builds(FollowUpAction, description=text,
                                         due_date=st.none() | days), max_size=3)),
    st.builds(Consent, case_id=text, given_by=text, recipients=st.sets(st.just("slt")),
              expires_at=st.none() | days | moments),
    st.builds(CrisisCallout, called_at=moments,
              timeline=st.lists(st.builds(TimelineEntry, at=moments, text=text), max_size=3)),
)


@settings(max_examples=300)
@given(records)
def test_codec_round_trip(record):
    assert from_dict(to_dict(record)) == record


def test_naive_times_are_taken_as_local_time():
    visit = SchoolVisit(school="Gjesdal ungdomsskole", checked_in_at=datetime(2026, 3, 1, 9, 0))
    back = from_dict(to_dict(visit))
    assert back.checked_in_at.tzinfo is not None
    assert back.checked_in_at == visit.checked_in_at.astimezone()


def test_validation_names_every_wrong_field():
    obs = Observation(place="", youth_count=-1, categories={"not-a-code"})
    with pytest.raises(ValidationError) as caught:
        validate(obs)
    fields = {e.field: e.key for e in caught.value.errors}
    assert fields == {"place": "required", "youth_count": "out_of_range",
                      "categories": "unknown_code"}


def test_validation_messages_in_bokmal_and_english():
    assert error_message("required", "place") == "Sted må fylles ut."
    assert error_message("required", "place", lang="en") == "Place is required."
    assert error_message("before", "checked_out_at", {"other": "checked_in_at"}) == \
        "Utsjekk kan ikke være før innsjekk."


def test_u18_case_rules():
    opened = datetime(2026, 5, 1, tzinfo=UTC)
    adult = FollowUpCase(person_name="A", concern="c", birth_date=date(2000, 1, 1),
                         opened_at=opened)
    with pytest.raises(ValidationError) as caught:
        validate(adult)
    assert caught.value.for_field("birth_date").key == "not_minor"
    turning_18_tomorrow = FollowUpCase(person_name="A", concern="c", opened_at=opened,
                                       birth_date=date(2008, 5, 2))
    validate(turning_18_tomorrow)
    bad_id = FollowUpCase(person_name="A", concern="c", identity_number="12345678901")
    with pytest.raises(ValidationError) as caught:
        validate(bad_id)
    assert caught.value.for_field("identity_number").key == "invalid_identity_number"


def test_times_must_be_in_order():
    start = datetime(2026, 1, 1, 10, tzinfo=UTC)
    callout = CrisisCallout(event_type="flood", called_at=start,
                            arrived_at=start - timedelta(minutes=5))
    with pytest.raises(ValidationError) as caught:
        validate(callout)
    assert caught.value.for_field("arrived_at").key == "before"
    consent = Consent(case_id="x", given_by="Mor", recipients={"slt"}, purpose="SLT",
                      given_at=start, expires_at=date(2025, 12, 31))
    with pytest.raises(ValidationError):
        validate(consent)


def test_consent_needs_a_known_recipient():
    consent = Consent(case_id="x", given_by="Mor", recipients={"naboen"}, purpose="p")
    with pytest.raises(ValidationError) as caught:
        validate(consent)
    assert caught.value.for_field("recipients").key == "unknown_code"


def test_validation_error_text_carries_no_values():
    case = FollowUpCase(person_name="Kari Hemmelig", concern="", identity_number="999")
    with pytest.raises(ValidationError) as caught:
        validate(case)
    assert "Hemmelig" not in str(caught.value) and "999" not in str(caught.value)


@pytest.mark.parametrize("kind", [SchoolVisit, Observation, FollowUpCase, CrisisCallout])
def test_activity_records_link_to_a_priority_area_by_code_only(kind):
    from fieldapp.domain.sensitivity import Sensitivity, sensitivity_of
    from fieldapp.domain.validation import validation_errors
    assert sensitivity_of(kind)["priority_area"] is Sensitivity.SHAREABLE
    fields = {SchoolVisit: {"school": "Gjesdal ungdomsskole"}, Observation: {"place": "Torget"},
              FollowUpCase: {"person_name": "Ola", "concern": "Skulk"}, CrisisCallout: {}}[kind]
    good = kind(**fields, priority_area="rus_krim_u18")
    assert not [e for e in validation_errors(good) if e.field == "priority_area"]
    for bad in ("Ola Nordmann", "rus krim", "x" * 41, "ÆØÅ"):
        errors = validation_errors(kind(**fields, priority_area=bad))
        assert [(e.field, e.key) for e in errors if e.field == "priority_area"] == \
            [("priority_area", "unknown_code")], bad


def test_an_identity_number_typed_with_odd_separators_is_accepted():
    from fieldapp.domain import FollowUpCase, validate
    for typed in ("150511 12382", "150511\u00a012382", "15.05.11 12382", "１５０５１１１２３８２"):
        validate(FollowUpCase(person_name="N", concern="c", identity_number=typed))
    case = FollowUpCase(person_name="N", concern="c", identity_number="150511 12383")
    with pytest.raises(ValidationError):
        validate(case)
