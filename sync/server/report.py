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
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from fieldapp.domain import DecodeError, Record, from_dict
from fieldapp.domain.agreement import Agreement, agreement_for, agreements_from_json
from fieldapp.report import Period, build_evaluation, render_pdf, to_csv_bytes

from .admin import AdminError, received
from .db import Database

FORMATS = ("pdf", "csv")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def received_records(db: Database) -> list[Record]:
    """The newest revision of every record received, decoded; undecodable ones and ones
    without an entry time (``created_at``, which the report places records by) are skipped."""
    records = []
    for row in received(db):
        data = dict(row["record"])
        data.setdefault("id", row["id"])
        data.setdefault("kind", row["kind"])
        try:
            record = from_dict(data)
        except (DecodeError, TypeError, ValueError, KeyError):
            continue
        if isinstance(getattr(record, "created_at", None), datetime):
            records.append(record)      # one without its entry time cannot be counted
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
    write_private(out, data)
    return len(data)


def write_private(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` readable by the owner only (0600), never through a link.

    ``out`` must be a regular file or not exist yet, in a folder that exists (a typo does not
    create folders). The bytes go to a new file next to it (``O_EXCL | O_NOFOLLOW``), which
    then replaces ``out``: a symlink or hard link planted at ``out`` meanwhile is replaced, the
    file it points to is never written.
    """
    if out.is_symlink():
        raise AdminError(f"--out er en symbolsk lenke; rapporten skrives ikke gjennom den / "
                         f"--out is a symbolic link; refusing to write through it: {out}")
    if out.exists() and not out.is_file():
        raise AdminError(f"--out er ikke en vanlig fil / --out is not a regular file: {out}")
    if not out.parent.is_dir():
        raise AdminError(f"mappen finnes ikke / the folder does not exist: {out.parent}")
    temporary = out.with_name(f".{out.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
