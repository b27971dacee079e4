"""AppState: first run, unlock, lock on idle and when hidden, remembered choices."""

from __future__ import annotations

import pytest

from fieldapp.domain import Observation
from tests.support.pins import PIN
from views.state import DEFAULT_IDLE_MINUTES, AppState


def test_first_run_needs_setup_and_the_pin_twice(app):
    assert app.needs_setup()
    assert app.create_logbook(PIN, "482914") == "PIN-kodene er ikke like."
    assert not app.is_unlocked and app.needs_setup()
    assert app.create_logbook(PIN, PIN) is None
    assert app.is_unlocked and not app.needs_setup()


def test_a_weak_pin_is_refused_in_bokmal(app):
    assert app.create_logbook("123456", "123456") == (
        "For lett å gjette: PIN-koden er en tallrekke. Velg en annen.")
    assert app.create_logbook("12", "12").startswith("For kort")
    assert not app.is_unlocked


def test_wrong_pin_says_attempts_left_then_the_delay(unlocked, factory, clock):
    unlocked.lock("user")
    app = AppState(factory, monotonic=clock.monotonic, now=clock.now)
    messages = [app.unlock("000000") for _ in range(5)]
    assert messages[0] == "Feil PIN. 4 forsøk igjen."
    assert messages[3] == "Feil PIN. 1 forsøk igjen."
    assert messages[4].endswith("Vent 30 sekunder.")
    assert app.unlock(PIN).startswith("For mange feil forsøk. Vent")  # no attempt is made
    assert not app.is_unlocked


def test_unlock_opens_and_lock_drops_the_logbook(unlocked):
    logbook = unlocked.logbook
    logbook.add(Observation(place="Ålgård stasjon"))
    events = []
    unlocked.subscribe(events.append)
    assert unlocked.lock("user") is True
    assert unlocked.logbook is None and not logbook.is_open
    assert events == ["locked"]
    assert unlocked.lock("user") is False  # twice is harmless
    assert unlocked.unlock("") == "Skriv inn PIN-koden."
    assert unlocked.unlock(PIN) is None
    assert unlocked.logbook.count(Observation) == 1
    assert events[-1] == "unlocked" and "busy" in events


@pytest.mark.parametrize("state", ["hide", "pause", "detach", "HIDE"])
def test_hiding_the_app_locks_it(unlocked, state):
    events = []
    unlocked.subscribe(events.append)
    assert unlocked.on_lifecycle(state) is True
    assert not unlocked.is_unlocked and unlocked.locked_reason == "hidden"
    assert events == ["locked"]


@pytest.mark.parametrize("state", ["show", "resume", "inactive", "restart"])
def test_showing_or_a_passing_focus_loss_does_not_lock(unlocked, state):
    assert unlocked.on_lifecycle(state) is False
    assert unlocked.is_unlocked


def test_idle_time_locks_and_activity_postpones_it(unlocked, clock):
    assert unlocked.idle_minutes == DEFAULT_IDLE_MINUTES
    clock.seconds += DEFAULT_IDLE_MINUTES * 60 - 1
    assert unlocked.check_idle() is False
    unlocked.touch()
    clock.seconds += DEFAULT_IDLE_MINUTES * 60 - 1
    assert unlocked.check_idle() is False
    clock.seconds += 1
    assert unlocked.check_idle() is True
    assert unlocked.locked_reason == "idle" and not unlocked.is_unlocked


def test_idle_lock_waits_while_the_pin_is_being_derived(unlocked, clock):
    unlocked.busy = True
    clock.seconds += 3600
    assert unlocked.check_idle() is False
    unlocked.busy = False
    assert unlocked.check_idle() is True


def test_settings_survive_a_lock(unlocked, clock):
    unlocked.set_idle_minutes(1)
    unlocked.set_language("en")
    unlocked.set_theme("dark")
    unlocked.last_place = "  Ålgård stasjon "
    unlocked.last_school = "Gjesdal ungdomsskole"
    unlocked.lock("user")
    unlocked.lang, unlocked.idle_minutes, unlocked.theme = "nb", 5, "system"
    assert unlocked.last_place == ""  # nothing readable while locked
    assert unlocked.unlock(PIN) is None
    assert (unlocked.lang, unlocked.idle_minutes, unlocked.theme) == ("en", 1, "dark")
    assert unlocked.last_place == "Ålgård stasjon"
    assert unlocked.last_school == "Gjesdal ungdomsskole"
    assert unlocked.t("pin.mismatch") == "The PINs do not match."
    clock.seconds += 61
    assert unlocked.check_idle() is True


def test_unsupported_choices_are_refused(unlocked):
    for call, value in ((unlocked.set_idle_minutes, 7), (unlocked.set_language, "sv"),
                        (unlocked.set_theme, "pink")):
        with pytest.raises(ValueError):
            call(value)


def test_change_pin(unlocked, factory, clock):
    assert unlocked.change_pin(PIN, "739164", "739165") == "PIN-kodene er ikke like."
    assert unlocked.change_pin("000000", "739164", "739164").startswith("Feil PIN")
    assert unlocked.change_pin(PIN, "739164", "739164") is None
    unlocked.lock("user")
    assert unlocked.unlock(PIN).startswith("Feil PIN")
    assert unlocked.unlock("739164") is None


def test_a_listener_that_fails_does_not_stop_the_lock(unlocked):
    def broken(event):
        raise RuntimeError("screen gone")

    unlocked.subscribe(broken)
    assert unlocked.lock("idle") is True
    assert not unlocked.is_unlocked


def test_records_changing_are_told_to_listeners(unlocked):
    events = []
    unlocked.subscribe(events.append)
    unlocked.logbook.add(Observation(place="Ålgård stasjon"))
    assert "changed" in events


class Notes:
    def __init__(self):
        self.sent = []

    def notify(self, title, message):
        self.sent.append((title, message))
        return True


def test_due_actions_are_notified_once_a_day_by_count_only(unlocked, clock):
    from datetime import timedelta

    from fieldapp.domain import FollowUpAction, FollowUpCase

    notes = Notes()
    unlocked.ports.notifier = notes
    unlocked.logbook.add(FollowUpCase(
        person_name="Ola Nordmann", concern="Bekymring", opened_at=clock.now(),
        actions=[FollowUpAction(description="Ring Kari Nordmann", due_date=clock.now().date())]))
    unlocked.lock("user")
    assert unlocked.unlock(PIN) is None
    assert notes.sent == [
        ("Politikontakt", "1 oppfølgingstiltak forfaller i dag eller har forfalt.")]
    unlocked.lock("user")
    assert unlocked.unlock(PIN) is None
    assert len(notes.sent) == 1  # not again the same day
    clock.wall += timedelta(days=1)
    assert unlocked.notify_due_actions() is True
    assert "Nordmann" not in repr(notes.sent)


def test_nothing_due_means_no_notification(unlocked):
    notes = Notes()
    unlocked.ports.notifier = notes
    assert unlocked.notify_due_actions() is False
    assert notes.sent == []
