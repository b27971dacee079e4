"""MASVS STORAGE-1: no record text and no raw data key in any file the store writes."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from fieldapp.store import KdfParams, Vault, open_database
from tests.support.pins import PIN


def encodings(marker: str) -> dict[str, bytes]:
    """Every form in which a leaked marker could show up in a file."""
    raw = marker.encode("utf-8")
    forms = {
        "utf-8": raw,
        "utf-16-le": marker.encode("utf-16-le"),
        "utf-16-be": marker.encode("utf-16-be"),
        "json-escaped": json.dumps(marker, ensure_ascii=True)[1:-1].encode(),
        "json-escaped-upper": json.dumps(marker, ensure_ascii=True)[1:-1].upper().encode(),
    }
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw)
        # Drop the characters that mix in the padding bytes in front and behind.
        head = (shift * 8 + 5) // 6
        tail = len(encoded) - ((shift + len(raw)) % 3 and 4)
        forms[f"base64-{shift}"] = encoded[head:tail]
        forms[f"urlsafe-base64-{shift}"] = encoded[head:tail].replace(b"+", b"-").replace(
            b"/", b"_"
        )
    return forms


def test_encodings_helper_finds_what_it_should():
    marker = "KANARI-Østby-0001"
    for shift in range(3):
        blob = base64.b64encode(b"x" * shift + marker.encode() + b"yz")
        assert encodings(marker)[f"base64-{shift}"] in blob
    assert encodings(marker)["json-escaped"] in json.dumps({"k": marker}).encode()
    assert encodings(marker)["utf-16-le"] in marker.encode("utf-16")[2:]


def all_files(*roots):
    for root in roots:
        for dirpath, _dirs, names in os.walk(root):
            for name in names:
                yield os.path.join(dirpath, name)


def test_no_marker_or_data_key_in_any_file(tmp_path, keystore):
    data_dir = tmp_path / "data"
    vault = Vault.create(data_dir, PIN, keystore, kdf=KdfParams.FLOOR)
    db = open_database(data_dir, vault, compact_min_bytes=4096)
    markers = []
    table = db.table("cases")
    for i in range(120):
        doc = {}
        for field in ("name", "concern", "place", "note"):
            marker = f"KANARI-{field}-Øæå-{i:04d}-{os.urandom(4).hex()}"
            markers.append(marker)
            doc[field] = marker
        doc["nested"] = {"free_text": [doc["note"]]}
        doc_id = table.insert(doc)
        if i % 3 == 0:
            table.update({"note": doc["note"]}, doc_ids=[doc_id])
        if i % 5 == 0:
            table.remove(doc_ids=[doc_id])
    db.storage.wait_for_compaction()
    data_keys = [vault.data_key(g) for g in vault.generations]
    assert db.storage.compactions > 0
    db.close()
    vault.lock()

    files = list(all_files(data_dir, keystore.path.parent))
    assert {os.path.basename(f) for f in files} >= {"vault.key", "logbook.sealed"}
    contents = {f: Path(f).read_bytes() for f in files}
    forms = [(m, kind, form) for m in markers for kind, form in encodings(m).items()]
    leaks = [
        (os.path.basename(f), kind)
        for f, blob in contents.items()
        for _marker, kind, form in forms
        if form in blob
    ]
    assert leaks == []
    for key in data_keys:
        for blob in contents.values():
            assert key not in blob
            assert base64.b64encode(key) not in blob
            assert key.hex().encode() not in blob
