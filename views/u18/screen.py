"""U18 follow-ups: the case list (due first) and the case view with actions and consents.

Personal data is shown only on the device and always under the "Taushetsbelagt" mark.
"""

from __future__ import annotations

from typing import cast

import flet as ft

from fieldapp.domain import Consent, FollowUpAction, FollowUpCase, ValidationError
from fieldapp.domain.codes import SERVICES
from fieldapp.domain.consent_status import ConsentStatus, consent_status
from fieldapp.domain.days import oslo_day
from fieldapp.domain.messages import code_label, field_label
from fieldapp.domain.schedule import cases_by_urgency, next_due_date

from ..kit.formats import ParseProblem, format_date, parse_date
from ..kit.forms import Form
from ..kit.widgets import TARGET, big_button, card, confidential_mark, heading, small_button, tagged
from ..shell import Body, Screen
from . import presenter


def case_list(screen: Screen) -> Body:
    t = screen.t
    today = oslo_day(screen.app.now())
    cases = cases_by_urgency(screen.logbook.list(FollowUpCase), today)
    items: list[ft.Control] = [confidential_mark(t("confidential"))]
    for i, case in enumerate(cases):
        due = next_due_date(case)
        due_text = t("u18.next_due", date=format_date(due)) if due else t("u18.no_due")
        overdue = due is not None and due <= today
        items.append(card(
            ft.Text(case.person_name, size=17, weight=ft.FontWeight.W_600),
            ft.Text(due_text, color=ft.Colors.ERROR if overdue else None),
            ft.Text(code_label(case.status, screen.lang), size=14),
            ident=f"case-{i}", on_click=lambda e, cid=case.id: screen.go(f"/u18/{cid}")))
    if len(items) == 1:
        items.append(ft.Text(t("u18.none")))
    return Body(t("u18.list_title"), items,
                bottom=[big_button(t("u18.new"), lambda e: screen.go("/u18/new"),
                                   ident="case-new", icon=ft.Icons.PERSON_ADD, primary=True)])


def _facts(screen: Screen, case: FollowUpCase) -> list[ft.Control]:
    lang = screen.lang
    age = case.age_on(oslo_day(screen.app.now()))
    rows = [
        ("person_name", case.person_name),
        ("birth_date", format_date(case.birth_date) +
         (f" ({screen.t('u18.age', count=age)})" if age is not None else "")),
        ("identity_number", case.identity_number), ("address", case.address),
        ("guardian_name", case.guardian_name), ("guardian_phone", case.guardian_phone),
    ]
    lines: list[ft.Control] = []
    for name, value in rows:
        if name == "identity_number" and value:
            lines += _identity(screen, value)
        elif value:
            lines.append(ft.Text(f"{field_label(name, lang)}: {value}", size=16,
                                 selectable=False))
    return [confidential_mark(screen.t("confidential")), *lines]


def _identity(screen: Screen, number: str) -> list[ft.Control]:
    """The identity number masked (someone may look over the officer's shoulder), shown in
    full only while the officer asks for it."""
    label = field_label("identity_number", screen.lang)
    masked = f"{label}: {presenter.masked_identity(number)}"
    text = ft.Text(masked, size=16, selectable=False)

    def toggle(e: object) -> None:
        reveal = text.value == masked
        text.value = f"{label}: {number}" if reveal else masked
        inner.content = screen.t("u18.identity_hide" if reveal else "u18.identity_show")
        inner.icon = ft.Icons.VISIBILITY_OFF if reveal else ft.Icons.VISIBILITY
        screen.page.update()

    button = small_button(screen.t("u18.identity_show"), toggle, ident="case-identity-show",
                          icon=ft.Icons.VISIBILITY)
    inner = cast(ft.OutlinedButton, cast(ft.Semantics, button).content)
    return [tagged("case-identity", text), button]


def _action_rows(screen: Screen, case: FollowUpCase) -> list[ft.Control]:
    rows: list[ft.Control] = []
    today = oslo_day(screen.app.now())
    for i, action in enumerate(case.actions):
        late = action.done_at is None and action.due_date is not None and action.due_date <= today
        due = screen.t("u18.due", date=format_date(action.due_date)) if action.due_date else ""
        service = code_label(action.service, screen.lang) if action.service else ""
        label = " · ".join(x for x in (action.description, due, service) if x)
        box = ft.Checkbox(
            value=action.done_at is not None, semantics_label=label, height=TARGET,
            on_change=lambda e, aid=action.id: _toggle_done(screen, case, aid, e.control.value))
        # The text beside the box wraps: a long action takes more lines at a readable size
        # (a checkbox's own label neither wraps nor fits the screen).
        text = ft.Text(label, size=16, expand=True, color=ft.Colors.ERROR if late else None,
                       weight=ft.FontWeight.W_600 if late else None)
        rows.append(tagged(f"action-{i}", ft.Row([box, text], spacing=4,
                                                  vertical_alignment=ft.CrossAxisAlignment.START)))
    return rows


def _toggle_done(screen: Screen, case: FollowUpCase, action_id: str, done: bool) -> None:
    for action in case.actions:
        if action.id == action_id:
            action.done_at = screen.app.now() if done else None
    try:
        screen.logbook.update(case)
    except ValidationError:  # the case has no municipality yet: pick it on the case first
        screen.toast(screen.t("homeless.pick_first"))
        screen.go(f"/u18/{case.id}/edit")
        return
    screen.toast(screen.t("u18.action_done" if done else "u18.action_open"))
    screen.refresh()


def _new_action_form(screen: Screen, case: FollowUpCase) -> list[ft.Control]:
    t = screen.t
    form = Form(FollowUpAction, screen.lang, ident="action")
    form.aliases = {"actions": "description"}
    controls = [
        form.text("description", "", label=t("u18.action_text")),
        form.text("due_date", "", label=t("u18.action_due"), hint=t("form.date_hint")),
        form.choices("service", [(c, code_label(c, screen.lang)) for c in SERVICES],
                     multiple=False, label=t("u18.action_service")),
    ]

    def add(e: object) -> None:
        try:
            due = parse_date(form.value("due_date"), "due_date")
            case.actions.append(FollowUpAction(description=form.value("description"),
                                               due_date=due, service=form.one("service")))
            screen.logbook.update(case)
        except ParseProblem as problem:
            form.clear_errors()
            form.set_error(problem.field, t(problem.key))
            screen.page.update()
            return
        except ValidationError as exc:
            case.actions.pop()
            form.show(exc)
            screen.page.update()
            return
        screen.confirm_saved(t("u18.action_added"))
        screen.refresh()

    tile = ft.ExpansionTile(
        title=ft.Text(t("u18.add_action"), size=16), leading=ft.Icon(ft.Icons.ADD_TASK),
        expanded_cross_axis_alignment=ft.CrossAxisAlignment.STRETCH,
        controls=[*controls, form.general_error,
                  small_button(t("u18.add_action"), add, ident="action-add",
                               icon=ft.Icons.ADD_TASK)],
        controls_padding=ft.Padding.only(bottom=8), maintain_state=True)
    return [tagged("action-new", tile)]


def _consent_rows(screen: Screen, case: FollowUpCase) -> list[ft.Control]:
    """One card per consent, its status from the one rule (consent_status) with the case's
    consents, so that a withdrawal by a giver shows on that giver's earlier consents too."""
    t, lang = screen.t, screen.lang
    consents = screen.logbook.list(Consent, where=lambda c: c.case_id == case.id)
    now = screen.app.now()
    rows: list[ft.Control] = []
    for i, c in enumerate(consents):
        status = consent_status(c, now, case_consents=consents)
        recipients = presenter.recipients_text(c, lang)
        expiry = format_date(c.expires_at) if c.expires_at else t("consent.no_expiry")
        parts = [
            ft.Text(f"{c.given_by} ({code_label(c.given_by_role, lang)}, "
                    f"{code_label(c.method, lang)})", size=16, weight=ft.FontWeight.W_600),
            tagged(f"consent-given-{i}",
                   ft.Text(t("consent.given_line", date=format_date(c.given_at)))),
            ft.Text(f"{field_label('recipients', lang)}: {recipients}"),
            ft.Text(f"{field_label('purpose', lang)}: {c.purpose}"),
            ft.Text(f"{field_label('expires_at', lang)}: {expiry}"),
            tagged(f"consent-status-{i}", ft.Text(t("consent.status." + status),
                                                  weight=ft.FontWeight.W_600)),
        ]
        if c.withdrawn_at is not None and status != ConsentStatus.WITHDRAWN:
            parts.append(ft.Text(t("consent.withdrawn_from", date=format_date(c.withdrawn_at))))
        if presenter.can_withdraw(c, status):
            parts.append(small_button(t("consent.withdraw"),
                                      lambda e, cid=c.id: _withdraw(screen, cid),
                                      ident=f"consent-withdraw-{i}", icon=ft.Icons.BLOCK))
        rows.append(card(*parts, ident=f"consent-{i}"))
    if not rows:
        rows.append(ft.Text(t("consent.none")))
    return rows


def _withdraw(screen: Screen, consent_id: str) -> None:
    """Withdraw (``presenter.withdrawal_moment``); a case without a municipality first."""
    consent = screen.record(Consent, consent_id)
    consent.withdrawn_at = presenter.withdrawal_moment(consent, screen.app.now())
    try:
        screen.logbook.update(consent)
    except ValidationError:  # its case has no municipality yet
        screen.toast(screen.t("homeless.pick_first"))
        screen.go(f"/u18/{consent.case_id}/edit")
        return
    screen.confirm_saved(screen.t("consent.withdrawn"))
    screen.refresh()


def case_view(screen: Screen) -> Body:
    t, lang = screen.t, screen.lang
    case = screen.record(FollowUpCase, screen.params["id"])
    services = ", ".join(code_label(s, lang) for s in sorted(case.services)) or "–"
    categories = ", ".join(code_label(c, lang) for c in sorted(case.concern_categories))
    controls: list[ft.Control] = [
        card(*_facts(screen, case)),
        heading(field_label("concern", lang)),
        card(confidential_mark(t("confidential")), ft.Text(case.concern, size=16),
             ft.Text(categories, size=14)),
        heading(field_label("services", lang)),
        tagged("case-services", ft.Text(services, size=16)),
        heading(field_label("actions", lang)),
        *_action_rows(screen, case),
        *_new_action_form(screen, case),
        heading(t("consent.title")),
        *_consent_rows(screen, case),
        small_button(t("consent.add"), lambda e: screen.go(f"/u18/{case.id}/consent"),
                     ident="consent-add", icon=ft.Icons.VERIFIED_USER),
    ]
    edit = small_button(t("u18.edit"), lambda e: screen.go(f"/u18/{case.id}/edit"),
                        ident="case-edit", icon=ft.Icons.EDIT)
    return Body(t("u18.case_title"), [edit, *controls], back="/u18")
