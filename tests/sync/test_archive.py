"""Archive-ready exports: meetings synced from a real phone to the real backend, exported with
``python -m sync.server archive export``, every PDF checked with an independent parser
(pypdf; poppler's pdffonts/pdftotext too when installed) and every metadata file against the
meeting it came from."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from fieldapp.domain.codec import to_dict
from fieldapp.domain.meetings import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingAction,
    Minutes,
    Participant,
)
from sync import sync_now
from tests.support.backend import server_cli
from tests.sync.sync_helpers import FAST

NS = {"n": "http://www.arkivverket.no/standarder/noark5/arkivmelding/v2"}
CHILD = "Ola Nordmann"           # a minor's name typed into the meeting: it may not leave
EXEMPTION = "offl. § 13, jf. fvl. § 13"


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=UTC)


def _council() -> Meeting:
    """A politiråd whose text is not marked free of personal data: only shareable fields go."""
    starts = _at(2026, 3, 2)
    return Meeting(
        municipality="1122", meeting_type="politirad", starts_at=starts, place="Rådhuset Ålgård",
        agenda_sent_at=starts - timedelta(days=9),
        agenda=[AgendaItem(public_title="Samarbeidsavtalen – årlig gjennomgang",
                           internal_title=f"Bekymring for {CHILD}",
                           priority_area="rus_krim_u18"),
                AgendaItem(public_title="Ungdomsmiljøet på Torget", priority_area="ungdomsmiljo")],
        participants=[Participant(role="ordforer", organisation="Gjesdal kommune",
                                  name="Kari Ordfører"),
                      Participant(role="politikontakt", organisation="Sør-Vest politidistrikt",
                                  name="Per Politi", present=False)],
        decisions=[Decision(text=f"{CHILD} følges opp av SLT", priority_area="rus_krim_u18")],
        actions=[MeetingAction(description=f"Ringe foreldrene til {CHILD}",
                               owner_role="slt_koordinator", due_date=date(2026, 3, 20))],
        minutes=[Minutes(public_title="Referat fra politirådet mars 2026",
                         internal_title=f"Referat – {CHILD}", text=f"{CHILD} ble drøftet.",
                         approved_at=_at(2026, 3, 16)),
                 Minutes(public_title="Vedlegg: drøfting av enkeltsak",
                         text=f"Om {CHILD}.", skjermet=True, exemption_basis=EXEMPTION)])


def _working_group() -> Meeting:
    """An SLT meeting whose text the officer marked free of personal data: it goes."""
    return Meeting(
        municipality="1122", meeting_type="slt_arbeidsgruppe", starts_at=_at(2026, 9, 14, 12),
        place="Gjesdal ungdomsskole", text_free_of_personal=True,
        decisions=[Decision(text="Øke tilstedeværelsen på Torget i helgene", consensus=False)],
        minutes=[Minutes(public_title="Referat SLT-arbeidsgruppa september",
                         internal_title="Referat SLT – helgetiltak på Torget",
                         text="Gruppa drøftet ærlig økt innsats, særlig på Øvre Ålgård.")])


@pytest.fixture
def synced(enrolled, backend):
    """Five meetings on a real phone, pushed through sync_now to the real backend."""
    ids = {"council": enrolled.add(_council()), "group": enrolled.add(_working_group())}
    ids["cancelled"] = enrolled.add(Meeting(
        municipality="1122", starts_at=_at(2026, 5, 4), cancelled_at=_at(2026, 5, 1),
        agenda=[AgendaItem(public_title="Avlyst møte")]))
    ids["no_minutes"] = enrolled.add(Meeting(
        municipality="1122", meeting_type="slt_arbeidsgruppe", starts_at=_at(2026, 6, 8),
        decisions=[Decision(text="Sommertiltak for ungdom")]))
    ids["last_year"] = enrolled.add(Meeting(
        municipality="1122", starts_at=_at(2025, 10, 6),
        minutes=[Minutes(public_title="Referat oktober 2025")]))
    result = sync_now(enrolled, **FAST)
    assert result.ok, result.errors
    stored = {r["id"] for r in backend.rows("SELECT id FROM records WHERE kind = 'meeting'")}
    assert stored == set(ids.values())
    return ids


def _export(backend, out, *extra):
    return server_cli("archive", "export", "--db", backend.db_path, "--out", out, *extra,
                      timeout=180)


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _fonts(reader: PdfReader) -> list:
    """Every font the pages use, with the descendant fonts of composite (Type0) fonts."""
    found = []
    for page in reader.pages:
        for font in _resolve(_resolve(page["/Resources"]).get("/Font", {})).values():
            font = _resolve(font)
            found.append(font)
            found.extend(_resolve(d) for d in _resolve(font.get("/DescendantFonts", [])))
    return found


def _check_pdfa(data: bytes) -> str:
    """The PDF/A properties an archive relies on; returns the extracted text."""
    reader = PdfReader(io.BytesIO(data))
    fonts = _fonts(reader)
    assert fonts
    for font in fonts:
        if font["/Subtype"] == "/Type0":
            continue                      # its glyphs are in the descendant font checked too
        descriptor = _resolve(font["/FontDescriptor"])
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font.get("/BaseFont")
    xmp = reader.xmp_metadata
    assert xmp is not None
    xml = xmp.stream.get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xml
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xml
    intents = _resolve(reader.trailer["/Root"]["/OutputIntents"])
    assert len(intents) >= 1
    intent = _resolve(intents[0])
    assert intent["/S"] == "/GTS_PDFA1"
    profile = _resolve(intent["/DestOutputProfile"])
    assert profile["/N"] == 3 and len(profile.get_data()) > 500   # an ICC (sRGB) profile
    assert "/Encrypt" not in reader.trailer
    return "\n".join(page.extract_text() for page in reader.pages)


def _metadata(path) -> ET.Element:
    root = ET.parse(path).getroot()
    post = root.find("n:registrering", NS)
    assert post is not None
    return post


def _value(post: ET.Element, path: str) -> str | None:
    element = post.find(path, NS)
    return None if element is None else element.text


def test_export_gives_pdfa_documents_with_noark_metadata(synced, backend, tmp_path):
    out = tmp_path / "arkiv"
    done = _export(backend, out, "--year", "2026")
    assert done.returncode == 0, done.stderr
    council, group = synced["council"][:8], synced["group"][:8]
    pdfs = sorted(p.name for p in out.glob("*.pdf"))
    assert pdfs == sorted([
        f"2026-03-02_politirad_{council}_saksliste.pdf",
        f"2026-03-02_politirad_{council}_referat.pdf",
        f"2026-03-02_politirad_{council}_referat-vedlegg-1.pdf",
        f"2026-06-08_slt_arbeidsgruppe_{synced['no_minutes'][:8]}_referat.pdf",
        f"2026-09-14_slt_arbeidsgruppe_{group}_referat.pdf",
        "evaluering_1122_2026.pdf"])
    assert sorted(p.name for p in out.glob("*.xml")) == [p[:-4] + ".xml" for p in pdfs]
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    texts = {}
    for name in pdfs:
        pdf = out / name
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
        assert stat.S_IMODE(pdf.with_suffix(".xml").stat().st_mode) == 0o600
        data = pdf.read_bytes()
        texts[name] = _check_pdfa(data)
        post = _metadata(pdf.with_suffix(".xml"))
        document = "n:dokumentbeskrivelse/n:dokumentobjekt/"
        assert _value(post, document + "n:sjekksum") == hashlib.sha256(data).hexdigest()
        assert _value(post, document + "n:sjekksumAlgoritme") == "SHA256"
        assert _value(post, document + "n:referanseDokumentfil") == name
        assert _value(post, document + "n:filstoerrelse") == str(len(data))
        assert _value(post, document + "n:filnavn") == name
        assert (_value(post, document + "n:formatDetaljer") or "").startswith("PDF/A-2b")
        assert _value(post, "n:tittel") in " ".join(texts[name].split())
        raw = pdf.with_suffix(".xml").read_text("utf-8")
        for secret in (CHILD, "Kari Ordfører", "Per Politi"):
            assert secret not in texts[name] and secret not in raw

    minutes = " ".join(texts[f"2026-03-02_politirad_{council}_referat.pdf"].split())
    assert "Referat fra politirådet mars 2026" in minutes and "Rådhuset Ålgård" in minutes
    assert "Ordfører" in minutes and "Sør-Vest politidistrikt" in minutes    # roles, no names
    assert "Ikke overført fra telefonen" in minutes and "Til stede der ungdom" in minutes
    group_text = " ".join(texts[f"2026-09-14_slt_arbeidsgruppe_{group}_referat.pdf"].split())
    assert "Øke tilstedeværelsen på Torget i helgene" in group_text
    assert "ærlig økt innsats, særlig på Øvre Ålgård" in group_text
    evaluation = " ".join(texts["evaluering_1122_2026.pdf"].split())
    assert "Evaluering av samarbeidsavtalen 2026" in evaluation and "Gjesdal" in evaluation


def test_metadata_maps_the_meeting_to_noark_fields(synced, backend, tmp_path):
    out = tmp_path / "arkiv"
    assert _export(backend, out, "--year", "2026").returncode == 0
    council, group = _council(), _working_group()
    stem = f"2026-03-02_politirad_{synced['council'][:8]}"
    main = _metadata(out / f"{stem}_referat.xml")
    # the internal title named the child: it did not reach the backend, so tittel is public
    assert _value(main, "n:tittel") == council.minutes[0].public_title
    assert _value(main, "n:offentligTittel") == council.minutes[0].public_title
    assert _value(main, "n:journalposttype/n:kode") == "N"
    assert _value(main, "n:dokumentbeskrivelse/n:dokumenttype/n:kode") == "PROTOKOLL"
    assert _value(main, "n:dokumentetsDato") == "2026-03-16"           # approved_at
    assert main.find("n:skjerming", NS) is None
    annex = _metadata(out / f"{stem}_referat-vedlegg-1.xml")
    assert _value(annex, "n:offentligTittel") == council.minutes[1].public_title
    assert _value(annex, "n:skjerming/n:skjermingshjemmel") == EXEMPTION
    assert _value(annex, "n:skjerming/n:skjermingDokument/n:kode") == "H"
    assert _value(annex, "n:skjerming/n:tilgangsrestriksjon/n:kode") == "13"   # offl. § 13
    assert _value(annex, "n:dokumentbeskrivelse/n:dokumenttype/n:kode") == "VEDLEGG"
    assert _value(annex, "n:dokumentetsDato") == "2026-03-02"          # not approved: the day
    agenda = _metadata(out / f"{stem}_saksliste.xml")
    assert _value(agenda, "n:journalposttype/n:kode") == "X"
    assert agenda.find("n:skjerming", NS) is None
    assert _value(agenda, "n:dokumentetsDato") == "2026-02-21"         # agenda_sent_at
    assert _value(agenda, "n:referanseEksternNoekkel/n:noekkel") == \
        f"{synced['council']}/saksliste"
    slt = _metadata(out / f"2026-09-14_slt_arbeidsgruppe_{synced['group'][:8]}_referat.xml")
    # marked free of personal data: the internal title reached the backend and is tittel
    assert _value(slt, "n:tittel") == group.minutes[0].internal_title
    assert _value(slt, "n:offentligTittel") == group.minutes[0].public_title
    ids = [_value(_metadata(p), "n:systemID") for p in sorted(out.glob("*.xml"))]
    assert len(set(ids)) == len(ids) == 6
    made = _metadata(out / f"2026-06-08_slt_arbeidsgruppe_{synced['no_minutes'][:8]}_referat.xml")
    assert _value(made, "n:tittel") == _value(made, "n:offentligTittel") == \
        "Møtereferat – SLT-arbeidsgruppe 08.06.2026"
    # a second export gives the same documents the same systemID (the archive sees a re-delivery)
    again = tmp_path / "igjen"
    assert _export(backend, again, "--year", "2026").returncode == 0
    assert [_value(_metadata(p), "n:systemID") for p in sorted(again.glob("*.xml"))] == ids
    annex_text = _check_pdfa((out / f"{stem}_referat-vedlegg-1.pdf").read_bytes())
    assert "Skjermet" in annex_text and EXEMPTION in " ".join(annex_text.split())


def test_without_year_every_meeting_year_and_no_cancelled_meeting(synced, backend, tmp_path):
    out = tmp_path / "alt"
    done = _export(backend, out)
    assert done.returncode == 0, done.stderr
    names = [p.name for p in out.glob("*.pdf")]
    assert any(synced["last_year"][:8] in n for n in names)
    assert not any(synced["cancelled"][:8] in n for n in names)
    assert {"evaluering_1122_2025.pdf", "evaluering_1122_2026.pdf"} <= set(names)
    assert len(names) == 8       # 2026: 5 of meetings and the evaluation; 2025: 1 and 1


def test_a_row_stored_under_an_older_rule_cannot_carry_a_name_out(backend, tmp_path):
    """The export runs the consent gate again: a stored participant name or unmarked decision
    text (say, from before a rule changed) stays out of the archive."""
    meeting = Meeting(municipality="1122", starts_at=_at(2026, 4, 7),
                      participants=[Participant(role="rektor", name=CHILD)],
                      decisions=[Decision(text=f"Hjelpe {CHILD}")],
                      minutes=[Minutes(public_title="Referat april", text=f"Om {CHILD}")])
    payload = dict(to_dict(meeting), kind="meeting", revision=1)
    payload.pop("sync_state", None)
    backend.execute("INSERT INTO records VALUES (?, 1, 'meeting', '1122', 'old', 'h', ?, '', "
                    "'[]', ?)", (meeting.id, json.dumps(payload), _at(2026, 4, 8).isoformat()))
    out = tmp_path / "arkiv"
    done = _export(backend, out, "--year", "2026")
    assert done.returncode == 0, done.stderr
    [minutes] = out.glob(f"*{meeting.id[:8]}_referat.pdf")
    text = _check_pdfa(minutes.read_bytes())
    assert "Referat april" in text and "Rektor" in text
    assert CHILD not in text and "Ikke overført fra telefonen" in text


def test_refuses_a_symlink_a_missing_parent_and_a_missing_database(backend, tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    done = _export(backend, link)
    assert done.returncode == 2 and "symlink" in done.stderr and not any(target.iterdir())
    done = _export(backend, tmp_path / "missing" / "arkiv")
    assert done.returncode == 2 and "parent" in done.stderr
    assert not (tmp_path / "missing").exists()
    typo = tmp_path / "kommune.sqlite3x"
    done = server_cli("archive", "export", "--db", typo, "--out", tmp_path / "a")
    assert done.returncode == 2 and "does not exist" in done.stderr
    assert not typo.exists() and not (tmp_path / "a").exists()


@pytest.mark.skipif(shutil.which("pdffonts") is None and os.environ.get("CI") != "true",
                    reason="poppler-utils not installed (make browser installs it)")
def test_poppler_sees_every_font_embedded(synced, backend, tmp_path):
    out = tmp_path / "arkiv"
    assert _export(backend, out, "--year", "2026").returncode == 0
    pdfs = sorted(out.glob("*.pdf"))
    assert pdfs, "the export wrote no PDF"
    for pdf in pdfs:
        listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                                 timeout=60, check=True).stdout.splitlines()[2:]
        assert listing and all(line.split()[-5] == "yes" for line in listing), listing
