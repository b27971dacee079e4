"""The consent gate: field by field, what may leave for which recipient, and why not."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.domain import (
    Consent,
    CrisisCallout,
    CrisisContact,
    FollowUpAction,
    FollowUpCase,
    Observation,
    SchoolVisit,
    Sensitivity,
    TimelineEntry,
    sensitivity_of,
)
from fieldapp.domain.consent import ConsentGate, Reason
from fieldapp.domain.days import oslo_date
from fieldapp.domain.retention import blank_personal, has_personal_details, purge_due

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
GATE = ConsentGate()


CASE_ID = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f"


def case(**kw):
    defaults = dict(person_name="Ola Nordmann", birth_date=date(2011, 3, 4),
                    guardian_phone="912 34 567", concern="Skulker skolen",
                    actions=[FollowUpAction(description="Samtale med rektor", service="skole")])
    return FollowUpCase(**{**defaults, **kw})


def consent(case_id, **kw):
    defaults = dict(given_by="Kari Nordmann", recipients={"slt"}, purpose="SLT-oppfølging",
                    given_at=NOW - timedelta(days=3))
    return Consent(case_id=case_id, **{**defaults, **kw})


def test_u18_case_without_consent_leaves_no_trace():
    d = GATE.decide(case(), [], "slt", NOW)
    assert not d.send_record and d.payload is None and d.reason == Reason.U18_NO_CONSENT


def test_unknown_birth_date_counts_as_minor():
    d = GATE.decide(case(birth_date=None), [], "slt", NOW)
    assert not d.send_record


def test_valid_consent_releases_personal_fields():
    c = case()
    d = GATE.decide(c, [consent(c.id)], "slt", NOW)
    assert d.send_record and d.basis == "consent"
    assert d.payload["person_name"] == "Ola Nordmann"
    assert d.payload["actions"][0]["description"] == "Samtale med rektor"
    assert "sync_state" not in d.payload and not d.withheld


def test_free_text_with_an_identity_number_stays_even_under_consent():
    c = case(concern="Ring mor på 91234567",
             actions=[FollowUpAction(description="fnr 01010110013")])
    d = GATE.decide(c, [consent(c.id)], "slt", NOW)
    assert {w.field: w.reason for w in d.withheld} == {
        "concern": Reason.FREE_TEXT_HAS_PERSONAL_DATA,
        "actions[0].description": Reason.FREE_TEXT_HAS_PERSONAL_DATA}
    assert "concern" not in d.payload and "description" not in d.payload["actions"][0]


@pytest.mark.parametrize(("change", "reason"), [
    (dict(recipients={"barnevern"}), Reason.CONSENT_OTHER_RECIPIENT),
    (dict(withdrawn_at=NOW - timedelta(minutes=1)), Reason.CONSENT_WITHDRAWN),
    (dict(given_at=NOW + timedelta(hours=1)), Reason.CONSENT_NOT_YET_GIVEN),
    (dict(expires_at=date(2026, 11, 23)), Reason.CONSENT_EXPIRED),
    (dict(expires_at=NOW - timedelta(seconds=1)), Reason.CONSENT_EXPIRED),
])
def test_consent_that_does_not_cover(change, reason):
    c = case()
    d = GATE.decide(c, [consent(c.id, **change)], "slt", NOW)
    assert not d.send_record and d.reason == reason


def test_consent_for_another_case_does_not_count():
    d = GATE.decide(case(), [consent("another-case")], "slt", NOW)
    assert d.reason == Reason.U18_NO_CONSENT


def test_withdrawal_in_the_future_is_not_yet_a_withdrawal():
    c = case()
    d = GATE.decide(c, [consent(c.id, withdrawn_at=NOW + timedelta(days=1))], "slt", NOW)
    assert d.send_record


def test_expiry_date_is_valid_through_that_day_in_oslo():
    c = case()
    k = consent(c.id, expires_at=date(2026, 11, 24))
    late_evening = datetime(2026, 11, 24, 22, 59, tzinfo=UTC)     # 23:59 in Oslo
    after_midnight = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)    # 00:00 the next day
    assert GATE.decide(c, [k], "slt", late_evening).send_record
    assert GATE.decide(c, [k], "slt", after_midnight).reason == Reason.CONSENT_EXPIRED


def test_summer_time_without_a_tz_database():
    assert oslo_date(datetime(2026, 7, 1, 22, 30, tzinfo=UTC), None) == date(2026, 7, 2)
    assert oslo_date(datetime(2026, 1, 1, 22, 30, tzinfo=UTC), None) == date(2026, 1, 1)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1),
                    timezones=st.just(UTC)))
@settings(max_examples=300)
def test_fallback_oslo_date_matches_the_tz_database(moment):
    assert oslo_date(moment, None) == GATE.local_date(moment)


@pytest.mark.parametrize(("code", "recipient", "covered"), [
    ("pol_24_3", "slt", True), ("bvl_13_2", "barnevern", True), ("bvl_13_2", "slt", False),
    ("made_up", "slt", False),
])
def test_legal_basis_from_the_code_list(code, recipient, covered):
    d = GATE.decide(case(legal_basis=code), [], recipient, NOW)
    assert d.send_record is covered
    if covered:
        assert d.basis.startswith(f"legal_basis:{code}@") and "person_name" in d.payload


def test_an_adult_case_without_cover_leaves_no_trace_either():
    d = GATE.decide(case(birth_date=date(1990, 1, 1)), [], "slt", NOW)
    assert not d.send_record and d.reason == Reason.PERSONAL_NO_CONSENT


def test_observation_free_text_needs_the_mark_and_a_clean_detector():
    obs = Observation(place="Torget", note="Rolig kveld", actions_taken="Ringte 91234567")
    d = GATE.decide(obs, [], "slt", NOW)
    assert {w.field: w.reason for w in d.withheld} == {
        "note": Reason.FREE_TEXT_NOT_MARKED, "actions_taken": Reason.FREE_TEXT_NOT_MARKED}
    obs.text_free_of_personal = True
    d = GATE.decide(obs, [], "slt", NOW)
    assert d.payload["note"] == "Rolig kveld"
    assert {w.field: w.reason for w in d.withheld} == {
        "actions_taken": Reason.FREE_TEXT_HAS_PERSONAL_DATA}


def test_names_on_other_records_never_go():
    visit = SchoolVisit(school="Gjesdal u.", contacts_met=["Rektor Hansen"],
                        text_free_of_personal=True, note="Fint møte")
    callout = CrisisCallout(called_by_name="Ordfører", timeline=[TimelineEntry(text="Ankom")],
                            text_free_of_personal=True)
    assert "contacts_met" in GATE.decide(visit, [], "slt", NOW).withheld_fields
    d = GATE.decide(callout, [], "slt", NOW)
    assert d.withheld_fields == {"called_by_name"}
    assert d.payload["timeline"][0]["text"] == "Ankom"


def test_consent_goes_only_with_its_case_and_only_to_its_recipient():
    k = consent(CASE_ID)
    assert GATE.decide(k, [], "slt", NOW).reason == Reason.CASE_NOT_SHARED
    assert GATE.decide(k, [], "skole", NOW, case_shared=True).reason == \
        Reason.CONSENT_OTHER_RECIPIENT
    d = GATE.decide(k, [], "slt", NOW, case_shared=True)
    assert d.payload["given_by"] == "Kari Nordmann"
    withdrawn = consent(CASE_ID, withdrawn_at=NOW - timedelta(days=1))
    d = GATE.decide(withdrawn, [], "slt", NOW, case_shared=True)
    assert d.send_record and "given_by" not in d.payload
    assert d.payload["withdrawn_at"] is not None


def test_crisis_contacts_never_leave():
    d = GATE.decide(CrisisContact(name="Ordfører Olsen", role="ordforer"), [], "slt", NOW)
    assert not d.send_record and d.reason == Reason.LOCAL_ONLY


def test_bad_arguments():
    with pytest.raises(ValueError):
        GATE.decide(case(), [], "naboen", NOW)
    with pytest.raises(ValueError):
        GATE.decide(case(), [], "slt", datetime(2026, 1, 1))


def _personal_keys(record_type):
    return {n for n, s in sensitivity_of(record_type).items() if s is Sensitivity.PERSONAL}


@pytest.mark.parametrize("record", [
    case(), Observation(place="x", note="y"), SchoolVisit(school="s", contacts_met=["a"]),
    CrisisCallout(called_by_name="n"),
])
def test_payload_never_holds_an_uncovered_personal_field(record):
    d = GATE.decide(record, [], "slt", NOW)
    if d.send_record:
        assert not (_personal_keys(type(record)) & set(d.payload))


def test_retention_blanks_personal_fields_only():
    c = case(sync_state="synced", updated_at=NOW - timedelta(days=91))
    assert purge_due(c, NOW) and not purge_due(c, NOW, days=120)
    blank = blank_personal(c)
    assert not has_personal_details(blank)
    assert blank.person_name == "" and blank.actions[0].description == ""
    assert blank.actions[0].service == "skole" and blank.revision == c.revision
    assert c.person_name == "Ola Nordmann"
    assert not purge_due(case(sync_state="pending", updated_at=NOW - timedelta(days=400)), NOW)


def test_a_phone_number_typed_into_a_shareable_field_stays():
    obs = Observation(place="Utenfor hos Per, tlf 912 34 567", youth_count=4)
    d = GATE.decide(obs, [], "slt", NOW)
    assert {w.field: w.reason for w in d.withheld} == {
        "place": Reason.SHAREABLE_HAS_PERSONAL_DATA}
    assert "place" not in d.payload and d.payload["youth_count"] == 4
    assert d.payload["id"] == obs.id  # identifiers are not run through the detector


def test_a_single_nested_object_is_judged_field_by_field():
    from dataclasses import dataclass

    from fieldapp.domain.sensitivity import personal, shareable

    @dataclass(kw_only=True)
    class Inner:
        title: str = shareable(default="")
        name: str = personal(default="")

    @dataclass(kw_only=True)
    class Outer(CrisisCallout):
        inner: Inner = shareable(default_factory=Inner)

    callout = Outer(event_type="flood", inner=Inner(title="Flomvakt", name="Per Hemmelig"))
    d = GATE.decide(callout, [], "slt", NOW)
    assert d.payload["inner"] == {"title": "Flomvakt"}
    assert "inner.name" in d.withheld_fields
