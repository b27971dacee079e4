"""Reading the control tree the way the browser journeys read the page: what is shown (a hidden
control and everything under it is not), the ``ft.Semantics(identifier=...)`` marks the
browser sees as ``[flt-semantics-identifier=...]``, and the texts a person reads."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import flet as ft
from flet.controls.base_control import BaseControl


@dataclass(frozen=True)
class Node:
    control: Any
    disabled: bool  # the control or one of its ancestors is disabled


def _control_classes(cls: type = BaseControl) -> set[str]:
    return {cls.__name__}.union(*(_control_classes(sub) for sub in cls.__subclasses__()))


@cache
def _child_fields(cls: type) -> tuple[str, ...]:
    """The fields of a control class typed to hold controls (content, controls, appbar,
    actions, suffix_icon, label, title, …); private and callback fields left out."""
    alternatives = "|".join(sorted(_control_classes()))
    names = re.compile(rf"\b({alternatives})\b")
    return tuple(f.name for f in dataclasses.fields(cls)
                 if not f.name.startswith(("_", "on_")) and names.search(str(f.type)))


def walk(root: Any, *, shown: bool = True, disabled: bool = False) -> Iterator[Node]:
    """Every control under ``root`` (itself included); with ``shown``, only the visible ones."""
    if isinstance(root, list | tuple):
        for item in root:
            yield from walk(item, shown=shown, disabled=disabled)
        return
    if not isinstance(root, BaseControl):
        return
    if shown and getattr(root, "visible", True) is False:
        return
    disabled = disabled or bool(getattr(root, "disabled", False))
    yield Node(root, disabled)
    for name in _child_fields(type(root)):
        child = getattr(root, name, None)
        if isinstance(child, BaseControl | list):
            yield from walk(child, shown=shown, disabled=disabled)


def marked(root: Any, ident: str, *, shown: bool = True) -> Node | None:
    """The Semantics node carrying ``identifier=ident`` (the first one; with ``shown``, only
    when what it marks is shown too)."""
    for node in walk(root, shown=shown):
        c = node.control
        if isinstance(c, ft.Semantics) and c.identifier == ident and not (
                shown and getattr(c.content, "visible", True) is False):
            return node
    return None


def identifiers(root: Any, prefix: str = "") -> list[str]:
    return [str(n.control.identifier) for n in walk(root)
            if isinstance(n.control, ft.Semantics) and n.control.identifier
            and str(n.control.identifier).startswith(prefix)]


def texts(root: Any) -> list[str]:
    """What a person reads (or a screen reader says): Text values, buttons' plain labels,
    fields' labels and errors, the text alternative of a chart (a Semantics label)."""
    found: list[str] = []
    for node in walk(root):
        c = node.control
        if isinstance(c, ft.Semantics) and c.label:
            found.append(str(c.label))
        elif isinstance(c, ft.Text) and c.value:
            found.append(str(c.value))
        elif isinstance(c, ft.TextField):
            found += [str(v) for v in (c.label, c.error) if isinstance(v, str) and v]
        elif isinstance(c, ft.Checkbox | ft.Switch) and isinstance(c.label, str) and c.label:
            found.append(c.label)
        elif isinstance(getattr(c, "content", None), str):
            found.append(c.content)
    return found


def first(mark: Node, kind: type | tuple[type, ...]) -> Node | None:
    """The first shown control of a kind under a mark (a field inside its Semantics)."""
    return next((n for n in walk(mark.control, disabled=mark.disabled)
                 if isinstance(n.control, kind)), None)


def tappable(mark: Node) -> Node | None:
    """What a tap on a mark lands on: the first control under it that takes taps."""
    for node in walk(mark.control, disabled=mark.disabled):
        c = node.control
        if isinstance(c, ft.Chip) and c.on_select is not None:
            return node
        if getattr(c, "on_click", None) is not None or isinstance(c, ft.Checkbox | ft.Switch):
            return node
    return None
