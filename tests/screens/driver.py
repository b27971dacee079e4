"""Drive the mounted app as a person does in the browser journeys, without a browser:

    ui = ScreenDriver.mount(app)         # views.app.mount on a real Page, FakeClient attached
    ui.open("/observation/new")          # the address bar (the lock guard still decides)
    ui.tap("obs-categories-alcohol")     # a chip, a button, a card, an icon in the app bar
    ui.type("obs-place", "Ålgård")        # value patched as the client does, then on_change
    ui.tap("obs-save")
    assert ui.route == "/" and "Observasjonen er lagret" in ui.toasts()

Every interaction goes through Flet's ``Session.dispatch_event`` and then lets the loop run
until the work it started (``run_task``, ``asyncio.to_thread``) is done; an exception anywhere
in it fails the test (:class:`client.ClientError`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import flet as ft

from views.app import mount
from views.routes import Router
from views.shell import notices
from views.state import AppState

from . import tree
from .client import FakeClient, connect, quiet


class ScreenDriver:
    def __init__(self, client: FakeClient, app: AppState, router: Router):
        self.client = client
        self.session = client.session
        assert self.session is not None
        self.page: ft.Page = self.session.page
        self.app = app
        self.router = router
        self.loop = client.loop
        self.settle()

    @classmethod
    def mount(cls, app: AppState, *, route: str = "/", page: dict[str, Any] | None = None,
              compose: Callable[[ft.Page, AppState], Router] = mount) -> ScreenDriver:
        mounted: dict[str, Router] = {}
        client, _ = connect(lambda p: mounted.setdefault("router", compose(p, app)),
                            route=route, page=page)
        client.raise_errors()
        return cls(client, app, mounted["router"])

    # -- the loop --------------------------------------------------------------------------

    def _run(self, work: Any) -> None:
        async def step() -> None:
            if work is not None:
                await work
            await quiet()
        self.loop.run_until_complete(step())
        self.client.raise_errors()

    def settle(self) -> None:
        """Let every started piece of work finish (threads included)."""
        self._run(None)

    def close(self) -> None:
        """The session ends (the browser tab closed for good): Flet's close event."""
        if self.loop.is_closed():
            return
        async def end() -> None:
            self.session.close()  # dispatches ``close`` -> views.app's on_close

        try:
            self._run(end())
        finally:
            for task in asyncio.all_tasks(self.loop):
                task.cancel()
            self.loop.run_until_complete(asyncio.sleep(0))
            self.client.dispose()
            self.loop.close()

    # -- what is shown ----------------------------------------------------------------------

    @property
    def view(self) -> ft.View:
        assert self.page.views, "no screen is shown"
        return self.page.views[-1]

    @property
    def route(self) -> str:
        """The route of the screen shown."""
        return str(self.view.route)

    @property
    def title(self) -> str:
        title = self.view.appbar.title  # type: ignore[union-attr]
        return str(title.value)

    def _roots(self) -> list[Any]:
        dialogs = [d for d in self.page._dialogs.controls if d.open]
        return [self.view, *dialogs, *self.page.overlay]

    def has(self, ident: str) -> bool:
        return tree.marked(self._roots(), ident) is not None

    def find(self, ident: str) -> Any:
        """The shown control marked ``ident`` (its Semantics' content)."""
        node = tree.marked(self._roots(), ident)
        if node is None:
            shown = ", ".join(tree.identifiers(self._roots()))
            raise AssertionError(f"{ident!r} is not shown on {self.route}; shown: {shown}")
        return node.control.content

    def idents(self, prefix: str = "") -> list[str]:
        return tree.identifiers([self.view], prefix)

    def text(self, ident: str) -> str:
        """Everything readable under one mark, joined by newlines."""
        node = tree.marked(self._roots(), ident)
        return "\n".join(tree.texts(node.control if node else self.find(ident)))

    def texts(self) -> list[str]:
        """Everything readable on the screen (app bar included), dialogs left out."""
        return tree.texts([self.view])

    def shows(self, words: str) -> bool:
        return any(words in t for t in self.texts())

    def dialog(self) -> list[str]:
        """What the open dialog (not a toast) says, title and buttons included."""
        return [t for d in self.page._dialogs.controls
                if d.open and not isinstance(d, ft.SnackBar) for t in tree.texts(d)]

    def toasts(self) -> list[str]:
        """The confirmations given since the screen session began, oldest first: a line
        above the pinned actions or a snackbar (``views.shell.Screen.toast``)."""
        return notices(self.page)

    def notice(self) -> str:
        """The confirmation line shown above the pinned actions now ('' when none)."""
        node = tree.marked([self.view], "notice")
        return "\n".join(tree.texts(node.control)) if node else ""

    def snackbars(self) -> list[str]:
        """The snackbars shown since the screen session began, oldest first."""
        return [t for d in self.page._dialogs.controls if isinstance(d, ft.SnackBar)
                for t in tree.texts(d.content)]

    def field(self, ident: str) -> ft.TextField:
        return self._field(ident).control

    def _field(self, ident: str) -> tree.Node:
        node = tree.marked(self._roots(), ident)
        found = tree.first(node, ft.TextField) if node else None
        if found is None:
            raise AssertionError(f"no text field {ident!r} on {self.route}")
        return found

    # -- what a person does ---------------------------------------------------------------------

    def _event(self, control: Any, name: str, data: Any = None,
               props: dict[str, Any] | None = None) -> None:
        if props:  # the client updates the control's properties before the event
            self.session.apply_patch(control._i, props)
        self._run(self.session.dispatch_event(control._i, name, data))

    def open(self, route: str) -> None:
        """Type a route into the address bar."""
        self._run(self.client.route_changed(route))

    def tap(self, ident: str) -> None:
        node = tree.marked(self._roots(), ident)
        target = tree.tappable(node) if node else None
        if target is None:
            self.find(ident)  # says what is shown instead
            raise AssertionError(f"nothing to tap in {ident!r}")
        if target.disabled:
            raise AssertionError(f"{ident!r} is disabled")
        control = target.control
        if isinstance(control, ft.Chip):
            self._event(control, "select", not control.selected,
                        {"selected": not control.selected})
        elif isinstance(control, ft.Checkbox | ft.Switch):
            self._event(control, "change", None, {"value": not control.value})
        else:
            self._event(control, "click")

    def check(self, ident: str, value: bool = True) -> None:
        """Set a checkbox or switch (a tap only when it is not set that way already)."""
        node = tree.marked(self._roots(), ident)
        box = tree.first(node, (ft.Checkbox, ft.Switch)) if node else None
        if box is None:
            raise AssertionError(f"no checkbox {ident!r} on {self.route}")
        if box.disabled:
            raise AssertionError(f"{ident!r} is disabled")
        if bool(box.control.value) != value:
            self._event(box.control, "change", None, {"value": value})

    def type(self, ident: str, text: str) -> None:
        """Replace a field's text, as the client reports typing: the value, then on_change."""
        node = self._field(ident)
        if node.disabled:
            raise AssertionError(f"{ident!r} is disabled")
        self._event(node.control, "change", text, {"value": text})

    def submit(self, ident: str) -> None:
        """Press Enter in a field."""
        self._event(self.field(ident), "submit")

    def lifecycle(self, state: str) -> None:
        """The app went to the background or came back (``hide``, ``show``, ``pause``…)."""
        self._event(self.page, "app_lifecycle_state_change", {"state": state})
