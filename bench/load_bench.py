"""Load benchmark: many phones pushing at once to one backend over loopback.

``LOAD_PHONES`` phones (default 50), each enrolled as its own device, push ``LOAD_RECORDS``
records each (default 1,000: observations and school visits with realistic notes, planned by
the phone's own consent gate beforehand) in batches of 100, all at the same time, to
``python -m sync.server serve`` in its own process(es): SQLite with one worker, and PostgreSQL
with two workers when a cluster can be started (``tests/support/postgres.py``) or
``BENCH_PG_URL`` names one (the throwaway cluster runs with fsync on, like SQLite's
``synchronous=FULL``). Reported: records/s over the whole load, the p50 and p95 batch
latency, and whether every record was stored exactly once (rows, distinct ids, per-item
results all "accepted"). The baseline in the same run is one phone alone on the same backend
(records/s), so the figure says what concurrency costs or gains.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from bench.sync_bench import ROOT, _free_port, fill
from fieldapp import Logbook
from sync.enrolment import Enrolment
from sync.planning import plan
from sync.protocol import API, APP_VERSION
from sync.server import admin
from sync.server.db import Database

BATCH = 100


def _phone_items(n: int) -> list[dict[str, Any]]:
    enrolment = Enrolment(url="http://127.0.0.1", token="-", device_id="-", device_name="-",
                          municipality="1122", recipient="slt", server_name="-")
    with Logbook.in_memory() as lb:
        fill(lb, n, datetime.now(UTC))
        return [p.item for p in plan(lb, [enrolment], datetime.now(UTC)) if p.item]


@contextmanager
def _serving(target: str, workers: int) -> Iterator[str]:
    env = dict(os.environ)
    subprocess.run([sys.executable, "-m", "sync.server", "config", "--db", target,
                    "--municipality", "1122"], cwd=ROOT, check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = _free_port()
    args = [sys.executable, "-m", "sync.server", "serve", "--db", target, "--port", str(port),
            "--log-level", "warning"] + (["--workers", str(workers)] if workers > 1 else [])
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url + API + "/status", timeout=1)
                break
            except requests.RequestException:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("backend did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _token(target: str, url: str, device: str) -> str:
    db = Database(target)
    try:
        code = admin.new_enrolment_code(db, device)
    finally:
        db.close()
    reply = requests.post(url + API + "/enrol", json={"code": code},
                          headers={"X-App-Version": APP_VERSION}, timeout=30)
    reply.raise_for_status()
    return str(reply.json()["token"])


def _push(url: str, token: str, items: list[dict[str, Any]], latencies: list[float],
          statuses: list[str]) -> None:
    with requests.Session() as session:
        session.trust_env = False
        headers = {"X-App-Version": APP_VERSION, "Authorization": "Bearer " + token}
        for k in range(0, len(items), BATCH):
            started = time.perf_counter()
            reply = session.post(url + API + "/push", json={"items": items[k:k + BATCH]},
                                 headers=headers, timeout=120)
            latencies.append(time.perf_counter() - started)
            reply.raise_for_status()
            statuses.extend(r["status"] for r in reply.json()["results"])


def _stored(target: str) -> tuple[int, int]:
    db = Database(target, readonly=True)
    try:
        row = db.query("SELECT COUNT(*), COUNT(DISTINCT id) FROM records")[0]
        return int(row[0]), int(row[1])
    finally:
        db.close()


def _load(target: str, workers: int, name: str, phones: list[list[dict[str, Any]]],
          alone: list[dict[str, Any]]) -> dict[str, Any]:
    with _serving(target, workers) as url:
        tokens = [_token(target, url, f"telefon-{i}") for i in range(len(phones) + 1)]
        solo_lat: list[float] = []
        started = time.perf_counter()
        _push(url, tokens[-1], alone, solo_lat, [])
        solo_s = time.perf_counter() - started
        latencies: list[float] = []
        statuses: list[str] = []
        threads = [threading.Thread(target=_push, args=(url, token, items, latencies,
                                                        statuses))
                   for token, items in zip(tokens, phones, strict=False)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        load_s = time.perf_counter() - started
    total = sum(len(items) for items in phones)
    rows, distinct = _stored(target)
    ordered = sorted(latencies)
    return {"case": "load", "db": name, "workers": workers, "phones": len(phones),
            "records": total, "seconds": load_s, "records_per_s": total / load_s,
            "batch_p50_ms": statistics.median(ordered) * 1000,
            "batch_p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
            "baseline": "one phone alone", "baseline_per_s": len(alone) / solo_s,
            "stored_once": rows == distinct == total + len(alone)
            and statuses.count("accepted") == total,
            "goal": "every record stored once"}


def _targets(tmp: Path) -> Iterator[tuple[str, int, str]]:
    yield str(tmp / "kommune.sqlite3"), 1, "sqlite"
    url = os.environ.get("BENCH_PG_URL", "")
    if url:
        yield url, 2, "postgresql"
        return
    from tests.support.postgres import Cluster, ClusterUnavailable

    try:
        cluster = Cluster(durable=True).start()   # fsync on, as SQLite's synchronous=FULL
    except ClusterUnavailable as exc:
        print(f"load bench: PostgreSQL left out ({exc})", file=sys.stderr)
        return
    try:
        cluster.execute("CREATE DATABASE bench")
        yield cluster.url("bench"), 2, "postgresql"
    finally:
        cluster.stop()


def run() -> list[dict]:
    phones_n = int(os.environ.get("LOAD_PHONES", "50"))
    per_phone = int(os.environ.get("LOAD_RECORDS", "1000"))
    phones = [_phone_items(per_phone) for _ in range(phones_n)]
    alone = _phone_items(per_phone)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for target, workers, name in _targets(Path(tmp)):
            rows.append(_load(target, workers, name, phones, alone))
    return rows
