"""The sealed store against stock TinyDB (JSONStorage, plaintext) and sqlite3 (plaintext).

Per size: insert latency p50/p95 (each insert acknowledged on its own), open time (after the
key unwrap: read and decrypt everything, for sealed; first full read for stock; connect and a
first query for sqlite, which reads lazily) and file size. Documents are ~700 bytes of JSON.

Stock TinyDB rewrites the whole file per insert (about 0.6 s at 50k) and never fsyncs, so its
file is built with one bulk write and only a few inserts are timed. sqlite runs with
``PRAGMA synchronous=FULL`` in its default rollback-journal mode.

The sealed store runs with a file key store (``FileKeyStore`` in the temp dir), so every insert
also pays the fsynced commit-anchor write; a second row keeps the key store in memory to show
what that anchor costs. The KDF rows give the parameters calibration picks here, the time of
one guess (median of 3) and what a full search of the 10^6 six-digit PINs costs in core-hours —
which is what an attacker pays only if they also hold the device secret.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import JSONStorage
from tinydb.table import Table

from fieldapp.store import FileKeyStore, KdfParams, MemoryKeyStore, Vault, open_database
from fieldapp.store.kdf import full_search_core_hours, time_scrypt

DEFAULT_SIZES = (1_000, 10_000, 50_000)
WORDS = [
    "skole", "besøk", "elev", "rektor", "observasjon", "oppfølging", "samtale", "kontakt",
    "politi", "ungdom", "foresatt", "barnevern", "bekymring", "avtale", "tiltak", "møte",
    "sted", "uke", "plan", "rapport",
]


def sizes() -> list[int]:
    raw = os.environ.get("BENCH_SIZES", "")
    return [int(s) for s in raw.replace(" ", "").split(",") if s] or list(DEFAULT_SIZES)


def make_doc(rng: random.Random, i: int) -> dict:
    def text(n):
        return " ".join(rng.choice(WORDS) for _ in range(n))

    return {
        "kind": "observation",
        "record_id": f"{rng.getrandbits(64):016x}-{i}",
        "created_at": "2026-11-24T10:15:00+00:00",
        "updated_at": "2026-11-24T10:15:00+00:00",
        "revision": 1,
        "place": text(3),
        "location": {"lat": 59.9 + rng.random(), "lon": 10.7 + rng.random()},
        "youth_count": rng.randint(0, 40),
        "tags": [rng.choice(WORDS) for _ in range(3)],
        "note": text(62),
        "synced": False,
    }


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000


def bench_sealed(base: Path, docs: list[dict], timed: int, *, file_keystore: bool = True) -> dict:
    data_dir = base / ("sealed" if file_keystore else "sealed-memory-keystore")
    keystore = FileKeyStore(base / "keystore" / "device-secret") if file_keystore else (
        MemoryKeyStore())
    vault = Vault.create(data_dir, "481529", keystore, kdf=KdfParams.FLOOR)
    db = open_database(data_dir, vault)
    table = db.table("records")
    latencies = []
    for doc in docs:
        started = time.perf_counter()
        table.insert(doc)
        latencies.append(time.perf_counter() - started)
    built_size = db.storage.file_size
    data = db.storage.read()
    plaintext = len(json.dumps(data).encode())  # what TinyDB's JSONStorage writes
    db.close()
    started = time.perf_counter()
    db = open_database(data_dir, vault)
    open_built = time.perf_counter() - started
    db.compact()
    compacted = db.storage.file_size
    db.close()
    started = time.perf_counter()
    db = open_database(data_dir, vault)
    open_compacted = time.perf_counter() - started
    assert len(db.table("records")) == len(docs)
    db.close()
    vault.lock()
    p50, p95 = percentiles(latencies[-timed:])
    return {
        "case": "sealed" if file_keystore else "sealed, anchor in memory",
        "insert_p50_ms": p50,
        "insert_p95_ms": p95,
        "timed_inserts": timed,
        "open_s": open_compacted,
        "open_as_built_s": open_built,
        "file_bytes": compacted,
        "file_as_built_bytes": built_size,
        "plaintext_json_bytes": plaintext,
    }


class StockDB(TinyDB):
    table_class = Table


def bench_stock(base: Path, docs: list[dict], timed: int) -> dict:
    path = base / "stock.json"
    prebuilt = docs[:-timed]
    JSONStorage(str(path)).write({"records": {str(i + 1): d for i, d in enumerate(prebuilt)}})
    db = StockDB(str(path))
    table = db.table("records")
    latencies = []
    for doc in docs[-timed:]:
        started = time.perf_counter()
        table.insert(doc)
        latencies.append(time.perf_counter() - started)
    db.close()
    started = time.perf_counter()
    storage = JSONStorage(str(path))
    assert len(storage.read()["records"]) == len(docs)
    open_s = time.perf_counter() - started
    storage.close()
    p50, p95 = percentiles(latencies)
    return {
        "case": "stock TinyDB JSON",
        "insert_p50_ms": p50,
        "insert_p95_ms": p95,
        "timed_inserts": timed,
        "open_s": open_s,
        "file_bytes": path.stat().st_size,
    }


def bench_sqlite(base: Path, docs: list[dict], timed: int) -> dict:
    path = base / "plain.sqlite3"
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE records (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    with con:
        con.execute("BEGIN")
        con.executemany(
            "INSERT INTO records (body) VALUES (?)", ((json.dumps(d),) for d in docs[:-timed])
        )
    latencies = []
    for doc in docs[-timed:]:
        started = time.perf_counter()
        con.execute("INSERT INTO records (body) VALUES (?)", (json.dumps(doc),))
        latencies.append(time.perf_counter() - started)
    con.close()
    started = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("SELECT body FROM records WHERE id = 1").fetchone()
    open_s = time.perf_counter() - started
    con.close()
    p50, p95 = percentiles(latencies)
    return {
        "case": "sqlite3 synchronous=FULL",
        "insert_p50_ms": p50,
        "insert_p95_ms": p95,
        "timed_inserts": timed,
        "open_s": open_s,
        "file_bytes": path.stat().st_size,
    }


def compare(sealed: dict, stock: dict) -> dict:
    return {
        "case": "sealed vs stock",
        "insert_p95_speedup": stock["insert_p95_ms"] / sealed["insert_p95_ms"],
        "insert_p50_speedup": stock["insert_p50_ms"] / sealed["insert_p50_ms"],
        "open_ratio": sealed["open_s"] / stock["open_s"],
        "file_vs_plaintext": sealed["file_bytes"] / sealed["plaintext_json_bytes"],
    }


def bench_kdf() -> list[dict]:
    """Seconds per PIN guess at the floor and above, and what calibration picks here."""
    rows = []
    chosen = KdfParams.calibrate()
    for n in sorted({2**15, 2**16, 2**17, chosen.n}):
        seconds = statistics.median(time_scrypt(n, 8) for _ in range(3))
        rows.append({
            "case": "kdf chosen" if n == chosen.n else "kdf",
            "scrypt_n": n,
            "scrypt_r": 8,
            "memory_mib": 128 * 8 * n // 2**20,
            "guess_s": seconds,
            "full_6_digit_search_core_hours": full_search_core_hours(seconds),
            "without_device_secret": "not searchable (256-bit secret)",
        })
    return rows


def run() -> list[dict]:
    rows = bench_kdf()
    for size in sizes():
        rng = random.Random(size)
        docs = [make_doc(rng, i) for i in range(size)]
        with tempfile.TemporaryDirectory(prefix="store-bench-") as tmp:
            base = Path(tmp)
            sealed = bench_sealed(base, docs, timed=min(size, 1000))
            in_memory = bench_sealed(base, docs, timed=min(size, 1000), file_keystore=False)
            stock = bench_stock(base, docs, timed=100 if size <= 1000 else 20)
            plain = bench_sqlite(base, docs, timed=min(size, 1000))
        for row in (sealed, in_memory, stock, plain, compare(sealed, stock)):
            rows.append({"size": size, **row})
    return rows
