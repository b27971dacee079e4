"""First run (choose a PIN twice) and unlock: the lock guard, the sentences under the PIN field,
locking from the app bar, when hidden and when idle."""

from __future__ import annotations

from fieldapp.domain import FollowUpCase
from tests.support.pins import PIN
from views.state import DEFAULT_IDLE_MINUTES


def test_first_run_shows_setup_whatever_route_was_asked(screens):
    ui = screens("/u18", unlocked=False)
    assert ui.route == "/setup" and ui.title == "Ny loggbok"
    assert ui.has("pin-1") and ui.has("pin-2") and ui.has("pin-create")
    assert not ui.has("nav-back") and not ui.has("nav-lock")
    assert not ui.has("pin-error")


def test_setup_refuses_two_different_pins(screens):
    ui = screens(unlocked=False)
    ui.type("pin-1", PIN)
    ui.type("pin-2", "482914")
    ui.tap("pin-create")
    assert ui.text("pin-error") == "PIN-kodene er ikke like."
    assert ui.field("pin-1").value == "" and ui.field("pin-2").value == ""  # typed again
    assert not ui.app.is_unlocked and ui.route == "/setup"


def test_setup_says_why_the_pin_policy_refuses_a_pin(screens):
    ui = screens(unlocked=False)
    for pin, sentence in (
            ("12345", "For kort: bruk minst 6 sifre eller en passfrase på minst 8 tegn."),
            ("123456", "For lett å gjette: PIN-koden er en tallrekke. Velg en annen."),
            ("111111", "For lett å gjette: det er samme tegn gjentatt. Velg en annen."),
            ("passord1", "For lett å gjette: det er et vanlig passord. Velg en annen.")):
        ui.type("pin-1", pin)
        ui.type("pin-2", pin)
        ui.tap("pin-create")
        assert ui.text("pin-error") == sentence, pin
        assert pin not in ui.text("pin-error")  # the sentence never repeats the PIN
    assert not ui.app.is_unlocked


def test_setup_with_a_good_pin_opens_home(screens):
    ui = screens(unlocked=False)
    ui.type("pin-1", PIN)
    ui.type("pin-2", PIN)
    ui.tap("pin-create")
    assert ui.app.is_unlocked and ui.route == "/" and ui.title == "I dag"
    assert ui.text("home-observations") == "Observasjoner i dag: 0"


def test_the_passphrase_switch_gives_the_full_keyboard(screens):
    ui = screens(unlocked=False)
    assert str(ui.field("pin-1").keyboard_type.value) == "number"
    ui.check("pin-passphrase")
    assert [str(ui.field(f).keyboard_type.value) for f in ("pin-1", "pin-2")] == ["text"] * 2


def test_the_lock_button_locks_and_shows_unlock(ui):
    ui.tap("nav-lock")
    assert not ui.app.is_unlocked
    assert ui.route == "/unlock" and ui.title == "Lås opp"
    assert ui.has("pin") and not ui.has("pin-error")


def test_unlock_with_a_wrong_pin_counts_down_then_the_right_pin_opens(ui):
    ui.tap("nav-lock")
    ui.type("pin", "000000")
    ui.tap("pin-unlock")
    assert ui.text("pin-error") == "Feil PIN. 4 forsøk igjen."
    ui.type("pin", "000001")
    ui.submit("pin")  # Enter works as the button does
    assert ui.text("pin-error") == "Feil PIN. 3 forsøk igjen."
    ui.type("pin", PIN)
    ui.tap("pin-unlock")
    assert ui.app.is_unlocked and ui.route == "/"


def test_unlock_with_nothing_typed_asks_for_the_pin(ui):
    ui.tap("nav-lock")
    ui.tap("pin-unlock")
    assert ui.text("pin-error") == "Skriv inn PIN-koden."


def test_locked_app_shows_unlock_for_any_route(ui):
    ui.tap("nav-lock")
    for route in ("/", "/u18", "/settings", "/setup", "/nowhere"):
        ui.open(route)
        assert ui.route == "/unlock", route


def test_records_are_there_again_after_lock_and_unlock(ui, lb):
    ui.tap("home-observation")
    ui.tap("obs-categories-alcohol")
    ui.type("obs-place", "Ålgård stasjon")
    ui.tap("obs-save")
    ui.tap("nav-lock")
    ui.type("pin", PIN)
    ui.tap("pin-unlock")
    assert ui.text("home-observations") == "Observasjoner i dag: 1"


def test_hiding_the_app_locks_it_and_says_why(ui):
    ui.lifecycle("hide")
    assert not ui.app.is_unlocked and ui.route == "/unlock"
    assert ui.shows("Låst fordi appen ble skjult.")


def test_idle_time_locks_and_says_why(ui, clock):
    clock.seconds += DEFAULT_IDLE_MINUTES * 60 + 1
    assert ui.app.check_idle()  # what the idle watcher does every few seconds
    ui.settle()
    assert ui.route == "/unlock" and ui.shows("Låst etter inaktivitet.")


def test_a_half_filled_form_comes_back_after_the_idle_lock(ui, clock):
    """A case half-typed when the idle time runs out: the unlock returns to it, filled in
    again (text and chips), and the draft is sealed in the logbook only until then."""
    ui.open("/u18/new")
    ui.type("case-person_name", "Ola Nordmann")
    ui.type("case-concern", "Skulker skolen, sett sammen med eldre ungdom")
    ui.tap("case-services-skole")
    clock.seconds += DEFAULT_IDLE_MINUTES * 60 + 1
    assert ui.app.check_idle()
    ui.settle()
    assert ui.route == "/unlock"
    assert _kept_draft(ui) == {"route": "/u18/new", "values": {
        "case-person_name": "Ola Nordmann",
        "case-concern": "Skulker skolen, sett sammen med eldre ungdom",
        "case-services-skole": True}}
    ui.type("pin", PIN)
    ui.tap("pin-unlock")
    assert ui.route == "/u18/new"
    assert ui.field("case-person_name").value == "Ola Nordmann"
    assert ui.field("case-concern").value == "Skulker skolen, sett sammen med eldre ungdom"
    assert ui.find("case-services-skole").selected
    assert "Skjemaet du holdt på med, er fylt inn igjen." in ui.toasts()
    assert ui.app.logbook.preferences.draft is None
    ui.tap("case-save")  # the restored values are what is saved
    [case] = ui.app.logbook.list(FollowUpCase)
    assert case.person_name == "Ola Nordmann" and case.services == {"skole"}


def test_no_draft_without_changes_and_never_a_pin(ui):
    ui.open("/observation/new")
    ui.tap("nav-lock")
    assert _kept_draft(ui) is None
    ui.type("pin", PIN)
    ui.tap("pin-unlock")
    assert ui.route == "/"
    ui.open("/settings")
    ui.type("pin-change-0", PIN)  # a PIN field is never kept
    ui.tap("nav-lock")
    assert _kept_draft(ui) is None


def _kept_draft(ui):
    """The draft in the locked logbook, read through a second opening of it."""
    peek = ui.app.factory.open(PIN)
    try:
        return peek.preferences.draft
    finally:
        peek.close()
