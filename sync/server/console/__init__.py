"""The SLT coordinator's web console, served by the backend under ``/konsoll/``.

    mount_console(app, db, now)      # at the end of ``create_app``

Server-rendered HTML (Jinja2 templates and one stylesheet, both in this package; no script,
nothing fetched from elsewhere). Accounts come from the command line (``python -m sync.server
user add``); see ``users`` (scrypt, lockout), ``sessions`` (cookies, CSRF, idle timeout),
``received`` (what a coordinator may see: the backend's own consent rule), ``coordinator``
and ``admin_pages`` (the pages), ``cli`` (the ``user`` command).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI

from ..db import Database
from . import admin_pages, auth_pages, coordinator
from .web import Console, install


def mount_console(app: FastAPI, db: Database, now: Callable[[], datetime]) -> Console:
    console = Console(db, now)
    install(app, console)
    for module in (auth_pages, coordinator, admin_pages):
        app.include_router(module.router(console))
    app.state.console = console
    return console
