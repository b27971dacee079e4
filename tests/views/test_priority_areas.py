"""Priority-area choices on activity records: from the record's municipality's agreement."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fieldapp import Logbook
from fieldapp.domain import Observation
from fieldapp.domain.agreement import PriorityArea, default_agreement
from views.kit.forms import Form
from views.kit.priority_areas import area_choice, area_options, chosen_area


@pytest.fixture
def lb():
    book = Logbook.in_memory()
    book.served.replace([{"code": "1122", "name": "Gjesdal", "schools": []},
                                        {"code": "5035", "name": "Stjørdal", "schools": []}])
    yield book
    book.close()


def test_options_follow_the_municipalitys_agreement_with_the_highest_first(lb):
    gjesdal = area_options(lb, "1122", "nb")
    assert gjesdal == [
        ("rus_krim_u18", "Rus- og kriminalitetsforebygging blant unge under 18 år"),
        ("ungdomsmiljo", "Til stede der ungdom oppholder seg")]
    english = dict(area_options(lb, "1122", "en"))
    assert english["ungdomsmiljo"] == "Present where young people gather"
    assert english["rus_krim_u18"].startswith("Preventing")
    stjordal = [code for code, _ in area_options(lb, "5035", "nb")]
    assert len(stjordal) == 6 and "rus_krim_u18" not in stjordal
    assert stjordal[0] == "barn_unge"          # weighted highest in 2019: offered first
    # no municipality yet: every served municipality's areas, each once
    both = [code for code, _ in area_options(lb, "", "nb")]
    assert both[:2] == ["rus_krim_u18", "ungdomsmiljo"] and len(both) == 8
    assert area_options(lb, "9999", "nb") == []


def test_an_edited_agreement_changes_the_choices(lb):
    edited = default_agreement("gjesdal")
    edited.priority_areas = [PriorityArea(code="skolevei", title_nb="Trygg skolevei")]
    lb.agreements.save(edited, "local", datetime(2026, 12, 1, tzinfo=UTC))
    assert area_options(lb, "1122", "nb") == [("skolevei", "Trygg skolevei")]


def test_an_old_link_stays_offered_and_nothing_is_offered_without_areas(lb):
    form = Form(Observation, "nb", ident="obs")
    controls = area_choice(form, lb, "1122", "nb", "retired_area")
    assert len(controls) == 1
    assert chosen_area(form) == "retired_area"
    empty = Form(Observation, "nb", ident="obs")
    assert area_choice(empty, lb, "9999", "nb") == []
    assert chosen_area(empty) == ""


def test_the_chosen_area_is_saved_on_the_record(lb):
    form = Form(Observation, "nb", ident="obs")
    area_choice(form, lb, "1122", "nb", "ungdomsmiljo")
    rid = lb.add(Observation(municipality="1122", place="Torget",
                             priority_area=chosen_area(form)))
    assert lb.get(rid).priority_area == "ungdomsmiljo"
