"""Location through flet-geolocator, asking permission first (flet-permission-handler on
phones, the geolocator's own permission calls in a browser).

    granted, location services on: one position fix   → LocationFix(OK, position)
    refused (now, before, or by policy)                → DENIED ("Posisjon er ikke tillatt")
    location services switched off                     → OFF
    no answer within the timeout                       → TIMEOUT
    anything else                                      → FAILED (error class logged)

The permission is asked at most once per session; after that a refusal is reported, not
asked again. ``locate`` blocks: call it from a worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import flet as ft

from fieldapp.device import DeviceStatus, LocationFix, LocationPort, Position

from .bridge import LoopBridge

if TYPE_CHECKING:  # optional extensions, imported on use
    import flet_geolocator as fg
    import flet_permission_handler as fph

log = logging.getLogger(__name__)

# Values of flet_permission_handler.PermissionStatus and flet_geolocator's permission status.
ALLOWED = {"granted", "limited", "provisional", "whileInUse", "always"}
REFUSED = {"denied", "permanentlyDenied", "restricted", "deniedForever"}


class FletLocation(LocationPort):
    def __init__(self, page: ft.Page, *, geolocator: fg.Geolocator | None = None,
                 permissions: fph.PermissionHandler | None = None,
                 bridge: LoopBridge | None = None):
        if geolocator is None:
            import flet_geolocator as fg  # noqa: PLC0415 - optional extension, loaded on use

            geolocator = fg.Geolocator()
        self._geo = geolocator
        self._permissions = permissions  # a PermissionHandler on phones, else None
        self._bridge = bridge or LoopBridge(page.loop)
        self._asked = False

    def locate(self, timeout: float = 3.0) -> LocationFix:
        try:
            return self._bridge.call(self._fix, timeout)
        except TimeoutError:
            return LocationFix(DeviceStatus.TIMEOUT)
        except Exception as exc:  # no sensor, unsupported browser, client error
            log.info("no position: %s", type(exc).__name__)
            return LocationFix(DeviceStatus.FAILED)

    async def _fix(self) -> LocationFix:
        status = await self._permission()
        if status is not DeviceStatus.OK:
            return LocationFix(status)
        if not await self._geo.is_location_service_enabled():
            return LocationFix(DeviceStatus.OFF)
        position = await self._geo.get_current_position()
        latitude, longitude = position.latitude, position.longitude
        if latitude is None or longitude is None:  # declared optional; no fix without both
            return LocationFix(DeviceStatus.FAILED)
        return LocationFix(DeviceStatus.OK, Position(float(latitude), float(longitude)))

    async def _permission(self) -> DeviceStatus:
        get: Callable[..., Awaitable[object]]
        ask: Callable[..., Awaitable[object]]
        if self._permissions is not None:
            get, ask = self._permissions.get_status, self._permissions.request
            args: tuple[Any, ...] = (_when_in_use(),)
        else:
            get, ask = self._geo.get_permission_status, self._geo.request_permission
            args = ()
        status = _value(await get(*args))
        if status not in ALLOWED and not self._asked:
            self._asked = True
            status = _value(await ask(*args))
        if status in ALLOWED:
            return DeviceStatus.OK
        return DeviceStatus.DENIED if status in REFUSED else DeviceStatus.UNAVAILABLE


def permission_handler() -> Any:
    """The flet-permission-handler service (phones only: it refuses desktop platforms)."""
    import flet_permission_handler as fph  # noqa: PLC0415 - optional extension

    return fph.PermissionHandler()


def _when_in_use() -> Any:
    try:
        import flet_permission_handler as fph  # noqa: PLC0415

        return fph.Permission.LOCATION_WHEN_IN_USE
    except ImportError:
        return "locationWhenInUse"


def _value(status: object) -> str:
    return str(getattr(status, "value", status))
