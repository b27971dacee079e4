"""What the municipality's IT and the SLT coordinator do from the command line."""

from __future__ import annotations

import csv
import io
import json
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from fieldapp.domain.codes import RECIPIENTS
from fieldapp.report.csv_export import safe_row

from .db import Conn, Database, normalise_code, secret_hash

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LIFETIME = timedelta(hours=24)
CONTACT_COLUMNS = {
    "name": "name", "navn": "name", "role": "role", "rolle": "role",
    "organisation": "organisation", "organization": "organisation", "virksomhet": "organisation",
    "phone": "phone", "telefon": "phone", "email": "email", "e-post": "email", "epost": "email",
    "last_verified": "last_verified", "sist_bekreftet": "last_verified", "id": "id",
}
REFERENCE_NAMESPACE = uuid.UUID("6f1f2d4e-3c55-4d0e-9a51-2b7c9a1d0c11")


class AdminError(ValueError):
    """A command could not do what was asked (the message says what to fix)."""


def new_enrolment_code(db: Database, device_name: str, *, now: datetime | None = None) -> str:
    """A one-time code (about 59 bits, 24 h) for a new device; only its hash is stored."""
    moment = now or datetime.now(UTC)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    with db.transaction() as conn:
        device_id = str(uuid.uuid4())
        conn.execute("INSERT INTO devices (id, name, created_at, code_hash, code_expires_at) "
                     "VALUES (?, ?, ?, ?, ?)",
                     (device_id, device_name, moment.isoformat(),
                      secret_hash(normalise_code(code)), (moment + CODE_LIFETIME).isoformat()))
        db.audit(conn, "enrolment_code", "issued", device_id=device_id)
    return "-".join(code[i:i + 4] for i in range(0, 12, 4))


def revoke(db: Database, device_name: str = "", *, device_id: str = "",
           now: datetime | None = None) -> int:
    """Revoke every device with that name (the CLI), or the one with ``device_id`` (the
    console's button for one phone); their tokens stop working at once."""
    moment = (now or datetime.now(UTC)).isoformat()
    column, value = ("id", device_id) if device_id else ("name", device_name)
    with db.transaction() as conn:
        rows = conn.execute(f"SELECT id FROM devices WHERE {column} = ? "  # noqa: S608
                            "AND revoked_at IS NULL", (value,)).fetchall()
        for row in rows:
            conn.execute("UPDATE devices SET revoked_at = ?, code_hash = NULL WHERE id = ?",
                         (moment, row[0]))
            db.audit(conn, "revoke", "accepted", device_id=row[0])
    return len(rows)


def configure(db: Database, **values: str | None) -> dict[str, str]:
    if values.get("recipient") and values["recipient"] not in RECIPIENTS:
        raise AdminError(f"recipient must be one of {', '.join(RECIPIENTS)}")
    for key, value in values.items():
        if value is not None:
            db.set_meta(key, value)
    return {k: db.meta(k) for k in ("municipality", "recipient", "name", "min_app_version")}


def set_legal_basis_policy(db: Database, device: str, codes: str) -> list[str]:
    """Let a device (or "*": every device) claim these legal bases; returns them, checked."""
    from fieldapp.domain.codes import LEGAL_BASES

    from .checks import LEGAL_BASIS_POLICY

    allowed = sorted({c.strip() for c in codes.split(",") if c.strip()})
    unknown = [c for c in allowed if c not in LEGAL_BASES]
    if unknown:
        raise AdminError(f"unknown legal basis: {', '.join(unknown)}; known: "
                         f"{', '.join(LEGAL_BASES)}")
    try:
        policy = json.loads(db.meta(LEGAL_BASIS_POLICY) or "{}")
    except ValueError:
        policy = {}
    policy = policy if isinstance(policy, dict) else {}
    policy[device] = allowed
    db.set_meta(LEGAL_BASIS_POLICY, json.dumps(policy, sort_keys=True))
    return allowed


def _read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect: type[csv.Dialect] = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.DictReader(io.StringIO(text), dialect=dialect))


def import_contacts(db: Database, path: Path) -> dict[str, int]:
    """Replace the crisis-staff list with the file's rows (columns in English or bokmål)."""
    contacts: dict[str, dict[str, Any]] = {}
    for n, row in enumerate(_read_csv(path), start=2):
        data = {CONTACT_COLUMNS[k.strip().lower()]: (v or "").strip()
                for k, v in row.items() if k and k.strip().lower() in CONTACT_COLUMNS}
        if not data.get("name") or not data.get("role"):
            raise AdminError(f"line {n}: name and role are required")
        if any(len(v) > 200 for v in data.values()):
            raise AdminError(f"line {n}: a value is longer than 200 characters")
        verified = data.get("last_verified") or None
        if verified:
            try:
                datetime.strptime(verified, "%Y-%m-%d")
            except ValueError as exc:
                raise AdminError(f"line {n}: last_verified must be YYYY-MM-DD") from exc
        key = data.pop("id", "") or str(uuid.uuid5(
            REFERENCE_NAMESPACE, f"{data['role'].lower()}|{data['name'].lower()}"))
        contacts[key] = {"name": data["name"], "role": data["role"],
                         "organisation": data.get("organisation", ""),
                         "phone": data.get("phone", ""), "email": data.get("email", ""),
                         "last_verified": verified}
    return replace_reference(db, "crisis_contact", contacts)


def import_schools(db: Database, path: Path) -> dict[str, int]:
    schools: dict[str, dict[str, Any]] = {}
    for n, row in enumerate(_read_csv(path), start=2):
        lowered = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        name = lowered.get("name") or lowered.get("navn") or ""
        if not name or len(name) > 200:
            raise AdminError(f"line {n}: a school needs a name (at most 200 characters)")
        key = lowered.get("id") or str(uuid.uuid5(REFERENCE_NAMESPACE, "school|" + name.lower()))
        schools[key] = {"name": name}
    return replace_reference(db, "school", schools)


def replace_reference(db: Database, kind: str,
                       wanted: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Append a change to the feed for every row that is new, changed or gone."""
    counts = {"added": 0, "changed": 0, "removed": 0, "unchanged": 0}
    with db.transaction() as conn:
        current = {r["id"]: r for r in conn.execute(
            "SELECT id, data, deleted FROM reference WHERE kind = ?", (kind,))}
        for key, data in wanted.items():
            text = json.dumps(data, sort_keys=True, ensure_ascii=False)
            old = current.get(key)
            if old is not None and not old["deleted"] and old["data"] == text:
                counts["unchanged"] += 1
                continue
            counts["changed" if old is not None and not old["deleted"] else "added"] += 1
            _append(conn, kind, key, text, deleted=False)
        for key, old in current.items():
            if key not in wanted and not old["deleted"]:
                counts["removed"] += 1
                _append(conn, kind, key, "{}", deleted=True)
        db.audit(conn, f"import_{kind}", "accepted", reason=json.dumps(counts))
    return counts


def _append(conn: Conn, kind: str, key: str, data: str, *, deleted: bool) -> None:
    conn.execute("DELETE FROM reference WHERE kind = ? AND id = ?", (kind, key))
    conn.execute("INSERT INTO reference (kind, id, data, deleted) VALUES (?, ?, ?, ?)",
                 (kind, key, data, int(deleted)))


def received(db: Database) -> list[dict[str, Any]]:
    """The newest revision of every record received, oldest first."""
    rows = db.query(
        "SELECT r.* FROM records r JOIN (SELECT id, MAX(revision) AS rev FROM records "
        "GROUP BY id) m ON r.id = m.id AND r.revision = m.rev ORDER BY r.received_at, r.id")
    return [{"id": r["id"], "kind": r["kind"], "revision": r["revision"],
             "municipality": r["municipality"], "received_at": r["received_at"],
             "device_id": r["device_id"], "basis": r["basis"],
             "record": json.loads(r["payload"])} for r in rows]


def export(db: Database, out: TextIO, fmt: str = "csv") -> int:
    rows = received(db)
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return len(rows)
    fixed = ["id", "kind", "revision", "municipality", "received_at", "device_id", "basis"]
    extra = sorted({k for r in rows for k in r["record"]} - set(fixed))
    writer = csv.writer(out)
    writer.writerow(safe_row(fixed + extra))      # the record's keys come from the phone
    for r in rows:
        writer.writerow(safe_row([r[k] for k in fixed] +
                                 [_cell(r["record"].get(k)) for k in extra]))
    return len(rows)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
