"""Politiråd og SLT in the real web client: a meeting with the roles present, two decisions
(one not by consensus) and two follow-up actions; reopened, edited, an action marked done,
cancelled ("Avlyst") and the cancel undone. The tests share one app server and run in order."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.pins import PIN

pytestmark = pytest.mark.e2e



def _typed_value(ui, ident: str) -> str:
    """A text field's value: Flutter fills the DOM input of the focused field only, and a
    moment after the focus arrives; an empty field reads '' after that moment."""
    ui.wait(ident).locator("input, textarea").first.click()
    ui.page.wait_for_function(
        "() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)")
    with contextlib.suppress(PlaywrightTimeout):
        ui.page.wait_for_function("() => document.activeElement?.value", timeout=3_000)
    return ui.page.evaluate("() => document.activeElement.value")


def _checked(ui, ident: str) -> bool:
    states = ui.wait(ident).evaluate(
        "e => [e, ...e.querySelectorAll('[aria-checked]')].map(n => n.getAttribute('aria-checked'))"
        ".filter(v => v !== null)")
    assert states, f"no checkbox state under {ident}"
    return states[0] == "true"


def test_first_run_and_the_empty_meeting_list(ui):
    ui.first_run(PIN)
    ui.tap("home-meetings")
    ui.wait("meetings-none")


def test_add_a_meeting_with_roles_decisions_and_actions(ui):
    ui.tap("meetings-new")
    ui.fill("meeting-day", "12.03.2027")
    ui.fill("meeting-agenda", "Samarbeidsavtalen\nRus blant unge")
    ui.tap("meeting-participants-ordforer")
    ui.fill("meeting-participants-ordforer-name", "Kari Nordmann")
    ui.tap("meeting-participants-slt_koordinator")
    ui.fill("meeting-decisions", "Avtalen videreføres")
    ui.tap("meeting-decision-add")
    ui.wait("meeting-decision-1")
    ui.fill("meeting-decisions", "Nattravn prøves ut")
    ui.tap("meeting-decision-dissent")
    ui.fill("meeting-action", "Kalle inn SLT")
    ui.tap("meeting-action_role-slt_koordinator")
    ui.fill("meeting-action_due", "01.04.2027")
    ui.tap("meeting-action-add")
    assert "Kalle inn SLT" in ui.content("meeting-action-1")
    ui.fill("meeting-action", "Invitere FAU")
    ui.tap("meeting-action_role-rektor")
    ui.wait("meeting-participants-ordforer-name")
    ui.shot("meetings-1-form")
    assert ui.small_targets() == [] and ui.unnamed_targets() == []
    ui.tap("meeting-save")
    ui.see("Møtet er lagret.")
    card = ui.content("meeting-0")
    assert "Saker: 2 · vedtak: 2 · tiltak: 2" in card
    assert "Til stede: Ordfører, SLT-koordinator" in card
    assert "Vedtak uten konsensus: 1" in ui.content("meeting-dissent-0")
    assert "Tiltak utført: 0 av 2" in card
    ui.shot("meetings-2-list")


def test_reopen_edit_and_mark_an_action_done(ui):
    ui.tap("meeting-0")
    assert _typed_value(ui, "meeting-participants-ordforer-name") == "Kari Nordmann"
    assert not _checked(ui, "meeting-decision-1-dissent")
    assert _checked(ui, "meeting-decision-2-dissent")
    assert "Invitere FAU" in ui.content("meeting-action-2")
    ui.fill("meeting-place", "Rådhuset")
    ui.tap("meeting-action-1-done")
    assert _checked(ui, "meeting-action-1-done")
    ui.shot("meetings-3-edit")
    assert ui.small_targets() == [] and ui.unnamed_targets() == []
    ui.tap("meeting-action-2-edit")                  # back into the draft fields to change
    assert _typed_value(ui, "meeting-action") == "Invitere FAU"
    ui.fill("meeting-action", "Invitere FAU og elevrådet")
    ui.tap("meeting-save")
    ui.see("Møtet er lagret.")
    assert "Tiltak utført: 1 av 2" in ui.content("meeting-0")


def test_cancel_shows_avlyst_and_can_be_undone(ui):
    ui.tap("meeting-0")
    ui.tap("meeting-cancel")
    ui.see("Møtet er avlyst.")
    assert "Avlyst" in ui.content("meeting-cancelled-0")
    ui.shot("meetings-4-cancelled")
    ui.tap("meeting-0")
    assert "Avlyst" in ui.content("meeting-cancelled")
    assert _typed_value(ui, "meeting-place") == "Rådhuset"
    assert "Invitere FAU og elevrådet" in ui.content("meeting-action-2")
    assert _checked(ui, "meeting-action-1-done")
    ui.tap("meeting-uncancel")
    ui.see("Møtet er ikke lenger avlyst.")
    assert "Avlyst" not in ui.content("meeting-0")
