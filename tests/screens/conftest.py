"""Fast screen tests: the real app composition (``views.app.mount``) on a real Flet Page,
with an in-process client (``client.FakeClient``) in place of the browser and an in-memory
logbook in place of the sealed store. A test takes milliseconds.

Fixtures:
    clock       AppClock (Wednesday 11 March 2026, 09:30 UTC) for the app and the logbook
    logbooks    MemoryLogbooks: the factory AppState opens and creates logbooks with
    app         AppState over ``logbooks``
    screens     a function: screens(route="/", unlocked=True, page={...}) -> ScreenDriver
    lb          the open Logbook (created with the test PIN): arrange records before a screen
    ui          screens() — unlocked, on Home
    synced      the sync triggers the app asked for (the background sync never runs here)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fieldapp import Logbook, LogbookExists, NoLogbook, WrongPin
from fieldapp.store import MemoryDatabase
from fieldapp.store.pin_policy import check_pin_policy
from tests.support.clocks import AppClock
from tests.support.pins import PIN
from views.state import AppState

from .driver import ScreenDriver

ATTEMPTS_BEFORE_DELAY = 5


class MemoryLogbooks:
    """The LogbookFactory over one in-memory logbook, with the store's PIN rules where a
    screen shows them: the real PIN policy on create, ``WrongPin`` with the attempts left on
    a wrong PIN. Locking closes the logbook; unlocking opens the same records again."""

    def __init__(self, clock: AppClock, pin: str | None = None):
        self.clock = clock
        self.pin = pin
        self.attempts_left = ATTEMPTS_BEFORE_DELAY
        self.db = MemoryDatabase()

    def exists(self) -> bool:
        return self.pin is not None

    def create(self, pin: str) -> Logbook:
        if self.pin is not None:
            raise LogbookExists()
        check_pin_policy(pin)
        self.pin = pin
        return self._open()

    def open(self, pin: str) -> Logbook:
        if self.pin is None:
            raise NoLogbook()
        if pin != self.pin:
            self.attempts_left = max(self.attempts_left - 1, 0)
            raise WrongPin(self.attempts_left)
        self.attempts_left = ATTEMPTS_BEFORE_DELAY
        return self._open()

    def _open(self) -> Logbook:
        # what Logbook.in_memory() builds, over a database that outlives a lock
        return Logbook(self.db, None, data_dir=None, clock=self.clock.now)


class QuietSync:
    """Stands in for sync.AutoSync in ``views.app.mount``: records the triggers, never runs
    (a background run would go to the network and race the test)."""

    triggers: list[str]

    def __init__(self, get_logbook: Any, **options: Any):
        self.get_logbook = get_logbook
        self.triggers = []
        self.started = self.stopped = False
        QuietSync.made.append(self)

    made: list[QuietSync] = []

    def start(self) -> None:
        self.started = True

    def trigger(self, reason: str = "manual") -> None:
        self.triggers.append(reason)

    def stop(self, timeout: float = 5.0) -> None:
        self.stopped = True


@pytest.fixture
def clock() -> AppClock:
    return AppClock()


@pytest.fixture
def logbooks(clock: AppClock) -> MemoryLogbooks:
    return MemoryLogbooks(clock)


@pytest.fixture
def app(logbooks: MemoryLogbooks, clock: AppClock) -> AppState:
    return AppState(logbooks, monotonic=clock.monotonic, now=clock.now)


@pytest.fixture
def synced(monkeypatch: pytest.MonkeyPatch) -> list[QuietSync]:
    import views.app  # noqa: PLC0415

    made: list[QuietSync] = []
    monkeypatch.setattr(QuietSync, "made", made)
    monkeypatch.setattr(views.app, "AutoSync", QuietSync)
    return made


@pytest.fixture
def screens(app: AppState, synced: list[QuietSync]) -> Iterator[Any]:
    """screens(route="/", unlocked=True, page=None) -> a ScreenDriver on the mounted app;
    ``unlocked`` creates the logbook with the test PIN first (as the setup screen does)."""
    drivers: list[ScreenDriver] = []

    def start(route: str = "/", *, unlocked: bool = True,
              page: dict[str, Any] | None = None) -> ScreenDriver:
        if unlocked and not app.is_unlocked:
            assert app.create_logbook(PIN, PIN) is None
        driver = ScreenDriver.mount(app, route=route, page=page)
        drivers.append(driver)
        return driver

    yield start
    for driver in drivers:
        driver.close()
    app.lock("closed")


@pytest.fixture
def lb(app: AppState) -> Logbook:
    if not app.is_unlocked:
        assert app.create_logbook(PIN, PIN) is None
    assert app.logbook is not None
    return app.logbook


@pytest.fixture
def ui(screens: Any) -> ScreenDriver:
    return screens()
