"""Deleting a record from its form: asked first, and placed apart from Save.

Delete sits at the end of a form's body, after a rule and some space (``delete_section``),
never in the pinned row beside Save; it opens a dialog (``confirm-delete`` /
``confirm-cancel``) because a slip of the thumb must not remove a record, and the deletion
also reaches the municipality at the next sync.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import flet as ft

from .widgets import small_button

if TYPE_CHECKING:
    from ..shell import Screen

DELETE_GAP = 40  # between a form's last field and its delete section


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


def delete_section(screen: Screen, record_id: str, then: str, *, ident: str,
                   label: str = "") -> ft.Control:
    """Delete at the end of a form's body, set apart by a rule and space: never in the pinned
    row beside Save, and it asks first (``delete_action``). ``label``: the button's words
    ("Slett" when none)."""
    button = small_button(label or screen.t("form.delete"),
                          delete_action(screen, record_id, then),
                          ident=ident, icon=ft.Icons.DELETE_OUTLINE)
    return ft.Container(
        content=ft.Column([ft.Divider(), ft.Text(screen.t("form.delete_section"), size=14),
                           ft.Row([button])], spacing=8),
        margin=ft.Margin.only(top=DELETE_GAP))
