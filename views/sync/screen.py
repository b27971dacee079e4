"""The Synk screen: what waits (deletions too), what will leave and what stays (per record,
with the reason), "Synk nå" with progress and cancel, records the municipality rejected,
enrolment with server URL and one-time code, and errors in plain bokmål.

``app`` is the views' AppState: ``app.logbook`` (None when locked), ``app.lang``, ``app.t``.
The screen renders ``sync.sync_status``; all rules live in ``sync`` and the consent gate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import Any

import flet as ft

from fieldapp.domain.messages import field_label
from sync import enrol, sync_now, sync_status
from sync.errors import SyncError
from sync.status import waiting_count
from sync.texts import error_text, reason_text

from ..kit.widgets import big_button, card, heading, small_button, status_line, tagged

log = logging.getLogger(__name__)

MAX_PREVIEW = 40
TEXTS = {
    "nb": {
        "last": "Sist synket {when}: {sent} sendt, {withheld} holdt tilbake, {failed} feilet",
        "never": "Ikke synket ennå", "now": "Synk nå", "cancel": "Avbryt",
        "running": "Synker …", "done": "Ferdig: {sent} sendt, {withheld} blir på telefonen.",
        "enrolled": "Registrert hos {server}", "last_error": "Siste forsøk: {error}",
        "enrol_title": "Registrer telefonen hos kommunen",
        "enrol_more": "Registrer hos en kommune til",
        "url": "Serveradresse (https://…)", "code": "Engangskode fra kommunens IT",
        "enrol": "Registrer telefonen", "enrol_ok": "Telefonen er registrert hos {server}.",
        "enrol_missing": "Fyll inn både serveradresse og engangskode.",
        "preview": "Dette skjer ved neste synk", "nothing": "Ingenting venter på synk.",
        "leaves": "Sendes til {server}", "stays": "Blir på telefonen",
        "personal": "Personopplysninger som sendes (grunnlag: {basis}): {fields}",
        "withheld": "Holdes tilbake: {field} – {reason}",
        "more": "… og {count} til", "quarantine": "Avvist av kommunen",
        "quarantine_hint": "Rett opp og lagre registreringen, så sendes den på nytt.",
        "basis_consent": "samtykke", "basis_legal": "lovhjemmel",
    },
    "en": {
        "last": "Last sync {when}: {sent} sent, {withheld} withheld, {failed} failed",
        "never": "Not synced yet", "now": "Sync now", "cancel": "Cancel",
        "running": "Syncing …", "done": "Done: {sent} sent, {withheld} stay on the phone.",
        "enrolled": "Enrolled with {server}", "last_error": "Last attempt: {error}",
        "enrol_title": "Enrol the phone with the municipality",
        "enrol_more": "Enrol with another municipality",
        "url": "Server address (https://…)", "code": "One-time code from municipal IT",
        "enrol": "Enrol the phone", "enrol_ok": "The phone is enrolled with {server}.",
        "enrol_missing": "Fill in both the server address and the one-time code.",
        "preview": "What the next sync does", "nothing": "Nothing is waiting to sync.",
        "leaves": "Goes to {server}", "stays": "Stays on the phone",
        "personal": "Personal data that goes (basis: {basis}): {fields}",
        "withheld": "Withheld: {field} – {reason}",
        "more": "… and {count} more", "quarantine": "Rejected by the municipality",
        "quarantine_hint": "Correct and save the record, and it is sent again.",
        "basis_consent": "consent", "basis_legal": "legal basis",
    },
}
KINDS = {
    "nb": {"school_visit": "Skolebesøk", "observation": "Observasjon",
           "follow_up_case": "U18-sak", "consent": "Samtykke",
           "crisis_callout": "Krisestab", "crisis_contact": "Kontakt", "meeting": "Møte"},
    "en": {"school_visit": "School visit", "observation": "Observation",
           "follow_up_case": "U18 case", "consent": "Consent",
           "crisis_callout": "Crisis staff", "crisis_contact": "Contact", "meeting": "Meeting"},
}


def pending_count(app: Any) -> int:
    """Records and deletions waiting to sync (the same number as on Home)."""
    return 0 if app.logbook is None else waiting_count(app.logbook)


def build_sync_view(app: Any) -> ft.Control:
    return SyncPanel(app).control


def _when(stamp: str | datetime) -> str:
    moment = datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


class SyncPanel:
    """The screen's controls; re-renders itself after a run or an enrolment."""

    def __init__(self, app: Any):
        self.app = app
        self.lang = app.lang if app.lang in TEXTS else "nb"
        self.running = False
        self.cancelled = False
        self.bar = ft.ProgressBar(value=0)
        self.progress = tagged("sync-progress", self.bar)
        self.progress.visible = False
        self.message = ft.Text("", size=16)
        self.url = ft.TextField(label=self.tx("url"), keyboard_type=ft.KeyboardType.URL,
                                expand=True)
        self.code = ft.TextField(label=self.tx("code"), expand=True,
                                 capitalization=ft.TextCapitalization.CHARACTERS)
        self.control = ft.Column(spacing=16)
        self.render()

    def tx(self, key: str, **params: Any) -> str:
        return TEXTS[self.lang][key].format(**params)

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

    def _summary(self, status: Any) -> list[ft.Control]:
        count = status.waiting - status.deletions
        pending = tagged("sync-pending", ft.Text(
            self.app.t("sync.pending", count=count), theme_style=ft.TextThemeStyle.TITLE_MEDIUM))
        deletions = [status_line(ft.Icons.DELETE_SWEEP, self.app.t(
            "sync.deletions", count=status.deletions), ident="sync-deletions")] \
            if status.deletions else []
        run = status.last_run
        last = self.tx("last", when=_when(run["at"]), sent=run["sent"],
                       withheld=run["withheld"], failed=run["failed"]) if run \
            else self.tx("never")
        return [pending, *deletions, status_line(ft.Icons.HISTORY, last, ident="sync-last")]

    def _enrolments(self, status: Any) -> list[ft.Control]:
        if not status.enrolments:
            return [status_line(ft.Icons.CLOUD_OFF, self.app.t("sync.not_enrolled"),
                                ident="sync-not-enrolled", warn=True)]
        lines = []
        for i, e in enumerate(status.enrolments):
            texts = [ft.Text(self.tx("enrolled", server=e.server_name), size=16,
                             weight=ft.FontWeight.W_600)]
            if e.last_error:
                texts.append(ft.Text(self.tx("last_error", error=error_text(
                    e.last_error, self.lang)), color=ft.Colors.ERROR))
            lines.append(card(*texts, ident=f"sync-enrolment-{i}"))
        return lines

    def _actions(self) -> list[ft.Control]:
        controls = [big_button(self.tx("running") if self.running else self.tx("now"),
                               self._sync_now, ident="sync-now", icon=ft.Icons.SYNC,
                               primary=True, disabled=self.running),
                    self.progress, tagged("sync-message", ft.Semantics(
                        live_region=True, content=self.message))]
        if self.running:
            controls.insert(1, small_button(self.tx("cancel"), self._cancel,
                                            ident="sync-cancel", icon=ft.Icons.STOP))
        return controls

    def _preview(self, status: Any) -> list[ft.Control]:
        controls: list[ft.Control] = [heading(self.tx("preview"))]
        if not status.items:
            controls.append(ft.Text(self.tx("nothing")))
        for i, item in enumerate(status.items[:MAX_PREVIEW]):
            controls.append(card(*self._item_lines(item), ident=f"sync-item-{i}"))
        if len(status.items) > MAX_PREVIEW:
            controls.append(ft.Text(self.tx("more", count=len(status.items) - MAX_PREVIEW)))
        return controls

    def _item_lines(self, item: Any) -> list[ft.Control]:
        title = " · ".join(p for p in (KINDS[self.lang].get(item.kind, item.kind), item.label,
                                       _when(item.when)) if p)
        lines: list[ft.Control] = [ft.Text(title, size=16, weight=ft.FontWeight.W_600)]
        if not item.leaves:
            lines.append(ft.Text(f"{self.tx('stays')}: {reason_text(item.reason, self.lang)}",
                                 color=ft.Colors.ERROR))
            return lines
        lines.append(ft.Text(self.tx("leaves", server=item.destination)))
        if item.shared_personal:
            fields = ", ".join(dict.fromkeys(self._label(f) for f in item.shared_personal))
            basis = self.tx("basis_consent" if item.basis == "consent" else "basis_legal")
            lines.append(ft.Text(self.tx("personal", basis=basis, fields=fields),
                                 color=ft.Colors.TERTIARY))
        for w in item.withheld:
            lines.append(ft.Text(self.tx("withheld", field=self._label(w.field),
                                         reason=reason_text(w.reason, self.lang)), size=14))
        return lines

    def _label(self, path: str) -> str:
        return field_label(path.rsplit(".", 1)[-1].split("[")[0], self.lang)

    def _quarantine(self, status: Any) -> list[ft.Control]:
        if not status.quarantined:
            return []
        controls: list[ft.Control] = [heading(self.tx("quarantine")),
                                      ft.Text(self.tx("quarantine_hint"))]
        for i, q in enumerate(status.quarantined):
            title = " · ".join(p for p in (KINDS[self.lang].get(q.kind, q.kind), q.label) if p)
            controls.append(card(ft.Text(title, size=16, weight=ft.FontWeight.W_600),
                                 ft.Text(reason_text(q.reason, self.lang),
                                         color=ft.Colors.ERROR),
                                 ident=f"sync-quarantine-{i}"))
        return controls

    def _enrol_form(self, status: Any) -> list[ft.Control]:
        title = self.tx("enrol_more") if status.enrolments else self.tx("enrol_title")
        return [heading(title), tagged("sync-url", ft.Row([self.url])),
                tagged("sync-code", ft.Row([self.code])),
                big_button(self.tx("enrol"), self._enrol, ident="sync-enrol",
                           icon=ft.Icons.APP_REGISTRATION)]

    # -- actions -----------------------------------------------------------------------------

    def _cancel(self, e: Any = None) -> None:
        self.cancelled = True

    async def _sync_now(self, e: Any = None) -> None:
        lb = self.app.logbook
        if lb is None or self.running:
            return
        self.running, self.cancelled = True, False
        self.progress.visible, self.bar.value = True, None
        self.message.value = ""
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
        self.message.value = self._outcome(task)
        self.running = False
        self.progress.visible = False
        self.refresh()

    def _outcome(self, task: asyncio.Task[Any]) -> str:
        try:
            report = task.result()
        except Exception as exc:  # noqa: BLE001 - the officer gets a sentence, not a trace
            log.warning("sync.view status=failed error=%s", type(exc).__name__)
            return error_text("locked" if self.app.logbook is None else "sync_error", self.lang)
        text = self.tx("done", sent=len(report.sent), withheld=len(report.withheld))
        if report.tombstones_sent:
            text += " " + self.app.t("sync.deletions_sent", count=report.tombstones_sent)
        errors = [error_text(code, self.lang) for code in dict.fromkeys(report.errors.values())]
        if report.cancelled:
            errors.append(error_text("cancelled", self.lang))
        return " ".join([text, *errors])

    async def _enrol(self, e: Any = None) -> None:
        lb = self.app.logbook
        url, code = (self.url.value or "").strip(), (self.code.value or "").strip()
        if lb is None:
            return
        if not url or not code:
            self.message.value = self.tx("enrol_missing")
            self.refresh()
            return
        try:
            enrolment = await asyncio.to_thread(enrol, lb, url, code)
        except SyncError as exc:
            self.message.value = error_text(exc.code, self.lang)
        except Exception as exc:  # noqa: BLE001 - e.g. locked meanwhile: a sentence, no trace
            log.warning("sync.view enrol=failed error=%s", type(exc).__name__)
            self.message.value = error_text("sync_error", self.lang)
        else:
            self.message.value = self.tx("enrol_ok", server=enrolment.server_name)
            self.code.value = ""
        self.refresh()
