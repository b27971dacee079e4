"""Home, "I dag": the first-run guide and the shortcuts on top, the week's status under them,
the big actions pinned at the bottom (thumb reach).

Where a served municipality has an agreement, the status shows it at a glance
(``compliance``): each agreed school visited in its 14-day window or not yet, this week's
presence days against the target (named per municipality when several are served), the next
council meeting and its municipality. Follow-up actions due today or overdue (U18 and, under an
agreement, meetings) are one line. Schools outside every agreement keep "next visit in N
days". The shortcuts sit above the status so that a long status (two municipalities) never
pushes them below the fold; the status scrolls.
"""

from __future__ import annotations

import flet as ft

from ..kit import municipality
from ..kit.widgets import (
    big_button,
    card,
    heading,
    icon_action,
    small_button,
    status_line,
    tagged,
)
from ..meetings.presenter import meeting_line
from ..report.presenter import report_choices
from ..schools import presenter as schools
from ..shell import SHORT_SCREEN, Body, Screen
from .checkin import school_actions
from .compliance import AgreementStatus, StatusLine, agreement_status
from .guide import guide
from .homeless import ROUTE as HOMELESS
from .presenter import (
    TodayStatus,
    home_records,
    other_schools,
    school_due_key,
    today_status,
)

MAX_SCHOOL_LINES = 4  # agreed schools always show; the others fill up to this many lines


def _line(screen: Screen, line: StatusLine, icon: ft.IconData, ident: str) -> ft.Control:
    icon = ft.Icons.CHECK_CIRCLE if line.done else icon
    return status_line(icon, screen.t(line.key, **line.params), ident=ident, warn=line.warn)


def _presence_lines(screen: Screen, status: TodayStatus,
                    agreed: AgreementStatus | None) -> list[ft.Control]:
    """Presence against each agreed target; the plain yes/no where no target is agreed."""
    if agreed is not None and agreed.presence:
        return [_line(screen, line, ft.Icons.SCHEDULE, "home-presence" + (f"-{i}" if i else ""))
                for i, line in enumerate(agreed.presence)]
    done = status.presence_done
    return [status_line(ft.Icons.CHECK_CIRCLE if done else ft.Icons.SCHEDULE,
                        screen.t("home.presence_done" if done else "home.presence_not_yet"),
                        ident="home-presence", warn=not done)]


def _school_lines(screen: Screen, status: TodayStatus,
                  agreed: AgreementStatus | None) -> list[ft.Control]:
    """Agreed schools: this window visited or not; the others: next visit due in N days."""
    windows = agreed.schools if agreed is not None else []
    others = other_schools(status.schools, agreed.agreed) if agreed is not None \
        else status.schools
    lines = [_line(screen, line, ft.Icons.EVENT, f"home-school-{i}")
             for i, line in enumerate(windows)]
    for i, due in enumerate(others[:max(MAX_SCHOOL_LINES - len(windows), 0)], len(windows)):
        key, params = school_due_key(due)
        lines.append(status_line(ft.Icons.EVENT, screen.t(key, **params),
                                 ident=f"home-school-{i}", warn=due.days_left <= 0))
    if not lines:
        lines.append(status_line(ft.Icons.SCHOOL, screen.t("home.no_schools"),
                                 ident="home-schools"))
    return lines


def _status_controls(screen: Screen, status: TodayStatus, agreed: AgreementStatus | None,
                     meeting: ft.Control | None) -> list[ft.Control]:
    t = screen.t
    lines = _presence_lines(screen, status, agreed)
    if status.open_visit is not None:
        lines.append(status_line(
            ft.Icons.SCHOOL, t("home.checked_in", school=status.open_visit.school,
                               time=schools.clock(status.open_visit.checked_in_at)),
            ident="home-checked-in"))
    lines += _school_lines(screen, status, agreed)
    count = status.actions_due + (agreed.overdue_meeting_actions if agreed else 0)
    lines.append(status_line(ft.Icons.ASSIGNMENT_LATE if count else ft.Icons.ASSIGNMENT_TURNED_IN,
                             t("home.actions_due" if count else "home.actions_none",
                               count=count), ident="home-actions", warn=count > 0))
    if meeting is not None:
        lines.append(meeting)
    lines.append(status_line(ft.Icons.VISIBILITY, t("home.observations_today",
                                                    count=status.observations_today),
                             ident="home-observations"))
    lines.append(status_line(ft.Icons.CLOUD_UPLOAD, t("home.waiting_sync",
                                                      count=status.waiting_sync),
                             ident="home-sync"))
    return lines


def _meeting_line(screen: Screen, agreed: AgreementStatus | None) -> ft.Control | None:
    """The next council meeting, its municipality and whether its agenda is due."""
    coming = agreed.next_meeting() if agreed is not None else None
    found = meeting_line([coming[1]], screen.lang) if coming is not None else None
    if coming is None or found is None:
        return None
    key, params, warn = found
    return status_line(ft.Icons.GROUPS, screen.t(key, **params, municipality=coming[0]),
                       ident="home-meeting", warn=warn)


def _status(screen: Screen) -> tuple[TodayStatus, list[ft.Control]]:
    """Home's status from one read of the logbook and one compliance per agreement."""
    lb, now = screen.logbook, screen.app.now()
    choices = report_choices(lb.municipalities(), lb.agreements.all())
    current = home_records(lb, now, (c.agreement for c in choices))
    status = today_status(lb, now, current)
    agreed = agreement_status(choices, current, now, screen.lang,
                              served=len(municipality.choices(lb)))
    lines = _status_controls(screen, status, agreed, _meeting_line(screen, agreed))
    return status, lines + _homeless_line(screen, municipality.homeless_count(lb, current.records))


def _homeless_line(screen: Screen, count: int) -> list[ft.Control]:
    """Records without a municipality never sync: say how many, only when there are any."""
    if not count:
        return []
    return [small_button(screen.t("home.homeless", count=count),
                         lambda e: screen.go(HOMELESS), ident="home-homeless",
                         icon=ft.Icons.WARNING_AMBER)]

def home_screen(screen: Screen) -> Body:
    t = screen.t
    height = 56 if (screen.page.height or SHORT_SCREEN) < SHORT_SCREEN else 64
    status, lines = _status(screen)
    actions = [
        *school_actions(screen, status, height),
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
    shortcuts = tagged("home-shortcuts", ft.Row([
        small_button(t("home.visits"), lambda e: screen.go("/school"), ident="home-visits",
                     icon=ft.Icons.LIST),
        small_button(t("home.observations"), lambda e: screen.go("/observation"),
                     ident="home-observations-list", icon=ft.Icons.LIST),
        small_button(t("home.evaluation"), lambda e: screen.go("/rapport"),
                     ident="home-evaluation", icon=ft.Icons.INSERT_CHART_OUTLINED),
        small_button(t("home.meetings"), lambda e: screen.go("/moter"), ident="home-meetings",
                     icon=ft.Icons.GROUPS),
    ], wrap=True, spacing=8, run_spacing=8))
    settings = icon_action(ft.Icons.SETTINGS, t("settings.title"),
                           lambda e: screen.go("/settings"), ident="nav-settings")
    return Body(t("home.title"),
                [*guide(screen), shortcuts, heading(t("home.status")), card(*lines)],
                bottom=actions, back=None, actions=[settings])
