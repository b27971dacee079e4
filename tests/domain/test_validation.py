"""Validation: plausible dates (limits.py), a crisis contact's phone and e-mail, and every
error of a record reported at once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from fieldapp.domain import (
    Consent,
    CrisisCallout,
    CrisisContact,
    FollowUpAction,
    FollowUpCase,
    Observation,
    SchoolVisit,
    TimelineEntry,
)
from fieldapp.domain.contact_points import dial_number
from fieldapp.domain.meetings import Meeting, MeetingAction
from fieldapp.domain.messages import error_message
from fieldapp.domain.validation import validation_errors

NOW = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
CASE_ID = "0b6f6a5e-3c1f-4d2a-9a57-1f2e3d4c5b6a"


def _errors(record, now=NOW):
    return {(e.field, e.key) for e in validation_errors(record, now)}


@pytest.mark.parametrize("typed, key", [
    (datetime(1900, 1, 1, 10, tzinfo=UTC), "too_early"),
    (datetime(1999, 12, 31, 22, tzinfo=UTC), "too_early"),
    (datetime(2030, 12, 1, 10, tzinfo=UTC), "in_future"),
    (NOW + timedelta(days=2), "in_future"),
])
def test_a_visit_on_an_implausible_day_is_refused(typed, key):
    assert _errors(SchoolVisit(school="Gjesdal ungdomsskole", checked_in_at=typed)) == {
        ("checked_in_at", key)}


def test_what_happened_may_be_a_little_ahead_of_a_clock_that_is_off():
    assert _errors(SchoolVisit(school="Gjesdal ungdomsskole",
                               checked_in_at=NOW + timedelta(hours=3))) == set()
    assert _errors(Observation(place="Torget", observed_at=datetime(2000, 1, 1, tzinfo=UTC))) \
        == set()
    assert _errors(CrisisContact(name="Liv", role="radmann", last_verified=date(2026, 12, 2))) \
        == set()
    assert _errors(CrisisContact(name="Liv", role="radmann", last_verified=date(2026, 12, 4))) \
        == {("last_verified", "in_future")}


def test_times_of_a_callout_and_its_log_entries_have_happened():
    callout = CrisisCallout(called_at=NOW - timedelta(hours=2), arrived_at=NOW + timedelta(days=3),
                            timeline=[TimelineEntry(at=datetime(1990, 1, 1, tzinfo=UTC))])
    assert _errors(callout) == {("arrived_at", "in_future"), ("timeline", "too_early")}


def test_planned_dates_may_be_ahead_but_at_most_five_years():
    action = FollowUpAction(description="Møte med skolen", due_date=date(2031, 11, 30))
    case = FollowUpCase(person_name="Ola", concern="Uro", actions=[action],
                        opened_at=NOW - timedelta(days=3))
    assert _errors(case) == set()
    action.due_date = date(2031, 12, 3)
    assert _errors(case) == {("actions", "too_far_ahead")}
    meeting = Meeting(starts_at=datetime(2027, 3, 12, 18, tzinfo=UTC),
                      actions=[MeetingAction(description="Kalle inn", done_at=NOW + timedelta(
                          days=5))])
    assert _errors(meeting) == {("actions", "in_future")}
    consent = Consent(case_id=CASE_ID, given_by="Ola", recipients={"skole"}, purpose="Oppfølging",
                      given_at=NOW, expires_at=date(2040, 1, 1))
    assert _errors(consent) == {("expires_at", "too_far_ahead")}


def test_the_messages_say_what_is_wrong_in_both_languages():
    assert error_message("too_early", "checked_in_at", {"earliest": "01.01.2000"}) == \
        "Innsjekk kan ikke være før 01.01.2000. Sjekk årstallet."
    assert error_message("too_far_ahead", "due_date", {"years": 5}, "en") == \
        "Due date cannot be more than 5 years ahead. Check the year."
    assert error_message("in_future", "arrived_at") == "Ankom kan ikke være fram i tid."
    assert error_message("invalid_email", "email") == \
        "E-post er ikke en gyldig e-postadresse (navn@domene.no)."


@pytest.mark.parametrize("phone, number", [
    ("+47 51 61 42 00", "+4751614200"), ("916 12 345", "91612345"), ("51-61-42-00", "51614200"),
    ("+1 555-123-4567", "+15551234567"), ("+3581234", "+3581234"),
    ("ring meg", None), ("9161234", None), ("916123456", None), ("+123456", None),
    ("+1234567890123456", None), ("91 61 23 4x", None), ("4+7 91612345", None), ("", None),
])
def test_a_number_to_call_is_digits_with_an_optional_plus(phone, number):
    assert dial_number(phone) == number


@pytest.mark.parametrize("phone, number", [
    ("＋４７ ５１ ６１ ４２ ００", "+4751614200"),        # full-width, as some keyboards give
    ("51\u00a061\u00a042\u00a000", "51614200"),        # no-break spaces (autofill)
    ("51\u201361\u201342\u201300", "51614200"),        # en dashes
    ("5161\u200b4200", "51614200"),                     # an invisible zero-width space
    ("٥١٦١٤٢٠٠", "51614200"),                            # Arabic-Indic digits
    ("+47 51 61 42 00\u0301", "+4751614200"),            # a combining mark
    ("ring\u00a0meg", None), ("５１６１４２０", None),
])
def test_odd_unicode_spellings_give_the_plain_number_or_none(phone, number):
    """The call link only ever holds '+' and ASCII digits, whatever was typed."""
    found = dial_number(phone)
    assert found == number
    assert found is None or (found.lstrip("+").isascii() and found.lstrip("+").isdigit())


@pytest.mark.parametrize("email", ["ola\u200b@gjesdal.no", "ola@gjesdal\u00adkommune.no",
                                   "ｏｌａ@gjesdal.no", "ola＠gjesdal.no"])
def test_an_address_with_invisible_or_look_alike_characters_is_refused(email):
    contact = CrisisContact(name="Frode Fjeld", role="ordforer", email=email)
    assert _errors(contact) == {("email", "invalid_email")}, email


def test_a_contact_with_a_phone_and_email_that_are_none_is_refused_on_both_at_once():
    contact = CrisisContact(name="Frode Fjeld", role="ordforer", phone="ring meg",
                            email="ikke-en-epost")
    assert _errors(contact) == {("phone", "invalid_phone"), ("email", "invalid_email")}
    for email in ("frode@gjesdal", "fr ode@gjesdal.kommune.no", "a@b@c.no", "@gjesdal.no",
                  "frode@.no"):
        contact.phone, contact.email = "", email
        assert _errors(contact) == {("email", "invalid_email")}, email
    contact.email = "frode.fjeld@gjesdal.kommune.no"
    assert _errors(contact) == set()


def test_every_wrong_field_is_reported_at_once():
    case = FollowUpCase(person_name="", concern="Uro", identity_number="123",
                        opened_at=datetime(1900, 1, 1, tzinfo=UTC))
    assert _errors(case) == {("person_name", "required"),
                             ("identity_number", "invalid_identity_number"),
                             ("opened_at", "too_early")}


def test_an_observation_without_a_category_is_allowed():
    assert _errors(Observation(place="Torget", observed_at=NOW)) == set()


def test_an_order_error_reads_as_a_sentence_of_its_own():
    from fieldapp.domain.messages import error_message
    assert error_message("before", "expires_at", {"other": "given_at"}) == (
        "Utløpsdatoen kan ikke være før samtykket ble gitt.")
    assert error_message("before", "expires_at", {"other": "given_at"}, "en") == (
        "The expiry date cannot be before the consent was given.")
    # a pair without its own sentence keeps the general one
    assert error_message("before", "checked_out_at", {"other": "opened_at"}) == (
        "Utsjekk kan ikke være før opprettet.")
