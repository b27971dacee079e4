"""The reference municipal backend: FastAPI over SQLite or PostgreSQL (wire protocol v1, see
PROTOCOL.md; the database: db.py).

    app = create_app("kommune.sqlite3")          # uvicorn.run(app, host=..., port=...)

Every /v1 call but enrolment needs ``Authorization: Bearer <device token>``; every call sends
``X-App-Version`` and gets 426 when the app is older than ``min_app_version``. Both are checked
by the edge (``edge.py``) before a byte of the body is read, and bodies are capped as they
stream (413). Enrolment is throttled per client address (``throttle.py``: 429 with
``Retry-After``); refused attempts are counted, not audited one by one (``refusals.py``).
Errors are ``{"error": {"code", "message"}}``. Logs carry event, record id, status, duration
and error class, never content, tokens or codes.
"""

import asyncio
import contextlib
import json
import logging
import math
import secrets
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from fieldapp.domain.consent import ConsentGate
from fieldapp.domain.consent_status import BACKEND_CLOCK_SKEW

from ..protocol import MAX_REFERENCE_PAGE, PROTOCOL_VERSION, parse_version
from . import report
from .admin import AdminError
from .checks import Policy
from .console import mount_console
from .db import Database, normalise_code, secret_hash
from .edge import Edge
from .intake import Receiver
from .models import (
    EnrolReply,
    EnrolRequest,
    PushReply,
    PushRequest,
    ReferenceReply,
    StatusReply,
)
from .refusals import RefusalLog
from .throttle import Throttle, client_key
from .tombstones import TombstoneReply, TombstoneRequest, scrub_wal, take_tombstones
from .withdrawals import SWEEP_EVERY, rejudge_cases, sweep

log = logging.getLogger("sync.server")
MAX_CURSOR = 2**63 - 1      # SQLite's largest integer: a larger cursor is a 422, not a 500
Clock = Callable[[], datetime]


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, *,
                 headers: dict[str, str] | None = None, **extra: Any):
        self.status, self.code, self.message, self.extra = status, code, message, extra
        self.headers = headers
        super().__init__(code)


def error_response(status: int, code: str, message: str, *,
                   headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status,
                        headers=headers)


def too_many_attempts(wait: float) -> ApiError:
    seconds = max(1, math.ceil(wait))
    return ApiError(429, "too_many_attempts", "Too many failed attempts from this address; "
                    "wait before trying again.", headers={"Retry-After": str(seconds)},
                    retry_after=seconds)


def create_app(db_path: str | Path, *, clock: Clock | None = None) -> FastAPI:
    db = Database(db_path)
    now: Clock = clock or (lambda: datetime.now(UTC))
    gate = ConsentGate(skew=BACKEND_CLOCK_SKEW)
    app = FastAPI(title="Politikontakt – kommunalt mottak (referanse)", version="1",
                  description="Wire protocol v1 between the police contact's phone and the "
                              "municipality. See sync/PROTOCOL.md.",
                  docs_url=None, redoc_url=None, lifespan=_lifespan)
    app.state.db = db
    app.state.sweep_consents = lambda: sweep(db, db.meta("recipient"), now(), gate)
    throttle, refusals = Throttle(), RefusalLog(db, now)
    app.state.enrol_throttle, app.state.refusals = throttle, refusals
    check_version, device = _guards(db)
    Device = Annotated[dict[str, Any], Depends(device)]
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(check_version)])

    @v1.post("/enrol", response_model=EnrolReply)
    def enrol(body: EnrolRequest, request: Request) -> dict[str, Any]:
        client = client_key(request.client.host if request.client else None)
        wait = throttle.check(client)
        if wait:
            refusals.record("enrol", client, "throttled")
            raise too_many_attempts(wait)
        reply = redeem_code(db, body.code, now())
        if reply is None:
            throttle.fail(client)
            refusals.record("enrol", client, "code_invalid")
            raise ApiError(401, "enrolment_code_invalid",
                           "The enrolment code is wrong, used or expired.")
        throttle.success(client)
        return reply

    @v1.get("/status", response_model=StatusReply)
    def status(dev: Device) -> dict[str, Any]:
        return {"protocol": PROTOCOL_VERSION, "server_name": db.meta("name"),
                "municipality": db.meta("municipality"), "recipient": db.meta("recipient"),
                "min_app_version": db.meta("min_app_version"),
                "server_time": now().isoformat(), "device_name": dev["name"]}

    @v1.post("/push", response_model=PushReply)
    def push(body: PushRequest, dev: Device) -> dict[str, Any]:
        municipality = db.meta("municipality")
        receiver = Receiver(db, dev["id"], db.meta("recipient"),
                            Policy.load(db, dev["name"], municipality), now(), gate)
        with db.transaction() as conn:
            results = receiver.take_batch(conn, [item.wire() for item in body.items])
            # a consent withdrawn (or no longer covering): its case's content goes too
            ended = rejudge_cases(db, conn, receiver.consent_cases, receiver.recipient,
                                  receiver.now, gate)
        if receiver.corrected or ended:
            scrub_wal(db)   # the content removed must not linger in the WAL
        return {"results": results}

    @v1.post("/tombstones", response_model=TombstoneReply)
    def tombstones(body: TombstoneRequest, dev: Device) -> dict[str, Any]:
        return take_tombstones(db, dev["id"], body.items, now())

    @v1.get("/reference", response_model=ReferenceReply)
    def reference(dev: Device, cursor: Annotated[int, Query(ge=0, le=MAX_CURSOR)] = 0,
                  limit: Annotated[int, Query(ge=1, le=MAX_REFERENCE_PAGE)] =
                  MAX_REFERENCE_PAGE) -> dict[str, Any]:
        return reference_page(db, cursor, limit)

    @v1.get("/report", response_class=Response,
             responses={200: {"content": {"application/pdf": {}, "text/csv": {}}}})
    def evaluation_report(dev: Device, year: Annotated[int, Query(ge=2000, le=2100)],
                          half: Annotated[int, Query(ge=0, le=2)] = 0,
                          fmt: Annotated[str, Query(alias="format",
                                                    pattern="^(pdf|csv)$")] = "pdf",
                          lang: Annotated[str, Query(pattern="^(nb|en)$")] = "nb") -> Response:
        try:
            data = report.report_bytes(db, report.period_of(year, half or None), fmt,
                                       lang=lang, as_of=now())
        except AdminError as exc:
            raise ApiError(409, "no_agreement", "No agreement known for this backend.") \
                from exc
        log.info("report status=sent device=%s year=%s half=%s", dev["id"], year, half)
        media = "application/pdf" if fmt == "pdf" else "text/csv; charset=utf-8"
        return Response(data, media_type=media)

    app.include_router(v1)
    app.add_middleware(Edge, db=db)
    _install_handlers(app)
    mount_console(app, db, now)
    return app


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    sweeping = asyncio.create_task(_sweep_consents(app.state.sweep_consents))
    yield
    sweeping.cancel()
    app.state.refusals.flush()      # the refused attempts counted since the last write


async def _sweep_consents(sweep_once: Callable[[], list[str]]) -> None:
    """A consent that expires needs no sync to end its case's content: judge again at
    start-up and every ``SWEEP_EVERY`` seconds (withdrawals.py)."""
    while True:
        try:
            await asyncio.to_thread(sweep_once)
        except Exception as exc:  # noqa: BLE001 - the next round tries again
            log.error("consent_sweep status=failed error=%s", type(exc).__name__)
        await asyncio.sleep(SWEEP_EVERY)


def _guards(db: Database) -> tuple[Callable[..., None], Callable[..., dict[str, Any]]]:
    """The version check every /v1 call passes and the device-token check."""
    bearer = HTTPBearer(auto_error=False)

    def check_version(version: Annotated[str, Header(alias="X-App-Version")] = "") -> None:
        minimum = db.meta("min_app_version")
        have, need = parse_version(version), parse_version(minimum) or (0,)
        if have is None or have < need:
            raise ApiError(426, "app_too_old", "The app is too old for this backend.",
                           min_version=minimum)

    def device(credentials: Annotated[HTTPAuthorizationCredentials | None,
                                      Depends(bearer)]) -> dict[str, Any]:
        token = credentials.credentials if credentials else ""
        rows = db.query("SELECT id, name, revoked_at FROM devices WHERE token_hash = ?",
                        (secret_hash(token),)) if token else []
        if not rows:
            raise ApiError(401, "unauthorized", "Unknown device token.")
        if rows[0]["revoked_at"]:
            raise ApiError(401, "device_revoked", "This device has been revoked.")
        return dict(rows[0])

    return check_version, device


def redeem_code(db: Database, code: str, now: datetime) -> dict[str, Any] | None:
    """Trade a one-time code for a new device token (only its hash is kept); None when the
    code is wrong, used or expired (the caller counts that refusal, see refusals.py)."""
    token = secrets.token_urlsafe(32)
    moment = now.isoformat()
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT id, name FROM devices WHERE code_hash = ? AND token_hash IS NULL AND "
            "revoked_at IS NULL AND code_expires_at > ?",
            (secret_hash(normalise_code(code)), moment)).fetchone()
        if row is not None:
            conn.execute("UPDATE devices SET token_hash = ?, enrolled_at = ?, code_hash = NULL "
                         "WHERE id = ?", (secret_hash(token), moment, row["id"]))
            db.audit(conn, "enrol", "accepted", device_id=row["id"])
    if row is None:
        return None
    log.info("enrol status=accepted device=%s", row["id"])
    return {"token": token, "device_id": row["id"], "device_name": row["name"],
            "municipality": db.meta("municipality"), "recipient": db.meta("recipient"),
            "server_name": db.meta("name")}


def reference_page(db: Database, cursor: int, limit: int) -> dict[str, Any]:
    rows = db.query("SELECT seq, kind, id, data, deleted FROM reference WHERE seq > ? "
                    "ORDER BY seq LIMIT ?", (cursor, limit + 1))
    page = rows[:limit]
    items = [{"seq": r["seq"], "kind": r["kind"], "id": r["id"], "deleted": bool(r["deleted"]),
              "data": {} if r["deleted"] else json.loads(r["data"])} for r in page]
    return {"items": items, "cursor": page[-1]["seq"] if page else cursor,
            "more": len(rows) > limit}


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, headers=exc.headers,
                              **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()][:20]
        return error_response(422, "invalid_request",
                              "The request does not match protocol v1.", fields=fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, "http_error", "Not found or not allowed.")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        log.error("http path=%s status=500 error=%s", request.url.path, type(exc).__name__)
        return error_response(500, "internal", "The backend failed; try again later.")
