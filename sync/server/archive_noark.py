"""The metadata file beside each archived PDF: a Noark 5 "arkivmelding" with one journal entry.

    entry = ArchiveEntry(...)                   # what the export knows of one document
    xml = arkivmelding(entry, pdf_bytes, made_at)

One XML file per document (``<name>.xml`` beside ``<name>.pdf``), in the namespace of Noark 5
arkivmelding, so Fiks Arkiv (or any Noark 5 core) can take the pair in without a person
typing the metadata again. The mapping, field by field:

==========================  ===================================================================
Noark 5 (arkivmelding)      From
==========================  ===================================================================
registrering xsi:type       ``journalpost``
systemID                    UUIDv5 of (record id, document part): the same document gets the
                            same id in every export, so the archive can see a re-delivery
tittel                      minutes: the internal title when it reached the backend (the phone
                            lets it go only when the officer marked the meeting's text free of
                            personal data and the detector found nothing), else the public
                            title, else «Møtereferat – <type> <dato>»; agenda: «Saksliste –
                            <type> <dato>»; evaluation: «Evaluering av samarbeidsavtalen
                            <år> – <kommune>»
offentligTittel             minutes: ``Minutes.public_title`` (else the generated title, which
                            names no one); agenda and evaluation: the same as tittel
skjerming                   present only when ``Minutes.skjermet``:
  tilgangsrestriksjon       ``UO`` (unntatt offentlighet; the municipality may map it to its
                            own access code)
  skjermingshjemmel         ``Minutes.exemption_basis`` (validation requires one when screened)
  skjermingMetadata         ``tittel`` (the public journal shows offentligTittel)
  skjermingDokument         ``Hele`` (the whole document)
dokumentetsDato             minutes: ``approved_at`` (Oslo day), else the meeting day; agenda:
                            ``agenda_sent_at``, else the meeting day; evaluation: the day made
journalposttype             ``N`` (organinternt dokument for oppfølging) for minutes: they carry
                            decisions and follow-up actions; ``X`` (organinternt dokument uten
                            oppfølging) for agendas and the evaluation. Noark 5 codes (M082);
                            an archive that wants the words maps N/X to them
journalstatus               ``F`` (ferdigstilt fra saksbehandler): the archive journals it
referanseEksternNoekkel     fagsystem ``Politikontakt``, noekkel ``<record id>/<part>``
dokumentbeskrivelse         dokumenttype (Møtereferat, Saksliste, Rapport), dokumentstatus
                            ``F`` (ferdigstilt), tilknyttetRegistreringSom ``H`` (hoveddokument),
                            dokumentnummer 1, tittel as above
dokumentobjekt              versjonsnummer 1, variantformat ``A`` (arkivformat), format
                            ``fmt/476`` (PRONOM: PDF/A-2b) with formatDetaljer ``PDF/A-2b``,
                            referanseDokumentfil (the PDF's file name), sjekksum (SHA-256 of the
                            PDF, hex), sjekksumAlgoritme ``SHA256``, filstoerrelse (bytes)
==========================  ===================================================================

Codes rather than words: Noark 5's extraction format (avlevering) writes "Organinternt
dokument for oppfølging"; arkivmelding and Fiks Arkiv take the codes. Control characters are
dropped from every text (XML 1.0 cannot hold them).
"""

from __future__ import annotations

import hashlib
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime

from .archive_pdf import PDF_FORMAT, PRONOM_FORMAT

NS = "http://www.arkivverket.no/standarder/noark5/arkivmelding"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SYSTEM = "Politikontakt"
ID_NAMESPACE = uuid.UUID("2f6b7a0e-8d1c-4b0f-9a7e-5c3d1e0f4a21")
MINUTES, AGENDA, EVALUATION = "N", "X", "X"     # journalposttype per document kind
ACCESS_CODE = "UO"                              # tilgangsrestriksjon of a screened document
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class ArchiveEntry:
    """What the export says of one document (the PDF beside it is named ``file_name``)."""

    key: str                      # "<record id>/<part>": stable across exports
    file_name: str                # "<stem>.pdf"
    title: str                    # tittel
    public_title: str             # offentligTittel
    document_date: date           # dokumentetsDato
    journalpost_type: str         # journalposttype (N or X)
    document_type: str            # dokumenttype (Møtereferat, Saksliste, Rapport)
    municipality: str
    screened: bool = False        # skjerming present
    screening_basis: str = ""     # skjermingshjemmel

    @property
    def system_id(self) -> str:
        return str(uuid.uuid5(ID_NAMESPACE, self.key))


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _text(value: str) -> str:
    return _CONTROL.sub("", value)


def _add(parent: ET.Element, name: str, value: object | None = None) -> ET.Element:
    child = ET.SubElement(parent, f"{{{NS}}}{name}")
    if value is not None:
        child.text = _text(str(value))
    return child


def arkivmelding(entry: ArchiveEntry, pdf: bytes, made_at: datetime) -> bytes:
    """The entry as arkivmelding XML (UTF-8, with declaration)."""
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{NS}}}arkivmelding")
    _add(root, "system", SYSTEM)
    _add(root, "meldingId", entry.system_id)
    _add(root, "tidspunkt", made_at.isoformat(timespec="seconds"))
    _add(root, "antallFiler", 1)
    post = _add(root, "registrering")
    post.set(f"{{{XSI}}}type", "journalpost")
    _add(post, "systemID", entry.system_id)
    reference = _add(post, "referanseEksternNoekkel")
    _add(reference, "fagsystem", SYSTEM)
    _add(reference, "noekkel", entry.key)
    _add(post, "tittel", entry.title)
    _add(post, "offentligTittel", entry.public_title)
    if entry.screened:
        screening = _add(post, "skjerming")
        _add(screening, "tilgangsrestriksjon", ACCESS_CODE)
        _add(screening, "skjermingshjemmel", entry.screening_basis)
        _add(screening, "skjermingMetadata", "tittel")
        _add(screening, "skjermingDokument", "Hele")
    _document(post, entry, pdf)
    _add(post, "journalposttype", entry.journalpost_type)
    _add(post, "journalstatus", "F")
    _add(post, "dokumentetsDato", entry.document_date.isoformat())
    _add(post, "virksomhetsspesifikkeMetadata").append(_kommune(entry.municipality))
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _document(post: ET.Element, entry: ArchiveEntry, pdf: bytes) -> None:
    description = _add(post, "dokumentbeskrivelse")
    _add(description, "systemID", str(uuid.uuid5(ID_NAMESPACE, entry.key + "#1")))
    _add(description, "dokumenttype", entry.document_type)
    _add(description, "dokumentstatus", "F")
    _add(description, "tittel", entry.title)
    _add(description, "tilknyttetRegistreringSom", "H")
    _add(description, "dokumentnummer", 1)
    document = _add(description, "dokumentobjekt")
    _add(document, "versjonsnummer", 1)
    _add(document, "variantformat", "A")
    _add(document, "format", PRONOM_FORMAT)
    _add(document, "formatDetaljer", PDF_FORMAT)
    _add(document, "referanseDokumentfil", entry.file_name)
    _add(document, "sjekksum", checksum(pdf))
    _add(document, "sjekksumAlgoritme", "SHA256")
    _add(document, "filstoerrelse", len(pdf))


def _kommune(code: str) -> ET.Element:
    element = ET.Element(f"{{{NS}}}kommunenummer")
    element.text = _text(code)
    return element
