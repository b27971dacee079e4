"""Politiråd og SLT: the council and SLT working-group meetings; a form to add one and to edit,
cancel or un-cancel a saved one (``/moter/ny``, ``/moter/:id``).

The list warns when an agenda went out later than the agreement's lead time (or is due or
overdue before a coming meeting), marks cancelled meetings "Avlyst" and counts decisions
not reached by consensus and actions done. The form takes type, date, when the agenda was
sent, agenda items (public titles, one per line), the roles present (a name each, optional),
decisions with the consensus flag, follow-up actions with owner role, due date and done, and
the minutes' public title with the "skjermet" flag and its legal basis.

A save of an edit that meets a newer revision (``StaleRecord``, e.g. a sync wrote meanwhile)
keeps everything typed, takes the newer revision as the base and asks for Save again.
"""

from __future__ import annotations

from datetime import date, datetime

import flet as ft

from fieldapp import StaleRecord
from fieldapp.domain.agenda import lead_days_for
from fieldapp.domain.codes import MEETING_TYPES
from fieldapp.domain.days import oslo_day
from fieldapp.domain.meetings import Meeting, set_cancelled
from fieldapp.domain.messages import code_choices, code_label

from ..kit.formats import format_date, format_moment
from ..kit.forms import Form, submit
from ..kit.municipality_picker import MunicipalityPicker
from ..kit.widgets import TARGET, big_button, card, tagged
from ..shell import Body, Screen
from . import presenter as logic
from .form import ActionList, DecisionList, ParticipantPicker, mark_personal

LIST = "/moter"
NEW = "/moter/ny"


def _warning(screen: Screen, meeting: Meeting, today: date) -> str:
    stored = screen.logbook.agreements.all()
    found = logic.agenda_warning(meeting, lead_days_for(meeting.municipality, stored),
                                 today)
    return "" if found is None else screen.t(found[0], date=format_date(found[1]))


def _flag(icon: ft.IconData, text: str, ident: str) -> ft.Control:
    return tagged(ident, ft.Row([ft.Icon(icon, color=ft.Colors.ERROR, size=20),
                                 ft.Text(text, color=ft.Colors.ERROR, expand=True)], spacing=6))


def _card_lines(screen: Screen, meeting: Meeting, i: int) -> list[ft.Control]:
    t = screen.t
    lines: list[ft.Control] = []
    if meeting.cancelled:
        lines.append(_flag(ft.Icons.EVENT_BUSY, t("meetings.cancelled"), f"meeting-cancelled-{i}"))
    lines.append(ft.Text(t("meetings.summary", agenda=len(meeting.agenda),
                           decisions=len(meeting.decisions), actions=len(meeting.actions))))
    present = [code_label(p.role, screen.lang) for p in meeting.participants if p.present]
    if present:
        lines.append(ft.Text(t("meetings.present_line", roles=", ".join(present)), size=14))
    counts = logic.outcome_counts(meeting)
    if counts["dissent"]:
        lines.append(_flag(ft.Icons.HOW_TO_VOTE_OUTLINED,
                           t("meetings.dissent_line", count=counts["dissent"]),
                           f"meeting-dissent-{i}"))
    if counts["total"]:
        lines.append(ft.Text(t("meetings.actions_done", **counts), size=14))
    for minutes in meeting.minutes:
        mark = f" ({t('meetings.skjermet')})" if minutes.skjermet else ""
        lines.append(ft.Text(f"{t('meetings.minutes')}: {minutes.public_title}{mark}"))
    return lines


def _meeting_card(screen: Screen, meeting: Meeting, i: int, today: date) -> ft.Control:
    title = f"{code_label(meeting.meeting_type, screen.lang)} · {format_moment(meeting.starts_at)}"
    lines: list[ft.Control] = [ft.Text(title, size=17, weight=ft.FontWeight.W_600),
                               *_card_lines(screen, meeting, i)]
    warning = _warning(screen, meeting, today)
    if warning:
        lines.append(_flag(ft.Icons.WARNING_AMBER, warning, f"meeting-warning-{i}"))
    return card(*lines, ident=f"meeting-{i}",
                on_click=lambda e, rid=meeting.id: screen.go(f"{LIST}/{rid}"))


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


class MeetingEditor:
    """The form of one meeting (new when ``saved`` is None) and its save and cancel."""

    def __init__(self, screen: Screen, saved: Meeting | None):
        self.screen, self.saved = screen, saved
        self.base = saved or Meeting()
        self.tz = datetime.now().astimezone().tzinfo
        self.stored: Meeting | None = None
        t = screen.t
        shown = logic.input_for(saved) if saved else logic.MeetingInput("politirad", "",
                                                                          time="18:00")
        form = Form(Meeting, screen.lang, ident="meeting")
        form.aliases = {"starts_at": "day", "agenda_sent_at": "agenda_sent",
                        "actions": "action", "minutes": "minutes_title"}
        mark_personal(form)
        self.form = form
        self.home = MunicipalityPicker(form, screen, self.base.municipality, with_area=False)
        self.skjermet = ft.Checkbox(height=TARGET, label=t("meetings.skjermet_box"),
                                    value=shown.skjermet)
        self.participants = ParticipantPicker(t, screen.lang, shown.participants)
        self.decisions = DecisionList(t, form, shown.decisions)
        self.actions = ActionList(t, form, shown.actions, self._action_line,
                                  present=self.participants.chips.value)
        self.participants.on_roles = self.actions.offer
        self.controls = self._fields(shown)

    def _action_line(self, a: logic.ActionInput) -> str:
        t = self.screen.t
        parts = [code_label(a.owner_role, self.screen.lang) if a.owner_role else "",
                 t("meetings.action_due_line", date=a.due.strip()) if a.due.strip() else ""]
        return " · ".join(p for p in parts if p)

    def _fields(self, shown: logic.MeetingInput) -> list[ft.Control]:
        t, form = self.screen.t, self.form
        return [
            form.choices("meeting_type", code_choices(MEETING_TYPES, self.screen.lang),
                         shown.meeting_type, multiple=False),
            *self.home.chooser,
            ft.Row([ft.Container(form.text("day", shown.day, label=t("form.date"),
                                           hint=t("form.date_hint")), expand=True),
                    ft.Container(form.text("time", shown.time, label=t("form.time")),
                                 expand=True)]),
            form.text("place", shown.place),
            form.text("agenda_sent", shown.agenda_sent, label=t("meetings.agenda_sent"),
                      hint=t("form.date_hint")),
            form.text("agenda", shown.agenda, multiline=True, label=t("meetings.agenda"),
                      hint=t("meetings.one_per_line")),
            self.participants.control,
            self.decisions.control,
            self.actions.control,
            form.text("minutes_title", shown.minutes_title, label=t("meetings.minutes_title")),
            tagged("meeting-skjermet", self.skjermet),
            form.text("exemption_basis", shown.exemption_basis),
            form.general_error,
        ]

    def typed(self) -> logic.MeetingInput:
        form = self.form
        return logic.MeetingInput(
            meeting_type=form.one("meeting_type") or "politirad", day=form.value("day"),
            time=form.value("time"), place=form.value("place"),
            agenda_sent=form.value("agenda_sent"), agenda=form.raw("agenda"),
            participants=self.participants.value(), decisions=self.decisions.value(),
            actions=self.actions.value(), minutes_title=form.value("minutes_title"),
            skjermet=bool(self.skjermet.value), exemption_basis=form.value("exemption_basis"))

    def store(self, cancelled: bool | None = None) -> None:
        """Build from what was typed and add or update; the errors of ``submit``, and
        StaleRecord (then ``base`` is the newer revision, for the next save)."""
        now = self.screen.app.now()
        meeting = logic.apply_input(self.base, self.typed(), self.tz, now)
        meeting.municipality = self.home.value
        if cancelled is not None:
            set_cancelled(meeting, cancelled, now)
        if self.saved is None:
            self.screen.logbook.add(meeting)
        else:
            try:
                self.screen.logbook.update(meeting)
            except StaleRecord:
                self.base = self.screen.record(Meeting, self.base.id)
                raise
        self.home.remember()
        self.stored = meeting

    def save(self, cancelled: bool | None = None) -> bool:
        """Store and confirm; on an error show it and keep every typed value. True if saved."""
        screen = self.screen
        try:
            if not submit(self.form, screen, lambda: self.store(cancelled)):
                return False
        except StaleRecord:
            self.form.clear_errors()
            self.form.set_error("revision", screen.t("meetings.stale"))
            screen.toast(screen.t("meetings.stale"))
            screen.page.update()
            return False
        assert self.stored is not None
        key = {None: "meetings.saved", True: "meetings.cancelled_saved",
               False: "meetings.uncancelled_saved"}[cancelled]
        warning = _warning(screen, self.stored, oslo_day(screen.app.now()))
        screen.confirm_saved(" ".join(p for p in (screen.t(key), warning) if p))
        screen.go(LIST)
        return True


def _screen(screen: Screen, saved: Meeting | None) -> Body:
    t = screen.t
    editor = MeetingEditor(screen, saved)
    controls = list(editor.controls)
    if saved is not None and saved.cancelled:
        controls.insert(0, _flag(ft.Icons.EVENT_BUSY, t("meetings.cancelled_on",
                                                         date=format_date(saved.cancelled_at)),
                                 "meeting-cancelled"))
    if saved is not None:
        controls += _cancel_controls(editor, saved)
    button = big_button(t("form.save"), lambda e: editor.save(), ident="meeting-save",
                        icon=ft.Icons.SAVE, primary=True)
    title = t("meetings.edit") if saved else t("meetings.new")
    return Body(title, controls, bottom=[button], back=LIST)


def _cancel_controls(editor: MeetingEditor, saved: Meeting) -> list[ft.Control]:
    t = editor.screen.t
    if saved.cancelled:
        return [big_button(t("meetings.uncancel"), lambda e: editor.save(False),
                           ident="meeting-uncancel", icon=ft.Icons.EVENT_AVAILABLE)]
    return [big_button(t("meetings.cancel"), lambda e: editor.save(True),
                       ident="meeting-cancel", icon=ft.Icons.EVENT_BUSY)]


def meeting_new(screen: Screen) -> Body:
    return _screen(screen, None)


def meeting_edit(screen: Screen) -> Body:
    return _screen(screen, screen.record(Meeting, screen.params["id"]))
