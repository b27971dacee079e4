"""Home's lines about the cooperation agreements (no flet here: tested without a client).

    found = agreement_status(choices, current, now, lang)   # None: no agreement to show
    found.presence  [StatusLine]  this ISO week's presence days against each agreed target
    found.schools   [StatusLine]  each agreed school: visited in its 14-day window, or not yet
    found.overdue   StatusLine    overdue follow-up actions (meetings and U18 cases), a count
    found.overdue_meeting_actions  int  of them, the meetings' (Home counts U18 actions itself,
                                  due today included, and shows one line for both)
    found.agreed    set[str]      agreed schools' keys: their "next visit in N days" is left out
    found.named     [(name, Compliance)]  each agreement's municipality with its compliance

``tracking.compliance`` is computed once per agreement and render. Home shows counts only: no
names of people and no action texts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from fieldapp.current import Current
from fieldapp.domain import FollowUpCase
from fieldapp.domain.tracking import Compliance, SchoolWindow, compliance, school_key

from ..strings import text

WINDOW_WARNING_DAYS = 3  # warn when an agreed school is not visited and this few days remain


@dataclass(frozen=True)
class StatusLine:
    """A sentence of Home: string key, its parameters, warn (error colour), done (tick)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    warn: bool = False
    done: bool = False


@dataclass(frozen=True)
class AgreementStatus:
    presence: list[StatusLine]
    schools: list[StatusLine]
    overdue: StatusLine
    overdue_meeting_actions: int
    agreed: set[str]
    named: list[tuple[str, Compliance]]

    @property
    def compliances(self) -> list[Compliance]:
        return [c for _, c in self.named]

    def next_meeting(self) -> tuple[str, Compliance] | None:
        """The municipality whose council meeting comes first, with its compliance."""
        coming = [(name, c) for name, c in self.named if c.next_meeting is not None]
        return min(coming, key=lambda nc: nc[1].next_meeting.starts_at  # type: ignore[union-attr]
                   ) if coming else None


def short_day(day: date, lang: str) -> str:
    """"søn. 13.12" (bokmål) or "Sun 13.12" (English)."""
    names = text("home.weekdays", lang).split("|")
    name = names[day.weekday()] if len(names) == 7 else ""
    return f"{name} {day:%d.%m}".strip()


def window_line(window: SchoolWindow, today: date, lang: str) -> StatusLine:
    """Visited in the current window, or not yet and when the window ends."""
    if window.met:
        return StatusLine("home.window_visited", {"school": window.school}, done=True)
    left = window.days_left(today)
    if left == 0:
        return StatusLine("home.window_not_visited_today", {"school": window.school}, warn=True)
    return StatusLine("home.window_not_visited",
                      {"school": window.school, "end": short_day(window.end, lang)},
                      warn=left <= WINDOW_WARNING_DAYS)


def presence_line(found: Compliance, name: str | None) -> StatusLine:
    """This week's presence days against the target; ``name`` when several are served."""
    week = found.presence
    params: dict[str, Any] = {"done": len(week.days), "count": week.target}
    if name is None:
        return StatusLine("home.presence_target", params, warn=not week.met, done=bool(week.met))
    return StatusLine("home.presence_target_in", {**params, "municipality": name},
                      warn=not week.met, done=bool(week.met))


def agreement_status(choices: Iterable[Any], current: Current, now: datetime,
                     lang: str = "nb", *, served: int = 1) -> AgreementStatus | None:
    """``choices``: report.presenter.report_choices of the municipalities served;
    ``current``: Home's records (``home_records``, or ``Current.of`` every record);
    ``served``: how many are served (with more than one, presence lines name theirs).
    The U18 actions overdue come from ``current``'s due dates: its records hold no open case,
    so each compliance's ``overdue`` lists the meetings' actions."""
    choices = list(choices)
    records = [r for r in current.records if not isinstance(r, FollowUpCase)]
    found = [(c.name, compliance(c.agreement, records, now)) for c in choices]
    if not found:
        return None
    with_target = [(name, c) for name, c in found if c.presence.target > 0]
    several = len(with_target) > 1 or served > 1
    presence = [presence_line(c, name if several else None) for name, c in with_target]
    schools = [window_line(w, c.today, lang) for _, c in found for w in c.schools]
    meeting_actions = sum(len(c.overdue) for _, c in found)
    overdue = meeting_actions + sum(
        current.case_actions_due(c.today - timedelta(days=1), choice.agreement.municipality)
        for choice, (_, c) in zip(choices, found, strict=True))
    agreed = {school_key(w.school) for _, c in found for w in c.schools}
    return AgreementStatus(presence, schools,
                           StatusLine("home.overdue_actions", {"count": overdue},
                                      warn=overdue > 0, done=overdue == 0),
                           meeting_actions, agreed, found)
