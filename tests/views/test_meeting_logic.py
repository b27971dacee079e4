"""The Politiråd og SLT screen: typed values to a Meeting (new or edited), cancelling, the
agenda warning, and the form's save over a real logbook (a stale revision loses nothing)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from fieldapp.domain.agreement import default_agreement
from fieldapp.domain.codec import to_dict
from fieldapp.domain.meetings import Meeting, Participant, set_cancelled
from fieldapp.domain.tracking import compliance
from fieldapp.domain.validation import validation_errors
from views.kit.formats import ParseProblem
from views.meetings import presenter as logic
from views.shell import Screen

ACTION = logic.ActionInput("Kalle inn SLT", "slt_koordinator", "01.04.2027")


def _typed(**kw) -> logic.MeetingInput:
    values = dict(meeting_type="politirad", day="12.03.2027", time="18:30",
                  agenda_sent="01.03.2027", agenda="Samarbeidsavtalen\n\n Rus blant unge \n",
                  decisions=(logic.DecisionInput("Avtalen videreføres"),), actions=(ACTION,),
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
    blank_action = logic.ActionInput("  ", "slt_koordinator", "")
    bare = logic.build_meeting(_typed(time="", actions=(blank_action,), minutes_title="",
                                      skjermet=False), UTC)
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


def _next_line(agreement, meetings, now, lang="nb"):
    return logic.meeting_line([compliance(agreement, meetings, now)], lang)


def test_home_line_names_the_next_council_meeting_and_its_agenda():
    gjesdal = default_agreement("1122")
    now = datetime(2027, 3, 3, 9, 0, tzinfo=UTC)
    coming = logic.build_meeting(_typed(agenda_sent=""), UTC)
    coming.municipality = "1122"
    later = logic.build_meeting(_typed(day="20.05.2027", agenda_sent=""), UTC)
    later.municipality = "1122"
    assert _next_line(gjesdal, [], now) is None
    key, params, warn = _next_line(gjesdal, [later, coming], now)
    assert key == "home.meeting_agenda_due" and warn
    assert params["date"] == "12.03.2027" and params["deadline"] == "05.03.2027"
    assert params["type"] == "Politiråd"
    coming.agenda_sent_at = datetime(2027, 3, 1, tzinfo=UTC)
    key, _, warn = _next_line(gjesdal, [coming], now, "en")
    assert key == "home.meeting_sent" and not warn


def _full(**kw) -> logic.MeetingInput:
    return _typed(participants=(("ordforer", "Kari Nordmann"), ("slt_koordinator", "")),
                  decisions=(logic.DecisionInput("Avtalen videreføres"),
                             logic.DecisionInput("Nattravn prøves ut", consensus=False)),
                  actions=(ACTION, logic.ActionInput("Invitere FAU", "rektor", "15.04.2027")),
                  **kw)


NOW = datetime(2027, 3, 13, 10, 0, tzinfo=UTC)


def test_participants_decisions_without_consensus_and_several_actions():
    m = logic.build_meeting(_full(), UTC, NOW)
    assert [(p.role, p.name, p.present) for p in m.participants] == [
        ("ordforer", "Kari Nordmann", True), ("slt_koordinator", "", True)]
    assert [(d.text, d.consensus) for d in m.decisions] == [
        ("Avtalen videreføres", True), ("Nattravn prøves ut", False)]
    assert [(a.owner_role, a.due_date) for a in m.actions] == [
        ("slt_koordinator", date(2027, 4, 1)), ("rektor", date(2027, 4, 15))]
    assert logic.outcome_counts(m) == {"dissent": 1, "done": 0, "total": 2}
    assert validation_errors(m) == []


def test_an_action_with_a_date_but_no_description_is_kept_for_validation_to_name():
    m = logic.build_meeting(_typed(actions=(logic.ActionInput("", "", "01.04.2027"),)), UTC)
    assert [(e.field, e.key) for e in validation_errors(m)] == [("actions", "required")]
    with pytest.raises(ParseProblem) as found:
        logic.build_meeting(_typed(actions=(logic.ActionInput("Ring", "", "snart"),)), UTC)
    assert found.value.field == "actions"


def test_editing_keeps_ids_and_what_the_form_does_not_show():
    saved = logic.build_meeting(_full(), UTC, NOW)
    saved.agenda[0].internal_title = "Sak om navngitt elev"
    saved.decisions[0].priority_area = "rus"
    saved.minutes[0].text = "Referatets tekst"
    saved.participants.append(Participant(role="rektor", name="Per", present=False))
    shown = logic.input_for(saved)
    assert shown.participants == (("ordforer", "Kari Nordmann"), ("slt_koordinator", ""))
    assert shown.agenda == "Samarbeidsavtalen\nRus blant unge"
    again = logic.apply_input(saved, shown, datetime.now().astimezone().tzinfo, NOW)
    assert to_dict(again) == to_dict(saved)  # prefilled and saved unchanged: nothing moves
    assert again is not saved


def test_edit_marks_an_action_done_once_and_removes_what_was_taken_out():
    saved = logic.build_meeting(_full(), UTC, NOW)
    shown = logic.input_for(saved)
    first, second = shown.actions
    edited = logic.apply_input(saved, replace(
        shown, decisions=shown.decisions[1:],
        actions=(replace(first, done=True), second)), UTC, NOW)
    assert [d.id for d in edited.decisions] == [saved.decisions[1].id]
    assert edited.actions[0].id == saved.actions[0].id
    assert edited.actions[0].done_at == NOW and edited.actions[1].done_at is None
    later = datetime(2027, 5, 1, tzinfo=UTC)
    again = logic.apply_input(edited, logic.input_for(edited), UTC, later)
    assert again.actions[0].done_at == NOW            # done stays done when it was
    undone = logic.apply_input(edited, replace(
        logic.input_for(edited), actions=(replace(first, done=False),)), UTC, later)
    assert undone.actions[0].done_at is None and len(undone.actions) == 1
    assert saved.actions[0].done_at is None           # the saved meeting was not touched


def test_participants_follow_the_chosen_roles():
    saved = [Participant(role="ordforer", organisation="Gjesdal kommune", name="Kari"),
             Participant(role="rektor", name="Per", present=False),
             Participant(role="barnevern", name="Ola", present=False)]
    merged = logic.merge_participants(saved, (("ordforer", " Kari N "), ("rektor", ""),
                                              ("politi", "")))
    assert [(p.role, p.organisation, p.name, p.present) for p in merged] == [
        ("ordforer", "Gjesdal kommune", "Kari N", True), ("rektor", "", "", True),
        ("barnevern", "", "Ola", False), ("politi", "", "", True)]
    assert [p.role for p in logic.merge_participants(saved, ())] == ["rektor", "barnevern"]


def test_a_second_person_in_a_role_present_is_kept_and_goes_with_the_role():
    saved = [Participant(role="politi", name="A", present=True),
             Participant(role="politi", name="B", organisation="Sør-Vest", present=True)]
    merged = logic.merge_participants(saved, (("politi", "A2"),))
    assert [(p.role, p.name, p.organisation) for p in merged] == [
        ("politi", "A2", ""), ("politi", "B", "Sør-Vest")]
    assert logic.merge_participants(saved, ()) == []      # the role is no longer present


def test_cancel_keeps_the_record_and_it_no_longer_counts_as_held():
    m = logic.build_meeting(_typed(), UTC, NOW)
    assert m.held_by(NOW)
    set_cancelled(m, True, NOW)
    assert m.cancelled_at == NOW and not m.held_by(NOW)
    set_cancelled(m, True, datetime(2027, 4, 1, tzinfo=UTC))
    assert m.cancelled_at == NOW                    # cancelling twice keeps the first moment
    assert logic.agenda_warning(m, 7, date(2027, 3, 8)) is None
    set_cancelled(m, False, NOW)
    assert m.cancelled_at is None and m.held_by(NOW)


class FakePage:
    def __init__(self) -> None:
        self.updates = 0

    def update(self) -> None:
        self.updates += 1


class FakeScreen:
    """What the meeting form uses of a Screen, over a real (unlocked) logbook."""

    def __init__(self, app) -> None:
        self.app, self.page, self.lang = app, FakePage(), "nb"
        self.toasts: list[str] = []
        self.went: list[str] = []

    @property
    def logbook(self):
        return self.app.logbook

    def t(self, key, **params):
        return self.app.t(key, **params)

    def toast(self, text):
        self.toasts.append(text)

    confirm_saved = toast
    record = Screen.record  # reads through self.logbook like the real one

    def go(self, route):
        self.went.append(route)


def _editor(unlocked, saved=None):
    from views.meetings.screen import MeetingEditor
    return MeetingEditor(FakeScreen(unlocked), saved)


def test_new_meeting_form_saves_participants_decisions_and_the_drafts(unlocked):
    editor = _editor(unlocked)
    editor.form.set("day", "12.03.2027")
    editor.form.set("decisions", "Nattravn prøves ut")
    editor.decisions.dissent.value = True
    editor.form.set("action", "Kalle inn SLT")
    assert editor.save() is True
    saved = unlocked.logbook.list(Meeting)[0]
    assert [(d.text, d.consensus) for d in saved.decisions] == [("Nattravn prøves ut", False)]
    assert [a.description for a in saved.actions] == ["Kalle inn SLT"]
    assert editor.screen.went == ["/moter"] and editor.screen.toasts == ["Møtet er lagret."]


def test_a_stale_edit_keeps_what_was_typed_and_saves_on_the_second_tap(unlocked):
    meeting = logic.build_meeting(_full(), UTC, NOW)
    unlocked.logbook.add(meeting)
    editor = _editor(unlocked, unlocked.logbook.get(meeting.id))
    editor.form.set("place", "Rådhuset")
    elsewhere = unlocked.logbook.get(meeting.id)     # e.g. a sync writes meanwhile
    elsewhere.note = "fra synk"
    unlocked.logbook.update(elsewhere)
    assert editor.save() is False
    assert "endret et annet sted" in editor.form.general_error.value
    assert editor.form.general_error.visible and editor.screen.went == []
    assert editor.form.value("place") == "Rådhuset"  # nothing typed is lost
    assert editor.save() is True
    stored = unlocked.logbook.get(meeting.id)
    assert stored.place == "Rådhuset" and stored.note == "fra synk" and stored.revision == 3


def test_cancel_and_undo_from_the_form_keep_the_record(unlocked):
    meeting = logic.build_meeting(_full(), UTC, NOW)
    unlocked.logbook.add(meeting)
    assert _editor(unlocked, unlocked.logbook.get(meeting.id)).save(cancelled=True)
    assert unlocked.logbook.get(meeting.id).cancelled
    editor = _editor(unlocked, unlocked.logbook.get(meeting.id))
    editor.actions.rows[1][1].value = True           # the first action: done
    assert editor.save(cancelled=False)
    stored = unlocked.logbook.get(meeting.id)
    assert not stored.cancelled and stored.actions[0].done_at is not None
    assert stored.actions[1].done_at is None and len(unlocked.logbook.list(Meeting)) == 1


def test_a_date_that_cannot_be_read_keeps_the_form_and_names_the_field(unlocked):
    editor = _editor(unlocked)
    editor.form.set("day", "i morgen")
    editor.form.set("decisions", "Avtalen videreføres")
    assert editor.save() is False
    assert editor.form.fields["day"].error and editor.form.value("decisions")
    assert unlocked.logbook.list(Meeting) == []


def test_new_meeting_route_still_wins_over_the_edit_route():
    from views.meetings import screen as meetings_view
    from views.routes import resolve
    assert resolve("/moter/ny")[0].build is meetings_view.meeting_new
    rid = "3f2c9a4e-8a61-4c55-9d2e-7b1f0c6a5e21"
    entry, params = resolve(f"/moter/{rid}")
    assert entry.build is meetings_view.meeting_edit and params == {"id": rid}
