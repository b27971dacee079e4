"""The Politiråd og SLT screen's rules: typed values to a Meeting, and the agenda warning."""

from __future__ import annotations

from datetime import UTC, date

import pytest

from fieldapp.domain.agreement import agreements_to_json, default_agreement
from fieldapp.domain.validation import validation_errors
from views import meeting_logic as logic
from views.forms import ParseProblem


def _typed(**kw) -> logic.MeetingInput:
    values = dict(meeting_type="politirad", day="12.03.2027", time="18:30",
                  agenda_sent="01.03.2027", agenda="Samarbeidsavtalen\n\n Rus blant unge \n",
                  decisions="Avtalen videreføres", action="Kalle inn SLT",
                  action_role="slt_koordinator", action_due="01.04.2027",
                  minutes_title="Referat politirådet mars", skjermet=True,
                  exemption_basis="offl. § 13")
    values.update(kw)
    return logic.MeetingInput(**values)


def test_typed_values_become_a_valid_meeting():
    m = logic.build_meeting(_typed(), UTC)
    assert m.starts_at.isoformat() == "2027-03-12T18:30:00+00:00"
    assert [a.public_title for a in m.agenda] == ["Samarbeidsavtalen", "Rus blant unge"]
    assert [d.text for d in m.decisions] == ["Avtalen videreføres"]
    assert m.actions[0].owner_role == "slt_koordinator"
    assert m.actions[0].due_date == date(2027, 4, 1)
    assert m.minutes[0].skjermet and m.minutes[0].exemption_basis == "offl. § 13"
    assert validation_errors(m) == []


def test_skjermet_minutes_need_a_legal_basis_and_dates_must_be_readable():
    m = logic.build_meeting(_typed(exemption_basis=""), UTC)
    assert [e.key for e in validation_errors(m)] == ["exemption_basis_required"]
    with pytest.raises(ParseProblem):
        logic.build_meeting(_typed(day="i morgen"), UTC)
    with pytest.raises(ParseProblem):
        logic.build_meeting(_typed(day=""), UTC)
    bare = logic.build_meeting(_typed(time="", action="", minutes_title="", skjermet=False),
                               UTC)
    assert bare.starts_at.hour == 18 and bare.actions == [] and bare.minutes == []


def test_agenda_warning_against_the_lead_time():
    today = date(2027, 2, 1)
    on_time = logic.build_meeting(_typed(agenda_sent="05.03.2027"), UTC)  # deadline 5 March
    late = logic.build_meeting(_typed(agenda_sent="06.03.2027"), UTC)
    assert logic.agenda_warning(on_time, 7, today) is None
    assert logic.agenda_warning(late, 7, today) == ("meetings.agenda_late", date(2027, 3, 5))
    unsent = logic.build_meeting(_typed(agenda_sent=""), UTC)
    assert logic.agenda_warning(unsent, 7, today) is None
    assert logic.agenda_warning(unsent, 7, date(2027, 3, 3))[0] == "meetings.agenda_due"
    assert logic.agenda_warning(unsent, 7, date(2027, 3, 8))[0] == "meetings.agenda_overdue"
    assert logic.agenda_warning(unsent, 7, date(2027, 3, 20)) is None  # long past: no nagging


def test_lead_days_come_from_the_agreement():
    edited = default_agreement("1122")
    edited.agenda_lead_days = 14
    assert logic.lead_days_for("1122", agreements_to_json([edited])) == 14
    assert logic.lead_days_for("5035", None) == 7
    assert logic.lead_days_for("", []) == logic.DEFAULT_LEAD_DAYS


def test_home_line_names_the_next_council_meeting_and_its_agenda():
    from datetime import datetime
    gjesdal = default_agreement("1122")
    now = datetime(2027, 3, 3, 9, 0, tzinfo=UTC)
    coming = logic.build_meeting(_typed(agenda_sent=""), UTC)
    coming.municipality = "1122"
    later = logic.build_meeting(_typed(day="20.05.2027", agenda_sent=""), UTC)
    later.municipality = "1122"
    assert logic.next_meeting_line([gjesdal], [], now) is None
    key, params, warn = logic.next_meeting_line([gjesdal], [later, coming], now)
    assert key == "home.meeting_agenda_due" and warn
    assert params["date"] == "12.03.2027" and params["deadline"] == "05.03.2027"
    assert params["type"] == "Politiråd"
    coming.agenda_sent_at = datetime(2027, 3, 1, tzinfo=UTC)
    key, _, warn = logic.next_meeting_line([gjesdal], [coming], now, "en")
    assert key == "home.meeting_sent" and not warn
