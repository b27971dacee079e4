"""The parts of the meeting form that hold lists: who was present (role chips, an optional
name each), the decisions (with the consensus flag) and the follow-up actions.

The form shows the 22 meeting roles once: an action's owner is chosen among the roles present
(and the role it already has); "Vis alle roller" offers all of them for an owner who was not
at the meeting.

Each list has a draft at its end ("Nytt vedtak", "Oppfølgingstiltak" with owner role and due
date) and an Add button; Save takes a filled draft along too, so that one decision or one
action needs no extra tap. The rows are only read, never rebuilt, while the officer types:
a failed save keeps every value. Names, decision and action texts are personal (the domain
says so) and carry the confidential mark.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from fieldapp.domain import Sensitivity, sensitivity_of
from fieldapp.domain.codes import MEETING_ROLES
from fieldapp.domain.meetings import Decision, MeetingAction, Participant
from fieldapp.domain.messages import code_label, field_label

from ..kit.forms import Form, typed_field
from ..kit.widgets import TARGET, ChoiceChips, heading, icon_action, small_button, tagged
from .presenter import ActionInput, DecisionInput

Translate = Callable[..., str]

NAME_PERSONAL = sensitivity_of(Participant)["name"] == Sensitivity.PERSONAL
DECISION_PERSONAL = sensitivity_of(Decision)["text"] == Sensitivity.PERSONAL
ACTION_PERSONAL = sensitivity_of(MeetingAction)["description"] == Sensitivity.PERSONAL


def roles(lang: str) -> list[tuple[str, str]]:
    return [(code, code_label(code, lang)) for code in MEETING_ROLES]


def mark_personal(form: Form) -> None:
    """The draft fields show a decision's text and an action's description: personal."""
    if DECISION_PERSONAL:
        form.sensitivity["decisions"] = Sensitivity.PERSONAL
    if ACTION_PERSONAL:
        form.sensitivity["action"] = Sensitivity.PERSONAL


def _text_field(t: Translate, label: str, value: str, *, personal: bool,
                multiline: bool = False) -> tuple[ft.TextField, Any]:
    return typed_field(
        label=label, value=value, text_size=17, multiline=multiline,
        min_lines=2 if multiline else 1, max_lines=6 if multiline else 1,
        prefix_icon=ft.Icons.LOCK_OUTLINE if personal else None,
        helper=t("confidential") if personal else None)


class ParticipantPicker:
    """Chips for the roles present; a name field (optional, confidential) per chosen role."""

    def __init__(self, t: Translate, lang: str, present: tuple[tuple[str, str], ...], *,
                 ident: str = "meeting-participants"):
        self.t, self.lang, self.ident = t, lang, ident
        self.on_roles: Callable[[set[str]], None] | None = None  # told the roles present
        self.names: dict[str, Any] = {}
        self.fields: dict[str, ft.Control] = {}
        given = dict(reversed(present))  # the first participant of a role wins
        self.chips = ChoiceChips(roles(lang), given, ident=ident, on_change=self._changed)
        self.rows = ft.Column(spacing=8)
        self._show(given)
        self.control = ft.Column([ft.Text(t("meetings.participants"), size=14),
                                  self.chips.control, self.rows], spacing=8)

    def _show(self, given: dict[str, str]) -> None:
        for code in MEETING_ROLES:
            if code in self.chips.value and code not in self.fields:
                label = self.t("meetings.participant_name", role=code_label(code, self.lang))
                field, typed = _text_field(self.t, label, given.get(code, ""),
                                           personal=NAME_PERSONAL)
                self.names[code] = typed
                self.fields[code] = tagged(f"{self.ident}-{code}-name", field)
        self.rows.controls = [self.fields[c] for c in MEETING_ROLES
                              if c in self.chips.value and c in self.fields]

    def _changed(self, chosen: set[str]) -> None:
        self._show({})
        self.rows.update()
        if self.on_roles is not None:
            self.on_roles(chosen)

    def value(self) -> tuple[tuple[str, str], ...]:
        return tuple((code, self.names[code]()) for code in MEETING_ROLES
                     if code in self.chips.value)


class DecisionList:
    """Saved and added decisions as editable rows, and the draft field ``{ident}-decisions``."""

    def __init__(self, t: Translate, form: Form, decisions: tuple[DecisionInput, ...]):
        self.t, self.form = t, form
        self.rows: list[tuple[int, Any, ft.Checkbox, str]] = []
        self.shown: dict[int, ft.Control] = {}
        self.column = ft.Column(spacing=10)
        self.number = 0
        for d in decisions:
            self._add_row(d)
        self.dissent = ft.Checkbox(height=TARGET, label=t("meetings.no_consensus"))
        add = small_button(t("meetings.decision_add"), self._add_draft, icon=ft.Icons.ADD,
                           ident=f"{form.ident}-decision-add")
        draft = form.text("decisions", multiline=True, label=t("meetings.decision_new"))
        self.control = ft.Column([
            heading(field_label("decisions", form.lang)), self.column, draft,
            tagged(f"{form.ident}-decision-dissent", self.dissent), add], spacing=8)

    def _add_row(self, d: DecisionInput) -> None:
        self.number += 1
        i, ident = self.number, f"{self.form.ident}-decision-{self.number}"
        field, typed = _text_field(self.t, self.t("meetings.decision", number=i), d.text,
                                   personal=DECISION_PERSONAL, multiline=True)
        box = ft.Checkbox(height=TARGET, label=self.t("meetings.no_consensus"),
                          value=not d.consensus)
        remove = icon_action(ft.Icons.DELETE_OUTLINE, self.t("meetings.decision_remove",
                                                             number=i),
                             lambda e: self._remove(i), ident=f"{ident}-remove")
        self.rows.append((i, typed, box, d.id))
        self.shown[i] = ft.Column([
            tagged(ident, field),
            ft.Row([tagged(f"{ident}-dissent", box), remove],
                   alignment=ft.MainAxisAlignment.SPACE_BETWEEN)], spacing=2)
        self.column.controls = list(self.shown.values())

    def _remove(self, number: int) -> None:
        self.rows = [r for r in self.rows if r[0] != number]
        self.shown.pop(number, None)
        self.column.controls = list(self.shown.values())
        self.column.update()

    def _add_draft(self, e: object) -> None:
        text = self.form.raw("decisions")
        if not text.strip():
            return
        self._add_row(DecisionInput(text.strip(), consensus=not self.dissent.value))
        self.form.set("decisions", "")
        self.dissent.value = False
        self.control.update()

    def value(self) -> tuple[DecisionInput, ...]:
        rows = tuple(DecisionInput(typed.raw(), not box.value, did)
                     for _, typed, box, did in self.rows)
        draft = DecisionInput(self.form.raw("decisions"), not self.dissent.value)
        return rows + (draft,)


class ActionList:
    """Saved and added actions as rows (done box, edit, remove) and the draft: description
    ``{ident}-action``, owner role chips ``{ident}-action_role-…``, due ``{ident}-action_due``.
    Edit moves a row back into the draft (it keeps its id and done state)."""

    def __init__(self, t: Translate, form: Form, actions: tuple[ActionInput, ...],
                 format_line: Callable[[ActionInput], str], present: set[str]):
        self.t, self.form, self.format_line = t, form, format_line
        self.present, self.all_roles = set(present), False
        self.rows: dict[int, tuple[ActionInput, ft.Checkbox]] = {}
        self.shown: dict[int, ft.Control] = {}
        self.number = 0
        self.column = ft.Column(spacing=10)
        for a in actions:
            self._add_row(a)
        self.draft = ActionInput("")
        self.role_slot = ft.Container(content=self._role_chips(""))
        self.toggle = ft.Container(content=self._toggle_button())
        add = small_button(t("meetings.action_add"), self._add_draft, icon=ft.Icons.ADD,
                           ident=f"{form.ident}-action-add")
        self.control = ft.Column([
            heading(t("meetings.action")), self.column,
            form.text("action", label=t("meetings.action")), self.role_slot, self.toggle,
            form.text("action_due", label=t("meetings.action_due"), hint=t("form.date_hint")),
            add], spacing=8)

    def _role_chips(self, role: str) -> ft.Control:
        offered = [(code, label) for code, label in roles(self.form.lang)
                   if self.all_roles or code in self.present or code == role]
        chips = self.form.choices("action_role", offered, role, multiple=False,
                                  label=self.t("meetings.action_role"))
        if offered:
            return chips
        return ft.Column([chips, tagged(f"{self.form.ident}-action_role-none", ft.Text(
            self.t("meetings.action_role_none"), size=14))], spacing=4)

    def _toggle_button(self) -> ft.Control:
        key = "meetings.roles_present" if self.all_roles else "meetings.roles_all"
        return small_button(self.t(key), self._toggle_all, icon=ft.Icons.UNFOLD_MORE,
                            ident=f"{self.form.ident}-action_role-all")

    def _toggle_all(self, e: object) -> None:
        self.all_roles = not self.all_roles
        self.toggle.content = self._toggle_button()
        self.offer(self.present)

    def offer(self, present: set[str]) -> None:
        """Offer the owner roles anew (the roles present changed); the chosen one is kept."""
        self.present = set(present)
        self.role_slot.content = self._role_chips(self.form.one("action_role"))
        self.control.update()

    def _add_row(self, a: ActionInput) -> None:
        self.number += 1
        i, ident = self.number, f"{self.form.ident}-action-{self.number}"
        done = ft.Checkbox(height=TARGET, label=self.t("meetings.action_done"), value=a.done)
        self.rows[i] = (a, done)
        texts = [ft.Text(a.description, size=16, weight=ft.FontWeight.W_600),
                 ft.Text(self.format_line(a), size=14)]
        buttons = ft.Row([
            tagged(f"{ident}-done", done), ft.Container(expand=True),
            icon_action(ft.Icons.EDIT_OUTLINED, self.t("meetings.action_edit", number=i),
                        lambda e: self._edit(i), ident=f"{ident}-edit"),
            icon_action(ft.Icons.DELETE_OUTLINE, self.t("meetings.action_remove", number=i),
                        lambda e: self._remove(i), ident=f"{ident}-remove")], spacing=0)
        self.shown[i] = tagged(ident, ft.Container(
            content=ft.Column([*texts, buttons], spacing=4), padding=10, border_radius=12,
            bgcolor=ft.Colors.SURFACE_CONTAINER))
        self.column.controls = list(self.shown.values())

    def _remove(self, number: int) -> None:
        self.rows.pop(number, None)
        self.shown.pop(number, None)
        self.column.controls = list(self.shown.values())
        self.control.update()

    def _edit(self, number: int) -> None:
        if not self.read_draft().blank:
            self._add_draft(None)  # what is in the draft becomes a row first: nothing is lost
        action, done = self.rows[number]
        self.draft = ActionInput("", done=bool(done.value), id=action.id)
        self._fill_draft(action)
        self._remove(number)

    def _fill_draft(self, a: ActionInput) -> None:
        self.form.set("action", a.description)
        self.form.set("action_due", a.due)
        self.role_slot.content = self._role_chips(a.owner_role)

    def _add_draft(self, e: object) -> None:
        typed = self.read_draft()
        if typed.blank:
            return
        self._add_row(typed)
        self.draft = ActionInput("")
        self._fill_draft(self.draft)
        self.control.update()

    def read_draft(self) -> ActionInput:
        return ActionInput(self.form.raw("action"), self.form.one("action_role"),
                           self.form.raw("action_due"), self.draft.done, self.draft.id)

    def value(self) -> tuple[ActionInput, ...]:
        rows = tuple(ActionInput(a.description, a.owner_role, a.due, bool(done.value), a.id)
                     for a, done in self.rows.values())
        return rows + (self.read_draft(),)
