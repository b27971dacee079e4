"""The metadata file beside each archived PDF: a Noark 5 arkivmelding with one journal entry.

    entry = ArchiveEntry(...)                   # what the export knows of one document
    xml = arkivmelding(entry, pdf_bytes, made_at)

One XML file per document (``<name>.xml`` beside ``<name>.pdf``) following Noark 5
arkivmelding v2 as Fiks Arkiv takes it (namespace ``.../noark5/arkivmelding/v2``, element
order of its schema, coded values as ``<kode>``/``<beskrivelse>`` pairs from the Fiks Arkiv
code lists), so the archive can take the pair in without anyone typing the metadata again.
The mapping, field by field:

==========================  ===================================================================
arkivmelding                From
==========================  ===================================================================
registrering xsi:type       ``journalpost``
systemID, meldingId         UUIDv5 of (record id, document part): the same document gets the
                            same id in every export, so the archive can see a re-delivery
tittel                      minutes: the internal title when it reached the backend (the phone
                            lets it go only when the officer marked the meeting's text free of
                            personal data and the detector found nothing), else the public
                            title, else «Møtereferat – <type> <dato>»; agenda: «Saksliste –
                            <type> <dato>»; evaluation: «Evaluering av samarbeidsavtalen
                            <år> – <kommune>»
offentligTittel             minutes: ``Minutes.public_title`` (else the generated title, which
                            names no one); agenda and evaluation: the same as tittel
skjerming                   only when ``Minutes.skjermet``:
  tilgangsrestriksjon       the paragraph of offentleglova named first in the basis («offl. §
                            13, jf. fvl. § 13» gives ``13``), else ``UO`` (unntatt offentlighet)
  skjermingshjemmel         ``Minutes.exemption_basis`` (validation requires one when screened)
  skjermingMetadata         ``TRO`` (words of the title; the public journal shows
                            offentligTittel)
  skjermingDokument         ``H`` (the whole document)
dokumentetsDato             minutes: ``approved_at`` (Oslo day), else the meeting day; agenda:
                            ``agenda_sent_at``, else the meeting day; evaluation: the day made
journalposttype             ``N`` (organinternt dokument for oppfølging) for minutes: they carry
                            decisions and follow-up actions; ``X`` (organinternt dokument uten
                            oppfølging) for agendas and the evaluation
journalstatus               ``F`` (ferdigstilt av saksbehandler): the archive journals it
referanseEksternNoekkel     fagsystem ``Politikontakt``, noekkel ``<record id>/<part>``
dokumentbeskrivelse         dokumenttype ``PROTOKOLL`` (minutes), ``VEDLEGG`` (annex),
                            ``DOKUMENT`` (agenda), ``RAPPORT`` (evaluation); dokumentstatus
                            ``F``; tilknyttetRegistreringSom ``H`` (hoveddokument); number 1
dokumentobjekt              versjonsnummer 1, variantformat ``A`` (arkivformat), format
                            ``RA-PDF`` with formatDetaljer ``PDF/A-2b`` (PRONOM fmt/476),
                            mimeType, filnavn and referanseDokumentfil (the PDF beside it),
                            sjekksum (SHA-256 of the PDF, hex), sjekksumAlgoritme ``SHA256``,
                            filstoerrelse (bytes)
virksomhetsspesifikke-      ``kommunenummer``: the municipality the meeting belongs to
Metadata
==========================  ===================================================================

Control characters are dropped from every text (XML 1.0 cannot hold them).
"""

from __future__ import annotations

import hashlib
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime

from .archive_pdf import PDF_FORMAT, PRONOM_FORMAT

NS = "http://www.arkivverket.no/standarder/noark5/arkivmelding/v2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SYSTEM = "Politikontakt"
ID_NAMESPACE = uuid.UUID("2f6b7a0e-8d1c-4b0f-9a7e-5c3d1e0f4a21")
# Coded values with the words of the Fiks Arkiv code lists.
JOURNAL_TYPES = {"N": "Organinternt dokument for oppfølging",
                 "X": "Organinternt dokument uten oppfølging"}
DOCUMENT_TYPES = {"PROTOKOLL": "Protokoll", "VEDLEGG": "Vedlegg", "DOKUMENT": "Dokument",
                  "RAPPORT": "Rapport"}
MINUTES, AGENDA, EVALUATION = "N", "X", "X"     # journalposttype per document kind
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_OFFL = re.compile(r"offl(?:\.|entleglova|entlighetsloven)?\s*§\s*(\d+\s?[a-z]?)", re.I)


@dataclass(frozen=True)
class ArchiveEntry:
    """What the export says of one document (the PDF beside it is named ``file_name``)."""

    key: str                      # "<record id>/<part>": stable across exports
    file_name: str                # "<stem>.pdf"
    title: str                    # tittel
    public_title: str             # offentligTittel
    document_date: date           # dokumentetsDato
    journalpost_type: str         # journalposttype: a key of JOURNAL_TYPES
    document_type: str            # dokumenttype: a key of DOCUMENT_TYPES
    municipality: str
    screened: bool = False        # skjerming present
    screening_basis: str = ""     # skjermingshjemmel

    @property
    def system_id(self) -> str:
        return str(uuid.uuid5(ID_NAMESPACE, self.key))


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def access_code(basis: str) -> tuple[str, str]:
    """tilgangsrestriksjon for a legal basis: the first offentleglova paragraph it names."""
    found = _OFFL.search(basis)
    if found is None:
        return "UO", "Unntatt offentlighet"
    paragraph = found.group(1).replace(" ", "")
    return paragraph, f"Unntatt etter offentlighetsloven § {paragraph}"


def _text(value: str) -> str:
    return _CONTROL.sub("", value)


def _add(parent: ET.Element, name: str, value: object | None = None) -> ET.Element:
    child = ET.SubElement(parent, f"{{{NS}}}{name}")
    if value is not None:
        child.text = _text(str(value))
    return child


def _code(parent: ET.Element, name: str, code: str, description: str) -> None:
    element = _add(parent, name)
    _add(element, "kode", code)
    _add(element, "beskrivelse", description)


def arkivmelding(entry: ArchiveEntry, pdf: bytes, made_at: datetime) -> bytes:
    """The entry as arkivmelding XML (UTF-8, with declaration), in the schema's order."""
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
    if entry.screened:
        screening = _add(post, "skjerming")
        _code(screening, "tilgangsrestriksjon", *access_code(entry.screening_basis))
        _add(screening, "skjermingshjemmel", entry.screening_basis)
        _code(screening, "skjermingMetadata", "TRO",
              "Skjerming tittel registrering - utvalgte ord")
        _code(screening, "skjermingDokument", "H", "Skjerming av hele dokumentet")
    _document(post, entry, pdf)
    _add(post, "tittel", entry.title)
    _add(post, "offentligTittel", entry.public_title)
    _add(_add(post, "virksomhetsspesifikkeMetadata"), "kommunenummer", entry.municipality)
    reference = _add(post, "referanseEksternNoekkel")
    _add(reference, "fagsystem", SYSTEM)
    _add(reference, "noekkel", entry.key)
    _code(post, "journalposttype", entry.journalpost_type,
          JOURNAL_TYPES[entry.journalpost_type])
    _code(post, "journalstatus", "F", "Ferdigstilt av saksbehandler")
    _add(post, "dokumentetsDato", entry.document_date.isoformat())
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _document(post: ET.Element, entry: ArchiveEntry, pdf: bytes) -> None:
    description = _add(post, "dokumentbeskrivelse")
    _add(description, "systemID", str(uuid.uuid5(ID_NAMESPACE, entry.key + "#1")))
    _code(description, "dokumenttype", entry.document_type,
          DOCUMENT_TYPES[entry.document_type])
    _code(description, "dokumentstatus", "F", "Dokumentet er ferdigstilt")
    _add(description, "tittel", entry.title)
    _code(description, "tilknyttetRegistreringSom", "H", "Hoveddokument")
    _add(description, "dokumentnummer", 1)
    document = _add(description, "dokumentobjekt")
    _add(document, "versjonsnummer", 1)
    _code(document, "variantformat", "A", "Arkivformat")
    _code(document, "format", "RA-PDF", "PDF/A")
    _add(document, "formatDetaljer", f"{PDF_FORMAT} (PRONOM {PRONOM_FORMAT})")
    _add(document, "mimeType", "application/pdf")
    _add(document, "filnavn", entry.file_name)
    _add(document, "referanseDokumentfil", entry.file_name)
    _add(document, "sjekksum", checksum(pdf))
    _add(document, "sjekksumAlgoritme", "SHA256")
    _add(document, "filstoerrelse", len(pdf))
