"""What every console page shares: templates, language, the guards and the security headers.

Guards, as annotated dependency types: ``Viewer`` (any signed-in user; a browser without a
live session is sent to the login page and gets no data), ``Admin`` (403 for a coordinator),
``Form`` (an url-encoded body read with a size cap) and ``Checked`` / ``CheckedAdmin`` (a
POST: same Origin when one is sent, and the session's CSRF token in the form).
"""

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs

import jinja2
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..db import Database
from ..throttle import Throttle
from . import sessions
from .sessions import Session
from .texts import LANGS, shown, text

HERE = Path(__file__).resolve().parent
MAX_FORM_BYTES = 1024 * 1024
STATIC = {"console.css": "text/css", "favicon.svg": "image/svg+xml"}   # all the console serves
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",   # no-referrer makes Chromium send Origin: null
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class SignInFirst(Exception):
    """No live session: the browser is sent to the login page."""


class Refusal(Exception):
    """A page the user may not have (403), a form without a valid token (403), or a missing
    item (404): answered with a plain page that names nothing."""

    def __init__(self, status: int, key: str):
        self.status, self.key = status, key
        super().__init__(key)


class Console:
    def __init__(self, db: Database, now: Callable[[], datetime],
                 throttle: Throttle | None = None):
        self.db, self.now = db, now
        self.throttle = throttle or Throttle()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True, trim_blocks=True,
            lstrip_blocks=True)

    # Pages ------------------------------------------------------------------------------

    def lang(self, request: Request) -> str:
        asked = request.query_params.get("lang", "")
        if asked in LANGS:
            return asked
        kept = request.cookies.get(sessions.LANG_COOKIE, "")
        return kept if kept in LANGS else LANGS[0]

    def page(self, request: Request, template: str, session: Session | None, *,
             status: int = 200, **context: Any) -> HTMLResponse:
        lang = self.lang(request)
        body = self.env.get_template(template).render(
            t=lambda key, **values: text(key, lang, **values), lang=lang, session=session,
            show=lambda value: shown(value, lang), path=request.url.path, **context)
        response = HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)
        if request.query_params.get("lang") in LANGS:
            sessions.set_cookie(request, response, sessions.LANG_COOKIE, lang,
                                max_age=365 * 24 * 3600)
        return response

    def refusal(self, request: Request, exc: Refusal) -> HTMLResponse:
        return self.page(request, "error.html", None, status=exc.status, message=exc.key)

    # Guards -----------------------------------------------------------------------------

    def viewer(self, request: Request) -> Session:
        session = sessions.current(self.db, request, self.now())
        if session is None:
            raise SignInFirst()
        return session

    def admin(self, request: Request) -> Session:
        session = self.viewer(request)
        if not session.user.is_admin:
            raise Refusal(403, "forbidden")
        return session

    @staticmethod
    async def form(request: Request) -> dict[str, str]:
        if request.method != "POST":
            return {}
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/x-www-form-urlencoded":
            raise Refusal(415, "bad_form")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FORM_BYTES:
                raise Refusal(413, "too_large")
        try:
            parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200)
        except (UnicodeDecodeError, ValueError):
            raise Refusal(400, "bad_form") from None
        return {key: values[0] for key, values in parsed.items()}

    def check_post(self, request: Request, form: dict[str, str], session: Session) -> Session:
        if not sessions.origin_ok(request) or \
                not sessions.same_token(session.csrf, form.get("csrf", "")):
            raise Refusal(403, "csrf")
        return session


def _console(request: Request) -> Console:
    console = request.app.state.console
    assert isinstance(console, Console)
    return console


def _viewer(request: Request) -> Session:
    return _console(request).viewer(request)


def _admin(request: Request) -> Session:
    return _console(request).admin(request)


Form = Annotated[dict[str, str], Depends(Console.form)]
Viewer = Annotated[Session, Depends(_viewer)]
Admin = Annotated[Session, Depends(_admin)]


def _checked(request: Request, form: Form, session: Viewer) -> Session:
    return _console(request).check_post(request, form, session)


def _checked_admin(request: Request, form: Form, session: Admin) -> Session:
    return _console(request).check_post(request, form, session)


Checked = Annotated[Session, Depends(_checked)]            # a POST by any signed-in user
CheckedAdmin = Annotated[Session, Depends(_checked_admin)]  # a POST by an admin


def install(app: FastAPI, console: Console) -> None:
    """The console's answers to its own refusals, and its static files."""

    async def sign_in_first(request: Request, exc: Exception) -> Response:
        return RedirectResponse(sessions.PATH + "/login", status_code=303,
                                headers=SECURITY_HEADERS)

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refusal)
        return console.refusal(request, exc)

    app.add_exception_handler(SignInFirst, sign_in_first)
    app.add_exception_handler(Refusal, refused)
    files = {name: ((HERE / "static" / name).read_bytes(), media)
             for name, media in STATIC.items()}

    @app.get(sessions.PATH + "/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in files:
            raise Refusal(404, "not_found")
        data, media = files[name]
        return Response(data, media_type=media, headers={
            "Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"})
