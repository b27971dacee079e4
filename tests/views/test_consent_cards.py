"""The case screen shows each consent's status by the one rule (consent_status), in words."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fieldapp.domain import Consent, FollowUpCase
from tests.views.screen_tree import find, has, tap, texts
from views.strings import text
from views.u18.screen import case_view

STATUS_WORDS = {"future": "Ikke gyldig ennå", "active": "Gjelder", "expired": "Utløpt",
                "withdrawn": "Trukket tilbake"}


@pytest.fixture
def case(unlocked):
    lb = unlocked.logbook
    return lb.add(FollowUpCase(person_name="Ola", concern="x", opened_at=unlocked.now(),
                               municipality="1122"))


def _consent(app, case_id, role="youth", **fields):
    fields.setdefault("given_at", app.now() - timedelta(days=3))
    return app.logbook.add(Consent(case_id=case_id, given_by="Kari", given_by_role=role,
                                   recipients={"slt"}, purpose="SLT", **fields))


def _status(body, i):
    return texts(find(body, f"consent-status-{i}"))[0]


def test_every_status_has_words_in_both_languages():
    for status, words in STATUS_WORDS.items():
        assert text("consent.status." + status, "nb") == words
        assert text("consent.status." + status, "en") not in ("", "consent.status." + status)


def test_each_card_shows_its_status_and_the_day_it_was_given(unlocked, case, screen_at):
    now = unlocked.now()
    _consent(unlocked, case, given_at=now + timedelta(days=2))
    _consent(unlocked, case)
    _consent(unlocked, case, given_at=now - timedelta(days=20), expires_at=date(2026, 3, 5))
    body = case_view(screen_at(f"/u18/{case}"))
    assert [_status(body, i) for i in range(3)] == ["Ikke gyldig ennå", "Gjelder", "Utløpt"]
    assert texts(find(body, "consent-given-0")) == ["Gitt 13.03.2026"]
    assert texts(find(body, "consent-given-1")) == ["Gitt 08.03.2026"]


def test_after_withdrawing_the_card_says_withdrawn(unlocked, case, screen_at, clock):
    _consent(unlocked, case)
    screen = screen_at(f"/u18/{case}")
    body = case_view(screen)
    assert _status(body, 0) == "Gjelder"
    tap(body, "consent-withdraw-0")
    assert screen.router.rendered == [f"/u18/{case}"]  # the screen is drawn again
    clock.wall += timedelta(seconds=1)
    body = case_view(screen)
    assert _status(body, 0) == "Trukket tilbake" and not has(body, "consent-withdraw-0")


def test_a_withdrawal_by_the_giver_ends_that_givers_earlier_consent(unlocked, case, screen_at):
    now = unlocked.now()
    _consent(unlocked, case, role="youth")
    _consent(unlocked, case, role="guardian")
    _consent(unlocked, case, role="youth", given_at=now - timedelta(days=1),
             withdrawn_at=now - timedelta(hours=1))
    body = case_view(screen_at(f"/u18/{case}"))
    assert [_status(body, i) for i in range(3)] == ["Trukket tilbake", "Gjelder",
                                                    "Trukket tilbake"]


def test_a_consent_withdrawn_before_it_starts_says_it_never_comes_into_force(
        unlocked, case, screen_at):
    _consent(unlocked, case, given_at=unlocked.now() + timedelta(days=2))
    screen = screen_at(f"/u18/{case}")
    tap(case_view(screen), "consent-withdraw-0")
    body = case_view(screen)
    assert _status(body, 0) == "Ikke gyldig ennå"
    assert "Trukket tilbake fra 13.03.2026 – trer aldri i kraft" in texts(find(body, "consent-0"))
    assert not has(body, "consent-withdraw-0")
