"""The one consent-status rule: future, active, expired, withdrawn (and withdrawal by giver)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fieldapp.domain import Consent
from fieldapp.domain.consent import ConsentGate, Reason
from fieldapp.domain.consent_status import BACKEND_CLOCK_SKEW, ConsentStatus, consent_status

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)   # a Wednesday, 13:00 in Oslo
CASE = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f"


def consent(**kw):
    kw.setdefault("given_at", NOW - timedelta(days=10))
    kw.setdefault("recipients", {"slt"})
    return Consent(case_id=CASE, given_by="X", purpose="p", **kw)


def test_the_four_statuses():
    assert consent_status(consent(), NOW) is ConsentStatus.ACTIVE
    assert consent_status(consent(given_at=NOW + timedelta(minutes=1)), NOW) \
        is ConsentStatus.FUTURE
    assert consent_status(consent(expires_at=date(2026, 3, 4)), NOW) is ConsentStatus.ACTIVE
    assert consent_status(consent(expires_at=date(2026, 3, 3)), NOW) is ConsentStatus.EXPIRED
    assert consent_status(consent(expires_at=NOW), NOW) is ConsentStatus.EXPIRED
    assert consent_status(consent(withdrawn_at=NOW), NOW) is ConsentStatus.WITHDRAWN
    assert consent_status(consent(withdrawn_at=NOW + timedelta(hours=1)), NOW) \
        is ConsentStatus.ACTIVE


def test_a_date_expiry_lasts_the_whole_day_in_oslo():
    late = datetime(2026, 3, 4, 22, 30, tzinfo=UTC)   # 23:30 in Oslo, still the 4th
    after = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)  # 00:30 on the 5th in Oslo
    c = consent(expires_at=date(2026, 3, 4))
    assert consent_status(c, late) is ConsentStatus.ACTIVE
    assert consent_status(c, after) is ConsentStatus.EXPIRED


def test_skew_tolerates_a_fast_phone_clock_but_not_more():
    c = consent(given_at=NOW + timedelta(minutes=4))
    assert consent_status(c, NOW) is ConsentStatus.FUTURE
    assert consent_status(c, NOW, skew=BACKEND_CLOCK_SKEW) is ConsentStatus.ACTIVE
    far = consent(given_at=NOW + timedelta(minutes=6))
    assert consent_status(far, NOW, skew=BACKEND_CLOCK_SKEW) is ConsentStatus.FUTURE


def test_a_withdrawal_by_a_giver_ends_that_givers_earlier_consents():
    older = consent(given_by_role="guardian", given_at=NOW - timedelta(days=30))
    newer = consent(given_by_role="guardian", given_at=NOW - timedelta(days=5),
                    withdrawn_at=NOW - timedelta(hours=1))
    youth = consent(given_by_role="youth", given_at=NOW - timedelta(days=30))
    case = [older, newer, youth]
    assert consent_status(older, NOW, case_consents=case) is ConsentStatus.WITHDRAWN
    assert consent_status(youth, NOW, case_consents=case) is ConsentStatus.ACTIVE
    # A consent given after the withdrawal is a new decision and stands.
    later = consent(given_by_role="guardian", given_at=NOW - timedelta(minutes=5))
    assert consent_status(later, NOW, case_consents=[*case, later]) is ConsentStatus.ACTIVE


def test_a_joint_withdrawal_ends_both_givers_and_any_withdrawal_ends_a_joint_consent():
    joint = consent(given_by_role="both", given_at=NOW - timedelta(days=30))
    youth = consent(given_by_role="youth", given_at=NOW - timedelta(days=30))
    by_youth = consent(given_by_role="youth", given_at=NOW - timedelta(days=2),
                       withdrawn_at=NOW - timedelta(days=1))
    assert consent_status(joint, NOW, case_consents=[joint, by_youth]) is ConsentStatus.WITHDRAWN
    joint_withdrawn = consent(given_by_role="both", given_at=NOW - timedelta(days=2),
                              withdrawn_at=NOW - timedelta(days=1))
    assert consent_status(youth, NOW, case_consents=[youth, joint_withdrawn]) \
        is ConsentStatus.WITHDRAWN


def test_other_cases_do_not_withdraw():
    mine = consent(given_by_role="youth")
    theirs = Consent(case_id="0f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f", recipients={"slt"},
                     given_by_role="youth",
                     given_at=NOW - timedelta(days=2), withdrawn_at=NOW - timedelta(days=1))
    assert consent_status(mine, NOW, case_consents=[mine, theirs]) is ConsentStatus.ACTIVE


def test_the_gate_uses_the_same_rule():
    from fieldapp.domain import FollowUpCase
    case = FollowUpCase(id=CASE, person_name="N", concern="c", birth_date=date(2012, 1, 1))
    older = consent(given_by_role="guardian", given_at=NOW - timedelta(days=30))
    newer = consent(given_by_role="guardian", given_at=NOW - timedelta(days=5),
                    withdrawn_at=NOW - timedelta(hours=1))
    gate = ConsentGate()
    decision = gate.decide(case, [older, newer], "slt", NOW)
    assert not decision.send_record and decision.reason == Reason.CONSENT_WITHDRAWN
    assert gate.decide(case, [older], "slt", NOW).send_record
    future = consent(given_at=NOW + timedelta(minutes=2))
    assert gate.decide(case, [future], "slt", NOW).reason == Reason.CONSENT_NOT_YET_GIVEN
    assert ConsentGate(skew=BACKEND_CLOCK_SKEW).decide(case, [future], "slt", NOW).send_record


def test_a_withdrawal_ends_older_consents_only_for_the_recipients_it_named():
    both = consent(given_by_role="guardian", recipients={"slt", "barnevern"},
                   given_at=NOW - timedelta(days=30))
    barnevern_only = consent(given_by_role="guardian", recipients={"barnevern"},
                             given_at=NOW - timedelta(days=5),
                             withdrawn_at=NOW - timedelta(hours=1))
    case = [both, barnevern_only]
    assert consent_status(both, NOW, case_consents=case, recipient="barnevern") \
        is ConsentStatus.WITHDRAWN
    assert consent_status(both, NOW, case_consents=case, recipient="slt") \
        is ConsentStatus.ACTIVE
    # On the case screen (no recipient) a withdrawal that reaches any of its recipients shows.
    assert consent_status(both, NOW, case_consents=case) is ConsentStatus.WITHDRAWN
