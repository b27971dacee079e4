"""Form fields bound to record fields: labels from the domain, errors next to the field.

A failed save keeps every typed value: the fields are only read, never rebuilt, and the
validation error of each field is shown under it (``fieldapp.domain.messages``). A save shows
every problem at once: values read with ``Form.parsed`` that cannot be read (a date, a time, a
number) do not stop the reading, and ``Form.check`` puts them together with the record's own
validation errors before anything is written. An error goes as soon as its field is edited.
"""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import flet as ft

from fieldapp.domain import (
    FieldError,
    Record,
    Sensitivity,
    ValidationError,
    sensitivity_of,
    validate,
)
from fieldapp.domain.messages import error_message, field_label

from .. import strings
from .formats import ParseProblem
from .widgets import ChoiceChips, active, confidential_mark, tagged

if TYPE_CHECKING:
    from ..shell import Screen

P = ParamSpec("P")
T = TypeVar("T")
FIRST_FIELD_ROOM = 8  # above a form's first text field: its floating label is not clipped
ERROR_LINES = 4       # an error wraps onto this many lines before it is cut


class FormProblems(Exception):
    """A save found values it could not read (field -> string key) and, read without them,
    the record's validation errors: all shown at once."""

    def __init__(self, unreadable: dict[str, str], errors: list[FieldError]):
        super().__init__(", ".join(unreadable))
        self.unreadable = unreadable
        self.errors = errors


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
        self.unreadable: dict[str, str] = {}  # field -> string key, in the save running now

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
            error_max_lines=ERROR_LINES,
        )
        first = not self.fields
        self.fields[name] = field
        marked = ft.Semantics(identifier=f"{self.ident}-{name}", content=field)
        if first:  # the scrolling body would cut off the top of its floating label
            return ft.Container(content=marked, padding=ft.Padding.only(top=FIRST_FIELD_ROOM))
        return marked

    def choices(self, name: str, options: list[tuple[str, str]],
                selected: str | Iterable[str] | None = (), *,
                multiple: bool = True, label: str | None = None,
                unchosen: str | None = None) -> ft.Control:
        """A chip group; ``unchosen`` is a line shown under it while nothing is chosen (what
        saving without a choice means)."""
        selected = [selected] if isinstance(selected, str) and selected else selected or ()
        error = ft.Text("", color=ft.Colors.ERROR, visible=False, size=13)
        hint = tagged(f"{self.ident}-unchosen-{name}", ft.Text(unchosen or "", size=14))
        hint.visible = bool(unchosen) and not selected  # the mark hides, never its Text

        def chosen(values: builtins.set[str]) -> None:  # a choice answers the group's error
            if error.visible or hint.visible != (bool(unchosen) and not values):
                error.visible = False
                hint.visible = bool(unchosen) and not values
                error.update()
                hint.update()

        group = ChoiceChips(options, selected, multiple=multiple, ident=f"{self.ident}-{name}",
                            on_change=chosen)
        self.chips[name] = group
        self.chip_errors[name] = error
        title = ft.Text(label or field_label(name, self.lang), size=14)
        return ft.Column([title, group.control, hint, error], spacing=6)

    def _track(self, name: str, then: Callable[[ft.Event[ft.TextField]], object] | None
               ) -> Callable[[ft.Event[ft.TextField]], object]:
        def changed(e: ft.Event[ft.TextField]) -> object:
            self.typed[name] = e.data if isinstance(e.data, str) else (e.control.value or "")
            field = self.fields[name]
            if field.error:  # edited: the old complaint no longer describes what is there
                field.error = None
                field.update()
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

    def parsed(self, parse: Callable[P, T | None], *args: P.args,
               **kwargs: P.kwargs) -> T | None:
        """Read a typed value with a ``formats`` parser; one that cannot be read is noted for
        ``check`` (and reads as None) so that the rest of the form is still read."""
        try:
            return parse(*args, **kwargs)
        except ParseProblem as problem:
            self.unreadable[problem.field] = problem.key
            return None

    def check(self, record: Record) -> None:
        """Call before writing ``record``: when a value could not be read, raise
        ``FormProblems`` with it and the record's validation errors (fields that could not be
        read left out), so that nothing is written and everything is shown at once."""
        if not self.unreadable:
            return
        try:
            validate(record)
        except ValidationError as exc:
            errors = [e for e in exc.errors
                      if self.aliases.get(e.field, e.field) not in self.unreadable]
        else:
            errors = []
        raise FormProblems(dict(self.unreadable), errors)

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
    """Run a save; on typing or validation problems show each next to its field (all of them
    when ``apply`` reads with ``Form.parsed`` and calls ``Form.check``) and keep everything that
    was typed. True when saved."""
    form.unreadable.clear()
    try:
        apply()
    except ParseProblem as problem:
        form.clear_errors()
        form.set_error(problem.field, screen.t(problem.key))
    except ValidationError as exc:
        form.show(exc)
    except FormProblems as problems:
        form.show(ValidationError(problems.errors))
        for name, key in problems.unreadable.items():
            form.set_error(name, screen.t(key))
    else:
        return True
    finally:
        form.unreadable.clear()
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


def confidential_header(lang: str) -> ft.Control:
    return confidential_mark(strings.text("confidential", lang))
