"""Every record gets a municipality: the rules (no flet) and the forms, built without a client."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fieldapp.domain import (
    Consent,
    CrisisCallout,
    CrisisContact,
    FollowUpCase,
    Observation,
    SchoolVisit,
)
from fieldapp.domain.meetings import Meeting
from tests.views.screen_tree import chip_selected, find, has, idents, tap, texts, toasts
from views.kit import municipality as logic
from views.kit.municipality import give_home, homeless_count

GJESDAL = {"code": "1122", "name": "Gjesdal", "schools": ["Gjesdal ungdomsskole"]}
STJORDAL = {"code": "5035", "name": "Stjørdal", "schools": ["Meråker skole"]}
AT = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def lb(unlocked):
    return unlocked.logbook


@pytest.fixture
def two(lb):
    lb.served.replace([GJESDAL, STJORDAL])
    return lb


# -- the rules -------------------------------------------------------------------------------


def test_default_is_the_schools_then_the_remembered_then_the_first_served(two):
    assert logic.choices(two) == [("1122", "Gjesdal"), ("5035", "Stjørdal")]
    assert logic.default_municipality(two) == "1122"
    logic.remember(two, "5035")
    assert logic.default_municipality(two) == "5035"
    assert logic.default_municipality(two, "Gjesdal ungdomsskole") == "1122"
    # Stjørdal's signed agreement names no school: the school list decides
    assert logic.school_municipality(two, "meråker skole") == "5035"
    assert logic.school_municipality(two, "Ukjent skole") == ""


def test_only_a_served_municipality_is_remembered(two):
    logic.remember(two, "0301")
    assert logic.remembered(two) == ""
    logic.remember(two, "5035")
    two.served.replace([GJESDAL])  # Stjørdal no longer served
    assert logic.remembered(two) == "" and logic.default_municipality(two) == "1122"


def test_nothing_served_means_no_default_and_no_picker(lb):
    assert logic.default_municipality(lb) == "" and not logic.needs_choice(lb)
    lb.served.replace([GJESDAL])
    assert not logic.needs_choice(lb)


def test_homeless_lists_records_without_a_home_but_not_contacts_or_inheriting_consents(lb):
    case = lb.add(FollowUpCase(person_name="Ola", concern="x", opened_at=AT))
    lonely = lb.add(Observation(place="Torget", observed_at=AT))
    lb.add(CrisisContact(name="Ordfører", role="ordforer"))
    homed = lb.add(FollowUpCase(person_name="Kari", concern="y", opened_at=AT,
                                municipality="1122"))
    lb.add(Consent(case_id=homed, given_by="Kari", recipients={"slt"}, purpose="SLT",
                   given_at=AT))
    assert [r.id for r in logic.homeless(lb.list())] == [case, lonely]
    line = logic.record_line(lb.get(lonely))
    assert (line.kind_key, line.detail) == ("homeless.kind.observation", "Torget")


def test_homeless_count_waits_for_a_served_municipality(lb):
    lb.add(Observation(place="Torget", observed_at=AT))
    assert homeless_count(lb, lb.list()) == 0
    lb.served.replace([GJESDAL, STJORDAL])
    assert homeless_count(lb, lb.list()) == 1


def test_giving_a_case_a_home_gives_its_consents_one_too(lb):
    cid = lb.add(FollowUpCase(person_name="Ola", concern="x", opened_at=AT))
    consent = lb.add(Consent(case_id=cid, given_by="Kari", recipients={"slt"}, purpose="SLT",
                             given_at=AT))
    lb.served.replace([GJESDAL, STJORDAL])
    give_home(lb, cid, "5035")
    assert lb.get(cid).municipality == "5035" and lb.get(consent).municipality == "5035"
    assert lb.get(cid).revision == 2 and logic.homeless(lb.list()) == []


# -- the forms ---------------------------------------------------------------------------------


def test_quick_add_preselects_the_remembered_municipality_and_saves_it(two, screen_at):
    logic.remember(two, "5035")
    screen = screen_at("/observation/new")
    from views.observations.screen import quick_add
    body = quick_add(screen)
    assert idents(body, "obs-municipality-") == ["obs-municipality-1122",
                                                 "obs-municipality-5035"]
    assert texts(find(body, "obs-municipality-5035")) == ["Stjørdal"]
    assert chip_selected(body, "obs-municipality-5035")
    tap(body, "obs-categories-alcohol")
    find(body, "obs-place").value = "Torget"
    tap(body, "obs-save")
    saved = two.list(Observation)
    assert [o.municipality for o in saved] == ["5035"]
    assert screen.router.went == ["/"]


def test_quick_add_in_another_municipality_is_remembered_for_next_time(two, screen_at):
    from views.observations.screen import quick_add
    body = quick_add(screen_at("/observation/new"))
    assert chip_selected(body, "obs-municipality-1122")  # nothing remembered: the first
    tap(body, "obs-municipality-5035")
    find(body, "obs-place").value = "Torget"
    tap(body, "obs-save")
    assert two.list(Observation)[0].municipality == "5035"
    assert logic.remembered(two) == "5035"
    assert chip_selected(quick_add(screen_at("/observation/new")), "obs-municipality-5035")


def test_quick_add_with_the_municipality_unchosen_says_so_and_saves_nothing(two, screen_at):
    from views.observations.screen import quick_add
    screen = screen_at("/observation/new")
    body = quick_add(screen)
    tap(body, "obs-municipality-1122")  # tapped again: nothing chosen
    find(body, "obs-place").value = "Torget"
    tap(body, "obs-save")
    assert two.count(Observation) == 0 and screen.router.went == []
    assert "Kommune må fylles ut." in texts(body.controls)


def test_one_served_shows_no_picker_and_fills_it_in(lb, screen_at):
    lb.served.replace([GJESDAL])
    from views.observations.screen import quick_add
    body = quick_add(screen_at("/observation/new"))
    assert idents(body, "obs-municipality-") == []
    find(body, "obs-place").value = "Ålgård"
    tap(body, "obs-save")
    assert lb.list(Observation)[0].municipality == "1122"


def test_the_priority_areas_follow_the_chosen_municipality(two, screen_at):
    from views.observations.screen import quick_add
    body = quick_add(screen_at("/observation/new"))
    assert has(body, "obs-priority_area-rus_krim_u18")       # Gjesdal's area
    tap(body, "obs-municipality-5035")
    assert not has(body, "obs-priority_area-rus_krim_u18")
    assert has(body, "obs-priority_area-barn_unge")          # Stjørdal's


def test_editing_an_observation_moves_it_to_another_municipality(two, screen_at):
    rid = two.add(Observation(place="Torget", observed_at=AT, municipality="1122"))
    from views.observations.screen import observation_edit
    body = observation_edit(screen_at(f"/observation/{rid}"))
    assert chip_selected(body, "obs-municipality-1122")
    tap(body, "obs-municipality-5035")
    tap(body, "obs-edit-save")
    assert two.get(rid).municipality == "5035"


def test_check_in_takes_the_schools_municipality(two, screen_at):
    logic.remember(two, "1122")
    from views.schools.presenter import check_in
    from views.schools.screen import checkin_screen
    check_in(screen_at("/"), "Meråker skole")
    assert two.list(SchoolVisit)[0].municipality == "5035"
    body = checkin_screen(screen_at("/school/checkin"))
    assert chip_selected(body, "checkin-municipality-5035")  # the last school's, remembered
    tap(body, "checkin-school-Gjesdal ungdomsskole")
    assert chip_selected(body, "checkin-municipality-1122")
    tap(body, "checkin-save")
    assert [v.municipality for v in two.list(SchoolVisit)] == ["5035", "1122"]


def test_a_new_case_gets_the_chosen_municipality_and_its_consent_inherits(two, screen_at):
    from views.u18.form import case_edit, consent_new
    body = case_edit(screen_at("/u18/new"))
    find(body, "case-person_name").value = "Ola Nordmann"
    find(body, "case-concern").value = "Sett sammen med eldre ungdom"
    tap(body, "case-municipality-5035")
    tap(body, "case-save")
    case = two.list(FollowUpCase)[0]
    assert case.municipality == "5035"
    body = consent_new(screen_at(f"/u18/{case.id}/consent"))
    find(body, "consent-given_by").value = "Kari"
    tap(body, "consent-recipients-slt")
    find(body, "consent-purpose").value = "SLT"
    tap(body, "consent-save")
    assert two.list(Consent)[0].municipality == "5035"


def test_a_callout_starts_in_the_remembered_municipality_and_can_move(two, screen_at):
    logic.remember(two, "5035")
    from views.crisis.screen import callout_view, crisis_home
    tap(crisis_home(screen_at("/crisis")), "callout-new")
    callout = two.list(CrisisCallout)[0]
    assert callout.municipality == "5035"
    body = callout_view(screen_at(f"/crisis/callout/{callout.id}"))
    tap(body, "callout-municipality-1122")
    tap(body, "callout-save")
    assert two.get(callout.id).municipality == "1122"


def test_a_meeting_is_saved_in_the_chosen_municipality(two, screen_at):
    from views.meetings.screen import meeting_new
    screen = screen_at("/moter/ny")
    body = meeting_new(screen)
    find(body, "meeting-day").value = "12.03.2026"
    tap(body, "meeting-municipality-5035")
    tap(body, "meeting-save")
    assert [m.municipality for m in two.list(Meeting)] == ["5035"]


def test_the_homeless_screen_gives_a_record_its_home(two, screen_at, lb):
    two.served.replace([])
    rid = lb.add(Observation(place="Torget", observed_at=AT))
    two.served.replace([GJESDAL, STJORDAL])
    from views.home.homeless import homeless_screen
    from views.home.screen import home_screen
    home = home_screen(screen_at("/"))
    assert texts(find(home, "home-homeless")) == ["1 registrering mangler kommune"]
    screen = screen_at("/mangler-kommune")
    body = homeless_screen(screen)
    assert "Observasjon · 10.03.2026 · Torget" in texts(find(body, "homeless-title-0"))
    tap(body, "homeless-save-0")  # nothing chosen: asks for it
    assert lb.get(rid).municipality == "" and "Velg kommune først." in texts(body.controls)
    tap(body, "homeless-0-municipality-5035")
    tap(body, "homeless-save-0")
    assert lb.get(rid).municipality == "5035"
    assert "Kommune lagret" in toasts(screen.page)
    assert not has(home_screen(screen_at("/")), "home-homeless")


def test_the_homeless_list_has_a_route_behind_the_lock():
    from views.routes import guard, resolve
    entry, params = resolve("/mangler-kommune")
    assert entry.build.__name__ == "homeless_screen" and params == {} and not entry.public
    assert guard("/mangler-kommune", unlocked=False, needs_setup=False) == "/unlock"
