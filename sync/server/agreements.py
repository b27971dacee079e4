"""The cooperation agreement kept by the municipal backend, and sent down to the phones.

    python -m sync.server agreement import --db FILE agreement.json
    python -m sync.server agreement export --db FILE [--municipality CODE]

The file is the phone's JSON form of an agreement (``fieldapp.domain.agreement``): one object,
or a list of them. An import checks every agreement with the same rules as the phone, keeps
the list in the meta key ``agreement`` (which the evaluation report reads) and puts each
agreement on the reference feed with its municipality code as id, so every enrolled phone gets
it at its next sync. ``export`` prints what is stored, else the signed default of the
configured municipality: the starting point for an edit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from fieldapp.domain.agreement import (
    JSON_VERSION,
    Agreement,
    agreement_errors,
    agreement_for,
    agreement_to_json,
    agreements_from_json,
    with_agreement,
)
from fieldapp.domain.codec import DecodeError, from_fields

from .admin import AdminError, replace_reference
from .db import Database

REFERENCE_KIND = "agreement"
MAX_FILE_BYTES = 1024 * 1024


def _read(path: Path) -> list[dict[str, Any]]:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise AdminError("the agreement file is larger than 1 MiB")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise AdminError(f"not JSON: line {exc.lineno}, column {exc.colno}") from None
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(item, dict) for item in items):
        raise AdminError("expected an agreement object or a list of them")
    return items


def _checked(item: dict[str, Any], n: int) -> Agreement:
    """The agreement in ``item``; AdminError naming what is wrong (agreements hold no personal
    data, so naming the parts is safe)."""
    if item.get("version") != JSON_VERSION:
        raise AdminError(f"agreement {n}: unknown format (\"version\" must be {JSON_VERSION})")
    try:
        agreement = from_fields(Agreement, item)
    except (DecodeError, TypeError, ValueError):
        raise AdminError(f"agreement {n}: a value is missing or unreadable") from None
    wrong = agreement_errors(agreement)
    if wrong:
        raise AdminError(f"agreement {n}: invalid {', '.join(wrong)}")
    return agreement


def stored_agreements(db: Database) -> list[dict[str, Any]]:
    raw = db.meta("agreement")
    try:
        stored = json.loads(raw) if raw else []
    except json.JSONDecodeError:
        return []
    return stored if isinstance(stored, list) else []


def import_agreements(db: Database, path: Path) -> dict[str, int]:
    """Check and store the file's agreements (replacing those of the same municipalities) and
    publish all stored agreements on the reference feed."""
    checked = [_checked(item, n) for n, item in enumerate(_read(path), start=1)]
    stored = stored_agreements(db)
    for agreement in checked:
        stored = with_agreement(stored, agreement)
    db.set_meta("agreement", json.dumps(stored, ensure_ascii=False, sort_keys=True))
    published = {code: agreement_to_json(a)
                 for code, a in agreements_from_json(stored).items()}
    return replace_reference(db, REFERENCE_KIND, published)


def export_agreements(db: Database, out: TextIO, municipality: str = "") -> int:
    """Print the stored agreements (or the one of ``municipality``), else the signed default."""
    stored = agreements_from_json(stored_agreements(db))
    code = municipality or db.meta("municipality")
    if municipality or not stored:
        agreement = agreement_for(code, stored) if code else None
        if agreement is None:
            raise AdminError("no agreement known: pass --municipality or import one")
        chosen = [agreement]
    else:
        chosen = list(stored.values())
    out.write(json.dumps([agreement_to_json(a) for a in chosen], ensure_ascii=False,
                         indent=2, default=str) + "\n")
    return len(chosen)
