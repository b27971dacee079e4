"""What the Synk screen says, without flet: the last run, each waiting record's lines (what
leaves, on what basis, what stays and why), the records the municipality rejected, and the
sentence after a run. The rules themselves live in ``sync`` and the consent gate; this module
only turns ``sync.sync_status`` and a run's report into the officer's sentences.

``t`` is the screen's ``t(key, **params)``; ``lang`` picks the reason and error texts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fieldapp.domain.messages import code_label, field_label
from sync.status import PreviewItem, QuarantinedItem
from sync.texts import error_text, reason_text

if TYPE_CHECKING:  # sync.client loads requests; the presenter only reads a report
    from sync.client import SyncReport

MAX_PREVIEW = 40
Translate = Callable[..., str]


@dataclass(frozen=True)
class Line:
    """One line of a card: ``tone`` is title, plain, small, error or personal."""

    text: str
    tone: str = "plain"


def when_text(stamp: str | datetime) -> str:
    moment = datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


def last_run_text(t: Translate, run: dict[str, Any] | None) -> str:
    """The last run as it went: a run that could not reach a municipality is an attempt."""
    if not run:
        return t("sync.never")
    failed = bool(run.get("errors") or run.get("failed") or run.get("cancelled"))
    return t("sync.last_attempt" if failed else "sync.last", when=when_text(run["at"]),
             sent=run["sent"], withheld=run["withheld"], failed=run["failed"])


def kind_text(t: Translate, kind: str) -> str:
    key = f"sync.kind.{kind}"
    found = t(key)
    return kind if found == key else found


def _label(path: str, lang: str) -> str:
    return field_label(path.rsplit(".", 1)[-1].split("[")[0], lang)


def item_lines(t: Translate, lang: str, item: PreviewItem) -> list[Line]:
    """A waiting record: its title, then where it goes with the personal data it carries and
    the fields withheld, or why it stays on the phone."""
    label = code_label(item.label, lang) if item.kind == "crisis_callout" else item.label
    title = " · ".join(p for p in (kind_text(t, item.kind), label, when_text(item.when)) if p)
    lines = [Line(title, "title")]
    if not item.leaves:
        lines.append(Line(f"{t('sync.stays')}: {reason_text(item.reason, lang)}", "error"))
        return lines
    lines.append(Line(t("sync.leaves", server=item.destination)))
    if item.shared_personal:
        fields = ", ".join(dict.fromkeys(_label(f, lang) for f in item.shared_personal))
        if item.basis:
            basis = t("sync.basis_consent" if item.basis == "consent" else "sync.basis_legal")
            lines.append(Line(t("sync.personal", basis=basis, fields=fields), "personal"))
        else:  # only free text the officer marked free of personal data: no basis needed
            lines.append(Line(t("sync.marked_free_text", fields=fields), "small"))
    if item.first_time:
        lines.append(Line(t("sync.first_time"), "personal"))
    for w in item.withheld:
        lines.append(Line(t("sync.withheld", field=_label(w.field, lang),
                            reason=reason_text(w.reason, lang)), "small"))
    return lines


def quarantine_lines(t: Translate, lang: str, rejected: QuarantinedItem) -> list[Line]:
    title = " · ".join(p for p in (kind_text(t, rejected.kind), rejected.label) if p)
    return [Line(title, "title"), Line(reason_text(rejected.reason, lang), "error")]


def outcome_failed(report: SyncReport) -> bool:
    return bool(report.errors or report.failed or report.cancelled)


def outcome_text(t: Translate, lang: str, report: SyncReport) -> str:
    """The sentence after a run, saying exactly what happened: what was sent, what could not
    be sent and is tried again, what stays on the phone, deletions, then each distinct error."""
    sent, failed, withheld = len(report.sent), len(report.failed), len(report.withheld)
    if report.cancelled:
        parts = [t("sync.cancelled", count=sent)]
    elif outcome_failed(report):
        parts = [t("sync.not_done", count=sent) if sent else t("sync.nothing_sent")]
    elif sent or report.tombstones_sent or withheld:
        parts = [t("sync.done", count=sent)]
    else:
        parts = [t("sync.nothing_new")]
    if failed:
        parts.append(t("sync.retry_later", count=failed))
    if withheld:
        parts.append(t("sync.stay_on_phone", count=withheld))
    if report.tombstones_sent:
        parts.append(t("sync.deletions_sent", count=report.tombstones_sent))
    parts += [error_text(code, lang) for code in dict.fromkeys(report.errors.values())]
    return " ".join(parts)
