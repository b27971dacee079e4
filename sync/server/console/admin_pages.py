"""The admin's pages: phones (enrol, revoke), the crisis-staff list, the agreement, users.

Each change goes through the backend's own commands (``admin``, ``agreements``, ``users``),
so the console checks exactly what the command line checks. Those read files: a form's text
is handed to them as a file in a private temporary folder (0700) that is removed at once.
"""

import contextlib
import csv
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .. import admin, agreements
from ..admin import AdminError
from ..db import Database
from . import users
from .coordinator import _uuid, audit_view
from .sessions import PATH, Session
from .web import Admin, CheckedAdmin, Console, Form

T = TypeVar("T")
CONTACT_FIELDS = ("id", "name", "role", "organisation", "phone", "email", "last_verified")


def _through_file(text: str, suffix: str, work: Callable[[Path], T]) -> T:
    with tempfile.TemporaryDirectory(prefix="konsoll-") as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)
        return work(path)


def contacts(db: Database) -> list[dict[str, Any]]:
    rows = db.query("SELECT id, data FROM reference WHERE kind = 'crisis_contact' AND "
                    "deleted = 0 ORDER BY seq")
    found = [dict(json.loads(r["data"]), id=r["id"]) for r in rows]
    return sorted(found, key=lambda c: (str(c.get("role", "")), str(c.get("name", ""))))


def _contacts_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CONTACT_FIELDS)
    for row in rows:
        writer.writerow([row.get(k) or "" for k in CONTACT_FIELDS])
    return out.getvalue()


def router(console: Console) -> APIRouter:
    db = console.db
    r = APIRouter(prefix=PATH + "/admin", include_in_schema=False)

    def devices_page(request: Request, session: Session, **extra: Any) -> HTMLResponse:
        rows = db.query("SELECT id, name, created_at, enrolled_at, revoked_at FROM devices "
                        "ORDER BY created_at DESC")
        return console.page(request, "devices.html", session, devices=rows,
                            code=extra.get("code", ""), code_for=extra.get("code_for", ""),
                            message=extra.get("message", ""))

    @r.get("/telefoner")
    def devices(request: Request, session: Admin) -> HTMLResponse:
        return devices_page(request, session)

    @r.post("/telefoner")
    def enrol(request: Request, session: CheckedAdmin, form: Form) -> HTMLResponse:
        name = form.get("name", "").strip()[:80]
        if not name:
            return devices_page(request, session)
        code = admin.new_enrolment_code(db, name, now=console.now())
        return devices_page(request, session, code=code, code_for=name)

    @r.post("/telefoner/{device_id}/tilbakekall")
    def revoke(request: Request, session: CheckedAdmin, device_id: str) -> HTMLResponse:
        count = admin.revoke(db, device_id=_uuid(device_id), now=console.now())
        return devices_page(request, session, message=("revoked_n", count))

    def contacts_page(request: Request, session: Session, message: Any = "") -> HTMLResponse:
        audit_view(db, session, "contacts")
        return console.page(request, "contacts.html", session, contacts=contacts(db),
                            message=message)

    def save_contacts(request: Request, session: Session, text: str) -> HTMLResponse:
        try:
            counts = _through_file(text, ".csv", lambda p: admin.import_contacts(db, p))
        except AdminError as exc:
            return contacts_page(request, session, ("failed", str(exc)))
        return contacts_page(request, session, ("changed", " ".join(
            f"{k}={v}" for k, v in counts.items())))

    @r.get("/krisestab")
    def contact_list(request: Request, session: Admin) -> HTMLResponse:
        return contacts_page(request, session)

    @r.post("/krisestab")
    def contact_save(request: Request, session: CheckedAdmin, form: Form) -> HTMLResponse:
        wanted = {k: form.get(k, "").strip() for k in CONTACT_FIELDS}
        rows = [c for c in contacts(db) if c["id"] != wanted["id"]] + [wanted]
        return save_contacts(request, session, _contacts_csv(rows))

    @r.post("/krisestab/{contact_id}/fjern")
    def contact_remove(request: Request, session: CheckedAdmin,
                       contact_id: str) -> HTMLResponse:
        rows = [c for c in contacts(db) if c["id"] != contact_id]
        return save_contacts(request, session, _contacts_csv(rows))

    @r.post("/krisestab/import")
    def contact_import(request: Request, session: CheckedAdmin, form: Form) -> HTMLResponse:
        return save_contacts(request, session, form.get("csv", ""))

    def agreement_page(request: Request, session: Session, text: str | None = None,
                       message: Any = "") -> HTMLResponse:
        if text is None:
            out = io.StringIO()
            with contextlib.suppress(AdminError):
                agreements.export_agreements(db, out)
            text = out.getvalue()
        return console.page(request, "agreement.html", session, text=text, message=message)

    @r.get("/avtale")
    def agreement(request: Request, session: Admin) -> HTMLResponse:
        return agreement_page(request, session)

    @r.post("/avtale")
    def publish(request: Request, session: CheckedAdmin, form: Form) -> HTMLResponse:
        text = form.get("agreement", "")
        try:
            counts = _through_file(text, ".json",
                                   lambda p: agreements.import_agreements(db, p))
        except AdminError as exc:
            return agreement_page(request, session, text, ("failed", str(exc)))
        return agreement_page(request, session, None, ("changed", " ".join(
            f"{k}={v}" for k, v in counts.items())))

    def users_page(request: Request, session: Session, message: Any = "",
                   status: int = 200) -> HTMLResponse:
        return console.page(request, "users.html", session, users=users.list_users(db),
                            roles=users.ROLES, message=message, status=status)

    @r.get("/brukere")
    def user_list(request: Request, session: Admin) -> HTMLResponse:
        return users_page(request, session)

    @r.post("/brukere")
    def user_add(request: Request, session: CheckedAdmin, form: Form) -> HTMLResponse:
        try:
            users.add_user(db, form.get("name", ""), form.get("role", ""),
                           form.get("password", ""), console.now())
        except users.UserError as exc:
            return users_page(request, session, ("failed", str(exc)), 400)
        return users_page(request, session, ("changed", form.get("name", "").strip()))

    @r.post("/brukere/{user_id}/deaktiver")
    def user_disable(request: Request, session: CheckedAdmin, user_id: str) -> HTMLResponse:
        if _uuid(user_id) != session.user.id:
            users.disable_user(db, user_id, console.now())
        return users_page(request, session)

    return r
