"""Home, "I dag": the status lines (empty logbook, records, an agreement at a glance) and the
big actions that lead to every feature."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fieldapp.domain import SchoolVisit
from fieldapp.domain.meetings import Meeting, MeetingAction
from fieldapp.repositories import ServedMunicipality
from tests.screens import records

THREE_SCHOOLS = (records.GJESDAL, ServedMunicipality(
    "5035", "Stjørdal", ("Stjørdal ungdomsskole", "Halsen ungdomsskole")))


def test_empty_logbook(ui):
    assert ui.route == "/" and ui.title == "I dag"
    assert ui.text("home-presence") == "Ikke til stede i kommunen ennå denne uken"
    assert ui.text("home-schools") == "Ingen skoler ennå – sjekk inn for å starte"
    assert ui.text("home-actions") == "Ingen oppfølgingstiltak har forfalt"
    assert ui.text("home-observations") == "Observasjoner i dag: 0"
    assert ui.text("home-sync") == "0 registreringer venter på synk"
    assert not ui.has("home-checked-in") and not ui.has("home-homeless")
    assert not ui.has("home-overdue") and not ui.has("nav-back")
    assert ui.has("home-check-in") and not ui.has("home-check-out")


def test_records_show_in_the_counts(lb, screens, clock):
    now = clock.now()
    records.observation(lb, now)
    records.observation(lb, now - timedelta(days=3))  # not today
    records.visit(lb, now - timedelta(days=2))
    records.case(lb, now - timedelta(days=30), due=(now - timedelta(days=1)).date())
    ui = screens()
    assert ui.text("home-observations") == "Observasjoner i dag: 1"
    assert ui.text("home-presence") == "Til stede i kommunen denne uken"
    assert ui.text("home-actions") == "1 oppfølgingstiltak forfaller i dag eller har forfalt"
    assert ui.text("home-sync") == "4 registreringer venter på synk"


def test_an_open_visit_offers_check_out(lb, screens, clock):
    records.visit(lb, clock.now() - timedelta(minutes=20), hours=None)
    ui = screens()
    assert ui.text("home-checked-in").startswith("Sjekket inn på Gjesdal ungdomsskole kl. ")
    assert ui.text("home-check-out") == "Sjekk ut fra\nGjesdal ungdomsskole"
    assert ui.find("home-check-out").controls[0].tooltip == "Sjekk ut fra Gjesdal ungdomsskole"
    assert not ui.has("home-check-in")


def test_a_record_without_a_municipality_is_counted(lb, screens, clock):
    records.observation(lb, clock.now(), municipality="")  # first run: nothing served yet
    records.serve(lb, records.GJESDAL, records.STJORDAL)
    ui = screens()
    assert ui.text("home-homeless") == "1 registrering mangler kommune"
    ui.tap("home-homeless")
    assert ui.route == "/mangler-kommune" and ui.has("homeless-0")


def test_the_gjesdal_agreement_at_a_glance(lb, screens):
    records.serve(lb)
    ui = screens()
    assert ui.text("home-school-0").startswith(
        "Gjesdal ungdomsskole: ikke besøkt – perioden slutter ")
    assert ui.text("home-presence") == "Til stede denne uken: 0 av 1 dag"
    assert ui.text("home-actions") == "Ingen oppfølgingstiltak har forfalt"


def test_a_visit_marks_the_agreed_window_visited(lb, screens, clock):
    records.serve(lb)
    records.visit(lb, clock.now() - timedelta(days=1))
    ui = screens()
    assert ui.text("home-school-0") == "Gjesdal ungdomsskole: besøkt i perioden"
    assert ui.text("home-presence") == "Til stede denne uken: 1 av 1 dag"


def test_overdue_actions_are_said_once(lb, screens, clock):
    """A U18 action and a meeting action past due: one line counts both (no second line)."""
    records.serve(lb)
    now = clock.now()
    records.case(lb, now - timedelta(days=30), due=(now - timedelta(days=5)).date())
    lb.add(Meeting(meeting_type="politirad", starts_at=now - timedelta(days=20),
                   municipality="1122",
                   actions=[MeetingAction(description="Kalle inn SLT", owner_role="ordforer",
                                          due_date=(now - timedelta(days=2)).date())]))
    ui = screens()
    assert ui.text("home-actions") == "2 oppfølgingstiltak forfaller i dag eller har forfalt"
    assert not ui.has("home-overdue") and not ui.shows("Forfalte tiltak")
    assert sum("oppfølgingstiltak" in line or "tiltak" in line for line in ui.texts()) == 1


def test_one_tap_check_in_at_the_only_school(lb, screens):
    records.serve(lb)
    ui = screens()
    assert ui.text("home-check-in") == "Sjekk inn på\nGjesdal ungdomsskole"  # named
    assert not ui.has("home-check-in-1")
    ui.tap("home-check-in")
    assert ui.toasts()[-1].startswith("Sjekket inn på Gjesdal ungdomsskole kl. ")
    assert ui.route == "/" and ui.has("home-check-out")
    assert ui.text("home-presence") == "Til stede denne uken: 1 av 1 dag"


@pytest.mark.parametrize(("ident", "route", "title"), [
    ("home-observation", "/observation/new", "Ny observasjon"),
    ("home-u18", "/u18", "U18-oppfølging"),
    ("home-crisis", "/crisis", "Kriseledelse"),
    ("home-synk", "/synk", "Synk"),
    ("home-visits", "/school", "Skolebesøk"),
    ("home-observations-list", "/observation", "Observasjoner"),
    ("home-evaluation", "/rapport", "Evaluering"),
    ("home-meetings", "/moter", "Politiråd og SLT"),
    ("nav-settings", "/settings", "Innstillinger"),
])
def test_every_action_opens_its_screen_and_back_returns_home(ui, ident, route, title):
    ui.tap(ident)
    assert (ui.route, ui.title) == (route, title)
    assert ("push_route", {"route": route}) in ui.client.calls  # the address bar follows
    ui.tap("nav-back")
    assert ui.route == "/"


def test_a_municipality_is_given_to_a_record_without_one(lb, screens, clock):
    rid = records.observation(lb, clock.now(), municipality="")
    records.serve(lb, records.GJESDAL, records.STJORDAL)
    ui = screens("/mangler-kommune")
    assert ui.text("homeless-title-0").startswith("Observasjon")
    ui.tap("homeless-save-0")  # nothing picked: say so, store nothing
    assert "Velg kommune først." in ui.text("homeless-0")
    assert lb.get(rid).municipality == ""
    ui.tap("homeless-0-municipality-5035")
    ui.tap("homeless-save-0")
    assert lb.get(rid).municipality == "5035" and ui.toasts()[-1] == "Kommune lagret"
    assert ui.has("homeless-none") and not ui.has("homeless-0")


def test_every_served_school_is_named_and_one_tap(lb, screens, app):
    """Three schools: the last one visited on the big button, each other one a button under
    it; a tap on any of them checks in there (not silently at the last one)."""
    records.serve(lb, *THREE_SCHOOLS)
    app.last_school = "Halsen ungdomsskole"
    ui = screens()
    assert ui.text("home-check-in") == "Sjekk inn på\nHalsen ungdomsskole"
    assert [ui.text(f"home-check-in-{i}") for i in (1, 2)] == [
        "Gjesdal ungdomsskole", "Stjørdal ungdomsskole"]
    assert ui.find("home-check-in-2").tooltip == "Sjekk inn på Stjørdal ungdomsskole"
    assert not ui.has("home-check-in-3")
    ui.tap("home-check-in-2")
    [visit] = lb.list(SchoolVisit)
    assert (visit.school, visit.municipality) == ("Stjørdal ungdomsskole", "5035")
    assert ui.toasts()[-1].startswith("Sjekket inn på Stjørdal ungdomsskole kl. ")
    assert ui.text("home-check-out") == "Sjekk ut fra\nStjørdal ungdomsskole"
    assert not ui.has("home-check-in") and not ui.has("home-check-in-1")


def test_the_school_checked_in_at_last_moves_to_the_big_button(lb, screens, clock):
    records.serve(lb, *THREE_SCHOOLS)
    ui = screens()
    assert ui.text("home-check-in") == "Sjekk inn på\nGjesdal ungdomsskole"  # first served
    ui.tap("home-check-in-1")  # Stjørdal ungdomsskole
    ui.tap("home-check-out")
    ui.open("/")
    assert ui.text("home-check-in") == "Sjekk inn på\nStjørdal ungdomsskole"
    assert [ui.text(f"home-check-in-{i}") for i in (1, 2)] == [
        "Gjesdal ungdomsskole", "Halsen ungdomsskole"]


def test_the_first_run_guide_leads_to_settings_and_goes_when_set_up(ui, lb):
    assert ui.text("home-guide-municipality") == "1. Velg kommunene du er politikontakt for"
    assert ui.find("home-guide-municipality").tooltip == "Ikke gjort ennå"
    assert ui.text("home-guide-enrolment") == \
        "4. Registrer telefonen hos kommunen (valgfritt)"
    ui.tap("home-guide-municipality")
    assert ui.route == "/settings"
    ui.tap("preset-gjesdal")  # municipality, signed agreement and school in one tap
    ui.tap("nav-back")
    assert not ui.has("home-guide")  # enrolment is optional: the guide is done


def test_the_guide_ticks_what_is_done_and_opens_what_is_not(lb, screens):
    records.serve(lb, ServedMunicipality("5035", "Stjørdal"))  # agreement, but no school yet
    ui = screens()
    assert ui.text("home-guide-municipality") == "1. Kommunene er valgt"
    assert ui.find("home-guide-municipality").tooltip == "Ferdig"
    assert ui.text("home-guide-agreement") == "2. Samarbeidsavtalen er på plass"
    assert ui.text("home-guide-schools") == "3. Legg inn skolene du besøker"
    ui.tap("home-guide-enrolment")
    assert ui.route == "/synk"


def test_a_municipality_without_an_agreement_opens_its_agreement_editor(lb, screens):
    records.serve(lb, ServedMunicipality("1108", "Sandnes", ("Lura skole",)))
    ui = screens()
    assert ui.text("home-guide-agreement") == "2. Legg inn samarbeidsavtalen"
    assert ui.text("home-guide-schools") == "3. Skolene er lagt inn"
    ui.tap("home-guide-agreement")
    assert ui.route == "/settings/agreement/1108"


def test_two_municipalities_keep_the_shortcuts_above_the_status(lb, screens, clock):
    """At 390×844 the pinned actions take the lower half: the shortcuts come first in the
    scrolling body, so a long status (two municipalities) scrolls and they stay in view."""
    records.serve(lb, records.GJESDAL, records.STJORDAL)
    records.visit(lb, clock.now() - timedelta(days=1))
    ui = screens()
    shown = ui.idents("home-")
    assert shown.index("home-meetings") < shown.index("home-presence")
    assert shown[:5] == ["home-shortcuts", "home-visits", "home-observations-list",
                         "home-evaluation", "home-meetings"]
    assert ui.text("home-presence") == "Til stede i Gjesdal denne uken: 1 av 1 dag"


def test_the_meeting_line_names_its_municipality(lb, screens, clock):
    records.serve(lb, records.GJESDAL, records.STJORDAL)
    lb.add(Meeting(meeting_type="politirad", starts_at=clock.now() + timedelta(days=30),
                   municipality="5035"))
    ui = screens()
    assert ui.text("home-meeting").startswith("Neste møte i Stjørdal: Politiråd ")


@pytest.mark.parametrize(("served", "offered"), [
    ((), ["Oltedal skole"]),                        # nothing served: the last school typed
    ((records.GJESDAL,), ["Gjesdal ungdomsskole"]),  # served schools only
])
def test_a_school_typed_once_is_offered_only_while_none_is_served(lb, screens, app, served,
                                                                   offered):
    if served:
        records.serve(lb, *served)
    app.last_school = "Oltedal skole"
    ui = screens()
    assert ui.text("home-check-in") == "Sjekk inn på\n" + offered[0]
    assert not ui.has("home-check-in-1")
