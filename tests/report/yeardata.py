"""A generated year of the police contact's records in Gjesdal (deterministic, seeded).

Times are made as Europe/Oslo wall-clock times and stored in UTC, as the phone does; some fall
late in the evening so that the Oslo day differs from the UTC day.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from fieldapp.domain.meetings import AgendaItem, Decision, Meeting, MeetingAction
from fieldapp.domain.records import (
    CrisisCallout,
    FollowUpAction,
    FollowUpCase,
    Observation,
    SchoolVisit,
)

OSLO = ZoneInfo("Europe/Oslo")
GJESDAL = "1122"
SCHOOL = "Gjesdal ungdomsskole"
PLACES = {"Ålgård sentrum": 30, "Skateparken": 22, "Kvernaland": 6, "Gjesdal stasjon": 2,
          "Oltedal": 1}
CATEGORIES = ("alcohol", "drugs", "violence", "unrest", "vulnerable_youth", "other")
EVENTS = {"flood": 4, "storm": 1, "serious_violence": 2, "major_accident": 0, "forest_fire": 3}


def oslo(day: date, hour: int, minute: int = 0) -> datetime:
    """An Oslo wall-clock time, stored as UTC."""
    return datetime.combine(day, time(hour, minute), OSLO).astimezone(UTC)


def _days(year: int) -> list[date]:
    start = date(year, 1, 1)
    return [start + timedelta(days=i) for i in range((date(year + 1, 1, 1) - start).days)]


def school_visits(rng: random.Random, year: int) -> list[SchoolVisit]:
    days = [d for d in _days(year) if d.weekday() < 5 and rng.random() < 0.09]
    # Every 7th visit just after midnight, Oslo time: the UTC day is the day before.
    visits = [SchoolVisit(municipality=GJESDAL, school=SCHOOL, checked_in_at=oslo(d, 0, 20)
                          if i % 7 == 0 else oslo(d, 9, 15), contacts_met=["Rektor Hansen"])
              for i, d in enumerate(days)]
    # Summer: the windows 1-14 June, 15-28 June and 29 June-12 July get one visit each at their
    # edges (23:59 on the last day; 00:20 on the first day, which is still the day before in UTC,
    # where the window before it already has a visit).
    summer = (date(year, 6, 1), date(year, 7, 12))
    visits = [v for v in visits if not summer[0] <= v.checked_in_at.astimezone(OSLO).date()
              <= summer[1]]
    visits += [SchoolVisit(municipality=GJESDAL, school=SCHOOL, checked_in_at=oslo(d, h, m))
               for d, h, m in ((date(year, 6, 14), 23, 59), (date(year, 6, 17), 10, 0),
                               (date(year, 6, 29), 0, 20))]
    visits += [SchoolVisit(municipality=GJESDAL, school="Oltedal skule",
                           checked_in_at=oslo(date(year, 3, 3), 10)),
               SchoolVisit(municipality="5035", school=SCHOOL,  # another municipality
                           checked_in_at=oslo(date(year, 3, 4), 10))]
    return visits


def observations(rng: random.Random, year: int) -> list[Observation]:
    result = []
    days = _days(year)
    for place, count in PLACES.items():
        for _ in range(count):
            day = rng.choice(days)
            hour = rng.choice([15, 19, 22, 23])
            cats = set(rng.sample(CATEGORIES, rng.choice([0, 1, 1, 2])))
            result.append(Observation(municipality=GJESDAL, place=place, categories=cats,
                                      observed_at=oslo(day, hour, 40),
                                      youth_count=rng.randint(2, 30),
                                      note="Kari (15) var der"))
    return result


def callouts(rng: random.Random, year: int) -> list[CrisisCallout]:
    result = []
    for event, count in EVENTS.items():
        for _ in range(count):
            called = oslo(rng.choice(_days(year)), rng.randint(0, 23), rng.randint(0, 59))
            arrived = None if rng.random() < 0.2 else called + timedelta(minutes=rng.randint(8, 90))
            result.append(CrisisCallout(municipality=GJESDAL, event_type=event, called_at=called,
                                        arrived_at=arrived, called_by_name="Ordfører Olsen"))
    return result


def cases(rng: random.Random, year: int) -> list[FollowUpCase]:
    result = []
    for i in range(7):
        opened = oslo(date(year, 1 + i, 10), 12)
        closed = oslo(date(year, 3 + i, 5), 12) if i % 3 == 0 else None
        action = FollowUpAction(description="Samtale med foresatte",
                                due_date=date(year, 2 + i, 1),
                                done_at=oslo(date(year, 2 + i, 1), 9) if i % 2 else None)
        result.append(FollowUpCase(municipality=GJESDAL, person_name=f"Ungdom {i}",
                                   concern="Bekymring", opened_at=opened, closed_at=closed,
                                   status="closed" if closed else "open", actions=[action]))
    return result


def meetings(year: int) -> list[Meeting]:
    def meeting(kind: str, day: date, sent_days_before: int | None, area: str = "") -> Meeting:
        start = oslo(day, 13)
        sent = None if sent_days_before is None else start - timedelta(days=sent_days_before)
        return Meeting(municipality=GJESDAL, meeting_type=kind, starts_at=start,
                       agenda_sent_at=sent, priority_areas={area} if area else set(),
                       agenda=[AgendaItem(public_title="Status SLT")],
                       decisions=[Decision(text="Vedtak om tiltak")],
                       actions=[MeetingAction(description="Følge opp", owner_role="slt_koordinator",
                                              due_date=day + timedelta(days=30))])
    return [
        meeting("politirad", date(year, 2, 10), 10, "rus_krim_u18"),
        meeting("politirad", date(year, 5, 12), 7),          # exactly on the deadline
        meeting("politirad", date(year, 9, 8), 3),           # late
        meeting("slt_arbeidsgruppe", date(year, 3, 3), None, "ungdomsmiljo"),
        meeting("slt_arbeidsgruppe", date(year, 4, 14), 8),
        meeting("slt_arbeidsgruppe", date(year, 10, 6), 8),
        meeting("slt_arbeidsgruppe", date(year, 11, 3), 8),
        Meeting(municipality=GJESDAL, meeting_type="politirad",
                starts_at=oslo(date(year, 11, 17), 13),
                cancelled_at=oslo(date(year, 11, 10), 9)),
    ]


def generated_year(year: int = 2026, seed: int = 20261) -> list:
    rng = random.Random(seed)
    return [*school_visits(rng, year), *observations(rng, year), *callouts(rng, year),
            *cases(rng, year), *meetings(year)]
