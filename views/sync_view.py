"""The Synk screen: what is waiting to go to the municipality.

Owned by the sync work from here on; the field UI only routes "/synk" here.
``app`` is the views' AppState: ``app.logbook`` (None when locked) and ``app.t(key)``.
"""

from __future__ import annotations

from typing import Any

import flet as ft

WAITING_STATES = ("pending", "failed")


def pending_count(app: Any) -> int:
    """Records that still have to be sent (pending or failed)."""
    if app.logbook is None:
        return 0
    return len(app.logbook.list(where=lambda r: r.sync_state in WAITING_STATES))


def build_sync_view(app: Any) -> ft.Control:
    count = pending_count(app)
    return ft.Column(
        spacing=16,
        controls=[
            ft.Text(app.t("sync.title"), theme_style=ft.TextThemeStyle.HEADLINE_SMALL),
            ft.Semantics(
                identifier="sync-pending",
                content=ft.Text(app.t("sync.pending").format(count=count),
                                theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
            ),
            ft.Row(
                controls=[
                    ft.Icon(ft.Icons.CLOUD_OFF, semantics_label=app.t("sync.not_enrolled")),
                    ft.Text(app.t("sync.not_enrolled"), expand=True),
                ],
            ),
        ],
    )
