"""Follow-up actions of U18 cases falling due: what the officer must do, and by when.

Pure functions of cases and a given (Europe/Oslo) day; the UI shows the results. Presence and
the school visit cadence are in ``tracking``, calendar days in ``days``.

    actions_due(cases, today, within_days=0) -> [DueAction]    earliest first
    cases_by_urgency(cases, today) -> [FollowUpCase]           due first, closed last
    next_due_date(case) -> date | None
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .records import FollowUpAction, FollowUpCase


@dataclass(frozen=True)
class DueAction:
    case_id: str
    action: FollowUpAction
    due_date: date
    days_left: int


def open_actions(case: FollowUpCase) -> list[FollowUpAction]:
    return [a for a in case.actions if a.done_at is None]


def actions_due(cases: Iterable[FollowUpCase], today: date,
                within_days: int = 0) -> list[DueAction]:
    """Open actions of open cases due on or before ``today + within_days``, earliest first."""
    limit = today + timedelta(days=within_days)
    due = [
        DueAction(case.id, action, action.due_date, (action.due_date - today).days)
        for case in cases if case.status == "open"
        for action in open_actions(case)
        if action.due_date is not None and action.due_date <= limit
    ]
    return sorted(due, key=lambda d: (d.due_date, d.case_id))


def next_due_date(case: FollowUpCase) -> date | None:
    dates = [a.due_date for a in open_actions(case) if a.due_date is not None]
    return min(dates) if dates else None


def cases_by_urgency(cases: Iterable[FollowUpCase], today: date) -> list[FollowUpCase]:
    """Open cases with the earliest open action first, then open cases without a due date
    (newest first), then closed cases."""
    def key(case: FollowUpCase) -> tuple[int, date, float]:
        if case.status != "open":
            return (2, date.max, -case.opened_at.timestamp())
        due = next_due_date(case)
        if due is None:
            return (1, date.max, -case.opened_at.timestamp())
        return (0, due, -case.opened_at.timestamp())
    return sorted(cases, key=key)
