"""Every record has a home municipality: the Logbook fills it in or refuses a record without one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fieldapp import Logbook
from fieldapp.domain import (
    Consent,
    CrisisContact,
    FieldError,
    FollowUpCase,
    Observation,
    ValidationError,
)

GJESDAL = {"code": "1122", "name": "Gjesdal", "schools": ["Gjesdal ungdomsskole"]}
STJORDAL = {"code": "5035", "name": "Stjørdal", "schools": []}
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def lb():
    book = Logbook.in_memory(clock=lambda: NOW)
    yield book
    book.close()


def _case(municipality: str = "") -> FollowUpCase:
    return FollowUpCase(person_name="Ola", concern="Sett med eldre ungdom",
                        municipality=municipality, opened_at=NOW)


def test_two_served_refuses_a_record_without_a_municipality(lb):
    lb.served.replace([GJESDAL, STJORDAL])
    with pytest.raises(ValidationError) as refused:
        lb.add(Observation(place="Torget"))
    assert FieldError("municipality", "required") in refused.value.errors
    assert lb.count() == 0
    rid = lb.add(Observation(place="Torget", municipality="5035"))
    assert lb.get(rid).municipality == "5035"


def test_the_refusal_names_the_other_wrong_fields_too(lb):
    lb.served.replace([GJESDAL, STJORDAL])
    with pytest.raises(ValidationError) as refused:
        lb.add(Observation(place=""))
    assert {e.field for e in refused.value.errors} == {"place", "municipality"}


def test_update_refuses_to_empty_the_municipality(lb):
    lb.served.replace([GJESDAL, STJORDAL])
    record = lb.get(lb.add(Observation(place="Torget", municipality="1122")))
    record.municipality = ""
    with pytest.raises(ValidationError) as refused:
        lb.update(record)
    assert refused.value.for_field("municipality") is not None
    assert lb.get(record.id).municipality == "1122" and lb.get(record.id).revision == 1


def test_an_old_record_without_a_home_is_saved_once_it_gets_one(lb):
    rid = lb.add(Observation(place="Torget"))  # first run: nothing served yet
    assert lb.get(rid).municipality == ""
    lb.served.replace([GJESDAL, STJORDAL])
    record = lb.get(rid)
    record.municipality = "5035"
    assert lb.update(record) == 2
    assert lb.get(rid).municipality == "5035"


def test_one_served_is_still_filled_in_and_none_keeps_empty(lb):
    assert lb.get(lb.add(Observation(place="Ålgård"))).municipality == ""
    lb.served.replace([GJESDAL])
    assert lb.get(lb.add(Observation(place="Ålgård"))).municipality == "1122"


def test_a_consent_takes_its_cases_municipality(lb):
    lb.served.replace([GJESDAL, STJORDAL])
    cid = lb.add(_case("5035"))
    consent = Consent(case_id=cid, given_by="Kari", recipients={"slt"}, purpose="SLT",
                      given_at=NOW)
    assert lb.get(lb.add(consent)).municipality == "5035"


def test_a_consent_of_a_case_without_a_home_is_refused_with_two_served(lb):
    cid = lb.add(_case())
    lb.served.replace([GJESDAL, STJORDAL])
    consent = Consent(case_id=cid, given_by="Kari", recipients={"slt"}, purpose="SLT",
                      given_at=NOW)
    with pytest.raises(ValidationError) as refused:
        lb.add(consent)
    assert refused.value.for_field("municipality") is not None


def test_local_only_contacts_need_no_municipality(lb):
    lb.served.replace([GJESDAL, STJORDAL])
    rid = lb.add(CrisisContact(name="Ordfører Olsen", role="ordforer"))
    assert lb.get(rid).municipality == ""
