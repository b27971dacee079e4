"""Form fields bound to record fields: labels from the domain, errors next to the field.

A failed save keeps every typed value: the fields are only read, never rebuilt, and the
validation error of each field is shown under it (``fieldapp.domain.messages``).
"""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import flet as ft

from fieldapp.domain import Sensitivity, ValidationError, sensitivity_of
from fieldapp.domain.messages import error_message, field_label

from .. import strings
from .formats import ParseProblem
from .widgets import ChoiceChips, active, confidential_mark, small_button

if TYPE_CHECKING:
    from ..shell import Screen


class Form:
    """Text fields and chip groups for one record type."""

    def __init__(self, record_type: type, lang: str, *, ident: str):
        self.record_type = record_type
        self.lang = lang
        self.ident = ident
        self.sensitivity = sensitivity_of(record_type) if dataclasses.is_dataclass(
            record_type) else {}
        self.fields: dict[str, ft.TextField] = {}
        self.chips: dict[str, ChoiceChips] = {}
        self.chip_errors: dict[str, ft.Text] = {}  # the message line under each chip group
        self.general_error = ft.Text("", color=ft.Colors.ERROR, visible=False)
        self.aliases: dict[str, str] = {}  # record field -> form field showing it
        # The latest value of each field from its change events: they arrive in order with
        # the taps, so a Save always reads what was typed before it (see lock/screen.py too).
        self.typed: dict[str, str] = {}

    def is_personal(self, name: str) -> bool:
        return self.sensitivity.get(name) == Sensitivity.PERSONAL

    def text(self, name: str, value: object = "", *, multiline: bool = False,
             label: str | None = None, hint: str | None = None,
             keyboard: ft.KeyboardType = ft.KeyboardType.TEXT,
             on_change: Callable[[ft.Event[ft.TextField]], object] | None = None) -> ft.Control:
        personal = self.is_personal(name)
        label = label or field_label(name, self.lang)
        field = ft.TextField(
            label=label, value="" if value is None else str(value), hint_text=hint,
            multiline=multiline, min_lines=3 if multiline else 1,
            max_lines=8 if multiline else 1, keyboard_type=keyboard,
            prefix_icon=ft.Icons.LOCK_OUTLINE if personal else None,
            helper=strings.text("confidential", self.lang) if personal else None,
            on_change=active(self._track(name, on_change)), text_size=17,
        )
        self.fields[name] = field
        return ft.Semantics(identifier=f"{self.ident}-{name}", content=field)

    def choices(self, name: str, options: list[tuple[str, str]],
                selected: str | Iterable[str] | None = (), *,
                multiple: bool = True, label: str | None = None) -> ft.Control:
        selected = [selected] if isinstance(selected, str) and selected else selected or ()
        group = ChoiceChips(options, selected, multiple=multiple, ident=f"{self.ident}-{name}")
        self.chips[name] = group
        error = ft.Text("", color=ft.Colors.ERROR, visible=False, size=13)
        self.chip_errors[name] = error
        title = ft.Text(label or field_label(name, self.lang), size=14)
        return ft.Column([title, group.control, error],
                         spacing=6)

    def _track(self, name: str, then: Callable[[ft.Event[ft.TextField]], object] | None
               ) -> Callable[[ft.Event[ft.TextField]], object]:
        def changed(e: ft.Event[ft.TextField]) -> object:
            self.typed[name] = e.data if isinstance(e.data, str) else (e.control.value or "")
            return then(e) if then is not None else None
        return changed

    def set(self, name: str, value: str) -> None:
        """Put a value into a field from the app (not typed by the officer)."""
        self.fields[name].value = value
        self.typed[name] = value

    def raw(self, name: str) -> str:
        return self.typed.get(name, self.fields[name].value or "")

    def value(self, name: str) -> str:
        return self.raw(name).strip()

    def chosen(self, name: str) -> builtins.set[str]:  # set: the method below
        return set(self.chips[name].value)

    def one(self, name: str) -> str:
        return self.chips[name].single

    def clear_errors(self) -> None:
        for field in self.fields.values():
            field.error = None
        for name in self.chips:
            self.chip_errors[name].visible = False
        self.general_error.visible = False

    def set_error(self, name: str, message: str) -> None:
        name = self.aliases.get(name, name)
        if name in self.fields:
            self.fields[name].error = message
        elif name in self.chips:
            error = self.chip_errors[name]
            error.value, error.visible = message, True
        else:
            self.general_error.value = message
            self.general_error.visible = True

    def show(self, exc: ValidationError) -> None:
        """Put every validation error next to its field (or under the form)."""
        self.clear_errors()
        for err in exc.errors:
            self.set_error(err.field, error_message(err.key, err.field, err.params, self.lang))


class Typed:
    """What was typed last into a plain text field (from its change events)."""

    def __init__(self, field: ft.TextField):
        self.field = field
        self.latest: str | None = None

    def changed(self, e: ft.Event[ft.TextField]) -> None:
        self.latest = e.data if isinstance(e.data, str) else (e.control.value or "")

    def raw(self) -> str:
        return self.latest if self.latest is not None else (self.field.value or "")

    def __call__(self) -> str:
        return self.raw().strip()

    def clear(self) -> None:
        self.latest = None
        self.field.value = ""


def typed_field(**options: Any) -> tuple[ft.TextField, Typed]:
    """A plain text field and its ``Typed`` reader."""
    field = ft.TextField(**options)
    typed = Typed(field)
    field.on_change = active(typed.changed)
    return field, typed


def submit(form: Form, screen: Screen, apply: Callable[[], Any]) -> bool:
    """Run a save; on a typing or validation problem show it next to the field and keep
    everything that was typed. True when saved."""
    try:
        apply()
    except ParseProblem as problem:
        form.clear_errors()
        form.set_error(problem.field, screen.t(problem.key))
    except ValidationError as exc:
        form.show(exc)
    else:
        return True
    screen.page.update()
    return False


def save_action(form: Form, screen: Screen, apply: Callable[[], Any], *, saved: str,
                then: Callable[[], str]) -> Callable[[Any], None]:
    """The on_click of a Save button: save, confirm (snackbar + haptic), go on."""
    def save(e: object) -> None:
        if submit(form, screen, apply):
            screen.confirm_saved(screen.t(saved))
            target = then()
            if target == screen.route:
                screen.refresh()
            else:
                screen.go(target)
    return save


def delete_action(screen: Screen, record_id: str, then: str) -> Callable[[Any], None]:
    """Delete asks first, in a dialog (``confirm-delete`` / ``confirm-cancel``): a slip of the
    thumb must not remove a record, and the deletion also reaches the municipality."""
    def close() -> None:
        question.open = False
        question.update()

    def delete(e: object) -> None:
        close()
        screen.logbook.delete(record_id)
        screen.toast(screen.t("form.deleted"))
        screen.go(then)

    t = screen.t
    question = ft.AlertDialog(
        modal=True, title=ft.Text(t("form.delete_title")),
        content=ft.Text(t("form.delete_body")),
        actions=[small_button(t("form.delete_cancel"), lambda e: close(),
                              ident="confirm-cancel"),
                 small_button(t("form.delete_confirm"), delete, ident="confirm-delete",
                              icon=ft.Icons.DELETE_OUTLINE)])

    shown: list[bool] = []

    def ask(e: object) -> None:
        if shown:  # asked before on this screen and cancelled: open the same dialog again
            question.open = True
            question.update()
        else:
            shown.append(True)
            screen.page.show_dialog(question)
    return ask


def confidential_header(lang: str) -> ft.Control:
    return confidential_mark(strings.text("confidential", lang))
