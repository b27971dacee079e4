"""Mount the field UI on a Flet page: theme, routes, auto-lock on idle and when hidden, a
privacy cover while the app is not in front, FLAG_SECURE on Android, and sync when the
network returns (debounced, only while unlocked).

Flet 1.0.5 runs plain (sync) event handlers on the event loop itself, so anything slow (the
PIN's key derivation, sync) goes through ``asyncio.to_thread`` from an async handler.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import flet as ft

from sync import AutoSync, RecordTrigger

from .device import flet_ports, is_phone
from .device.connectivity import ReconnectSync, watch_connectivity
from .device.privacy import PrivacyCover, secure_window
from .kit.widgets import themes
from .routes import Router
from .shell import SHORT_SCREEN, WIDE
from .state import AppState

log = logging.getLogger(__name__)

IDLE_POLL_SECONDS = 5.0
THEME_MODES = {"system": ft.ThemeMode.SYSTEM, "light": ft.ThemeMode.LIGHT,
               "dark": ft.ThemeMode.DARK}


def mount(page: ft.Page, app: AppState) -> Router:
    page.title = "Politikontakt"
    page.data = app  # the widgets restart the idle timer through it
    page.theme, page.dark_theme = themes()
    page.theme_mode = THEME_MODES.get(app.theme, ft.ThemeMode.SYSTEM)
    page.padding = 0
    app.ports = flet_ports(page, app.ports)
    phone = is_phone(page)
    secure_window(page)  # Android only; logs when it cannot
    # Phones only: a browser has no app switcher to snapshot (and locks when hidden), and in
    # the web client an overlay or an extra service made typed text race with rebuilds.
    cover = PrivacyCover(page, app.t("app.name")) if phone else None
    router = Router(page, app)

    auto_sync = AutoSync(lambda: app.logbook)
    auto_sync.start()  # waits quietly while locked or not enrolled
    saved = RecordTrigger(auto_sync.trigger)  # a record saved: one run once saving settles
    follow: list[Callable[[], None]] = []
    reconnect = ReconnectSync(trigger=auto_sync.trigger, is_unlocked=lambda: app.is_unlocked,
                              schedule=page.loop.call_later)
    connectivity = watch_connectivity(page, reconnect) if phone else None

    def on_state(event: str) -> None:
        if event in ("theme", "unlocked"):
            page.loop.call_soon_threadsafe(_apply_theme, page, app)
        if event == "unlocked":
            auto_sync.trigger("start")
            while follow:
                follow.pop()()
            if app.logbook is not None:
                follow.append(app.logbook.subscribe(saved.on_event))

    def on_lifecycle(e: ft.AppLifecycleStateChangeEvent) -> None:
        state = _state_name(e.state)
        if cover is not None:
            cover.on_lifecycle(state)
        app.on_lifecycle(state)
        if state in ("resume", "show"):  # back in the foreground: the network may be back too
            auto_sync.trigger("online")

    app.subscribe(on_state)
    page.on_app_lifecycle_state_change = on_lifecycle
    page.on_keyboard_event = lambda e: app.touch()
    page.on_disconnect = lambda e: app.lock("closed")
    watcher = page.run_task(_watch_idle, app)

    def on_close(e: object) -> None:  # the session expired: nothing left to watch
        app.lock("closed")
        watcher.cancel()
        reconnect.stop()
        if connectivity is not None:
            connectivity.on_change = None
        saved.cancel()
        auto_sync.stop(timeout=0)

    page.on_close = on_close
    layout = LayoutWatch(page)
    page.on_resize = lambda e: router.refresh() if layout.changed() else None
    router.start()
    return router


def _state_name(state: ft.AppLifecycleState | str) -> str:
    return str(getattr(state, "value", state))


def _apply_theme(page: ft.Page, app: AppState) -> None:
    page.theme_mode = THEME_MODES.get(app.theme, ft.ThemeMode.SYSTEM)
    page.update()


def _layout(page: ft.Page) -> tuple[bool, bool]:
    """The size classes the screens adapt to: tablet-wide, and short."""
    return (page.width or 0) > WIDE, (page.height or SHORT_SCREEN) < SHORT_SCREEN


class LayoutWatch:
    """Remembers the page's size classes; a resize that changes one rebuilds the screen."""

    def __init__(self, page: ft.Page):
        self.page = page
        self.layout = _layout(page)

    def changed(self) -> bool:
        layout, self.layout = self.layout, _layout(self.page)
        return layout != self.layout


async def _watch_idle(app: AppState) -> None:
    """Lock the logbook when the idle time runs out (checked every few seconds)."""
    with contextlib.suppress(asyncio.CancelledError):
        while True:
            await asyncio.sleep(IDLE_POLL_SECONDS)
            try:
                app.check_idle()
            except Exception as exc:  # keep watching: the lock must not stop working
                log.warning("idle check failed: %s", type(exc).__name__)
