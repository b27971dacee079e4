"""Device adapters that need the Flet client, one module per feature:

    location.py      flet-geolocator + flet-permission-handler    → fieldapp.device.Location
    haptics.py       Flet's HapticFeedback                         → fieldapp.device.Haptics
    keystore.py      flet-secure-storage (Keystore / Keychain)     → the store's KeyStore port
    privacy.py       FLAG_SECURE (pyjnius, Android) and the privacy cover
    connectivity.py  ft.Connectivity → a debounced sync trigger
    bridge.py        async Flet services called from worker threads

Notifications: no Flutter-backed notifications extension is pinned to Flet 1.0.5 (the
third-party ``flet-notifications`` 0.1.x follows whichever flet it finds), so a phone has
none — Home shows the counts — and the port answers UNAVAILABLE. plyer notifies on desktops.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import flet as ft

from fieldapp.device import DevicePorts

from .haptics import FletHaptics
from .location import FletLocation, permission_handler

log = logging.getLogger(__name__)

PHONES = {ft.PagePlatform.ANDROID, ft.PagePlatform.ANDROID_TV, ft.PagePlatform.IOS}
# flet-geolocator has no Linux implementation; everywhere else (and in browsers) it answers.
LOCATION_PLATFORMS = PHONES | {ft.PagePlatform.MACOS, ft.PagePlatform.WINDOWS}


def is_phone(page: ft.Page) -> bool:
    """The app runs as a phone build (Android or iOS client, not a browser)."""
    return not page.web and page.platform in PHONES


def flet_ports(page: ft.Page, base: DevicePorts) -> DevicePorts:
    """The Flet client's adapters first, then the base ports. On a phone the base is null:
    plyer cannot work inside a Flet app."""
    phone = is_phone(page)
    if phone:
        base = DevicePorts.null()
    location = haptics = None
    if page.web or page.platform in LOCATION_PLATFORMS:
        location = _made(lambda: FletLocation(
            page, permissions=permission_handler() if phone else None), "location")
    if not page.web:
        haptics = _made(lambda: FletHaptics(page), "haptics")
    return base.with_first(location=location, haptics=haptics)


def _made(make: Callable[[], Any], what: str) -> Any:
    try:
        return make()
    except Exception as exc:  # the extension is missing from this build
        log.warning("%s adapter unavailable: %s", what, type(exc).__name__)
        return None
