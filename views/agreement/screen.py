"""The cooperation agreement of one served municipality, edited on the phone
(``/settings/agreement/:id``, the id being the municipality code, see
``presenter.route_id``).

Presence days per week, each school with its visit cadence (add/remove), the council and SLT
meeting targets (count per half-year or year), the agenda lead time, the priority year and the
priority areas (bokmål title, optional English title, one weighted highest; add/remove). A
failed save keeps everything typed and names each problem under its field; rows added or
removed never rebuild the others. The rules are in ``presenter``.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from fieldapp import RecordNotFound
from fieldapp.domain.agreement import Agreement
from fieldapp.domain.codes import MEETING_TYPES, TARGET_PERIODS
from fieldapp.domain.days import oslo_day
from fieldapp.domain.messages import code_label

from ..kit.forms import Typed, typed_field
from ..kit.widgets import (
    TARGET,
    ChoiceChips,
    big_button,
    heading,
    icon_action,
    small_button,
    tagged,
)
from ..shell import Body, Screen
from . import presenter as logic

SETTINGS = "/settings"


def _field(label: str, value: str, ident: str, *, number: bool = False,
           hint: str | None = None, lines: int = 1) -> tuple[ft.Control, ft.TextField, Typed]:
    """A labelled text field; ``lines`` > 1: long titles wrap instead of scrolling away."""
    field, typed = typed_field(label=label, value=value, text_size=17, hint_text=hint,
                               keyboard_type=ft.KeyboardType.NUMBER if number
                               else ft.KeyboardType.TEXT, multiline=lines > 1, min_lines=1,
                               max_lines=lines)
    return tagged(ident, field), field, typed


def _error_text(ident: str) -> tuple[ft.Control, ft.Text]:
    text = ft.Text("", color=ft.Colors.ERROR, size=14)
    box = tagged(ident, text)
    box.visible = False
    return box, text


class SchoolRow:
    def __init__(self, editor: AgreementEditor, school: logic.SchoolInput, serial: int):
        t, ident = editor.t, f"agreement-school-{serial}"
        name_box, self.name, self.name_typed = _field(t("agreement.school_name"), school.name,
                                                      f"{ident}-name")
        days_box, self.days, self.days_typed = _field(t("agreement.school_days"),
                                                      school.every_days, f"{ident}-days",
                                                      number=True)
        remove = icon_action(ft.Icons.DELETE_OUTLINE,
                             t("agreement.school_remove", number=serial + 1),
                             lambda e: editor.remove_school(self), ident=f"{ident}-remove")
        self.control = ft.Container(
            content=ft.Column([name_box, ft.Row([ft.Container(days_box, expand=True), remove],
                                                vertical_alignment=ft.CrossAxisAlignment.START)],
                              spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            padding=12, border_radius=12, bgcolor=ft.Colors.SURFACE_CONTAINER)

    def fields(self) -> list[tuple[ft.TextField, Typed]]:
        return [(self.name, self.name_typed), (self.days, self.days_typed)]

    def read(self) -> logic.SchoolInput:
        return logic.SchoolInput(self.name_typed(), self.days_typed())


class AreaRow:
    def __init__(self, editor: AgreementEditor, area: logic.AreaInput, serial: int):
        t, ident = editor.t, f"agreement-area-{serial}"
        self.code = area.code
        title_box, self.title, self.title_typed = _field(
            t("agreement.area_title", number=serial + 1), area.title_nb, f"{ident}-title",
            lines=3)
        en_box, self.title_en, self.title_en_typed = _field(
            t("agreement.area_title_en"), area.title_en, f"{ident}-title_en", lines=3)
        self.highest = ft.Checkbox(height=TARGET, label=t("agreement.area_highest"),
                                   value=area.highest,
                                   on_change=lambda e: editor.mark_highest(self))
        remove = small_button(t("agreement.area_remove", number=serial + 1),
                              lambda e: editor.remove_area(self), ident=f"{ident}-remove",
                              icon=ft.Icons.DELETE_OUTLINE)
        self.control = ft.Container(
            content=ft.Column([title_box, en_box,
                               ft.Row([tagged(f"{ident}-highest", self.highest)]),
                               ft.Row([remove], alignment=ft.MainAxisAlignment.END)],
                              spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            padding=12, border_radius=12, bgcolor=ft.Colors.SURFACE_CONTAINER)

    def fields(self) -> list[tuple[ft.TextField, Typed]]:
        return [(self.title, self.title_typed), (self.title_en, self.title_en_typed)]

    def read(self) -> logic.AreaInput:
        return logic.AreaInput(self.code, self.title_typed(), self.title_en_typed(),
                               bool(self.highest.value))


class AgreementEditor:
    """The editor's fields; ``save`` and ``reset`` are the screen's actions."""

    def __init__(self, screen: Screen, entry: dict[str, Any], base: Agreement):
        self.screen = screen
        self.base = base
        self.code = base.municipality
        self.name = str(entry.get("name") or base.municipality_name)
        typed = logic.input_from(base)
        self.serials = {"school": 0, "area": 0}  # idents stay put when rows are removed
        t = self.t
        self.presence = _field(t("agreement.presence_days"), typed.presence_days,
                               "agreement-presence", number=True)
        self.lead = _field(t("agreement.lead_days"), typed.agenda_lead_days, "agreement-lead",
                           number=True)
        self.year = _field(t("agreement.priority_year"), typed.priority_year, "agreement-year",
                           number=True)
        self.targets = {kind: self._target(kind, *typed.targets[kind]) for kind in MEETING_TYPES}
        self.schools = [SchoolRow(self, s, self._next("school")) for s in typed.schools]
        self.areas = [AreaRow(self, a, self._next("area")) for a in typed.areas]
        self.school_column = ft.Column([r.control for r in self.schools], spacing=10)
        self.area_column = ft.Column([r.control for r in self.areas], spacing=10)
        self.section_errors = {part: _error_text(f"agreement-error-{part}")
                               for part in ("schools", "targets", "areas", "general")}

    def t(self, key: str, **params: object) -> str:
        return self.screen.t(key, **params)

    def _next(self, kind: str) -> int:
        self.serials[kind] += 1
        return self.serials[kind] - 1

    def _target(self, kind: str, count: str,
                per: str) -> tuple[ft.Control, ft.TextField, Typed, ChoiceChips]:
        label = self.t("agreement.target_count", type=code_label(kind, self.screen.lang))
        box, field, typed = _field(label, count, f"agreement-target-{kind}", number=True,
                                   hint=self.t("agreement.target_hint"))
        periods = [(p, self.t("agreement.per", period=code_label(p, self.screen.lang)))
                   for p in TARGET_PERIODS]
        chips = ChoiceChips(periods, [per], multiple=False, ident=f"agreement-target-{kind}-per")
        return box, field, typed, chips

    # -- what the screen shows --

    def controls(self) -> list[ft.Control]:
        t, errors = self.t, self.section_errors
        targets = [c for kind in MEETING_TYPES
                   for c in (self.targets[kind][0], self.targets[kind][3].control)]
        return [
            tagged("agreement-heading", ft.Text(t("agreement.title", name=self.name), size=18,
                                                weight=ft.FontWeight.W_600)),
            self.presence[0],
            heading(t("agreement.schools_heading")), errors["schools"][0], self.school_column,
            small_button(t("agreement.school_add"), lambda e: self.add_school(),
                         ident="agreement-school-add", icon=ft.Icons.ADD),
            heading(t("agreement.meetings_heading")), errors["targets"][0], *targets,
            self.lead[0],
            heading(t("agreement.areas_heading")), self.year[0], errors["areas"][0],
            self.area_column,
            small_button(t("agreement.area_add"), lambda e: self.add_area(),
                         ident="agreement-area-add", icon=ft.Icons.ADD),
            errors["general"][0],
            *self._reset_button(),
        ]

    def _reset_button(self) -> list[ft.Control]:
        if not (logic.has_default(self.code) and self.code in self.screen.logbook.agreements.all()):
            return []
        return [small_button(self.t("agreement.reset"), self.reset, ident="agreement-reset",
                             icon=ft.Icons.RESTORE)]

    # -- rows added and removed (the other rows keep what was typed) --

    def _all_fields(self) -> list[tuple[ft.TextField, Typed]]:
        fields: list[tuple[ft.TextField, Typed]] = [
            self.presence[1:], self.lead[1:], self.year[1:],
            *(self.targets[kind][1:3] for kind in MEETING_TYPES)]
        rows: list[SchoolRow | AreaRow] = [*self.schools, *self.areas]
        for row in rows:
            fields += row.fields()
        return fields

    def _redraw(self) -> None:
        for field, typed in self._all_fields():
            field.value = typed.raw()  # what the officer sees stays what is sent
        self.school_column.controls = [r.control for r in self.schools]
        self.area_column.controls = [r.control for r in self.areas]
        self.screen.page.update()

    def add_school(self) -> None:
        self.schools.append(SchoolRow(self, logic.SchoolInput("", str(logic.DEFAULT_CADENCE)),
                                      self._next("school")))
        self._redraw()

    def remove_school(self, row: SchoolRow) -> None:
        self.schools.remove(row)
        self._redraw()

    def add_area(self) -> None:
        self.areas.append(AreaRow(self, logic.AreaInput("", ""), self._next("area")))
        self._redraw()

    def remove_area(self, row: AreaRow) -> None:
        self.areas.remove(row)
        self._redraw()

    def mark_highest(self, marked: AreaRow) -> None:
        if marked.highest.value:
            for row in self.areas:
                row.highest.value = row is marked
        self.screen.page.update()

    # -- save and reset --

    def read(self) -> logic.AgreementInput:
        return logic.AgreementInput(
            presence_days=self.presence[2](), agenda_lead_days=self.lead[2](),
            priority_year=self.year[2](), schools=[r.read() for r in self.schools],
            targets={kind: (typed(), chips.single)
                     for kind, (_, _, typed, chips) in self.targets.items()},
            areas=[r.read() for r in self.areas])

    def _places(self) -> dict[str, ft.TextField]:
        places = {"presence": self.presence[1], "lead": self.lead[1], "year": self.year[1]}
        places |= {f"target-{kind}": self.targets[kind][1] for kind in MEETING_TYPES}
        for i, row in enumerate(self.schools):
            places |= {f"school-{i}-name": row.name, f"school-{i}-days": row.days}
        places |= {f"area-{i}": row.title for i, row in enumerate(self.areas)}
        return places

    def show_problems(self, problems: dict[str, str]) -> None:
        places = self._places()
        for field in places.values():
            field.error = None
        for part, (box, text) in self.section_errors.items():
            box.visible = part in problems
            text.value = self.t(problems[part]) if part in problems else ""
        for place, key in problems.items():
            if place in places:
                places[place].error = self.t(key)
        self._redraw()

    def save(self, e: object) -> None:
        agreement, problems = logic.build_agreement(self.base, self.read())
        self.show_problems(problems)
        if agreement is None:
            self.screen.toast(self.t("agreement.not_saved"))
            return
        self.screen.logbook.agreements.save(agreement, "local", self.screen.app.now())
        self.screen.confirm_saved(self.t("agreement.saved"))
        self.screen.go(SETTINGS)

    def reset(self, e: object) -> None:
        self.screen.logbook.agreements.reset(self.code)
        self.screen.confirm_saved(self.t("agreement.reset_done"))
        self.screen.go(SETTINGS)


def agreement_screen(screen: Screen) -> Body:
    lb = screen.logbook
    entry = logic.served_entry(lb.municipalities(), screen.params.get("id", ""))
    if entry is None:
        raise RecordNotFound(screen.params.get("id", ""))
    base = logic.editable_agreement(entry, lb.agreements.all(), oslo_day(screen.app.now()))
    editor = AgreementEditor(screen, entry, base)
    save = big_button(screen.t("form.save"), editor.save, ident="agreement-save",
                      icon=ft.Icons.SAVE, primary=True)
    return Body(screen.t("agreement.heading"), editor.controls(), bottom=[save], back=SETTINGS)
