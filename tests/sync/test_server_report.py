"""The backend's evaluation report: the same figures as the phone's, from what it received."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
import requests

from fieldapp.domain import (
    Consent,
    CrisisCallout,
    FollowUpCase,
    Observation,
    SchoolVisit,
    to_dict,
)
from fieldapp.domain.agreement import default_agreement
from fieldapp.domain.meetings import AgendaItem, Meeting
from fieldapp.report import Period, build_evaluation, to_csv_bytes
from fieldapp.report.csv_export import safe_cell
from sync import enrolments, sync_now
from sync.protocol import make_item, payload_hash
from sync.server import report
from tests.support.backend import server_cli
from tests.sync.sync_helpers import FAST, ForgedClient

AS_OF = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def _fill(lb) -> None:
    """A small year in Gjesdal: visits, observations, callouts, a case and meetings."""
    for month, day in ((1, 12), (1, 27), (3, 3), (6, 8), (9, 14), (11, 2)):
        lb.add(SchoolVisit(municipality="1122", school="Gjesdal ungdomsskole",
                           checked_in_at=_at(month, day), priority_area="rus_krim_u18"))
    for i, place in enumerate(["Torget"] * 4 + ["Skatebanen"] * 2 + ["Stasjonen"]):
        lb.add(Observation(municipality="1122", place=place, observed_at=_at(2 + i, 5, 21),
                           categories={"alcohol"} if i % 2 else {"unrest"}, youth_count=5,
                           priority_area="ungdomsmiljo" if i < 4 else ""))
    lb.add(CrisisCallout(municipality="1122", event_type="flood", called_at=_at(10, 3),
                         text_free_of_personal=True))
    for month, sent in ((2, 14), (4, 3), (9, 1)):
        starts = _at(month + 1, 2)
        lb.add(Meeting(municipality="1122", meeting_type="politirad", starts_at=starts,
                       agenda_sent_at=starts - timedelta(days=sent),
                       agenda=[AgendaItem(public_title="Samarbeidsavtalen",
                                          priority_area="rus_krim_u18")]))
    case = lb.add(FollowUpCase(municipality="1122", person_name="Ola Nordmann",
                               birth_date=date(2011, 3, 4), concern="Skulker skolen",
                               services={"skole"}, opened_at=_at(4, 20)))
    lb.add(Consent(case_id=case, given_by="Kari Nordmann", recipients={"slt"},
                   purpose="SLT-oppfølging", given_at=_at(4, 21)))


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_backend_report_equals_the_phone_report(enrolled, backend):
    backend.configure(municipality="1122")
    _fill(enrolled)
    result = sync_now(enrolled, **FAST)
    assert result.ok, result.errors
    agreement = default_agreement("1122")
    period = Period.year(2026)
    periods = (period, Period.half(2026, 1), Period.half(2026, 2))
    phone = [to_csv_bytes(build_evaluation(agreement, enrolled.list(), p, AS_OF))
             for p in periods]
    db = backend.admin_db()
    try:
        assert len(report.received_records(db)) == 19
        served_all = [report.report_bytes(db, p, "csv", as_of=AS_OF) for p in periods]
        received = report.received_records(db)
    finally:
        db.close()
    # the same suppressed and withheld cells for the year and both halves, phone and backend
    assert [_rows(s) for s in served_all] == [_rows(p) for p in phone]
    served = served_all[0]
    flat = [cell for row in _rows(served) for cell in row]
    assert "<3" in flat              # a place seen once is pooled or suppressed
    assert "Ola Nordmann" not in served.decode("utf-8-sig")
    areas = {a.code: a for a in build_evaluation(agreement, received, period,
                                                 AS_OF).priority_areas}
    assert (areas["rus_krim_u18"].school_visits, areas["ungdomsmiljo"].observations) == (6, 4)


def test_half_year_differs_from_the_year(enrolled, backend):
    backend.configure(municipality="1122")
    _fill(enrolled)
    assert sync_now(enrolled, **FAST).ok
    db = backend.admin_db()
    try:
        year = report.report_bytes(db, Period.year(2026), "csv", as_of=AS_OF)
        half = report.report_bytes(db, report.period_of(2026, 1), "csv", as_of=AS_OF)
    finally:
        db.close()
    assert year != half and "2026" in half.decode("utf-8-sig")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_report_command_writes_a_pdf(enrolled, backend, tmp_path):
    backend.configure(municipality="1122")
    _fill(enrolled)
    assert sync_now(enrolled, **FAST).ok
    out = tmp_path / "evaluering.pdf"
    done = server_cli("report", "--db", backend.db_path, "--year", "2026", "--out", out,
                      timeout=120)
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          timeout=60).stdout
    assert "Gjesdal" in text and "2026" in text and "Ola" not in text


def test_report_without_municipality_is_a_clear_error(db_target, tmp_path):
    assert server_cli("config", "--db", db_target, "--name", "Mottak").returncode \
        == 0
    done = server_cli("report", "--db", db_target, "--year", "2026",
                      "--format", "csv", "--out", tmp_path / "r.csv")
    assert done.returncode == 2 and "municipality" in done.stderr
    assert not (tmp_path / "r.csv").exists()


def test_report_endpoint_needs_a_device_token(enrolled, backend):
    backend.configure(municipality="1122")
    _fill(enrolled)
    assert sync_now(enrolled, **FAST).ok
    url = backend.url + "/v1/report"
    headers = {"X-App-Version": "0.1.0"}
    refused = requests.get(url, params={"year": 2026}, headers=headers, timeout=10)
    assert refused.status_code == 401
    headers["Authorization"] = "Bearer " + enrolments(enrolled)[0].token
    csv_reply = requests.get(url, params={"year": 2026, "format": "csv"}, headers=headers,
                             timeout=30)
    assert csv_reply.status_code == 200 and csv_reply.headers["content-type"].startswith(
        "text/csv")
    assert "Gjesdal ungdomsskole" in csv_reply.content.decode("utf-8-sig")
    pdf_reply = requests.get(url, params={"year": 2026, "half": 2}, headers=headers, timeout=30)
    assert pdf_reply.status_code == 200 and pdf_reply.content.startswith(b"%PDF")
    bad = requests.get(url, params={"year": 2026, "format": "xlsx"}, headers=headers, timeout=10)
    assert bad.status_code == 422


FORMULAS = ["=HYPERLINK(\"http://x\";\"y\")", "+1+2 skole", "-2+3 skole", "@SUM(A1)",
            "\tTab skole", "  =1+1", "\uff1d1+1", "\u3000=1+1"]
TRIGGERS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"


def _observation_item(place: str, month: int) -> dict:
    seen = Observation(municipality="1122", place=place, observed_at=_at(month, 5, 21),
                       categories={"unrest"}, youth_count=5)
    data = {k: v for k, v in to_dict(seen).items()
            if k != "sync_state" and v not in ("", [], None)}
    data["revision"] = 1
    return make_item(seen.id, seen.kind, 1, data, [], "")


def test_report_csv_cells_are_never_formulas(backend):
    """A forged client with a valid token names places as formulas; the report names every
    place seen three times or more, so each must come out as text."""
    forger = ForgedClient(backend)
    try:
        results = forger.push(*[_observation_item(place, month) for place in FORMULAS
                                for month in (2, 3, 4)])
    finally:
        forger.close()
    assert [r["status"] for r in results] == ["accepted"] * 3 * len(FORMULAS), results
    db = backend.admin_db()
    try:
        data = report.report_bytes(db, Period.year(2026), "csv", as_of=AS_OF)
    finally:
        db.close()
    cells = [cell for row in _rows(data) for cell in row]
    for name in FORMULAS:       # the report trims a place's spaces, tabs included
        name = name.strip()
        assert ("'" + name if name[0] in TRIGGERS else name) in cells, name
    for cell in cells:
        head = cell.lstrip(" \u3000")[:1]
        assert not head or head not in TRIGGERS or re.fullmatch(r"-?[0-9]+", cell), cell


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+47", "'+47"), ("-", "'-"), ("-1+2", "'-1+2"), ("@x", "'@x"),
    ("\t1", "'\t1"), ("\r1", "'\r1"), (" =1", "' =1"), ("\u00a0\u00a0@x", "'\u00a0\u00a0@x"),
    ("\uff1d1", "'\uff1d1"), ("\uff0d1", "'\uff0d1"), ("\ufe62A", "'\ufe62A"),
    ("-3", "-3"), ("-1,5", "-1,5"), ("12", "12"), ("<3", "<3"), ("4\u20135", "4\u20135"),
    ("Gjesdal ungdomsskole", "Gjesdal ungdomsskole"), ("", ""), ("a=b", "a=b"),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_a_pushed_record_without_its_entry_time_does_not_break_the_report(backend):
    """Found by the schema fuzzer: an observation with ``created_at: null`` was taken, and
    every report after it failed with 500."""
    item = _observation_item("Torget", 3)
    item["record"]["created_at"] = None
    item["hash"] = payload_hash(item)
    forger = ForgedClient(backend)
    try:
        forger.push(item)
        reply = forger.session.get(backend.url + "/v1/report", timeout=30,
                                   params={"year": 2026, "format": "csv"})
    finally:
        forger.close()
    assert reply.status_code == 200, reply.text
