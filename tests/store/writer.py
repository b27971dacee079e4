"""A writer process for the kill -9 test: inserts, updates (growing and shrinking) and deletes
in a loop, printing ``TRY <op>`` before and ``ACK <op>`` after each acknowledged write.

    python writer.py DATA_DIR KEYSTORE_FILE PIN SEED [--compact-min BYTES] [--slow-compaction]

Ops: ``put <id> <rev>`` (insert or update to revision rev) and ``del <id>``. With
``--slow-compaction`` background compactions are frequent and slow (20 ms per pause, larger
documents, a lower compaction ratio), so that writes go on during them, and it prints
``COMPACTING`` when one starts and ``COMPACTED`` when its new file is in place.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from tinydb.table import Document

from fieldapp.store import FileKeyStore, KdfParams, Vault, open_database
from fieldapp.store.compactor import Compacting, WriterGate

TABLE = "w"


def say(*words) -> None:
    sys.stdout.write(" ".join(str(w) for w in words) + "\n")
    sys.stdout.flush()


def open_store(args):
    keystore = FileKeyStore(args.keystore)
    if (args.data_dir / "vault.key").exists():
        vault = Vault.unlock(args.data_dir, args.pin, keystore)
    else:
        vault = Vault.create(args.data_dir, args.pin, keystore, kdf=KdfParams.FLOOR)
    return open_database(args.data_dir, vault, compact_min_bytes=args.compact_min)


def slow_down_compaction() -> None:
    pause, compact = WriterGate.pause, Compacting._compact

    def slow_pause(self):
        time.sleep(0.02)
        pause(self)

    def announced(self, *args):
        say("COMPACTING")
        compact(self, *args)
        say("COMPACTED")

    WriterGate.pause = slow_pause
    Compacting._compact = announced


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("keystore", type=Path)
    parser.add_argument("pin")
    parser.add_argument("seed", type=int)
    parser.add_argument("--compact-min", type=int, default=2048)
    parser.add_argument("--slow-compaction", action="store_true")
    args = parser.parse_args()
    if args.slow_compaction:
        slow_down_compaction()
    db = open_store(args)
    if args.slow_compaction:
        db.storage.compact_ratio = 0.5
    table = db.table(TABLE)
    revs = {doc.doc_id: doc["rev"] for doc in table.all()}
    next_id = max(revs, default=0) + 1
    rng = random.Random(args.seed)
    say("READY")
    while True:
        roll = rng.random()
        pad = "p" * rng.choice([0, 1, 5, 40, 200, 600]) * (8 if args.slow_compaction else 1)
        if len(revs) < 5 or (roll < 0.45 and len(revs) < 40):
            doc_id, next_id = next_id, next_id + 1
            say("TRY put", doc_id, 1)
            table.insert(Document({"rev": 1, "pad": pad}, doc_id=doc_id))
            revs[doc_id] = 1
            say("ACK put", doc_id, 1)
        elif roll < 0.8:
            doc_id = rng.choice(list(revs))
            rev = revs[doc_id] + 1
            say("TRY put", doc_id, rev)
            table.update({"rev": rev, "pad": pad}, doc_ids=[doc_id])
            revs[doc_id] = rev
            say("ACK put", doc_id, rev)
        else:
            doc_id = rng.choice(list(revs))
            say("TRY del", doc_id)
            table.remove(doc_ids=[doc_id])
            del revs[doc_id]
            say("ACK del", doc_id)


if __name__ == "__main__":
    main()
