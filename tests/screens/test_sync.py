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
    assert ui.text("sync-not-enrolled") == "Ikke registrert hos kommunen"
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
    assert ui.text("sync-enrol-message") == "Fyll inn både serveradresse og engangskode."
    assert ui.find("sync-enrol-message").content.color == "error"


@pytest.mark.parametrize("url", ["http://slt.gjesdal.kommune.no", "ftp://slt.gjesdal.kommune.no"])
def test_enrol_refuses_an_address_that_is_not_https(ui, lb, url):
    ui.open("/synk")
    ui.type("sync-url", url)
    ui.type("sync-code", "ABCD-EFGH")
    ui.tap("sync-enrol")
    assert ui.text("sync-enrol-message") == (
        "Adressen må begynne med https:// (http:// bare til denne maskinen).")
    assert ui.has("sync-not-enrolled")


def test_sync_now_when_not_enrolled_says_so(ui):
    ui.open("/synk")
    ui.tap("sync-now")
    assert ui.text("sync-message") == (
        "Ingenting ble sendt. Telefonen er ikke registrert hos kommunen ennå.")
    assert ui.find("sync-message").content.color == "error"
    assert not ui.has("sync-progress") and ui.text("sync-now") == "Synk nå"


def test_a_consented_case_says_it_goes_only_when_the_officer_taps_sync_now(lb, screens, clock):
    _enrolled(lb)
    cid = records.case(lb, clock.now() - timedelta(days=2))
    records.consent(lb, cid, clock.now() - timedelta(days=1))
    records.observation(lb, clock.now())
    ui = screens("/synk")
    items = [ui.text(i) for i in ui.idents("sync-item-")]
    case = next(t for t in items if t.startswith("U18-sak"))
    assert "Sendes til Gjesdal kommune" in case
    assert "Sendes bare når du trykker «Synk nå», ikke automatisk" in case
    observation = next(t for t in items if t.startswith("Observasjon"))
    assert "ikke automatisk" not in observation


def test_the_sentence_after_a_run_says_exactly_what_happened():
    from datetime import UTC, datetime

    from sync.client import FailedRecord, SyncReport, WithheldRecord
    from views.strings import text
    from views.sync.presenter import last_run_text, outcome_text

    def t(key, **params):
        return text(key, "nb", **params)

    at = datetime(2026, 3, 11, 9, 30, tzinfo=UTC)
    down = SyncReport(started_at=at, failed=[FailedRecord(f"r{i}", "observation", "unreachable")
                                             for i in range(4)],
                      errors={"1122": "unreachable"})
    assert outcome_text(t, "nb", down) == (
        "Ingenting ble sendt. 4 venter og prøves igjen automatisk. Fikk ikke kontakt med "
        "kommunen. Prøv igjen når du har nett.")
    assert outcome_text(t, "nb", SyncReport(started_at=at)) == "Ingenting nytt å sende."
    some = SyncReport(started_at=at, sent=["a"],
                      withheld=[WithheldRecord("b", "follow_up_case", "u18_no_consent")])
    assert outcome_text(t, "nb", some) == (
        "Ferdig: 1 registrering sendt. 1 blir på telefonen (se hvorfor under).")
    summary = down.summary()
    assert last_run_text(t, summary).startswith("Siste forsøk ")
    assert last_run_text(t, summary).endswith(": 0 sendt, 4 ikke sendt")
    assert last_run_text(t, some.summary()).startswith("Sist synket ")


def test_free_text_marked_free_of_personal_data_is_not_called_personal_data(lb, screens,
                                                                            clock):
    from fieldapp.domain import Observation
    _enrolled(lb)
    lb.add(Observation(place="Torget", note="Rolig kveld", text_free_of_personal=True,
                       observed_at=clock.now(), municipality="1122"))
    ui = screens("/synk")
    [item] = [ui.text(i) for i in ui.idents("sync-item-")]
    assert "Fritekst som sendes, merket fri for personopplysninger: Notat" in item
    assert "Personopplysninger som sendes" not in item and "lovhjemmel" not in item
