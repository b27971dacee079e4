"""The agreement as data: defaults read from the two signed agreements, JSON round trip."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from fieldapp.domain.agreement import (
    Agreement,
    PriorityArea,
    agreement_errors,
    agreement_for,
    agreement_from_json,
    agreement_to_json,
    agreements_from_json,
    agreements_to_json,
    default_agreement,
)
from fieldapp.domain.codec import DecodeError
from fieldapp.logbook import Logbook


def test_gjesdal_defaults_follow_the_agreement():
    a = default_agreement("gjesdal")
    assert (a.municipality, a.municipality_name) == ("1122", "Gjesdal kommune")
    assert [(s.name, s.visit_every_days) for s in a.schools] == [("Gjesdal ungdomsskole", 14)]
    assert a.presence_days_per_week == 1                  # "minst en dag i uken"
    council, slt = a.target_for("politirad"), a.target_for("slt_arbeidsgruppe")
    assert (council.count, council.per) == (2, "half_year")   # "minst 2 møter i halvåret"
    assert (slt.count, slt.per) == (2, "half_year")           # "minst 2 ganger i halvåret"
    assert a.agenda_lead_days == 7
    assert a.highest_priority().code == "rus_krim_u18"
    assert a.cadence_anchor == date(2011, 2, 28) and a.cadence_anchor.weekday() == 0
    assert agreement_errors(a) == []


def test_stjordal_2019_defaults_follow_the_agreement():
    a = default_agreement("Stjørdal")
    assert a.municipality == "5035" and a.priority_year == 2019
    assert len(a.priority_areas) == 6
    top = a.highest_priority()
    assert top.title_nb == "Forebyggende tiltak knyttet til barn og unge"
    assert [p.weight for p in a.priority_areas].count(top.weight) == 1
    assert (a.target_for("politirad").count, a.target_for("politirad").per) == (2, "year")
    assert a.target_for("interkommunalt_politirad").per == "year"
    assert a.target_for("slt_arbeidsgruppe") is None
    assert a.schools == [] and a.presence_days_per_week == 0   # nothing agreed: no target
    assert a.agenda_lead_days == 7                              # "senest 1 uke før møtet"
    assert agreement_errors(a) == []


def test_default_by_code_and_unknown_municipality():
    assert default_agreement("1122") == default_agreement(" Gjesdal ")
    assert default_agreement("5035") == default_agreement("stjordal")
    with pytest.raises(KeyError):
        default_agreement("Sandnes")


def test_json_round_trip_through_the_logbook_settings():
    agreements = [default_agreement("gjesdal"), default_agreement("stjordal")]
    stored = json.loads(json.dumps(agreements_to_json(agreements)))
    assert agreements_from_json(stored) == {"1122": agreements[0], "5035": agreements[1]}
    lb = Logbook.in_memory()
    for agreement in agreements:
        lb.agreements.save(agreement, "backend", datetime(2026, 12, 1, tzinfo=UTC))
    assert lb.agreements.all() == {"1122": agreements[0], "5035": agreements[1]}


def test_an_edited_agreement_wins_over_the_default():
    edited = default_agreement("gjesdal")
    edited.presence_days_per_week = 2
    edited.priority_areas.append(PriorityArea(code="beredskap", title_nb="Beredskap", weight=3))
    stored = agreements_from_json(agreements_to_json([edited]))
    assert agreement_for("1122", stored).presence_days_per_week == 2
    assert agreement_for("1122", stored).highest_priority().code == "beredskap"
    assert agreement_for("5035", stored) == default_agreement("stjordal")
    assert agreement_for("9999", stored) is None


def test_unreadable_or_inconsistent_entries_are_left_out():
    good = agreement_to_json(default_agreement("gjesdal"))
    wrong_version = {**good, "version": 99}
    missing_anchor = {k: v for k, v in good.items() if k != "cadence_anchor"}
    tuesday_anchor = {**good, "cadence_anchor": "2011-03-01"}
    bad_type = {**good, "presence_days_per_week": "en"}
    entries = [wrong_version, missing_anchor, tuesday_anchor, bad_type, "x", good]
    assert list(agreements_from_json(entries)) == ["1122"]
    for entry in entries[:4]:
        with pytest.raises(DecodeError):
            agreement_from_json(entry)


def test_agreement_errors_name_the_wrong_parts():
    a = Agreement(municipality="", municipality_name="X", cadence_anchor=date(2026, 1, 6),
                  presence_days_per_week=8, agenda_lead_days=-1,
                  priority_areas=[PriorityArea(code="a", title_nb="A"),
                                  PriorityArea(code="a", title_nb="B")])
    assert agreement_errors(a) == ["municipality", "cadence_anchor", "presence_days_per_week",
                                   "agenda_lead_days", "priority_areas"]
    assert a.highest_priority().title_nb == "A"      # the first of equals
    assert Agreement(municipality="1", municipality_name="Y",
                     cadence_anchor=date(2026, 1, 5)).highest_priority() is None


def test_with_agreement_replaces_only_that_municipality_and_keeps_unreadable_entries():
    from fieldapp.domain.agreement import with_agreement, without_agreement
    gjesdal, stjordal = default_agreement("gjesdal"), default_agreement("stjordal")
    stored = [agreement_to_json(gjesdal), {"version": 99, "municipality": "9999"}]
    gjesdal.presence_days_per_week = 3
    stored = with_agreement(stored, gjesdal)
    stored = with_agreement(stored, stjordal)
    back = agreements_from_json(stored)
    assert back["1122"].presence_days_per_week == 3
    assert set(back) == {"1122", "5035"}
    assert {"version": 99, "municipality": "9999"} in stored
    assert len(stored) == 3
    assert set(agreements_from_json(without_agreement(stored, "1122"))) == {"5035"}
    assert with_agreement(None, gjesdal) == [agreement_to_json(gjesdal)]
