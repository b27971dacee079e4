"""Sync benchmark: push N records to the reference backend on loopback (records/s, goal
>= 2,000) and a no-change sync (goal: one round trip; reports ms).

The backend runs as ``python -m sync.server serve`` in its own process, as in production. The
logbook is in memory (the phone's store cost is measured by ``bench.store_bench``) and, for a
smaller N, the sealed store with the floor KDF.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from fieldapp import Logbook
from fieldapp.domain import Observation
from fieldapp.store import KdfParams
from sync import enrol, enrolments, sync_now
from sync.client import SyncReport
from sync.protocol import API, APP_VERSION
from sync.server import admin
from sync.server.db import Database

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_backend(db_path: Path) -> tuple[subprocess.Popen, str]:
    # the backend refuses records of a municipality it does not serve (issue 9's boundary)
    subprocess.run([sys.executable, "-m", "sync.server", "config", "--db", str(db_path),
                    "--municipality", "1122"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sync.server", "serve", "--db", str(db_path),
                             "--port", str(port), "--log-level", "warning"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("backend did not start")


def _code(db_path: Path) -> str:
    db = Database(db_path)
    try:
        return admin.new_enrolment_code(db, "bench")
    finally:
        db.close()


def _measure(lb: Logbook, url: str, db_path: Path, n: int, store: str) -> list[dict]:
    enrol(lb, url, _code(db_path))
    for i in range(n):
        lb.add(Observation(place=f"Sted {i % 50}", youth_count=i % 40,
                           categories={"alcohol"}, note="Rolig", text_free_of_personal=True))
    started = time.perf_counter()
    report = sync_now(lb, purge=False)
    push_s = time.perf_counter() - started
    assert len(report.sent) == n, report.errors
    idle_runs, bare_runs, idle = _no_change(lb, url)
    idle_ms, bare_ms = statistics.median(idle_runs), statistics.median(bare_runs)
    return [
        {"case": "push", "store": store, "records": n, "seconds": push_s,
         "records_per_s": n / push_s, "round_trips": report.round_trips, "goal": ">= 2000/s"},
        {"case": "no-change sync", "store": store, "records": n, "ms": idle_ms,
         "ms_min": min(idle_runs), "ms_max": max(idle_runs), "bare_round_trip_ms": bare_ms,
         "ratio_to_round_trip": idle_ms / bare_ms, "round_trips": idle.round_trips,
         "goal": "<= 3x the bare round trip"},
    ]


def _no_change(lb: Logbook, url: str, repeats: int = 7) -> tuple[list[float], list[float],
                                                                  SyncReport]:
    """A sync with nothing new and, interleaved in the same process, the bare round trip it
    cannot beat (the same reference request with the same token, over a fresh session)."""
    [enrolment] = enrolments(lb)
    idle_runs, bare_runs = [], []
    idle = None
    for _ in range(repeats):
        started = time.perf_counter()
        idle = sync_now(lb, purge=False)
        idle_runs.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        with requests.Session() as session:
            session.trust_env = False
            reply = session.get(url + API + "/reference", timeout=10, headers={
                "Authorization": "Bearer " + enrolment.token, "X-App-Version": APP_VERSION})
            reply.raise_for_status()
        bare_runs.append((time.perf_counter() - started) * 1000)
    assert idle is not None
    return idle_runs, bare_runs, idle


def run() -> list[dict]:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "10000").split(",") if s]
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            db_path = Path(tmp) / f"kommune-{n}.sqlite3"
            proc, url = _start_backend(db_path)
            try:
                with Logbook.in_memory() as lb:
                    rows += _measure(lb, url, db_path, n, "memory")
                sealed_n = min(n, 1000)
                with Logbook.create(Path(tmp) / f"data-{n}", "482913",
                                    kdf=KdfParams.FLOOR) as lb:
                    rows += _measure(lb, url, db_path, sealed_n, "sealed")
            finally:
                proc.terminate()
                proc.wait(timeout=10)
    return rows
