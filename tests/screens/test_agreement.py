"""Samarbeidsavtale: the Gjesdal agreement in Settings, edited on the phone (a typing mistake
first: everything typed stays, the error is under its field), saved, and reset."""

from __future__ import annotations

import pytest

from tests.screens import records

NEW_AREA = "Trygg skolevei"
EDITOR = "/settings/agreement/1122"


@pytest.fixture
def gjesdal(lb, screens):
    records.serve(lb)
    return screens("/settings")


def test_settings_show_the_signed_gjesdal_agreement(gjesdal):
    ui = gjesdal
    assert "Signert avtale" in ui.text("agreement-source-0")
    summary = ui.text("agreement-0")
    assert "Gjesdal ungdomsskole hver 14. dag" in summary
    assert "Til stede: 1 dag i uken" in summary
    assert "Politiråd 2 per halvår" in summary
    assert "(vektlagt høyest)" in summary
    ui.tap("agreement-edit-0")
    assert ui.route == EDITOR and "Gjesdal" in ui.text("agreement-heading")
    assert ui.field("agreement-presence").value == "1"
    assert not ui.has("agreement-reset")  # the signed agreement: nothing to reset to


def test_no_served_municipality_no_agreement_section(ui):
    ui.open("/settings")
    assert not ui.idents("agreement-")
    ui.open("/settings/agreement/9999")  # no such municipality served: Home
    assert ui.route == "/"


def test_a_typing_mistake_keeps_what_was_typed(gjesdal, lb):
    ui = gjesdal
    ui.tap("agreement-edit-0")
    ui.type("agreement-presence", "2")
    ui.type("agreement-school-0-days", "7")
    ui.tap("agreement-school-add")
    ui.type("agreement-school-1-name", "Dirdal skule")
    ui.type("agreement-lead", "en uke")
    ui.tap("agreement-area-add")
    ui.type("agreement-area-2-title", NEW_AREA)
    ui.type("agreement-area-2-title_en", "Safe way to school")
    ui.check("agreement-area-2-highest")
    ui.tap("agreement-save")
    assert ui.toasts()[-1] == "Avtalen er ikke lagret – rett det som er merket med rødt."
    assert ui.field("agreement-lead").error == "Skriv et tall."
    assert ui.field("agreement-presence").error is None
    assert ui.field("agreement-lead").value == "en uke"
    assert ui.field("agreement-area-2-title").value == NEW_AREA
    assert ui.field("agreement-school-1-name").value == "Dirdal skule"
    assert ui.field("agreement-presence").value == "2"
    assert ui.route == EDITOR and "1122" not in lb.agreements.sources()


def test_save_shows_the_new_summary_then_reset(gjesdal, lb):
    ui = gjesdal
    ui.tap("agreement-edit-0")
    ui.type("agreement-presence", "2")
    ui.tap("agreement-school-add")
    ui.type("agreement-school-1-name", "Dirdal skule")
    ui.type("agreement-lead", "10")
    ui.tap("agreement-area-add")
    ui.type("agreement-area-2-title", NEW_AREA)
    ui.check("agreement-area-2-highest")
    ui.tap("agreement-save")
    assert ui.toasts()[-1] == "Avtalen er lagret." and ui.route == "/settings"
    assert "Endret på telefonen" in ui.text("agreement-source-0")
    summary = ui.text("agreement-0")
    assert "Til stede: 2 dager i uken" in summary
    assert "Dirdal skule hver 14. dag" in summary
    assert "Saksliste senest 10 dager før møtet" in summary
    assert f"{NEW_AREA} (vektlagt høyest)" in summary
    assert "Dirdal skule" in ui.text("municipality-0")  # check-in offers the new school
    assert lb.agreements.get("1122").presence_days_per_week == 2
    ui.open("/")
    ui.tap("home-evaluation")  # the evaluation counts against the edited agreement
    assert "Evaluering – Gjesdal" in ui.text("report-heading")
    assert any(NEW_AREA in ui.text(i) for i in ui.idents("report-"))
    ui.open("/settings")
    ui.tap("agreement-edit-0")
    ui.tap("agreement-reset")
    assert ui.toasts()[-1] == "Den signerte avtalen gjelder igjen."
    assert "Signert avtale" in ui.text("agreement-source-0")
    assert "Til stede: 1 dag i uken" in ui.text("agreement-0")
    assert NEW_AREA not in ui.text("agreement-0")


def test_removing_a_school_row_keeps_the_others(gjesdal):
    ui = gjesdal
    ui.tap("agreement-edit-0")
    ui.tap("agreement-school-add")
    ui.type("agreement-school-1-name", "Dirdal skule")
    ui.tap("agreement-school-0-remove")
    assert not ui.has("agreement-school-0-name")
    assert ui.field("agreement-school-1-name").value == "Dirdal skule"
