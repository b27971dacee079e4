"""The one route tree of the app, the lock guard, and the Router that renders a route.

Routes carry record ids only, never names or other personal data.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import flet as ft

from fieldapp import LogbookClosed, RecordNotFound

from .agreement import screen as agreement
from .crisis import screen as crisis
from .home import homeless
from .home import screen as home
from .kit import drafts
from .lock import screen as lock
from .meetings import screen as meetings
from .observations import screen as observations
from .report import screen as report
from .schools import screen as schools
from .settings import screen as settings
from .shell import Body, Screen, frame
from .sync import screen as sync
from .u18 import form as u18_form
from .u18 import screen as u18

if TYPE_CHECKING:
    from .state import AppState

log = logging.getLogger(__name__)

SETUP, UNLOCK, HOME = "/setup", "/unlock", "/"


@dataclass(frozen=True)
class Route:
    pattern: str
    build: Callable[[Screen], Body]
    public: bool = False  # shown while locked

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r":(\w+)", r"(?P<\1>[A-Za-z0-9-]+)", self.pattern) + "$")


ROUTES: tuple[Route, ...] = (
    Route(SETUP, lock.setup_screen, public=True),
    Route(UNLOCK, lock.unlock_screen, public=True),
    Route(HOME, home.home_screen),
    Route("/school", schools.visit_list),
    Route("/school/checkin", schools.checkin_screen),
    Route("/school/:id", schools.visit_edit),
    Route("/observation", observations.observation_list),
    Route("/observation/new", observations.quick_add),
    Route("/observation/:id", observations.observation_edit),
    Route("/u18", u18.case_list),
    Route("/u18/new", u18_form.case_edit),
    Route("/u18/:id", u18.case_view),
    Route("/u18/:id/edit", u18_form.case_edit),
    Route("/u18/:id/consent", u18_form.consent_new),
    Route("/crisis", crisis.crisis_home),
    Route("/crisis/contact/new", crisis.contact_edit),
    Route("/crisis/contact/:id", crisis.contact_edit),
    Route("/crisis/callout/:id", crisis.callout_view),
    Route("/synk", sync.sync_screen),
    Route(homeless.ROUTE, homeless.homeless_screen),
    Route("/rapport", report.report_screen),
    Route("/moter", meetings.meeting_list),
    Route(meetings.NEW, meetings.meeting_new),
    Route("/moter/:id", meetings.meeting_edit),
    Route("/settings", settings.settings_screen),
    Route("/settings/agreement/:id", agreement.agreement_screen),
)


def resolve(route: str) -> tuple[Route, dict[str, str]] | None:
    """The route entry and its parameters for a path (query string ignored)."""
    path = (route or "/").split("?", 1)[0].rstrip("/") or "/"
    for entry in ROUTES:
        match = entry.regex.match(path)
        if match:
            return entry, match.groupdict()
    return None


def _resolved(route: str) -> tuple[Route, dict[str, str]]:
    """``resolve``, falling back to Home (which the table always has)."""
    found = resolve(route) or resolve(HOME)
    assert found is not None, "Home is in the route table"
    return found


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

    def __init__(self, page: ft.Page, app: AppState):
        self.page = page
        self.app = app
        self.current: str | None = None
        self.last_url = HOME
        self.busy_bar = ft.ProgressBar(visible=False, height=4)
        self.actions_height = 0.0
        self.haptics_confirm: Callable[[], Any] = lambda: app.ports.haptics.confirm()
        self.shown_values: dict[str, drafts.Value] = {}
        app.subscribe(self._on_state)
        app.draft_source = self.draft

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
        entry, params = _resolved(target)
        screen = Screen(self, target, params)
        try:
            body = entry.build(screen)
        except LogbookClosed:
            self.app.lock("closed")
            return
        except RecordNotFound:
            self.go(HOME)
            return
        view = frame(screen, body, self.busy_bar)
        self.page.views.clear()
        self.page.views.append(view)
        self.shown_values = drafts.values(view)
        self.current = target
        self.app.touch()
        self.page.update()

    def draft(self) -> dict[str, Any] | None:
        """What the officer changed on the screen shown (not on the lock screens)."""
        found = resolve(self.current or "")
        if found is None or found[0].public or not self.page.views:
            return None
        changed = drafts.changes(self.page.views[-1], self.shown_values)
        return {"route": self.current, "values": changed} if changed else None

    def after_unlock(self) -> None:
        """Back to the form left half-filled at the lock, filled in again; else Home."""
        self.current = None
        draft = self.app.take_draft()
        if not drafts.is_draft(draft):
            self.go(HOME)
            return
        assert draft is not None
        route = str(draft["route"])
        self.go(route)
        if not self._showing(route):
            return  # the record is gone meanwhile (or the route no longer exists)
        if drafts.restore(self.page.views[-1], draft["values"]):
            self.page.update()
            Screen(self, route, {}).toast(self.app.t("draft.restored"))

    def _showing(self, route: str) -> bool:
        return self.current == route and bool(self.page.views)

    def _push(self, route: str) -> None:
        if self.last_url != route:
            self.last_url = route
            self.page.run_task(self.page.push_route, route)

    def set_busy(self, busy: bool) -> None:
        self.busy_bar.visible = busy
        self.page.update()

    def _on_state(self, event: str) -> None:
        handlers = {"locked": self._show_locked, "language": self.refresh,
                    "busy": lambda: self.set_busy(self.app.busy)}
        handler = handlers.get(event)
        if handler is None:
            return
        try:
            self.page.loop.call_soon_threadsafe(handler)
        except (AttributeError, RuntimeError):  # the session's connection is gone
            log.debug("no loop for %s", event)

    def refresh(self) -> None:
        """Build the current screen again (language or layout changed); nothing while none."""
        if self.current is not None:
            self.render(self.current, force=True)

    def _show_locked(self) -> None:
        while self.page.pop_dialog() is not None:
            pass
        self.current = None
        self.go(UNLOCK)
