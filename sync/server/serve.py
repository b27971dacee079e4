"""``python -m sync.server serve``: the HTTP API under uvicorn.

One process by default. ``--workers N`` (N > 1) runs N uvicorn worker processes and needs
PostgreSQL: SQLite is one file with one writer, so it stays single-process and N > 1 is refused
with a message. The schema is migrated once, before the workers start; each worker builds its
app with :func:`app_from_environment`, which reads the database target from the environment
variable ``DB_ENV``, never from a command line (a URL may hold a password, and a process's
arguments are visible to every user of the machine; its environment is not). The worker drops
the variable once read. Better still, keep the password out of the URL (``PGPASSWORD`` or
``~/.pgpass``, which libpq reads in every worker).

What the workers share is the database: writes are serialised by the advisory lock (db.py),
the refusal pseudonym key and the counts are rows. What they do not share: the enrolment and
login throttles (``throttle.py``) count per process, so N workers allow up to N times the
attempts per client address before the wait; the consent sweep runs in each (harmless: it is
one transaction under the same lock).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from fastapi import FastAPI

from .db import Database
from .dialect import is_url

DB_ENV = "POLITIKONTAKT_SERVER_DB"


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app

    workers = int(getattr(args, "workers", 1))
    if workers < 1:
        print("feil / error: --workers må være minst 1 / must be at least 1", file=sys.stderr)
        return 2
    if workers > 1 and not is_url(args.db):
        print("feil / error: --workers over 1 krever PostgreSQL (SQLite har én skriver og "
              "kjører i én prosess) / --workers above 1 needs PostgreSQL (SQLite has one writer "
              "and runs in one process)", file=sys.stderr)
        return 2
    options: dict[str, Any] = {"host": args.host, "port": args.port,
                               "log_level": args.log_level.lower(), "access_log": False}
    if args.certfile:
        options.update(ssl_certfile=args.certfile, ssl_keyfile=args.keyfile)
    if workers == 1:
        uvicorn.run(create_app(args.db), **options)
        return 0
    Database(args.db).close()          # migrate once, before the workers race to
    os.environ[DB_ENV] = str(args.db)
    uvicorn.run(f"{__name__}:app_from_environment", factory=True, workers=workers, **options)
    return 0


def app_from_environment() -> FastAPI:
    """The app factory each worker process calls (``uvicorn --factory``)."""
    from .app import create_app

    target = os.environ.pop(DB_ENV, "")
    if not target:
        raise RuntimeError(f"{DB_ENV} is not set: start the workers with "
                           "`python -m sync.server serve --workers N`")
    return create_app(target)
