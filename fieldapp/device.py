"""Ports to the phone's hardware: location, notifications and haptic feedback.

Every port degrades quietly: a missing sensor, a refused permission or a platform that
plyer does not support gives ``None``/``False``, never an exception and never a blocked form.

    Location.current(timeout) -> Position | None
    Notifier.notify(title, message) -> bool     # texts must carry no personal data
    Haptics.confirm() -> bool                    # a short buzz after a save

Adapters here: plyer (imported lazily, inside functions only) and null. The Flet client's own
adapters (flet-geolocator, Flet's HapticFeedback) live in ``views/`` because ``fieldapp``
never imports flet.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float


class Location(Protocol):
    def current(self, timeout: float = 3.0) -> Position | None: ...


class Notifier(Protocol):
    def notify(self, title: str, message: str) -> bool: ...


class Haptics(Protocol):
    def confirm(self) -> bool: ...


class NullLocation:
    def current(self, timeout: float = 3.0) -> Position | None:
        return None


class NullNotifier:
    def notify(self, title: str, message: str) -> bool:
        return False


class NullHaptics:
    def confirm(self) -> bool:
        return False


# Where plyer has an implementation at all (elsewhere it prints a traceback, then fails).
PLYER_PLATFORMS = {
    "gps": {"android", "ios"},
    "vibrator": {"android", "ios"},
    "notification": {"android", "linux", "macosx", "win"},
}


def _plyer_facade(name: str) -> Any | None:
    """The plyer facade (gps, notification, vibrator) or None when plyer cannot serve it."""
    try:
        import plyer  # lazy on purpose: plyer probes the platform on import
        from plyer.utils import platform

        if str(platform) not in PLYER_PLATFORMS.get(name, set()):
            return None
        return getattr(plyer, name)
    except Exception as exc:  # plyer raises many kinds of errors off-phone
        log.debug("plyer %s unavailable: %s", name, type(exc).__name__)
        return None


class PlyerLocation:
    """One position fix through plyer's gps facade, waiting at most ``timeout`` seconds."""

    def current(self, timeout: float = 3.0) -> Position | None:
        gps = _plyer_facade("gps")
        if gps is None:
            return None
        found: list[Position] = []
        ready = threading.Event()

        def on_location(**kwargs: Any) -> None:
            try:
                found.append(Position(float(kwargs["lat"]), float(kwargs["lon"])))
            except (KeyError, TypeError, ValueError):
                return
            ready.set()

        try:
            gps.configure(on_location=on_location)
            gps.start(minTime=0, minDistance=0)
        except Exception as exc:
            log.debug("plyer gps failed: %s", type(exc).__name__)
            return None
        ready.wait(timeout)
        _quietly(gps.stop)
        return found[0] if found else None


class PlyerNotifier:
    def notify(self, title: str, message: str) -> bool:
        facade = _plyer_facade("notification")
        if facade is None:
            return False
        with warnings.catch_warnings():  # plyer warns when notify-send/dbus are missing
            warnings.simplefilter("ignore")
            return _quietly(lambda: facade.notify(title=title, message=message,
                                                  app_name="Politikontakt"))


class PlyerHaptics:
    def confirm(self) -> bool:
        facade = _plyer_facade("vibrator")
        if facade is None:
            return False
        return _quietly(lambda: facade.vibrate(0.05))


def _quietly(action: Callable[[], Any]) -> bool:
    try:
        action()
    except Exception as exc:
        log.debug("device call failed: %s", type(exc).__name__)
        return False
    return True


class FirstThatWorks:
    """Try adapters in order; the first that gives an answer wins (location, notify, buzz)."""

    def __init__(self, *adapters: Any):
        self.adapters = adapters

    def current(self, timeout: float = 3.0) -> Position | None:
        for adapter in self.adapters:
            position = _safe(lambda a=adapter: a.current(timeout), None)
            if position is not None:
                return position
        return None

    def notify(self, title: str, message: str) -> bool:
        return any(_safe(lambda a=a: a.notify(title, message), False) for a in self.adapters)

    def confirm(self) -> bool:
        return any(_safe(lambda a=a: a.confirm(), False) for a in self.adapters)


def _safe(call: Callable[[], Any], fallback: Any) -> Any:
    try:
        return call()
    except Exception as exc:
        log.debug("device adapter failed: %s", type(exc).__name__)
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
        """plyer where it works; each call falls back to nothing when it does not."""
        return cls(FirstThatWorks(PlyerLocation()), FirstThatWorks(PlyerNotifier()),
                   FirstThatWorks(PlyerHaptics()))

    def with_first(self, *, location: Location | None = None, notifier: Notifier | None = None,
                   haptics: Haptics | None = None) -> DevicePorts:
        """These ports, with the given adapters tried before the existing ones."""
        return DevicePorts(
            FirstThatWorks(location, self.location) if location else self.location,
            FirstThatWorks(notifier, self.notifier) if notifier else self.notifier,
            FirstThatWorks(haptics, self.haptics) if haptics else self.haptics,
        )
