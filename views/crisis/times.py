"""A callout's three times — called in, arrived, ended — as a date and a time field each, so
that an accidental tap or a callout logged after the fact can be corrected (the report's
counts and response times are read from them).

Times are stored as UTC moments and shown and typed in Norwegian time (Europe/Oslo; the
device's zone where a phone build has no tz database). A field left as it was shown keeps the
stored moment to the second; a blank arrival or end time clears it; a time typed without a
date is on the day of the call-out. The order (arrived and ended not before called in) is the
domain's rule: its error is shown under the time field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo

import flet as ft

from fieldapp.domain import CrisisCallout
from fieldapp.domain.days import OSLO
from fieldapp.domain.messages import field_label

from ..kit.formats import ParseProblem, parse_date, parse_time_on
from ..kit.forms import Form

TIMES = ("called_at", "arrived_at", "ended_at")


def zone() -> tzinfo | None:
    return OSLO or datetime.now().astimezone().tzinfo


def shown(moment: datetime | None) -> tuple[str, str]:
    """(dd.mm.åååå, tt:mm) of a moment in Norwegian time; blanks for none."""
    if moment is None:
        return "", ""
    local = moment.astimezone(zone())
    return local.strftime("%d.%m.%Y"), local.strftime("%H:%M")


class CalloutTimes:
    """The date and time fields of a callout's times (``callout-<name>_day`` / ``_time``)."""

    def __init__(self, form: Form, callout: CrisisCallout, t: Callable[..., str]):
        self.form, self.callout = form, callout
        self.controls: list[ft.Control] = []
        for name in TIMES:
            day, clock = shown(getattr(callout, name))
            label = field_label(name, form.lang)
            form.aliases[name] = f"{name}_time"
            self.controls.append(ft.Row([
                ft.Container(form.text(f"{name}_day", day, label=t("crisis.day", name=label),
                                       hint=t("form.date_hint"),
                                       keyboard=ft.KeyboardType.DATETIME), expand=3),
                ft.Container(form.text(f"{name}_time", clock, label=t("crisis.clock",
                                                                       name=label),
                                       hint=t("crisis.clock_hint"),
                                       keyboard=ft.KeyboardType.DATETIME), expand=2),
            ], vertical_alignment=ft.CrossAxisAlignment.START))
            for part in ("day", "time"):  # a narrow field: its error wraps, never cut off
                form.fields[f"{name}_{part}"].error_max_lines = 3

    def apply(self) -> None:
        """Put the typed times on the callout; ParseProblem when one cannot be read."""
        callout = self.callout
        called = self._read("called_at", callout.called_at, None)
        if called is None:
            raise ParseProblem("called_at_day", "form.not_a_date")
        callout.called_at = called
        day = called.astimezone(zone()).date()
        callout.arrived_at = self._read("arrived_at", callout.arrived_at, day)
        callout.ended_at = self._read("ended_at", callout.ended_at, day)

    def _read(self, name: str, current: datetime | None, default_day: date | None
              ) -> datetime | None:
        typed = (self.form.value(f"{name}_day"), self.form.value(f"{name}_time"))
        if typed == shown(current):
            return current
        day_text, clock = typed
        if not day_text and not clock:
            return None
        day = parse_date(day_text, f"{name}_day") or default_day
        if day is None:
            raise ParseProblem(f"{name}_day", "form.not_a_date")
        if not clock:
            raise ParseProblem(f"{name}_time", "form.not_a_time")
        return parse_time_on(day, clock, f"{name}_time", zone())
