"""Ports to the phone's hardware: location, notifications, haptic feedback and key storage.

Every port says honestly what happened, as a :class:`DeviceStatus` the UI can put in words;
none raises into a form and none blocks it::

    Location.locate(timeout) -> LocationFix(status, position)  # current() -> Position | None
    Notifier.send(title, message) -> DeviceStatus               # notify(...) -> bool
    Haptics.buzz() -> DeviceStatus                              # confirm() -> bool

    DeviceStatus
    ├── OK            done
    ├── DENIED        the officer (or the phone's policy) did not allow it
    ├── OFF           the service is switched off (location services)
    ├── UNAVAILABLE   this platform or build has no such feature (web, desktop, no extension)
    ├── TIMEOUT       no answer in time
    └── FAILED        it was tried and went wrong (the error's class is logged, never its text)

Adapters here: plyer for desktop notifications (imported lazily, inside functions only) and
null. plyer cannot work inside a Flet phone app (it needs Kivy's activity), so phones use the
Flet client's adapters in ``views/device/`` (``fieldapp`` never imports flet). Notification
texts must carry no personal data.

Key storage: :class:`KeyStoreUnavailable` is what a platform key store raises when the phone's
keystore does not answer or fails; it never means "no secret" (that would create a new one and
orphan the logbook).
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TypeVar, runtime_checkable

log = logging.getLogger(__name__)
T = TypeVar("T")


class DeviceStatus(StrEnum):
    OK = "ok"
    DENIED = "denied"
    OFF = "off"
    UNAVAILABLE = "unavailable"
    TIMEOUT = "timeout"
    FAILED = "failed"


# When several adapters fail, the answer that tells the officer most wins.
_TELLING = (DeviceStatus.DENIED, DeviceStatus.OFF, DeviceStatus.TIMEOUT, DeviceStatus.FAILED,
            DeviceStatus.UNAVAILABLE)


class KeyStoreUnavailable(RuntimeError):
    """The platform key store did not answer or failed (``reason``: timeout, error,
    event_loop, no_client). Nothing was created, reset or erased."""

    def __init__(self, reason: str, message: str = "") -> None:
        self.reason = reason
        super().__init__(message or f"The phone's key store is not available ({reason}).")


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class LocationFix:
    status: DeviceStatus
    position: Position | None = None


class Location(Protocol):
    def locate(self, timeout: float = 3.0) -> LocationFix: ...
    def current(self, timeout: float = 3.0) -> Position | None: ...


class Notifier(Protocol):
    def send(self, title: str, message: str) -> DeviceStatus: ...
    def notify(self, title: str, message: str) -> bool: ...


class Haptics(Protocol):
    def buzz(self) -> DeviceStatus: ...
    def confirm(self) -> bool: ...


@runtime_checkable
class _Locates(Protocol):
    def locate(self, timeout: float) -> LocationFix: ...


@runtime_checkable
class _Positions(Protocol):  # an adapter that only knows "a position or None"
    def current(self, timeout: float) -> Position | None: ...


class LocationPort:
    """Base of location adapters: ``current`` is ``locate`` without the status."""

    def locate(self, timeout: float = 3.0) -> LocationFix:
        return LocationFix(DeviceStatus.UNAVAILABLE)

    def current(self, timeout: float = 3.0) -> Position | None:
        return self.locate(timeout).position


class NotifierPort:
    def send(self, title: str, message: str) -> DeviceStatus:
        return DeviceStatus.UNAVAILABLE

    def notify(self, title: str, message: str) -> bool:
        return self.send(title, message) is DeviceStatus.OK


class HapticsPort:
    def buzz(self) -> DeviceStatus:
        return DeviceStatus.UNAVAILABLE

    def confirm(self) -> bool:
        return self.buzz() is DeviceStatus.OK


class NullLocation(LocationPort):
    pass


class NullNotifier(NotifierPort):
    pass


class NullHaptics(HapticsPort):
    pass


# Where plyer has a working implementation for this app: desktop notifications only.
PLYER_PLATFORMS = {"notification": {"linux", "macosx", "win"}}


def _plyer_facade(name: str) -> Any | None:
    """The plyer facade or None when plyer cannot serve it on this platform."""
    try:
        import plyer  # lazy on purpose: plyer probes the platform on import
        from plyer.utils import platform

        if str(platform) not in PLYER_PLATFORMS.get(name, set()):
            return None
        return getattr(plyer, name)
    except Exception as exc:  # plyer raises many kinds of errors off its platforms
        log.info("plyer %s unavailable: %s", name, type(exc).__name__)
        return None


class PlyerNotifier(NotifierPort):
    """A desktop notification through plyer (notify-send/dbus, macOS, Windows)."""

    def send(self, title: str, message: str) -> DeviceStatus:
        facade = _plyer_facade("notification")
        if facade is None:
            return DeviceStatus.UNAVAILABLE
        with warnings.catch_warnings():  # plyer warns when notify-send/dbus are missing
            warnings.simplefilter("ignore")
            return attempt(lambda: facade.notify(title=title, message=message,
                                                 app_name="Politikontakt"), "notification")


def attempt(action: Callable[[], object], what: str) -> DeviceStatus:
    """Run a device call: OK, or FAILED with the error's class logged (never its text)."""
    try:
        action()
    except NotImplementedError:
        return DeviceStatus.UNAVAILABLE
    except Exception as exc:
        log.info("device %s failed: %s", what, type(exc).__name__)
        return DeviceStatus.FAILED
    return DeviceStatus.OK


def most_telling(statuses: Sequence[DeviceStatus]) -> DeviceStatus:
    return min(statuses, key=_TELLING.index, default=DeviceStatus.UNAVAILABLE)


class FirstThatWorks(LocationPort, NotifierPort, HapticsPort):
    """Try adapters in order; the first OK wins, otherwise the most telling status. An
    adapter may have only the plain call (``current``, ``notify``, ``confirm``)."""

    def __init__(self, *adapters: object):
        self.adapters = adapters

    def locate(self, timeout: float = 3.0) -> LocationFix:
        fixes = []
        for adapter in self.adapters:
            fix = _guarded(functools.partial(_fix_of, adapter, timeout),
                           LocationFix(DeviceStatus.FAILED))
            if fix.status is DeviceStatus.OK:
                return fix
            fixes.append(fix.status)
        return LocationFix(most_telling(fixes))

    def send(self, title: str, message: str) -> DeviceStatus:
        return self._first(lambda a: _status_of(a, "send", "notify", title, message))

    def buzz(self) -> DeviceStatus:
        return self._first(lambda a: _status_of(a, "buzz", "confirm"))

    def _first(self, call: Callable[[object], DeviceStatus]) -> DeviceStatus:
        statuses = []
        for adapter in self.adapters:
            status = _guarded(functools.partial(call, adapter), DeviceStatus.FAILED)
            if status is DeviceStatus.OK:
                return status
            statuses.append(status)
        return most_telling(statuses)


def _fix_of(adapter: object, timeout: float) -> LocationFix:
    if isinstance(adapter, _Locates):
        return adapter.locate(timeout)
    if not isinstance(adapter, _Positions):
        raise AttributeError("current")  # no location at all: _guarded reports it FAILED
    position = adapter.current(timeout)
    return LocationFix(DeviceStatus.OK if position else DeviceStatus.UNAVAILABLE, position)


def _status_of(adapter: object, rich: str, plain: str, *args: str) -> DeviceStatus:
    if hasattr(adapter, rich):
        return DeviceStatus(getattr(adapter, rich)(*args))
    return DeviceStatus.OK if getattr(adapter, plain)(*args) else DeviceStatus.UNAVAILABLE


def _guarded(call: Callable[[], T], fallback: T) -> T:
    try:
        return call()
    except Exception as exc:
        log.info("device adapter failed: %s", type(exc).__name__)
        return fallback


@dataclass
class DevicePorts:
    location: Location
    notifier: Notifier
    haptics: Haptics

    @classmethod
    def null(cls) -> DevicePorts:
        return cls(NullLocation(), NullNotifier(), NullHaptics())

    @classmethod
    def plyer_or_null(cls) -> DevicePorts:
        """Desktop and web: plyer notifications where they work; no location or haptics."""
        return cls(NullLocation(), FirstThatWorks(PlyerNotifier()), NullHaptics())

    def with_first(self, *, location: Location | None = None, notifier: Notifier | None = None,
                   haptics: Haptics | None = None) -> DevicePorts:
        """These ports, with the given adapters tried before the existing ones."""
        return DevicePorts(
            FirstThatWorks(location, self.location) if location else self.location,
            FirstThatWorks(notifier, self.notifier) if notifier else self.notifier,
            FirstThatWorks(haptics, self.haptics) if haptics else self.haptics,
        )
