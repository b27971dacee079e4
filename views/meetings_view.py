"""Politiråd og SLT: the council and SLT working-group meetings, and a form to add one.

The list warns when an agenda went out later than the agreement's lead time (or is due or
overdue before a coming meeting). The form takes type, date, when the agenda was sent, agenda
items (public titles, one per line), decisions, one follow-up action with owner role and due
date, and the minutes' public title with the "skjermet" flag and its legal basis.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import flet as ft

from fieldapp.domain.codes import MEETING_ROLES, MEETING_TYPES
from fieldapp.domain.meetings import Meeting
from fieldapp.domain.messages import code_label
from fieldapp.domain.tracking import oslo_day

from . import meeting_logic as logic
from .forms import Form, format_date, format_moment, submit
from .shell import Body, Screen
from .widgets import TARGET, big_button, card, tagged

NEW = "/moter/ny"


def _codes(screen: Screen, codes: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(c, code_label(c, screen.lang)) for c in codes]


def _warning(screen: Screen, meeting: Meeting, today: Any) -> str:
    stored = screen.logbook.get_setting("agreements", [])
    found = logic.agenda_warning(meeting, logic.lead_days_for(meeting.municipality, stored),
                                 today)
    return "" if found is None else screen.t(found[0], date=format_date(found[1]))


def _meeting_card(screen: Screen, meeting: Meeting, i: int, today: Any) -> ft.Control:
    t = screen.t
    title = f"{code_label(meeting.meeting_type, screen.lang)} · {format_moment(meeting.starts_at)}"
    lines: list[ft.Control] = [
        ft.Text(title, size=17, weight=ft.FontWeight.W_600),
        ft.Text(t("meetings.summary", agenda=len(meeting.agenda),
                  decisions=len(meeting.decisions), actions=len(meeting.actions)))]
    for minutes in meeting.minutes:
        mark = f" ({t('meetings.skjermet')})" if minutes.skjermet else ""
        lines.append(ft.Text(f"{t('meetings.minutes')}: {minutes.public_title}{mark}"))
    warning = _warning(screen, meeting, today)
    if warning:
        lines.append(tagged(f"meeting-warning-{i}", ft.Row(
            [ft.Icon(ft.Icons.WARNING_AMBER, color=ft.Colors.ERROR, size=20),
             ft.Text(warning, color=ft.Colors.ERROR, expand=True)], spacing=6)))
    return card(*lines, ident=f"meeting-{i}")


def meeting_list(screen: Screen) -> Body:
    today = oslo_day(screen.app.now())
    meetings = logic.newest_first(screen.logbook.list(Meeting))
    controls: list[ft.Control] = [_meeting_card(screen, m, i, today)
                                  for i, m in enumerate(meetings)]
    if not controls:
        controls = [tagged("meetings-none", ft.Text(screen.t("meetings.none"), size=16))]
    add = big_button(screen.t("meetings.new"), lambda e: screen.go(NEW), ident="meetings-new",
                     icon=ft.Icons.ADD, primary=True)
    return Body(screen.t("meetings.title"), controls, bottom=[add])


def _fields(screen: Screen, form: Form, skjermet: ft.Checkbox) -> list[ft.Control]:
    t = screen.t
    return [
        form.choices("meeting_type", _codes(screen, MEETING_TYPES), "politirad",
                     multiple=False),
        ft.Row([ft.Container(form.text("day", label=t("form.date"), hint=t("form.date_hint")),
                             expand=True),
                ft.Container(form.text("time", "18:00", label=t("form.time")), expand=True)]),
        form.text("place"),
        form.text("agenda_sent", label=t("meetings.agenda_sent"), hint=t("form.date_hint")),
        form.text("agenda", multiline=True, label=t("meetings.agenda"),
                  hint=t("meetings.one_per_line")),
        form.text("decisions", multiline=True, hint=t("meetings.one_per_line")),
        form.text("action", label=t("meetings.action")),
        form.choices("action_role", _codes(screen, MEETING_ROLES), multiple=False,
                     label=t("meetings.action_role")),
        form.text("action_due", label=t("meetings.action_due"), hint=t("form.date_hint")),
        form.text("minutes_title", label=t("meetings.minutes_title")),
        tagged("meeting-skjermet", skjermet),
        form.text("exemption_basis"),
        form.general_error,
    ]


def meeting_new(screen: Screen) -> Body:
    form = Form(Meeting, screen.lang, ident="meeting")
    form.aliases = {"starts_at": "day", "agenda_sent_at": "agenda_sent", "actions": "action",
                    "minutes": "minutes_title"}
    skjermet = ft.Checkbox(height=TARGET, label=screen.t("meetings.skjermet_box"))
    saved: dict[str, Meeting] = {}

    def apply() -> None:
        typed = logic.MeetingInput(
            meeting_type=form.one("meeting_type") or "politirad", day=form.value("day"),
            time=form.value("time"), place=form.value("place"),
            agenda_sent=form.value("agenda_sent"), agenda=form.raw("agenda"),
            decisions=form.raw("decisions"), action=form.value("action"),
            action_role=form.one("action_role"), action_due=form.value("action_due"),
            minutes_title=form.value("minutes_title"), skjermet=bool(skjermet.value),
            exemption_basis=form.value("exemption_basis"))
        meeting = logic.build_meeting(typed, datetime.now().astimezone().tzinfo)
        screen.logbook.add(meeting)
        saved["meeting"] = meeting

    def save(e: Any) -> None:
        if not submit(form, screen, apply):
            return
        warning = _warning(screen, saved["meeting"], oslo_day(screen.app.now()))
        screen.confirm_saved(" ".join(p for p in (screen.t("meetings.saved"), warning) if p))
        screen.go("/moter")

    button = big_button(screen.t("form.save"), save, ident="meeting-save", icon=ft.Icons.SAVE,
                        primary=True)
    return Body(screen.t("meetings.new"), _fields(screen, form, skjermet), bottom=[button],
                back="/moter")
