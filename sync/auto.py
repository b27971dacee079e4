"""Automatic sync in the background: at app start, when connectivity returns (the UI calls
``trigger("online")``), and again while records wait, with backoff after failures.

    auto = AutoSync(lambda: app.logbook, on_report=show)
    auto.start()            # one run right away
    auto.trigger("online")  # connectivity came back
    auto.stop()
    lb.subscribe(RecordTrigger(auto.trigger).on_event)   # a record saved: sync once it settles

Runs go through ``sync_now`` (single-flight), so a manual "Synk nå" and an automatic run never
overlap. Automatic runs respect each failed record's backoff and leave on the phone what would
carry personal fields out for the first time (the officer sends that from the Synk screen,
after its preview); manual runs do neither.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from fieldapp.logbook import Logbook

from .client import SyncReport, sync_now
from .enrolment import enrolments

log = logging.getLogger(__name__)

IDLE_INTERVAL = 15 * 60.0
RETRY_START = 30.0
RETRY_MAX = 15 * 60.0


class SyncRun(Protocol):
    """One sync run (``sync_now``) as the background sync calls it."""

    def __call__(self, lb: Logbook, *, respect_backoff: bool = ..., automatic: bool = ...,
                 cancel: Callable[[], bool] | None = ...) -> SyncReport: ...


class Timer(Protocol):
    """A one-shot timer (``threading.Timer``)."""

    def start(self) -> None: ...

    def cancel(self) -> None: ...


class AutoSync:
    def __init__(self, get_logbook: Callable[[], Logbook | None], *,
                 on_report: Callable[[SyncReport], None] | None = None,
                 run: SyncRun = sync_now, idle_interval: float = IDLE_INTERVAL,
                 retry_start: float = RETRY_START):
        self.get_logbook = get_logbook
        self.on_report = on_report or (lambda report: None)
        self.run = run
        self.idle_interval = idle_interval
        self.retry_start = retry_start
        self.delay = idle_interval
        self.failing = False
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="auto-sync", daemon=True)
            self._thread.start()
            self.trigger("start")

    def trigger(self, reason: str = "manual") -> None:
        log.info("sync.auto trigger=%s", reason)
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.delay)
            self._wake.clear()
            if self._stop.is_set():
                break
            self.run_once()

    def run_once(self) -> SyncReport | None:
        lb = self.get_logbook()
        if lb is None or not getattr(lb, "is_open", True) or not enrolments(lb):
            return None
        try:
            # stopping (the app closing) ends a run in progress, a read included
            report = self.run(lb, respect_backoff=True, automatic=True,
                              cancel=self._stop.is_set)
        except Exception as exc:  # noqa: BLE001 - a background run must never kill the app
            log.warning("sync.auto status=crashed error=%s", type(exc).__name__)
            self._failed()
            return None
        if report.errors or report.failed:
            self._failed()
        else:
            self.failing, self.delay = False, self.idle_interval
        self.on_report(report)
        return report

    def _failed(self) -> None:
        """Retry soon after a first failure, then back off (30 s, 1 min, … 15 min)."""
        self.delay = min(self.delay * 2, RETRY_MAX) if self.failing else self.retry_start
        self.failing = True


RECORD_EVENTS = frozenset({"added", "updated", "deleted"})
SETTLE = 10.0


class RecordTrigger:
    """A record added, edited or deleted wakes the sync once the officer has stopped saving
    for ``settle`` seconds (a burst of quick-adds makes one run). Sync's own writes (sync
    states, reference data) are not record events and never wake it. Whether a run happens is
    still AutoSync's rule: only while unlocked and enrolled."""

    def __init__(self, trigger: Callable[[str], None], *, settle: float = SETTLE,
                 timer: Callable[[float, Callable[[], None]], Timer] = threading.Timer):
        self._trigger = trigger
        self._settle = settle
        self._timer_factory = timer
        self._timer: Timer | None = None
        self._lock = threading.Lock()

    def on_event(self, event: str, key: str) -> None:
        if event not in RECORD_EVENTS:
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = self._timer_factory(self._settle, self._fire)
            if hasattr(self._timer, "daemon"):
                self._timer.daemon = True
            self._timer.start()

    def cancel(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def _fire(self) -> None:
        with self._lock:
            self._timer = None
        self._trigger("record")
