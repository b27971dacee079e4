"""The coordinator's pages: what was received, a case, a record, meetings, the evaluation.

Every page that shows content writes an access line to the audit (event ``console_view``,
the record id where there is one, ``reason`` naming the user id and the page): who saw what,
when. Ids only: no names or content in URLs, logs or the audit.
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from fieldapp.domain.codes import UUID_PATTERN

from .. import report
from ..admin import AdminError
from ..db import Database
from . import received, report_view
from .received import Filters
from .sessions import PATH, Session
from .web import Console, Refusal, Viewer

DATE = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"


def audit_view(db: Database, session: Session, page: str, record_id: str | None = None,
               status: str = "shown") -> None:
    with db.transaction() as conn:
        db.audit(conn, "console_view", status, record_id=record_id,
                 reason=f"user={session.user.id} page={page}")


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise Refusal(400, "bad_form") from None


def _uuid(value: str) -> str:
    if not UUID_PATTERN.match(value):
        raise Refusal(404, "not_found")
    return value


def router(console: Console) -> APIRouter:
    db = console.db
    r = APIRouter(prefix=PATH, include_in_schema=False)

    def filters(municipality: str, kind: str, since: str, until: str, area: str) -> Filters:
        return Filters(municipality, kind if kind in received.LISTED_KINDS else "",
                       _date(since), _date(until), area)

    @r.get("/")
    def home(session: Viewer) -> Response:
        return RedirectResponse(PATH + "/mottatt", status_code=303)

    @r.get("/mottatt")
    def received_page(request: Request, session: Viewer,
                      kommune: Annotated[str, Query(max_length=8)] = "",
                      kind: Annotated[str, Query(alias="type", max_length=40)] = "",
                      fra: Annotated[str, Query(pattern=DATE)] = "",
                      til: Annotated[str, Query(pattern=DATE)] = "",
                      omrade: Annotated[str, Query(max_length=40)] = "") -> HTMLResponse:
        chosen = filters(kommune, kind, fra, til, omrade)
        rows = received.received_rows(db, chosen, console.now())
        audit_view(db, session, "received")
        return console.page(request, "received.html", session, rows=rows, chosen=chosen,
                            kinds=received.LISTED_KINDS,
                            municipalities=received.municipalities(db))

    @r.get("/sak/{case_id}")
    def case_page(request: Request, session: Viewer, case_id: str) -> HTMLResponse:
        view = received.case_view(db, _uuid(case_id), console.now())
        if view is None:
            raise Refusal(404, "not_found")
        audit_view(db, session, "case", case_id, "shown" if view.covered else "withheld")
        return console.page(request, "case.html", session, case=view)

    @r.get("/post/{record_id}")
    def record_page(request: Request, session: Viewer, record_id: str) -> Response:
        row = received.newest(db, _uuid(record_id))
        if row is None or row["kind"] not in received.LISTED_KINDS:
            raise Refusal(404, "not_found")
        if row["kind"] == "follow_up_case":
            return RedirectResponse(f"{PATH}/sak/{record_id}", status_code=303)
        audit_view(db, session, "record", record_id)
        return console.page(request, "record.html", session, kind=row["kind"],
                            record_id=record_id, municipality=row["municipality"],
                            shown=received.record_fields(row["record"]))

    @r.get("/moter")
    def meetings_page(request: Request, session: Viewer,
                      kommune: Annotated[str, Query(max_length=8)] = "",
                      fra: Annotated[str, Query(pattern=DATE)] = "",
                      til: Annotated[str, Query(pattern=DATE)] = "") -> HTMLResponse:
        chosen = filters(kommune, "meeting", fra, til, "")
        audit_view(db, session, "meetings")
        return console.page(request, "meetings.html", session,
                            meetings=received.meetings(db, chosen), chosen=chosen,
                            municipalities=received.municipalities(db))

    def year_now() -> int:
        return console.now().year

    @r.get("/rapport")
    def report_page(request: Request, session: Viewer,
                    ar: Annotated[int, Query(ge=2000, le=2100)] = 0,
                    halvar: Annotated[int, Query(ge=0, le=2)] = 0) -> HTMLResponse:
        year = ar or year_now()
        try:
            built = report_view.build(db, year, halvar, console.now())
        except AdminError:
            return console.page(request, "report.html", session, year=year, half=halvar,
                                period="", charts=[], missing=True)
        period, charts = report_view.charts(built, console.lang(request))
        return console.page(request, "report.html", session, year=year, half=halvar,
                            period=period, charts=charts, missing=False)

    @r.get("/rapport/fil")
    def report_file(request: Request, session: Viewer,
                    ar: Annotated[int, Query(ge=2000, le=2100)],
                    halvar: Annotated[int, Query(ge=0, le=2)] = 0,
                    format: Annotated[str, Query(pattern="^(pdf|csv)$")] = "pdf") -> Response:
        lang = console.lang(request)
        try:
            data = report.report_bytes(db, report.period_of(ar, halvar or None), format,
                                       lang=lang, as_of=console.now())
        except AdminError:
            raise Refusal(404, "no_agreement") from None
        name = f"evaluering-{ar}{f'-h{halvar}' if halvar else ''}.{format}"
        media = "application/pdf" if format == "pdf" else "text/csv; charset=utf-8"
        return Response(data, media_type=media, headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})

    return r
