"""The municipality a record belongs to, as chips on every form that creates or edits one, with
the priority-area chips that follow the chosen municipality's agreement.

The chips show only when more than one municipality is served; the remembered one (else the
school's, else the first served) is preselected, so quick-add stays three taps. Hidden, the
picker's value is the one municipality served (or "" on first run, which the Logbook accepts).

    picker = MunicipalityPicker(form, screen, record.municipality, area=record.priority_area)
    controls = [..., *picker.controls]
    record.municipality, record.priority_area = picker.value, chosen_area(form)
    picker.remember()          # after a successful save
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import flet as ft

from . import municipality as logic
from .forms import Form
from .priority_areas import FIELD as AREA_FIELD
from .priority_areas import area_choice, area_options, chosen_area

if TYPE_CHECKING:
    from ..shell import Screen

log = logging.getLogger(__name__)
FIELD = "municipality"


class MunicipalityPicker:
    def __init__(self, form: Form, screen: Screen, current: str = "", *, area: str = "",
                 with_area: bool = True, school: str = ""):
        self.form = form
        self.logbook = screen.logbook
        self.lang = screen.lang
        start = current or logic.default_municipality(self.logbook, school)
        options = logic.options_for(self.logbook, current)
        self.shown = len(options) > 1
        self.fixed = start
        self.chooser: list[ft.Control] = []   # the municipality chips (when shown)
        if self.shown:
            self.chooser.append(form.choices(FIELD, options, start, multiple=False))
            form.chips[FIELD].on_change = self._changed
        self.areas: ft.Column | None = None
        if with_area:
            chips = area_choice(form, self.logbook, start, self.lang, area)
            self.areas = ft.Column(chips, spacing=0, visible=bool(chips))

    @property
    def area(self) -> list[ft.Control]:
        """The priority-area chips of the chosen municipality (a holder redrawn on change)."""
        return [self.areas] if self.areas is not None else []

    @property
    def controls(self) -> list[ft.Control]:
        return [*self.chooser, *self.area]

    @property
    def value(self) -> str:
        return self.form.one(FIELD) if self.shown else self.fixed

    def select(self, code: str) -> None:
        """Preselect a municipality from the app (a school was picked); the officer may still
        change it."""
        group = self.form.chips.get(FIELD) if self.shown else None
        if group is not None and code:
            group.select(code)

    def _changed(self, values: set[str]) -> None:
        if self.areas is None:
            return
        code = next(iter(values), "")
        chosen = chosen_area(self.form)
        keep = chosen if any(c == chosen for c, _ in area_options(
            self.logbook, code, self.lang)) else ""
        self.form.chips.pop(AREA_FIELD, None)
        self.areas.controls = area_choice(self.form, self.logbook, code, self.lang, keep)
        self.areas.visible = bool(self.areas.controls)
        try:
            self.areas.update()
        except Exception as exc:  # not on a page (tests) or the screen was left
            log.debug("areas not redrawn: %s", type(exc).__name__)

    def remember(self) -> None:
        logic.remember(self.logbook, self.value)
