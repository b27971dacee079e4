"""A meeting's agenda against its lead time: the one home of the agenda rules (stdlib only).

    lead_days_for(municipality, agreements) -> int     days before a meeting its agenda is due
    agenda_status(meeting, lead_days, today) -> AgendaStatus  sent, late, overdue, due, not yet
    agenda_on_time(meeting, lead_days) -> bool | None  once sent: on time or late

Definitions (Home, the meetings screen and the evaluation report use the same ones):
- Days are Europe/Oslo calendar days, whatever the device's or server's time zone.
- An agenda is on time when sent on or before the meeting's day minus ``agenda_lead_days``
  (from the municipality's agreement; ``DEFAULT_LEAD_DAYS`` where none is known).
- An unsent agenda is "due" from ``AGENDA_WARNING_DAYS`` before its deadline, "overdue" after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .agreement import Agreement, agreement_for
from .days import oslo_day
from .meetings import Meeting

AGENDA_WARNING_DAYS = 3
DEFAULT_LEAD_DAYS = 7  # an agenda's lead time where no agreement is known


def lead_days_for(municipality: str, agreements: dict[str, Agreement]) -> int:
    """Days before a meeting its agenda is due: from the municipality's agreement (the stored
    one, else its default; ``agreements``: the stored ones by code), else DEFAULT_LEAD_DAYS."""
    agreement = agreement_for(municipality, agreements) if municipality else None
    return agreement.agenda_lead_days if agreement else DEFAULT_LEAD_DAYS


def agenda_deadline(meeting: Meeting, lead_days: int) -> date:
    return oslo_day(meeting.starts_at) - timedelta(days=lead_days)


def agenda_on_time(meeting: Meeting, lead_days: int) -> bool | None:
    """True/False once sent; None when no sending is recorded."""
    if meeting.agenda_sent_at is None:
        return None
    return oslo_day(meeting.agenda_sent_at) <= agenda_deadline(meeting, lead_days)


@dataclass(frozen=True)
class AgendaStatus:
    meeting_id: str
    meeting_type: str
    starts_at: datetime
    deadline: date
    state: str  # "sent", "sent_late", "overdue", "due" (within the warning days), "not_yet"
    days_to_deadline: int  # negative: past the deadline


def agenda_status(meeting: Meeting, lead_days: int, today: date) -> AgendaStatus:
    deadline = agenda_deadline(meeting, lead_days)
    days = (deadline - today).days
    on_time = agenda_on_time(meeting, lead_days)
    if on_time is not None:
        state = "sent" if on_time else "sent_late"
    elif days < 0:
        state = "overdue"
    else:
        state = "due" if days <= AGENDA_WARNING_DAYS else "not_yet"
    return AgendaStatus(meeting.id, meeting.meeting_type, meeting.starts_at, deadline, state, days)
