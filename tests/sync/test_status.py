"""What the Synk screen reads: the preview per record, quarantine, last run; auto-sync."""

from __future__ import annotations

import threading
import time

from fieldapp.domain import FollowUpCase, Observation, SchoolVisit
from sync import AutoSync, sync_now, sync_status
from sync.client import SyncReport
from tests.sync.sync_helpers import FAST, add_case_with_consent


def test_preview_says_what_leaves_and_what_stays(enrolled):
    cid = add_case_with_consent(enrolled)
    hidden = add_case_with_consent(enrolled, consent=False, name="Per Hemmelig")
    visit = enrolled.add(SchoolVisit(school="Gjesdal u.", contacts_met=["Rektor"]))
    status = sync_status(enrolled)
    by_id = {i.record_id: i for i in status.items}
    assert status.waiting == 4 and status.last_run is None
    assert by_id[cid].leaves and "person_name" in by_id[cid].shared_personal
    assert not by_id[hidden].leaves and by_id[hidden].reason == "u18_no_consent"
    assert by_id[visit].label == "Gjesdal u."
    assert [(w.field, w.reason) for w in by_id[visit].withheld] == [
        ("contacts_met", "personal_no_consent")]
    # The consent goes in the same batch as its case (the backend judges on consents it holds).
    consent_item = next(i for i in status.items if i.kind == "consent")
    assert consent_item.leaves and consent_item.shared_personal == ("given_by",)
    assert "Per Hemmelig" not in repr(status)

    sync_now(enrolled, **FAST)
    after = sync_status(enrolled)
    assert [i.record_id for i in after.items] == [hidden]
    assert after.last_run["sent"] == 3 and after.enrolments[0].last_sync_at


def test_no_enrolment_is_a_clear_state(lb):
    lb.add(Observation(place="Torget"))
    status = sync_status(lb)
    assert status.enrolments == [] and status.items[0].reason == "no_backend"
    report = sync_now(lb)
    assert report.errors == {"": "not_enrolled"} and not report.sent


def test_stopping_the_auto_sync_cancels_the_run_in_progress(enrolled):
    running, cancelled = threading.Event(), threading.Event()

    def slow_run(lb, *, cancel, **kwargs):
        running.set()
        while not cancel():  # a run stuck in a dripped reply, as sync_now checks it
            time.sleep(0.01)
        cancelled.set()
        return SyncReport(started_at=None, cancelled=True)

    auto = AutoSync(lambda: enrolled, run=slow_run, idle_interval=60)
    auto.start()
    assert running.wait(5)
    auto.stop(timeout=5)
    assert cancelled.is_set()


def test_auto_sync_runs_at_start_and_on_trigger(enrolled):
    enrolled.add(FollowUpCase(person_name="x", concern="y"))
    reports, ran = [], threading.Event()

    def fake_run(lb, **kwargs):
        assert kwargs == {"respect_backoff": True, "automatic": True,
                          "cancel": auto._stop.is_set}
        ran.set()
        return SyncReport(started_at=None, errors={"": "unreachable"} if not reports else {})

    auto = AutoSync(lambda: enrolled, on_report=reports.append, run=fake_run,
                    idle_interval=60, retry_start=30)
    auto.start()
    assert ran.wait(5)
    ran.clear()
    auto.trigger("online")
    assert ran.wait(5)
    auto.stop()
    assert len(reports) == 2 and auto.delay == 60 and not auto.failing
    assert AutoSync(lambda: None, run=fake_run).run_once() is None


def test_every_reason_and_error_has_plain_words_in_both_languages():
    from fieldapp.domain.consent import Reason
    from sync import errors
    from sync.outbox import AWAITING_REVIEW, NO_BACKEND
    from sync.server.checks import REASONS as BACKEND_REASONS
    from sync.texts import ERRORS, REASONS
    codes = {r.value for r in Reason} | {NO_BACKEND, AWAITING_REVIEW, "conflict"} | set(
        BACKEND_REASONS)
    error_codes = {c.code for c in vars(errors).values()
                   if isinstance(c, type) and issubclass(c, errors.SyncError)}
    for lang in ("nb", "en"):
        assert codes <= set(REASONS[lang]), codes - set(REASONS[lang])
        assert error_codes <= set(ERRORS[lang]), error_codes - set(ERRORS[lang])


def test_home_synk_and_the_outbox_count_the_same_waiting_set(enrolled):
    """One waiting set: pending, failed and a record left in "sending" by a stopped run, plus
    deletions no backend has acknowledged; synced and local-only records do not wait."""
    from datetime import UTC, datetime

    from fieldapp.domain import CrisisContact
    from sync.status import waiting_count
    from views.home.presenter import today_status

    sent = enrolled.add(Observation(place="Torget"))
    sync_now(enrolled, **FAST)
    enrolled.delete(sent)                                   # a deletion to send
    stuck = enrolled.add(Observation(place="Parken"))
    enrolled.sync_records.set_state(stuck, "sending")       # a run stopped mid-batch
    failed = enrolled.add(Observation(place="Stasjonen"))
    enrolled.sync_records.set_state(failed, "failed")
    enrolled.add(Observation(place="Skolen"))               # pending
    enrolled.add(CrisisContact(name="Ordfører", role="ordforer"))  # never leaves the phone
    now = datetime.now(UTC)
    home = today_status(enrolled, now).waiting_sync
    synk = sync_status(enrolled, now)
    assert home == synk.waiting == waiting_count(enrolled) == 4
    assert synk.deletions == 1 and len(synk.items) == 3
