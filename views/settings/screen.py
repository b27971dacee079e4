"""Settings: the municipalities served (presets for both signed agreements, each one's schools)
and the cooperation agreement of each (summary, where it came from, the way to its editor) on
top, where Home's first-run guide leads; then language, theme, auto-lock time, change PIN."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from fieldapp.domain.days import oslo_day
from fieldapp.repositories import ServedMunicipality

from ..agreement import presenter as agreements
from ..kit.forms import typed_field
from ..kit.widgets import (
    big_button,
    card,
    heading,
    single_choice,
    small_button,
    tagged,
)
from ..shell import Body, Screen
from ..state import IDLE_CHOICES, THEMES
from . import presenter


def _pin_section(screen: Screen) -> list[ft.Control]:
    t = screen.t
    pairs = [typed_field(label=t(key), password=True, text_size=18)
             for key in ("settings.pin_old", "settings.pin_new", "settings.pin_repeat")]
    fields = [field for field, _ in pairs]
    message = ft.Text("")
    message_box = tagged("pin-change-message", message)
    message_box.visible = False

    async def change(e: object) -> None:
        old, new, again = (typed.raw() for _, typed in pairs)  # a PIN is never trimmed
        error = await screen.in_background(lambda: screen.app.change_pin(old, new, again))
        for _, typed in pairs:
            typed.clear()
        message.value = error or t("settings.pin_changed")
        message.color = ft.Colors.ERROR if error else ft.Colors.PRIMARY
        message_box.visible = True
        screen.page.update()

    return [*(tagged(f"pin-change-{i}", f) for i, f in enumerate(fields)),
            message_box,
            small_button(t("settings.pin_change"), change, ident="pin-change",
                         icon=ft.Icons.PASSWORD)]


def _municipality_section(screen: Screen) -> list[ft.Control]:
    t = screen.t
    served = screen.logbook.served.all()

    def store(items: list[ServedMunicipality]) -> None:
        screen.logbook.served.replace(items)
        screen.confirm_saved(t("settings.saved"))
        screen.refresh()

    rows: list[ft.Control] = [_served_card(screen, i, m, served, store)
                              for i, m in enumerate(served)]
    if not rows:
        rows.append(ft.Text(t("settings.no_municipalities")))
    for found in presenter.presets_to_offer(served):
        ident = presenter.PRESET_IDENTS[found.code]
        rows.append(small_button(t(f"settings.preset_{ident}"),
                                 lambda e, p=found: store([*served, p]),
                                 ident=f"preset-{ident}", icon=ft.Icons.ADD_HOME_WORK))
    return [*rows, *_new_municipality(screen, served, store)]


def _served_card(screen: Screen, i: int, served_one: ServedMunicipality,
                 served: list[ServedMunicipality],
                 store: Callable[[list[ServedMunicipality]], None]) -> ft.Control:
    """One municipality served: its name, its schools (editable, comma-separated), remove."""
    t = screen.t
    schools, schools_typed = typed_field(label=t("settings.edit_schools"), text_size=17,
                                         value=", ".join(served_one.schools),
                                         hint_text=t("settings.schools_hint"))
    return card(
        ft.Text(served_one.name, size=17, weight=ft.FontWeight.W_600),
        tagged(f"municipality-{i}-schools-shown", ft.Text(
            ", ".join(served_one.schools) or t("settings.no_schools"))),
        tagged(f"municipality-{i}-schools", schools),
        ft.Row([
            small_button(t("settings.save_schools"),
                         lambda e: store(presenter.with_schools(served, served_one.code,
                                                                schools_typed())),
                         ident=f"municipality-{i}-schools-save", icon=ft.Icons.SAVE),
            small_button(t("settings.remove"),
                         lambda e: store(presenter.without(served, served_one.code)),
                         ident=f"municipality-remove-{i}", icon=ft.Icons.DELETE_OUTLINE),
        ], wrap=True, spacing=8, run_spacing=8),
        ident=f"municipality-{i}")


def _new_municipality(screen: Screen, served: list[ServedMunicipality],
                      store: Callable[[list[ServedMunicipality]], None]) -> list[ft.Control]:
    t = screen.t
    name, name_typed = typed_field(label=t("settings.municipality_name"), text_size=17)
    number, number_typed = typed_field(label=t("settings.municipality_number"), text_size=17,
                                       keyboard_type=ft.KeyboardType.NUMBER)
    schools, schools_typed = typed_field(label=t("settings.schools"), text_size=17,
                                         hint_text=t("settings.schools_hint"))

    def add(e: object) -> None:
        typed = name_typed()
        if not typed:
            name.error = t("settings.name_required")
            name.update()
            return
        store(presenter.with_municipality(served, typed, number_typed(), schools_typed()))

    return [tagged("municipality-name", name), tagged("municipality-number", number),
            tagged("municipality-schools", schools),
            small_button(t("settings.add_municipality"), add, ident="municipality-add",
                         icon=ft.Icons.ADD)]


def _agreement_section(screen: Screen) -> list[ft.Control]:
    """Each served municipality's agreement in short, its source and "Rediger avtale"."""
    t, lb = screen.t, screen.logbook
    stored = lb.agreements.all()
    sources = lb.agreements.sources()
    today = oslo_day(screen.app.now())
    cards: list[ft.Control] = []
    for i, m in enumerate(lb.municipalities()):
        code = str(m.get("code", ""))
        agreement = agreements.editable_agreement(m, stored, today)
        lines = agreements.summary_lines(agreement, screen.lang)
        route = "/settings/agreement/" + agreements.route_id(code)
        cards.append(card(
            ft.Text(m.get("name") or agreement.municipality_name, size=17,
                    weight=ft.FontWeight.W_600),
            tagged(f"agreement-source-{i}", ft.Text(
                agreements.source_line(code, stored, sources, screen.lang),
                size=14, italic=True)),
            *(ft.Text(line, size=15) for line in lines),
            small_button(t("agreement.edit_for", name=m.get("name") or code),
                         lambda e, r=route: screen.go(r), ident=f"agreement-edit-{i}",
                         icon=ft.Icons.EDIT_NOTE),
            ident=f"agreement-{i}"))
    return cards


def settings_screen(screen: Screen) -> Body:
    t, app = screen.t, screen.app
    controls: list[ft.Control] = [  # what Home's first-run guide leads to comes first
        heading(t("settings.municipalities")),
        *_municipality_section(screen),
        *([heading(t("agreement.heading")), *_agreement_section(screen)]
          if screen.logbook.municipalities() else []),
        heading(t("settings.language")),
        single_choice("lang", [("nb", "Norsk bokmål"), ("en", "English")], app.lang,
                      app.set_language),
        heading(t("settings.theme")),
        single_choice("theme", [(m, t("settings.theme_" + m)) for m in THEMES], app.theme,
                      app.set_theme),
        heading(t("settings.autolock")),
        single_choice("idle", [(str(m), t("settings.minutes", count=m)) for m in IDLE_CHOICES],
                      str(app.idle_minutes), lambda v: app.set_idle_minutes(int(v))),
        heading(t("settings.pin")),
        *_pin_section(screen),
    ]
    lock = big_button(t("settings.lock_now"), lambda e: app.lock("user"), ident="lock-now",
                      icon=ft.Icons.LOCK)
    return Body(t("settings.title"), controls, bottom=[lock])
