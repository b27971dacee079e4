"""Observations: quick-add (empty form, errors in bokmål next to the field, saved, the
position from the browser's geolocation), the list and the full edit."""

from __future__ import annotations

from datetime import datetime, timedelta

from fieldapp.domain import Observation
from tests.screens import records, tree
from views.kit.formats import format_time

ALGARD = (58.7600, 5.8500)
NEAR_ALGARD = (58.7603, 5.8502)    # about 35 m away
SKATEPARK = (58.7800, 5.9000)      # about 3.5 km away

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
    # saved there a moment ago: the same stop, filled in and said so (nothing to type)
    assert ui.field("obs-place").value == "Ålgård stasjon"
    assert ui.text("obs-place-status").startswith("Samme sted som forrige observasjon kl. ")
    assert not ui.has("obs-place-last")
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


def _fix(ui, point):
    ui.client.answers.update(get_permission_status="whileInUse",
                             is_location_service_enabled=True,
                             get_current_position={"latitude": point[0], "longitude": point[1]})


def _earlier_at_algard(lb, clock, *, hours: float, point=ALGARD):
    lb.add(Observation(place="Ålgård stasjon", observed_at=clock.now(), municipality="1122",
                       latitude=point[0] if point else None,
                       longitude=point[1] if point else None))
    lb.preferences.last_place = "Ålgård stasjon"
    clock.wall += timedelta(hours=hours)


def test_the_last_place_is_offered_not_guessed_hours_later(lb, screens, clock):
    _earlier_at_algard(lb, clock, hours=3, point=None)
    ui = screens(QUICK_ADD)
    assert ui.field("obs-place").value == ""  # three hours on: not assumed to be there
    assert ui.text("obs-place-last") == "Sist: Ålgård stasjon"
    ui.tap("obs-place-last")  # one tap to use it
    assert ui.field("obs-place").value == "Ålgård stasjon" and not ui.has("obs-place-last")
    ui.tap("obs-categories-alcohol")
    ui.tap("obs-save")
    assert [o.place for o in lb.list(Observation)] == ["Ålgård stasjon"] * 2


def test_a_fix_away_from_the_last_place_replaces_it(lb, screens, clock):
    _earlier_at_algard(lb, clock, hours=0.1)  # a few minutes ago, but the phone has moved
    ui = screens("/")
    _fix(ui, SKATEPARK)
    ui.tap("home-observation")
    assert ui.field("obs-place").value == "58.78000, 5.90000"
    assert ui.text("obs-place-last") == "Sist: Ålgård stasjon"
    ui.tap("obs-save")
    saved = max(lb.list(Observation), key=lambda o: o.created_at)
    assert (saved.place, saved.latitude, saved.longitude) == ("58.78000, 5.90000", *SKATEPARK)


def test_the_last_place_tapped_far_from_it_keeps_its_own_position(lb, screens, clock):
    _earlier_at_algard(lb, clock, hours=2)
    ui = screens("/")
    _fix(ui, SKATEPARK)
    ui.tap("home-observation")
    ui.tap("obs-place-last")
    ui.tap("obs-save")
    saved = max(lb.list(Observation), key=lambda o: o.created_at)
    # the name and the coordinates describe one place: never Ålgård with the skatepark's fix
    assert (saved.place, saved.latitude, saved.longitude) == ("Ålgård stasjon", *ALGARD)


def test_a_fix_at_the_last_place_fills_it_in(lb, screens, clock):
    _earlier_at_algard(lb, clock, hours=5)
    ui = screens("/")
    _fix(ui, NEAR_ALGARD)
    ui.tap("home-observation")
    assert ui.field("obs-place").value == "Ålgård stasjon"
    assert ui.text("obs-place-status") == "Posisjonen stemmer med Ålgård stasjon"
    ui.tap("obs-categories-unrest")
    ui.tap("obs-save")
    saved = max(lb.list(Observation), key=lambda o: o.created_at)
    assert (saved.place, saved.latitude, saved.longitude) == ("Ålgård stasjon", *NEAR_ALGARD)


def test_the_time_is_shown_and_can_be_set_back(ui, lb, clock):
    ui.open(QUICK_ADD)
    assert ui.field("obs-time").value == format_time(clock.now())
    assert ui.field("obs-time").label == "Klokkeslett (i dag)"
    ui.type("obs-place", "Ålgård stasjon")
    earlier = (clock.now() - timedelta(hours=2)).astimezone()
    ui.type("obs-time", earlier.strftime("%H:%M"))
    ui.tap("obs-save")
    [saved] = lb.list(Observation)
    assert saved.observed_at == earlier.replace(second=0, microsecond=0)


def test_a_time_later_than_now_was_yesterday_evening(ui, lb, clock):
    ui.open(QUICK_ADD)
    ui.type("obs-place", "Ålgård stasjon")
    later = (clock.now() + timedelta(hours=3)).astimezone()
    ui.type("obs-time", later.strftime("%H:%M"))
    ui.tap("obs-save")
    [saved] = lb.list(Observation)
    assert saved.observed_at == later.replace(second=0, microsecond=0) - timedelta(days=1)


def test_an_observation_without_a_category_is_allowed_and_the_form_says_so(ui, lb):
    ui.open(QUICK_ADD)
    assert ui.text("obs-unchosen-categories") == (
        "Ingen valgt: observasjonen lagres uten kategori.")
    ui.tap("obs-categories-unrest")
    assert not ui.has("obs-unchosen-categories")  # a category chosen: nothing to say
    ui.tap("obs-categories-unrest")
    assert ui.has("obs-unchosen-categories")
    ui.type("obs-place", "Ålgård stasjon")
    ui.tap("obs-save")
    assert ui.toasts() == ["Observasjon lagret"]
    [saved] = lb.list(Observation)
    assert saved.categories == set()


def test_every_problem_of_a_quick_add_is_shown_at_once(ui, lb):
    ui.open(QUICK_ADD)
    ui.type("obs-youth_count", "sju")
    ui.type("obs-time", "25:00")
    ui.tap("obs-save")
    assert ui.field("obs-place").error == "Sted må fylles ut."
    assert ui.field("obs-youth_count").error == "Skriv et tall."
    assert ui.field("obs-time").error == "Skriv klokkeslettet som tt:mm."
    assert lb.list(Observation) == []


def test_every_problem_of_the_edit_form_at_once_and_each_goes_when_edited(lb, screens, clock):
    rid = records.observation(lb, clock.now())
    ui = screens(f"/observation/{rid}")
    ui.type("obs-place", "")
    ui.type("obs-date", "31.02.2026")
    ui.type("obs-youth_count", "mange")
    ui.tap("obs-edit-save")
    assert ui.field("obs-place").error == "Sted må fylles ut."
    assert ui.field("obs-date").error == "Skriv datoen som dd.mm.åååå."
    assert ui.field("obs-youth_count").error == "Skriv et tall."
    ui.type("obs-date", "10.03.2026")  # corrected: its complaint goes at once
    assert ui.field("obs-date").error is None
    assert ui.field("obs-place").error == "Sted må fylles ut."  # the others stay
    assert ui.field("obs-date").error_max_lines >= 2  # a long message wraps, never cut off
    ui.type("obs-place", "Skurve")
    ui.type("obs-youth_count", "4")
    ui.tap("obs-edit-save")
    assert lb.get(rid).observed_at.astimezone().date() == datetime(2026, 3, 10).date()
    assert (lb.get(rid).place, lb.get(rid).youth_count) == ("Skurve", 4)


def test_delete_is_apart_from_save(lb, screens, clock):
    rid = records.observation(lb, clock.now())
    ui = screens(f"/observation/{rid}")
    assert ui.has("obs-delete") and ui.has("obs-edit-save")
    assert tree.marked([ui.find("screen-actions")], "obs-delete") is None  # not beside Save
    assert ui.shows("Registrert ved en feil? Slett hele registreringen.")


def test_typing_another_place_takes_back_same_place_as_last_time(ui, lb):
    ui.open(QUICK_ADD)
    ui.type("obs-place", "Ålgård stasjon")
    ui.tap("obs-save")
    ui.tap("home-observation")
    assert ui.has("obs-place-status")
    ui.type("obs-place", "Skolegården")
    assert not ui.has("obs-place-status")  # no longer "the same place as last time"
    ui.tap("obs-save")
    assert [o.place for o in lb.list(Observation)] == ["Ålgård stasjon", "Skolegården"]
