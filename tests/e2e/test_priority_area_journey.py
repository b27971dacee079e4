"""Linking an observation to a priority area in the real web client, and finding the link in
the sealed logbook on disk afterwards."""

from __future__ import annotations

import pytest

from fieldapp import Logbook
from fieldapp.domain import Observation
from tests.support.pins import PIN

pytestmark = pytest.mark.e2e



def test_quick_add_links_an_observation_to_a_gjesdal_priority_area(ui):
    ui.first_run(PIN)
    ui.serve_gjesdal()
    ui.tap("home-observation")
    ui.tap("obs-categories-alcohol")
    assert "Rus- og kriminalitetsforebygging" in ui.content("obs-priority_area-rus_krim_u18")
    ui.tap("obs-priority_area-ungdomsmiljo")
    # every chip named (checked before a text field has the keyboard: the browser's own
    # editing element has no label of its own while it does)
    assert ui.unnamed_targets() == []
    ui.fill("obs-place", "Skatebanen")
    ui.shot("40-observation-priority-area")
    ui.tap("obs-save")
    ui.see("Observasjon lagret")


def test_the_link_shows_in_the_edit_form_and_can_be_changed(ui):
    ui.tap("home-observations-list")
    ui.tap("obs-item-0")
    ui.wait("obs-priority_area-ungdomsmiljo")
    ui.tap("obs-priority_area-rus_krim_u18")
    ui.tap("obs-edit-save")
    ui.see("Observasjon oppdatert")


def test_the_sealed_logbook_holds_the_link(ui, app_server, monkeypatch):
    app_server.stop()
    monkeypatch.setenv("POLITIKONTAKT_KEYSTORE_DIR", str(app_server.data_root / "keystore"))
    lb = Logbook.open(app_server.data_root / "data", PIN)
    try:
        [observation] = lb.list(Observation)
    finally:
        lb.close()
    assert (observation.place, observation.priority_area) == ("Skatebanen", "rus_krim_u18")
    assert observation.categories == {"alcohol"}
