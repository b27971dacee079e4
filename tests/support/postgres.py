"""A throwaway PostgreSQL cluster for the test session.

``Cluster().start()`` runs ``initdb`` into a temporary folder and ``pg_ctl start`` with the
socket in that folder and a free loopback port (trust authentication, no fsync: the data is
thrown away); when the tests run as root the server runs as the ``postgres`` system user
(PostgreSQL refuses root) and the folder is handed to it. A template database is migrated once;
``create_database()`` copies it for each test (``CREATE DATABASE … TEMPLATE``), so every test
starts on an empty, migrated database. ``stop()`` stops the server and removes the folder.

The binaries are found on PATH or under /usr/lib/postgresql/<version>/bin (Debian's package:
``make postgres`` installs it when missing).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from tests.support.ports import free_port

TEMPLATE = "politikontakt_template"
SYSTEM_USER = "postgres"
READY = 2       # template copies made ahead


class ClusterUnavailable(RuntimeError):
    """PostgreSQL is not installed here or would not start."""


def find_bin() -> Path:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit()
                        else 0)
    if not candidates:
        raise ClusterUnavailable("initdb not found (install Debian's postgresql: make postgres)")
    return Path(candidates[-1]).parent


def start_cluster() -> Cluster:
    """The session's cluster; when PostgreSQL cannot be started the tests that need it are
    skipped, except under ``CI=true``, where they fail: CI cannot go green without them."""
    import pytest

    try:
        return Cluster().start()
    except ClusterUnavailable as exc:
        message = f"PostgreSQL could not be started: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


class Cluster:
    def __init__(self, *, durable: bool = False) -> None:
        self.durable = durable  # fsync and synchronous commit on (benchmarks); off for tests
        self.bin = find_bin()
        self.folder = Path(tempfile.mkdtemp(prefix="politikontakt-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self._names = itertools.count(1)
        self._admin = None
        self._ready: queue.Queue | None = None
        self._stopping = threading.Event()
        self._dropped: list[str] = []

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", SYSTEM_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                              cwd=self.folder)
        if done.returncode:
            raise ClusterUnavailable(f"{args[0]} failed: {done.stderr.strip() or done.stdout}")

    def start(self) -> Cluster:
        try:
            if self.as_root:
                shutil.chown(self.folder, SYSTEM_USER, SYSTEM_USER)
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                      "-E", "UTF8", "--locale=C", "--no-sync")
            settings = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                        "-c max_connections=200")
            if not self.durable:
                settings += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
            self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                      "-o", settings, "-w", "-t", "60", "start")
            self._make_template()
        except (ClusterUnavailable, OSError, LookupError, subprocess.SubprocessError) as exc:
            self.stop()
            raise ClusterUnavailable(str(exc)) from exc
        return self

    def url(self, database: str, user: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        """Run ``sql`` as the superuser on the ``postgres`` database (autocommit)."""
        import psycopg

        if self._admin is None:
            self._admin = psycopg.connect(self.url("postgres"), autocommit=True)
        self._admin.execute(sql)

    def _make_template(self) -> None:
        from sync.server.db import Database

        self.execute(f"CREATE DATABASE {TEMPLATE}")
        Database(self.url(TEMPLATE)).close()

    def create_database(self) -> str:
        """A fresh, migrated database (a copy of the template); returns its URL. Copies are
        made ahead in a thread (``READY`` of them), so that a test does not wait for one."""
        if self._ready is None:
            self._ready = queue.Queue(maxsize=READY)
            threading.Thread(target=self._copy_ahead, daemon=True).start()
        url = self._ready.get(timeout=120)
        if isinstance(url, Exception):
            raise url
        return url

    def _copy_ahead(self) -> None:
        import psycopg

        assert self._ready is not None
        try:
            with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
                url = ""
                while not self._stopping.is_set():
                    while self._dropped:
                        name = self._dropped.pop()
                        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                    if not url:
                        url = self.url(f"test_{os.getpid()}_{next(self._names)}")
                        conn.execute(f"CREATE DATABASE {url.rsplit('/', 1)[1]} "
                                     f"TEMPLATE {TEMPLATE}")
                    with contextlib.suppress(queue.Full):
                        self._ready.put(url, timeout=0.1)
                        url = ""
        except Exception as exc:  # noqa: BLE001 - handed to the test that waits
            if not self._stopping.is_set():
                with contextlib.suppress(queue.Full):
                    self._ready.put(exc, timeout=10)

    def drop_database(self, url: str) -> None:
        """Drop a test's database (in the copier's thread when there is one: no waiting)."""
        name = url.rsplit("/", 1)[1]
        if self._ready is None:
            self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        else:
            self._dropped.append(name)

    def stop(self) -> None:
        self._stopping.set()
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(ClusterUnavailable):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
