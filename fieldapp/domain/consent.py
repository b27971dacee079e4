"""The consent gate: what of a record may leave the phone for one recipient, field by field.

    gate = ConsentGate()
    d = gate.decide(record, consents, "slt", now)          # a Consent also needs case_shared=
    d.send_record   False: nothing of the record leaves (and the reason says why)
    d.payload       the JSON-able dict that may go; withheld fields are absent
    d.shared        the fields that go ("actions[0].description" for nested ones)
    d.withheld      Withheld(field, reason) for every non-empty field that stays
    d.personal_shared  the personal fields among ``shared`` (what the officer should know)
    d.basis         "consent", "legal_basis:<code>@<list version>" or ""

The rules (the municipal backend runs the same gate on what it receives):
- Shareable fields go. ``sync_state`` is local bookkeeping and never goes.
- Personal fields go only for a FollowUpCase covered for this recipient: by a consent for the
  case that names the recipient, has been given (given_at <= now), has not expired (a date
  means "valid through that day" in Europe/Oslo) and has not been withdrawn (withdrawn_at <=
  now); or by a legal basis from ``codes.LEGAL_BASES`` recorded on the case that reaches this
  recipient (``LEGAL_BASIS_RECIPIENTS``). Other record types have no consent: their personal
  fields stay.
- Free text of a case (concern, action descriptions) is about the youth: it goes only under a
  cover, and then only when the detector finds nothing (it may name third parties). Free text
  of other records goes when the officer marked it free of personal data and the detector finds
  no identity number, phone number or e-mail.
- A case without a cover leaves no record-level trace: ``send_record`` is False (a list of
  youths under follow-up is itself confidential). Cases are about minors by definition; an
  adult birth date cannot lift this, since the backend could not verify it (the birth date
  stays on the phone) and an unknown birth date counts as a minor.
- A shareable text (a place, a school, a purpose) that the detector finds an identity number,
  phone number or e-mail in stays too: a declaration cannot stop an officer typing one there.
- Nested records (a list of actions, a single nested object) are judged field by field.
- A Consent goes only to a recipient it names and only once its case has been shared there; the
  name of who gave it goes only while the consent is valid. Crisis contacts never go.

The walk over a record's fields under a cover, and the ``Decision`` it builds, are in
``consent_fields``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo

from .codec import to_dict
from .codes import LEGAL_BASES, LEGAL_BASES_VERSION, RECIPIENTS
from .consent_fields import Cover, Decision, FieldJudge, Reason, Withheld, identifiers_ok
from .consent_status import NO_SKEW, ConsentStatus, consent_status
from .days import oslo_date, oslo_tz
from .records import Consent, CrisisContact, FollowUpCase, Record

# The gate's public names; the decision's types live with the field-by-field walk
# (``consent_fields``) and are named here too, where callers import them from.
__all__ = ["DEFAULT_RECIPIENT", "LEGAL_BASIS_RECIPIENTS", "ConsentGate", "Cover", "Decision",
           "Reason", "Withheld"]

DEFAULT_RECIPIENT = "slt"
# Which recipients each legal basis reaches. The duty to notify child welfare services reaches
# only them; the police-law bases allow sharing with the cooperating services to prevent crime.
LEGAL_BASIS_RECIPIENTS: dict[str, frozenset[str]] = {
    "bvl_13_2": frozenset({"barnevern"}),
    "pol_24_3": frozenset(RECIPIENTS),
    "pregistl_27": frozenset(RECIPIENTS),
}


# When several consents fail, the officer is told the most telling reason first.
_PRIORITY = [Reason.CONSENT_WITHDRAWN, Reason.CONSENT_EXPIRED, Reason.CONSENT_NOT_YET_GIVEN,
             Reason.CONSENT_OTHER_RECIPIENT, Reason.LEGAL_BASIS_OTHER_RECIPIENT,
             Reason.LEGAL_BASIS_UNKNOWN, Reason.PERSONAL_NO_CONSENT]


_STATUS_REASONS = {
    ConsentStatus.WITHDRAWN: "consent_withdrawn",
    ConsentStatus.FUTURE: "consent_not_yet_given",
    ConsentStatus.EXPIRED: "consent_expired",
}


class ConsentGate:
    """``skew``: the clock tolerance for "not yet given" (the backend allows a few minutes)."""

    def __init__(self, *, tz: tzinfo | None = None, skew: timedelta = NO_SKEW):
        self.tz = tz if tz is not None else oslo_tz()
        self.skew = skew

    def local_date(self, now: datetime) -> date:
        return oslo_date(now, self.tz)

    def status(self, consent: Consent, now: datetime, case_consents: Iterable[Consent] = (),
               recipient: str | None = None) -> ConsentStatus:
        """The one consent-status rule (``consent_status``) with this gate's clock and zone."""
        return consent_status(consent, now, case_consents=case_consents, skew=self.skew,
                              tz=self.tz, recipient=recipient)

    def consent_problem(self, consent: Consent, recipient: str, now: datetime,
                        case_consents: Iterable[Consent] = ()) -> Reason | None:
        """Why a consent does not cover the recipient now, or None when it does."""
        if recipient not in consent.recipients:
            return Reason.CONSENT_OTHER_RECIPIENT
        status = self.status(consent, now, case_consents, recipient)
        return Reason(_STATUS_REASONS[status]) if status in _STATUS_REASONS else None

    def cover(self, record: Record, consents: Iterable[Consent], recipient: str,
              now: datetime) -> Cover:
        """Whether personal data of this record may go to the recipient now."""
        if not isinstance(record, FollowUpCase):
            return Cover(False, Reason.PERSONAL_NO_CONSENT)
        reasons: list[Reason] = []
        code = record.legal_basis
        if code:
            if code not in LEGAL_BASES:
                reasons.append(Reason.LEGAL_BASIS_UNKNOWN)
            elif recipient in LEGAL_BASIS_RECIPIENTS.get(code, frozenset()):
                return Cover(True, basis=f"legal_basis:{code}@{LEGAL_BASES_VERSION}")
            else:
                reasons.append(Reason.LEGAL_BASIS_OTHER_RECIPIENT)
        valid = []
        mine = [c for c in consents if c.case_id == record.id]
        for consent in mine:
            problem = self.consent_problem(consent, recipient, now, mine)
            if problem is None:
                valid.append(consent.id)
            else:
                reasons.append(problem)
        if valid:
            return Cover(True, basis="consent", consent_ids=tuple(sorted(valid)))
        reason = min(reasons, key=_PRIORITY.index) if reasons else Reason.PERSONAL_NO_CONSENT
        return Cover(False, reason)

    def decide(self, record: Record, consents: Iterable[Consent], recipient: str,
               now: datetime, *, case_shared: bool = False) -> Decision:
        if recipient not in RECIPIENTS:
            raise ValueError("unknown recipient")
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        if isinstance(record, CrisisContact):
            return _nothing(record, recipient, Reason.LOCAL_ONLY)
        if not identifiers_ok(record):
            return _nothing(record, recipient, Reason.INVALID_IDENTIFIER)
        if isinstance(record, Consent):
            # ``consents`` are then the other consents of its case (a giver's withdrawal).
            return self._decide_consent(record, recipient, now, case_shared, consents)
        cover = self.cover(record, list(consents), recipient, now)
        if isinstance(record, FollowUpCase) and not cover.ok:
            reason = cover.reason
            if reason == Reason.PERSONAL_NO_CONSENT and record.is_minor_on(
                    self.local_date(now)):
                reason = Reason.U18_NO_CONSENT
            return _nothing(record, recipient, reason)
        judge = FieldJudge(cover, case_mode=isinstance(record, FollowUpCase),
                            marked=bool(getattr(record, "text_free_of_personal", False)))
        payload = judge.filter(record, to_dict(record), "")
        payload["kind"] = record.kind
        return judge.decision(record, recipient, payload, cover)

    def _decide_consent(self, consent: Consent, recipient: str, now: datetime,
                        case_shared: bool, case_consents: Iterable[Consent]) -> Decision:
        if recipient not in consent.recipients:
            return _nothing(consent, recipient, Reason.CONSENT_OTHER_RECIPIENT)
        if not case_shared:
            return _nothing(consent, recipient, Reason.CASE_NOT_SHARED)
        problem = self.consent_problem(consent, recipient, now, list(case_consents))
        cover = Cover(True, basis="consent", consent_ids=(consent.id,)) if problem is None \
            else Cover(False, problem)
        judge = FieldJudge(cover, case_mode=True, marked=False)
        payload = judge.filter(consent, to_dict(consent), "")
        payload["kind"] = consent.kind
        return judge.decision(consent, recipient, payload, cover)


def _nothing(record: Record, recipient: str, reason: str) -> Decision:
    return Decision(record.id, record.kind, recipient, False, reason=str(reason))
