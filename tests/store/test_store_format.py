"""Version-2 logs (indexed chunks, documents decoded when read) and version-1 files from
phones that have them: they open with the same contents and are rewritten in version 2."""

from __future__ import annotations

import pytest

from fieldapp.store import StoreDamaged, Vault, open_database
from fieldapp.store import chunks as chunks_module
from fieldapp.store.frames import HEADER_SIZE, KIND_CHUNK, LogHeader, split_frames
from fieldapp.store.lazy import LazyTable
from tests.store.legacy import write_v1_log
from tests.support.pins import PIN

SNAPSHOT = {
    "_meta": {"1": {"kind": "schema", "version": 1},
              "2": {"kind": "migration", "name": "0001_initial", "applied_at": "2026-01-01"}},
    "cases": {str(i): {"id": f"rec-{i}", "n": i, "note": "Møte på skolen \ud800 " * (i % 4)}
              for i in range(1, 41)},
    "empty": {},
}
CHANGES = [
    [{"t": "cases", "put": {"41": {"id": "rec-41", "n": 41}}, "del": ["3"]}],
    [{"t": "cases", "put": {"5": {"id": "rec-5", "n": 500, "nested": {"a": [1, 2.5, None]}}},
      "del": []}, {"t": "other", "put": {"1": {"x": True}}, "del": []}],
]


def expected():
    tables = {name: dict(docs) for name, docs in SNAPSHOT.items()}
    tables["cases"]["41"] = {"id": "rec-41", "n": 41}
    del tables["cases"]["3"]
    tables["cases"]["5"] = CHANGES[1][0]["put"]["5"]
    tables["other"] = {"1": {"x": True}}
    return tables


def contents(db):
    return {name: {k: dict(v) for k, v in table.items()}
            for name, table in db.storage.read().items()}


def header_of(path):
    return LogHeader.parse(path.read_bytes())


def test_a_version_1_file_opens_and_is_rewritten_as_version_2(data_dir, vault, keystore):
    path = data_dir / "logbook.sealed"
    write_v1_log(path, vault, SNAPSHOT, CHANGES)
    db = open_database(data_dir, vault)
    assert contents(db) == expected()
    db.storage.wait_for_compaction()
    assert db.storage.compactions == 1 and header_of(path).version == 2
    assert vault.generations == (2,)
    db.close()
    db = open_database(data_dir, Vault.unlock(data_dir, PIN, keystore))
    assert contents(db) == expected() and db.storage.compactions == 0
    db.close()


def test_a_torn_tail_on_a_version_1_file_is_set_aside(data_dir, vault):
    path = data_dir / "logbook.sealed"
    content = write_v1_log(path, vault, SNAPSHOT, CHANGES)
    path.write_bytes(content[:-5])  # the last change never acknowledged
    db = open_database(data_dir, vault)
    first_change_only = expected()
    first_change_only["cases"]["5"] = SNAPSHOT["cases"]["5"]
    del first_change_only["other"]
    assert contents(db) == first_change_only
    assert len(list(data_dir.glob("logbook.sealed.torn-*"))) == 1
    db.close()


def test_documents_are_decoded_only_when_read(data_dir, vault, keystore):
    db = open_database(data_dir, vault)
    table = db.table("cases")
    for i in range(30):
        table.insert({"id": f"rec-{i}", "note": "x" * i})
    db.compact()
    db.table("cases").update({"note": "changed"}, doc_ids=[2])
    db.close()
    db = open_database(data_dir, Vault.unlock(data_dir, PIN, keystore))
    live = db.storage.read()["cases"]
    assert isinstance(live, LazyTable) and live.undecoded == 30
    ids = dict(live.record_ids())
    assert ids == {str(i + 1): f"rec-{i}" for i in range(30)} and live.undecoded == 30
    doc = db.table("cases").get(doc_id=2)
    assert doc["note"] == "changed" and live.undecoded == 29
    assert live["2"] is live["2"], "a decoded document is kept, not decoded again"
    assert db.table("cases").get(doc_id=7)["note"] == "x" * 6
    assert live.undecoded == 28
    db.close()


def test_a_snapshot_of_many_chunks_opens_and_a_cut_inside_it_is_refused(
        data_dir, vault, keystore, monkeypatch):
    monkeypatch.setattr(chunks_module, "CHUNK_BYTES", 300)
    db = open_database(data_dir, vault)
    docs = {i + 1: {"id": f"r{i}", "text": "Æøå " * (i % 17)} for i in range(60)}
    for doc in docs.values():
        db.table("t").insert(doc)
    db.compact()
    db.close()
    path = data_dir / "logbook.sealed"
    content = path.read_bytes()
    spans, torn = split_frames(content, HEADER_SIZE)
    assert torn is None and len(spans) > 5 and all(s.kind == KIND_CHUNK for s in spans)
    db = open_database(data_dir, Vault.unlock(data_dir, PIN, keystore))
    assert {d.doc_id: dict(d) for d in db.table("t").all()} == docs
    db.close()
    path.write_bytes(content[: spans[3].end])
    with pytest.raises(StoreDamaged) as caught:
        open_database(data_dir, Vault.unlock(data_dir, PIN, keystore))
    assert caught.value.reason == "truncated"


@pytest.mark.parametrize("bad", [b"\x00\x00\x00\x05[[1]]", b"\x00\x00\x00\x02[]xyz",
                                 b"\x00\x00\x00\x14" + b'[["t",["1"],[9],[null],[]]]',
                                 b"\xff\xff"])
def test_a_malformed_indexed_payload_is_damage(bad):
    with pytest.raises(StoreDamaged) as caught:
        chunks_module.apply_payload({}, bad)
    assert caught.value.reason == "bad_payload"


def test_change_payload_keys_become_strings_as_json_makes_them():
    database: dict = {}
    chunks_module.apply_payload(database, chunks_module.change_payload(
        [{"t": "t", "put": {"1": {"id": "a"}, "2": {"id": 7}}, "del": []}]))
    chunks_module.apply_payload(database, chunks_module.change_payload(
        [{"t": "t", "put": {}, "del": [1]}]))
    assert dict(database["t"].items()) == {"2": {"id": 7}}
    assert list(database["t"].record_ids()) == [("2", 7)]


def test_reading_a_whole_table_decodes_in_batches_to_the_same_documents(
        data_dir, vault, keystore, monkeypatch):
    monkeypatch.setattr("fieldapp.store.lazy.BATCH", 7)
    docs = {i + 1: {"id": f"r{i}", "s": "lone \ud800 Øå" * (i % 3), "n": [i, 1.5, None, True]}
            for i in range(50)}
    db = open_database(data_dir, vault)
    for doc in docs.values():
        db.table("t").insert(doc)
    db.compact()
    db.close()
    db = open_database(data_dir, Vault.unlock(data_dir, PIN, keystore))
    live = db.storage.read()["t"]
    live["3"]  # one decoded already
    assert {int(k): v for k, v in live.items()} == docs and live.undecoded == 0
    assert all(type(v["n"][2]) is type(None) and v["n"][3] is True for v in live.values())
    db.close()
