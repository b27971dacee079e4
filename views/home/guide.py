"""Home's "Kom i gang": the first-run guide, until the municipalities served, their agreements
and their schools are set (``presenter.setup_steps``).

Each step is one tappable line that opens the screen where it is done, ticked when done; the
enrolment with the municipality's backend is the fourth, optional step.
"""

from __future__ import annotations

import flet as ft

from sync import enrolments

from ..kit.widgets import TARGET, active, card, heading, tagged
from ..shell import Screen
from .presenter import GuideStep, guide_needed, setup_steps


def _enrolled(screen: Screen) -> set[str]:
    return {e.municipality for e in enrolments(screen.logbook)}


def _step(screen: Screen, number: int, step: GuideStep) -> ft.Control:
    state = "done" if step.done else "todo"
    label = f"{number}. " + screen.t(f"home.guide.{step.name}.{state}")
    icon = ft.Icons.CHECK_CIRCLE if step.done else ft.Icons.RADIO_BUTTON_UNCHECKED
    button = ft.TextButton(
        content=ft.Container(height=TARGET, content=ft.Row(
            [ft.Icon(icon, size=22, color=ft.Colors.PRIMARY),
             ft.Text(label, size=16, expand=True, max_lines=2,
                     overflow=ft.TextOverflow.ELLIPSIS),
             ft.Icon(ft.Icons.CHEVRON_RIGHT, size=20)],
            spacing=10, vertical_alignment=ft.CrossAxisAlignment.CENTER)),
        on_click=active(lambda e, r=step.route: screen.go(r)),
        tooltip=screen.t("home.guide.done" if step.done else "home.guide.todo"),
        style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=4),
                             alignment=ft.Alignment.CENTER_LEFT,
                             shape=ft.RoundedRectangleBorder(radius=8)))
    return tagged(f"home-guide-{step.name}", button)


def guide(screen: Screen) -> list[ft.Control]:
    """The guide's heading and card, or nothing once set up."""
    if not guide_needed(screen.logbook):
        return []
    steps = setup_steps(screen.logbook, lambda: _enrolled(screen))
    return [heading(screen.t("home.guide.title")),
            tagged("home-guide", card(*(_step(screen, i, s) for i, s in enumerate(steps, 1))))]
