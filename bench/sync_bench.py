"""Sync benchmark: push N records to the reference backend on loopback (records/s, goal
>= 3,000 from a sealed logbook) and a no-change sync (goal: <= 3x the bare round trip).

The backend runs as ``python -m sync.server serve`` in its own process, as in production. The
records are the project's own observations and school visits with realistic text (about
150 characters of note each, marked free of personal data so they leave). Each push has its
baseline run in the same process: the backend alone, taking the same items already planned
(``POST /v1/push`` from a plain session, no phone work), over a fresh database. The logbook is
sealed (the floor KDF: key derivation is not what is measured) and, for comparison, in memory.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from fieldapp import Logbook
from fieldapp.domain import Observation, SchoolVisit
from fieldapp.store import KdfParams
from sync import enrol, enrolments, sync_now
from sync.client import DEFAULT_BATCH, SyncReport
from sync.planning import plan
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


def fill(lb: Logbook, n: int, now: datetime) -> None:
    """Half observations, half school visits, each with a note of about 150 characters."""
    lb.served.replace([{"code": "1122", "name": "Gjesdal",
                        "schools": ["Gjesdal ungdomsskole"]}])
    for i in range(n):
        if i % 2:
            lb.add(Observation(place=f"Ålgård stasjon {i % 40}", youth_count=i % 30,
                               categories={"alcohol", "unrest"},
                               observed_at=now - timedelta(minutes=10 * i),
                               note="Rolig kveld, noen ungdommer samlet ved kiosken. " * 3,
                               text_free_of_personal=True))
        else:
            start = now - timedelta(hours=i % 3000)
            lb.add(SchoolVisit(school="Gjesdal ungdomsskole", checked_in_at=start,
                               checked_out_at=start + timedelta(hours=1), topics=["bullying"],
                               note="Møte med rektor om trivsel og skolevei. " * 3,
                               text_free_of_personal=True))


def _measure(lb: Logbook, url: str, db_path: Path, n: int, store: str, tmp: Path) -> list[dict]:
    enrol(lb, url, _code(db_path))
    fill(lb, n, datetime.now(UTC))
    # the baseline's items come from a twin logbook, so the push starts with nothing decoded
    with Logbook.in_memory() as twin:
        fill(twin, n, datetime.now(UTC))
        items = [p.item for p in plan(twin, enrolments(lb), datetime.now(UTC)) if p.item]
    alone_s = _backend_alone(items, tmp / f"alone-{store}-{n}.sqlite3")
    started = time.perf_counter()
    report = sync_now(lb, purge=False)
    push_s = time.perf_counter() - started
    assert len(report.sent) == n, report.errors
    idle_runs, bare_runs, idle = _no_change(lb, url)
    idle_ms, bare_ms = statistics.median(idle_runs), statistics.median(bare_runs)
    return [
        {"case": "push", "store": store, "records": n, "seconds": push_s,
         "records_per_s": n / push_s, "round_trips": report.round_trips,
         "baseline": "backend alone", "baseline_per_s": n / alone_s,
         "ratio": (n / push_s) / (n / alone_s), "goal": ">= 3000/s sealed"},
        {"case": "no-change sync", "store": store, "records": n, "ms": idle_ms,
         "ms_min": min(idle_runs), "ms_max": max(idle_runs), "bare_round_trip_ms": bare_ms,
         "ratio_to_round_trip": idle_ms / bare_ms, "round_trips": idle.round_trips,
         "goal": "<= 3x the bare round trip"},
    ]


def _backend_alone(items: list[dict], db_path: Path, batch: int = DEFAULT_BATCH) -> float:
    """Seconds the backend takes for ``items`` posted from a plain session, in batches as
    large as the phone's."""
    proc, url = _start_backend(db_path)
    try:
        with requests.Session() as session:
            session.trust_env = False
            headers = {"X-App-Version": APP_VERSION}
            reply = session.post(url + API + "/enrol", json={"code": _code(db_path)},
                                 headers=headers, timeout=30)
            reply.raise_for_status()
            headers["Authorization"] = "Bearer " + reply.json()["token"]
            started = time.perf_counter()
            for k in range(0, len(items), batch):
                reply = session.post(url + API + "/push", json={"items": items[k:k + batch]},
                                     headers=headers, timeout=60)
                reply.raise_for_status()
            return time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=10)


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
            for store in ("sealed", "memory"):
                db_path = Path(tmp) / f"kommune-{store}-{n}.sqlite3"
                proc, url = _start_backend(db_path)
                try:
                    if store == "sealed":
                        lb = Logbook.create(Path(tmp) / f"data-{n}", "482913",
                                            kdf=KdfParams.FLOOR)
                    else:
                        lb = Logbook.in_memory()
                    with lb:
                        rows += _measure(lb, url, db_path, n, store, Path(tmp))
                finally:
                    proc.terminate()
                    proc.wait(timeout=10)
    return rows
