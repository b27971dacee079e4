"""Home, "I dag": the week's status on top, the big actions at the bottom (thumb reach)."""

from __future__ import annotations

import flet as ft

from fieldapp.domain.meetings import Meeting

from . import meeting_logic, report_logic, school_view
from .shell import Body, Screen
from .today import TodayStatus, school_due_key, today_status
from .widgets import big_button, card, heading, icon_action, small_button, status_line


def _status_controls(screen: Screen, status: TodayStatus) -> list[ft.Control]:
    t = screen.t
    lines: list[ft.Control] = [
        status_line(ft.Icons.CHECK_CIRCLE if status.presence_done else ft.Icons.SCHEDULE,
                    t("home.presence_done" if status.presence_done else "home.presence_not_yet"),
                    ident="home-presence", warn=not status.presence_done),
    ]
    if status.open_visit is not None:
        lines.append(status_line(
            ft.Icons.SCHOOL, t("home.checked_in", school=status.open_visit.school,
                               time=school_view.clock(status.open_visit.checked_in_at)),
            ident="home-checked-in"))
    if not status.schools:
        lines.append(status_line(ft.Icons.SCHOOL, t("home.no_schools"), ident="home-schools"))
    for i, due in enumerate(status.schools[:4]):
        key, params = school_due_key(due)
        lines.append(status_line(ft.Icons.EVENT, t(key, **params), ident=f"home-school-{i}",
                                 warn=due.days_left <= 0))
    count = len(status.actions_due)
    lines.append(status_line(ft.Icons.ASSIGNMENT_LATE if count else ft.Icons.ASSIGNMENT_TURNED_IN,
                             t("home.actions_due", count=count), ident="home-actions",
                             warn=count > 0))
    meeting = _meeting_line(screen)
    if meeting is not None:
        lines.append(meeting)
    lines.append(status_line(ft.Icons.VISIBILITY, t("home.observations_today",
                                                    count=status.observations_today),
                             ident="home-observations"))
    lines.append(status_line(ft.Icons.CLOUD_UPLOAD, t("home.waiting_sync",
                                                      count=status.waiting_sync),
                             ident="home-sync"))
    return lines


def _meeting_line(screen: Screen) -> ft.Control | None:
    """The next council meeting and whether its agenda is due (tracking.compliance)."""
    lb = screen.logbook
    choices = report_logic.report_choices(lb.municipalities(), lb.get_setting("agreements", []))
    found = meeting_logic.next_meeting_line([c.agreement for c in choices], lb.list(Meeting),
                                            screen.app.now(), screen.lang)
    if found is None:
        return None
    key, params, warn = found
    return status_line(ft.Icons.GROUPS, screen.t(key, **params), ident="home-meeting",
                       warn=warn)


SHORT_SCREEN = 700  # below this height the main actions get a little flatter (still ≥ 48)


def home_screen(screen: Screen) -> Body:
    t = screen.t
    height = 56 if (screen.page.height or SHORT_SCREEN) < SHORT_SCREEN else 64
    status = today_status(screen.logbook, screen.app.now())
    visit = status.open_visit
    if visit is None:
        school_action = big_button(t("home.check_in"),
                                   lambda e: school_view.check_in_tapped(screen),
                                   ident="home-check-in", icon=ft.Icons.LOGIN, primary=True,
                                   height=height)
    else:
        school_action = big_button(t("home.check_out", school=visit.school),
                                   lambda e: school_view.check_out(screen, visit.id),
                                   ident="home-check-out", icon=ft.Icons.LOGOUT, primary=True,
                                   height=height)
    actions = [
        school_action,
        big_button(t("home.new_observation"), lambda e: screen.go("/observation/new"),
                   ident="home-observation", icon=ft.Icons.ADD_LOCATION_ALT, primary=True,
                   height=height),
        big_button(t("home.u18"), lambda e: screen.go("/u18"), ident="home-u18",
                   icon=ft.Icons.FAMILY_RESTROOM, height=height),
        big_button(t("home.crisis"), lambda e: screen.go("/crisis"), ident="home-crisis",
                   icon=ft.Icons.CRISIS_ALERT, height=height),
        big_button(t("home.sync"), lambda e: screen.go("/synk"), ident="home-synk",
                   icon=ft.Icons.SYNC, height=height),
    ]
    lists = ft.Row([
        small_button(t("home.visits"), lambda e: screen.go("/school"), ident="home-visits",
                     icon=ft.Icons.LIST),
        small_button(t("home.observations"), lambda e: screen.go("/observation"),
                     ident="home-observations-list", icon=ft.Icons.LIST),
        small_button(t("home.evaluation"), lambda e: screen.go("/rapport"),
                     ident="home-evaluation", icon=ft.Icons.INSERT_CHART_OUTLINED),
        small_button(t("home.meetings"), lambda e: screen.go("/moter"), ident="home-meetings",
                     icon=ft.Icons.GROUPS),
    ], wrap=True)
    settings = icon_action(ft.Icons.SETTINGS, t("settings.title"),
                           lambda e: screen.go("/settings"), ident="nav-settings")
    return Body(t("home.title"),
                [heading(t("home.status")), card(*_status_controls(screen, status)), lists],
                bottom=actions, back=None, actions=[settings])
