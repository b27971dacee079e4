"""Crisis staff without flet: the contact search, a contact's role line, the latest call-outs,
a call-out's response time."""

from __future__ import annotations

from fieldapp.domain import CrisisCallout, CrisisContact
from fieldapp.domain.messages import code_label

LATEST_CALLOUTS = 10


def role_line(contact: CrisisContact, lang: str) -> str:
    """The role's label and the organisation, as far as known."""
    return " · ".join(x for x in (code_label(contact.role, lang), contact.organisation) if x)


def matches(contact: CrisisContact, query: str, lang: str) -> bool:
    """A contact matches a search by name, role (code or label) or organisation."""
    q = query.strip().casefold()
    hay = " ".join((contact.name, contact.role, code_label(contact.role, lang),
                    contact.organisation))
    return not q or q in hay.casefold()


def latest_callouts(callouts: list[CrisisCallout]) -> list[CrisisCallout]:
    return sorted(callouts, key=lambda c: c.called_at, reverse=True)[:LATEST_CALLOUTS]


def response_minutes(callout: CrisisCallout) -> int | None:
    """Minutes from called in to arrived, as the report counts them (None before arrival)."""
    if callout.arrived_at is None:
        return None
    return round((callout.arrived_at - callout.called_at).total_seconds() / 60)
