"""First run (choose a PIN, twice) and unlock. The key derivation runs off the event loop
while the screen shows that it is working.

PIN fields open the phone's number pad; a switch ("Bruk passfrase") turns them into text
fields for a passphrase. Keyboards are told not to learn, suggest or correct what is typed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, cast

import flet as ft

from ..kit.widgets import TARGET, active, big_button, tagged
from ..shell import Body, Screen


def _pin_field(label: str, ident: str, show_label: str, typed: dict[str, str],
               on_submit: Callable[..., Any] | None = None) -> ft.TextField:
    """A PIN field with a named show/hide button (typing in the rain needs to check).

    Every keystroke's value is kept in ``typed`` from the change event: events reach the
    app in the order they happened, so the PIN tried is always the PIN that was typed, even
    when the field's own value arrives later than the tap on "Lås opp"."""
    def changed(e: ft.Event[ft.TextField]) -> None:
        typed[ident] = e.data if isinstance(e.data, str) else (e.control.value or "")

    field = ft.TextField(label=label, password=True, text_size=20,
                         keyboard_type=ft.KeyboardType.NUMBER, autocorrect=False,
                         enable_suggestions=False, enable_ime_personalized_learning=False,
                         autofocus=ident.endswith("1") or ident == "pin",
                         on_submit=active(on_submit) if on_submit else None,
                         on_change=active(changed))

    def toggle(e: object) -> None:
        field.password = not field.password
        reveal.icon = ft.Icons.VISIBILITY if field.password else ft.Icons.VISIBILITY_OFF
        field.update()

    reveal = ft.IconButton(icon=ft.Icons.VISIBILITY, tooltip=show_label,
                           on_click=active(toggle),
                           size_constraints=ft.BoxConstraints(min_width=TARGET,
                                                              min_height=TARGET))
    field.suffix_icon = reveal
    field.data = ident
    return field


class _PinForm:
    """PIN fields, an error line and a busy row; ``submit`` runs the slow work in a thread."""

    def __init__(self, screen: Screen, labels: list[tuple[str, str]],
                 work: Callable[..., str | None], button_key: str, ident: str):
        self.screen = screen
        self.work = work
        self.typed: dict[str, str] = {}
        self.fields = [_pin_field(label, key, screen.t("pin.show"), self.typed,
                                  on_submit=self.submit) for label, key in labels]
        self.error = ft.Text("", color=ft.Colors.ERROR, size=16)
        self.error_box = tagged("pin-error", ft.Semantics(live_region=True, content=self.error))
        self.error_box.visible = False
        self.working = ft.Row([ft.ProgressRing(width=22, height=22),
                               ft.Text(screen.t("pin.working"))], visible=False)
        self.button = big_button(screen.t(button_key), self.submit, ident=ident, primary=True,
                                 icon=ft.Icons.LOCK_OPEN)
        self.passphrase = ft.Switch(label=screen.t("pin.use_passphrase"), value=False,
                                    on_change=active(self._keyboard_changed))

    def controls(self) -> list[ft.Control]:
        tagged_fields = [tagged(f.data, f) for f in self.fields]
        return [*tagged_fields, tagged("pin-passphrase", self.passphrase), self.error_box,
                self.working]

    def _keyboard_changed(self, e: object = None) -> None:
        """Number pad for a PIN, the full keyboard for a passphrase."""
        keyboard = ft.KeyboardType.TEXT if self.passphrase.value else ft.KeyboardType.NUMBER
        for field in self.fields:
            field.keyboard_type = keyboard
        self.screen.page.update()

    def _set_working(self, working: bool) -> None:
        self.working.visible = working
        row = self.button.content if isinstance(self.button, ft.Semantics) else None
        if isinstance(row, ft.Row):  # big_button: Semantics(Row([button]))
            row.controls[0].disabled = working
        for field in self.fields:
            field.disabled = working
        self.screen.page.update()

    async def submit(self, e: object = None) -> None:
        if self.working.visible:
            return
        values = [self.typed.get(f.data, f.value or "") for f in self.fields]
        # empty the fields as the tap is taken, not after the slow check: typing again right
        # after an error can then never be overwritten by a late clear
        self.typed.clear()
        for field in self.fields:
            field.value = ""
        self.error_box.visible = False
        self._set_working(True)
        try:
            message = await asyncio.to_thread(self.work, *values)
        finally:
            self._set_working(False)
        if message is None:
            self.screen.router.after_unlock()
            return
        # Flet 1.0.5 leaves focus() unannotated
        focus = cast(Callable[[], Awaitable[None]], self.fields[0].focus)
        await focus()  # type again at once
        self.error.value, self.error_box.visible = message, True
        self.screen.page.update()


def setup_screen(screen: Screen) -> Body:
    t = screen.t
    form = _PinForm(screen, [(t("pin.choose"), "pin-1"), (t("pin.repeat"), "pin-2")],
                    screen.app.create_logbook, "pin.create", "pin-create")
    intro = ft.Text(t("pin.setup_intro"), size=16)
    return Body(t("pin.setup_title"), [intro, *form.controls()], bottom=[form.button],
                back=None, show_lock=False)


def unlock_screen(screen: Screen) -> Body:
    t = screen.t
    form = _PinForm(screen, [(t("pin.label"), "pin")], screen.app.unlock,
                    "pin.unlock", "pin-unlock")
    controls: list[ft.Control] = [
        ft.Row([ft.Icon(ft.Icons.SHIELD, size=40, color=ft.Colors.PRIMARY),
                ft.Text(t("app.name"), size=24, weight=ft.FontWeight.W_600)]),
    ]
    reason = screen.app.locked_reason
    if reason in ("idle", "hidden"):
        controls.append(ft.Text(t("pin.locked_" + reason), size=15))
    controls.extend(form.controls())
    return Body(t("pin.unlock_title"), controls, bottom=[form.button], back=None,
                show_lock=False)
