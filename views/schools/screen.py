"""School visits: pick a school to check in, the list of visits, and a visit's contacts,
topics and note (check-in and check-out themselves are in ``presenter``, Home taps them too)."""

from __future__ import annotations

import flet as ft

from fieldapp.domain import SchoolVisit
from fieldapp.domain.codes import CONTACT_ROLES, SCHOOL_TOPICS
from fieldapp.domain.messages import code_label

from ..kit import municipality as homes
from ..kit.deletion import delete_section
from ..kit.formats import format_date, parse_date, parse_time_on
from ..kit.forms import Form, save_action, typed_field
from ..kit.municipality_picker import MunicipalityPicker
from ..kit.priority_areas import chosen_area
from ..kit.widgets import TARGET, ChoiceChips, big_button, card, tagged
from ..shell import Body, Screen
from .presenter import check_in, clock


def checkin_screen(screen: Screen) -> Body:
    t = screen.t
    schools = screen.logbook.served.schools()
    field, typed = typed_field(label=t("school.name"), value=screen.app.last_school,
                               text_size=17)
    error = ft.Text("", color=ft.Colors.ERROR, visible=False)
    home = MunicipalityPicker(Form(SchoolVisit, screen.lang, ident="checkin"), screen,
                              with_area=False, school=screen.app.last_school)

    chosen: dict[str, str] = {}

    def picked(values: set[str]) -> None:
        chosen["school"] = next(iter(values), "")
        field.value = chosen["school"] or field.value
        field.update()
        home.select(homes.school_municipality(screen.logbook, chosen["school"]))

    chips = ChoiceChips([(s, s) for s in schools], multiple=False, ident="checkin-school",
                        on_change=picked)

    def go(e: object) -> None:
        school = chosen.get("school") or typed()
        if not school:
            error.value, error.visible = t("school.name_required"), True
            error.update()
            return
        check_in(screen, school, home.value)

    controls: list[ft.Control] = []
    if schools:
        controls += [ft.Text(t("school.pick")), chips.control]
    controls += [tagged("checkin-name", field), error, *home.chooser]
    return Body(t("school.checkin_title"), controls,
                bottom=[big_button(t("school.check_in_now"), go, ident="checkin-save",
                                   primary=True, icon=ft.Icons.LOGIN)])


def visit_list(screen: Screen) -> Body:
    t = screen.t
    visits = sorted(screen.logbook.list(SchoolVisit), key=lambda v: v.checked_in_at,
                    reverse=True)
    items: list[ft.Control] = []
    for i, v in enumerate(visits):
        span = f"{format_date(v.checked_in_at)} {clock(v.checked_in_at)}–{clock(v.checked_out_at)}"
        topics = ", ".join(code_label(c, screen.lang) for c in v.topics)
        items.append(card(ft.Text(v.school, size=17, weight=ft.FontWeight.W_600),
                          ft.Text(span), ft.Text(topics, size=14),
                          ident=f"visit-{i}", on_click=lambda e, vid=v.id: screen.go(
                              f"/school/{vid}")))
    if not items:
        items.append(ft.Text(t("school.none")))
    return Body(t("school.list_title"), items,
                bottom=[big_button(t("school.check_in_other"), lambda e: screen.go(
                    "/school/checkin"), ident="visit-checkin", icon=ft.Icons.LOGIN)])


def visit_edit(screen: Screen) -> Body:
    t = screen.t
    visit = screen.record(SchoolVisit, screen.params["id"])
    form = Form(SchoolVisit, screen.lang, ident="visit")
    form.aliases = {"checked_out_at": "time_out"}
    home = MunicipalityPicker(form, screen, visit.municipality, area=visit.priority_area,
                              school=visit.school)
    free_text = ft.Checkbox(height=TARGET, label=t("form.free_of_personal"),
                            value=visit.text_free_of_personal)
    controls = [
        form.text("school", visit.school),
        form.text("checked_in_at", format_date(visit.checked_in_at), label=t("school.date")),
        ft.Row([ft.Container(form.text("time_in", clock(visit.checked_in_at),
                                       label=t("school.time_in")), expand=True),
                ft.Container(form.text("time_out", clock(visit.checked_out_at),
                                       label=t("school.time_out")), expand=True)]),
        form.text("contacts_met", ", ".join(visit.contacts_met), hint=t("school.contacts_hint")),
        form.choices("contact_roles", [(c, code_label(c, screen.lang)) for c in CONTACT_ROLES],
                     visit.contact_roles, label=t("school.roles")),
        form.choices("topics", [(c, code_label(c, screen.lang)) for c in SCHOOL_TOPICS],
                     visit.topics),
        form.text("agreed_follow_up", visit.agreed_follow_up, multiline=True,
                  hint=t("school.follow_ups_hint")),
        form.text("note", visit.note, multiline=True),
        tagged(f"{form.ident}-free-text", free_text),
        *home.controls,
        form.general_error,
        delete_section(screen, visit.id, "/school", ident="visit-delete"),
    ]

    def apply() -> None:
        _read_visit(form, visit, free_text)
        visit.municipality = home.value
        form.check(visit)
        screen.logbook.update(visit)
        home.remember()

    save = save_action(form, screen, apply, saved="school.saved", then=lambda: "/school")
    return Body(t("school.edit_title"), controls, back="/school",
                bottom=[big_button(t("form.save"), save, ident="visit-save", primary=True,
                                   icon=ft.Icons.SAVE)])


def _read_visit(form: Form, visit: SchoolVisit, free_text: ft.Checkbox) -> None:
    tz = visit.checked_in_at.astimezone().tzinfo
    day = form.parsed(parse_date, form.value("checked_in_at"), "checked_in_at") or \
        visit.checked_in_at.astimezone().date()
    visit.school = form.value("school")
    visit.checked_in_at = form.parsed(parse_time_on, day, form.value("time_in"), "time_in",
                                      tz) or visit.checked_in_at
    visit.checked_out_at = form.parsed(parse_time_on, day, form.value("time_out"), "time_out",
                                       tz)
    visit.contacts_met = [c.strip() for c in form.value("contacts_met").split(",") if c.strip()]
    visit.contact_roles = [c for c in CONTACT_ROLES if c in form.chosen("contact_roles")]
    visit.topics = sorted(form.chosen("topics"))
    visit.agreed_follow_up = form.raw("agreed_follow_up").strip()
    visit.note = form.raw("note").strip()
    visit.text_free_of_personal = bool(free_text.value)
    visit.priority_area = chosen_area(form)
