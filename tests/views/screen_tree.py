"""Find and tap controls of a screen built without a client (by their Semantics identifier)."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import flet as ft

from views.shell import notices

CHILDREN = ("content", "controls", "label", "title", "leading")


def walk(node: Any) -> Iterator[Any]:
    if isinstance(node, list | tuple):
        for item in node:
            yield from walk(item)
        return
    if not isinstance(node, ft.BaseControl):
        return
    yield node
    for name in CHILDREN:
        child = getattr(node, name, None)
        if isinstance(child, ft.BaseControl | list):
            yield from walk(child)


def everything(body: Any) -> list[Any]:
    return [*body.controls, *body.bottom]


def find(body: Any, ident: str) -> Any:
    """The control inside the Semantics with this identifier."""
    for node in walk(everything(body)):
        if isinstance(node, ft.Semantics) and node.identifier == ident:
            return node.content
    raise LookupError(ident)


def has(body: Any, ident: str) -> bool:
    try:
        find(body, ident)
    except LookupError:
        return False
    return True


def idents(body: Any, prefix: str) -> list[str]:
    return [n.identifier for n in walk(everything(body))
            if isinstance(n, ft.Semantics) and str(n.identifier or "").startswith(prefix)]


def texts(node: Any) -> list[str]:
    """Every text shown: Text values and buttons' plain-string content."""
    found = []
    for n in walk(node):
        if isinstance(n, ft.Text) and n.value:
            found.append(n.value)
        elif isinstance(getattr(n, "content", None), str):
            found.append(n.content)
    return found


def tap(body: Any, ident: str) -> None:
    """Tap a button, a chip or a clickable card."""
    control = find(body, ident)
    if isinstance(control, ft.Row) and control.controls:  # big_button wraps it in a row
        control = control.controls[0]
    event = SimpleNamespace(control=control, data=None, page=None)
    handler = getattr(control, "on_select", None) or control.on_click
    handler(event)


def chip_selected(body: Any, ident: str) -> bool:
    return bool(find(body, ident).selected)


def toasts(page: Any) -> list[str]:
    """The confirmations given on the page (``views.shell.Screen.toast``), oldest first."""
    return notices(page)
