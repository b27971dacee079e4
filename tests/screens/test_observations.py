"""Observations: quick-add (empty form, errors in bokmål next to the field, saved, the
position from the browser's geolocation), the list and the full edit."""

from __future__ import annotations

from datetime import timedelta

from fieldapp.domain import Observation
from tests.screens import records

QUICK_ADD = "/observation/new"


def test_quick_add_starts_empty_with_every_category(ui):
    ui.open(QUICK_ADD)
    assert ui.title == "Ny observasjon"
    assert ui.idents("obs-categories-") == [
        "obs-categories-alcohol", "obs-categories-drugs", "obs-categories-violence",
        "obs-categories-unrest", "obs-categories-vulnerable_youth", "obs-categories-other"]
    assert ui.field("obs-place").value == "" and ui.field("obs-youth_count").value == ""
    assert not any(ui.find(i).selected for i in ui.idents("obs-categories-"))
    assert ui.has("obs-save")


def test_the_place_is_required_and_what_was_typed_is_kept(ui, lb):
    ui.open(QUICK_ADD)
    ui.tap("obs-categories-unrest")
    ui.type("obs-youth_count", "7")
    ui.tap("obs-save")
    assert ui.field("obs-place").error == "Sted må fylles ut."
    assert ui.route == QUICK_ADD and lb.list(Observation) == []
    assert ui.field("obs-youth_count").value == "7" and ui.find("obs-categories-unrest").selected
    ui.type("obs-place", "Ålgård stasjon")
    ui.tap("obs-save")
    assert ui.toasts() == ["Observasjon lagret"] and ui.route == "/"
    [saved] = lb.list(Observation)
    assert (saved.place, saved.youth_count, saved.categories) == ("Ålgård stasjon", 7, {"unrest"})
    assert ui.text("home-observations") == "Observasjoner i dag: 1"


def test_a_count_that_is_not_a_number_is_refused(ui, lb):
    ui.open(QUICK_ADD)
    ui.type("obs-place", "Ålgård stasjon")
    ui.type("obs-youth_count", "sju")
    ui.tap("obs-save")
    assert ui.field("obs-youth_count").error == "Skriv et tall."
    assert lb.list(Observation) == []


def test_quick_add_in_three_taps_with_the_last_place(ui, lb):
    ui.open(QUICK_ADD)
    ui.type("obs-place", "Ålgård stasjon")
    ui.tap("obs-save")
    ui.tap("home-observation")
    assert ui.field("obs-place").value == "Ålgård stasjon"  # remembered: nothing to type
    ui.tap("obs-categories-alcohol")
    ui.tap("obs-save")
    assert [o.place for o in lb.list(Observation)] == ["Ålgård stasjon"] * 2
    assert lb.list(Observation)[-1].categories == {"alcohol"}


def test_a_refused_position_asks_for_the_place(ui):
    ui.client.answers.update(get_permission_status="denied", request_permission="denied")
    ui.open(QUICK_ADD)
    assert ui.shows("Posisjon er ikke tillatt. Skriv stedet selv.")
    assert ui.field("obs-place").value == ""


def test_a_position_fills_an_empty_place(ui, lb):
    ui.client.answers.update(get_permission_status="whileInUse",
                             is_location_service_enabled=True,
                             get_current_position={"latitude": 58.78, "longitude": 5.85})
    ui.open(QUICK_ADD)
    assert ui.shows("Posisjon lagt til")
    assert ui.field("obs-place").value == "58.78000, 5.85000"
    ui.tap("obs-save")
    [saved] = lb.list(Observation)
    assert (saved.latitude, saved.longitude) == (58.78, 5.85)


def test_the_list_is_empty_then_newest_first(ui, lb, clock):
    ui.open("/observation")
    assert ui.title == "Observasjoner" and ui.shows("Ingen observasjoner ennå.")
    records.observation(lb, clock.now() - timedelta(days=1), place="Skurve")
    records.observation(lb, clock.now(), place="Ålgård stasjon", categories={"alcohol"})
    ui.open("/")
    ui.tap("home-observations-list")
    assert ui.idents("obs-item-") == ["obs-item-0", "obs-item-1"]
    assert "Ålgård stasjon" in ui.text("obs-item-0") and "Skurve" in ui.text("obs-item-1")
    assert "Uro · 7 ungdommer" in ui.text("obs-item-1")


def test_edit_in_full_and_delete(lb, screens, clock):
    rid = records.observation(lb, clock.now())
    ui = screens("/observation")
    ui.tap("obs-item-0")
    assert ui.route == f"/observation/{rid}" and ui.field("obs-place").value == "Ålgård stasjon"
    ui.type("obs-note", "Rolig etter at vi kom.")
    ui.type("obs-time", "25:00")
    ui.tap("obs-edit-save")
    assert ui.field("obs-time").error == "Skriv klokkeslettet som tt:mm."
    ui.type("obs-time", "21:15")
    ui.tap("obs-edit-save")
    assert ui.toasts()[-1] == "Observasjon oppdatert" and ui.route == "/observation"
    assert lb.get(rid).note == "Rolig etter at vi kom."
    ui.tap("obs-item-0")
    ui.tap("obs-delete")  # asks first; cancelling keeps the record
    assert "Slette registreringen?" in ui.dialog()
    ui.tap("confirm-cancel")
    assert ui.dialog() == [] and len(lb.list(Observation)) == 1
    ui.tap("obs-delete")
    ui.tap("confirm-delete")
    assert ui.route == "/observation" and lb.list(Observation) == []
    assert ui.toasts()[-1] == "Slettet"


def test_an_unknown_record_id_goes_home(ui):
    ui.open("/observation/3f2c9a4e-8a61-4c55-9d2e-7b1f0c6a5e21")
    assert ui.route == "/"


def test_a_priority_area_of_the_agreement_is_linked_and_changed(lb, screens):
    records.serve(lb)
    ui = screens(QUICK_ADD)
    assert "Rus- og kriminalitetsforebygging" in ui.text("obs-priority_area-rus_krim_u18")
    ui.tap("obs-priority_area-ungdomsmiljo")
    ui.type("obs-place", "Skatebanen")
    ui.tap("obs-save")
    [saved] = lb.list(Observation)
    assert saved.priority_area == "ungdomsmiljo"
    ui.open(f"/observation/{saved.id}")
    assert ui.find("obs-priority_area-ungdomsmiljo").selected
    ui.tap("obs-priority_area-rus_krim_u18")
    ui.tap("obs-edit-save")
    assert lb.get(saved.id).priority_area == "rus_krim_u18"


def test_two_municipalities_the_first_preselected_then_the_last_remembered(lb, screens):
    records.serve(lb, records.GJESDAL, records.STJORDAL)
    ui = screens(QUICK_ADD)
    assert ui.text("obs-municipality-1122").startswith("Gjesdal")
    assert ui.find("obs-municipality-1122").selected
    assert not ui.find("obs-municipality-5035").selected
    ui.tap("obs-municipality-5035")
    ui.type("obs-place", "Stjørdal torg")
    ui.tap("obs-save")
    ui.tap("home-observation")
    assert ui.find("obs-municipality-5035").selected  # remembered: three taps again
    ui.tap("obs-categories-alcohol")
    ui.tap("obs-save")
    assert [o.municipality for o in lb.list(Observation)] == ["5035", "5035"]
