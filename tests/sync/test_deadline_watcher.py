"""One watcher thread looks after every call in flight (sync/deadline.py): each call's
blocking read still ends at its own deadline or cancel, a call that has ended is never fired
afterwards, and no thread is started per call."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest

from sync.deadline import Watch
from sync.errors import Cancelled, TimedOut


def _blocked_read(watch: Watch, out: dict, name: str) -> None:
    """A read that only the watcher can end (nothing is ever written to the other end)."""
    ours, theirs = socket.socketpair()
    started = time.monotonic()
    with watch:
        watch.track(ours)
        with contextlib.suppress(OSError):
            ours.recv(1)  # ends with b"" once the watcher shuts the socket down
    out[name] = time.monotonic() - started
    ours.close()
    theirs.close()


def test_two_calls_in_flight_each_end_at_their_own_deadline():
    now = time.monotonic()
    short, long = Watch(now + 0.2, lambda: False), Watch(now + 0.7, lambda: False)
    out: dict = {}
    threads = [threading.Thread(target=_blocked_read, args=(w, out, n))
               for w, n in ((short, "short"), (long, "long"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=5)
    assert 0.15 < out["short"] < 0.6 and 0.6 < out["long"] < 1.5, out
    assert isinstance(short.fired, TimedOut) and isinstance(long.fired, TimedOut)
    watchers = [t for t in threading.enumerate() if t.name == "sync-watch"]
    assert len(watchers) == 1


def test_a_cancel_ends_a_call_in_flight_after_its_grace(monkeypatch):
    monkeypatch.setattr("sync.deadline.CANCEL_GRACE", 0.1)
    cancelled = threading.Event()
    watch = Watch(time.monotonic() + 30, cancelled.is_set)
    out: dict = {}
    reader = threading.Thread(target=_blocked_read, args=(watch, out, "read"))
    reader.start()
    time.sleep(0.1)
    cancelled.set()
    reader.join(timeout=5)
    assert out["read"] < 2 and isinstance(watch.fired, Cancelled)


def test_a_call_that_has_ended_is_never_fired_afterwards():
    ends_at = time.monotonic() + 0.15
    watch = Watch(ends_at, lambda: False)
    ours, theirs = socket.socketpair()
    with watch:
        watch.track(ours)
        theirs.sendall(b"x")
        assert ours.recv(1) == b"x"  # the reply came in time
    time.sleep(0.4)                   # its deadline passes after the call
    assert watch.fired is None
    watch.raise_fired()
    theirs.sendall(b"y")
    assert ours.recv(1) == b"y"       # its socket was never shut down
    ours.close()
    theirs.close()


def test_a_cancel_before_the_call_stops_it_at_once():
    watch = Watch(time.monotonic() + 30, lambda: True)
    with pytest.raises(Cancelled):
        watch.raise_due()
