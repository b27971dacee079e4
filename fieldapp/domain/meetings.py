"""Council and SLT meetings (politiråd, interkommunalt politiråd, SLT-arbeidsgruppe).

A ``Meeting`` is a record like the others: every field declares its sensitivity, it is stored in
the Logbook and syncs through the same consent gate. What may go to the municipality's journal
is shareable: type, time, place, roles of the participants, public titles, the "skjermet" flag
and its legal basis, due dates and priority-area links. What may be about a person is personal:
participant names, internal titles, decision and action texts, the minutes' text.

    Meeting
      agenda: [AgendaItem(public_title, internal_title, priority_area)]
      participants: [Participant(role, organisation, name, present)]
      decisions: [Decision(text, consensus, priority_area)]
      actions: [MeetingAction(description, owner_role, due_date, done_at, decision_id)]
      minutes: [Minutes(public_title, internal_title, text, skjermet, exemption_basis, ...)]

A public title is meant for the public journal (offentlig journal): it is shareable, and
validation refuses one in which the detector finds an identity number, phone number or e-mail.
``minutes`` is a list: the minutes and any exempt annex (skjermet vedlegg) are journalled as
documents of their own, each with its titles and flag. (Nested items are always in lists: the
consent gate walks into lists of items field by field.)
The police council decides by consensus (Stjørdal: "Beslutninger må fattes som
konsensusvedtak"); ``Decision.consensus`` records whether it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar, Protocol

from . import codes
from .identity import find_personal_data
from .limits import LONG_TEXT, SHORT_TEXT
from .records import Record, new_id, utcnow
from .sensitivity import personal, shareable


@dataclass(kw_only=True)
class AgendaItem:
    id: str = shareable(default_factory=new_id)
    public_title: str = shareable(default="")
    internal_title: str = personal(free_text=True, default="")
    priority_area: str = shareable(default="")


@dataclass(kw_only=True)
class Participant:
    role: str = shareable(default="")
    organisation: str = shareable(default="")
    name: str = personal(default="")
    present: bool = shareable(default=True)


@dataclass(kw_only=True)
class Decision:
    id: str = shareable(default_factory=new_id)
    text: str = personal(free_text=True, default="")
    consensus: bool = shareable(default=True)
    priority_area: str = shareable(default="")


@dataclass(kw_only=True)
class MeetingAction:
    """A follow-up the meeting agreed on: what (personal text), who (a role), by when."""

    id: str = shareable(default_factory=new_id)
    description: str = personal(free_text=True, default="")
    owner_role: str = shareable(default="")
    due_date: date | None = shareable(default=None)
    done_at: datetime | None = shareable(default=None)
    decision_id: str = shareable(default="")


@dataclass(kw_only=True)
class Minutes:
    """The minutes (referat), or an annex of them, as one document in the municipal journal."""

    public_title: str = shareable(default="")
    internal_title: str = personal(free_text=True, default="")
    text: str = personal(free_text=True, default="")
    skjermet: bool = shareable(default=False)
    exemption_basis: str = shareable(default="")   # e.g. "offl. § 13, jf. fvl. § 13"
    approved_at: datetime | None = shareable(default=None)
    archive_reference: str = shareable(default="")


@dataclass(kw_only=True)
class Meeting(Record):
    """A police council or SLT working-group meeting: agenda, who came, decisions, follow-ups."""

    kind: ClassVar[str] = "meeting"

    meeting_type: str = shareable(default="politirad")
    starts_at: datetime = shareable(default_factory=utcnow)
    place: str = shareable(default="")
    agenda: list[AgendaItem] = shareable(default_factory=list)
    agenda_sent_at: datetime | None = shareable(default=None)
    participants: list[Participant] = shareable(default_factory=list)
    decisions: list[Decision] = shareable(default_factory=list)
    actions: list[MeetingAction] = shareable(default_factory=list)
    minutes: list[Minutes] = shareable(default_factory=list)
    priority_areas: set[str] = shareable(default_factory=set)
    cancelled_at: datetime | None = shareable(default=None)
    note: str = personal(free_text=True, default="")
    text_free_of_personal: bool = shareable(default=False)

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    def held_by(self, moment: datetime) -> bool:
        """Not cancelled and started at or before ``moment``."""
        return not self.cancelled and self.starts_at <= moment


def set_cancelled(meeting: Meeting, cancelled: bool, now: datetime) -> Meeting:
    """Cancel (the record stays; it no longer counts as held) or undo the cancel. Cancelling
    a cancelled meeting keeps the first moment."""
    if not cancelled:
        meeting.cancelled_at = None
    elif meeting.cancelled_at is None:
        meeting.cancelled_at = now
    return meeting


class Checker(Protocol):
    """What the meeting's checks use of validation's checker (``validation._Checker``)."""

    @property
    def record(self) -> Meeting: ...

    def add(self, name: str, key: str, **params: Any) -> None: ...

    def codes(self, name: str, allowed: Iterable[str], *, empty_ok: bool = True) -> None: ...

    def max_length(self, limit: int, *names: str) -> None: ...


def _public_title_ok(c: Checker, name: str, title: str) -> None:
    if len(title) > SHORT_TEXT:
        c.add(name, "too_long", limit=SHORT_TEXT)
    elif find_personal_data(title):
        c.add(name, "personal_data_found")


def _check_agenda(c: Checker, meeting: Meeting) -> None:
    for item in meeting.agenda:
        if not (item.public_title.strip() or item.internal_title.strip()):
            c.add("agenda", "required")
            return
        _public_title_ok(c, "agenda", item.public_title)
        if len(item.internal_title) > SHORT_TEXT:
            c.add("agenda", "too_long", limit=SHORT_TEXT)


def _check_people_and_outcomes(c: Checker, meeting: Meeting) -> None:
    roles = set(codes.MEETING_ROLES) | {""}
    if any(p.role not in roles for p in meeting.participants):
        c.add("participants", "unknown_code")
    elif any(max(len(p.name), len(p.organisation)) > SHORT_TEXT for p in meeting.participants):
        c.add("participants", "too_long", limit=SHORT_TEXT)
    if any(not d.text.strip() for d in meeting.decisions):
        c.add("decisions", "required")
    elif any(len(d.text) > LONG_TEXT for d in meeting.decisions):
        c.add("decisions", "too_long", limit=LONG_TEXT)
    if any(not a.description.strip() for a in meeting.actions):
        c.add("actions", "required")
    elif any(a.owner_role not in roles for a in meeting.actions):
        c.add("actions", "unknown_code")
    decision_ids = {d.id for d in meeting.decisions}
    if any(a.decision_id and a.decision_id not in decision_ids for a in meeting.actions):
        c.add("actions", "unknown_reference")


def _check_minutes(c: Checker, minutes: Minutes) -> None:
    _public_title_ok(c, "minutes", minutes.public_title)
    if len(minutes.text) > LONG_TEXT * 4:
        c.add("minutes", "too_long", limit=LONG_TEXT * 4)
    if minutes.skjermet and not minutes.exemption_basis.strip():
        c.add("minutes", "exemption_basis_required")


def _area_codes(meeting: Meeting) -> list[str]:
    linked = [i.priority_area for i in meeting.agenda]
    linked += [d.priority_area for d in meeting.decisions]
    return [*meeting.priority_areas, *(code for code in linked if code)]


def check_meeting(c: Checker) -> None:
    """Validation of a Meeting, given validation's checker (registered in validation._CHECKS)."""
    meeting = c.record
    c.codes("meeting_type", codes.MEETING_TYPES, empty_ok=False)
    c.max_length(SHORT_TEXT, "place")
    c.max_length(LONG_TEXT, "note")
    if meeting.agenda_sent_at is not None and meeting.agenda_sent_at > meeting.starts_at:
        c.add("agenda_sent_at", "after", other="starts_at")
    if any(not codes.AREA_CODE_PATTERN.match(code) for code in _area_codes(meeting)):
        c.add("priority_areas", "unknown_code")
    _check_agenda(c, meeting)
    _check_people_and_outcomes(c, meeting)
    for minutes in meeting.minutes:
        _check_minutes(c, minutes)
