"""Quick-add in three taps: Home "Ny observasjon" (1) → a category chip (2) → "Lagre" (3).

The time is now, shown and changeable. The place is what the officer types or taps: the last
place is a suggestion ("Sist: …"), filled in (and said so) only when the officer is evidently
still there, and a position fix fills an empty place with its coordinates or replaces a last
place it shows to be wrong (rules in ``presenter``). Saving never waits for the position.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

import flet as ft

from fieldapp.domain import Observation
from fieldapp.domain.codes import OBSERVATION_CATEGORIES
from fieldapp.domain.messages import code_choices

from ..kit.formats import format_time, parse_int, parse_time_on
from ..kit.forms import Form, save_action
from ..kit.municipality_picker import MunicipalityPicker
from ..kit.priority_areas import chosen_area
from ..kit.widgets import big_button, small_button, tagged
from ..shell import Body, Screen
from . import presenter
from .presenter import LastPlace, Point

log = logging.getLogger(__name__)
LOCATION_TIMEOUT = 4.0


@dataclass
class PlaceState:
    """Where the place field's text came from and the fix taken on this screen."""

    last: LastPlace | None
    source: str = ""  # "", "last" (filled in by the app), "picked" (tapped), "fix", "typed"
    fix: Point | None = None
    lines: list[str] = field(default_factory=list)


def quick_add(screen: Screen) -> Body:
    t = screen.t
    form = Form(Observation, screen.lang, ident="obs")
    now = screen.app.now()
    state = PlaceState(presenter.last_place(screen.app.last_place,
                                            screen.logbook.list(Observation)))
    start = ""
    if state.last is not None and presenter.still_there(state.last, now, None):
        start, state.source = state.last.name, "last"
    located = ft.Text("", size=14)
    status = tagged("obs-place-status", located)  # hidden as a whole: Semantics need content
    status.visible = False
    home = MunicipalityPicker(form, screen)

    def typed_place(e: object) -> None:
        state.source = "typed" if form.value("place") else ""
        if status.visible and (state.last is None or form.value("place") != state.last.name):
            status.visible = False  # "same place as last time" no longer holds
            status.update()

    def use_last(e: object) -> None:
        if state.last is not None:
            form.set("place", state.last.name)
            state.source = "picked"
            _say(screen, status, suggestion, state, "")

    suggestion = small_button(
        t("obs.last_place", place=state.last.name) if state.last else "", use_last,
        ident="obs-place-last", icon=ft.Icons.HISTORY)
    suggestion.visible = state.last is not None and state.source != "last"
    if state.source == "last" and state.last is not None:
        located.value = t("obs.same_place", time=format_time(state.last.saved_at))
        status.visible = True
    start_time = format_time(now)
    controls = [
        form.choices("categories", code_choices(OBSERVATION_CATEGORIES, screen.lang),
                     unchosen=t("obs.no_category")),
        *home.chooser,
        form.text("place", start, hint=t("obs.place_hint"), on_change=typed_place),
        status,
        suggestion,
        form.text("youth_count", "", keyboard=ft.KeyboardType.NUMBER, hint=t("obs.count_hint")),
        form.text("time", start_time, label=t("obs.time_label"),
                  keyboard=ft.KeyboardType.DATETIME),
        form.text("note", "", multiline=True),
        *home.area,
        form.general_error,
    ]

    def add() -> None:
        moment = screen.app.now()
        typed = None
        if form.value("time") != start_time:
            local = moment.astimezone()
            typed = form.parsed(parse_time_on, local.date(), form.value("time"), "time",
                                local.tzinfo)
        record = Observation(
            place=form.value("place"), observed_at=presenter.observed_time(typed, moment),
            youth_count=form.parsed(parse_int, form.value("youth_count"), "youth_count"),
            categories=form.chosen("categories"), note=form.raw("note").strip(),
            priority_area=chosen_area(form), municipality=home.value)
        point = presenter.position_for(record.place, state.last, state.fix,
                                       record.observed_at, moment)
        if point is not None:
            record.latitude, record.longitude = point
        form.check(record)
        screen.logbook.add(record)
        screen.app.last_place = record.place
        home.remember()

    save = save_action(form, screen, add, saved="obs.saved", then=lambda: "/")

    screen.page.run_task(_locate, screen, form, state, status, suggestion)
    return Body(t("obs.new_title"), controls,
                bottom=[big_button(t("form.save"), save, ident="obs-save", primary=True,
                                   icon=ft.Icons.SAVE)])


def _say(screen: Screen, status: ft.Control, suggestion: ft.Control, state: PlaceState,
         line: str) -> None:
    """Put ``line`` under the place field ('' hides it) and offer the last place if unused."""
    located = getattr(status, "content", None)
    assert isinstance(located, ft.Text)
    located.value, status.visible = line, bool(line)
    suggestion.visible = state.last is not None and state.source not in ("last", "picked")
    try:
        screen.page.update()
    except Exception as exc:  # the screen was left meanwhile
        log.debug("place line not shown: %s", type(exc).__name__)


async def _locate(screen: Screen, form: Form, state: PlaceState, status: ft.Control,
                  suggestion: ft.Control) -> None:
    """Ask the location port once; fill the place only where the officer typed nothing."""
    try:
        found = await asyncio.to_thread(screen.app.ports.location.locate, LOCATION_TIMEOUT)
    except Exception as exc:  # a device problem never blocks the form
        log.debug("no position: %s", type(exc).__name__)
        return
    fix = found.position
    if fix is None:  # say so only when the officer can do something about it
        if found.status in ("denied", "off") and not form.value("place"):
            _say(screen, status, suggestion, state, screen.t("obs.position_" + found.status))
        return
    state.fix = (fix.latitude, fix.longitude)
    t = screen.t
    if state.source in ("typed", "picked"):  # the officer's choice stands
        line = t("obs.position_added")
    elif state.last is not None and presenter.still_there(state.last, screen.app.now(),
                                                            state.fix):
        form.set("place", state.last.name)
        state.source = "last"
        line = t("obs.position_at_last", place=state.last.name)
    else:  # empty, or a last place the position shows is not here
        form.set("place", f"{fix.latitude:.5f}, {fix.longitude:.5f}")
        state.source = "fix"
        line = t("obs.position_added")
    _say(screen, status, suggestion, state, line)
