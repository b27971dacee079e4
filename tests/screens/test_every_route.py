"""Every route of the route table renders in the fast client, with a record behind each id:
a screen added to ``views.routes`` without a place here fails this test."""

from __future__ import annotations

from datetime import date

import pytest

from fieldapp.domain.meetings import Meeting
from tests.screens import records
from views.routes import ROUTES

UNLOCKED_TITLES = {
    "/": "I dag", "/school": "Skolebesøk", "/school/checkin": "Sjekk inn",
    "/school/:id": "Skolebesøk", "/observation": "Observasjoner",
    "/observation/new": "Ny observasjon", "/observation/:id": "Observasjon",
    "/u18": "U18-oppfølging", "/u18/new": "Ny U18-sak", "/u18/:id": "U18-sak",
    "/u18/:id/edit": "Endre U18-sak", "/u18/:id/consent": "Nytt samtykke",
    "/crisis": "Kriseledelse", "/crisis/contact/new": "Kontakt i kriseledelsen",
    "/crisis/contact/:id": "Kontakt i kriseledelsen",
    "/crisis/callout/:id": "Innkalt til krisestab", "/synk": "Synk",
    "/mangler-kommune": "Mangler kommune", "/rapport": "Evaluering",
    "/moter": "Politiråd og SLT", "/moter/ny": "Nytt møte", "/moter/:id": "Endre møte",
    "/settings": "Innstillinger", "/settings/agreement/:id": "Samarbeidsavtale",
}
LOCK_TITLES = {"/setup": "Ny loggbok", "/unlock": "Lås opp"}


def test_every_route_has_a_fast_test():
    assert {r.pattern for r in ROUTES} == set(UNLOCKED_TITLES) | set(LOCK_TITLES)


@pytest.fixture
def ids(lb, clock):
    now = clock.now()
    records.serve(lb)
    case = records.case(lb, now, due=date(2026, 3, 20))
    return {
        "/school/:id": records.visit(lb, now), "/observation/:id": records.observation(lb, now),
        "/u18/:id": case, "/u18/:id/edit": case, "/u18/:id/consent": case,
        "/crisis/contact/:id": records.contact(lb),
        "/crisis/callout/:id": records.callout(lb, now),
        "/moter/:id": lb.add(Meeting(meeting_type="politirad", starts_at=now,
                                     municipality="1122")),
        "/settings/agreement/:id": "1122",
    }


@pytest.mark.parametrize("pattern", sorted(UNLOCKED_TITLES))
def test_the_screen_renders(screens, ids, pattern):
    route = pattern.replace(":id", ids.get(pattern, ""))
    ui = screens(route)
    assert (ui.route, ui.title) == (route, UNLOCKED_TITLES[pattern])
    assert ui.has("nav-lock")
    assert ui.has("nav-back") == (pattern != "/")


def test_the_lock_screens(screens, logbooks):
    ui = screens("/settings", unlocked=False)
    assert (ui.route, ui.title) == ("/setup", LOCK_TITLES["/setup"])
    logbooks.pin = "482913"  # a logbook exists now: unlock, whatever was asked
    ui.open("/rapport")
    assert (ui.route, ui.title) == ("/unlock", LOCK_TITLES["/unlock"])
