"""Home's school action: check out of the open visit, or check in at a school it names.

One school known: the big button names it ("Sjekk inn på" over the school's name). Several:
the big button names the suggested one (the last school checked in at, else the first served)
and a row of buttons right under it names each other served school, so every school is one
tap and none is chosen without being named. No school known: the button opens the picker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from ..kit.widgets import TARGET, active, big_button, tagged
from ..schools import presenter as schools
from ..shell import Screen
from .presenter import TodayStatus

PER_ROW = 3  # other schools side by side, each a third of the width at the most


def _named_button(screen: Screen, action: str, school: str, height: int, *, ident: str,
                  icon: ft.IconData, on_click: Callable[..., Any]) -> ft.Control:
    """A big button in two lines: what it does ("Sjekk inn på"), and the school, whole."""
    label = ft.Column([ft.Text(screen.t(action), size=14),
                       ft.Text(school, size=18, weight=ft.FontWeight.W_600, max_lines=1,
                               overflow=ft.TextOverflow.ELLIPSIS)],
                      spacing=0, tight=True, alignment=ft.MainAxisAlignment.CENTER)
    button = ft.FilledButton(
        content=label, icon=icon, height=height, expand=True,
        tooltip=screen.t(action + "_school", school=school), on_click=active(on_click),
        style=ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=14),
                             padding=ft.Padding.symmetric(horizontal=16),
                             alignment=ft.Alignment.CENTER_LEFT))
    return tagged(ident, ft.Row([button]))


def _other_school(screen: Screen, i: int, school: str, with_icon: bool) -> ft.Control:
    button = ft.OutlinedButton(
        content=ft.Text(school, size=14, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS,
                        text_align=ft.TextAlign.CENTER),
        icon=ft.Icons.LOGIN if with_icon else None, height=TARGET,
        tooltip=screen.t("home.check_in_at_school", school=school),
        on_click=active(lambda e: schools.check_in_tapped(screen, school)),
        style=ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=12),
                             padding=ft.Padding.symmetric(horizontal=8)))
    holder = tagged(f"home-check-in-{i}", button)
    holder.expand = True  # the row shares its width among the buttons (the wrapper expands)
    return holder


def _other_schools(screen: Screen, others: list[str]) -> ft.Control:
    """One row of equal buttons for up to three schools (more: another row each three)."""
    buttons = [_other_school(screen, i, s, len(others) < PER_ROW)
               for i, s in enumerate(others, 1)]
    rows: list[ft.Control] = [ft.Row(buttons[i:i + PER_ROW], spacing=8)
            for i in range(0, len(buttons), PER_ROW)]
    return tagged("home-check-in-others", ft.Column(rows, spacing=8))


def school_actions(screen: Screen, status: TodayStatus, height: int) -> list[ft.Control]:
    """The pinned school action(s) at the top of Home's bottom actions."""
    t = screen.t
    visit = status.open_visit
    if visit is not None:
        return [_named_button(screen, "home.check_out_of", visit.school, height,
                              ident="home-check-out", icon=ft.Icons.LOGOUT,
                              on_click=lambda e: schools.check_out(screen, visit.id))]
    offered = schools.check_in_schools(screen.logbook, screen.app.last_school)
    if not offered:
        return [big_button(t("home.check_in"), lambda e: schools.check_in_tapped(screen),
                           ident="home-check-in", icon=ft.Icons.LOGIN, primary=True,
                           height=height)]
    first, *others = offered
    controls = [_named_button(screen, "home.check_in_at", first, height, ident="home-check-in",
                              icon=ft.Icons.LOGIN,
                              on_click=lambda e: schools.check_in_tapped(screen, first))]
    if others:
        controls.append(_other_schools(screen, others))
    return controls
