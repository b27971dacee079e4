"""Home's school action: check out of the open visit, or check in at a school it names.

One school known: the big button names it ("Sjekk inn på" over the school's name). Several:
the big button names the suggested one (the last school checked in at, else the first served)
and a row of buttons right under it names each other served school, so every school is one
tap and none is chosen without being named. No school known: the button opens the picker.
"""

from __future__ import annotations

import flet as ft

from ..kit.widgets import TARGET, active, big_button, tagged
from ..schools import presenter as schools
from ..shell import Screen
from .presenter import TodayStatus


def _named_button(screen: Screen, school: str, height: int) -> ft.Control:
    """The big check-in button, two lines: what it does, and where."""
    label = ft.Column([ft.Text(screen.t("home.check_in_at"), size=14),
                       ft.Text(school, size=18, weight=ft.FontWeight.W_600, max_lines=1,
                               overflow=ft.TextOverflow.ELLIPSIS)],
                      spacing=0, tight=True, alignment=ft.MainAxisAlignment.CENTER)
    button = ft.FilledButton(
        content=label, icon=ft.Icons.LOGIN, height=height, expand=True,
        tooltip=screen.t("home.check_in_school", school=school),
        on_click=active(lambda e: schools.check_in_tapped(screen, school)),
        style=ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=14),
                             padding=ft.Padding.symmetric(horizontal=16),
                             alignment=ft.Alignment.CENTER_LEFT))
    return tagged("home-check-in", ft.Row([button]))


def _other_school(screen: Screen, i: int, school: str) -> ft.Control:
    button = ft.OutlinedButton(
        content=ft.Text(school, size=15), icon=ft.Icons.LOGIN, height=TARGET,
        tooltip=screen.t("home.check_in_school", school=school),
        on_click=active(lambda e: schools.check_in_tapped(screen, school)),
        style=ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=12),
                             padding=ft.Padding.symmetric(horizontal=12)))
    return tagged(f"home-check-in-{i}", button)


def school_actions(screen: Screen, status: TodayStatus, height: int) -> list[ft.Control]:
    """The pinned school action(s) at the top of Home's bottom actions."""
    t = screen.t
    visit = status.open_visit
    if visit is not None:
        return [big_button(t("home.check_out", school=visit.school),
                           lambda e: schools.check_out(screen, visit.id),
                           ident="home-check-out", icon=ft.Icons.LOGOUT, primary=True,
                           height=height)]
    offered = schools.check_in_schools(screen.logbook, screen.app.last_school)
    if not offered:
        return [big_button(t("home.check_in"), lambda e: schools.check_in_tapped(screen),
                           ident="home-check-in", icon=ft.Icons.LOGIN, primary=True,
                           height=height)]
    first, *others = offered
    controls = [_named_button(screen, first, height)]
    if others:
        controls.append(tagged("home-check-in-others", ft.Row(
            [_other_school(screen, i, s) for i, s in enumerate(others, 1)],
            wrap=True, spacing=8, run_spacing=8)))
    return controls
