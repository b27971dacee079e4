"""Records and settings a screen test arranges in the logbook before it opens a screen."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from fieldapp import Logbook
from fieldapp.domain import (
    Consent,
    CrisisCallout,
    CrisisContact,
    FollowUpAction,
    FollowUpCase,
    Observation,
    SchoolVisit,
)
from fieldapp.repositories import ServedMunicipality

GJESDAL = ServedMunicipality("1122", "Gjesdal", ("Gjesdal ungdomsskole",))
STJORDAL = ServedMunicipality("5035", "Stjørdal", ("Stjørdal ungdomsskole",))


def serve(lb: Logbook, *municipalities: ServedMunicipality) -> None:
    lb.served.replace(list(municipalities or (GJESDAL,)))


def observation(lb: Logbook, at: datetime, *, place: str = "Ålgård stasjon",
                categories: frozenset[str] = frozenset({"unrest"}), count: int | None = 7,
                municipality: str = "1122") -> str:
    return lb.add(Observation(place=place, observed_at=at, youth_count=count,
                              categories=set(categories), municipality=municipality))


def visit(lb: Logbook, at: datetime, *, school: str = "Gjesdal ungdomsskole",
          hours: float | None = 1.0, municipality: str = "1122") -> str:
    out = None if hours is None else at + timedelta(hours=hours)
    return lb.add(SchoolVisit(school=school, checked_in_at=at, checked_out_at=out,
                              municipality=municipality))


def case(lb: Logbook, at: datetime, *, name: str = "Ola Nordmann",
         due: date | None = None, municipality: str = "1122") -> str:
    actions = [FollowUpAction(description="Samtale med foresatte", due_date=due)] if due else []
    return lb.add(FollowUpCase(person_name=name, concern="Sett med eldre ungdom ved stasjonen.",
                               opened_at=at, actions=actions, municipality=municipality))


def consent(lb: Logbook, case_id: str, at: datetime, *, expires: date | None = None) -> str:
    return lb.add(Consent(case_id=case_id, given_by="Kari Nordmann", given_by_role="guardian",
                          method="written", recipients={"slt"},
                          purpose="Samordnet oppfølging i SLT", given_at=at, expires_at=expires,
                          municipality="1122"))


def contact(lb: Logbook, *, name: str = "Frode Fjeld", role: str = "ordforer",
            phone: str = "+47 51 61 42 00") -> str:
    return lb.add(CrisisContact(name=name, role=role, phone=phone, organisation="Gjesdal kommune",
                                municipality="1122"))


def callout(lb: Logbook, at: datetime, *, event_type: str = "flood") -> str:
    return lb.add(CrisisCallout(called_at=at, event_type=event_type, municipality="1122"))
