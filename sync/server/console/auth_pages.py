"""Signing in and out. The login form carries a double-submit token (no session yet); a
failed login says the same whatever was wrong (unknown name, wrong password, locked,
deactivated), and counts toward the account's lockout (``users``) and toward the client
address's limit (``throttle``: while it holds, the form answers 429 without trying)."""

import math

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..throttle import client_key
from . import sessions, users
from .sessions import PATH
from .web import SECURITY_HEADERS, Checked, Console, Form, Refusal


def router(console: Console) -> APIRouter:
    db = console.db
    r = APIRouter(prefix=PATH, include_in_schema=False)

    def login_form(request: Request, *, failed: str = "", status: int = 200) -> HTMLResponse:
        token = sessions.login_token(request)
        response = console.page(request, "login.html", None, csrf=token, failed=failed,
                                status=status)
        sessions.set_cookie(request, response, sessions.LOGIN_COOKIE, token, max_age=3600)
        return response

    @r.get("/login")
    def login_page(request: Request) -> Response:
        if sessions.current(db, request, console.now()) is not None:
            return RedirectResponse(PATH + "/mottatt", status_code=303,
                                    headers=SECURITY_HEADERS)
        return login_form(request)

    @r.post("/login")
    def login(request: Request, form: Form) -> Response:
        expected = request.cookies.get(sessions.LOGIN_COOKIE, "")
        if not sessions.origin_ok(request) or \
                not sessions.same_token(expected, form.get("csrf", "")):
            raise Refusal(403, "csrf")
        client = client_key(request.client.host if request.client else None)
        refusals = getattr(request.app.state, "refusals", None)

        def refused(reason: str) -> None:
            if refusals is not None:
                refusals.record("console_login", client, reason)

        wait = console.throttle.check(client)
        if wait:
            refused("throttled")
            response = login_form(request, failed="too_many", status=429)
            response.headers["Retry-After"] = str(math.ceil(wait))
            return response
        user = users.authenticate(db, form.get("name", ""), form.get("password", ""),
                                  console.now(), unknown=None if refusals is None
                                  else lambda: refused("unknown"))
        if user is None:
            console.throttle.fail(client)
            return login_form(request, failed="login_failed", status=401)
        console.throttle.success(client)
        done = RedirectResponse(PATH + "/mottatt", status_code=303, headers=SECURITY_HEADERS)
        sessions.start(db, request, done, user, console.now())
        return done

    @r.post("/logout")
    def logout(request: Request, session: Checked) -> Response:
        response = RedirectResponse(PATH + "/login", status_code=303,
                                    headers=SECURITY_HEADERS)
        sessions.end(db, request, response)
        return response

    return r
