"""The wrong-PIN counter in ``<data_dir>/lockout.json``.

The counter is not secret (it only slows down guessing through the app); what matters is that
it is incremented and made durable *before* the KDF runs, so killing the app during an unlock
still counts the attempt. It is reset after a successful unwrap.

Schedule: 5 free failures, then a wait measured from the last failure: 30 s after the 5th,
60 s after the 6th, 300 s after the 7th and 900 s after the 8th and every later failure.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import LockedOut
from .files import atomic_replace

FREE_ATTEMPTS = 5
_DELAYS = {5: 30.0, 6: 60.0, 7: 300.0}
_MAX_DELAY = 900.0


def delay_after(failures: int) -> float:
    """Seconds to wait after ``failures`` consecutive failures."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return _DELAYS.get(failures, _MAX_DELAY)


def attempts_left(failures: int) -> int:
    return max(FREE_ATTEMPTS - failures, 0)


@dataclass(frozen=True)
class LockoutState:
    failures: int
    last_failure: float


class LockoutCounter:
    """Reads and writes the failure counter for one data directory."""

    def __init__(self, path: Path, clock: Callable[[], float]) -> None:
        self.path = path
        self._clock = clock

    def state(self) -> LockoutState:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return LockoutState(0, 0.0)
        try:
            data = json.loads(raw)
            return LockoutState(int(data["failures"]), float(data["last_failure"]))
        except (ValueError, KeyError, TypeError):
            # Unreadable counter: be strict rather than hand out fresh attempts.
            return LockoutState(FREE_ATTEMPTS, os.stat(self.path).st_mtime)

    def check(self) -> None:
        """Raise LockedOut while the delay after the last failure is still running."""
        state = self.state()
        delay = delay_after(state.failures)
        if delay <= 0:
            return
        elapsed = max(self._clock() - state.last_failure, 0.0)
        if elapsed < delay:
            raise LockedOut(retry_after=delay - elapsed)

    def record_attempt(self) -> int:
        """Count this attempt as a failure, durably, and return the new failure count."""
        failures = self.state().failures + 1
        self._write(LockoutState(failures, self._clock()))
        return failures

    def reset(self) -> None:
        self._write(LockoutState(0, 0.0))

    def _write(self, state: LockoutState) -> None:
        payload = {"failures": state.failures, "last_failure": state.last_failure}
        atomic_replace(self.path, json.dumps(payload).encode())
