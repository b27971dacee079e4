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
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from .codec import to_dict
from .codes import (
    LEGAL_BASES,
    LEGAL_BASES_VERSION,
    MUNICIPALITY_CODE_PATTERN,
    RECIPIENTS,
    UUID_PATTERN,
)
from .consent_status import NO_SKEW, ConsentStatus, consent_status
from .days import oslo_date, oslo_tz
from .identity import find_personal_data
from .records import Consent, CrisisContact, FollowUpCase, Record
from .sensitivity import Sensitivity

DEFAULT_RECIPIENT = "slt"
NEVER_SENT = frozenset({"sync_state"})
# Shareable strings that are identifiers, not text: the detector skips them, and the gate lets
# a record out only when each has its strict shape (UUID; a 4-digit municipality number).
IDENTIFIER_FIELDS = frozenset({"id", "case_id", "municipality", "decision_id", "kind"})

# Which recipients each legal basis reaches. The duty to notify child welfare services reaches
# only them; the police-law bases allow sharing with the cooperating services to prevent crime.
LEGAL_BASIS_RECIPIENTS: dict[str, frozenset[str]] = {
    "bvl_13_2": frozenset({"barnevern"}),
    "pol_24_3": frozenset(RECIPIENTS),
    "pregistl_27": frozenset(RECIPIENTS),
}


class Reason(enum.StrEnum):
    PERSONAL_NO_CONSENT = "personal_no_consent"
    CONSENT_EXPIRED = "consent_expired"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    CONSENT_NOT_YET_GIVEN = "consent_not_yet_given"
    CONSENT_OTHER_RECIPIENT = "consent_other_recipient"
    LEGAL_BASIS_UNKNOWN = "legal_basis_unknown"
    LEGAL_BASIS_OTHER_RECIPIENT = "legal_basis_other_recipient"
    FREE_TEXT_NOT_MARKED = "free_text_not_marked"
    FREE_TEXT_HAS_PERSONAL_DATA = "free_text_has_personal_data"
    SHAREABLE_HAS_PERSONAL_DATA = "shareable_has_personal_data"
    U18_NO_CONSENT = "u18_no_consent"
    CASE_NOT_SHARED = "case_not_shared"
    LOCAL_ONLY = "local_only"
    INVALID_IDENTIFIER = "invalid_identifier"


# When several consents fail, the officer is told the most telling reason first.
_PRIORITY = [Reason.CONSENT_WITHDRAWN, Reason.CONSENT_EXPIRED, Reason.CONSENT_NOT_YET_GIVEN,
             Reason.CONSENT_OTHER_RECIPIENT, Reason.LEGAL_BASIS_OTHER_RECIPIENT,
             Reason.LEGAL_BASIS_UNKNOWN, Reason.PERSONAL_NO_CONSENT]


@dataclass(frozen=True)
class Withheld:
    field: str
    reason: str


@dataclass(frozen=True)
class Cover:
    """Whether a case's personal data may go to the recipient, and on which basis."""

    ok: bool
    reason: str = ""
    basis: str = ""
    consent_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    record_id: str
    kind: str
    recipient: str
    send_record: bool
    payload: dict[str, Any] | None = None
    shared: tuple[str, ...] = ()
    withheld: tuple[Withheld, ...] = ()
    basis: str = ""
    consent_ids: tuple[str, ...] = ()
    reason: str = ""
    personal_shared: tuple[str, ...] = ()

    @property
    def withheld_fields(self) -> frozenset[str]:
        return frozenset(w.field for w in self.withheld)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | set | tuple) and not value)


def _strings(value: Any) -> list[str]:
    """Every string in a field value that is not a nested record: a str, or the strings of a
    list, set or tuple (codes and lists of codes are scanned too: a forged code is text)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | set | tuple | frozenset):
        return [v for v in value if isinstance(v, str)]
    return []


def _text_is_clean(value: Any) -> bool:
    return not any(find_personal_data(t) for t in _strings(value) if t)


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
                        case_consents: Iterable[Consent] = ()) -> str | None:
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
        reasons: list[str] = []
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
        if not _identifiers_ok(record):
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
        judge = _FieldJudge(cover, case_mode=isinstance(record, FollowUpCase),
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
        judge = _FieldJudge(cover, case_mode=True, marked=False)
        payload = judge.filter(consent, to_dict(consent), "")
        payload["kind"] = consent.kind
        return judge.decision(consent, recipient, payload, cover)


def _uuid(value: Any, *, empty_ok: bool = False) -> bool:
    return (empty_ok and value == "") or (isinstance(value, str)
                                          and bool(UUID_PATTERN.match(value)))


def _identifiers_ok(obj: Any) -> bool:
    """Every identifier field of a record and its nested items has its strict shape."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.name == "id" and not _uuid(value):
            return False
        if f.name in ("case_id", "decision_id") and not _uuid(value, empty_ok=True):
            return False
        if f.name == "municipality" and not (value == "" or (
                isinstance(value, str) and MUNICIPALITY_CODE_PATTERN.match(value))):
            return False
        if isinstance(value, list) and any(dataclasses.is_dataclass(v) and not
                                           _identifiers_ok(v) for v in value):
            return False
    return True


def _nothing(record: Record, recipient: str, reason: str) -> Decision:
    return Decision(record.id, record.kind, recipient, False, reason=str(reason))


class _FieldJudge:
    """Walks a record (and its nested actions or timeline entries) field by field."""

    def __init__(self, cover: Cover, *, case_mode: bool, marked: bool):
        self.cover = cover
        self.case_mode = case_mode
        self.marked = marked
        self.shared: list[str] = []
        self.personal_shared: list[str] = []
        self.withheld: list[Withheld] = []

    def decision(self, record: Record, recipient: str, payload: dict[str, Any],
                 cover: Cover) -> Decision:
        return Decision(record.id, record.kind, recipient, True, payload, tuple(self.shared),
                        tuple(self.withheld), cover.basis, cover.consent_ids,
                        personal_shared=tuple(self.personal_shared))

    def filter(self, obj: Any, data: dict[str, Any], prefix: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            if f.name in NEVER_SENT:
                continue
            path = prefix + f.name
            value = getattr(obj, f.name)
            if f.metadata["sensitivity"] is Sensitivity.SHAREABLE:
                if f.name not in IDENTIFIER_FIELDS and not _text_is_clean(value):
                    self.withheld.append(Withheld(path, Reason.SHAREABLE_HAS_PERSONAL_DATA))
                    continue
                out[f.name] = self._shareable(value, data[f.name], path)
                self.shared.append(path)
                continue
            if _is_empty(value):
                continue
            reason = self._personal_reason(value, free_text=bool(f.metadata["free_text"]))
            if reason:
                self.withheld.append(Withheld(path, str(reason)))
            else:
                out[f.name] = data[f.name]
                self.shared.append(path)
                self.personal_shared.append(path)
        return out

    def _shareable(self, value: Any, encoded: Any, path: str) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self.filter(value, encoded, f"{path}.")
        if isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
            return [self.filter(item, encoded[i], f"{path}[{i}].")
                    for i, item in enumerate(value)]
        return encoded

    def _personal_reason(self, value: Any, *, free_text: bool) -> str:
        if self.case_mode:
            if not self.cover.ok:
                return self.cover.reason or Reason.PERSONAL_NO_CONSENT
            if free_text and not _text_is_clean(value):
                return Reason.FREE_TEXT_HAS_PERSONAL_DATA
            return ""
        if not free_text:
            return self.cover.reason or Reason.PERSONAL_NO_CONSENT
        if not self.marked:
            return Reason.FREE_TEXT_NOT_MARKED
        if not _text_is_clean(value):
            return Reason.FREE_TEXT_HAS_PERSONAL_DATA
        return ""
