"""kill -9 a writer at random moments: every acknowledged write survives, the store opens.

``KILL_TRIALS`` sets the number of kills (default 100) of each test. The writer compacts (on
its background thread) every few kilobytes, so many kills land inside a compaction; the second
test slows compactions down so that most kills land while one runs beside the writes. Updates
and deletes shrink the data.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fieldapp.store import FileKeyStore, KdfParams, Vault, open_database
from tests.support.pins import PIN

pytestmark = pytest.mark.slow

WRITER = Path(__file__).with_name("writer.py")


def apply(state, op):
    state = dict(state)
    if op[0] == "put":
        state[int(op[1])] = int(op[2])
    else:
        state.pop(int(op[1]), None)
    return state


def run_until_killed(data_dir, keystore, seed, rng, extra=()):
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(data_dir), str(keystore.path), PIN, str(seed),
         "--compact-min", "2048", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    if rng.random() < 0.1:
        time.sleep(rng.uniform(0.0, 0.25))  # sometimes during start-up, unlock or open
    else:
        ready = proc.stdout.readline()
        assert ready == b"READY\n", proc.stderr.read().decode(errors="replace")
        time.sleep(rng.choice([0.0, rng.uniform(0, 0.005), rng.uniform(0.005, 0.05),
                               rng.uniform(0.05, 0.3)]))
    proc.kill()
    proc.wait(timeout=10)
    # Read through the buffered pipe objects: readline() may have buffered lines already.
    out, err = proc.stdout.read(), proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == -9, err.decode(errors="replace")
    return [line.split() for line in out.decode().split("\n")[:-1]]  # whole lines only


def read_state(data_dir, keystore):
    vault = Vault.unlock(data_dir, PIN, keystore)
    db = open_database(data_dir, vault)
    state = {doc.doc_id: doc["rev"] for doc in db.table("w").all()}
    db.close()
    generation = vault.generation
    vault.lock()
    return state, generation


def run_trials(tmp_path, trials, extra=()):
    rng = random.Random(int(os.environ.get("KILL_SEED", "20261124")))
    data_dir = tmp_path / "data"
    keystore = FileKeyStore(tmp_path / "keystore" / "device-secret")
    Vault.create(data_dir, PIN, keystore, kdf=KdfParams.FLOOR).lock()
    model, acked_total, in_flight_seen, during_compaction = {}, 0, 0, 0
    started = time.monotonic()
    for trial in range(trials):
        lines = run_until_killed(data_dir, keystore, trial, rng, extra)
        expected, pending, compacting = model, None, False
        for words in lines:
            if words[0] in ("COMPACTING", "COMPACTED"):
                compacting = words[0] == "COMPACTING"
            elif words[0] == "TRY":
                pending = words[1:]
            elif words[0] == "ACK":
                assert words[1:] == pending
                expected, pending = apply(expected, pending), None
                acked_total += 1
        actual, generation = read_state(data_dir, keystore)
        allowed = [expected] + ([apply(expected, pending)] if pending else [])
        assert actual in allowed, f"trial {trial}: acknowledged writes lost"
        in_flight_seen += pending is not None
        during_compaction += compacting
        model = actual
    elapsed = time.monotonic() - started
    print(f"kill trials: {trials}, acked {acked_total}, generation {generation}, "
          f"in flight {in_flight_seen}, during a compaction {during_compaction}, "
          f"{elapsed:.1f} s")
    assert acked_total > trials * 5, "the writer hardly wrote anything"
    assert in_flight_seen > trials // 4, "kills did not land during writes"
    assert elapsed < trials * 2.5, "trials are too slow"
    assert not [p.name for p in data_dir.iterdir() if ".tmp-" in p.name]
    return generation, during_compaction


def test_acknowledged_writes_survive_kill_9(tmp_path):
    trials = int(os.environ.get("KILL_TRIALS", "100"))
    generation, _ = run_trials(tmp_path, trials)
    assert generation > trials // 4, "compactions (key rotations) did not happen"


def test_acknowledged_writes_survive_kill_9_during_background_compaction(tmp_path):
    """Slowed-down compactions, so that most kills land while one runs beside the writes."""
    trials = int(os.environ.get("KILL_TRIALS", "100"))
    generation, during = run_trials(tmp_path, trials, ["--slow-compaction"])
    assert during > trials // 4, "kills did not land during background compactions"
    assert generation > trials // 10, "no background compaction ever finished"
