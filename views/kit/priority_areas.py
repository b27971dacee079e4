"""The agreement's priority areas (satsingsområder) as a choice on activity records.

School visits, observations, U18 cases and crisis callouts can be linked to one area, so the
yearly evaluation shows the activity behind each area. The choices are the areas of the
record's municipality's agreement (stored, else the signed default), the one weighted highest
first; a record without a
municipality yet is offered the areas of every municipality served. An area the record is
already linked to stays offered even when the agreement no longer names it, so that saving
never drops a link silently.

    options = area_options(lb, "1122", "nb")   # [("rus_krim_u18", "Rus- og …"), …]
    controls = area_choice(form, lb, record.municipality, "nb", record.priority_area)
    record.priority_area = chosen_area(form)
"""

from __future__ import annotations

import flet as ft

from fieldapp.domain.agreement import agreement_for
from fieldapp.logbook import Logbook

from .forms import Form

FIELD = "priority_area"


def area_options(logbook: Logbook, municipality: str, lang: str) -> list[tuple[str, str]]:
    stored = logbook.agreements.all()
    codes = [municipality] if municipality else \
        [str(m.get("code", "")) for m in logbook.municipalities()]
    options: list[tuple[str, str]] = []
    for code in codes:
        agreement = agreement_for(code, stored) if code else None
        if agreement is None:
            continue
        top = agreement.highest_priority()
        ordered = sorted(agreement.priority_areas, key=lambda a: a is not top)
        for area in ordered:
            if any(area.code == known for known, _ in options):
                continue
            options.append((area.code, area.title(lang)))
    return options


def area_choice(form: Form, logbook: Logbook, municipality: str, lang: str,
                selected: str = "") -> list[ft.Control]:
    """The single-choice chips (nothing when no agreement names an area); tap again to unlink."""
    options = area_options(logbook, municipality, lang)
    if selected and all(code != selected for code, _ in options):
        options.append((selected, selected))
    if not options:
        return []
    return [form.choices(FIELD, options, selected, multiple=False)]


def chosen_area(form: Form) -> str:
    return form.one(FIELD) if FIELD in form.chips else ""
