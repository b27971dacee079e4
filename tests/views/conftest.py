"""Fixtures for the view-state tests: a real sealed logbook in a temp dir, fast KDF."""

from __future__ import annotations

import pytest

from fieldapp.store import KdfParams, MemoryKeyStore
from main import DirectoryLogbooks
from tests.support.clocks import AppClock
from tests.support.pins import PIN
from views.state import AppState


@pytest.fixture
def factory(tmp_path):
    return DirectoryLogbooks(tmp_path / "data", kdf=KdfParams.FLOOR, keystore=MemoryKeyStore())


@pytest.fixture
def clock():
    return AppClock()


@pytest.fixture
def app(factory, clock):
    state = AppState(factory, monotonic=clock.monotonic, now=clock.now)
    yield state
    state.lock("closed")


@pytest.fixture
def unlocked(app):
    assert app.create_logbook(PIN, PIN) is None
    return app


# -- screens built without a Flet client: a page and a router that only record ---------------


class FakePage:
    width, height, route = 390, 844, "/"

    def __init__(self) -> None:
        self.dialogs: list = []
        self.views: list = []

    def update(self, *controls) -> None:
        pass

    def run_task(self, *args, **kwargs) -> None:
        pass

    def show_dialog(self, dialog) -> None:
        self.dialogs.append(dialog)

    def pop_dialog(self) -> None:
        return None


class FakeRouter:
    def __init__(self, app) -> None:
        self.app, self.page = app, FakePage()
        self.went: list[str] = []
        self.rendered: list[str] = []
        self.actions_height, self.current = 0.0, None

    def go(self, route: str) -> None:
        self.went.append(route)

    def render(self, route: str, *, force: bool = False) -> None:
        self.rendered.append(route)

    def haptics_confirm(self) -> None:
        pass

    def set_busy(self, busy: bool) -> None:
        pass


@pytest.fixture
def screen_at(unlocked, monkeypatch):
    """screen_at("/observation/new") -> a views.shell.Screen on a recording router; controls
    may call update() off the page."""
    import flet as ft

    from views.routes import resolve
    from views.shell import Screen

    monkeypatch.setattr(ft.BaseControl, "update", lambda self, *a, **k: None)
    router = FakeRouter(unlocked)

    def make(route: str):
        entry, params = resolve(route)
        return Screen(router, route, params)
    return make
