"""A day on patrol, in the real web client against the municipal backend on loopback. The
steps run in order on one page, each with screenshots (``artifacts/screenshots``):

first run (the PIN twice) → the first-run guide → Gjesdal's preset and a second school →
check-in at a chosen school, check-out with roles, topics and a follow-up → quick-add at a new
place (3 taps at the place just used) → a U18 case with a long action and a consent → a
callout logged and then corrected → enrolment and sync with the preview → the evaluation
report saved and downloaded → a half-typed form kept over the lock, wrong PIN, right PIN →
what was typed, read back from the sealed logbook on disk.

The details of each screen (every error, every state) are in the fast screen tests
(``tests/screens``); this journey proves the same in Chromium, with Flutter's text input,
real taps, the real sealed logbook and the real backend.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from datetime import timedelta

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from fieldapp import Logbook
from fieldapp.domain import CrisisCallout, Observation
from tests.support.backend import BackendProcess, server_cli
from tests.support.pins import PIN

from .conftest import WAIT_MS

pytestmark = pytest.mark.e2e

MAX_QUICK_ADD_TAPS = 3
SCHOOLS = "Gjesdal ungdomsskole, Ålgård ungdomsskole"


@pytest.fixture(scope="module")
def kommune(tmp_path_factory):
    """Gjesdal's backend: one enrolment code, municipality 1122."""
    db = tmp_path_factory.mktemp("kommune") / "kommune.sqlite3"
    code = server_cli("enrol", "--db", db, "--device", "telefon-e2e",
                      check=True).stdout.strip().splitlines()[-1]
    server_cli("config", "--db", db, "--municipality", "1122", check=True)
    server = BackendProcess(db, stderr=subprocess.DEVNULL).start(municipality=None, timeout=30)
    yield server.url, code, db
    server.stop()


def _kinds(db) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(kind for (kind,) in conn.execute("SELECT DISTINCT kind FROM records"))


def test_first_run_asks_for_the_pin_twice_then_guides(ui):
    ui.wait("pin-1")
    ui.shot("01-first-run")
    ui.fill("pin-1", PIN)
    ui.fill("pin-2", "482914")
    ui.tap("pin-create")
    assert "ikke like" in ui.text("pin-error")
    ui.fill("pin-1", PIN)
    ui.fill("pin-2", PIN)
    ui.tap("pin-create")
    ui.wait("home-guide", timeout=60_000)
    assert "Observasjoner i dag: 0" in ui.text("home-observations")
    ui.shot("02-home-first-run-guide")


def test_the_guide_leads_to_the_municipality_agreement_and_schools(ui):
    ui.tap("home-guide-municipality")
    ui.tap("preset-gjesdal")  # the municipality with its signed agreement and its school
    ui.see("Gjesdal ungdomsskole")
    ui.fill("municipality-0-schools", SCHOOLS)
    ui.tap("municipality-0-schools-save")
    ui.see("Ålgård ungdomsskole")
    ui.shot("03-settings-gjesdal")
    ui.tap("nav-back")
    ui.wait("home-observation")
    ui.settle()
    assert ui.page.locator('[flt-semantics-identifier="home-guide"]').count() == 0
    ui.shot("04-home-set-up")


def test_check_in_at_a_chosen_school_and_out(ui):
    assert "Gjesdal ungdomsskole" in ui.text("home-check-in")
    assert "Ålgård ungdomsskole" in ui.text("home-check-in-1")  # each school named, one tap
    ui.tap("home-check-in-1")
    ui.see("Sjekket inn på Ålgård ungdomsskole")
    ui.wait("home-check-out")
    assert "Ålgård ungdomsskole" in ui.text("home-checked-in")
    ui.shot("05-home-checked-in")
    ui.tap("home-check-out")
    ui.fill("visit-contacts_met", "Rektor Hansen")
    ui.tap("visit-contact_roles-rektor")
    ui.tap("visit-topics-alcohol")
    ui.fill("visit-agreed_follow_up", "Foreldremøte om rus i 9. trinn")
    ui.shot("06-visit-form")
    ui.tap("visit-save")
    ui.see("Skolebesøk lagret")
    ui.see("Alkohol")
    ui.shot("07-school-visits")
    ui.tap("nav-back")
    ui.wait("home-check-in")
    assert "Til stede denne uken: 1 av 1 dag" in ui.text("home-presence")


def test_quick_add_at_a_new_place_then_in_three_taps(ui):
    ui.tap("home-observation")
    ui.tap("obs-categories-unrest")
    ui.fill("obs-youth_count", "7")
    ui.tap("obs-save")
    ui.see("Sted må fylles ut.")
    ui.shot("08-observation-place-required")
    ui.fill("obs-place", "Ålgård stasjon")  # the count typed before the refusal is kept
    ui.tap("obs-save")
    ui.see("Observasjon lagret")
    ui.wait("home-observation")
    ui.tap("home-observation")  # a new place: typed over the one just used
    ui.fill("obs-place", "Gjesdal sentrum")
    ui.tap("obs-categories-drugs")
    assert "Rus- og kriminalitetsforebygging" in ui.content("obs-priority_area-rus_krim_u18")
    ui.tap("obs-priority_area-ungdomsmiljo")  # linked to one of Gjesdal's priority areas
    ui.tap("obs-save")
    ui.see("Observasjon lagret")
    ui.wait("home-observation")
    ui.taps = 0
    ui.tap("home-observation")
    ui.tap("obs-categories-alcohol")  # still at the place just used: nothing to type
    ui.shot("09-observation-quick-add")
    ui.tap("obs-save")
    ui.see("Observasjon lagret")
    assert ui.taps <= MAX_QUICK_ADD_TAPS, f"quick-add took {ui.taps} taps"
    assert "Observasjoner i dag: 3" in ui.text("home-observations")
    ui.tap("home-observations-list")
    ui.see("Uro · 7 ungdommer")
    assert ui.page.get_by_text("Gjesdal sentrum").count() == 2
    assert ui.page.get_by_text("Ålgård stasjon").count() == 1
    ui.shot("10-observations")
    ui.tap("nav-back")


def test_u18_case_with_a_long_action_and_a_consent(ui):
    ui.tap("home-u18")
    ui.tap("case-new")
    ui.fill("case-person_name", "Ola Nordmann")
    ui.fill("case-concern", "Sett sammen med eldre ungdom ved stasjonen flere kvelder.")
    ui.fill("case-birth_date", "01.02.2011")
    ui.tap("case-services-barnevern")
    ui.shot("11-u18-new-case")
    ui.tap("case-save")
    ui.see("Saken er lagret")
    ui.see("Taushetsbelagt")
    ui.tap("action-new")
    ui.fill("action-description", "Samtale med foresatte og skolen om oppfølging etter "
                                  "helgens hendelse ved stasjonen")
    ui.fill("action-due_date", "01.01.2020")
    ui.tap("action-add")
    ui.see("Tiltak lagt til")
    # a long action wraps onto more lines at a readable size; it is never shrunk into one
    assert ui.wait("action-0").bounding_box()["height"] > 60
    ui.tap("consent-add")
    ui.fill("consent-given_by", "Kari Nordmann")
    ui.tap("consent-given_by_role-guardian")
    ui.tap("consent-recipients-slt")
    ui.fill("consent-purpose", "Samordnet oppfølging i SLT")
    ui.tap("consent-save")
    ui.see("Samtykke lagret")
    assert ui.text("consent-status-0") == "Gjelder"
    assert "Mottakere: SLT" in ui.content("consent-0")
    ui.shot("12-u18-case")
    assert (ui.small_targets(), ui.unnamed_targets()) == ([], [])
    ui.tap("nav-back")
    ui.wait("case-0")
    ui.tap("nav-back")
    assert "1 oppfølgingstiltak forfaller" in ui.text("home-actions")


def test_a_callout_logged_then_corrected(ui):
    ui.tap("home-crisis")
    assert "Registrer innkalling" in ui.text("callout-new")
    ui.tap("callout-new")
    ui.see("Innkalling registrert")
    ui.tap("callout-event_type-flood")
    ui.tap("callout-arrived")
    ui.see("Tidspunkt lagret")
    ui.shot("13-callout-logged")
    # logged after the fact: the call came at 08:00, the arrival was 08:25
    ui.fill("callout-called_at_time", "08:00")
    ui.fill("callout-arrived_at_day", ui.field_value("callout-called_at_day"))
    ui.fill("callout-arrived_at_time", "08:25")
    ui.tap("callout-save")
    ui.see("Innkalling lagret")
    ui.see("Responstid: 25 min")
    ui.shot("14-callout-corrected")
    assert (ui.small_targets(), ui.unnamed_targets()) == ([], [])
    ui.tap("nav-back")
    ui.see("Flom")
    ui.tap("nav-back")


def test_enrol_preview_and_sync_now(ui, kommune):
    url, code, db = kommune
    ui.tap("home-synk")
    ui.wait("sync-not-enrolled")
    assert "Blir på telefonen" in ui.content("sync-item-0")
    ui.fill("sync-url", url)
    ui.fill("sync-code", code)
    ui.tap("sync-enrol")
    ui.wait("sync-enrolment-0", timeout=60_000)
    assert "Telefonen er registrert hos" in ui.content("sync-enrol-message")
    ui.see("Sendes bare når du trykker «Synk nå», ikke automatisk")  # the consented case
    ui.shot("15-sync-preview")
    ui.tap("sync-now")
    ui.see("Ferdig:", timeout=60_000)
    assert re.search(r"Ferdig: \d+ registreringe?r? sendt", ui.text("sync-message"))
    ui.see("Ingenting venter på synk.")
    assert "0 registreringer venter" in ui.text("sync-pending")
    ui.shot("16-sync-sent")
    assert {"consent", "crisis_callout", "follow_up_case", "observation",
            "school_visit"} <= set(_kinds(db))
    ui.tap("nav-back")
    ui.wait("home-observation")


def test_the_report_is_saved_and_downloaded(ui):
    ui.tap("home-evaluation")
    ui.wait("report-counting")
    assert "Tellingen starter" in ui.text("report-counting")
    ui.shot("17-report")
    ui.tap("report-export-pdf")
    assert "Lagret som evaluering-1122-" in ui.content("report-exported")
    with ui.page.expect_download(timeout=WAIT_MS) as download:
        ui.tap("report-share")
    assert download.value.suggested_filename.startswith("evaluering-1122-")
    ui.shot("18-report-shared")
    ui.tap("nav-back")
    ui.wait("home-observation")


def test_a_half_typed_form_is_kept_over_the_lock(ui):
    ui.tap("home-observation")
    ui.fill("obs-place", "Skolegården")
    ui.tap("nav-lock")
    ui.wait("pin")
    ui.fill("pin", "000000")
    ui.tap("pin-unlock")
    message = ui.text("pin-error")
    assert re.fullmatch(r"Feil PIN\. \d forsøk igjen\.", message), message
    ui.shot("19-unlock-wrong-pin")
    ui.fill("pin", PIN)
    ui.tap("pin-unlock")
    try:
        ui.wait("obs-save", timeout=20_000)
    except PlaywrightTimeout:
        # Typed within milliseconds of the error appearing, the keystrokes can land before
        # the emptied field is back in the page; the app then asks for the PIN (it never
        # unlocks with a wrong one), and typing it once more must unlock.
        assert ui.text("pin-error") == "Skriv inn PIN-koden."
        ui.fill("pin", PIN)
        ui.tap("pin-unlock")
        ui.wait("obs-save", timeout=60_000)
    ui.see("Skjemaet du holdt på med, er fylt inn igjen.")
    ui.shot("20-draft-back-after-unlock")
    ui.tap("obs-save")  # what was typed before the lock is what is saved
    ui.see("Observasjon lagret")
    ui.wait("home-observation")
    assert "Observasjoner i dag: 4" in ui.text("home-observations")
    ui.tap("home-observations-list")
    ui.see("Skolegården")
    ui.tap("nav-back")


def test_the_sealed_logbook_holds_what_was_typed(ui, app_server, monkeypatch):
    app_server.stop()
    monkeypatch.setenv("POLITIKONTAKT_KEYSTORE_DIR", str(app_server.data_root / "keystore"))
    lb = Logbook.open(app_server.data_root / "data", PIN)
    try:
        observations = lb.list(Observation)
        [callout] = lb.list(CrisisCallout)
        draft = lb.preferences.draft
    finally:
        lb.close()
    assert sorted((o.place, o.priority_area, o.youth_count) for o in observations) == [
        ("Gjesdal sentrum", "", None), ("Gjesdal sentrum", "ungdomsmiljo", None),
        ("Skolegården", "", None), ("Ålgård stasjon", "", 7)]
    # the form is to the minute: typing the time it already shows (the journey run at 08:00)
    # keeps the seconds of the moment the callout was registered
    minute = {"second": 0, "microsecond": 0}
    assert callout.arrived_at.replace(**minute) - callout.called_at.replace(**minute) \
        == timedelta(minutes=25)
    assert draft is None  # taken when the form was filled in again
