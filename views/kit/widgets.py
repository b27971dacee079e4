"""Building blocks of every screen: big labelled buttons, choice chips, the confidential mark.

Every control a person taps has a visible label or a tooltip (its accessible name) and, for the
browser tests, a Semantics identifier. Touch targets are at least 48 px high.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

import flet as ft

NAVY = "#0B2A4A"
TARGET = 48          # minimum touch target (px)
BIG_TARGET = 64      # the main actions on Home and the save buttons


def note_activity(event: Any) -> None:
    """Restart the idle timer of the session's AppState (kept in ``page.data``)."""
    try:
        app = event.page.data
    except (AttributeError, RuntimeError):
        return
    if hasattr(app, "touch"):
        app.touch()


def active(handler: Callable[..., Any] | None) -> Callable[..., Any] | None:
    """Wrap an event handler (taking the event) so that every tap restarts the idle timer."""
    if handler is None:
        return None
    if inspect.iscoroutinefunction(handler):
        async def wrapped_async(e: object) -> Any:
            note_activity(e)
            return await handler(e)
        return wrapped_async

    def wrapped(e: object) -> Any:
        note_activity(e)
        return handler(e)
    return wrapped


def tagged(ident: str, control: ft.Control) -> ft.Control:
    """Give a control a stable identifier the browser tests can find."""
    return ft.Semantics(identifier=ident, content=control)


def big_button(label: str, on_click: Callable[..., Any], *, ident: str,
               icon: ft.IconData | None = None, primary: bool = False,
               disabled: bool = False, height: int = BIG_TARGET) -> ft.Control:
    style = ft.ButtonStyle(
        shape=ft.RoundedRectangleBorder(radius=14),
        text_style=ft.TextStyle(size=18, weight=ft.FontWeight.W_600),
        padding=ft.Padding.symmetric(horizontal=16),
        alignment=ft.Alignment.CENTER_LEFT if icon else ft.Alignment.CENTER,
    )
    kind = ft.FilledButton if primary else ft.FilledTonalButton
    text = ft.Text(label, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS)
    button = kind(content=text, icon=icon, on_click=active(on_click), style=style,
                  height=height, expand=True, disabled=disabled)
    return tagged(ident, ft.Row([button]))


def small_button(label: str, on_click: Callable[..., Any], *, ident: str,
                 icon: ft.IconData | None = None, url: str | None = None) -> ft.Control:
    button = ft.OutlinedButton(content=label, icon=icon, on_click=active(on_click), url=url,
                               height=TARGET,
                               style=ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=12)))
    return tagged(ident, button)


def icon_action(icon: ft.IconData, label: str, on_click: Callable[..., Any], *,
                ident: str) -> ft.Control:
    """An icon-only button: the tooltip is its accessible name."""
    button = ft.IconButton(icon=icon, tooltip=label, on_click=active(on_click),
                           size_constraints=ft.BoxConstraints(min_width=TARGET,
                                                              min_height=TARGET))
    return tagged(ident, button)


class ChoiceChips:
    """A wrap of chips for a code list; single or multiple choice. ``value`` is a set."""

    def __init__(self, options: Iterable[tuple[str, str]], selected: Iterable[str] = (), *,
                 multiple: bool = True, ident: str = "chip",
                 on_change: Callable[[set[str]], None] | None = None):
        self.multiple = multiple
        self.value: set[str] = set(selected)
        self.on_change = on_change
        self._chips: dict[str, ft.Chip] = {}
        controls = []
        for code, label in options:
            chip = ft.Chip(label=ft.Text(label, size=16, max_lines=3), selected=code in self.value,
                           on_select=active(lambda e, c=code: self._toggle(c)),
                           padding=ft.Padding.symmetric(horizontal=8, vertical=14))
            self._chips[code] = chip
            controls.append(tagged(f"{ident}-{code}", chip))
        self.control = ft.Row(controls, wrap=True, spacing=8, run_spacing=8)

    def _toggle(self, code: str) -> None:
        if code in self.value:
            self.value.discard(code)
        else:
            if not self.multiple:
                self.value.clear()
            self.value.add(code)
        for key, chip in self._chips.items():
            chip.selected = key in self.value
        self.control.update()
        if self.on_change is not None:
            self.on_change(set(self.value))

    def select(self, code: str) -> None:
        """Choose an offered code from the app, as if it were tapped (no-op when chosen)."""
        if code in self._chips and code not in self.value:
            self._toggle(code)

    @property
    def single(self) -> str:
        return next(iter(self.value), "")


def confidential_mark(label: str) -> ft.Control:
    """The visible mark on fields and sections under the duty of confidentiality."""
    return ft.Container(
        content=ft.Row([ft.Icon(ft.Icons.LOCK, size=16, color=ft.Colors.ON_ERROR_CONTAINER),
                        ft.Text(label, size=13, weight=ft.FontWeight.W_600,
                                color=ft.Colors.ON_ERROR_CONTAINER)],
                       spacing=4, tight=True),
        bgcolor=ft.Colors.ERROR_CONTAINER,
        border_radius=8,
        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
    )


def heading(text: str) -> ft.Control:
    return ft.Semantics(header=True, content=ft.Text(
        text, theme_style=ft.TextThemeStyle.TITLE_MEDIUM, weight=ft.FontWeight.W_600))


def status_line(icon: ft.IconData, text: str, *, ident: str,
                warn: bool = False) -> ft.Control:
    color = ft.Colors.ERROR if warn else ft.Colors.PRIMARY
    return tagged(ident, ft.Row(
        [ft.Icon(icon, color=color, size=22), ft.Text(text, size=16, expand=True)],
        spacing=10))


def card(*controls: ft.Control, ident: str | None = None,
         on_click: Callable[..., Any] | None = None) -> ft.Control:
    box = ft.Container(
        content=ft.Column(list(controls), spacing=6),
        padding=12, border_radius=12, on_click=active(on_click),
        bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST if on_click else ft.Colors.SURFACE_CONTAINER,
    )
    return tagged(ident, box) if ident else box


def themes() -> tuple[ft.Theme, ft.Theme]:
    """Light and dark themes from the police navy."""
    none = ft.PageTransitionTheme.NONE  # screens swap at once: no waiting in the rain
    transitions = ft.PageTransitionsTheme(android=none, ios=none, linux=none, macos=none,
                                          windows=none)
    light = ft.Theme(color_scheme_seed=NAVY, use_material3=True, page_transitions=transitions)
    dark = ft.Theme(color_scheme_seed=NAVY, use_material3=True, page_transitions=transitions)
    return light, dark


def single_choice(ident: str, options: list[tuple[str, str]], selected: str,
                  on_change: Callable[[str], object]) -> ft.Control:
    """Chips of which exactly one is chosen; ``on_change`` gets the chosen code."""
    def chosen(values: set[str]) -> None:
        if values:
            on_change(next(iter(values)))

    return ChoiceChips(options, [selected], multiple=False, ident=ident,
                       on_change=chosen).control
