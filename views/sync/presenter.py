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

from fieldapp.domain.messages import field_label
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
    if not run:
        return t("sync.never")
    return t("sync.last", when=when_text(run["at"]), sent=run["sent"],
             withheld=run["withheld"], failed=run["failed"])


def kind_text(t: Translate, kind: str) -> str:
    key = f"sync.kind.{kind}"
    found = t(key)
    return kind if found == key else found


def _label(path: str, lang: str) -> str:
    return field_label(path.rsplit(".", 1)[-1].split("[")[0], lang)


def item_lines(t: Translate, lang: str, item: PreviewItem) -> list[Line]:
    """A waiting record: its title, then where it goes with the personal data it carries and
    the fields withheld, or why it stays on the phone."""
    title = " · ".join(p for p in (kind_text(t, item.kind), item.label, when_text(item.when))
                       if p)
    lines = [Line(title, "title")]
    if not item.leaves:
        lines.append(Line(f"{t('sync.stays')}: {reason_text(item.reason, lang)}", "error"))
        return lines
    lines.append(Line(t("sync.leaves", server=item.destination)))
    if item.shared_personal:
        fields = ", ".join(dict.fromkeys(_label(f, lang) for f in item.shared_personal))
        basis = t("sync.basis_consent" if item.basis == "consent" else "sync.basis_legal")
        lines.append(Line(t("sync.personal", basis=basis, fields=fields), "personal"))
    for w in item.withheld:
        lines.append(Line(t("sync.withheld", field=_label(w.field, lang),
                            reason=reason_text(w.reason, lang)), "small"))
    return lines


def quarantine_lines(t: Translate, lang: str, rejected: QuarantinedItem) -> list[Line]:
    title = " · ".join(p for p in (kind_text(t, rejected.kind), rejected.label) if p)
    return [Line(title, "title"), Line(reason_text(rejected.reason, lang), "error")]


def outcome_text(t: Translate, lang: str, report: SyncReport) -> str:
    """The sentence after a finished run: sent, kept, deletions, then each distinct error."""
    text = t("sync.done", sent=len(report.sent), withheld=len(report.withheld))
    if report.tombstones_sent:
        text += " " + t("sync.deletions_sent", count=report.tombstones_sent)
    errors = [error_text(code, lang) for code in dict.fromkeys(report.errors.values())]
    if report.cancelled:
        errors.append(error_text("cancelled", lang))
    return " ".join([text, *errors])
