""""Mangler kommune" (``/mangler-kommune``): records saved before a municipality was chosen.

Such a record never syncs and counts in no municipality's evaluation, so Home names how many
there are and this screen lets the officer give each its municipality (a normal
``Logbook.update``). A school visit's school suggests its municipality; nothing else is
preselected, so no record gets a home by a careless tap. A case's consents follow the case.
"""

from __future__ import annotations

import flet as ft

from fieldapp.domain import Record, ValidationError
from fieldapp.domain.messages import code_label, error_message

from ..kit import municipality as logic
from ..kit.formats import format_date
from ..kit.widgets import ChoiceChips, card, small_button, tagged
from ..shell import Body, Screen

ROUTE = "/mangler-kommune"


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

    def save(e: object) -> None:
        if not chips.single:
            error.visible = True
            error.update()
            return
        try:
            logic.give_home(screen.logbook, record.id, chips.single)
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
