"""Records benchmark: ``Logbook.list()`` and Home's data path on the project's own record types
with realistic text (observations, school visits, U18 cases with an action), each with its
baseline run interleaved in the same process:

- ``list()`` (records decoded once, copies handed out) against decoding every stored document
  as ``list()`` did before (``from_dict`` of each), and against the floor of any uncached
  read: decrypting and ``json.loads`` of the same documents;
- Home's data path (``Logbook.current``, today's status, the agreement figures) against the
  same from every record (``list()``), as Home read it before;
- Home right after saving an observation (the records kept and the waiting ids catch up on
  the one document written) against the same with every document looked at again after the
  save, as before.

Medians of 5 runs, with min and max; each call's result is freed after its timer stopped.
``BENCH_SIZES`` (default 1000,10000,20000,50000) sets the sizes.
The logbook is in memory: what is measured is decoding and Python, not the disk.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fieldapp import Logbook
from fieldapp.current import Current
from fieldapp.decoded import DecodedRecords
from fieldapp.domain import FollowUpAction, FollowUpCase, Observation, SchoolVisit, from_dict
from fieldapp.domain.kinds import RECORD_TYPES_BY_KIND
from views.home.compliance import agreement_status
from views.home.presenter import home_records, today_status
from views.kit.municipality import homeless_count
from views.report.presenter import report_choices

RUNS = 5


def _sizes() -> list[int]:
    raw = os.environ.get("BENCH_SIZES", "1000,10000,20000,50000")
    return [int(s) for s in raw.split(",") if s]


def _fill(lb: Logbook, n: int, now: datetime) -> None:
    for i in range(n):
        if i % 3 == 0:
            lb.add(Observation(place=f"Ålgård stasjon {i % 40}", youth_count=i % 30,
                               categories={"alcohol", "unrest"}, observed_at=now - timedelta(
                                   minutes=10 * i),
                               note="Rolig kveld, noen ungdommer samlet ved kiosken. " * 3))
        elif i % 3 == 1:
            start = now - timedelta(hours=i % 3000)
            lb.add(SchoolVisit(school="Gjesdal ungdomsskole", checked_in_at=start,
                               checked_out_at=start + timedelta(hours=1),
                               contacts_met=["Rektor Hansen"], topics=["bullying"],
                               note="Møte med rektor om trivsel og skolevei. " * 3))
        else:
            lb.add(FollowUpCase(person_name="Ola Nordmann", birth_date=date(2011, 3, 4),
                                concern="Skulker skolen og er ute sent. " * 4,
                                services={"skole"}, actions=[FollowUpAction(
                                    description="Samtale med foresatte",
                                    due_date=date(2026, 1, 1))]))


def _decode_every_document(lb: Logbook) -> list[Any]:
    db = lb._require_open()
    docs = [dict(d) for kind in RECORD_TYPES_BY_KIND for d in db.table(kind).all()]
    return sorted((from_dict(d) for d in docs), key=lambda r: r.created_at)


def _decrypt_floor(lb: Logbook) -> Callable[[], object]:
    """Decrypting and ``json.loads`` of the same records (one AES-GCM sealed payload, as a
    snapshot holds them): what any list() from a sealed file costs without a cache."""
    db = lb._require_open()
    docs = {kind: dict(db.log.read().get(kind) or {}) for kind in RECORD_TYPES_BY_KIND}
    key, nonce = AESGCM.generate_key(bit_length=256), os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, json.dumps(docs).encode(), None)
    return lambda: json.loads(AESGCM(key).decrypt(nonce, sealed, None))


def _home(lb: Logbook, now: datetime) -> None:
    """What Home's screen reads (views/home/screen.py ``_status``)."""
    choices = report_choices(lb.municipalities(), lb.agreements.all())
    current = home_records(lb, now, (c.agreement for c in choices))
    today_status(lb, now, current)
    agreement_status(choices, current, now, "nb", served=1)
    homeless_count(lb, current.records)


def _home_from_every_record(lb: Logbook, now: datetime) -> None:
    """The same from ``list()``, as Home read it before ``Logbook.current``."""
    choices = report_choices(lb.municipalities(), lb.agreements.all())
    records = lb.list()
    today_status(lb, now, Current.of(records))
    agreement_status(choices, Current.of(records), now, "nb", served=1)
    homeless_count(lb, records)


def _home_after_save(lb: Logbook, now: datetime, *, afresh: bool) -> Callable[[], object]:
    """Save an observation, then time Home alone. ``afresh``: Home looks at every document
    again after the save, as before (its own decoded records, so that ours stay as they
    would between two saves)."""
    twin = DecodedRecords()

    def run() -> None:
        lb.add(Observation(place="Ålgård stasjon", youth_count=4, categories={"alcohol"}))
        ours = lb._decoded
        started = time.perf_counter()
        if afresh:
            lb._decoded, twin._every_at = twin, None
            lb.sync_records._waiting = None
        try:
            _home(lb, now)
        finally:
            lb._decoded = ours
        timed.append((time.perf_counter() - started) * 1000)
    timed: list[float] = []
    run.timed = timed  # type: ignore[attr-defined]
    return run


def _interleaved(candidate: Callable[[], object], baseline: Callable[[], object]
                 ) -> tuple[list[float], list[float]]:
    """Each timed alone, its result kept until its timer has stopped: freeing 20k records
    (~18 ms) or the floor's dicts is their reader's cost when done with them, not the call's."""
    ours, theirs = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        kept = baseline()
        theirs.append((time.perf_counter() - started) * 1000)
        del kept
        started = time.perf_counter()
        kept = candidate()
        ours.append((time.perf_counter() - started) * 1000)
        del kept
    return ours, theirs


def _row(case: str, n: int, ours: list[float], theirs: list[float] | None,
         baseline: str, goal: str) -> dict:
    row: dict[str, Any] = {"case": case, "records": n, "ms": statistics.median(ours),
                           "ms_min": min(ours), "ms_max": max(ours)}
    if theirs is not None:
        row.update(baseline=baseline, baseline_ms=statistics.median(theirs),
                   ratio=statistics.median(ours) / statistics.median(theirs))
    row["goal"] = goal
    return row


def run() -> list[dict]:
    now = datetime.now(UTC)
    rows = []
    for n in _sizes():
        with Logbook.in_memory() as lb:
            lb.served.replace([{"code": "1122", "name": "Gjesdal",  # its signed agreement
                                "schools": ["Gjesdal ungdomsskole", "Ålgård skole"]}])
            _fill(lb, n, now)
            lb.list()  # the first list() decodes every document; later ones reuse them
            ours, theirs = _interleaved(lb.list, lambda lb=lb: _decode_every_document(lb))
            rows.append(_row("list()", n, ours, theirs, "decode every document",
                             "20k: <= 50 ms"))
            ours, floor = _interleaved(lb.list, _decrypt_floor(lb))
            rows.append(_row("list()", n, ours, floor, "decrypt + json.loads",
                             "20k: <= 0.25x"))
            home, before = _interleaved(lambda lb=lb: _home(lb, now),
                                        lambda lb=lb: _home_from_every_record(lb, now))
            rows.append(_row("Home data path", n, home, before, "Home from every record",
                             "50k: <= 100 ms"))
            saved = _home_after_save(lb, now, afresh=False)
            saved_afresh = _home_after_save(lb, now, afresh=True)
            saved_afresh(), saved(), saved_afresh.timed.clear(), saved.timed.clear()  # warm
            _interleaved(saved, saved_afresh)  # each times only Home, not the save
            rows.append(_row("Home after a save", n, saved.timed, saved_afresh.timed,
                             "every document again", "50k: <= 100 ms"))
    return rows
