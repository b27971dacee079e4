"""Retention: after the backend acknowledged a record, personal details older than the period
are blanked on the phone and the sealed store is compacted (new data key)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta

from fieldapp import Logbook
from fieldapp.domain import Consent, FollowUpCase, Observation, SyncState
from fieldapp.store import KdfParams
from sync import enrol, sync_now
from sync.ledger import Ledger
from tests.support.clocks import WallClock
from tests.support.pins import PIN
from tests.sync.sync_helpers import FAST

MARKER = "MARKØR-retensjon-5521"


def _encodings(text):
    return [text.encode("utf-8"), text.encode("utf-16-le"), base64.b64encode(text.encode()),
            json.dumps(text).encode()]


def test_purge_after_acknowledged_sync_and_compaction(tmp_path, backend):
    real_now = datetime.now(UTC)
    clock = WallClock(real_now - timedelta(days=100))
    data = tmp_path / "data"
    lb = Logbook.create(data, PIN, kdf=KdfParams.FLOOR, clock=clock)
    enrol(lb, backend.url, backend.code())
    cid = lb.add(FollowUpCase(person_name=MARKER, birth_date=date(2011, 1, 1), concern=MARKER,
                              guardian_phone="912 34 567"))
    consent = lb.add(Consent(case_id=cid, given_by=MARKER, recipients={"slt"}, purpose="SLT",
                             given_at=clock.now - timedelta(days=1)))
    obs = lb.add(Observation(place="Torget", note=MARKER))
    kept = lb.add(FollowUpCase(person_name=MARKER + "-uten-samtykke", concern="x",
                               birth_date=date(2011, 1, 1)))
    first = sync_now(lb, clock=clock, **FAST)
    assert set(first.sent) == {cid, consent, obs} and not first.purged

    compactions = []
    original = lb.compact
    lb.compact = lambda: (compactions.append(1), original())[1]
    Ledger(lb).set_retention_days(90)
    clock.now = real_now
    second = sync_now(lb, clock=clock, **FAST)
    assert set(second.purged) == {cid, consent, obs} and compactions == [1]

    case = lb.get(cid)
    assert case.person_name == "" and case.concern == "" and case.guardian_phone == ""
    assert case.revision == 1 and case.sync_state == SyncState.SYNCED
    assert lb.get(consent).given_by == "" and lb.get(obs).note == ""
    assert lb.get(obs).place == "Torget"
    assert lb.get(kept).person_name.startswith(MARKER), "never acknowledged: not purged"
    third = sync_now(lb, clock=clock, **FAST)
    assert not third.purged and not third.sent
    lb.close()

    reopened = Logbook.open(data, PIN, clock=clock)
    assert reopened.get(cid).person_name == ""
    reopened.close()
    for path in data.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not any(e in content for e in _encodings(MARKER)), path.name


def test_retention_period_is_configurable(enrolled):
    clock = WallClock(datetime.now(UTC))
    rid = enrolled.add(Observation(place="Torget", note="Rolig", text_free_of_personal=True))
    sync_now(enrolled, **FAST)
    Ledger(enrolled).set_retention_days(10)
    clock.now += timedelta(days=9)
    assert not sync_now(enrolled, clock=clock, **FAST).purged
    clock.now += timedelta(days=2)
    assert sync_now(enrolled, clock=clock, **FAST).purged == [rid]
