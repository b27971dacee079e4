"""Home, "I dag": the status lines (empty logbook, records, an agreement at a glance) and the
big actions that lead to every feature."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.screens import records


def test_empty_logbook(ui):
    assert ui.route == "/" and ui.title == "I dag"
    assert ui.text("home-presence") == "Ikke til stede i kommunen ennå denne uka"
    assert ui.text("home-schools") == "Ingen skoler ennå – sjekk inn for å starte"
    assert ui.text("home-actions") == "0 oppfølgingstiltak forfaller"
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
    assert ui.text("home-presence") == "Til stede i kommunen denne uka"
    assert ui.text("home-actions") == "1 oppfølgingstiltak forfaller"
    assert ui.text("home-sync") == "4 registreringer venter på synk"


def test_an_open_visit_offers_check_out(lb, screens, clock):
    records.visit(lb, clock.now() - timedelta(minutes=20), hours=None)
    ui = screens()
    assert ui.text("home-checked-in").startswith("Sjekket inn på Gjesdal ungdomsskole kl. ")
    assert ui.text("home-check-out") == "Sjekk ut fra Gjesdal ungdomsskole"
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
    assert ui.text("home-actions") == "0 oppfølgingstiltak forfaller"
    assert not ui.has("home-overdue")


def test_a_visit_marks_the_agreed_window_visited(lb, screens, clock):
    records.serve(lb)
    records.visit(lb, clock.now() - timedelta(days=1))
    ui = screens()
    assert ui.text("home-school-0") == "Gjesdal ungdomsskole: besøkt i perioden"
    assert ui.text("home-presence") == "Til stede denne uken: 1 av 1 dag"


def test_an_overdue_action_shows_the_agreement_line(lb, screens, clock):
    records.serve(lb)
    records.case(lb, clock.now() - timedelta(days=30), due=(clock.now() - timedelta(days=5)).date())
    ui = screens()
    assert ui.text("home-overdue") == "Forfalte tiltak (møter og U18): 1"


def test_one_tap_check_in_at_the_only_school(lb, screens):
    records.serve(lb)
    ui = screens()
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
