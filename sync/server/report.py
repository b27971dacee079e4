"""The evaluation report built by the municipal backend from what the phones sent.

    python -m sync.server report --db FILE --year 2026 [--half 1|2] [--format pdf|csv] --out FILE

The backend holds only what the consent gate let go, which is all the report reads (it counts
shareable fields only), so the SLT coordinator gets the same figures as the phone without it —
and the same suppressed cells: the disclosure rules (``fieldapp.report.disclosure``; a year
adds up its half-years' published figures) depend on the records alone.
The agreement is the one stored with ``config``-style meta key ``agreement`` (JSON, as the
phone stores it), else the signed default of the backend's municipality.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from fieldapp.domain import DecodeError, Record, from_dict
from fieldapp.domain.agreement import Agreement, agreement_for, agreements_from_json
from fieldapp.report import Period, build_evaluation, render_pdf, to_csv_bytes

from .admin import AdminError, received
from .db import Database

FORMATS = ("pdf", "csv")


def received_records(db: Database) -> list[Record]:
    """The newest revision of every record received, decoded; undecodable ones are skipped."""
    records = []
    for row in received(db):
        data = dict(row["record"])
        data.setdefault("id", row["id"])
        data.setdefault("kind", row["kind"])
        try:
            records.append(from_dict(data))
        except (DecodeError, TypeError, ValueError, KeyError):
            continue
    return records


def backend_agreement(db: Database, municipality: str = "") -> Agreement:
    """The stored agreement of the municipality, else the signed default; AdminError if none."""
    code = municipality or db.meta("municipality")
    if not code:
        raise AdminError("no municipality: pass --municipality or run config --municipality")
    raw = db.meta("agreement")
    stored = agreements_from_json(json.loads(raw)) if raw else {}
    agreement = agreement_for(code, stored)
    if agreement is None:
        raise AdminError(f"no agreement known for municipality {code}")
    return agreement


def period_of(year: int, half: int | None) -> Period:
    return Period.half(year, half) if half else Period.year(year)


def report_bytes(db: Database, period: Period, fmt: str = "pdf", *, municipality: str = "",
                 lang: str = "nb", as_of: datetime | None = None) -> bytes:
    if fmt not in FORMATS:
        raise AdminError(f"unknown format {fmt}")
    agreement = backend_agreement(db, municipality)
    report = build_evaluation(agreement, received_records(db), period,
                              as_of or datetime.now(UTC))
    return render_pdf(report, lang) if fmt == "pdf" else to_csv_bytes(report, lang)


def write_report(db: Database, out: Path, period: Period, fmt: str = "pdf", *,
                 municipality: str = "", lang: str = "nb", as_of: datetime | None = None) -> int:
    data = report_bytes(db, period, fmt, municipality=municipality, lang=lang, as_of=as_of)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return len(data)
