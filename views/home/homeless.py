""""Mangler kommune" (``/mangler-kommune``): records saved before a municipality was chosen.

Such a record never syncs and counts in no municipality's evaluation, so Home names how many
there are and this screen lets the officer give each its municipality (a normal
``Logbook.update``). A school visit's school suggests its municipality; nothing else is
preselected, so no record gets a home by a careless tap. A case's consents follow the case.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from fieldapp import StaleRecord
from fieldapp.domain import Consent, FollowUpCase, Record, ValidationError
from fieldapp.domain.messages import code_label, error_message
from fieldapp.logbook import Logbook

from . import municipality_logic as logic
from .forms import format_date
from .shell import Body, Screen
from .widgets import ChoiceChips, card, small_button, tagged

ROUTE = "/mangler-kommune"


def homeless_count(logbook: Logbook, records: list[Record]) -> int:
    """How many records need a municipality (0 while none is served: nothing to pick)."""
    return len(logic.homeless(records)) if logic.choices(logbook) else 0


def _title(screen: Screen, record: Record) -> str:
    line = logic.record_line(record)
    detail = code_label(line.detail, screen.lang) if line.coded and line.detail else line.detail
    return " · ".join(p for p in (screen.t(line.kind_key), format_date(line.moment), detail) if p)


def _row(screen: Screen, record: Record, i: int, served: list[tuple[str, str]]) -> ft.Control:
    t = screen.t
    school = getattr(record, "school", "")
    suggested = logic.school_municipality(screen.logbook, school) if school else ""
    chips = ChoiceChips(served, [suggested] if suggested else [], multiple=False,
                        ident=f"homeless-{i}-municipality")
    error = ft.Text(t("homeless.pick"), color=ft.Colors.ERROR, visible=False)

    def save(e: Any) -> None:
        if not chips.single:
            error.visible = True
            error.update()
            return
        try:
            give_home(screen.logbook, record.id, chips.single)
        except ValidationError as exc:  # something else on the record is not valid now
            error.value = " ".join(error_message(f.key, f.field, f.params, screen.lang)
                                   for f in exc.errors)
            error.visible = True
            error.update()
            return
        screen.confirm_saved(t("homeless.saved"))
        screen.refresh()

    return card(tagged(f"homeless-title-{i}", ft.Text(_title(screen, record), size=17,
                                                      weight=ft.FontWeight.W_600)),
                chips.control, error,
                small_button(t("homeless.save"), save, ident=f"homeless-save-{i}",
                             icon=ft.Icons.SAVE), ident=f"homeless-{i}")


def give_home(logbook: Logbook, record_id: str, code: str) -> None:
    """Store the municipality on a record (read fresh; once more if it moved on meanwhile);
    a case's consents without one get it too."""
    for _ in range(2):
        record = logbook.get(record_id)
        record.municipality = code
        try:
            logbook.update(record)
            break
        except StaleRecord:
            continue
    if isinstance(record, FollowUpCase):
        for consent in logbook.list(Consent, where=lambda c: c.case_id == record_id
                                    and not c.municipality):
            consent.municipality = code
            try:
                logbook.update(consent)
            except (StaleRecord, ValidationError):  # it inherits from the case anyway
                continue


def homeless_screen(screen: Screen) -> Body:
    t, lb = screen.t, screen.logbook
    served = logic.choices(lb)
    records = logic.homeless(lb.list())
    controls: list[ft.Control] = [ft.Text(t("homeless.explain"), size=15)]
    if not served:
        controls.append(tagged("homeless-none-served", ft.Text(t("homeless.none_served"))))
    else:
        controls += [_row(screen, r, i, served) for i, r in enumerate(records)]
    if not records:
        controls.append(tagged("homeless-none", ft.Text(t("homeless.none"), size=16)))
    return Body(t("homeless.title"), controls)
