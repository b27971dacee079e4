"""Device adapters that need the Flet client: flet-geolocator and Flet's HapticFeedback.

They fill the ports of ``fieldapp.device`` and degrade like the others: no permission, no
sensor or a web browser without the feature gives ``None``/``False``, never an exception.
``current`` blocks its caller, so call it from a worker thread (``asyncio.to_thread``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from typing import Any

import flet as ft

from fieldapp.device import DevicePorts, Position

log = logging.getLogger(__name__)

GRANTED = {"always", "whileInUse", "while_in_use"}


class FletLocation:
    """One position fix through flet-geolocator, asking for permission once per session."""

    def __init__(self, page: ft.Page):
        import flet_geolocator as fg  # noqa: PLC0415 - optional extension, loaded on use

        self._fg = fg
        self._page = page
        self._geo = fg.Geolocator()
        self._asked = False

    async def _fix(self) -> Position | None:
        status = await self._geo.get_permission_status()
        if _value(status) not in GRANTED and not self._asked:
            self._asked = True
            status = await self._geo.request_permission()
        if _value(status) not in GRANTED:
            return None
        position = await self._geo.get_current_position()
        return Position(float(position.latitude), float(position.longitude))

    def current(self, timeout: float = 3.0) -> Position | None:
        future = asyncio.run_coroutine_threadsafe(self._fix(), self._page.loop)
        try:
            return future.result(timeout)
        except (concurrent.futures.TimeoutError, TimeoutError):
            future.cancel()
        except Exception as exc:  # no permission, no sensor, unsupported browser
            log.debug("no position: %s", type(exc).__name__)
        return None


class FletHaptics:
    """A short vibration through the Flet client (phones); on the web it does nothing."""

    def __init__(self, page: ft.Page):
        self._page = page
        self._haptics = ft.HapticFeedback()

    async def _buzz(self) -> None:
        try:
            await self._haptics.medium_impact()
        except Exception as exc:
            log.debug("no haptics: %s", type(exc).__name__)

    def confirm(self) -> bool:
        if self._page.web:
            return False
        self._page.run_task(self._buzz)
        return True


def _value(status: Any) -> str:
    return str(getattr(status, "value", status))


def flet_ports(page: ft.Page, base: DevicePorts) -> DevicePorts:
    """The Flet client's adapters first, then the base ports (plyer or null)."""
    location = haptics = None
    try:
        location = FletLocation(page)
    except Exception as exc:  # flet-geolocator missing or refused by the client
        log.debug("geolocator unavailable: %s", type(exc).__name__)
    try:
        haptics = FletHaptics(page)
    except Exception as exc:
        log.debug("haptics unavailable: %s", type(exc).__name__)
    return base.with_first(location=location, haptics=haptics)
