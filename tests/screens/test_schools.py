"""School visits: check-in (picker or one tap), check-out, the visit form and the list."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import flet as ft

import views.shell
from fieldapp.domain import SchoolVisit
from tests.screens import records, tree


def test_check_in_with_no_school_known_asks_for_one(ui, lb):
    ui.tap("home-check-in")
    assert ui.route == "/school/checkin" and ui.title == "Sjekk inn"
    assert ui.idents("checkin-school-") == []  # no served schools: nothing to pick
    ui.tap("checkin-save")
    assert ui.shows("Skriv navnet på skolen.") and lb.list(SchoolVisit) == []
    ui.type("checkin-name", "Gjesdal ungdomsskole")
    ui.tap("checkin-save")
    assert ui.toasts()[-1].startswith("Sjekket inn på Gjesdal ungdomsskole kl. ")
    assert ui.route == "/" and ui.text("home-checked-in").startswith(
        "Sjekket inn på Gjesdal ungdomsskole")
    [visit] = lb.list(SchoolVisit)
    assert visit.school == "Gjesdal ungdomsskole" and visit.checked_out_at is None


def test_the_picker_offers_the_served_schools(lb, screens):
    records.serve(lb, records.GJESDAL, records.STJORDAL)
    ui = screens("/school/checkin")
    assert ui.idents("checkin-school-") == ["checkin-school-Gjesdal ungdomsskole",
                                            "checkin-school-Stjørdal ungdomsskole"]
    ui.tap("checkin-school-Stjørdal ungdomsskole")
    assert ui.field("checkin-name").value == "Stjørdal ungdomsskole"
    ui.tap("checkin-save")
    [visit] = lb.list(SchoolVisit)
    assert (visit.school, visit.municipality) == ("Stjørdal ungdomsskole", "5035")


def test_check_out_then_complete_the_visit(lb, screens, clock):
    vid = records.visit(lb, clock.now() - timedelta(minutes=40), hours=None)
    ui = screens()
    ui.tap("home-check-out")
    assert ui.route == f"/school/{vid}"
    assert ui.toasts()[-1].startswith("Sjekket ut fra Gjesdal ungdomsskole kl. ")
    assert lb.get(vid).checked_out_at == clock.now()
    ui.type("visit-contacts_met", "Rektor Hansen, helsesykepleier")
    ui.tap("visit-topics-bullying")
    ui.tap("visit-save")
    assert ui.toasts()[-1] == "Skolebesøk lagret" and ui.route == "/school"
    assert "Mobbing" in ui.text("visit-0")
    saved = lb.get(vid)
    assert saved.contacts_met == ["Rektor Hansen", "helsesykepleier"]
    assert saved.topics == ["bullying"]


def test_the_visit_form_refuses_a_bad_time(lb, screens, clock):
    vid = records.visit(lb, clock.now())
    ui = screens(f"/school/{vid}")
    ui.type("visit-time_out", "kl 3")
    ui.tap("visit-save")
    assert ui.field("visit-time_out").error == "Skriv klokkeslettet som tt:mm."
    assert ui.route == f"/school/{vid}"


def test_the_list_is_empty_then_shows_each_visit(ui, lb, clock):
    ui.open("/school")
    assert ui.title == "Skolebesøk" and ui.shows("Ingen skolebesøk ennå.")
    records.visit(lb, clock.now() - timedelta(days=8), school="Bærland skole")
    records.visit(lb, clock.now() - timedelta(days=1))
    ui.open("/")
    ui.tap("home-visits")
    assert ui.idents("visit-") == ["visit-0", "visit-1", "visit-checkin"]
    assert "Gjesdal ungdomsskole" in ui.text("visit-0")
    assert "Bærland skole" in ui.text("visit-1")
    ui.tap("visit-checkin")
    assert ui.route == "/school/checkin"


def test_the_check_out_confirmation_covers_nothing_on_the_visit_form(lb, screens, clock):
    vid = records.visit(lb, clock.now() - timedelta(minutes=40), hours=None)
    ui = screens()
    ui.tap("home-check-out")
    assert ui.route == f"/school/{vid}"
    # a line above the pinned Save, not a snackbar floating over the topic chips
    assert ui.notice().startswith("Sjekket ut fra Gjesdal ungdomsskole kl. ")
    assert ui.snackbars() == [] and ui.toasts()[-1] == ui.notice()
    live = ui.find("notice")
    assert isinstance(live, ft.Semantics) and live.live_region  # a screen reader announces it
    ui.tap("visit-topics-bullying")  # the chips take the tap
    assert ui.find("visit-topics-bullying").selected


def test_the_visit_records_roles_follow_ups_and_alcohol(lb, screens, clock):
    vid = records.visit(lb, clock.now())
    ui = screens(f"/school/{vid}")
    assert ui.idents("visit-contact_roles-")[:3] == [
        "visit-contact_roles-rektor", "visit-contact_roles-inspektor",
        "visit-contact_roles-kontaktlaerer"]
    assert ui.text("visit-contact_roles-kontaktlaerer") == "Kontaktlærer"  # words, not codes
    assert ui.text("visit-topics-alcohol") == "Alkohol"
    assert ui.field("visit-agreed_follow_up").label == "Oppfølging avtalt med skolen"
    assert ui.field("visit-agreed_follow_up").prefix_icon is not None  # marked confidential
    ui.tap("visit-contact_roles-helsesykepleier")
    ui.tap("visit-contact_roles-rektor")
    ui.tap("visit-topics-alcohol")
    ui.type("visit-agreed_follow_up", "Foreldremøte om rus i 9. trinn, politiet stiller 14.4.")
    ui.tap("visit-save")
    saved = lb.get(vid)
    assert saved.contact_roles == ["rektor", "helsesykepleier"]
    assert saved.topics == ["alcohol"]
    assert saved.agreed_follow_up == "Foreldremøte om rus i 9. trinn, politiet stiller 14.4."


def test_every_problem_of_the_visit_form_at_once(lb, screens, clock):
    vid = records.visit(lb, clock.now())
    ui = screens(f"/school/{vid}")
    ui.type("visit-school", "")
    ui.type("visit-time_in", "9 og noe")
    ui.type("visit-time_out", "kl 3")
    ui.tap("visit-save")
    assert ui.field("visit-school").error == "Skole må fylles ut."
    assert ui.field("visit-time_in").error == "Skriv klokkeslettet som tt:mm."
    assert ui.field("visit-time_out").error == "Skriv klokkeslettet som tt:mm."
    assert lb.get(vid).school == "Gjesdal ungdomsskole"


def test_a_visit_is_deleted_from_apart_from_save_after_asking(lb, screens, clock):
    vid = records.visit(lb, clock.now())
    ui = screens(f"/school/{vid}")
    assert tree.marked([ui.find("screen-actions")], "visit-delete") is None  # not beside Save
    ui.tap("visit-delete")
    assert "Slette registreringen?" in ui.dialog()
    ui.tap("confirm-cancel")
    assert lb.list(SchoolVisit) != []
    ui.tap("visit-delete")
    ui.tap("confirm-delete")
    assert ui.route == "/school" and lb.list(SchoolVisit) == []
    assert ui.toasts()[-1] == "Slettet"


def test_the_confirmation_line_goes_after_a_few_seconds(lb, screens, clock, monkeypatch):
    # long enough that a tap on a loaded machine is over before it (0.01 s was not)
    monkeypatch.setattr(views.shell, "NOTICE_SECONDS", 0.5)
    records.visit(lb, clock.now() - timedelta(minutes=40), hours=None)
    ui = screens()
    ui.tap("home-check-out")
    assert ui.notice().startswith("Sjekket ut fra ")
    ui._run(asyncio.sleep(0.6))
    assert ui.notice() == "" and not ui.has("notice")
