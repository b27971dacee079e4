"""Observations in the youth environment: quick-add in three taps (``quick_add``), the list and
the full edit."""

from __future__ import annotations

from datetime import datetime

import flet as ft

from fieldapp.domain import Observation
from fieldapp.domain.codes import ATMOSPHERES, OBSERVATION_CATEGORIES
from fieldapp.domain.messages import code_choices

from ..kit.deletion import delete_section
from ..kit.formats import format_date, format_moment, parse_date, parse_int, parse_time_on
from ..kit.forms import Form, save_action
from ..kit.municipality_picker import MunicipalityPicker
from ..kit.priority_areas import chosen_area
from ..kit.widgets import TARGET, big_button, card, tagged
from ..shell import Body, Screen
from . import presenter
from .quick_add import quick_add as quick_add  # the route table's /observation/new


def observation_list(screen: Screen) -> Body:
    t = screen.t
    records = presenter.newest_first(screen.logbook.list(Observation))
    items: list[ft.Control] = []
    for i, o in enumerate(records):
        items.append(card(ft.Text(o.place, size=17, weight=ft.FontWeight.W_600),
                          ft.Text(format_moment(o.observed_at)),
                          ft.Text(presenter.detail_line(o, screen.lang, t), size=14),
                          ident=f"obs-item-{i}",
                          on_click=lambda e, rid=o.id: screen.go(f"/observation/{rid}")))
    if not items:
        items.append(ft.Text(t("obs.none")))
    return Body(t("obs.list_title"), items,
                bottom=[big_button(t("home.new_observation"),
                                   lambda e: screen.go("/observation/new"),
                                   ident="obs-list-new", icon=ft.Icons.ADD, primary=True)])


def observation_edit(screen: Screen) -> Body:
    t = screen.t
    record = screen.record(Observation, screen.params["id"])
    form = Form(Observation, screen.lang, ident="obs")
    form.aliases = {"observed_at": "date"}
    local = record.observed_at.astimezone()
    free = ft.Checkbox(height=TARGET, label=t("form.free_of_personal"),
                       value=record.text_free_of_personal)
    home = MunicipalityPicker(form, screen, record.municipality, area=record.priority_area)
    controls = [
        form.text("place", record.place),
        ft.Row([ft.Container(form.text("date", format_date(local), label=t("form.date")),
                             expand=True),
                ft.Container(form.text("time", local.strftime("%H:%M"), label=t("form.time")),
                             expand=True)]),
        form.text("youth_count", "" if record.youth_count is None else record.youth_count,
                  keyboard=ft.KeyboardType.NUMBER),
        form.choices("categories", code_choices(OBSERVATION_CATEGORIES, screen.lang),
                     record.categories),
        form.choices("atmosphere", code_choices(ATMOSPHERES, screen.lang), record.atmosphere,
                     multiple=False),
        form.text("actions_taken", record.actions_taken, multiline=True),
        form.text("note", record.note, multiline=True),
        tagged("obs-free-text", free),
        *home.controls,
        form.general_error,
        delete_section(screen, record.id, "/observation", ident="obs-delete"),
    ]
    save = save_action(form, screen,
                       lambda: _apply_edit(form, record, local, free, screen, home),
                       saved="obs.updated", then=lambda: "/observation")
    return Body(t("obs.edit_title"), controls, back="/observation",
                bottom=[big_button(t("form.save"), save, ident="obs-edit-save", primary=True,
                                   icon=ft.Icons.SAVE)])


def _apply_edit(form: Form, record: Observation, local: datetime, free: ft.Checkbox,
                screen: Screen, home: MunicipalityPicker) -> None:
    day = form.parsed(parse_date, form.value("date"), "date") or local.date()
    record.observed_at = form.parsed(parse_time_on, day, form.value("time"), "time",
                                     local.tzinfo) or record.observed_at
    record.place = form.value("place")
    record.youth_count = form.parsed(parse_int, form.value("youth_count"), "youth_count")
    record.categories = form.chosen("categories")
    record.atmosphere = form.one("atmosphere")
    record.actions_taken = form.raw("actions_taken").strip()
    record.note = form.raw("note").strip()
    record.text_free_of_personal = bool(free.value)
    record.priority_area = chosen_area(form)
    record.municipality = home.value
    form.check(record)
    screen.logbook.update(record)
    home.remember()
