"""U18 follow-up without flet: when a consent can be withdrawn and from when, and a consent's
recipients in words. Its status is the domain's one rule (``consent_status``)."""

from __future__ import annotations

from datetime import datetime

from fieldapp.domain import Consent
from fieldapp.domain.consent_status import ConsentStatus
from fieldapp.domain.messages import code_label

WITHDRAWABLE = frozenset({ConsentStatus.ACTIVE, ConsentStatus.FUTURE})


def can_withdraw(consent: Consent, status: ConsentStatus) -> bool:
    """In force or not yet in force, and not withdrawn already."""
    return status in WITHDRAWABLE and consent.withdrawn_at is None


def withdrawal_moment(consent: Consent, now: datetime) -> datetime:
    """Now; a consent not yet in force is withdrawn from the day it was to start (a withdrawal
    cannot be dated before the consent), so it never comes into force."""
    return max(now, consent.given_at)


def masked_identity(number: str) -> str:
    """An identity number as the case screen shows it until the officer asks: the birth date
    (the first six digits, known from the case anyway) and the personal number hidden."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"{digits[:6]} *****" if len(digits) > 6 else "*" * max(len(digits), 5)


def recipients_text(consent: Consent, lang: str) -> str:
    return ", ".join(code_label(r, lang) for r in sorted(consent.recipients))
