"""The fixture itself: what would make a screen fail in the browser fails here too — an
exception in a handler or in background work, a value the client cannot receive, a hidden or
disabled control — and the work a tap starts is finished before the test looks."""

from __future__ import annotations

import asyncio

import flet as ft
import pytest

from tests.screens.client import ClientError
from tests.screens.driver import ScreenDriver


class Probe:
    """A one-screen composition standing in for views.app.mount."""

    def __init__(self) -> None:
        self.status = ft.Text("waiting")

    def mount(self, page: ft.Page, app) -> None:
        def broken(e) -> None:
            raise RuntimeError("the handler broke")

        async def slow(e) -> None:
            self.status.value = await asyncio.to_thread(lambda: "done in a thread")
            page.update()

        def unsendable(e) -> None:
            self.status.data = None
            self.status.value = object()  # type: ignore[assignment]
            page.update()

        async def later() -> None:
            raise ValueError("background work broke")

        def start_background(e) -> None:
            page.run_task(later)

        def tag(ident: str, control: ft.Control) -> ft.Control:
            return ft.Semantics(identifier=ident, content=control)

        page.views.append(ft.View(route="/", appbar=ft.AppBar(title=ft.Text("Probe")), controls=[
            tag("status", self.status),
            tag("broken", ft.Button("Broken", on_click=broken)),
            tag("slow", ft.Button("Slow", on_click=slow)),
            tag("unsendable", ft.Button("Unsendable", on_click=unsendable)),
            tag("background", ft.Button("Background", on_click=start_background)),
            tag("hidden", ft.Button("Hidden", on_click=slow, visible=False)),
            ft.Column([tag("inside-disabled", ft.Button("Off", on_click=slow))], disabled=True),
        ]))
        page.update()


@pytest.fixture
def probe(app):
    p = Probe()
    driver = ScreenDriver.mount(app, compose=p.mount)
    yield driver
    driver.close()


def test_a_tap_waits_for_the_work_it_started(probe):
    probe.tap("slow")
    assert probe.text("status") == "done in a thread"


def test_an_exception_in_a_handler_fails_the_test(probe):
    with pytest.raises(ClientError, match="the handler broke"):
        probe.tap("broken")


def test_an_exception_in_background_work_fails_the_test(probe):
    with pytest.raises(ClientError, match="background work broke"):
        probe.tap("background")


def test_a_value_the_client_cannot_receive_fails_the_test(probe):
    with pytest.raises(ClientError, match="serializ|Object of type|can not serialize"):
        probe.tap("unsendable")


def test_hidden_and_disabled_controls_cannot_be_used(probe):
    assert not probe.has("hidden")
    with pytest.raises(AssertionError, match="not shown"):
        probe.tap("hidden")
    with pytest.raises(AssertionError, match="disabled"):
        probe.tap("inside-disabled")
