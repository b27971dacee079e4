"""A half-filled form survives the lock: what the officer changed on the screen is read from
its marked controls when the app locks, kept sealed in the logbook (``lb.preferences.draft``)
and put back after the unlock.

    shown = values(view)              # right after a screen is built: what it offered
    changed = changes(view, shown)    # at lock: only what the officer changed since
    restore(view, changed)            # after unlock, on the same route built anew

A value is keyed by the identifier of its ``tagged`` mark: text fields by their text, chips by
whether they are chosen. Hidden text (PIN and passphrase fields) is never read.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any

import flet as ft
from flet.controls.base_control import BaseControl

Value = str | bool


_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    """The fields of a control class that may hold controls (callbacks and data left out)."""
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls)
                             if not f.name.startswith(("_", "on_"))
                             and f.name not in ("data", "key"))
    return _FIELDS[cls]


def _children(control: BaseControl) -> list[BaseControl]:
    out: list[BaseControl] = []
    for name in _child_fields(type(control)):
        value = getattr(control, name, None)
        if isinstance(value, BaseControl):
            out.append(value)
        elif isinstance(value, list):
            out.extend(v for v in value if isinstance(v, BaseControl))
    return out


def _marked(root: BaseControl) -> dict[str, ft.TextField | ft.Chip]:
    """Each marked text field or chip under ``root``: the nearest mark above it names it."""
    found: dict[str, ft.TextField | ft.Chip] = {}
    stack: list[tuple[BaseControl, str]] = [(root, "")]
    while stack:
        control, mark = stack.pop()
        if isinstance(control, ft.Semantics) and control.identifier:
            mark = control.identifier
        if isinstance(control, ft.TextField | ft.Chip) and mark and mark not in found:
            if not (isinstance(control, ft.TextField) and control.password):
                found[mark] = control
            continue
        stack.extend((child, mark) for child in reversed(_children(control)))
    return found


def _value(control: ft.TextField | ft.Chip) -> Value:
    if isinstance(control, ft.Chip):
        return bool(control.selected)
    return control.value or ""


def values(view: BaseControl) -> dict[str, Value]:
    return {mark: _value(control) for mark, control in _marked(view).items()}


def changes(view: BaseControl, shown: dict[str, Value]) -> dict[str, Value]:
    """What differs from what the screen offered when it was built."""
    return {mark: value for mark, value in values(view).items() if shown.get(mark) != value}


def restore(view: BaseControl, changed: dict[str, Value]) -> int:
    """Put changed values back; a chip is tapped as the officer would (its group keeps its
    rules). Returns how many were put back."""
    marked = _marked(view)
    restored = 0
    for mark, value in changed.items():
        control = marked.get(mark)
        if isinstance(control, ft.TextField) and isinstance(value, str):
            control.value = value
            if control.on_change is not None:  # the screen reacts as to typing
                changed_handler: Any = control.on_change
                changed_handler(SimpleNamespace(control=control, data=value))
            restored += 1
        elif (isinstance(control, ft.Chip) and isinstance(value, bool)
              and bool(control.selected) != value and control.on_select is not None):
            tap: Any = control.on_select  # the chip's own handler, as a tap calls it
            tap(SimpleNamespace(control=control, data=value))
            restored += 1
    return restored


def is_draft(data: Any) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("route"), str)
            and isinstance(data.get("values"), dict))
