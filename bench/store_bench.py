"""The sealed store through ``Logbook`` on record types (observations, school visits, U18 cases
with realistic Norwegian text, ~1 KB stored each), beside baselines interleaved in one process.

Inserts: ``Logbook.add`` of N records, each acknowledged on its own, interleaved one by one
with the disk's floor (as many bytes appended to a plain file and ``fdatasync``ed), the same
add on tmpfs (fsync costs nothing there: what is left are stalls of our own, e.g. compaction),
the disk add less the time its own thread spent in write/fsync/fdatasync (``DiskWaits``), an
insert of a short JSON row into sqlite3 ``synchronous=FULL``, rollback and WAL mode.
Max (the no-stall goal), p50/p95/p99, adds over 20 ms, compactions meanwhile. Stock TinyDB
(JSONStorage) rewrites its whole file per insert: only its last five inserts are timed.

Open (after key derivation), ``RUNS`` rounds each running every case once, nothing else
decoded in the process: ``Logbook`` open, the store alone, the store plus the record id index
``Logbook.__init__`` needs (from the store's index: the proposed logbook hook), the floor
(read + AES-GCM decrypt + ``json.loads`` of the database as one blob), stock TinyDB's first
read, sqlite3's lazy open + one query. Medians with min–max; peak memory (tracemalloc) as a
ratio to the file size. KDF rows: calibration's choice, one guess, a 10^6-PIN search.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from tinydb import TinyDB
from tinydb.storages import JSONStorage

from bench.disk_waits import DiskWaits
from fieldapp import Logbook
from fieldapp.domain import FollowUpAction, FollowUpCase, Observation, Record, SchoolVisit
from fieldapp.domain.kinds import RECORD_TYPES_BY_KIND
from fieldapp.store import FileKeyStore, KdfParams, Vault, open_database
from fieldapp.store.kdf import full_search_core_hours, time_scrypt

DEFAULT_SIZES = (1_000, 10_000, 50_000)
SHM = Path("/dev/shm")
RUNS = 5
PIN = "481529"
WORDS = [
    "skole", "besøk", "elev", "rektor", "observasjon", "oppfølging", "samtale", "kontakt",
    "ungdom", "foresatt", "kiosken", "bekymring", "avtale", "tiltak", "møte", "kveld",
    "stasjon", "uke", "plan", "trivsel", "skolevei", "rolig", "samlet", "Ålgård",
]


def ids_of(table: Any) -> Any:
    """The store's id index where it has one; else the documents' ids (older versions)."""
    try:
        from fieldapp.store import record_ids
    except ImportError:
        return ((doc_id, doc["id"]) for doc_id, doc in (table or {}).items())
    return record_ids(table)


def sizes() -> list[int]:
    raw = os.environ.get("BENCH_SIZES", "")
    return [int(s) for s in raw.replace(" ", "").split(",") if s] or list(DEFAULT_SIZES)

def make_record(rng: random.Random, i: int, now: datetime) -> Record:
    def text(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."

    if i % 3 == 0:
        return Observation(place=f"{text(2)} {i % 40}", youth_count=rng.randint(0, 30),
                           categories={"alcohol", "unrest"},
                           observed_at=now - timedelta(minutes=10 * i), note=text(55))
    if i % 3 == 1:
        start = now - timedelta(hours=i % 3000)
        return SchoolVisit(school="Gjesdal ungdomsskole", checked_in_at=start,
                           checked_out_at=start + timedelta(hours=1),
                           contacts_met=["Rektor Hansen"], topics=["bullying"], note=text(50))
    return FollowUpCase(person_name="Ola Nordmann", birth_date=date(2011, 3, 4),
                        concern=text(45), services={"skole"}, actions=[FollowUpAction(
                            description=text(6), due_date=date(2026, 1, 1))])


def quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def sqlite_connection(path: Path, wal: bool) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    if wal:
        con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY, body TEXT)")
    return con


def stored_documents(lb: Logbook) -> dict[str, dict[str, Any]]:
    raw = lb._require_open().log.read()
    return {name: dict(table.items()) for name, table in raw.items()}

def new_logbook(base: Path) -> Logbook:
    keystore = FileKeyStore(base / "keystore" / "device-secret")
    return Logbook.create(base / "sealed", PIN, keystore=keystore, kdf=KdfParams.FLOOR)

def settled(lb: Logbook) -> int:
    """Wait for a background compaction still running; the number of compactions."""
    storage = lb._require_open().log
    getattr(storage, "wait_for_compaction", lambda: None)()
    return int(getattr(storage, "compactions", 0))


def insert_rows(base: Path, n: int) -> tuple[list[dict], Path, dict[str, dict[str, Any]]]:
    """Inserts interleaved one by one: the logbook on disk, the logbook in RAM (tmpfs, where
    fsync costs nothing: what is left are stalls of our own, such as compaction), sqlite3."""
    ram = Path(tempfile.mkdtemp(prefix="store-bench-", dir=SHM if SHM.is_dir() else base))
    books = {"sealed": new_logbook(base), "ram": new_logbook(ram)}
    cons = {wal: sqlite_connection(base / f"plain-{'wal' if wal else 'rb'}.sqlite3", wal)
            for wal in (False, True)}
    rng, now = random.Random(n), datetime.now(UTC)
    names = {"sealed": "Logbook.add (sealed, disk)",
             "floor": "floor: append+fdatasync, same bytes (disk)",
             "own": "Logbook.add (sealed, disk) less its disk calls",
             "ram": "Logbook.add (sealed, tmpfs)",
             "rollback": "sqlite3 FULL rollback", "wal": "sqlite3 FULL WAL"}
    samples: dict[str, list[float]] = {case: [] for case in names}
    storage = books["sealed"]._require_open().log
    floor_fd = os.open(base / "floor.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    size, data, fdatasync = storage.file_size, b"", os.fdatasync
    waits = DiskWaits()
    for i in range(n):
        record = make_record(rng, i, now)
        for case, lb in books.items():
            copy = dataclasses.replace(record)
            waited = waits.seconds
            with waits:
                samples[case].append(timed(lambda lb=lb, copy=copy: lb.add(copy)))
            if case == "sealed":  # the floor: as many bytes, appended and fdatasynced
                samples["own"].append(samples[case][-1] - (waits.seconds - waited))
                grown, size = storage.file_size - size, storage.file_size
                data = os.urandom(grown) if grown > 0 else data  # (<= 0: a compaction)
                samples["floor"].append(timed(lambda data=data: (
                    os.write(floor_fd, data), fdatasync(floor_fd))))
        body = json.dumps({"id": record.id, "i": i, "note": getattr(record, "note", "")})
        for wal, con in cons.items():
            samples["wal" if wal else "rollback"].append(timed(
                lambda con=con, body=body: con.execute(
                    "INSERT INTO records (body) VALUES (?)", (body,))))
    compactions = {case: settled(lb) for case, lb in books.items()}
    docs = stored_documents(books["sealed"])
    for item in [*books.values(), *cons.values(), floor_fd]:
        os.close(item) if isinstance(item, int) else item.close()
    shutil.rmtree(ram, ignore_errors=True)
    rows = []
    for case, values in samples.items():
        ordered = sorted(values)
        rows.append({"case": names[case], "inserts": n, "max_ms": ordered[-1] * 1000,
                     **{f"p{q}_ms": quantile(ordered, q / 100) * 1000 for q in (50, 95, 99)},
                     "over_20ms": sum(1 for v in values if v > 0.020),
                     "compactions": compactions.get(case)})
    rows.append(stock_inserts(base, docs))
    return rows, base / "sealed", docs


def stock_inserts(base: Path, docs: dict[str, dict[str, Any]]) -> dict:
    path = base / "stock.json"
    JSONStorage(str(path)).write(docs)
    db = TinyDB(str(path))  # stock: plain Table, JSONStorage
    table = db.table("observation")
    extra = list((docs.get("observation") or {}).values())[:5]
    values = [timed(lambda doc=doc: table.insert(dict(doc))) for doc in extra]
    db.close()
    ordered = sorted(values) or [0.0]
    return {"case": "stock TinyDB JSON (last inserts)", "inserts": len(values),
            "max_ms": ordered[-1] * 1000, "p50_ms": quantile(ordered, 0.5) * 1000,
            "p95_ms": None, "p99_ms": None, "over_20ms": sum(1 for v in values if v > 0.02),
            "compactions": None}


def write_baselines(base: Path, docs: dict[str, dict[str, Any]]) -> tuple[bytes, bytes]:
    """The floor's encrypted blob and stock TinyDB's file of the same database; the key and
    nonce of the blob."""
    key, nonce = AESGCM.generate_key(256), os.urandom(12)
    plaintext = json.dumps(docs, ensure_ascii=False, separators=(",", ":")).encode()
    (base / "floor.bin").write_bytes(AESGCM(key).encrypt(nonce, plaintext, None))
    JSONStorage(str(base / "stock.json")).write(docs)
    return key, nonce


def open_rows(base: Path, data_dir: Path, records: int, key: bytes, nonce: bytes) -> list[dict]:
    """Run with nothing else decoded in the process, as an app being opened."""
    keystore = FileKeyStore(base / "keystore" / "device-secret")
    file_size = (data_dir / "logbook.sealed").stat().st_size
    floor_path, stock_path = base / "floor.bin", base / "stock.json"

    def open_logbook() -> Callable[[], Any]:
        vault = Vault.unlock(data_dir, PIN, keystore)
        return lambda: Logbook(open_database(data_dir, vault), vault, data_dir=data_dir)

    def open_store() -> Callable[[], Any]:
        vault = Vault.unlock(data_dir, PIN, keystore)
        return lambda: (open_database(data_dir, vault), vault)

    def open_store_and_index() -> Callable[[], Any]:
        vault = Vault.unlock(data_dir, PIN, keystore)

        def run() -> Any:
            db = open_database(data_dir, vault)
            index: dict[str, tuple[str, int]] = {}
            for kind in RECORD_TYPES_BY_KIND:
                for doc_id, rid in ids_of(db.log.read().get(kind)):
                    index[rid] = (kind, int(doc_id))
            assert len(index) == records - 2
            return db, vault
        return run

    def close(result: Any) -> None:
        for item in result if isinstance(result, tuple) else (result,):
            getattr(item, "close", getattr(item, "lock", lambda: None))()

    def floor() -> Any:
        return json.loads(AESGCM(key).decrypt(nonce, floor_path.read_bytes(), None).decode())

    def stock() -> Any:
        storage = JSONStorage(str(stock_path))
        assert sum(len(t) for t in storage.read().values()) == records
        return storage

    def sqlite(wal: bool) -> Callable[[], Any]:
        def run() -> Any:
            con = sqlite3.connect(base / f"plain-{'wal' if wal else 'rb'}.sqlite3")
            con.execute("SELECT body FROM records WHERE id = 1").fetchone()
            return con
        return run

    cases: dict[str, Callable[[], Callable[[], Any]]] = {
        "Logbook open (sealed)": open_logbook,
        "open_database (store alone)": open_store,
        "store + record id index (what Logbook adds)": open_store_and_index,
        "floor: read+decrypt+json.loads": lambda: floor,
        "stock TinyDB JSON read": lambda: stock,
        "sqlite3 rollback lazy open": lambda: sqlite(False),
        "sqlite3 WAL lazy open": lambda: sqlite(True),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(RUNS):
        for name, prepare in cases.items():
            fn = prepare()
            started = time.perf_counter()
            result = fn()
            times[name].append(time.perf_counter() - started)
            close(result)
    peaks = {}
    for name in list(cases)[:4]:  # the sealed opens and their floor
        fn = cases[name]()
        tracemalloc.start()
        result = fn()
        peaks[name] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        close(result)
    rows = []
    for name, values in times.items():
        rows.append({"case": name, "records": records,
                     "open_ms": statistics.median(values) * 1000,
                     "open_min_ms": min(values) * 1000, "open_max_ms": max(values) * 1000,
                     "peak_mib": peaks[name] / 2**20 if name in peaks else None,
                     "peak_vs_file": peaks[name] / file_size if name in peaks else None,
                     "file_mib": file_size / 2**20})
    return rows


def bench_kdf() -> list[dict]:
    """Seconds per PIN guess at the floor and above, and what calibration picks here."""
    rows, chosen = [], KdfParams.calibrate()
    for n in sorted({2**15, 2**16, 2**17, chosen.n}):
        seconds = statistics.median(time_scrypt(n, 8) for _ in range(3))
        rows.append({"case": "kdf chosen" if n == chosen.n else "kdf", "scrypt_n": n,
                     "scrypt_r": 8, "memory_mib": 128 * 8 * n // 2**20, "guess_s": seconds,
                     "full_6_digit_search_core_hours": full_search_core_hours(seconds),
                     "without_device_secret": "not searchable (256-bit secret)"})
    return rows


def run() -> list[dict]:
    rows = [] if os.environ.get("BENCH_NO_KDF") else bench_kdf()
    for size in sizes():
        with tempfile.TemporaryDirectory(prefix="store-bench-") as tmp:
            base = Path(tmp)
            inserts, data_dir, docs = insert_rows(base, size)
            key, nonce = write_baselines(base, docs)
            records = sum(len(t) for t in docs.values())
            del docs
            gc.collect()
            opens = open_rows(base, data_dir, records, key, nonce)
        rows += [{"size": size, **row} for row in inserts + opens]
    return rows
