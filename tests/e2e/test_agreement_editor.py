"""Samarbeidsavtale in the real web client: the Gjesdal agreement in Settings, edited on the
phone (a typing mistake first), seen in the summary and in Evaluering, then reset."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

PIN = "517394"
NEW_AREA = "Trygg skolevei"


def _value(ui, ident: str) -> str:
    """What a field holds: Flutter puts the text into the page's input only while it has the
    keyboard focus, so tap it first."""
    field = ui.wait(ident).locator("input, textarea").first
    field.click()
    ui.page.wait_for_function(
        "() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)")
    return field.input_value()


def _error(ui, ident: str) -> str | None:
    """The error shown under a field (a screen reader hears it as the field's description)."""
    return ui.wait(ident).locator("input, textarea").first.get_attribute("aria-description")


def test_settings_show_the_signed_gjesdal_agreement(ui):
    ui.first_run(PIN)
    ui.tap("nav-settings")
    ui.tap("preset-gjesdal")
    assert "Signert avtale" in ui.content("agreement-source-0")
    summary = ui.content("agreement-0")
    assert "Gjesdal ungdomsskole hver 14. dag" in summary
    assert "Til stede: 1 dag i uken" in summary
    assert "Politiråd 2 per halvår" in summary
    assert "(vektlagt høyest)" in summary
    ui.wait("agreement-edit-0")
    ui.shot("30-settings-agreement")
    assert (ui.small_targets(), ui.unnamed_targets()) == ([], [])


def test_edit_with_a_typing_mistake_keeps_what_was_typed(ui):
    ui.tap("agreement-edit-0")
    ui.wait("agreement-presence")
    assert (ui.small_targets(), ui.unnamed_targets()) == ([], [])
    ui.shot("31-agreement-editor")
    ui.fill("agreement-presence", "2")
    ui.fill("agreement-school-0-days", "7")
    ui.tap("agreement-school-add")
    ui.fill("agreement-school-1-name", "Dirdal skule")
    ui.fill("agreement-lead", "en uke")
    ui.tap("agreement-area-add")
    ui.fill("agreement-area-2-title", NEW_AREA)
    ui.fill("agreement-area-2-title_en", "Safe way to school")
    ui.tap("agreement-area-2-highest")
    ui.tap("agreement-save")
    ui.see("Skriv et tall.")
    assert _error(ui, "agreement-lead") == "Skriv et tall."
    assert _error(ui, "agreement-presence") is None
    assert _value(ui, "agreement-lead") == "en uke"
    assert _value(ui, "agreement-area-2-title") == NEW_AREA
    assert _value(ui, "agreement-school-1-name") == "Dirdal skule"
    assert _value(ui, "agreement-presence") == "2"
    assert (ui.small_targets(), ui.unnamed_targets()) == ([], [])
    ui.wait("agreement-lead")
    ui.shot("32-agreement-editor-error")


def test_save_shows_the_new_summary(ui):
    ui.fill("agreement-lead", "10")
    ui.tap("agreement-save")
    ui.see("Avtalen er lagret.")
    assert "Endret på telefonen" in ui.content("agreement-source-0")
    summary = ui.content("agreement-0")
    assert "Til stede: 2 dager i uken" in summary
    assert "Gjesdal ungdomsskole hver 7. dag" in summary
    assert "Dirdal skule hver 14. dag" in summary
    assert "Sakliste senest 10 dager før møtet" in summary
    assert f"{NEW_AREA} (vektlagt høyest)" in summary
    assert "Rus- og kriminalitetsforebygging blant unge under 18 år," in summary  # no longer top
    assert "Dirdal skule" in ui.content("municipality-0")  # check-in offers the new school
    ui.wait("agreement-edit-0")
    ui.shot("33-settings-agreement-edited")


def test_evaluation_shows_the_new_priority_area(ui):
    ui.tap("nav-back")
    ui.tap("home-evaluation")
    assert "Evaluering – Gjesdal" in ui.content("report-heading")
    ui.see(NEW_AREA)
    ui.tap("nav-back")
    ui.wait("home-observation")


def test_reset_to_the_signed_agreement(ui):
    ui.tap("nav-settings")
    ui.tap("agreement-edit-0")
    assert _value(ui, "agreement-presence") == "2"
    ui.tap("agreement-reset")
    ui.see("Den signerte avtalen gjelder igjen.")
    assert "Signert avtale" in ui.content("agreement-source-0")
    summary = ui.content("agreement-0")
    assert "Til stede: 1 dag i uken" in summary and NEW_AREA not in summary
    ui.tap("agreement-edit-0")
    assert _value(ui, "agreement-presence") == "1"
    ui.wait("agreement-area-add")  # the end of the form: a reset button would show below it
    assert ui.page.locator("[flt-semantics-identifier='agreement-reset']").count() == 0
    ui.shot("34-agreement-editor-signed")
