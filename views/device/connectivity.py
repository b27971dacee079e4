"""Sync when the network returns: ``ft.Connectivity`` changes, debounced, while unlocked.

A phone on the move flips between none, mobile and wifi many times a minute. Each change to a
connected state (re)starts a short timer; when it runs out and the phone is still connected and
the logbook unlocked, the background sync is woken (``AutoSync.trigger("online")``, which is
single-flight). A change to "none" cancels the timer. Flet apps run only in the foreground, so
there is no background sync on phones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import flet as ft

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 5.0


class Cancellable(Protocol):
    def cancel(self) -> Any: ...


class ReconnectSync:
    def __init__(self, *, trigger: Callable[[str], None], is_unlocked: Callable[[], bool],
                 schedule: Callable[[float, Callable[[], None]], Cancellable],
                 delay: float = DEBOUNCE_SECONDS):
        self._trigger = trigger
        self._is_unlocked = is_unlocked
        self._schedule = schedule
        self.delay = delay
        self.online = False
        self._pending: Cancellable | None = None

    def changed(self, kinds: Iterable[str]) -> None:
        """The connection types now up (``["wifi"]``, ``["none"]``, ...)."""
        self.online = any(kind != "none" for kind in kinds)
        self._cancel()
        if self.online:
            self._pending = self._schedule(self.delay, self._fire)

    def stop(self) -> None:
        self._cancel()

    def _fire(self) -> None:
        self._pending = None
        if self.online and self._is_unlocked():
            self._trigger("online")

    def _cancel(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None


def watch_connectivity(page: ft.Page, reconnect: ReconnectSync) -> Any:
    """Register Flet's Connectivity service and feed its changes to ``reconnect``."""
    def on_change(e: ft.ConnectivityChangeEvent) -> None:
        reconnect.changed(str(getattr(k, "value", k)) for k in (e.connectivity or []))

    try:
        return ft.Connectivity(on_change=on_change)
    except Exception as exc:  # a client without the service: sync still runs on its timer
        log.warning("connectivity unavailable: %s", type(exc).__name__)
        return None
