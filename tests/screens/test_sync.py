"""Synk: not enrolled, what waits and what stays, the enrolment form's errors (no network:
a refused address fails before any socket opens), an enrolment and its last error."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sync.enrolment import Enrolment, save_enrolment
from tests.screens import records


def _enrolled(lb, *, last_error: str = "") -> None:
    save_enrolment(lb, Enrolment(
        url="https://slt.gjesdal.kommune.no", municipality="1122", recipient="slt",
        device_id="d-1", device_name="telefon-1", server_name="Gjesdal kommune",
        token="secret-token", last_error=last_error))


def test_not_enrolled_and_nothing_waiting(ui):
    ui.tap("home-synk")
    assert ui.title == "Synk"
    assert ui.text("sync-pending") == "0 registreringer venter på synk"
    assert ui.text("sync-not-enrolled") == "Ikke registrert mot kommunen"
    assert ui.text("sync-last") == "Ikke synket ennå"
    assert ui.shows("Ingenting venter på synk.") and not ui.idents("sync-item-")
    assert ui.shows("Registrer telefonen hos kommunen") and ui.has("sync-enrol")
    assert not ui.has("sync-progress") and not ui.has("sync-cancel")


def test_items_waiting_are_listed_with_where_they_go(lb, screens, clock):
    _enrolled(lb)
    records.observation(lb, clock.now())
    records.case(lb, clock.now() - timedelta(days=1))  # no consent: stays on the phone
    ui = screens("/synk")
    assert ui.text("sync-pending") == "2 registreringer venter på synk"
    assert ui.text("sync-enrolment-0") == "Registrert hos Gjesdal kommune"
    assert not ui.has("sync-not-enrolled")
    items = [ui.text(i) for i in ui.idents("sync-item-")]
    assert len(items) == 2
    assert any(t.startswith("Observasjon · Ålgård stasjon") and "Sendes til" in t
               for t in items)
    assert any(t.startswith("U18-sak") for t in items)
    assert "secret-token" not in "\n".join(ui.texts())
    assert ui.shows("Registrer hos en kommune til")


def test_the_last_error_is_said_in_plain_words(lb, screens):
    _enrolled(lb, last_error="unreachable")
    ui = screens("/synk")
    assert ("Siste forsøk: Fikk ikke kontakt med kommunen. Prøv igjen når du har nett."
            in ui.text("sync-enrolment-0"))


def test_enrol_needs_both_address_and_code(ui):
    ui.open("/synk")
    ui.type("sync-url", "https://slt.gjesdal.kommune.no")
    ui.tap("sync-enrol")
    assert ui.text("sync-message") == "Fyll inn både serveradresse og engangskode."


@pytest.mark.parametrize("url", ["http://slt.gjesdal.kommune.no", "ftp://slt.gjesdal.kommune.no"])
def test_enrol_refuses_an_address_that_is_not_https(ui, lb, url):
    ui.open("/synk")
    ui.type("sync-url", url)
    ui.type("sync-code", "ABCD-EFGH")
    ui.tap("sync-enrol")
    assert ui.text("sync-message") == (
        "Adressen må begynne med https:// (http:// bare til denne maskinen).")
    assert ui.has("sync-not-enrolled")


def test_sync_now_when_not_enrolled_says_so(ui):
    ui.open("/synk")
    ui.tap("sync-now")
    assert ui.text("sync-message") == (
        "Ferdig: 0 sendt, 0 blir på telefonen. Telefonen er ikke registrert hos kommunen ennå.")
    assert not ui.has("sync-progress") and ui.text("sync-now") == "Synk nå"
