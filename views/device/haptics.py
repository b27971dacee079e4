"""A short vibration after a save, through Flet's core HapticFeedback service.

On a phone ``buzz`` asks the client for a medium impact and reports OK (the request was sent;
a client error is logged by its class). In a browser there is no vibration motor to ask:
UNAVAILABLE. ``buzz`` runs on the event loop (it is called from tap handlers).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import cast

import flet as ft

from fieldapp.device import DeviceStatus, HapticsPort

log = logging.getLogger(__name__)


class FletHaptics(HapticsPort):
    def __init__(self, page: ft.Page, haptics: ft.HapticFeedback | None = None):
        self._page = page
        self._haptics = haptics if haptics is not None else ft.HapticFeedback()

    async def _buzz(self) -> None:
        try:
            # Flet 1.0.5 leaves medium_impact() unannotated
            impact = cast(Callable[[], Awaitable[None]], self._haptics.medium_impact)
            await impact()
        except Exception as exc:
            log.info("no haptics: %s", type(exc).__name__)

    def buzz(self) -> DeviceStatus:
        if self._page.web:
            return DeviceStatus.UNAVAILABLE
        self._page.run_task(self._buzz)
        return DeviceStatus.OK
