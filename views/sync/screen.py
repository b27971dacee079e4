"""The Synk screen: what waits (deletions too), what will leave and what stays (per record,
with the reason), "Synk nå" with progress and cancel, records the municipality rejected,
enrolment with server URL and one-time code, and errors in plain bokmål.

``sync_screen`` is the route's builder; ``SyncPanel`` keeps the run's state and re-renders its
column after a run or an enrolment. The sentences come from ``presenter``; all rules live in
``sync`` and the consent gate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import flet as ft

from sync import enrol, sync_now, sync_status
from sync.errors import SyncError
from sync.status import SyncStatus
from sync.texts import error_text

from ..kit.widgets import big_button, card, heading, small_button, status_line, tagged
from ..shell import Body, Screen
from . import presenter
from .presenter import MAX_PREVIEW, Line

log = logging.getLogger(__name__)

TONES: dict[str, dict[str, Any]] = {
    "title": {"size": 16, "weight": ft.FontWeight.W_600}, "plain": {},
    "small": {"size": 14}, "error": {"color": ft.Colors.ERROR},
    "personal": {"color": ft.Colors.TERTIARY},
}


def sync_screen(screen: Screen) -> Body:
    return Body(screen.t("sync.title"), [SyncPanel(screen).control])


def _texts(lines: list[Line]) -> list[ft.Control]:
    return [ft.Text(line.text, **TONES[line.tone]) for line in lines]


class SyncPanel:
    """The screen's controls; re-renders itself after a run or an enrolment."""

    def __init__(self, screen: Screen):
        self.app = screen.app
        self.t = screen.t
        self.lang = screen.lang
        self.running = False
        self.cancelled = False
        self.bar = ft.ProgressBar(value=0)
        self.progress = tagged("sync-progress", self.bar)
        self.progress.visible = False
        self.message = ft.Text("", size=16)         # after a run, under "Synk nå"
        self.enrol_message = ft.Text("", size=16)   # after an enrolment, under its button
        self.url = ft.TextField(label=self.t("sync.url"), keyboard_type=ft.KeyboardType.URL,
                                expand=True)
        self.code = ft.TextField(label=self.t("sync.code"), expand=True,
                                 capitalization=ft.TextCapitalization.CHARACTERS)
        self.control = ft.Column(spacing=16)
        self.render()

    def render(self) -> None:
        lb = self.app.logbook
        if lb is None:
            self.control.controls = []
            return
        status = sync_status(lb)
        self.control.controls = [
            *self._summary(status), *self._enrolments(status), *self._actions(),
            *self._preview(status), *self._quarantine(status), *self._enrol_form(status)]

    def refresh(self) -> None:
        self.render()
        with contextlib.suppress(RuntimeError):  # not on a page (any more): nothing to paint
            self.control.update()

    # -- sections --------------------------------------------------------------------------

    def _summary(self, status: SyncStatus) -> list[ft.Control]:
        count = status.waiting - status.deletions
        pending = tagged("sync-pending", ft.Text(
            self.t("sync.pending", count=count), theme_style=ft.TextThemeStyle.TITLE_MEDIUM))
        deletions = [status_line(ft.Icons.DELETE_SWEEP, self.t(
            "sync.deletions", count=status.deletions), ident="sync-deletions")] \
            if status.deletions else []
        last = presenter.last_run_text(self.t, status.last_run)
        return [pending, *deletions, status_line(ft.Icons.HISTORY, last, ident="sync-last")]

    def _enrolments(self, status: SyncStatus) -> list[ft.Control]:
        if not status.enrolments:
            return [status_line(ft.Icons.CLOUD_OFF, self.t("sync.not_enrolled"),
                                ident="sync-not-enrolled", warn=True)]
        lines = []
        for i, e in enumerate(status.enrolments):
            texts = [ft.Text(self.t("sync.enrolled", server=e.server_name), size=16,
                             weight=ft.FontWeight.W_600)]
            if e.last_error:
                texts.append(ft.Text(self.t("sync.last_error", error=error_text(
                    e.last_error, self.lang)), color=ft.Colors.ERROR))
            lines.append(card(*texts, ident=f"sync-enrolment-{i}"))
        return lines

    def _actions(self) -> list[ft.Control]:
        controls = [big_button(self.t("sync.running") if self.running else self.t("sync.now"),
                               self._sync_now, ident="sync-now", icon=ft.Icons.SYNC,
                               primary=True, disabled=self.running),
                    self.progress, tagged("sync-message", ft.Semantics(
                        live_region=True, content=self.message))]
        if self.running:
            controls.insert(1, small_button(self.t("sync.cancel"), self._cancel,
                                            ident="sync-cancel", icon=ft.Icons.STOP))
        return controls

    def _preview(self, status: SyncStatus) -> list[ft.Control]:
        controls: list[ft.Control] = [heading(self.t("sync.preview"))]
        if not status.items:
            controls.append(ft.Text(self.t("sync.nothing")))
        for i, item in enumerate(status.items[:MAX_PREVIEW]):
            controls.append(card(*_texts(presenter.item_lines(self.t, self.lang, item)),
                                 ident=f"sync-item-{i}"))
        if len(status.items) > MAX_PREVIEW:
            controls.append(ft.Text(self.t("sync.more", count=len(status.items) - MAX_PREVIEW)))
        return controls

    def _quarantine(self, status: SyncStatus) -> list[ft.Control]:
        if not status.quarantined:
            return []
        controls: list[ft.Control] = [heading(self.t("sync.quarantine")),
                                      ft.Text(self.t("sync.quarantine_hint"))]
        for i, q in enumerate(status.quarantined):
            controls.append(card(*_texts(presenter.quarantine_lines(self.t, self.lang, q)),
                                 ident=f"sync-quarantine-{i}"))
        return controls

    def _enrol_form(self, status: SyncStatus) -> list[ft.Control]:
        title = self.t("sync.enrol_more") if status.enrolments else self.t("sync.enrol_title")
        return [heading(title), tagged("sync-url", ft.Row([self.url])),
                tagged("sync-code", ft.Row([self.code])),
                big_button(self.t("sync.enrol"), self._enrol, ident="sync-enrol",
                           icon=ft.Icons.APP_REGISTRATION),
                tagged("sync-enrol-message", ft.Semantics(live_region=True,
                                                          content=self.enrol_message))]

    # -- actions -----------------------------------------------------------------------------

    def _cancel(self, e: object = None) -> None:
        self.cancelled = True

    async def _sync_now(self, e: object = None) -> None:
        lb = self.app.logbook
        if lb is None or self.running:
            return
        self.running, self.cancelled = True, False
        self.progress.visible, self.bar.value = True, None
        self.message.value = ""
        self.message.color = None
        self.refresh()
        seen = {"done": 0, "total": 0}
        task = asyncio.create_task(asyncio.to_thread(
            sync_now, lb, progress=lambda done, total: seen.update(done=done, total=total),
            cancel=lambda: self.cancelled))
        while not task.done():
            if seen["total"]:
                self.bar.value = seen["done"] / seen["total"]
                self.bar.update()
            await asyncio.sleep(0.2)
        self.message.value, failed = self._outcome(task)
        self.message.color = ft.Colors.ERROR if failed else None
        self.running = False
        self.progress.visible = False
        self.refresh()

    def _outcome(self, task: asyncio.Task[Any]) -> tuple[str, bool]:
        """The sentence after the run, and whether it reports a failure."""
        try:
            report = task.result()
        except Exception as exc:  # noqa: BLE001 - the officer gets a sentence, not a trace
            log.warning("sync.view status=failed error=%s", type(exc).__name__)
            code = "locked" if self.app.logbook is None else "sync_error"
            return error_text(code, self.lang), True
        return (presenter.outcome_text(self.t, self.lang, report),
                presenter.outcome_failed(report))

    def _say_enrolment(self, text: str, *, failed: bool) -> None:
        self.enrol_message.value = text
        self.enrol_message.color = ft.Colors.ERROR if failed else None

    async def _enrol(self, e: object = None) -> None:
        lb = self.app.logbook
        url, code = (self.url.value or "").strip(), (self.code.value or "").strip()
        if lb is None:
            return
        if not url or not code:
            self._say_enrolment(self.t("sync.enrol_missing"), failed=True)
            self.refresh()
            return
        try:
            enrolment = await asyncio.to_thread(enrol, lb, url, code)
        except SyncError as exc:
            self._say_enrolment(error_text(exc.code, self.lang), failed=True)
        except Exception as exc:  # noqa: BLE001 - e.g. locked meanwhile: a sentence, no trace
            log.warning("sync.view enrol=failed error=%s", type(exc).__name__)
            self._say_enrolment(error_text("sync_error", self.lang), failed=True)
        else:
            self._say_enrolment(self.t("sync.enrol_ok", server=enrolment.server_name),
                                failed=False)
            self.code.value = ""
        self.refresh()
