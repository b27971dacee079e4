"""Forms of a U18 follow-up: the case (new or edit) and a consent to lift confidentiality."""

from __future__ import annotations

from datetime import datetime, time

import flet as ft

from fieldapp.domain import Consent, FollowUpCase
from fieldapp.domain.codes import (
    CONSENT_GIVERS,
    CONSENT_METHODS,
    LEGAL_BASES,
    OBSERVATION_CATEGORIES,
    RECIPIENTS,
    SERVICES,
)
from fieldapp.domain.messages import code_choices

from ..kit.formats import format_date, parse_date
from ..kit.forms import Form, confidential_header, save_action
from ..kit.municipality_picker import MunicipalityPicker
from ..kit.priority_areas import chosen_area
from ..kit.widgets import big_button, heading
from ..shell import Body, Screen


def case_edit(screen: Screen) -> Body:
    t = screen.t
    case_id = screen.params.get("id")
    case = (screen.record(FollowUpCase, case_id) if case_id
            else FollowUpCase(opened_at=screen.app.now()))
    form = Form(FollowUpCase, screen.lang, ident="case")
    bases = [(code, label.split(" – ")[0]) for code, label in LEGAL_BASES.items()]
    home = MunicipalityPicker(form, screen, case.municipality, area=case.priority_area)
    controls = [
        confidential_header(screen.lang),
        form.text("person_name", case.person_name),
        form.text("birth_date", format_date(case.birth_date), hint=t("form.date_hint")),
        form.text("identity_number", case.identity_number, keyboard=ft.KeyboardType.NUMBER),
        form.text("address", case.address),
        form.text("guardian_name", case.guardian_name),
        form.text("guardian_phone", case.guardian_phone, keyboard=ft.KeyboardType.PHONE),
        form.text("concern", case.concern, multiline=True),
        form.choices("concern_categories", code_choices(OBSERVATION_CATEGORIES, screen.lang),
                     case.concern_categories),
        form.choices("services", code_choices(SERVICES, screen.lang), case.services),
        form.choices("legal_basis", bases, case.legal_basis, multiple=False),
        form.choices("status", code_choices(("open", "closed"), screen.lang), case.status,
                     multiple=False),
        *home.controls,
        form.general_error,
    ]

    def apply() -> None:
        _read_case(form, case, screen)
        case.municipality = home.value
        form.check(case)  # a date that cannot be read is shown with every other problem
        (screen.logbook.update if case_id else screen.logbook.add)(case)
        home.remember()

    save = save_action(form, screen, apply, saved="u18.saved", then=lambda: f"/u18/{case.id}")
    title = t("u18.edit_title") if case_id else t("u18.new_title")
    return Body(title, controls, back=f"/u18/{case_id}" if case_id else "/u18",
                bottom=[big_button(t("form.save"), save, ident="case-save", primary=True,
                                   icon=ft.Icons.SAVE)])


def _read_case(form: Form, case: FollowUpCase, screen: Screen) -> None:
    case.person_name = form.value("person_name")
    case.birth_date = form.parsed(parse_date, form.value("birth_date"), "birth_date")
    case.identity_number = form.value("identity_number")
    case.address = form.value("address")
    case.guardian_name = form.value("guardian_name")
    case.guardian_phone = form.value("guardian_phone")
    case.concern = form.raw("concern").strip()
    case.concern_categories = form.chosen("concern_categories")
    case.services = form.chosen("services")
    case.legal_basis = form.one("legal_basis")
    case.status = form.one("status") or "open"
    case.priority_area = chosen_area(form)
    case.closed_at = (case.closed_at or screen.app.now()) if case.status == "closed" \
        else None


def consent_new(screen: Screen) -> Body:
    t = screen.t
    case = screen.record(FollowUpCase, screen.params["id"])
    now = screen.app.now()
    form = Form(Consent, screen.lang, ident="consent")
    form.aliases = {"given_at": "given_on", "expires_at": "expires_on"}
    controls = [
        heading(t("consent.explain")),
        form.text("given_by", ""),
        form.choices("given_by_role", code_choices(CONSENT_GIVERS, screen.lang), "youth",
                     multiple=False),
        form.choices("method", code_choices(CONSENT_METHODS, screen.lang), "written",
                     multiple=False),
        form.choices("recipients", code_choices(RECIPIENTS, screen.lang)),
        form.text("purpose", ""),
        form.text("given_on", format_date(now), label=t("consent.given_on"),
                  hint=t("form.date_hint")),
        form.text("expires_on", "", label=t("consent.expires_on"), hint=t("form.date_hint")),
        form.general_error,
    ]
    tz = now.astimezone().tzinfo

    def apply() -> None:
        given = form.parsed(parse_date, form.value("given_on"), "given_on")
        expires = form.parsed(parse_date, form.value("expires_on"), "expires_on")
        given_at = now if given is None or given == now.astimezone().date() else \
            datetime.combine(given, time(12, 0), tzinfo=tz)
        consent = Consent(
            case_id=case.id, given_by=form.value("given_by"),
            given_by_role=form.one("given_by_role"), method=form.one("method"),
            recipients=form.chosen("recipients"), purpose=form.value("purpose"),
            given_at=given_at, expires_at=expires, municipality=case.municipality)
        form.check(consent)
        screen.logbook.add(consent)

    save = save_action(form, screen, apply, saved="consent.saved",
                       then=lambda: f"/u18/{case.id}")

    return Body(t("consent.new_title"), controls, back=f"/u18/{case.id}",
                bottom=[big_button(t("form.save"), save, ident="consent-save", primary=True,
                                   icon=ft.Icons.SAVE)])
