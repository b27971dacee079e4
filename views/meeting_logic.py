"""The Politiråd og SLT screen's rules without widgets: typed form values → a Meeting, and the
agenda warning (sent later than the agreement's lead time, ``tracking.agenda_status``).

    meeting = build_meeting(MeetingInput(meeting_type="politirad", day="12.03.2027", …), tz)
    warning = agenda_warning(meeting, lead_days_for(meeting.municipality, stored), today)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import Any

from fieldapp.domain.agreement import agreement_for, agreements_from_json
from fieldapp.domain.meetings import AgendaItem, Decision, Meeting, MeetingAction, Minutes
from fieldapp.domain.messages import code_label
from fieldapp.domain.tracking import agenda_status, compliance

from .forms import ParseProblem, parse_date, parse_time_on

DEFAULT_LEAD_DAYS = 7
DEFAULT_TIME = time(18, 0)


@dataclass(frozen=True)
class MeetingInput:
    """What the officer typed; lines of ``agenda`` and ``decisions`` are one item each."""

    meeting_type: str
    day: str
    time: str = ""
    place: str = ""
    agenda_sent: str = ""
    agenda: str = ""
    decisions: str = ""
    action: str = ""
    action_role: str = ""
    action_due: str = ""
    minutes_title: str = ""
    skjermet: bool = False
    exemption_basis: str = ""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def build_meeting(typed: MeetingInput, tz: tzinfo | None) -> Meeting:
    """A new Meeting; ParseProblem for a date or time that cannot be read."""
    day = parse_date(typed.day, "starts_at")
    if day is None:
        raise ParseProblem("starts_at", "form.not_a_date")
    starts = parse_time_on(day, typed.time, "starts_at", tz) or \
        datetime.combine(day, DEFAULT_TIME, tzinfo=tz)
    sent_day = parse_date(typed.agenda_sent, "agenda_sent_at")
    sent = datetime.combine(sent_day, time(12, 0), tzinfo=tz) if sent_day else None
    actions = []
    if typed.action.strip():
        actions.append(MeetingAction(description=typed.action.strip(),
                                     owner_role=typed.action_role,
                                     due_date=parse_date(typed.action_due, "actions")))
    minutes = []
    if typed.minutes_title.strip() or typed.skjermet:
        minutes.append(Minutes(public_title=typed.minutes_title.strip(),
                               skjermet=typed.skjermet,
                               exemption_basis=typed.exemption_basis.strip()))
    return Meeting(meeting_type=typed.meeting_type, starts_at=starts, place=typed.place.strip(),
                   agenda_sent_at=sent,
                   agenda=[AgendaItem(public_title=t) for t in _lines(typed.agenda)],
                   decisions=[Decision(text=t) for t in _lines(typed.decisions)],
                   actions=actions, minutes=minutes)


def lead_days_for(municipality: str, stored: Any) -> int:
    agreements = agreements_from_json(stored if isinstance(stored, list) else [])
    agreement = agreement_for(municipality, agreements) if municipality else None
    return agreement.agenda_lead_days if agreement else DEFAULT_LEAD_DAYS


def agenda_warning(meeting: Meeting, lead_days: int, today: date) -> tuple[str, date] | None:
    """("meetings.agenda_late" | "meetings.agenda_overdue", deadline) or None when fine."""
    if meeting.cancelled:
        return None
    status = agenda_status(meeting, lead_days, today)
    if status.state == "sent_late":
        return "meetings.agenda_late", status.deadline
    if status.state in ("overdue", "due") and meeting.starts_at.date() >= today:
        return f"meetings.agenda_{status.state}", status.deadline
    return None


def newest_first(meetings: list[Meeting]) -> list[Meeting]:
    return sorted(meetings, key=lambda m: m.starts_at, reverse=True)


def next_meeting_line(agreements: list[Any], records: list[Any], now: datetime,
                      lang: str = "nb") -> tuple[str, dict[str, str], bool] | None:
    """Home's line about the next council meeting: (string key, params, warn) or None.

    ``agreements``: the agreements of the municipalities served (report_logic choices'
    ``agreement``); the earliest coming meeting among them counts."""
    found = [c.next_meeting for a in agreements
             if (c := compliance(a, records, now)).next_meeting is not None]
    if not found:
        return None
    status = min(found, key=lambda s: s.starts_at)
    params = {"type": code_label(status.meeting_type, lang),
              "date": status.starts_at.astimezone().strftime("%d.%m.%Y"),
              "deadline": status.deadline.strftime("%d.%m.%Y"), "state": status.state}
    key = {"sent": "home.meeting_sent", "sent_late": "home.meeting_sent_late",
           "overdue": "home.meeting_agenda_overdue",
           "due": "home.meeting_agenda_due"}.get(status.state, "home.meeting_next")
    return key, params, status.state in ("sent_late", "overdue", "due")
