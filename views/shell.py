"""The frame around every screen: app bar with back and lock, scrolling body, actions at the
bottom within thumb reach, the snackbar, and ``Screen`` — what a screen builder gets.

Screens navigate by path (``screen.go("/school")``); they never import ``routes``, and this
module knows the router only as the ``Navigator`` it needs, so no screen sits on an import
cycle with the route table.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import flet as ft

from fieldapp import LogbookClosed, RecordNotFound
from fieldapp.domain import Record

from .kit.widgets import icon_action, tagged

if TYPE_CHECKING:
    from fieldapp import Logbook

    from .state import AppState

log = logging.getLogger(__name__)

ACTION_GAP = 8
WIDE = 680       # wider than this (tablet), the screen keeps a phone-like column
COLUMN_WIDTH = 600
SHORT_SCREEN = 700  # below this height Home's main actions get a little flatter (still ≥ 48)
NOTICE_SECONDS = 6.0  # a confirmation line above the pinned actions goes after this
KEPT_NOTICES = 50

# The confirmation line of each shown View (above its pinned actions), and the confirmations
# given on each page, oldest first (what a screen reader announced; the screen tests read it).
_NOTICE_LINES: weakref.WeakKeyDictionary[ft.View, ft.Control] = weakref.WeakKeyDictionary()
_NOTICES: weakref.WeakKeyDictionary[ft.Page, list[str]] = weakref.WeakKeyDictionary()

R = TypeVar("R", bound=Record)


class Navigator(Protocol):
    """What a screen needs from the router (``routes.Router``; a recording fake in tests)."""

    app: AppState
    page: ft.Page
    current: str | None
    actions_height: float
    haptics_confirm: Callable[[], Any]

    def go(self, route: str) -> None: ...

    def render(self, route: str, *, force: bool = False) -> None: ...

    def set_busy(self, busy: bool) -> None: ...

    def after_unlock(self) -> None: ...


@dataclass
class Body:
    """What a screen builder returns."""

    title: str
    controls: list[ft.Control]
    bottom: list[ft.Control] = field(default_factory=list)  # pinned, thumb reach
    back: str | None = "/"          # the parent route; None: no back button
    show_lock: bool = True
    actions: list[ft.Control] = field(default_factory=list)  # extra app bar icons


class Screen:
    """Context handed to a screen builder: state, route parameters and navigation."""

    def __init__(self, router: Navigator, route: str, params: dict[str, str]):
        self.router = router
        self.route = route
        self.params = params

    @property
    def app(self) -> AppState:
        return self.router.app

    @property
    def page(self) -> ft.Page:
        return self.router.page

    @property
    def lang(self) -> str:
        return self.app.lang

    @property
    def logbook(self) -> Logbook:
        logbook = self.app.logbook
        if logbook is None:  # locked: the same error a closed logbook raises
            raise LogbookClosed("the logbook is locked")
        return logbook

    def record(self, kind: type[R], record_id: str) -> R:
        """The record ``record_id``, which must be a ``kind`` (else RecordNotFound)."""
        record = self.logbook.get(record_id)
        if not isinstance(record, kind):
            raise RecordNotFound(record_id)
        return record

    def t(self, key: str, **params: object) -> str:
        return self.app.t(key, **params)

    def go(self, route: str) -> None:
        self.router.go(route)

    def refresh(self) -> None:
        self.router.render(self.route, force=True)

    def toast(self, text: str) -> None:
        """A short confirmation the officer sees and a screen reader announces, shown on the
        screen the caller goes to next (see ``_show_notice``): never over the form."""
        given = _NOTICES.setdefault(self.page, [])
        given.append(text)
        del given[:-KEPT_NOTICES]  # a long session keeps only the latest
        self.page.run_task(_show_notice, self.page, text)

    def confirm_saved(self, text: str) -> None:
        self.toast(text)
        self.buzz()

    def buzz(self) -> None:
        """Haptic feedback on save; off-phone it does nothing."""
        self.router.haptics_confirm()

    async def in_background(self, work: Callable[[], Any]) -> Any:
        """Run slow work (KDF, sync) off the event loop while the busy bar shows."""
        self.router.set_busy(True)
        try:
            return await asyncio.to_thread(work)
        finally:
            self.router.set_busy(False)


def frame(screen: Screen, body: Body, busy_bar: ft.ProgressBar) -> ft.View:
    """Wrap a screen's body into a phone-width View with app bar and bottom actions."""
    t = screen.t
    leading = None
    if body.back is not None:
        leading = icon_action(ft.Icons.ARROW_BACK, t("nav.back"),
                              lambda e: screen.go(body.back or "/"), ident="nav-back")
    actions = list(body.actions)
    if body.show_lock:
        actions.append(icon_action(ft.Icons.LOCK, t("nav.lock"),
                                   lambda e: screen.app.lock("user"), ident="nav-lock"))
    appbar = ft.AppBar(
        leading=leading, automatically_imply_leading=False,
        title=ft.Text(body.title, size=20, weight=ft.FontWeight.W_600,
                      overflow=ft.TextOverflow.ELLIPSIS),
        actions=actions, bgcolor=ft.Colors.PRIMARY_CONTAINER,
    )
    content = ft.Column(body.controls, spacing=14, scroll=ft.ScrollMode.AUTO, expand=True,
                        horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    column: list[ft.Control] = [busy_bar, ft.Container(content=content, expand=True,
                                     padding=ft.Padding.symmetric(horizontal=16, vertical=8))]
    screen.router.actions_height = _actions_height(body.bottom)
    notice: ft.Control | None = None
    if body.bottom:
        text = ft.Text("", size=16, weight=ft.FontWeight.W_600, color=ft.Colors.PRIMARY)
        notice = tagged("notice", ft.Semantics(live_region=True, content=text))
        notice.visible = False  # a Semantics' content must stay visible: hide the mark
        column.append(tagged("screen-actions", ft.Container(
            content=ft.Column([notice, *body.bottom], spacing=ACTION_GAP,
                              horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            padding=ft.Padding.only(left=16, right=16, top=8, bottom=16),
        )))
    wide = (screen.page.width or 0) > WIDE
    limited = ft.Container(content=ft.Column(column, spacing=0, expand=True),
                           width=COLUMN_WIDTH if wide else None, expand=not wide)
    view = ft.View(
        route=screen.route, appbar=appbar, padding=0,
        controls=[ft.Row([limited], alignment=ft.MainAxisAlignment.CENTER, expand=True,
                         vertical_alignment=ft.CrossAxisAlignment.STRETCH)],
    )
    if notice is not None:
        _NOTICE_LINES[view] = notice
    return view


def notices(page: ft.Page) -> list[str]:
    """The confirmations given on this page so far, oldest first."""
    return list(_NOTICES.get(page, []))


async def _show_notice(page: ft.Page, text: str) -> None:
    """Show a confirmation once the navigation that followed it has drawn the next screen.

    With pinned actions (every form) it is a line just above them for ``NOTICE_SECONDS``: it
    covers no field, chip or button (a snackbar floating over the form took the taps meant
    for the topic chips after a check-out). Without, a snackbar at the bottom of the screen."""
    line = _NOTICE_LINES.get(page.views[-1]) if page.views else None
    if line is None:
        page.show_dialog(ft.SnackBar(
            content=tagged("toast", ft.Semantics(live_region=True, content=ft.Text(
                text, size=16))),
            duration=ft.Duration(seconds=4), behavior=ft.SnackBarBehavior.FLOATING,
            margin=ft.Margin.only(left=16, right=16, bottom=16),
        ))
        return
    shown = _notice_text(line)
    shown.value, line.visible = text, True
    _update(line)

    def hide() -> None:
        if shown.value == text:  # not replaced by a newer confirmation meanwhile
            line.visible = False
            _update(line)
    asyncio.get_running_loop().call_later(NOTICE_SECONDS, hide)


def _notice_text(line: ft.Control) -> ft.Text:
    """The Text inside a notice line (its mark, then its live region)."""
    inner = line
    while not isinstance(inner, ft.Text):
        content = _content(inner)
        assert content is not None, "a notice line holds a Text"
        inner = content
    return inner


def _update(control: ft.Control) -> None:
    try:
        control.update()
    except Exception as exc:  # the screen was left meanwhile
        log.debug("notice not shown: %s", type(exc).__name__)


def _actions_height(actions: list[ft.Control]) -> float:
    """Height of the pinned action area (buttons, gaps, padding)."""
    if not actions:
        return 0.0
    heights = [_height(a) for a in actions]
    return sum(heights) + ACTION_GAP * (len(actions) - 1) + 24


def _height(control: ft.Control) -> float:
    while getattr(control, "height", None) is None and (inner := _content(control)):
        control = inner
    inner = getattr(control, "controls", None)
    if getattr(control, "height", None) is None and inner:
        return max(_height(c) for c in inner)
    return float(getattr(control, "height", None) or 48)


def _content(control: ft.Control) -> ft.Control | None:
    """The control a wrapper (Container, Card, Semantics …) holds, if any."""
    content: ft.Control | None = getattr(control, "content", None)
    return content
