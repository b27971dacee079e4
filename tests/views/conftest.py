"""Fixtures for the view-state tests: a real sealed logbook in a temp dir, fast KDF."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fieldapp.store import KdfParams, MemoryKeyStore
from main import DirectoryLogbooks
from views.state import AppState

PIN = "482913"


class Clock:
    """A settable monotonic clock and wall clock for the idle timer and the dates."""

    def __init__(self) -> None:
        self.seconds = 1000.0
        self.wall = datetime(2026, 3, 11, 9, 30, tzinfo=UTC)  # a Wednesday

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> datetime:
        return self.wall


@pytest.fixture
def factory(tmp_path):
    return DirectoryLogbooks(tmp_path / "data", kdf=KdfParams.FLOOR, keystore=MemoryKeyStore())


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(factory, clock):
    state = AppState(factory, monotonic=clock.monotonic, now=clock.now)
    yield state
    state.lock("closed")


@pytest.fixture
def unlocked(app):
    assert app.create_logbook(PIN, PIN) is None
    return app
