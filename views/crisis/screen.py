"""Kriseledelse: the crisis-staff contact list (offline, tap to call) and the callout log."""

from __future__ import annotations

import flet as ft

from fieldapp.domain import CrisisCallout, CrisisContact, TimelineEntry, ValidationError
from fieldapp.domain.codes import CALLER_ROLES, CRISIS_EVENT_TYPES
from fieldapp.domain.contact_points import dial_number
from fieldapp.domain.days import oslo_day
from fieldapp.domain.messages import code_label, field_label

from ..kit import municipality as homes
from ..kit.deletion import delete_section
from ..kit.formats import format_date, format_time, parse_date
from ..kit.forms import Form, save_action, submit
from ..kit.municipality_picker import MunicipalityPicker
from ..kit.priority_areas import chosen_area
from ..kit.widgets import big_button, card, heading, small_button, tagged
from ..shell import Body, Screen
from . import presenter
from .times import CalloutTimes, shown


def _contact_card(screen: Screen, i: int, c: CrisisContact) -> ft.Control:
    t, lang = screen.t, screen.lang
    verified = format_date(c.last_verified) if c.last_verified else t("crisis.never_verified")
    number = dial_number(c.phone)  # a link only to a number one can call
    call = small_button(t("crisis.call", name=c.name), lambda e: None, ident=f"call-{i}",
                        icon=ft.Icons.PHONE, url=f"tel:{number}") if number else \
        tagged(f"call-{i}-missing", ft.Text(
            t("crisis.bad_phone") if c.phone.strip() else t("crisis.no_phone"),
            color=ft.Colors.ERROR if c.phone.strip() else None))
    return card(
        ft.Text(c.name, size=17, weight=ft.FontWeight.W_600),
        ft.Text(presenter.role_line(c, lang)),
        ft.Text(f"{c.phone}   {t('crisis.verified', date=verified)}", size=14),
        ft.Row([call, small_button(t("crisis.edit"), lambda e, cid=c.id: screen.go(
            f"/crisis/contact/{cid}"), ident=f"contact-edit-{i}", icon=ft.Icons.EDIT)],
            wrap=True),
        ident=f"contact-{i}")


def crisis_home(screen: Screen) -> Body:
    t = screen.t
    contacts = sorted(screen.logbook.list(CrisisContact),
                      key=lambda c: (CALLER_ROLES.index(c.role) if c.role in CALLER_ROLES
                                     else len(CALLER_ROLES), c.name.casefold()))
    listing = ft.Column(spacing=10)

    def show(query: str) -> None:
        found = [c for c in contacts if presenter.matches(c, query, screen.lang)]
        listing.controls = [_contact_card(screen, i, c) for i, c in enumerate(found)] or [
            ft.Text(t("crisis.no_contacts"))]

    def search(e: ft.Event[ft.TextField]) -> None:
        show(e.control.value or "")
        listing.update()

    show("")
    field = ft.TextField(label=t("crisis.search"), prefix_icon=ft.Icons.SEARCH,
                         on_change=search, text_size=17)
    controls: list[ft.Control] = [
        heading(t("crisis.contacts")), tagged("crisis-search", field), listing,
        small_button(t("crisis.new_contact"), lambda e: screen.go("/crisis/contact/new"),
                     ident="contact-new", icon=ft.Icons.PERSON_ADD),
        heading(t("crisis.callouts")), *_callout_list(screen),
    ]

    def called_in(e: object) -> None:
        callout = CrisisCallout(  # the remembered municipality; changed on the callout
            called_at=screen.app.now(), event_type="other",
            municipality=homes.default_municipality(screen.logbook))
        screen.logbook.add(callout)
        screen.confirm_saved(t("crisis.callout_started"))
        screen.go(f"/crisis/callout/{callout.id}")

    return Body(t("crisis.title"), controls,
                bottom=[big_button(t("crisis.new_callout"), called_in, ident="callout-new",
                                   icon=ft.Icons.CAMPAIGN, primary=True)])


def _callout_list(screen: Screen) -> list[ft.Control]:
    callouts = presenter.latest_callouts(screen.logbook.list(CrisisCallout))
    items = [card(ft.Text(code_label(c.event_type, screen.lang), size=17,
                          weight=ft.FontWeight.W_600),
                  ft.Text(screen.t("crisis.called_line", at=" ".join(shown(c.called_at)))),
                  ident=f"callout-{i}",
                  on_click=lambda e, cid=c.id: screen.go(f"/crisis/callout/{cid}"))
             for i, c in enumerate(callouts)]
    return items or [ft.Text(screen.t("crisis.no_callouts"))]


def contact_edit(screen: Screen) -> Body:
    t = screen.t
    contact_id = screen.params.get("id")
    contact = screen.record(CrisisContact, contact_id) if contact_id else CrisisContact(
        last_verified=oslo_day(screen.app.now()))
    form = Form(CrisisContact, screen.lang, ident="contact")
    controls = [
        form.text("name", contact.name),
        form.choices("role", [(c, code_label(c, screen.lang)) for c in CALLER_ROLES],
                     contact.role, multiple=False),
        form.text("organisation", contact.organisation),
        form.text("phone", contact.phone, keyboard=ft.KeyboardType.PHONE),
        form.text("email", contact.email, keyboard=ft.KeyboardType.EMAIL),
        form.text("last_verified", format_date(contact.last_verified), hint=t("form.date_hint")),
        form.general_error,
    ]

    def apply() -> None:
        contact.name = form.value("name")
        contact.role = form.one("role")
        contact.organisation = form.value("organisation")
        contact.phone = form.value("phone")
        contact.email = form.value("email")
        contact.last_verified = form.parsed(parse_date, form.value("last_verified"),
                                            "last_verified")
        form.check(contact)
        (screen.logbook.update if contact_id else screen.logbook.add)(contact)

    save = save_action(form, screen, apply, saved="crisis.contact_saved", then=lambda: "/crisis")

    return Body(t("crisis.contact_title"), controls, back="/crisis",
                bottom=[big_button(t("form.save"), save, ident="contact-save", primary=True,
                                   icon=ft.Icons.SAVE)])


def _callout_times(screen: Screen, form: Form, callout: CrisisCallout, times: CalloutTimes,
                   home: MunicipalityPicker) -> list[ft.Control]:
    t = screen.t

    def stamp(name: str) -> None:
        if submit(form, screen, lambda: _apply_callout(form, callout, screen, home, times,
                                                       stamp=name)):
            screen.confirm_saved(t("crisis.time_saved"))
            screen.refresh()

    stamps = ft.Row([
        small_button(t("crisis.arrived_now"), lambda e: stamp("arrived_at"),
                     ident="callout-arrived", icon=ft.Icons.LOCATION_ON),
        small_button(t("crisis.ended_now"), lambda e: stamp("ended_at"),
                     ident="callout-ended", icon=ft.Icons.STOP_CIRCLE),
    ], wrap=True)
    minutes = presenter.response_minutes(callout)
    response = t("crisis.response", minutes=minutes) if minutes is not None else \
        t("crisis.no_response")
    return [heading(t("crisis.times")), *times.controls,
            tagged("callout-response", ft.Text(response, size=15)), stamps]


def callout_view(screen: Screen) -> Body:
    t, lang = screen.t, screen.lang
    callout = screen.record(CrisisCallout, screen.params["id"])
    form = Form(CrisisCallout, lang, ident="callout")
    timeline = [ft.Text(f"{format_time(entry.at)}  {entry.text}", size=15)
                for entry in callout.timeline]
    home = MunicipalityPicker(form, screen, callout.municipality, area=callout.priority_area)
    times = CalloutTimes(form, callout, t)
    controls = [
        form.choices("event_type", [(c, code_label(c, lang)) for c in CRISIS_EVENT_TYPES],
                     callout.event_type, multiple=False),
        form.choices("called_by_role", [(c, code_label(c, lang)) for c in CALLER_ROLES],
                     callout.called_by_role, multiple=False),
        form.text("called_by_name", callout.called_by_name),
        form.text("role", callout.role, hint=t("crisis.role_hint")),
        *_callout_times(screen, form, callout, times, home),
        heading(field_label("timeline", lang)), *timeline,
        form.text("entry", "", label=t("crisis.entry"), multiline=True),
        form.text("note", callout.note, multiline=True),
        *home.controls,
        form.general_error,
        delete_section(screen, callout.id, "/crisis", ident="callout-delete",
                       label=t("crisis.delete_callout")),
    ]
    save = save_action(form, screen, lambda: _apply_callout(form, callout, screen, home, times),
                       saved="crisis.callout_saved", then=lambda: screen.route)
    return Body(t("crisis.callout_title"), controls, back="/crisis",
                bottom=[big_button(t("form.save"), save, ident="callout-save", primary=True,
                                   icon=ft.Icons.SAVE)])


def _apply_callout(form: Form, callout: CrisisCallout, screen: Screen, home: MunicipalityPicker,
                   times: CalloutTimes, stamp: str | None = None) -> None:
    now = screen.app.now()
    times.apply()
    callout.event_type = form.one("event_type") or "other"
    callout.called_by_role = form.one("called_by_role")
    callout.called_by_name = form.value("called_by_name")
    callout.role = form.value("role")
    callout.note = form.raw("note").strip()
    callout.priority_area = chosen_area(form)
    callout.municipality = home.value
    entry = form.raw("entry").strip()
    if entry:
        callout.timeline.append(TimelineEntry(at=now, text=entry))
    if stamp is not None:
        setattr(callout, stamp, now)
    try:
        screen.logbook.update(callout)
    except ValidationError:
        if entry:
            callout.timeline.pop()
        raise
    home.remember()
    form.set("entry", "")
