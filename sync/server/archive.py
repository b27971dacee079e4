"""Archive-ready exports: meeting agendas and minutes and the yearly evaluation as PDF/A-2b,
each with a Noark 5 arkivmelding beside it, for the municipality's archive (Fiks Arkiv).

    python -m sync.server archive export --db FILE --out DIR [--year YYYY] [--municipality CODE]

Writes ``DIR/<name>.pdf`` and ``DIR/<name>.xml`` per document (files 0600, the folder 0700 when
it is made). ``--out`` may not be a symlink and its parent must exist; a file already there
with a document's name is replaced (the same document keeps its name and its systemID, so the
archive sees a re-delivery). The database must exist: nothing is created.

What: the meetings of the municipality (the configured one unless ``--municipality``), held in
``--year`` when given, else all; see ``archive_meetings`` for what of a meeting may leave. The
evaluation (``fieldapp.report``, figures only, the same suppression as the report command)
of ``--year``; without ``--year``, of each year in which an exported meeting was held.
The metadata mapping to Noark 5 is in ``archive_noark``; the PDF/A choices in ``archive_pdf``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fieldapp.domain.agreement import Agreement
from fieldapp.domain.days import oslo_day
from fieldapp.report import Period, build_evaluation
from fieldapp.report import texts as report_texts
from fieldapp.report.sections import SECTIONS, started

from .admin import AdminError
from .archive_meetings import archivable_meetings, meeting_documents
from .archive_noark import EVALUATION, ArchiveEntry, arkivmelding
from .archive_pdf import ArchivePdf, PdfWriter
from .db import Database
from .report import backend_agreement, received_records

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class ArchiveError(AdminError):
    """The export cannot run as asked (the message says what to fix)."""


@dataclass(frozen=True)
class Written:
    entry: ArchiveEntry
    pdf: Path
    metadata: Path


def add_arguments(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                  command: Callable[..., argparse.ArgumentParser]) -> None:
    """``archive export`` under the CLI's subcommands; ``command`` adds a parser with --db."""
    group = sub.add_parser("archive", help="arkivklare eksporter / archive-ready exports"
                           ).add_subparsers(dest="action", required=True)
    export = command("export", "møtedokumenter og evaluering som PDF/A med Noark 5-metadata "
                     "/ meeting documents and the evaluation as PDF/A with Noark 5 metadata",
                     group)
    export.add_argument("--out", required=True, type=Path, help="folder for the files")
    export.add_argument("--year", type=int, help="only this year (meetings and evaluation)")
    export.add_argument("--municipality", default="", help="default: the configured one")


def run(args: argparse.Namespace) -> int:
    """The ``archive export`` command: opens the existing database itself, read-only."""
    db = Database(args.db, readonly=True)     # DatabaseMissing when there is none
    try:
        written = export(db, args.out, year=args.year, municipality=args.municipality)
    finally:
        db.close()
    for item in written:
        screened = " (skjermet / screened)" if item.entry.screened else ""
        print(f"{item.pdf.name}{screened}")
    print(f"{len(written)} dokument(er) / document(s) i / in {args.out}")
    return 0


def export(db: Database, out: Path, *, year: int | None = None, municipality: str = "",
           now: datetime | None = None) -> list[Written]:
    """Write every archivable document of the municipality into ``out``; returns them."""
    moment = now or datetime.now(UTC)
    if year is not None and not 2000 <= year <= 9999:
        raise ArchiveError("--year must be a four-digit year from 2000")
    folder = output_folder(out)
    agreement = backend_agreement(db, municipality)
    meetings = archivable_meetings(db, agreement.municipality, year, moment)
    documents = [doc for meeting in meetings
                 for doc in meeting_documents(meeting, agreement, moment)]
    years = {year} if year is not None else {oslo_day(m.starts_at).year for m in meetings}
    for each in sorted(years):
        documents.append(evaluation_document(db, agreement, each, moment))
    written = []
    for entry, pdf in documents:
        pdf_path = folder / entry.file_name
        xml_path = pdf_path.with_suffix(".xml")
        write_private(pdf_path, pdf)
        write_private(xml_path, arkivmelding(entry, pdf, moment))
        written.append(Written(entry, pdf_path, xml_path))
    return written


def output_folder(out: Path) -> Path:
    """``out`` checked (no symlink, an existing parent, a folder) and made (0700) if absent."""
    if out.is_symlink():
        raise ArchiveError(f"--out er en symbolsk lenke / is a symlink: {out}")
    parent = out.absolute().parent
    if not parent.is_dir():
        raise ArchiveError(f"mappen over --out finnes ikke / the parent of --out does not "
                           f"exist: {parent}")
    if out.exists() and not out.is_dir():
        raise ArchiveError(f"--out er ikke en mappe / is not a folder: {out}")
    out.mkdir(mode=0o700, exist_ok=True)
    return out


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` owner-only (0600), never through a symlink."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def evaluation_document(db: Database, agreement: Agreement, year: int,
                        now: datetime) -> tuple[ArchiveEntry, bytes]:
    """The year's evaluation (aggregates only: nothing in it is screened)."""
    period = Period.year(year)
    report = build_evaluation(agreement, received_records(db), period, now)
    heading = report_texts.text("title", "nb")
    title = f"{heading} {year} – {agreement.municipality_name}"
    entry = ArchiveEntry(key=f"evaluering/{agreement.municipality}/{year}",
                         file_name=f"evaluering_{agreement.municipality}_{year}.pdf",
                         title=title, public_title=title, document_date=oslo_day(now),
                         journalpost_type=EVALUATION, document_type="RAPPORT",
                         municipality=agreement.municipality)
    pdf = ArchivePdf(title=title, footer_note=f"{heading} – {agreement.municipality_name}",
                     made_at=now, subject="Evaluering")
    w = PdfWriter(pdf)
    parties = agreement.municipality_name
    if agreement.police_district:
        parties += f" {report_texts.text('and', 'nb')} {agreement.police_district}"
    w.title(title, parties)
    day = report_texts.short_date(oslo_day(now), "nb")
    w.paragraph(f"{report_texts.text('period', 'nb')}: "
                f"{report_texts.period_label(period, 'nb')}. "
                f"{report_texts.text('as_of', 'nb')} {day}. "
                f"{report_texts.text('made', 'nb')} {day}.")
    note = started(report, "nb")
    if note is not None:
        w.paragraph(note, bold=True)
    w.paragraph(report_texts.text("privacy", "nb"), size=9)
    w.paragraph(report_texts.text("method", "nb"), size=9)
    for section in SECTIONS:
        section(w, report)
    return entry, pdf.finish()
