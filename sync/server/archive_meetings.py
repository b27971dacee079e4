"""Meeting agendas and minutes as archive documents (PDF/A + Noark 5 metadata).

    for meeting in archivable_meetings(db, municipality, year, now):
        for entry, pdf in meeting_documents(meeting, agreement, now):
            ...

Only what may be archived leaves. The backend holds of a meeting only what the consent gate
let go (participant names never; free text — internal titles, decisions, actions, the
minutes' text — only when the officer marked the meeting free of personal data and the
detector found nothing), and the export runs the same gate again on what it reads, so a row
stored under an older rule cannot carry more into the archive than the gate allows today.
Cancelled meetings are not exported. A meeting gives:

- a «Saksliste» (agenda) when it has agenda items: public titles, priority areas, time, place;
- one «Møtereferat» per ``Minutes`` entry (the minutes, then each annex; a held meeting with
  decisions or actions and no minutes gets one made of its record): the first carries
  the participants' roles, the agenda, decisions and follow-up actions; every one carries its
  own text and, when ``skjermet``, a banner with the legal basis (and skjerming in its
  metadata). A text that did not reach the backend is named as not transferred.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from fieldapp.domain import DecodeError, from_dict
from fieldapp.domain.agreement import Agreement
from fieldapp.domain.consent import ConsentGate
from fieldapp.domain.days import OSLO, oslo_day
from fieldapp.domain.meetings import Meeting, Minutes
from fieldapp.domain.messages import code_label

from .admin import received
from .archive_noark import AGENDA, MINUTES, ArchiveEntry
from .archive_pdf import ArchivePdf, PdfWriter
from .db import Database

NOT_TRANSFERRED = "Ikke overført fra telefonen (kan inneholde personopplysninger)."


def archivable_meetings(db: Database, municipality: str, year: int | None,
                        now: datetime) -> list[Meeting]:
    """The municipality's meetings (held in ``year`` when given, Oslo time), not cancelled,
    as the consent gate lets them go to the backend's recipient now; oldest first."""
    gate, recipient = ConsentGate(), db.meta("recipient")
    meetings = []
    for row in received(db):
        if row["kind"] != "meeting" or row["municipality"] != municipality:
            continue
        try:
            stored = from_dict(dict(row["record"], id=row["id"], kind="meeting"))
            decision = gate.decide(stored, [], recipient, now)
            if not decision.send_record or decision.payload is None:
                continue
            meeting = from_dict(dict(decision.payload, id=row["id"], kind="meeting"))
        except (DecodeError, TypeError, ValueError, KeyError):
            continue
        if not isinstance(meeting, Meeting) or meeting.cancelled:
            continue
        if year is None or oslo_day(meeting.starts_at).year == year:
            meetings.append(meeting)
    return sorted(meetings, key=lambda m: (m.starts_at, m.id))


def _day(moment: datetime | date) -> str:
    return oslo_day(moment).strftime("%d.%m.%Y")


def _area(agreement: Agreement, code: str) -> str:
    """A priority area's title in the agreement (its code when the agreement has none)."""
    area = agreement.area(code) if code else None
    return area.title("nb") if area is not None else code or "–"


def _label(meeting: Meeting) -> str:
    return f"{code_label(meeting.meeting_type)} {_day(meeting.starts_at)}"


def _stem(meeting: Meeting, part: str) -> str:
    return f"{oslo_day(meeting.starts_at).isoformat()}_{meeting.meeting_type}_" \
           f"{meeting.id[:8]}_{part}"


def meeting_documents(meeting: Meeting, agreement: Agreement,
                      made_at: datetime) -> Iterator[tuple[ArchiveEntry, bytes]]:
    """The agenda, then the minutes and their annexes. A held meeting with decisions or
    actions but no minutes written gets minutes of its record (unscreened, not approved)."""
    if meeting.agenda:
        yield _agenda(meeting, agreement, made_at)
    minutes = meeting.minutes
    if not minutes and meeting.held_by(made_at) and (meeting.decisions or meeting.actions):
        minutes = [Minutes()]
    for index, entry in enumerate(minutes):
        yield _minutes(meeting, index, entry, agreement, made_at)


def _agenda(meeting: Meeting, agreement: Agreement,
            made_at: datetime) -> tuple[ArchiveEntry, bytes]:
    title = f"Saksliste – {_label(meeting)}"
    sent = meeting.agenda_sent_at
    entry = ArchiveEntry(key=f"{meeting.id}/saksliste", file_name=_stem(meeting, "saksliste")
                         + ".pdf", title=title, public_title=title,
                         document_date=oslo_day(sent or meeting.starts_at),
                         journalpost_type=AGENDA, document_type="DOKUMENT",
                         municipality=meeting.municipality)
    footer = f"{agreement.municipality_name} – {_label(meeting)}"
    pdf = ArchivePdf(title=title, footer_note=footer,
                     made_at=made_at, subject="Saksliste")
    w = PdfWriter(pdf)
    w.title(title, agreement.municipality_name)
    _meeting_facts(w, meeting, agreement)
    if sent is not None:
        w.field("Innkalling sendt:", _day(sent))
    _agenda_table(w, meeting, agreement)
    return entry, pdf.finish()


def _meeting_facts(w: PdfWriter, meeting: Meeting, agreement: Agreement) -> None:
    w.field("Møte:", code_label(meeting.meeting_type))
    if OSLO is not None:
        w.field("Tid:", meeting.starts_at.astimezone(OSLO).strftime("%d.%m.%Y kl. %H:%M"))
    else:  # no tz database: the day is still Oslo's (days.oslo_day), the hour is UTC
        w.field("Tid:", f"{_day(meeting.starts_at)} kl. "
                        f"{meeting.starts_at.astimezone(UTC).strftime('%H:%M')} UTC")
    w.field("Sted:", meeting.place or "–")
    if meeting.priority_areas:
        w.field("Satsingsområder:", ", ".join(_area(agreement, code)
                                               for code in sorted(meeting.priority_areas)))


def _agenda_table(w: PdfWriter, meeting: Meeting, agreement: Agreement) -> None:
    w.heading("Saksliste")
    rows = [(str(n), item.public_title or item.internal_title or f"Sak {n}",
             _area(agreement, item.priority_area))
            for n, item in enumerate(meeting.agenda, start=1)]
    w.table(("Nr.", "Sak", "Satsingsområde"), rows, (14, 120, 46), figures=False)


def _minutes_titles(meeting: Meeting, index: int, minutes: Minutes) -> tuple[str, str]:
    kind = "Møtereferat" if index == 0 else f"Vedlegg {index} til møtereferat"
    generated = f"{kind} – {_label(meeting)}"
    public = minutes.public_title.strip() or generated
    return (minutes.internal_title.strip() or public), public


def _minutes(meeting: Meeting, index: int, minutes: Minutes, agreement: Agreement,
             made_at: datetime) -> tuple[ArchiveEntry, bytes]:
    title, public = _minutes_titles(meeting, index, minutes)
    part = "referat" if index == 0 else f"referat-vedlegg-{index}"
    entry = ArchiveEntry(key=f"{meeting.id}/{part}", file_name=_stem(meeting, part) + ".pdf",
                         title=title, public_title=public,
                         document_date=oslo_day(minutes.approved_at or meeting.starts_at),
                         journalpost_type=MINUTES,
                         document_type="PROTOKOLL" if index == 0 else "VEDLEGG",
                         municipality=meeting.municipality, screened=minutes.skjermet,
                         screening_basis=minutes.exemption_basis.strip()
                         if minutes.skjermet else "")
    footer = f"{agreement.municipality_name} – {_label(meeting)}"
    pdf = ArchivePdf(title=title, footer_note=footer,
                     made_at=made_at, subject="Møtereferat")
    w = PdfWriter(pdf)
    w.title(title, agreement.municipality_name)
    if minutes.skjermet:
        w.banner(f"Skjermet / unntatt offentlighet: {entry.screening_basis}")
    _meeting_facts(w, meeting, agreement)
    w.field("Godkjent:", _day(minutes.approved_at) if minutes.approved_at else "ikke godkjent")
    if minutes.archive_reference:
        w.field("Arkivreferanse:", minutes.archive_reference)
    if index == 0:
        _participants(w, meeting)
        if meeting.agenda:
            _agenda_table(w, meeting, agreement)
        _decisions(w, meeting, agreement)
        _actions(w, meeting)
    w.heading("Referat" if index == 0 else "Vedlegg")
    w.paragraph(minutes.text or NOT_TRANSFERRED)
    return entry, pdf.finish()


def _participants(w: PdfWriter, meeting: Meeting) -> None:
    if not meeting.participants:
        return
    w.heading("Deltakere")
    w.paragraph("Roller og virksomheter; navn blir på telefonen.", size=9)
    rows = [(code_label(p.role) if p.role else "–", p.organisation or "–",
             "ja" if p.present else "nei") for p in meeting.participants]
    w.table(("Rolle", "Virksomhet", "Til stede"), rows, (70, 85, 25), figures=False)


def _decisions(w: PdfWriter, meeting: Meeting, agreement: Agreement) -> None:
    if not meeting.decisions:
        return
    w.heading("Vedtak")
    rows = [(str(n), d.text or NOT_TRANSFERRED, "ja" if d.consensus else "nei",
             _area(agreement, d.priority_area)) for n, d in enumerate(meeting.decisions, start=1)]
    w.table(("Nr.", "Vedtak", "Konsensus", "Område"), rows, (12, 104, 28, 36), figures=False)


def _actions(w: PdfWriter, meeting: Meeting) -> None:
    if not meeting.actions:
        return
    w.heading("Oppfølging")
    rows = [(a.description or NOT_TRANSFERRED, code_label(a.owner_role) if a.owner_role
             else "–", _day(a.due_date) if a.due_date else "–",
             _day(a.done_at) if a.done_at else "–") for a in meeting.actions]
    w.table(("Tiltak", "Ansvarlig", "Frist", "Utført"), rows, (92, 42, 23, 23), figures=False)
