"""The Politiråd og SLT screen's rules without widgets: typed form values → a Meeting (new, or
an edit of a saved one that keeps what the form does not show), and the agenda warning (sent
later than the agreement's lead time, ``agenda.agenda_status``). Cancelling a meeting
(``meetings.set_cancelled``) and its agenda's lead time (``agenda.lead_days_for``) are
domain rules.

    meeting = build_meeting(MeetingInput(meeting_type="politirad", day="12.03.2027", …), tz)
    edited = apply_input(saved, typed, tz, now)      # a copy; ``saved`` is left as it was
    warning = agenda_warning(meeting, lead_days_for(meeting.municipality, stored), today)
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from fieldapp.domain.agenda import agenda_status
from fieldapp.domain.meetings import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingAction,
    Minutes,
    Participant,
)
from fieldapp.domain.messages import code_label

from ..kit.formats import ParseProblem, format_date, format_time, parse_date, parse_time_on

DEFAULT_TIME = time(18, 0)
AGENDA_SENT_TIME = time(12, 0)


@dataclass(frozen=True)
class DecisionInput:
    """One decision as typed; ``id`` is the saved decision's (empty for a new one)."""

    text: str
    consensus: bool = True
    id: str = ""


@dataclass(frozen=True)
class ActionInput:
    """One follow-up action as typed; ``due`` is the date text; ``id`` as for decisions."""

    description: str
    owner_role: str = ""
    due: str = ""
    done: bool = False
    id: str = ""

    @property
    def blank(self) -> bool:
        return not (self.description.strip() or self.due.strip())


@dataclass(frozen=True)
class MeetingInput:
    """What the officer typed; lines of ``agenda`` are one item each; ``participants`` are
    (role, name) of the roles present, the name optional."""

    meeting_type: str
    day: str
    time: str = ""
    place: str = ""
    agenda_sent: str = ""
    agenda: str = ""
    participants: tuple[tuple[str, str], ...] = ()
    decisions: tuple[DecisionInput, ...] = ()
    actions: tuple[ActionInput, ...] = ()
    minutes_title: str = ""
    skjermet: bool = False
    exemption_basis: str = ""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def build_meeting(typed: MeetingInput, tz: tzinfo | None,
                  now: datetime | None = None) -> Meeting:
    """A new Meeting; ParseProblem for a date or time that cannot be read."""
    return apply_input(Meeting(meeting_type=typed.meeting_type), typed, tz, now)


def apply_input(saved: Meeting, typed: MeetingInput, tz: tzinfo | None,
                now: datetime | None = None) -> Meeting:
    """A copy of ``saved`` with the typed values; the ids of decisions and actions and what the
    form does not show (internal titles, priority areas, the minutes' text, annexes, absent
    participants, the revision) are kept. ParseProblem for an unreadable date or time."""
    now = now or datetime.now(UTC)
    meeting = copy.deepcopy(saved)
    meeting.meeting_type = typed.meeting_type
    meeting.starts_at = _starts_at(typed, tz)
    meeting.place = typed.place.strip()
    meeting.agenda_sent_at = _agenda_sent_at(saved.agenda_sent_at, typed.agenda_sent, tz)
    meeting.agenda = merge_agenda(meeting.agenda, _lines(typed.agenda))
    meeting.participants = merge_participants(meeting.participants, typed.participants)
    meeting.decisions = merge_decisions(meeting.decisions, typed.decisions)
    meeting.actions = merge_actions(meeting.actions, typed.actions, now)
    meeting.minutes = _merge_minutes(meeting.minutes, typed)
    return meeting


def _starts_at(typed: MeetingInput, tz: tzinfo | None) -> datetime:
    day = parse_date(typed.day, "starts_at")
    if day is None:
        raise ParseProblem("starts_at", "form.not_a_date")
    return parse_time_on(day, typed.time, "starts_at", tz) or \
        datetime.combine(day, DEFAULT_TIME, tzinfo=tz)


def _agenda_sent_at(saved: datetime | None, text: str, tz: tzinfo | None) -> datetime | None:
    day = parse_date(text, "agenda_sent_at")
    if day is None:
        return None
    if saved is not None and saved.astimezone(tz).date() == day:
        return saved  # the same day as before: keep the moment it was recorded with
    return datetime.combine(day, AGENDA_SENT_TIME, tzinfo=tz)


def merge_agenda(saved: list[AgendaItem], titles: list[str]) -> list[AgendaItem]:
    """One item per typed title, reusing a saved item with that public title (its id, internal
    title and priority area); items without a public title are not in the text: kept."""
    unused = list(saved)
    items = []
    for title in titles:
        match = next((i for i in unused if i.public_title.strip() == title), None)
        if match is not None:
            unused.remove(match)
        items.append(match or AgendaItem(public_title=title))
    return items + [i for i in unused if not i.public_title.strip()]


def merge_participants(saved: list[Participant],
                       present: tuple[tuple[str, str], ...]) -> list[Participant]:
    """The roles present, one participant each in the form (a saved one of that role is
    reused with its organisation); further people present in a role the form still shows as
    present are kept as they are (the form shows one per role and must not drop the rest);
    participants recorded as absent stay unless their role is now present."""
    names = dict(present)
    result: list[Participant] = []
    for p in saved:
        if p.role in names and p.role not in {q.role for q in result if q.present}:
            result.append(replace(p, name=names[p.role].strip(), present=True))
        elif (p.role in names and p.present) or (not p.present and p.role not in names):
            result.append(p)
    done = {p.role for p in result if p.present}
    result += [Participant(role=role, name=name.strip(), present=True)
               for role, name in present if role not in done]
    return result


def merge_decisions(saved: list[Decision], typed: tuple[DecisionInput, ...]) -> list[Decision]:
    """The typed decisions in order (blank ones left out); a saved one keeps its id and
    priority area. A saved decision not typed any more was removed."""
    by_id = {d.id: d for d in saved}
    result = []
    for d in typed:
        if not d.text.strip():
            continue
        base = by_id.get(d.id) or Decision()
        result.append(replace(base, text=d.text.strip(), consensus=d.consensus))
    return result


def merge_actions(saved: list[MeetingAction], typed: tuple[ActionInput, ...],
                  now: datetime) -> list[MeetingAction]:
    """The typed actions (blank ones left out; one with only a date stays, and validation asks
    for its description). ``done`` sets ``done_at`` to ``now`` unless it was done already."""
    by_id = {a.id: a for a in saved}
    result = []
    for a in typed:
        if a.blank:
            continue
        base = by_id.get(a.id) or MeetingAction()
        done_at = (base.done_at or now) if a.done else None
        result.append(replace(base, description=a.description.strip(), owner_role=a.owner_role,
                              due_date=parse_date(a.due, "actions"), done_at=done_at))
    return result


def _merge_minutes(saved: list[Minutes], typed: MeetingInput) -> list[Minutes]:
    """The form shows the first document's public title, flag and legal basis; its text and
    the annexes after it are kept."""
    first = saved[0] if saved else Minutes()
    first = replace(first, public_title=typed.minutes_title.strip(), skjermet=typed.skjermet,
                    exemption_basis=typed.exemption_basis.strip())
    has_more = first.text.strip() or first.internal_title.strip() or first.archive_reference
    keep = first.public_title or first.skjermet or has_more
    return ([first] if keep else []) + saved[1:]


def input_for(meeting: Meeting) -> MeetingInput:
    """The form's values for a saved meeting (dates and times in the device's time zone)."""
    first = meeting.minutes[0] if meeting.minutes else Minutes()
    return MeetingInput(
        meeting_type=meeting.meeting_type, day=format_date(meeting.starts_at),
        time=format_time(meeting.starts_at), place=meeting.place,
        agenda_sent=format_date(meeting.agenda_sent_at),
        agenda="\n".join(i.public_title for i in meeting.agenda if i.public_title.strip()),
        participants=tuple((p.role, p.name) for p in meeting.participants if p.present),
        decisions=tuple(DecisionInput(d.text, d.consensus, d.id) for d in meeting.decisions),
        actions=tuple(ActionInput(a.description, a.owner_role, format_date(a.due_date),
                                  a.done_at is not None, a.id) for a in meeting.actions),
        minutes_title=first.public_title, skjermet=first.skjermet,
        exemption_basis=first.exemption_basis)


def outcome_counts(meeting: Meeting) -> dict[str, int]:
    """For the list card: decisions not reached by consensus, actions done of all."""
    return {"dissent": sum(not d.consensus for d in meeting.decisions),
            "done": sum(a.done_at is not None for a in meeting.actions),
            "total": len(meeting.actions)}


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


def meeting_line(compliances: list[Any], lang: str = "nb"
                 ) -> tuple[str, dict[str, str], bool] | None:
    """Home's line about the next council meeting: (string key, params, warn) or None.

    ``compliances``: ``tracking.compliance`` of each agreement served (Home computes them once
    per render); the earliest coming meeting among them counts."""
    found = [c.next_meeting for c in compliances if c.next_meeting is not None]
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
