"""Settable clocks: a test moves time by hand instead of sleeping or reading the real clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class WallClock:
    """An aware datetime clock: call it for the time, ``advance(days=1)`` moves it on."""

    START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday morning

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class EpochClock:
    """Wall-clock seconds since the epoch (call it) and a monotonic clock (``monotonic()``).

    ``advance(s)`` moves both by the same seconds; ``advance(s, wall=w)`` moves the wall clock
    by ``w`` instead, as when someone sets the phone's clock.
    """

    def __init__(self, now: float = 1_000_000.0, mono: float = 50.0) -> None:
        self.now, self.mono = now, mono

    def __call__(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float, *, wall: float | None = None) -> None:
        self.mono += seconds
        self.now += seconds if wall is None else wall


class AppClock:
    """The two clocks the app state reads: ``monotonic()`` seconds for the idle timer and
    ``now()`` for the dates; set ``seconds`` and ``wall`` to move them."""

    def __init__(self) -> None:
        self.seconds = 1000.0
        self.wall = datetime(2026, 3, 11, 9, 30, tzinfo=UTC)  # a Wednesday

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> datetime:
        return self.wall
