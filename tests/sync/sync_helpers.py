"""Helpers for the sync tests: the REAL reference backend on loopback (uvicorn in a thread,
or ``python -m sync.server serve`` in a subprocess when a test must kill it)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import uvicorn

from fieldapp.domain import Consent, FollowUpCase
from sync.server import admin
from sync.server.app import create_app
from sync.server.db import Database

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("the server did not start")


class Backend:
    """The reference backend on 127.0.0.1 in a thread, over its own SQLite file."""

    def __init__(self, db_path: Path, *, clock=None, port: int | None = None, **uvicorn_kw):
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

    def rows(self, sql: str, params=()) -> list:
        db = self.admin_db()
        try:
            return [dict(r) for r in db.query(sql, params)]
        finally:
            db.close()


class BackendProcess:
    """``python -m sync.server serve`` in a subprocess, so that a test can kill -9 it."""

    def __init__(self, db_path: Path, port: int | None = None):
        self.db_path = db_path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, municipality: str = "1122") -> BackendProcess:
        db = Database(self.db_path)
        try:
            admin.configure(db, municipality=municipality)
        finally:
            db.close()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sync.server", "serve", "--db", str(self.db_path),
             "--port", str(self.port), "--log-level", "warning"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for_port(self.port)
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


FAST = dict(timeout=(2.0, 5.0), retries=1, backoff=0.01)


def add_case_with_consent(lb, *, consent: bool = True, name: str = "Ola Nordmann",
                          **consent_kw) -> str:
    cid = lb.add(FollowUpCase(person_name=name, birth_date=date(2011, 3, 4),
                              concern="Skulker skolen", services={"skole"}))
    if consent:
        kw = dict(given_by="Kari Nordmann", recipients={"slt"}, purpose="SLT-oppfølging",
                  given_at=datetime.now(UTC) - timedelta(days=1))
        kw.update(consent_kw)
        lb.add(Consent(case_id=cid, **kw))
    return cid


class ForgedClient:
    """A client that talks the protocol directly, bypassing the phone's consent gate."""

    def __init__(self, backend: Backend, device: str = "forger"):
        import requests
        self.url = backend.url
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.headers["X-App-Version"] = "0.1.0"
        reply = self.session.post(self.url + "/v1/enrol", json={"code": backend.code(device)},
                                  timeout=5)
        reply.raise_for_status()
        self.session.headers["Authorization"] = "Bearer " + reply.json()["token"]

    def push(self, *items: dict) -> list[dict]:
        reply = self.session.post(self.url + "/v1/push", json={"items": list(items)},
                                  timeout=10)
        assert reply.status_code == 200, reply.text
        return reply.json()["results"]

    def close(self) -> None:
        self.session.close()


def fake_response(request, status: int, body: bytes,
                  content_type: str = "application/json", headers: dict | None = None):
    """A requests Response as an adapter would return it, streaming from memory."""
    import io

    import requests
    response = requests.Response()
    response.status_code = status
    response.raw = io.BytesIO(body)
    response.headers["Content-Type"] = content_type
    response.headers.update(headers or {})
    response.request = request
    response.url = request.url
    return response
