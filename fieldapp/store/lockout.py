"""The wrong-PIN counter, kept in the key store beside the device secret.

Schedule: 5 free failures, then a wait measured from the last failure: 30 s after the 5th,
60 s after the 6th, 300 s after the 7th and 900 s after the 8th and every later failure.

The counter is an authenticated key-store value (see :mod:`fieldapp.store.values`), not a
file in the data directory, so deleting, restoring or editing files there buys no attempts.
It is incremented and made durable *before* the KDF runs, so killing the app during an unlock
still counts the attempt, and reset after a successful unwrap. A counter that is missing for a
logbook that has one, that does not authenticate, or that holds a negative or malformed count
is tampering: it is treated as ``TAMPERED_FAILURES`` failures noticed now (a 900 s wait, then
900 s after each further failure until the right PIN is entered).

Time: each failure stores the wall clock, the monotonic clock and the boot id (Linux and
Android ``/proc/sys/kernel/random/boot_id``; elsewhere an id of this process). While the boot
id matches, the elapsed time is the *smaller* of the wall-clock and monotonic readings, so
moving the wall clock forward skips nothing, even across app restarts. After a reboot (or on a
platform without a boot id, after a restart) only the wall clock is left. A wall clock that is
behind the stored failure time never shortens the wait: the failure time is moved back to now
and the whole remaining wait runs again. Limits: after a reboot, a wall clock set forward does
shorten the wait; a key store rolled back to an older copy (a rooted phone) is out of scope.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeGuard

from .errors import LockedOut, StoreDamaged
from .values import ValueBox

FREE_ATTEMPTS = 5
TAMPERED_FAILURES = 8
_DELAYS = {5: 30.0, 6: 60.0, 7: 300.0}
_MAX_DELAY = 900.0
VALUE_KIND = "lockout"
BOOT_ID_PATH = Path("/proc/sys/kernel/random/boot_id")
_PROCESS_BOOT = "process-" + secrets.token_hex(8)

Clock = Callable[[], float]


def delay_after(failures: int) -> float:
    """Seconds to wait after ``failures`` consecutive failures."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return _DELAYS.get(failures, _MAX_DELAY)


def attempts_left(failures: int) -> int:
    return max(FREE_ATTEMPTS - failures, 0)


def boot_id() -> str:
    """An id of this boot of the machine when readable, else of this process."""
    try:
        text = BOOT_ID_PATH.read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return _PROCESS_BOOT
    return f"boot-{text}" if 8 <= len(text) <= 64 else _PROCESS_BOOT


@dataclass(frozen=True)
class LockoutState:
    failures: int
    last_failure: float  # wall clock
    boot: str = ""
    monotonic: float = 0.0


def _is_time(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and value == value  # not NaN


def _parse(value: dict[str, Any]) -> LockoutState:
    """The stored state, or BadCount for anything but a well-formed non-negative count."""
    failures, last = value.get("failures"), value.get("last_failure")
    boot, mono = value.get("boot", ""), value.get("monotonic", 0.0)
    if type(failures) is not int or not 0 <= failures <= 10**6:
        raise _BadCount()
    if not (_is_time(last) and _is_time(mono)):
        raise _BadCount()
    if not isinstance(boot, str):
        raise _BadCount()
    return LockoutState(failures, float(last), boot, float(mono))


class _BadCount(ValueError):
    pass


class LockoutCounter:
    """Reads and writes the failure counter of one logbook."""

    def __init__(self, box: ValueBox, clock: Clock, monotonic: Clock = time.monotonic, *,
                 legacy_file: Path | None = None) -> None:
        self.box = box
        self.name = box.name(VALUE_KIND)
        self._clock = clock
        self._monotonic = monotonic
        #: Version-1 logbooks kept the counter in this data-dir file: imported once.
        self._legacy_file = legacy_file

    def state(self) -> LockoutState:
        """The stored state; tampering comes back as TAMPERED_FAILURES noticed now."""
        try:
            value = self.box.read(VALUE_KIND)
        except StoreDamaged:
            value = {}
        if value is None and self._legacy_file is not None:
            return self._import_legacy(self._legacy_file)
        if value is not None and value.get("retired") is True:
            raise StoreDamaged("rolled_back", "An older copy of the key file was put back.")
        try:
            return _parse(value or {})
        except _BadCount:
            tampered = self._now_state(TAMPERED_FAILURES)
            self._write(tampered)
            return tampered

    def check(self) -> None:
        """Raise LockedOut while the delay after the last failure is still running."""
        state = self.state()
        delay = delay_after(state.failures)
        if delay <= 0:
            return
        wall_elapsed = self._clock() - state.last_failure
        same_boot = state.boot == boot_id()
        mono_elapsed = max(self._monotonic() - state.monotonic, 0.0) if same_boot else None
        if wall_elapsed < 0:
            # The wall clock is behind the failure: trust only what is known to have passed.
            elapsed = min(mono_elapsed or 0.0, delay)
            self._write(LockoutState(state.failures, self._clock() - elapsed,
                                     state.boot, state.monotonic))
        else:
            elapsed = wall_elapsed if mono_elapsed is None else min(wall_elapsed, mono_elapsed)
        if elapsed < delay:
            raise LockedOut(retry_after=delay - elapsed)

    def record_attempt(self) -> int:
        """Count this attempt as a failure, durably, and return the new failure count."""
        failures = self.state().failures + 1
        self._write(self._now_state(failures))
        return failures

    def reset(self) -> None:
        self._write(LockoutState(0, 0.0))

    def retire(self) -> None:
        """Mark this counter as replaced (a version-1 key file was upgraded): a restored copy
        of the old key file then finds a retired counter and waits the maximum."""
        self.box.write(VALUE_KIND, {"retired": True})

    def _now_state(self, failures: int) -> LockoutState:
        return LockoutState(failures, self._clock(), boot_id(), self._monotonic())

    def _import_legacy(self, legacy_file: Path) -> LockoutState:
        try:
            data = json.loads(legacy_file.read_bytes())
            state = LockoutState(int(data["failures"]), float(data["last_failure"]))
            if state.failures < 0:
                raise ValueError("negative")
        except FileNotFoundError:
            state = LockoutState(0, 0.0)
        except (OSError, ValueError, KeyError, TypeError):
            state = self._now_state(TAMPERED_FAILURES)
        self._write(state)
        return state

    def _write(self, state: LockoutState) -> None:
        self.box.write(VALUE_KIND, asdict(state))
