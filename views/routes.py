"""The one route tree of the app, the lock guard, and the Router that renders a route.

Routes carry record ids only, never names or other personal data.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import flet as ft

from fieldapp import LogbookClosed, RecordNotFound

from . import (
    agreement_view,
    crisis_view,
    followup_view,
    home_view,
    homeless_view,
    lock_view,
    meetings_view,
    observation_view,
    report_view,
    school_view,
    settings_view,
    sync_view,
)
from .shell import Body, Screen, frame

log = logging.getLogger(__name__)

SETUP, UNLOCK, HOME = "/setup", "/unlock", "/"


def _sync_screen(screen: Screen) -> Body:
    return Body(screen.t("sync.title"), [sync_view.build_sync_view(screen.app)])


@dataclass(frozen=True)
class Route:
    pattern: str
    build: Callable[[Screen], Body]
    public: bool = False  # shown while locked

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r":(\w+)", r"(?P<\1>[A-Za-z0-9-]+)", self.pattern) + "$")


ROUTES: tuple[Route, ...] = (
    Route(SETUP, lock_view.setup_screen, public=True),
    Route(UNLOCK, lock_view.unlock_screen, public=True),
    Route(HOME, home_view.home_screen),
    Route("/school", school_view.visit_list),
    Route("/school/checkin", school_view.checkin_screen),
    Route("/school/:id", school_view.visit_edit),
    Route("/observation", observation_view.observation_list),
    Route("/observation/new", observation_view.quick_add),
    Route("/observation/:id", observation_view.observation_edit),
    Route("/u18", followup_view.case_list),
    Route("/u18/new", followup_view.case_edit),
    Route("/u18/:id", followup_view.case_view),
    Route("/u18/:id/edit", followup_view.case_edit),
    Route("/u18/:id/consent", followup_view.consent_new),
    Route("/crisis", crisis_view.crisis_home),
    Route("/crisis/contact/new", crisis_view.contact_edit),
    Route("/crisis/contact/:id", crisis_view.contact_edit),
    Route("/crisis/callout/:id", crisis_view.callout_view),
    Route("/synk", _sync_screen),
    Route(homeless_view.ROUTE, homeless_view.homeless_screen),
    Route("/rapport", report_view.report_screen),
    Route("/moter", meetings_view.meeting_list),
    Route(meetings_view.NEW, meetings_view.meeting_new),
    Route("/moter/:id", meetings_view.meeting_edit),
    Route("/settings", settings_view.settings_screen),
    Route("/settings/agreement/:id", agreement_view.agreement_screen),
)


def resolve(route: str) -> tuple[Route, dict[str, str]] | None:
    """The route entry and its parameters for a path (query string ignored)."""
    path = (route or "/").split("?", 1)[0].rstrip("/") or "/"
    for entry in ROUTES:
        match = entry.regex.match(path)
        if match:
            return entry, match.groupdict()
    return None


def guard(route: str, *, unlocked: bool, needs_setup: bool) -> str:
    """Where the officer may go: locked → setup/unlock; unlocked → never the lock screens."""
    found = resolve(route)
    if not unlocked:
        return SETUP if needs_setup else UNLOCK
    if found is None or found[0].public:
        return HOME
    return (route or "/").split("?", 1)[0].rstrip("/") or "/"


class Router:
    """Renders one route at a time into ``page.views`` and follows the AppState."""

    def __init__(self, page: ft.Page, app: Any):
        self.page = page
        self.app = app
        self.current: str | None = None
        self.last_url = HOME
        self.busy_bar = ft.ProgressBar(visible=False, height=4)
        self.actions_height = 0.0
        self.haptics_confirm: Callable[[], Any] = lambda: app.ports.haptics.confirm()
        app.subscribe(self._on_state)

    def start(self) -> None:
        self.page.on_route_change = self._on_route_change
        self.last_url = self.page.route or HOME
        self.go(self.last_url)

    def _on_route_change(self, e: ft.RouteChangeEvent) -> None:
        self.last_url = e.route
        self.go(e.route)

    def target(self, route: str) -> str:
        return guard(route, unlocked=self.app.is_unlocked, needs_setup=self.app.needs_setup())

    def go(self, route: str) -> None:
        """Show a route now and put it in the address bar/history."""
        self.render(route)
        if self.current is not None:
            self._push(self.current)

    def render(self, route: str, *, force: bool = False) -> None:
        target = self.target(route)
        if target == self.current and not force:
            return
        entry, params = resolve(target) or resolve(HOME)  # type: ignore[misc]
        screen = Screen(self, target, params)
        try:
            body = entry.build(screen)
        except LogbookClosed:
            self.app.lock("closed")
            return
        except RecordNotFound:
            self.go(HOME)
            return
        self.page.views.clear()
        self.page.views.append(frame(screen, body, self.busy_bar))
        self.current = target
        self.app.touch()
        self.page.update()

    def _push(self, route: str) -> None:
        if self.last_url != route:
            self.last_url = route
            self.page.run_task(self.page.push_route, route)

    def set_busy(self, busy: bool) -> None:
        self.busy_bar.visible = busy
        self.page.update()

    def _on_state(self, event: str) -> None:
        handlers = {"locked": self._show_locked, "language": self._refresh,
                    "busy": lambda: self.set_busy(self.app.busy)}
        handler = handlers.get(event)
        if handler is None:
            return
        try:
            self.page.loop.call_soon_threadsafe(handler)
        except (AttributeError, RuntimeError):  # the session's connection is gone
            log.debug("no loop for %s", event)

    def _refresh(self) -> None:
        if self.current is not None:
            self.render(self.current, force=True)

    def _show_locked(self) -> None:
        while self.page.pop_dialog() is not None:
            pass
        self.current = None
        self.go(UNLOCK)
