"""One rule for the status of a consent, used by the case screen, the consent gate (on the
phone and on the backend) and the report.

    consent_status(consent, now, *, case_consents=(), skew=0, tz=None) -> ConsentStatus

    FUTURE     given_at is later than now (+ the allowed clock skew)
    WITHDRAWN  withdrawn at or before now, or ended by a withdrawal from the same giver
    EXPIRED    past its expiry: a datetime is exclusive, a date means "valid through that day"
               in Europe/Oslo
    ACTIVE     everything else

Withdrawal by a giver (decided here, documented in README "Samtykke"): the law's intent is that
a withdrawal stops sharing. A withdrawn consent therefore also ends every *earlier* consent for
the same case from the same giver, for the recipients the withdrawn consent named (for one
recipient when ``recipient`` is given; for any shared recipient otherwise, as the case screen
shows it). Givers are compared by role: "youth" and "guardian" are one giver each, "both" is
both of them, so a withdrawal by the youth ends the youth's and the joint consents, and a
withdrawal of a joint consent ends them all. A consent given after the withdrawal is a new
decision and stands. The giver's name is not compared: it is personal and the backend may
never hold it. Limiting the rule to the withdrawn consent's recipients keeps the phone and each
backend in agreement: a backend receives every consent that names it, and no other.

``skew`` is the clock tolerance for "not yet given": the backend allows a few minutes, so a
phone whose clock runs a little fast is not refused. A withdrawal is never delayed by skew.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo

from .codec import aware
from .days import OSLO, oslo_date
from .records import Consent

NO_SKEW = timedelta(0)
BACKEND_CLOCK_SKEW = timedelta(minutes=5)
_GIVERS = {"youth": frozenset({"youth"}), "guardian": frozenset({"guardian"}),
           "both": frozenset({"youth", "guardian"})}


class ConsentStatus(enum.StrEnum):
    FUTURE = "future"
    ACTIVE = "active"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


def givers(consent: Consent) -> frozenset[str]:
    """Who gave a consent, as roles; an unknown role counts as every giver (the safe side)."""
    return _GIVERS.get(consent.given_by_role, frozenset({"youth", "guardian"}))


def ended_by_withdrawal(consent: Consent, case_consents: Iterable[Consent],
                        now: datetime, recipient: str | None = None) -> bool:
    """Whether a withdrawal from the same giver, at or before now, ends this consent (for
    ``recipient``, or for any recipient both consents name)."""
    mine = givers(consent)
    given = aware(consent.given_at)
    for other in case_consents:
        if other.id == consent.id or other.case_id != consent.case_id:
            continue
        reaches = (recipient in other.recipients if recipient is not None
                   else bool(set(other.recipients) & set(consent.recipients)))
        if not reaches:
            continue
        withdrawn = other.withdrawn_at
        if withdrawn is None or aware(withdrawn) > now:
            continue
        if givers(other) & mine and given <= aware(withdrawn):
            return True
    return False


def consent_status(consent: Consent, now: datetime, *, case_consents: Iterable[Consent] = (),
                   skew: timedelta = NO_SKEW, tz: tzinfo | None = None,
                   recipient: str | None = None) -> ConsentStatus:
    """The status of a consent at ``now`` (timezone-aware), for one recipient if given."""
    if consent.withdrawn_at is not None and aware(consent.withdrawn_at) <= now:
        return ConsentStatus.WITHDRAWN
    if ended_by_withdrawal(consent, case_consents, now, recipient):
        return ConsentStatus.WITHDRAWN
    if aware(consent.given_at) > now + skew:
        return ConsentStatus.FUTURE
    expires = consent.expires_at
    if isinstance(expires, datetime):
        if now >= aware(expires):
            return ConsentStatus.EXPIRED
    elif isinstance(expires, date) and oslo_date(now, tz or OSLO) > expires:
        return ConsentStatus.EXPIRED
    return ConsentStatus.ACTIVE
