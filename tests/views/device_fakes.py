"""Stand-ins for the Flet client's services with the real extensions' method names and
argument names (a test compares the signatures), and a page event loop in a thread."""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace


class LoopThread:
    """An event loop running in its own thread, like the page's loop under Flet."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def page(self, *, web: bool = False, platform: str = "android") -> SimpleNamespace:
        return SimpleNamespace(loop=self.loop, web=web, platform=platform)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


class FakeSecureStorage:
    """flet_secure_storage.SecureStorage: async get/set/remove/contains_key with the
    per-platform keyword options. ``broken`` makes every call fail like a keystore error."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}
        self.calls: list[tuple[str, dict]] = []
        self.broken = False
        self.delay = 0.0

    async def _enter(self, method: str, options: dict) -> None:
        self.calls.append((method, options))
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.broken:  # what Session.invoke_method raises for a client-side error
            raise RuntimeError("PlatformException(Exception, KeyStore error, null)")

    async def get(self, key, *, web=None, ios=None, macos=None, android=None, windows=None):
        await self._enter("get", {"ios": ios, "android": android})
        return self.data.get(key)

    async def set(self, key, value, *, web=None, ios=None, macos=None, android=None,
                  windows=None):
        await self._enter("set", {"ios": ios, "android": android})
        if value is None:
            raise ValueError("value can't be None")
        self.data[key] = value

    async def contains_key(self, key, *, web=None, ios=None, macos=None, android=None,
                           windows=None):
        await self._enter("contains_key", {"ios": ios, "android": android})
        return key in self.data

    async def remove(self, key, *, web=None, ios=None, macos=None, android=None, windows=None):
        await self._enter("remove", {"ios": ios, "android": android})
        self.data.pop(key, None)


class FakeGeolocator:
    """flet_geolocator.Geolocator's permission, service and position calls."""

    def __init__(self, permission="whileInUse", after_request=None, enabled=True,
                 delay=0.0, error=None):
        self.permission = permission
        self.after_request = after_request or permission
        self.enabled = enabled
        self.delay = delay
        self.error = error
        self.requests = 0

    async def get_permission_status(self):
        return self.permission

    async def request_permission(self):
        self.requests += 1
        self.permission = self.after_request
        return self.permission

    async def is_location_service_enabled(self):
        return self.enabled

    async def get_current_position(self, configuration=None):
        await asyncio.sleep(self.delay)
        if self.error:
            raise self.error
        return SimpleNamespace(latitude=58.77, longitude=5.86)


class FakePermissionHandler:
    """flet_permission_handler.PermissionHandler's get_status/request."""

    def __init__(self, status="denied", after_request="granted"):
        self.status = status
        self.after_request = after_request
        self.requests: list = []

    async def get_status(self, permission):
        return self.status

    async def request(self, permission):
        self.requests.append(permission)
        self.status = self.after_request
        return self.status
