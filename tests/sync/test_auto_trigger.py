"""A record saved wakes the background sync once saving settles; sync's own writes never do."""

from __future__ import annotations

from fieldapp import Logbook
from fieldapp.domain import Observation
from sync.auto import RecordTrigger


class Timers:
    """A stand-in for threading.Timer on a fake clock."""

    def __init__(self):
        self.now = 0.0
        self.pending: list[list] = []

    def __call__(self, delay, action):
        timers = self

        class Timer:
            def start(self):
                self.entry = [timers.now + delay, action, True]
                timers.pending.append(self.entry)

            def cancel(self):
                self.entry[2] = False

        return Timer()

    def advance(self, seconds):
        self.now += seconds
        for entry in list(self.pending):
            if entry[2] and entry[0] <= self.now:
                entry[2] = False
                entry[1]()


def test_a_burst_of_saves_makes_one_run_after_it_settles():
    timers, woken = Timers(), []
    lb = Logbook.in_memory()
    lb.subscribe(RecordTrigger(woken.append, settle=10, timer=timers).on_event)
    first = lb.add(Observation(place="Torget"))
    timers.advance(6)
    lb.add(Observation(place="Parken"))          # within the settle time: starts it again
    timers.advance(9)
    assert woken == []
    timers.advance(1)
    assert woken == ["record"]
    record = lb.get(first)
    record.note = "endret"
    lb.update(record)
    lb.delete(first)
    timers.advance(10)
    assert woken == ["record", "record"]


def test_sync_states_and_settings_do_not_wake_it():
    timers, woken = Timers(), []
    lb = Logbook.in_memory()
    rid = lb.add(Observation(place="Torget"))
    lb.subscribe(RecordTrigger(woken.append, settle=10, timer=timers).on_event)
    lb.sync_records.set_state(rid, "synced")
    lb.preferences.language = "en"
    timers.advance(60)
    assert woken == []


def test_cancel_drops_a_waiting_trigger():
    timers, woken = Timers(), []
    trigger = RecordTrigger(woken.append, settle=10, timer=timers)
    trigger.on_event("added", "x")
    trigger.cancel()
    timers.advance(60)
    assert woken == []
