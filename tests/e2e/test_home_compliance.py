"""Home shows the Gjesdal agreement at a glance, in the real web client: the agreed school is
not visited in its 14-day window until a check-in, then it is; this week's presence against
the one-day target follows the visit; overdue follow-up actions are a count only."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

PIN = "591374"


def test_the_agreed_school_is_not_visited_before_a_check_in(ui):
    ui.first_run(PIN)
    ui.serve_gjesdal()
    school = ui.text("home-school-0")
    assert "Gjesdal ungdomsskole: ikke besøkt – perioden slutter " in school
    assert "Til stede denne uken: 0 av 1 dag" in ui.text("home-presence")
    # nothing overdue: no line about it beside "0 oppfølgingstiltak forfaller"
    assert "0 oppfølgingstiltak forfaller" in ui.text("home-actions")
    assert ui.page.locator("[flt-semantics-identifier='home-overdue']").count() == 0
    ui.shot("50-home-agreement-not-visited")


def test_check_in_and_out_marks_the_window_visited(ui):
    ui.tap("home-check-in")  # the only configured school: no picker
    ui.see("Sjekket inn på Gjesdal ungdomsskole")
    ui.tap("home-check-out")
    ui.tap("visit-save")
    ui.see("Skolebesøk lagret")
    ui.tap("nav-back")
    ui.wait("home-check-in")
    assert "Gjesdal ungdomsskole: besøkt i perioden" in ui.text("home-school-0")
    assert "Til stede denne uken: 1 av 1 dag" in ui.text("home-presence")
    ui.shot("51-home-agreement-visited")
