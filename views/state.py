"""AppState: the one source of truth of the field UI (no flet here, so tests need no client).

It holds the open Logbook (None while locked), the language, the idle timer and the officer's
last school and place; it opens, creates and locks the logbook and tells listeners::

    app = AppState(factory, ports)
    app.unlock("482913")          -> None, or the sentence to show next to the PIN field
    app.lock("idle" | "hidden" | "user" | "closed")
    app.subscribe(lambda event: ...)   # locked, unlocked, language, theme, busy, changed
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from fieldapp.device import DevicePorts
from fieldapp.domain import FollowUpCase
from fieldapp.domain.days import oslo_day
from fieldapp.domain.schedule import actions_due

from . import strings
from .lock.presenter import pin_error_text

if TYPE_CHECKING:
    from fieldapp import Logbook

log = logging.getLogger(__name__)

DRAFT_REASONS = ("idle", "hidden", "user")  # locks after which the officer comes back

DEFAULT_IDLE_MINUTES = 5
IDLE_CHOICES = (1, 2, 5, 10, 15)
THEMES = ("system", "light", "dark")
HIDDEN_STATES = frozenset({"hide", "pause", "detach"})


class LogbookFactory(Protocol):
    def exists(self) -> bool: ...
    def create(self, pin: str) -> Logbook: ...
    def open(self, pin: str) -> Logbook: ...


class AppState:
    def __init__(self, factory: LogbookFactory, ports: DevicePorts | None = None, *,
                 monotonic: Callable[[], float] = time.monotonic,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 lang: str = "nb"):
        self.factory = factory
        self.ports = ports or DevicePorts.null()
        self.monotonic = monotonic
        self.now = now
        self.lang = lang if lang in strings.LANGUAGES else "nb"
        self.logbook: Logbook | None = None
        self.idle_minutes = DEFAULT_IDLE_MINUTES
        self.theme = "system"
        self.busy = False
        self.last_activity = monotonic()
        self.locked_reason = ""
        self._guard = threading.RLock()
        self._listeners: list[Callable[[str], None]] = []
        self._unsubscribe: Callable[[], None] | None = None
        # The form left half-filled, read from the screen when the app locks (the router's)
        self.draft_source: Callable[[], dict[str, Any] | None] = lambda: None

    # -- texts -----------------------------------------------------------------------------

    def t(self, key: str, **params: object) -> str:
        return strings.text(key, self.lang, **params)

    def set_language(self, lang: str) -> None:
        if lang not in strings.LANGUAGES:
            raise ValueError("unknown language")
        self.lang = lang
        if self.logbook is not None:
            self.logbook.preferences.language = lang
        self._emit("language")

    def set_theme(self, theme: str) -> None:
        if theme not in THEMES:
            raise ValueError("unknown theme")
        self.theme = theme
        if self.logbook is not None:
            self.logbook.preferences.theme = theme
        self._emit("theme")

    # -- listeners ---------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[str], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, event: str) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception as exc:  # one broken screen must not stop the lock
                log.warning("listener failed on %s: %s", event, type(exc).__name__)

    # -- opening and locking -------------------------------------------------------------------

    @property
    def is_unlocked(self) -> bool:
        return self.logbook is not None and self.logbook.is_open

    def needs_setup(self) -> bool:
        return not self.factory.exists()

    def create_logbook(self, pin: str, repeated: str) -> str | None:
        """First run: make the logbook. Returns None, or the sentence saying what is wrong."""
        if pin != repeated:
            return self.t("pin.mismatch")
        return self._open_with(lambda: self.factory.create(pin))

    def unlock(self, pin: str) -> str | None:
        """Open the logbook with the PIN. Returns None, or the sentence to show."""
        if not pin:
            return self.t("pin.empty")
        return self._open_with(lambda: self.factory.open(pin))

    def _open_with(self, opener: Callable[[], Logbook]) -> str | None:
        self._set_busy(True)
        try:
            logbook = opener()
        except Exception as exc:
            return pin_error_text(exc, self.lang)
        finally:
            self._set_busy(False)
        with self._guard:
            if self.logbook is not None:
                self.logbook.close()
            self.logbook = logbook
            self._unsubscribe = logbook.subscribe(lambda event, key: self._emit("changed"))
            self._load_settings()
            self.touch()
        self._emit("unlocked")
        self.notify_due_actions()
        return None

    def notify_due_actions(self) -> bool:
        """Once a day, after unlocking: a phone notification with the number of follow-up
        actions due (a count only: notifications carry no personal data)."""
        try:
            today = oslo_day(self.now())
            if self.logbook is None or self.logbook.preferences.notified_on == today.isoformat():
                return False
            count = len(actions_due(self.logbook.list(FollowUpCase), today))
            if not count:
                return False
            self.logbook.preferences.notified_on = today.isoformat()
            return self.ports.notifier.notify(self.t("app.name"),
                                              self.t("notify.actions_due", count=count))
        except Exception as exc:  # a notification must never stand in the way of the app
            log.warning("due notification failed: %s", type(exc).__name__)
            return False

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._emit("busy")

    def lock(self, reason: str = "user") -> bool:
        """Close the logbook (drops the keys). Returns False when it was locked already. A
        form left half-filled is kept, sealed, for the next unlock (not when the session
        closes: then no one returns to it)."""
        with self._guard:
            logbook, self.logbook = self.logbook, None
            if logbook is None:
                return False
            if reason in DRAFT_REASONS:
                self._keep_draft(logbook)
            if self._unsubscribe is not None:
                self._unsubscribe()
                self._unsubscribe = None
            logbook.close()
            self.locked_reason = reason
        log.info("logbook locked (%s)", reason)
        self._emit("locked")
        return True

    def _keep_draft(self, logbook: Logbook) -> None:
        try:
            draft = self.draft_source()
            if draft is not None:
                logbook.preferences.draft = draft
        except Exception as exc:  # noqa: BLE001 - nothing may stand in the way of locking
            log.warning("draft not kept: %s", type(exc).__name__)

    def take_draft(self) -> dict[str, Any] | None:
        """The form kept at the last lock, removed from the logbook as it is taken."""
        if self.logbook is None:
            return None
        draft = self.logbook.preferences.draft
        if draft is not None:
            self.logbook.preferences.draft = None
        return draft

    def change_pin(self, old: str, new: str, repeated: str) -> str | None:
        if new != repeated:
            return self.t("pin.mismatch")
        if self.logbook is None:
            return self.t("pin.locked")
        self._set_busy(True)
        try:
            self.logbook.change_pin(old, new)
        except Exception as exc:
            return pin_error_text(exc, self.lang)
        finally:
            self._set_busy(False)
        return None

    # -- idle and lifecycle ----------------------------------------------------------------------

    def touch(self) -> None:
        """The officer did something: restart the idle timer."""
        self.last_activity = self.monotonic()

    def idle_seconds_left(self) -> float:
        return self.idle_minutes * 60 - (self.monotonic() - self.last_activity)

    def check_idle(self) -> bool:
        """Lock when the idle time has run out; True when this call locked."""
        if self.is_unlocked and not self.busy and self.idle_seconds_left() <= 0:
            return self.lock("idle")
        return False

    def on_lifecycle(self, state: str) -> bool:
        """The app's lifecycle changed (show, resume, inactive, hide, pause, detach...).
        Hidden, paused or detached: lock at once."""
        if str(state).lower() in HIDDEN_STATES:
            return self.lock("hidden")
        return False

    def set_idle_minutes(self, minutes: int) -> None:
        if minutes not in IDLE_CHOICES:
            raise ValueError("unsupported idle time")
        self.idle_minutes = minutes
        if self.logbook is not None:
            self.logbook.preferences.idle_minutes = minutes

    # -- remembered choices (kept in the sealed store) --------------------------------------------

    @property
    def last_school(self) -> str:
        return self.logbook.preferences.last_school if self.logbook is not None else ""

    @last_school.setter
    def last_school(self, value: str) -> None:
        if self.logbook is not None:
            self.logbook.preferences.last_school = value

    @property
    def last_place(self) -> str:
        return self.logbook.preferences.last_place if self.logbook is not None else ""

    @last_place.setter
    def last_place(self, value: str) -> None:
        if self.logbook is not None:
            self.logbook.preferences.last_place = value

    def schools(self) -> list[str]:
        """Every school of the municipalities served, in the configured order."""
        return self.logbook.served.schools() if self.logbook is not None else []

    def _load_settings(self) -> None:
        if self.logbook is None:
            return
        prefs = self.logbook.preferences
        self.lang = prefs.language if prefs.language in strings.LANGUAGES else self.lang
        theme = prefs.theme or self.theme
        self.theme = theme if theme in THEMES else "system"
        minutes = prefs.idle_minutes
        self.idle_minutes = minutes if minutes in IDLE_CHOICES else DEFAULT_IDLE_MINUTES
