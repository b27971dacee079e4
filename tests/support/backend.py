"""The REAL reference backend on loopback: uvicorn in a thread (``Backend``), or
``python -m sync.server serve`` in a subprocess when a test must kill it or a browser journey
talks to it (``BackendProcess``); ``server_cli`` runs the backend's other commands."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import uvicorn

from sync.server import admin
from sync.server.app import create_app
from sync.server.db import Database
from tests.support import ROOT
from tests.support.ports import free_port, wait_for_port


def is_postgres(target: Path | str) -> bool:
    return str(target).startswith("postgresql://")


def server_cli(*args, timeout: float = 60, check: bool = False) -> subprocess.CompletedProcess:
    """``python -m sync.server ARGS`` with its output captured as text."""
    return subprocess.run([sys.executable, "-m", "sync.server", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=check)


class Backend:
    """The reference backend on 127.0.0.1 in a thread, over its own SQLite file or PostgreSQL
    database (``db_path``: a path or a ``postgresql://`` URL)."""

    def __init__(self, db_path: Path | str, *, clock=None, port: int | None = None, **uvicorn_kw):
        self.db_path = db_path
        self.port = port or free_port()
        self.app = create_app(db_path, clock=clock)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False, **uvicorn_kw)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        scheme = "https" if "ssl_certfile" in uvicorn_kw else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"

    def start(self, municipality: str = "1122") -> Backend:
        self.configure(municipality=municipality)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise TimeoutError("the backend did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.app.state.db.close()

    def admin_db(self) -> Database:
        return Database(self.db_path)

    def code(self, device: str = "telefon-1") -> str:
        db = self.admin_db()
        try:
            return admin.new_enrolment_code(db, device)
        finally:
            db.close()

    def configure(self, **values) -> None:
        db = self.admin_db()
        try:
            admin.configure(db, **values)
        finally:
            db.close()

    def execute(self, sql: str, params=()) -> None:
        """One statement in its own transaction (a test planting a row)."""
        db = self.admin_db()
        try:
            with db.transaction() as conn:
                conn.execute(sql, params)
        finally:
            db.close()

    def stored_bytes(self) -> bytes:
        """What the backend keeps: SQLite, the bytes of the file and its -wal and -shm (deleted
        content must be overwritten there); PostgreSQL, every row of every table as text (the
        server's files are not the backend's to scrub, see sync/server/db.py)."""
        if not is_postgres(self.db_path):
            path = Path(self.db_path)
            return b"".join(p.read_bytes() for p in path.parent.iterdir()
                            if p.name.startswith(path.name))
        db = self.admin_db()
        try:
            tables = [r[0] for r in db.query("SELECT tablename FROM pg_tables "
                                             "WHERE schemaname = 'public'")]
            return "\n".join(str(r[0]) for t in tables
                              for r in db.query(f"SELECT t::text FROM {t} t")).encode()
        finally:
            db.close()

    def rows(self, sql: str, params=()) -> list:
        db = self.admin_db()
        try:
            return [dict(r) for r in db.query(sql, params)]
        finally:
            db.close()


class BackendProcess:
    """``python -m sync.server serve`` in a subprocess, so that a test can kill -9 it (over a
    SQLite file or a ``postgresql://`` URL: the test cluster's need no password).

    ``start(municipality=None)`` serves a database configured beforehand (say, with
    ``server_cli("config", ...)``); ``stderr=subprocess.DEVNULL`` for a server that runs long.
    """

    def __init__(self, db_path: Path | str, port: int | None = None, *,
                 stderr=subprocess.PIPE):
        self.db_path = db_path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stderr = stderr
        self.proc: subprocess.Popen | None = None

    def start(self, municipality: str | None = "1122", *,
              timeout: float = 15.0) -> BackendProcess:
        if municipality is not None:
            db = Database(self.db_path)
            try:
                admin.configure(db, municipality=municipality)
            finally:
                db.close()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sync.server", "serve", "--db", str(self.db_path),
             "--port", str(self.port), "--log-level", "warning"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=self.stderr)
        try:
            wait_for_port(self.port, timeout)
        except TimeoutError:
            self.stop()
            raise
        return self

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()
